"""The taobao spider against another server speaking the documented envelope.

The server here is not our sandbox: it replays the shared real-format samples,
checks the TOP signature and records what the spider asked for.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from aggregator.models import Coupon, CrawlRun, Offer, PriceObservation
from tests.conftest import FEEDS
from tests.crawlers.spider_support import (
    JSON,
    SignedGateway,
    failed_without_offers,
    only_run,
    recrawl,
    run_and_reject,
)
from tests.support.feedserver import Responder, serve
from tests.support.processes import REPO, scrapy_crawl

SECRET = "other-secret"
SAMPLES = FEEDS / "taobao"


class TopServer(SignedGateway):
    """Page 1 is the sample page, then the empty envelope; a bad signature gets error 25."""

    def __init__(self, first_page: Path = SAMPLES / "material_optional_page1.json") -> None:
        super().__init__(SECRET, {"error_response": {"code": 25, "msg": "Invalid signature"}})
        self.first_page = first_page

    def answer(self, params: dict[str, str]) -> bytes:
        if params.get("page_no") == "1":
            return self.first_page.read_bytes()
        return (SAMPLES / "material_optional_page2_empty.json").read_bytes()


def crawl(database_url: str, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return scrapy_crawl("taobao", database_url, f"feed_url={url}/router/rest",
                        "app_key=other-key", f"app_secret={SECRET}", *extra)


def test_ingests_every_valid_record_and_rejects_bad_ones(committed: Engine,
                                                          database_url: str) -> None:
    server = TopServer()
    with serve(server) as url:
        result = crawl(database_url, url)
    assert result.returncode == 0, result.stderr[-2000:]
    first = server.requests[0]
    assert first["method"] == "taobao.tbk.dg.material.optional"
    assert first["app_key"] == "other-key" and first["sign_method"] == "md5"
    assert [r["page_no"] for r in server.requests] == ["1", "2"]
    with Session(committed) as s:
        offers = {o.external_id: o for o in s.scalars(select(Offer))}
        assert set(offers) == {"nJp20jwiMtOamMdHAMbc0tP-MwP4rkSVpzP5BjYTRb", "AbC9kq3Lm2x",
                               "Xq1", "Old7", "NoCoupon1"}
        acana = offers["nJp20jwiMtOamMdHAMbc0tP-MwP4rkSVpzP5BjYTRb"]
        assert (acana.price, acana.list_price, acana.final_price) == (56700, 59900, 36800)
        assert acana.commission_bp == 780 and acana.raw["seller_id"] == 2174405298966528
        assert offers["AbC9kq3Lm2x"].final_price == 6990
        assert offers["Xq1"].final_price == 5990  # 满98 not met by 59.90
        assert offers["Old7"].final_price == 19900  # expired and exhausted
        lip_coupon = s.scalars(select(Coupon).where(Coupon.offer_id == offers["AbC9kq3Lm2x"].id)
                               ).one()
        assert lip_coupon.ends_at is not None
        assert lip_coupon.ends_at.isoformat() == "2030-01-31T15:59:59+00:00"
    run, reject = run_and_reject(committed)
    assert reject.external_id == "BadPrice" and "zk_final_price" in reject.reason
    assert (run.status, run.items, run.new, run.rejected, run.pages) == ("finished", 6, 5, 1, 2)


def test_recrawl_changes_nothing(committed: Engine, database_url: str) -> None:
    with serve(TopServer()) as url:
        second = recrawl(committed, lambda: crawl(database_url, url))
    assert (second.new, second.updated, second.unchanged) == (0, 0, 5)
    with Session(committed) as s:
        assert s.scalar(select(func.count()).select_from(PriceObservation)) == 5


def test_error_envelope_fails_the_run(committed: Engine, database_url: str) -> None:
    with serve(TopServer()) as url:
        result = scrapy_crawl("taobao", database_url, f"feed_url={url}/router/rest",
                              "app_secret=wrong")
    assert result.returncode == 0  # scrapy itself ends normally; the run row says failed
    assert "Invalid signature" in failed_without_offers(committed)


def test_lost_page_makes_a_partial_run(committed: Engine, database_url: str) -> None:
    def flaky(path: str, params: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        return 503, {"Retry-After": "0"}, b"busy"

    with serve(flaky) as url:
        result = crawl(database_url, url)
    assert result.returncode == 0
    run = only_run(committed)
    assert run.status == "partial"
    assert run.stats is not None and run.stats.get("retry/count", 0) >= 3


def test_cli_crawl_exits_nonzero_on_failure(committed: Engine, database_url: str) -> None:
    with serve(TopServer()) as url:
        result = subprocess.run(
            [sys.executable, "-m", "aggregator.cli.main", "crawl", "taobao",
             "--feed-url", f"{url}/router/rest"],
            cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
            env={**os.environ, "DAOGOU_DATABASE_URL": database_url},
        )
    # data/partners.toml holds the sandbox secret, which this server does not accept
    assert result.returncode == 1, result.stdout[-2000:]
    assert "crawl taobao failed" in result.stdout
    assert "Invalid signature" in result.stdout


@pytest.mark.parametrize("arg", ["feed_url=ftp://x/y", "page_size=500", "bogus=1"])
def test_bad_spider_arguments_are_refused(database_url: str, arg: str) -> None:
    result = scrapy_crawl("taobao", database_url, arg, timeout=60)
    assert result.returncode != 0
    assert "bad spider arguments" in result.stderr


def _sample_rows() -> list[dict[str, object]]:
    body = orjson.loads((SAMPLES / "material_optional_page1.json").read_bytes())
    return list(body["tbk_dg_material_optional_response"]["result_list"]["map_data"])


def _paged(rows: list[dict[str, object]], *, fail_page: str | None = None) -> Responder:
    """Two rows a page; ``fail_page`` answers 503 for good (retries exhausted)."""

    def respond(path: str, params: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        page = params.get("page_no", "1")
        if page == fail_page:
            return 503, {}, b"down"
        start = (int(page) - 1) * 2
        chunk = rows[start:start + 2]
        payload: dict[str, object] = {"total_results": len(rows)}
        if chunk:
            payload["result_list"] = {"map_data": chunk}
        return 200, JSON, orjson.dumps({"tbk_dg_material_optional_response": payload})

    return respond


def _live_ids(engine: Engine) -> set[str]:
    with Session(engine) as s:
        return set(s.scalars(select(Offer.external_id).where(Offer.retired_at.is_(None))))


def test_complete_crawl_retires_what_is_gone_and_partial_retires_nothing(
        committed: Engine, database_url: str) -> None:
    rows = _sample_rows()
    with serve(_paged(rows)) as url:
        assert crawl(database_url, url).returncode == 0
    everything = _live_ids(committed)
    assert len(everything) == 5

    without_lipstick = [r for r in rows if r["item_id"] != "AbC9kq3Lm2x"]
    with serve(_paged(without_lipstick, fail_page="2")) as url:  # partial: page 2 lost
        assert crawl(database_url, url).returncode == 0
    assert _live_ids(committed) == everything
    with serve(_paged(without_lipstick)) as url:  # complete again
        assert crawl(database_url, url).returncode == 0
    assert _live_ids(committed) == everything - {"AbC9kq3Lm2x"}
    with Session(committed) as s:
        runs = s.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        assert [(r.status, r.retired) for r in runs] == [
            ("finished", 0), ("partial", 0), ("finished", 1)]
        gone = s.scalars(select(Offer).where(Offer.external_id == "AbC9kq3Lm2x")).one()
        assert gone.retired_at is not None  # kept, never deleted

    with serve(_paged(rows)) as url:  # it comes back: live again
        assert crawl(database_url, url).returncode == 0
    assert _live_ids(committed) == everything


def test_keyword_or_capped_crawl_never_retires(committed: Engine, database_url: str) -> None:
    rows = _sample_rows()
    with serve(_paged(rows)) as url:
        assert crawl(database_url, url).returncode == 0
        assert crawl(database_url, url, "max_pages=1").returncode == 0
        assert crawl(database_url, url, "q=口红").returncode == 0
    assert len(_live_ids(committed)) == 5
    with Session(committed) as s:
        statuses = [r.status for r in s.scalars(select(CrawlRun).order_by(CrawlRun.id))]
    assert statuses == ["finished", "partial", "finished"]
