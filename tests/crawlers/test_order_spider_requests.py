"""What the order spiders ask for, against other servers speaking the documented formats:
windows, cursors, paging, errors. And their arguments, without a crawl."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from scrapy.exceptions import UsageError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from aggregator.models import Conversion
from crawlers.spiders.awin_transactions import AwinTransactionsSpider
from crawlers.spiders.jd_orders import JdOrdersSpider
from crawlers.spiders.order_base import Window, split_windows
from crawlers.spiders.pdd_orders import PddOrdersSpider
from crawlers.spiders.taobao_orders import TaobaoOrdersSpider
from tests.crawlers.order_support import ORDERS, load
from tests.crawlers.spider_support import JSON, Reply, SignedGateway, only_run
from tests.support.feedserver import serve
from tests.support.processes import scrapy_crawl

SECRET = "other-secret"
UTC8 = timedelta(hours=8)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class TopOrders(SignedGateway):
    """The sample pages for the first window (page 2 by cursor), nothing for the others."""

    def __init__(self) -> None:
        super().__init__(SECRET, {"error_response": {"code": 25, "msg": "Invalid signature"}})

    def answer(self, params: dict[str, str]) -> bytes:
        if params["start_time"] != "2026-11-20 08:00:00":
            return (ORDERS / "taobao_order_details_empty.json").read_bytes()
        if params.get("position_index"):
            return (ORDERS / "taobao_order_details_page2.json").read_bytes()
        return (ORDERS / "taobao_order_details_page1.json").read_bytes()


def test_taobao_walks_three_hour_windows_with_the_cursor(committed: Engine,
                                                         database_url: str) -> None:
    server = TopOrders()
    with serve(server) as url:
        result = scrapy_crawl("taobao_orders", database_url, f"feed_url={url}/router/rest",
                              "app_key=k", f"app_secret={SECRET}", "page_size=5",
                              "since=2026-11-20T00:00:00", "until=2026-11-20T07:00:00Z")
    assert result.returncode == 0, result.stderr[-3000:]
    asked = sorted((r["start_time"], r["page_no"]) for r in server.requests)
    assert asked == [("2026-11-20 08:00:00", "1"), ("2026-11-20 08:00:00", "2"),
                     ("2026-11-20 11:00:00", "1"), ("2026-11-20 14:00:00", "1")]
    for request in server.requests:  # UTC+8 wall clock, at most three hours each
        assert request["method"] == "taobao.tbk.order.details.get"
        assert (request["query_type"], request["page_size"]) == ("4", "5")
        start, end = (datetime.fromisoformat(request[k]) for k in ("start_time", "end_time"))
        assert timedelta(0) < end - start <= timedelta(hours=3)
    second = next(r for r in server.requests if r["page_no"] == "2")
    assert (second["position_index"], second["jump_type"]) == (
        "1763611200_2001234567890777", "1")
    assert all("position_index" not in r for r in server.requests if r["page_no"] == "1")
    run = only_run(committed)
    assert (run.status, run.pages, run.new, run.rejected) == ("finished", 4, 5, 1)
    with Session(committed) as s:
        statuses = {c.order_id: c.status for c in s.scalars(select(Conversion))}
    assert statuses == {"2001234567890601": "pending", "2001234567890602": "pending",
                        "2001234567890603": "confirmed", "2001234567890604": "reversed",
                        "2001234567890777": "reversed"}


def pdd_row(n: int, status: int = 0) -> dict[str, Any]:
    row: dict[str, Any] = load("pdd_order_list_increment.json")[
        "order_list_get_response"]["order_list"][0]
    return {**row, "order_sn": f"261120-{n:015d}", "order_status": status}


class PddOrders(SignedGateway):
    """13 orders (one unpaid) in pages of 10."""

    def __init__(self) -> None:
        super().__init__(SECRET, {"error_response": {"error_code": 20004, "error_msg": "签名错误"}})
        self.rows = [pdd_row(n, -1 if n == 5 else 0) for n in range(13)]

    def answer(self, params: dict[str, str]) -> bytes:
        page, size = int(params["page"]), int(params["page_size"])
        rows = self.rows[(page - 1) * size : page * size]
        return orjson.dumps({"order_list_get_response": {"order_list": rows,
                                                         "total_count": len(self.rows)}})


def test_pdd_pages_while_pages_are_full_and_skips_unpaid_orders(committed: Engine,
                                                                database_url: str) -> None:
    server = PddOrders()
    with serve(server) as url:
        result = scrapy_crawl("pdd_orders", database_url, f"feed_url={url}/api/router",
                              "app_key=k", f"app_secret={SECRET}", "page_size=5", "hours=1")
    assert result.returncode == 0, result.stderr[-3000:]
    assert [(r["page"], r["page_size"]) for r in server.requests] == [("1", "10"), ("2", "10")]
    first = server.requests[0]
    assert first["type"] == "pdd.ddk.order.list.increment.get"
    assert int(first["end_update_time"]) - int(first["start_update_time"]) == 3600
    run = only_run(committed)
    assert (run.status, run.new, run.rejected, run.expected_items) == ("finished", 12, 0, 13)
    assert "'orders/skipped': 1" in result.stderr


@pytest.mark.parametrize(("spider", "path", "reply", "message"), [
    ("jd_orders", "/routerjson", {"errorResponse": {"code": "1000", "msg": "sign invalid"}},
     "sign invalid"),
    ("taobao_orders", "/router/rest",
     {"error_response": {"code": 27, "msg": "Invalid session", "sub_code": "isv.session"}},
     "Invalid session"),
])
def test_an_error_envelope_fails_the_crawl(committed: Engine, database_url: str, spider: str,
                                           path: str, reply: dict[str, Any],
                                           message: str) -> None:
    def gateway(path: str, params: dict[str, str]) -> Reply:
        return 200, JSON, json.dumps(reply).encode()

    with serve(gateway) as url:
        result = scrapy_crawl(spider, database_url, f"feed_url={url}{path}", "hours=2")
    assert result.returncode == 0, result.stderr[-3000:]
    run = only_run(committed)
    assert run.status == "failed" and message in (run.message or "")


def test_awin_sends_its_token_and_fails_on_a_refusal(committed: Engine,
                                                     database_url: str) -> None:
    asked: list[dict[str, str]] = []

    def api(path: str, params: dict[str, str]) -> Reply:
        asked.append({"path": path, **params})
        body = {"error": "unauthorized", "description": "Invalid or missing access token"}
        return 401, JSON, json.dumps(body).encode()

    with serve(api) as url:
        result = scrapy_crawl("awin_transactions", database_url,
                              f"feed_url={url}/publishers/1/transactions/", "app_secret=t0k",
                              "since=2026-10-01T00:00:00", "until=2026-11-20T00:00:00")
    assert result.returncode == 0, result.stderr[-3000:]
    windows = sorted({(a["startDate"], a["endDate"]) for a in asked})
    assert windows == [("2026-10-01T00:00:00", "2026-11-01T00:00:00"),
                       ("2026-11-01T00:00:00", "2026-11-20T00:00:00")]
    assert sorted(a["dateType"] for a in asked) == ["transaction", "transaction",
                                                    "validation", "validation"]
    assert {a["timezone"] for a in asked} == {"UTC"}
    run = only_run(committed)
    assert run.status == "failed" and "Invalid or missing access token" in (run.message or "")


def test_split_windows() -> None:
    start = at("2026-11-20 00:00:00")
    assert split_windows(start, start + timedelta(hours=7), timedelta(hours=3)) == [
        Window(start, start + timedelta(hours=3)),
        Window(start + timedelta(hours=3), start + timedelta(hours=6)),
        Window(start + timedelta(hours=6), start + timedelta(hours=7))]
    assert split_windows(start, start, timedelta(hours=1)) == []


@pytest.mark.parametrize(("spider", "span", "count"), [
    (TaobaoOrdersSpider, timedelta(hours=3), 8), (PddOrdersSpider, timedelta(hours=24), 1),
    (JdOrdersSpider, timedelta(hours=1), 24), (AwinTransactionsSpider, timedelta(days=31), 1),
])
def test_the_default_range_is_the_last_day(spider: Any, span: timedelta, count: int) -> None:
    instance = spider(feed_url="http://gateway.test/x")
    windows = instance.windows
    assert len(windows) == count and windows[-1].end - windows[0].start == timedelta(hours=24)
    assert all(w.end - w.start <= span for w in windows)
    assert datetime.now(UTC) - windows[-1].end < timedelta(minutes=1)
    assert instance.full_catalog is False and instance.config.slug == spider.network


def test_arguments() -> None:
    spider = JdOrdersSpider(feed_url="http://gateway.test/x", since="2026-11-20T08:00:00+08:00",
                            hours="5")
    assert spider.windows[0].start == at("2026-11-20 00:00:00")  # since wins over hours
    later = JdOrdersSpider(feed_url="http://gateway.test/x", until="2026-11-20", hours="2")
    assert [w.start for w in later.windows] == [at("2026-11-19 22:00:00"),
                                                at("2026-11-19 23:00:00")]
    for bad in ({"since": "yesterday"}, {"hours": "0"}, {"query": "x"},
                {"since": "2026-11-20T00:00:00", "until": "2026-11-19T00:00:00"}):
        with pytest.raises(UsageError):
            JdOrdersSpider(feed_url="http://gateway.test/x", **bad)
    with pytest.raises(UsageError):
        TaobaoOrdersSpider(feed_url="http://gateway.test/x", query_type="5")
