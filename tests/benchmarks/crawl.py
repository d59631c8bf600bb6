"""End-to-end crawl: the sandbox serves N Taobao offers; a real ``scrapy crawl taobao``
process fetches, parses, validates and ingests them. Compared, in the same run and on
the same database, with a baseline that fetches the same pages (same signed requests,
same concurrency), and writes the same rows into the same tables with orjson and one
executemany per table (tests.benchmarks.baseline), in transactions of the same size.
Also times an unchanged re-crawl.

Targets (issue 3): end-to-end ≥ 0.4× baseline; unchanged re-crawl ≥ 2× faster.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import time

import httpx
from sqlalchemy import Engine

from aggregator.db import make_engine, session_scope
from aggregator.settings import get_settings
from aggregator.timeutil import shanghai_timestamp
from crawlers.signing import md5_sign
from tests.benchmarks.baseline import load_page
from tests.benchmarks.ingest import fresh_engine
from tests.support.processes import sandbox, scrapy_crawl

APP_KEY, SECRET, PAGE_SIZE, CONCURRENCY = "sandbox-taobao", "sandbox-taobao-secret", 100, 8


def _signed(page_no: int) -> dict[str, str]:
    params = {"method": "taobao.tbk.dg.material.optional", "app_key": APP_KEY,
              "timestamp": shanghai_timestamp(), "format": "json", "v": "2.0",
              "sign_method": "md5", "adzone_id": "1", "material_id": "6707",
              "page_no": str(page_no), "page_size": str(PAGE_SIZE)}
    return {**params, "sign": md5_sign(params, SECRET)}


async def _fetch_all(feed: str, pages: int) -> list[bytes]:
    limit = asyncio.Semaphore(CONCURRENCY)
    async with httpx.AsyncClient(timeout=60) as client:
        async def one(page_no: int) -> bytes:
            async with limit:
                return (await client.get(feed, params=_signed(page_no))).content
        return await asyncio.gather(*(one(p) for p in range(1, pages + 2)))


def baseline(engine: Engine, feed: str, offers: int) -> None:
    bodies = asyncio.run(_fetch_all(feed, -(-offers // PAGE_SIZE)))
    now = dt.datetime.now(dt.UTC)
    per_batch = get_settings().ingest_batch_size // PAGE_SIZE
    for start in range(0, len(bodies), per_batch):
        with session_scope(engine) as s:
            for body in bodies[start:start + per_batch]:
                load_page(s, body, now)


def _crawl(url: str, feed: str) -> float:
    start = time.perf_counter()
    result = scrapy_crawl("taobao", url, f"feed_url={feed}", f"page_size={PAGE_SIZE}",
                          timeout=3600)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    return elapsed


def bench_url(url: str, feed: str, offers: int, repeat: int) -> None:
    base_t, first_t, again_t = [], [], []
    for _ in range(repeat):
        engine = fresh_engine(url)
        start = time.perf_counter()
        baseline(engine, feed, offers)
        base_t.append(time.perf_counter() - start)
        engine.dispose()
        fresh_engine(url).dispose()
        first_t.append(_crawl(url, feed))
        again_t.append(_crawl(url, feed))
    b, f, a = (statistics.median(t) for t in (base_t, first_t, again_t))
    print(f"\n{make_engine(url).dialect.name}: {offers:,} offers end to end, "
          f"median of {repeat}")
    print(f"  baseline fetch + orjson + executemany, same rows {offers / b:>7,.0f} offers/s")
    print(f"  scrapy crawl taobao, first crawl              {offers / f:>9,.0f} offers/s   "
          f"ratio {b / f:.2f}× baseline (target ≥ 0.40)")
    print(f"  scrapy crawl taobao, unchanged re-crawl       {offers / a:>9,.0f} offers/s   "
          f"{f / a:.2f}× faster than first (target ≥ 2)")


def run(*, offers: int, repeat: int, urls: list[str]) -> None:
    print(f"== end-to-end crawl benchmark: sandbox → scrapy → ingest ({offers:,} offers) ==")
    with sandbox(seed=3, items=offers, bad_every=0) as base:
        feed = f"{base}/taobao/router/rest"
        for url in urls:
            bench_url(url, feed, offers, repeat)
