"""Ingest throughput: Taobao pages → parser → batched idempotent ingest, against a baseline.

Baseline, measured in the same run on the same bytes: tests.benchmarks.baseline, which
writes the same rows into the same (freshly migrated) tables with orjson and one
executemany per table, in transactions of the same size, and nothing else.
Reported as medians of ``repeat`` runs, with the ratio (targets: ingest ≥ 0.4× baseline;
an unchanged re-ingest ≥ 2× faster than the first).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

import orjson
import psycopg
from sqlalchemy import Engine

from aggregator import migrate
from aggregator.db import make_engine, session_scope
from aggregator.ingest import ingest_offers, refresh_statistics
from aggregator.models import Partner
from aggregator.records import OfferRecord
from aggregator.settings import get_settings
from crawlers.parsers.taobao import parse_material_page
from crawlers.sandbox.catalog import taobao_items
from tests.benchmarks.baseline import load_page
from tests.conftest import truncate_all

PAGE = 100
BATCH = get_settings().ingest_batch_size  # what the crawl pipeline writes per transaction
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BASE = "https://eco.taobao.com/router/rest"


def make_pages(offers: int) -> list[bytes]:
    rows = taobao_items(seed=1, size=offers, today=dt.date(2026, 11, 23), bad_every=0)
    for row in rows:
        for key in ("pict_url", "url", "coupon_share_url"):
            if isinstance(row.get(key), str):
                row[key] = row[key].replace("{host}", "img.alicdn.com")
    return [orjson.dumps({"tbk_dg_material_optional_response": {"total_results": offers,
             "result_list": {"map_data": rows[i:i + PAGE]}}}) for i in range(0, offers, PAGE)]


def fresh_engine(url: str) -> Engine:
    engine = make_engine(url)
    migrate.upgrade(engine)
    truncate_all(engine)
    with session_scope(engine) as s:
        s.add(Partner(slug="taobao", network="taobao", name="t", currency="CNY"))
    return engine


def ingest_all(engine: Engine, pages: list[bytes], now: dt.datetime) -> None:
    buffer: list[OfferRecord] = []

    new = 0
    analyze_at = 2000

    def flush() -> None:  # what crawlers.pipelines.IngestPipeline does per batch
        nonlocal new, analyze_at
        with session_scope(engine) as s:
            partner = s.query(Partner).one()
            new += ingest_offers(s, partner=partner, records=buffer, now=now).new
            if new >= analyze_at:
                refresh_statistics(s)
                analyze_at *= 4
        buffer.clear()

    for body in pages:
        page = parse_material_page(orjson.loads(body), partner="taobao", base_url=BASE)
        buffer += [r for r in page.records if isinstance(r, OfferRecord)]
        if len(buffer) >= BATCH:
            flush()
    if buffer:
        flush()


def baseline(engine: Engine, pages: list[bytes], now: dt.datetime) -> None:
    for start in range(0, len(pages), BATCH // PAGE):
        with session_scope(engine) as s:
            for body in pages[start:start + BATCH // PAGE]:
                load_page(s, body, now)


def timed(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_url(url: str, pages: list[bytes], offers: int, repeat: int) -> None:
    now = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    base_t, first_t, again_t = [], [], []
    for _ in range(repeat):
        engine = fresh_engine(url)
        base_t.append(timed(lambda e=engine: baseline(e, pages, now)))
        truncate_all(engine)
        with session_scope(engine) as s:
            s.add(Partner(slug="taobao", network="taobao", name="t", currency="CNY"))
        first_t.append(timed(lambda e=engine: ingest_all(e, pages, now)))
        again_t.append(timed(lambda e=engine: ingest_all(e, pages, now)))
        engine.dispose()
    b, f, a = (statistics.median(t) for t in (base_t, first_t, again_t))
    name = make_engine(url).dialect.name
    print(f"\n{name}: {offers:,} offers, median of {repeat}")
    print(f"  baseline orjson + executemany   {offers / b:>10,.0f} rows/s")
    print(f"  ingest, first crawl             {offers / f:>10,.0f} rows/s   "
          f"ratio {b / f:.2f}× baseline (target ≥ 0.40)")
    print(f"  ingest, unchanged re-crawl      {offers / a:>10,.0f} rows/s   "
          f"{f / a:.2f}× faster than first (target ≥ 2)")


def pg_reachable() -> bool:
    try:
        psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def run(*, offers: int, repeat: int, urls: list[str]) -> None:
    print("== ingest benchmark (parser + batched idempotent ingest, in process) ==")
    pages = make_pages(offers)
    print(f"{len(pages)} pages, {sum(map(len, pages)) / 1e6:.1f} MB of Taobao JSON")
    for url in urls:
        bench_url(url, pages, offers, repeat)
        truncate_all(make_engine(url))
