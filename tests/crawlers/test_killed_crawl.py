"""A crawl killed with SIGKILL mid-way loses nothing it committed, retires nothing, and
the next crawl completes the catalog."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from aggregator.crawl_runs import fail_abandoned_runs
from aggregator.models import Coupon, CrawlRun, Offer, PriceObservation
from aggregator.timeutil import utcnow
from tests.support.processes import REPO, sandbox, scrapy_crawl

ITEMS = 3000


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _kill_mid_crawl(database_url: str, feed: str, engine: Engine) -> None:
    env = {**os.environ, "DAOGOU_DATABASE_URL": database_url, "DAOGOU_INGEST_BATCH_SIZE": "100"}
    # One page at a time, so the crawl is still going when the first batches are in.
    cmd = [sys.executable, "-m", "scrapy", "crawl", "taobao", "-a", f"feed_url={feed}",
           "-a", "page_size=20", "-s", "CONCURRENT_REQUESTS=1", "-s", "LOG_LEVEL=WARNING"]
    process = subprocess.Popen(cmd, cwd=REPO, env=env)
    try:
        deadline = time.monotonic() + 60
        while _count(engine, Offer) < 200:
            assert process.poll() is None, "crawl ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)


def test_killed_crawl_keeps_committed_batches_and_the_next_crawl_completes(
        committed: Engine, database_url: str) -> None:
    with sandbox(seed=11, items=ITEMS, bad_every=0) as base:
        feed = f"{base}/taobao/router/rest"
        _kill_mid_crawl(database_url, feed, committed)
        kept = _count(committed, Offer)
        assert 200 <= kept < ITEMS
        with Session(committed) as s:
            run = s.scalars(select(CrawlRun)).one()
            assert run.status == "running"  # nobody finished it
            assert run.new == kept  # counters are committed with their batch
            # every committed offer is whole: its price observation is there
            assert s.scalar(select(func.count()).select_from(PriceObservation)) == kept
            assert s.scalar(select(func.count()).select_from(Offer)
                            .where(Offer.retired_at.is_not(None))) == 0
            assert fail_abandoned_runs(s, now=utcnow() + timedelta(minutes=11)) == 1
            s.commit()
            assert s.get_one(CrawlRun, run.id).status == "failed"
        coupons_before = _count(committed, Coupon)

        result = scrapy_crawl("taobao", database_url, f"feed_url={feed}")
        assert result.returncode == 0, result.stderr[-2000:]
    assert _count(committed, Offer) == ITEMS
    assert _count(committed, Coupon) >= coupons_before
    with Session(committed) as s:
        last = s.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
        assert last is not None
        assert (last.status, last.new, last.unchanged, last.retired) == (
            "finished", ITEMS - kept, kept, 0)
