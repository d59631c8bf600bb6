"""The pdd spider as a real ``scrapy crawl`` against another server speaking PDD's envelope.

The server here is not our sandbox: it replays the shared real-format sample,
checks the signature and the list_id hand-over, and records what was asked.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from aggregator.models import Coupon, Offer
from aggregator.pricing import best_coupon
from tests.conftest import FEEDS, FIXED_NOW
from tests.crawlers.spider_support import (
    SignedGateway,
    failed_without_offers,
    only_run,
    recrawl,
    run_and_reject,
)
from tests.support.feedserver import serve
from tests.support.processes import scrapy_crawl

SECRET = "other-pdd-secret"
SAMPLE = FEEDS / "pdd" / "goods_search.json"
BAD_ROW = {"goods_sign": "BadPrice", "goods_name": "价格错误样例", "min_group_price": "abc",
           "mall_name": "样例店"}
PID = "1000000_100000"  # [partners.pdd] pid in data/partners.toml


def first_page(sample: Path = SAMPLE) -> bytes:
    """The sample page plus one row whose price cannot be read."""
    body: dict[str, Any] = orjson.loads(sample.read_bytes())
    body["goods_search_response"]["goods_list"].append(BAD_ROW)
    return orjson.dumps(body)


class PddServer(SignedGateway):
    """Page 1 is the sample, page 2 (only with page 1's list_id) is empty; bad sign → error."""

    def __init__(self) -> None:
        super().__init__(SECRET, {"error_response": {"error_code": 10019, "error_msg": "签名错误",
                                                     "sub_msg": "sign 校验失败"}})

    def answer(self, params: dict[str, str]) -> bytes:
        if params.get("page") == "1":
            return first_page()
        if params.get("list_id") != "list_abc":
            return orjson.dumps({"error_response": {"error_code": 10000,
                                                    "error_msg": "list_id 无效"}})
        return orjson.dumps({"goods_search_response": {"total_count": 3, "list_id": "list_abc",
                                                       "goods_list": []}})


def crawl(database_url: str, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return scrapy_crawl("pdd", database_url, f"feed_url={url}/api/router?tenant=t1",
                        "app_key=other-client", f"app_secret={SECRET}", *extra)


def test_signed_paged_requests(committed: Engine, database_url: str) -> None:
    server = PddServer()
    before = int(time.time())
    with serve(server) as url:
        result = crawl(database_url, url, "page_size=50")
    assert result.returncode == 0, result.stderr[-2000:]
    first, second = server.requests
    assert first["type"] == "pdd.ddk.goods.search" and first["client_id"] == "other-client"
    assert (first["data_type"], first["page_size"], first["pid"]) == ("JSON", "50", PID)
    assert before - 5 <= int(first["timestamp"]) <= time.time() + 5  # unix seconds
    assert first["tenant"] == "t1"  # the feed URL's own query survives, and is signed
    assert "keyword" not in first and first["opt_id"] == "0"
    assert "list_id" not in first
    assert (second["page"], second["list_id"]) == ("2", "list_abc")


def test_records_land_priced_and_rejects_are_kept(committed: Engine, database_url: str) -> None:
    with serve(PddServer()) as url:
        assert crawl(database_url, url).returncode == 0
    with Session(committed) as s:
        offers = {o.external_id: o for o in s.scalars(select(Offer))}
        assert set(offers) == {"Y9X2zdPFqAxJ8vQ3", "E1q8LpzT7nWc", "Kd9x"}
        # (price, list_price, final_price, commission_bp, sales) from the fixtures README
        expected = {"Y9X2zdPFqAxJ8vQ3": (1990, 2590, 1490, 2000, 100000),
                    "E1q8LpzT7nWc": (12900, 14900, 12900, 850, 12000),
                    "Kd9x": (990, 1290, 990, 1500, 3000)}
        for key, (price, list_price, final, bp, sales) in expected.items():
            offer = offers[key]
            assert (offer.price, offer.list_price, offer.final_price) == (price, list_price, final)
            assert (offer.commission_bp, offer.sales, offer.currency) == (bp, sales, "CNY")
            rows = s.scalars(select(Coupon).where(Coupon.offer_id == offer.id)).all()
            assert best_coupon(rows, offer.price, FIXED_NOW)[1] == final
        tissue = offers["Y9X2zdPFqAxJ8vQ3"]
        assert tissue.url.endswith(f"goods_sign=Y9X2zdPFqAxJ8vQ3&pid={PID}")
        assert tissue.raw["sales_tip"] == "10万+"
    run, reject = run_and_reject(committed)
    assert reject.external_id == "BadPrice" and "min_group_price" in reject.reason
    assert (run.status, run.pages, run.items, run.new, run.rejected) == ("finished", 2, 4, 3, 1)
    assert run.expected_items == 3


def test_keyword_replaces_opt_id(committed: Engine, database_url: str) -> None:
    server = PddServer()
    with serve(server) as url:
        assert crawl(database_url, url, "q=抽纸", "max_pages=1").returncode == 0
    (only,) = server.requests
    assert only["keyword"] == "抽纸" and "opt_id" not in only
    run = only_run(committed)
    assert run.status == "partial" and "max_pages=1" in (run.message or "")


def test_error_envelope_fails_the_run(committed: Engine, database_url: str) -> None:
    with serve(PddServer()) as url:
        result = scrapy_crawl("pdd", database_url, f"feed_url={url}/api/router",
                              "app_secret=wrong")
    assert result.returncode == 0  # scrapy ends normally; the run row says failed
    message = failed_without_offers(committed)
    assert "10019" in message and "签名错误" in message


def test_recrawl_changes_nothing(committed: Engine, database_url: str) -> None:
    with serve(PddServer()) as url:
        second = recrawl(committed, lambda: crawl(database_url, url))
    assert (second.new, second.updated, second.unchanged) == (0, 0, 3)
