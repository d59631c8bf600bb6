"""/go/{code} under load (issue 6): the real app against a bare Starlette route answering
the same 302 with no work, then a kill -9 of the server mid-load.

Load: ``wrk -t1 -c64`` with a phone browser's User-Agent (so every click runs the full
path: flag checks, the duplicate query, the insert) against ``uvicorn web.app:app
--workers 2``; the baseline (tests.benchmarks.redirect_baseline) runs under the same
command and workers and answers the very Location the site answered first. The two
alternate run by run; each figure is the median of ``repeat`` runs after a warm-up, the
ratio the median of each run's site ÷ the baseline run right after it. The share of CPU
other processes took during the timed runs is printed with each table.

Every request of a run is one click, committed before its 302 (group commit: one
transaction per batch of concurrent clicks per worker); the clicks stored during the
timed runs are counted and must be at least the 302s wrk counted.

Targets: ratio ≥ 0.70, p99 < 20 ms; kill -9 under load: clicks stored ≥ 302s received.
"""

from __future__ import annotations

import statistics
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import httpx
import psycopg
from psycopg import sql
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from aggregator import migrate
from aggregator.db import make_engine
from tests.benchmarks import redirect_baseline
from tests.benchmarks.pages_baseline import NO_DATABASE
from tests.benchmarks.pages_load import (
    ForeignCpu,
    Load,
    Server,
    WrkRun,
    median_run,
    require_wrk,
    uvicorn,
    warm,
    wrk,
)
from tests.benchmarks.redirect_crash import crash_check
from tests.benchmarks.redirect_data import BROWSER, seed_link, stored_clicks
from tests.conftest import truncate_all

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_redirect"
CODE = "bench1"
PARTNER_URL = "https://uland.taobao.com/coupon/edetail?e=bench&pid=mm_1_2_3"
HEADERS = {"User-Agent": BROWSER}
RATIO_TARGET, P99_TARGET_MS = 0.70, 20.0
CRASH_KILL_AFTER = 2_000  # 302s received before the kill


@dataclass(frozen=True)
class Timed:
    site: WrkRun
    baseline: WrkRun
    ratio: float
    answered: int  # 302s wrk counted from the site in the timed runs
    stored: int  # clicks stored meanwhile


def default_urls(tmp: str) -> list[str]:
    """A temp SQLite file and, if the server answers, PostgreSQL's ``bench_redirect``
    (created when missing)."""
    urls = [f"sqlite:///{Path(tmp) / 'redirect.db'}"]
    url = make_url(PG_URL)
    name = url.database or "bench_redirect"
    try:
        with psycopg.connect(host=url.host, port=url.port, user=url.username,
                             dbname="postgres", connect_timeout=3, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            (name,)).fetchone() is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error:
        return urls
    return [*urls, PG_URL]


def prepare(url: str) -> tuple[Engine, int]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    truncate_all(engine)
    return engine, seed_link(engine, code=CODE, url=PARTNER_URL)


def location_of(server: Server) -> str:
    response = httpx.get(f"{server.base}/go/{CODE}", headers=HEADERS, timeout=30)
    location = response.headers.get("location", "")
    if response.status_code != 302 or not location.startswith(PARTNER_URL + "&"):
        raise RuntimeError(f"{server.base}/go/{CODE}: {response.status_code} → {location!r}")
    return location


def measure(engine: Engine, url: str, link_id: int, load: Load,
            repeat: int) -> tuple[Timed, ForeignCpu]:
    with uvicorn("web.app:app", workers=load.workers, health="/healthz",
                 env={"DAOGOU_DATABASE_URL": url}) as site:
        location = location_of(site)
        env = {redirect_baseline.LOCATION_ENV: location, "DAOGOU_DATABASE_URL": NO_DATABASE}
        with uvicorn("tests.benchmarks.redirect_baseline:create_app", factory=True,
                     workers=load.workers, health="/healthz", env=env) as baseline:
            if location_of(baseline) != location:
                raise RuntimeError("the baseline answers another Location")
            database = engine.url.database if engine.dialect.name == "postgresql" else None
            meter = ForeignCpu([site, baseline], database)
            for server in (site, baseline):
                warm(f"{server.base}/go/{CODE}", load, HEADERS)
            before = stored_clicks(engine, link_id)
            runs: tuple[list[WrkRun], list[WrkRun]] = ([], [])
            for _ in range(repeat):  # alternating, so both see the same machine
                for server, timed in zip((site, baseline), runs, strict=True):
                    go = f"{server.base}/go/{CODE}"
                    timed.append(meter.measure(partial(wrk, go, load, HEADERS)))
    stored = stored_clicks(engine, link_id) - before
    ratios = [a.rps / b.rps for a, b in zip(*runs, strict=True)]
    return Timed(median_run(runs[0]), median_run(runs[1]), statistics.median(ratios),
                 answered=sum(r.requests for r in runs[0]), stored=stored), meter


def print_result(t: Timed, meter: ForeignCpu) -> None:
    s, b = t.site, t.baseline
    ratio_ok = "" if t.ratio >= RATIO_TARGET else "  MISS"
    p99_ok = "" if s.p99_ms < P99_TARGET_MS else "  MISS"
    print(f"  {'':8} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} │ {'baseline':>8} {'p50 ms':>7} "
          f"{'p99 ms':>7} │ ratio (target ≥ {RATIO_TARGET:.2f})")
    print(f"  {'/go':8} {s.rps:>8,.0f} {s.p50_ms:>7.1f} {s.p99_ms:>7.1f} │ {b.rps:>8,.0f} "
          f"{b.p50_ms:>7.1f} {b.p99_ms:>7.1f} │ {t.ratio:5.2f}{ratio_ok}")
    print(f"  p99 {s.p99_ms:.1f} ms (target < {P99_TARGET_MS:.0f} ms){p99_ok}")
    lost = "" if t.stored >= t.answered else "  LOST CLICKS"
    print(f"  clicks stored during the timed runs {t.stored:,}; 302s wrk received "
          f"{t.answered:,}{lost}")
    print(f"  other processes on this machine took {statistics.median(meter.shares):.0%} of "
          f"its CPU during a timed run (median; the busiest run {max(meter.shares):.0%})")


def run(*, urls: list[str], load: Load, repeat: int) -> None:
    require_wrk()
    print(f"\n== /go/{{code}} under wrk -t{load.threads} -c{load.connections} (a phone's "
          f"User-Agent), {load.seconds:g}s runs, median of {repeat}; uvicorn --workers "
          f"{load.workers}; baseline: a bare Starlette route answering the same 302 ==")
    for url in urls:
        engine, link_id = prepare(url)
        print(f"\n{engine.dialect.name}")
        timed, meter = measure(engine, url, link_id, load, repeat)
        print_result(timed, meter)
        crash = crash_check(engine, url, code=CODE, link_id=link_id, workers=load.workers,
                            connections=load.connections, kill_after=CRASH_KILL_AFTER)
        print(f"  kill -9 under load (-c{load.connections}): {crash.summary()}")
        engine.dispose()


def main() -> None:  # python -m tests.benchmarks.redirect: this benchmark alone
    with tempfile.TemporaryDirectory() as tmp:
        run(urls=default_urls(tmp), load=Load(connections=64), repeat=3)


if __name__ == "__main__":
    main()
