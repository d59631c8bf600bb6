"""Rich progress for a crawl process, read from its run row."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from sqlalchemy import Engine

from aggregator.crawl_jobs import CrawlJob, settle_exited
from aggregator.crawl_runs import COUNTERS
from aggregator.db import session_scope
from aggregator.models import CrawlRun


def _snapshot(engine: Engine, run_id: int) -> CrawlRun:
    with session_scope(engine) as session:
        return session.get_one(CrawlRun, run_id)


def follow_crawl(engine: Engine, job: CrawlJob, *, label: str, console: Console) -> CrawlRun:
    """Show pages, items, rejects and rate until the crawl process exits."""
    columns = (SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
               MofNCompleteColumn(), TextColumn("{task.fields[detail]}"), TimeElapsedColumn())
    started = time.monotonic()
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(label, total=None, detail="starting…")
        while True:
            done = job.process.poll() is not None
            run = _snapshot(engine, job.run_id)
            rate = run.items / max(time.monotonic() - started, 1e-6)
            progress.update(
                task, completed=run.items, total=run.expected_items or None,
                detail=f"pages {run.pages} · rejects {run.rejected} · {rate:,.0f} items/s",
            )
            if done:
                break
            time.sleep(0.25)
    settle_exited(engine, job)
    return _snapshot(engine, job.run_id)


def summary_table(runs: list[tuple[str, CrawlRun]]) -> Table:
    table = Table(title="Crawl summary")
    table.add_column("partner")
    table.add_column("run", justify="right")
    table.add_column("status")
    for name in COUNTERS:
        table.add_column(name, justify="right")
    table.add_column("seconds", justify="right")
    for label, run in runs:
        colour = {"finished": "green", "partial": "yellow"}.get(run.status, "red")
        seconds = ((run.finished_at - run.started_at).total_seconds()
                   if run.finished_at and run.started_at else 0.0)
        table.add_row(label, str(run.id), f"[{colour}]{run.status}[/]",
                      *(str(getattr(run, name)) for name in COUNTERS), f"{seconds:.1f}")
    return table
