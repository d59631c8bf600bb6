"""The order spiders against the sandbox: buy there, settle and refund there, crawl the
order APIs with real `scrapy crawl` processes, and read what the conversions became."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import lxml.html
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from aggregator.affiliate.subids import sub_id_for, tagged_url
from aggregator.models import Click, Conversion, Offer, Partner, RejectedRecord, ShareLink, User
from crawlers.sandbox import SandboxConfig, create_sandbox_app
from tests.crawlers.sandbox.orders_support import buyable
from tests.crawlers.spider_support import last_run
from tests.support.processes import sandbox, scrapy_crawl

SEED, ITEMS = 7, 250
SPIDERS = {"taobao": "taobao_orders", "pdd": "pdd_orders", "jd": "jd_orders",
           "awin": "awin_transactions"}
PATHS = {"taobao": "/taobao/router/rest", "pdd": "/pdd/api/router", "jd": "/jd/routerjson",
         "awin": "/awin/publishers/123456/transactions/"}
AWIN_TOKEN = "app_secret=sandbox-awin-token"  # data/partners.toml names no Awin API token


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with sandbox(seed=SEED, items=ITEMS) as url:
        yield url


@pytest.fixture(scope="module")
def items() -> dict[str, list[str]]:
    """Buyable item ids per network: the subprocess sandbox builds the same catalogs."""
    app = create_sandbox_app(SandboxConfig(seed=SEED, taobao_items=ITEMS))
    return {network: [buyable(app, network, n) for n in range(4)] for network in SPIDERS}


def buy(base: str, network: str, item: str, tracking: str) -> dict[str, Any]:
    response = httpx.post(f"{base}/{network}/buy", data={"item": item, "tracking": tracking},
                          headers={"Accept": "application/json"})
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


def move(base: str, order: dict[str, Any], action: str) -> None:
    url = f"{base}/_orders/{order['network']}/{order['order_id']}/{action}"
    httpx.post(url, headers={"Accept": "application/json"}).raise_for_status()


def crawl(base: str, database_url: str, network: str, *extra: str) -> None:
    args = [f"feed_url={base}{PATHS[network]}", *extra]
    if network == "awin":
        args.append(AWIN_TOKEN)
    result = scrapy_crawl(SPIDERS[network], database_url, *args)
    assert result.returncode == 0, result.stderr[-3000:]


def conversions(engine: Engine) -> dict[str, Conversion]:
    with Session(engine) as s:
        return {c.order_id: c for c in s.scalars(select(Conversion))}


def tracking(network: str, sub_id: str) -> str:
    return f'{{"sid":"{sub_id}"}}' if network == "pdd" else sub_id


@pytest.mark.parametrize("network", list(SPIDERS))
def test_an_order_crawl_records_every_status_and_a_recrawl_updates(
        base: str, items: dict[str, list[str]], committed: Engine, database_url: str,
        network: str) -> None:
    bought = [buy(base, network, items[network][n], tracking(network, f"dg9{n}"))
              for n in range(3)]
    move(base, bought[1], "settle")
    move(base, bought[2], "settle")
    move(base, bought[2], "refund")
    crawl(base, database_url, network)
    run = last_run(committed)
    assert (run.status, run.spider, run.new, run.rejected) == ("finished", SPIDERS[network], 3, 0)
    rows = conversions(committed)
    ours = {o["order_id"]: rows[o["order_id"]] for o in bought}
    assert [(c.status, c.sub_id, c.source) for c in ours.values()] == [
        ("pending", "dg90", "sync"), ("confirmed", "dg91", "sync"), ("reversed", "dg92", "sync")]
    first = ours[bought[0]["order_id"]]
    assert (first.order_amount, first.commission_amount, first.currency) == (
        bought[0]["amount"], bought[0]["commission"], bought[0]["currency"])
    assert first.raw  # the network's row is kept beside the conversion
    with Session(committed) as s:
        partner = s.get_one(Partner, first.partner_id)
        assert partner.slug == network  # the network's partner, not the spider's name

    move(base, bought[0], "settle")
    crawl(base, database_url, network)
    again = last_run(committed)
    assert (again.new, again.updated, again.unchanged) == (0, 1, 2)
    assert conversions(committed)[bought[0]["order_id"]].status == "confirmed"


def test_malformed_rows_are_rejected_and_kept_while_the_crawl_goes_on(
        base: str, items: dict[str, list[str]], committed: Engine, database_url: str) -> None:
    httpx.post(f"{base}/_faults/reset").raise_for_status()
    for n in range(4):
        buy(base, "jd", items["jd"][n], f"dg8{n}")
    result = scrapy_crawl("jd_orders", database_url,
                          f"feed_url={base}/jd/routerjson?fault=malformed")
    assert result.returncode == 0, result.stderr[-3000:]
    run = last_run(committed)
    with Session(committed) as s:
        rejects = s.scalars(select(RejectedRecord)).all()
    held = httpx.get(f"{base}/_orders", params={"network": "jd"}).json()["orders"]
    assert run.status == "finished" and run.rejected == len(rejects) >= 1
    assert run.new == len(conversions(committed)) == len(held) - len(rejects)
    for reject in rejects:
        assert reject.run_id == run.id and "estimateFee" in reject.reason
        assert reject.raw["estimateFee"] == "abc" and reject.external_id


def sharer_click(engine: Engine, offer_external_id: str) -> tuple[int, int]:
    """A sharer with a share link for the offer and one click on it: (user id, click id)."""
    with Session(engine) as s:
        offer = s.scalars(select(Offer).where(Offer.external_id == offer_external_id)).one()
        user = User(email="sharer@example.com", password_hash="x", nickname="分享达人",
                    invite_code="INV1")
        s.add(user)
        s.flush()
        link = ShareLink(code="abc123", user_id=user.id, offer_id=offer.id)
        s.add(link)
        s.flush()
        click = Click(share_link_id=link.id, ip_hash="0" * 64, user_agent="test")
        s.add(click)
        s.commit()
        return user.id, click.id


def test_a_friend_buys_through_the_shared_link_and_the_sync_credits_the_sharer(
        base: str, items: dict[str, list[str]], committed: Engine, database_url: str) -> None:
    catalog = scrapy_crawl("taobao", database_url, f"feed_url={base}/taobao/router/rest",
                           "max_pages=1", "page_size=20")
    assert catalog.returncode == 0, catalog.stderr[-3000:]
    with Session(committed) as s:
        offer = s.scalars(select(Offer).order_by(Offer.id)).first()
        assert offer is not None
        external_id, url = offer.external_id, offer.url
    user_id, click_id = sharer_click(committed, external_id)
    # What /go/{code} answers: the offer URL with the click's sub-id in Taobao's parameter.
    landing = httpx.get(tagged_url(url, network="taobao", sub_id=sub_id_for(click_id)))
    form = lxml.html.fromstring(landing.text).xpath("//form[@class='buy']")[0]
    fields = {i.get("name"): i.get("value") for i in form.xpath(".//input")}
    assert fields == {"item": external_id, "tracking": sub_id_for(click_id)}
    bought = httpx.post(f"{base}{form.get('action')}", data=fields,
                        headers={"Accept": "application/json"}).json()
    crawl(base, database_url, "taobao")
    conversion = conversions(committed)[bought["order_id"]]
    assert (conversion.click_id, conversion.user_id, conversion.status) == (
        click_id, user_id, "pending")
