"""Spiders against the sandbox misbehaving on purpose: rate limits, outages, cut and
truncated bodies, malformed records. Every case is a real `scrapy crawl` process."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from aggregator.models import CrawlRun, Offer, RejectedRecord
from crawlers.middlewares import retry_after_seconds
from tests.conftest import truncate_all
from tests.crawlers.spider_support import last_run
from tests.support.processes import sandbox, scrapy_crawl

PATHS = {"taobao": "/taobao/router/rest", "pdd": "/pdd/api/router", "jd": "/jd/routerjson",
         "awin": "/awin/datafeed/products.csv.gz", "gmc": "/gmc/feed.xml"}


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with sandbox(seed=5, items=300, bad_every=0) as url:
        yield url


# crawl(spider, faults="") → (the run row, seconds the crawl took)
Crawl = Callable[..., tuple[CrawlRun, float]]


@pytest.fixture
def crawl(base: str, committed: Engine, database_url: str) -> Crawl:
    """Crawls of the sandbox, its faults reset, with ``faults`` asked for in the feed URL."""
    httpx.post(f"{base}/_faults/reset").raise_for_status()

    def run(spider: str, faults: str = "") -> tuple[CrawlRun, float]:
        feed = f"{base}{PATHS[spider]}" + (f"?{faults}" if faults else "")
        started = time.monotonic()
        result = scrapy_crawl(spider, database_url, f"feed_url={feed}")
        assert result.returncode == 0, result.stderr[-2000:]
        seconds = time.monotonic() - started
        return last_run(committed), seconds

    return run


def live_offers(engine: Engine) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Offer)
                            .where(Offer.retired_at.is_(None))) or 0)


@pytest.mark.parametrize(("spider", "faults"), [
    ("taobao", "fault=429&fault_times=2&fault_page=2"),
    ("jd", "fault=503&fault_times=2"),
    ("pdd", "fault=503&fault_times=1&fault_page=1"),
    ("awin", "fault=truncate&fault_times=1"),
    ("gmc", "fault=429&fault_times=1"),
])
def test_transient_faults_are_retried_to_a_complete_crawl(
        crawl: Crawl, committed: Engine, spider: str, faults: str) -> None:
    clean, _ = crawl(spider)
    truncate_all(committed)
    run, seconds = crawl(spider, faults)
    assert run.status == "finished", run.message
    assert (run.new, run.rejected) == (clean.new, clean.rejected)
    assert run.stats is not None and run.stats.get("retry/count", 0) >= 1
    if "429" in faults:  # Retry-After: 1 was honoured before each retry
        assert seconds >= int(faults.split("fault_times=")[1][0])


@pytest.mark.parametrize(("spider", "faults"), [
    ("taobao", "fault=503&fault_page=2"),  # one page lost after every retry
    ("awin", "fault=cut"),  # a cleanly delivered but cut-off file
    ("gmc", "fault=cut"),
    ("jd", "fault=truncate&fault_page=3"),
])
def test_lasting_faults_make_a_partial_crawl_that_retires_nothing(
        crawl: Crawl, committed: Engine, spider: str, faults: str) -> None:
    crawl(spider)
    before = live_offers(committed)
    run, _ = crawl(spider, faults)
    assert run.status == "partial", run.message
    assert run.retired == 0 and live_offers(committed) == before


@pytest.mark.parametrize("spider", ["taobao", "pdd", "jd", "awin", "gmc"])
def test_malformed_records_are_rejected_and_the_crawl_goes_on(
        crawl: Crawl, committed: Engine, spider: str) -> None:
    run, _ = crawl(spider, "fault=malformed")
    assert run.status == "finished", run.message
    assert run.rejected > 0 and run.new > 0
    with Session(committed) as s:
        rejects = s.scalars(select(RejectedRecord)).all()
    assert len(rejects) == run.rejected
    assert all(r.reason and r.raw and r.run_id == run.id for r in rejects)


@pytest.mark.parametrize(("header", "seconds"), [
    (b"1", 1.0), (b"120", 120.0), (None, None), (b"soon", None),
    (b"Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # a date in the past: retry now
])
def test_retry_after_forms(header: bytes | None, seconds: float | None) -> None:
    assert retry_after_seconds(header) == seconds
