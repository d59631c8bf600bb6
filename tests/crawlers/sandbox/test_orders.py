"""Buying on the sandbox's product pages, moving orders on, and what the order APIs say."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import pytest
from starlette.testclient import TestClient

from aggregator.affiliate.subids import tagged_url
from aggregator.records import OrderRecord
from crawlers.parsers.common import absolute_url
from crawlers.parsers.jd import material_url
from crawlers.sandbox import create_sandbox_app
from crawlers.sandbox.order_products import product_of
from tests.crawlers.sandbox.conftest import CONFIG, HOST
from tests.crawlers.sandbox.orders_support import (
    JSON_ACCEPT,
    NETWORKS,
    buy,
    buyable,
    move,
    order_answer,
    parsed,
    records,
)


@pytest.fixture(scope="module")
def shop() -> Iterator[TestClient]:
    """A sandbox of its own: these tests fill its order book."""
    with TestClient(create_sandbox_app(CONFIG), base_url=f"http://{HOST}") as client:
        yield client


def offer_url(client: TestClient, network: str, raw: dict[str, Any]) -> str:
    """The URL a crawled offer of ``raw`` points at (what the site's /go redirects to)."""
    base = f"http://{HOST}/"
    field = {"taobao": "url", "pdd": "mobile_url", "jd": "materialUrl", "awin": "aw_deep_link"}
    given = str(raw[field[network]]).replace("{host}", HOST)
    url = material_url(given, base) if network == "jd" else absolute_url(given, base)
    assert url is not None
    return url.replace("https://", "http://")  # the sandbox speaks plain http


def page_form(client: TestClient, url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 200, url
    forms = lxml.html.fromstring(response.text).xpath("//form[@class='buy']")
    assert len(forms) == 1, f"no buy button on {url}"
    inputs = {i.get("name"): i.get("value") for i in forms[0].xpath(".//input")}
    return forms[0].get("action"), inputs


def first_buyable(client: TestClient, network: str) -> dict[str, Any]:
    app = client.app
    return next(r for r in records(app, network) if product_of(network, r))  # type: ignore[arg-type]


@pytest.mark.parametrize("network", NETWORKS)
def test_the_buy_button_carries_the_sub_id_from_the_page_url(shop: TestClient,
                                                             network: str) -> None:
    raw = first_buyable(shop, network)
    url = tagged_url(offer_url(shop, network, raw), network=network, sub_id="dg4242")
    action, fields = page_form(shop, url)
    assert action == f"/{network}/buy"
    expected_tracking = '{"sid":"dg4242"}' if network == "pdd" else "dg4242"
    assert fields["tracking"] == expected_tracking
    response = shop.post(action, data=fields, follow_redirects=False)
    assert response.status_code == 303
    page = shop.get(response.headers["location"])
    assert "下单成功" in page.text and "dg4242" in page.text
    order = shop.get(response.headers["location"], headers=JSON_ACCEPT).json()
    assert (order["network"], order["status"], order["sub_id"]) == (network, "paid", "dg4242")
    assert order["item_id"] == fields["item"] and order["amount"] > 0
    # The network's order API reports it with the sub-id where the network puts it.
    rows = {r.order_id: r for r in parsed(network, order_answer(shop, network)).records
            if isinstance(r, OrderRecord)}
    record = rows[order["order_id"]]
    assert (record.status, record.sub_id) == ("pending", "dg4242")
    assert (record.order_amount, record.commission_amount) == (
        order["amount"], order["commission"])


def test_a_page_without_a_sub_id_still_sells(shop: TestClient) -> None:
    raw = first_buyable(shop, "jd")
    action, fields = page_form(shop, offer_url(shop, "jd", raw))
    assert fields["tracking"] == ""
    order = shop.post(action, data=fields, headers=JSON_ACCEPT).json()
    assert order["sub_id"] is None


def test_spoiled_products_have_no_button_and_cannot_be_bought(shop: TestClient) -> None:
    bad = next(r for r in records(shop.app, "pdd")  # type: ignore[arg-type]
               if product_of("pdd", r) is None)  # e.g. a price in yuan, a missing name
    parts = urlsplit(offer_url(shop, "pdd", bad))
    page = shop.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200 and "class=buy" not in page.text
    response = shop.post("/pdd/buy", data={"item": bad["goods_sign"]}, headers=JSON_ACCEPT)
    assert response.status_code == 404


@pytest.mark.parametrize(("path", "status"), [("/taobao/buy", 404), ("/nowhere/buy", 404)])
def test_unknown_products_and_networks(shop: TestClient, path: str, status: int) -> None:
    assert shop.post(path, data={"item": "nope"}).status_code == status


# (network, the network's raw status field, its value after buy, settle, refund)
RAW_STATUS: dict[str, tuple[str, list[Any]]] = {
    "taobao": ("tk_status", [12, 3, 3]),
    "pdd": ("order_status", [0, 5, 4]),
    "jd": ("validCode", [16, 17, 3]),
    "awin": ("commissionStatus", ["pending", "approved", "declined"]),
}


@pytest.mark.parametrize("network", NETWORKS)
def test_each_step_reads_back_through_the_parser(shop: TestClient, network: str) -> None:
    order = buy(shop, network, buyable(shop.app, network, 2), "dg78")  # type: ignore[arg-type]
    field, values = RAW_STATUS[network]
    steps = [("paid", None), ("settled", "settle"), ("refunded", "refund")]
    times = []
    for (_, action), raw_value, ours in zip(steps, values, ("pending", "confirmed", "reversed"),
                                            strict=True):
        if action:
            order = move(shop, order, action)
        record = next(r for r in parsed(network, order_answer(shop, network)).records
                      if isinstance(r, OrderRecord) and r.order_id == order["order_id"])
        assert (record.status, record.raw[field], record.sub_id) == (ours, raw_value, "dg78")
        times.append(record.status_at)
    assert times == sorted(times) and len(set(times)) == 3  # every report newer than the last
    if network == "taobao":
        assert record.raw["refund_tag"] == 1  # refunded after settling: 维权, still tk_status 3


# The raw status of an order refunded before it settled.
REFUNDED_UNSETTLED = {"taobao": 13, "pdd": 4, "jd": 3, "awin": "declined"}


@pytest.mark.parametrize("network", NETWORKS)
def test_a_refund_before_settling_reverses(shop: TestClient, network: str) -> None:
    order = move(shop, buy(shop, network, buyable(shop.app, network, 6)), "refund")  # type: ignore[arg-type]
    record = next(r for r in parsed(network, order_answer(shop, network)).records
                  if isinstance(r, OrderRecord) and r.order_id == order["order_id"])
    field, _ = RAW_STATUS[network]
    assert (record.status, record.raw[field]) == ("reversed", REFUNDED_UNSETTLED[network])


def test_moves_the_state_does_not_allow(shop: TestClient) -> None:
    order = buy(shop, "pdd", buyable(shop.app, "pdd", 3))  # type: ignore[arg-type]
    path = f"/_orders/pdd/{order['order_id']}"
    assert shop.post(f"{path}/refund", headers=JSON_ACCEPT).status_code == 200
    again = shop.post(f"{path}/settle", headers=JSON_ACCEPT)
    assert again.status_code == 409 and "refunded" in again.json()["error"]
    assert shop.post(f"{path}/refund", headers=JSON_ACCEPT).status_code == 409
    assert shop.post(f"{path}/fly", headers=JSON_ACCEPT).status_code == 404
    assert shop.post("/_orders/pdd/nope/settle", headers=JSON_ACCEPT).status_code == 404


def test_the_order_page_buttons_redirect_back(shop: TestClient) -> None:
    order = buy(shop, "taobao", buyable(shop.app, "taobao", 4))  # type: ignore[arg-type]
    page = shop.get(f"/_orders/taobao/{order['order_id']}").text
    actions = lxml.html.fromstring(page).xpath("//form/@action")
    assert [a.rsplit("/", 1)[1] for a in actions] == ["settle", "refund", "postback"]
    response = shop.post(actions[0], headers={"Accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 303
    assert shop.get(response.headers["location"], headers=JSON_ACCEPT).json()["status"] == \
        "settled"


def test_the_order_listing(shop: TestClient) -> None:
    mine = buy(shop, "awin", buyable(shop.app, "awin", 5), "dg99")  # type: ignore[arg-type]
    listed = shop.get("/_orders", params={"network": "awin"}).json()["orders"]
    assert mine in listed and {o["network"] for o in listed} == {"awin"}
