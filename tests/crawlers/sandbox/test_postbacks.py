"""Signed postbacks from the sandbox networks to the site (here a stand-in that records)."""

from __future__ import annotations

import dataclasses
import json
import time

import pytest
from starlette.testclient import TestClient

from aggregator.affiliate.postback_signature import HEADER, verify
from crawlers.sandbox import create_sandbox_app
from tests.crawlers.sandbox.conftest import CONFIG, HOST
from tests.crawlers.sandbox.orders_support import (
    JSON_ACCEPT,
    NETWORKS,
    buy,
    buyable,
    move,
    postback_receiver,
)

FIELDS = {"order_id", "sub_id", "status", "order_amount", "commission_amount", "currency",
          "occurred_at"}


def send(client: TestClient, order: dict[str, object]) -> dict[str, object]:
    response = client.post(f"/_orders/{order['network']}/{order['order_id']}/postback",
                           headers=JSON_ACCEPT)
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


@pytest.mark.parametrize("network", NETWORKS)
def test_a_postback_is_signed_with_the_partners_secret(network: str) -> None:
    with postback_receiver() as site:
        config = dataclasses.replace(CONFIG, site_url=site.url + "/")
        with TestClient(create_sandbox_app(config), base_url=f"http://{HOST}") as client:
            tracking = '{"sid":"dg501"}' if network == "pdd" else "dg501"
            order = buy(client, network, buyable(client.app, network), tracking)  # type: ignore[arg-type]
            result = send(client, order)
    (post,) = site.posts
    assert post.path == f"/api/v1/postbacks/{network}" and result["status_code"] == 200
    assert post.headers["Content-Type"] == "application/json"
    secret = config.postback_secret(network)
    assert secret == f"sandbox-{network}-postback"  # as data/partners.toml has it
    assert verify(secret, post.headers[HEADER], post.body, time.time())
    assert not verify("another-secret", post.headers[HEADER], post.body, time.time())
    payload = json.loads(post.body)
    assert set(payload) == FIELDS
    assert payload == {
        "order_id": order["order_id"], "sub_id": "dg501", "status": "pending",
        "order_amount": order["amount"], "commission_amount": order["commission"],
        "currency": order["currency"], "occurred_at": order["created_at"],
    }
    assert payload["occurred_at"].endswith("Z")
    assert result["payload"] == payload and result["signature"] == post.headers[HEADER]


def test_every_change_is_posted_automatically_in_order() -> None:
    with postback_receiver() as site:
        config = dataclasses.replace(CONFIG, site_url=site.url, auto_postback=True)
        with TestClient(create_sandbox_app(config), base_url=f"http://{HOST}") as client:
            order = buy(client, "jd", buyable(client.app, "jd"), "dg502")  # type: ignore[arg-type]
            move(client, move(client, order, "settle"), "refund")
    statuses = [json.loads(p.body)["status"] for p in site.posts]
    assert statuses == ["pending", "confirmed", "reversed"]
    assert {json.loads(p.body)["order_id"] for p in site.posts} == {order["order_id"]}


def test_the_sites_answer_is_reported_not_raised() -> None:
    with postback_receiver() as site:
        site.status = 401
        config = dataclasses.replace(CONFIG, site_url=site.url)
        with TestClient(create_sandbox_app(config), base_url=f"http://{HOST}") as client:
            order = buy(client, "awin", buyable(client.app, "awin"), "dg503")  # type: ignore[arg-type]
            assert send(client, order)["status_code"] == 401
            page = client.post(f"/_orders/awin/{order['order_id']}/postback",
                               headers={"Accept": "text/html"}, follow_redirects=True)
            assert "postback → 401" in page.text


def test_an_unreachable_site_is_a_502_and_no_site_a_409() -> None:
    with postback_receiver() as site:
        gone = site.url
    config = dataclasses.replace(CONFIG, site_url=gone)
    with TestClient(create_sandbox_app(config), base_url=f"http://{HOST}") as client:
        order = buy(client, "taobao", buyable(client.app, "taobao"), "dg504")  # type: ignore[arg-type]
        path = f"/_orders/taobao/{order['order_id']}/postback"
        response = client.post(path, headers=JSON_ACCEPT)
        assert response.status_code == 502 and response.json()["status_code"] is None
    with TestClient(create_sandbox_app(CONFIG), base_url=f"http://{HOST}") as client:
        order = buy(client, "taobao", buyable(client.app, "taobao"), "dg505")  # type: ignore[arg-type]
        response = client.post(f"/_orders/taobao/{order['order_id']}/postback",
                               headers=JSON_ACCEPT)
        assert response.status_code == 409 and "site_url" in response.json()["error"]
