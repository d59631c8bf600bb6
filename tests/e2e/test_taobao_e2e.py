"""Sandbox → real `scrapy crawl` process → database → JSON API → page HTML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from aggregator.models import CrawlRun, Offer, PriceObservation, RejectedRecord
from aggregator.pricing import best_coupon
from aggregator.records import OfferRecord
from aggregator.timeutil import SHANGHAI, utcnow
from crawlers.parsers.taobao import parse_material_page
from crawlers.sandbox.catalog import taobao_items
from tests.support.processes import sandbox, scrapy_crawl
from web.app import create_app

pytestmark = pytest.mark.e2e
SEED, SIZE, BAD_EVERY = 7, 250, 97


@pytest.fixture(scope="module")
def crawled(engine: Engine, database_url: str) -> Iterator[dict[str, Any]]:
    """Crawl the sandbox twice (the second crawl must change nothing)."""
    from tests.conftest import truncate_all

    truncate_all(engine)
    with sandbox(seed=SEED, items=SIZE, bad_every=BAD_EVERY) as base:
        feed = f"feed_url={base}/taobao/router/rest"
        first = scrapy_crawl("taobao", database_url, feed, "page_size=40")
        with Session(engine) as s:
            snapshot = s.execute(select(Offer.id, Offer.updated_at)).all()
        second = scrapy_crawl("taobao", database_url, feed, "page_size=40")
        yield {"base": base, "first": first, "second": second, "snapshot": snapshot}
    truncate_all(engine)


def expected_records(base: str) -> tuple[dict[str, OfferRecord], set[str]]:
    """What the sandbox served, parsed independently of the crawl."""
    today = dt.datetime.now(SHANGHAI).date()
    host = base.removeprefix("http://")
    raw = taobao_items(seed=SEED, size=SIZE, today=today, bad_every=BAD_EVERY)
    rows = [{k: v.replace("{host}", host) if isinstance(v, str) else v for k, v in r.items()}
            for r in raw]
    page = parse_material_page({"tbk_dg_material_optional_response": {
        "result_list": {"map_data": rows}}}, partner="taobao", base_url=base)
    good = {r.external_id: r for r in page.records if isinstance(r, OfferRecord)}
    bad = {str(r.external_id) for r in page.records if not isinstance(r, OfferRecord)}
    return good, bad


def test_crawl_stores_exactly_what_the_sandbox_served(crawled: dict[str, Any],
                                                      engine: Engine) -> None:
    assert crawled["first"].returncode == 0, crawled["first"].stderr[-3000:]
    good, bad = expected_records(crawled["base"])
    assert len(good) >= 200 and len(bad) >= 2
    now = utcnow()
    with Session(engine) as s:
        offers = {o.external_id: o for o in s.scalars(select(Offer))}
        assert set(offers) == set(good)
        for ext, record in good.items():
            stored = offers[ext]
            assert (stored.price, stored.list_price) == (record.price, record.list_price)
            assert stored.final_price == best_coupon(record.coupons, record.price, now)[1], ext
            assert stored.commission_bp == record.commission_bp
        rejected = s.scalars(select(RejectedRecord)).all()
        assert {r.external_id for r in rejected} == bad
        assert all(r.reason for r in rejected)
        first_run = s.scalars(select(CrawlRun).order_by(CrawlRun.id)).first()
        assert first_run is not None and first_run.status == "finished"
        assert (first_run.new, first_run.rejected) == (len(good), len(bad))
        assert first_run.pages == -(-SIZE // 40) + 1  # every page plus the empty one


def test_second_crawl_changes_nothing(crawled: dict[str, Any], engine: Engine) -> None:
    assert crawled["second"].returncode == 0
    with Session(engine) as s:
        assert sorted(s.execute(select(Offer.id, Offer.updated_at)).all()) == sorted(
            crawled["snapshot"])
        runs = s.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        assert [r.status for r in runs] == ["finished", "finished"]
        assert (runs[1].new, runs[1].updated, runs[1].unchanged) == (0, 0, runs[0].new)
        observations = s.scalar(select(func.count()).select_from(PriceObservation))
        assert observations == runs[0].new


def test_api_and_pages_show_the_crawl(crawled: dict[str, Any], engine: Engine) -> None:
    good, _ = expected_records(crawled["base"])
    now = utcnow()
    client = TestClient(create_app())
    seen: dict[str, dict[str, Any]] = {}
    cursor = None
    while True:
        params = {"limit": 100, "sort": "final_price", **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/offers", params=params).json()
        for item in body["items"]:
            assert item["external_id"] not in seen
            seen[item["external_id"]] = item
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert set(seen) == set(good)
    finals = [item["final_price"] for item in seen.values()]
    assert finals == sorted(finals)
    for ext, item in seen.items():
        coupon, final = best_coupon(good[ext].coupons, good[ext].price, now)
        assert item["final_price"] == final
        assert (item["coupon"] is None) == (coupon is None)
    with_coupon = next(i for i in seen.values() if i["coupon"])
    product = client.get(f"/api/v1/products/{with_coupon['product_id']}").json()
    assert product["offers"][0]["final_price"] == with_coupon["final_price"]
    assert product["price_history"] and product["lowest_30d"] <= with_coupon["final_price"]
    home = client.get("/")
    assert home.status_code == 200
    cheapest = min(seen.values(), key=lambda i: (i["final_price"], i["id"]))
    page = client.get(f"/products/{cheapest['product_id']}")
    assert page.status_code == 200
    assert "券后" in page.text
