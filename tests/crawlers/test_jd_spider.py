"""The jd spider as a real ``scrapy crawl`` against another server speaking JD's envelopes.

The server here is not our sandbox: it replays the shared real-format sample
(page 2 in the other envelope spelling), checks the signature and records what
was asked.
"""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from aggregator.models import Coupon, Offer
from aggregator.pricing import best_coupon
from aggregator.timeutil import SHANGHAI, utcnow
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

SECRET = "other-jd-secret"
SAMPLE = FEEDS / "jd" / "goods_query_response.json"
CHAIR, AIRPODS = "100012043978", "100038004389"
BAD_ROW = {"skuId": 555, "skuName": "价格错误样例", "materialUrl": "item.jd.com/555.html",
           "priceInfo": {"price": "abc"}}


def sample_inner() -> dict[str, Any]:
    envelope = orjson.loads(SAMPLE.read_bytes())["jd_union_open_goods_query_response"]
    inner: dict[str, Any] = orjson.loads(envelope["result"])
    return inner


def envelope(inner: dict[str, Any], *, old_spelling: bool = False) -> bytes:
    key, field = (("jd_union_open_goods_query_responce", "queryResult") if old_spelling
                  else ("jd_union_open_goods_query_response", "result"))
    return orjson.dumps({key: {"code": "0", field: orjson.dumps(inner).decode()}})


class JdServer(SignedGateway):
    """Serves ``pages[pageIndex - 1]`` (then empty data); a bad signature gets errorResponse."""

    def __init__(self, pages: list[bytes]) -> None:
        super().__init__(SECRET, {"errorResponse": {"code": "1000", "msg": "sign invalid"}})
        self.pages = pages
        self.dtos: list[dict[str, Any]] = []

    def answer(self, params: dict[str, str]) -> bytes:
        dto = orjson.loads(params["360buy_param_json"])["goodsReqDTO"]
        self.dtos.append(dto)
        index = int(dto["pageIndex"])
        if index <= len(self.pages):
            return self.pages[index - 1]
        return envelope({"code": 200, "message": "success", "data": []})


def two_pages(*, total: int | None = 3) -> JdServer:
    """The sample (2 goods) in one spelling, then a bad row in the other spelling."""
    first = sample_inner()
    if total is None:
        del first["totalCount"]
    else:
        first["totalCount"] = total
    second: dict[str, Any] = {"code": 200, "message": "success", "data": [BAD_ROW]}
    if total is not None:
        second["totalCount"] = total
    return JdServer([envelope(first), envelope(second, old_spelling=True)])


def crawl(database_url: str, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return scrapy_crawl("jd", database_url, f"feed_url={url}/routerjson?tenant=t1",
                        "app_key=other-jd-key", f"app_secret={SECRET}", *extra)


def test_signed_requests_page_until_total(committed: Engine, database_url: str) -> None:
    server = two_pages(total=3)
    with serve(server) as url:
        result = crawl(database_url, url, "page_size=2")
    assert result.returncode == 0, result.stderr[-2000:]
    assert [d["pageIndex"] for d in server.dtos] == [1, 2]  # 2 × 2 ≥ 3: no third request
    assert all(d["pageSize"] == 2 and "keyword" not in d for d in server.dtos)
    first = server.requests[0]
    assert (first["method"], first["app_key"], first["v"]) == (
        "jd.union.open.goods.query", "other-jd-key", "1.0")
    assert (first["format"], first["sign_method"], first["tenant"]) == ("json", "md5", "t1")
    sent = datetime.strptime(first["timestamp"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
    assert abs(sent - utcnow()) < timedelta(minutes=2)  # wall clock in UTC+8


def test_records_land_priced_and_rejects_are_kept(committed: Engine, database_url: str) -> None:
    with serve(two_pages(total=3)) as url:
        assert crawl(database_url, url, "page_size=2").returncode == 0
    with Session(committed) as s:
        offers = {o.external_id: o for o in s.scalars(select(Offer))}
        assert set(offers) == {CHAIR, AIRPODS}
        chair, airpods = offers[CHAIR], offers[AIRPODS]
        assert (chair.price, chair.list_price, chair.final_price) == (29900, None, 26900)
        assert (airpods.price, airpods.final_price) == (189900, 189900)
        assert (chair.commission_bp, airpods.commission_bp, chair.sales) == (1500, 100, 12000)
        assert chair.url == f"https://item.jd.com/{CHAIR}.html"
        rows = s.scalars(select(Coupon).where(Coupon.offer_id == chair.id)
                         .order_by(Coupon.min_spend)).all()
        assert [(c.amount, c.min_spend) for c in rows] == [(1000, 0), (3000, 27900)]
        best, final = best_coupon(rows, chair.price, FIXED_NOW)
        assert best is not None and (best.amount, final) == (3000, 26900)
        assert rows[1].raw["isBest"] == 1
    run, reject = run_and_reject(committed)
    assert reject.external_id == "555" and "priceInfo.price" in reject.reason
    assert (run.status, run.pages, run.items, run.new, run.rejected) == ("finished", 2, 3, 2, 1)
    assert run.expected_items == 3


def test_without_total_pages_until_empty_data(committed: Engine, database_url: str) -> None:
    server = two_pages(total=None)
    with serve(server) as url:
        assert crawl(database_url, url, "page_size=2").returncode == 0
    assert [d["pageIndex"] for d in server.dtos] == [1, 2, 3]
    assert only_run(committed).status == "finished"


@pytest.mark.parametrize(("args", "size", "keyword"), [
    ((), 30, None),  # the default 100 is more than goods.query serves: capped
    (("q=人体工学椅",), 30, "人体工学椅"),
])
def test_page_size_and_keyword(committed: Engine, database_url: str, args: tuple[str, ...],
                               size: int, keyword: str | None) -> None:
    server = JdServer([SAMPLE.read_bytes()])
    with serve(server) as url:
        assert crawl(database_url, url, *args).returncode == 0
    (dto,) = server.dtos  # totalCount 2 fits in one page
    assert (dto["pageIndex"], dto["pageSize"], dto.get("keyword")) == (1, size, keyword)


def test_error_envelope_fails_the_run(committed: Engine, database_url: str) -> None:
    with serve(two_pages()) as url:
        result = scrapy_crawl("jd", database_url, f"feed_url={url}/routerjson",
                              "app_secret=wrong")
    assert result.returncode == 0  # scrapy ends normally; the run row says failed
    assert "sign invalid" in failed_without_offers(committed)


def test_inner_error_code_fails_the_run(committed: Engine, database_url: str) -> None:
    server = JdServer([envelope({"code": 403, "message": "无访问权限"}, old_spelling=True)])
    with serve(server) as url:
        assert crawl(database_url, url).returncode == 0
    assert "无访问权限" in failed_without_offers(committed)


def test_recrawl_changes_nothing(committed: Engine, database_url: str) -> None:
    """Coupon ids and order are stable, so an unchanged feed rewrites no offer."""
    with serve(two_pages(total=3)) as url:
        second = recrawl(committed, lambda: crawl(database_url, url, "page_size=2"))
    assert (second.new, second.updated, second.unchanged) == (0, 0, 2)
    with Session(committed) as s:
        assert s.scalar(select(func.count()).select_from(Coupon)) == 2
