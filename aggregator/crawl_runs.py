"""Crawl-run rows: one per crawl, created before the crawl process starts, updated by it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session

from aggregator.models import CrawlRun, Partner
from aggregator.timeutil import utcnow

FINAL_STATUSES = frozenset({"finished", "partial", "failed", "cancelled"})
COUNTERS = ("pages", "items", "new", "updated", "unchanged", "retired", "rejected", "errors")


def create_run(
    session: Session, *, partner_id: int, spider: str, trigger: str = "manual",
    feed_url: str | None = None,
) -> CrawlRun:
    run = CrawlRun(partner_id=partner_id, spider=spider, trigger=trigger, feed_url=feed_url)
    session.add(run)
    session.flush()
    return run


def mark_started(session: Session, *, run_id: int, pid: int, feed_url: str | None) -> None:
    now = utcnow()
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.id == run_id)
        .values(status="running", pid=pid, started_at=now, heartbeat_at=now, feed_url=feed_url)
    )


def add_counts(session: Session, *, run_id: int, expected_items: int | None = None,
               **deltas: int) -> None:
    """Add to a run's counters in one statement (safe against lost updates)."""
    unknown = set(deltas) - set(COUNTERS)
    if unknown:
        raise ValueError(f"unknown run counters: {sorted(unknown)}")
    values: dict[str, object] = {
        name: getattr(CrawlRun, name) + delta for name, delta in deltas.items() if delta
    }
    values["heartbeat_at"] = utcnow()
    if expected_items is not None:
        values["expected_items"] = expected_items
    session.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(**values))


def finish_run(session: Session, *, run_id: int, status: str, finish_reason: str,
               message: str | None = None, stats: Mapping[str, object] | None = None) -> None:
    if status not in FINAL_STATUSES:
        raise ValueError(f"not a final status: {status!r}")
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.id == run_id)
        .values(status=status, finish_reason=finish_reason, message=message,
                stats=dict(stats) if stats is not None else None, finished_at=utcnow())
    )
    if status == "finished":
        _update_reliability(session, run_id)


def reliability_bp(*, items: int, rejected: int) -> int | None:
    """Share of a crawl's records that were valid, in basis points (None: nothing seen).

    ``items`` counts every record the crawl read, rejected ones included.
    """
    if items <= 0:
        return None
    return max(0, items - rejected) * 10000 // items


def _update_reliability(session: Session, run_id: int) -> None:
    """A partner is as reliable as its last finished crawl (the deal score reads it)."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        return
    session.refresh(run)
    share = reliability_bp(items=run.items, rejected=run.rejected)
    if share is not None:
        session.execute(update(Partner).where(Partner.id == run.partner_id)
                        .values(reliability_bp=share))


def fail_abandoned_runs(session: Session, *, now: datetime,
                        silent_for: timedelta = timedelta(minutes=10)) -> int:
    """Runs whose process died without finishing (kill -9, a lost machine) go to failed.

    A live crawl refreshes heartbeat_at on every batch and at least every second or so;
    one silent for ``silent_for`` is gone. Whatever it committed stays: each batch is
    its own transaction, and nothing was retired because the run never completed.
    """
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(CrawlRun)
        .where(CrawlRun.status == "running", CrawlRun.heartbeat_at < now - silent_for)
        .values(status="failed", finish_reason="abandoned", finished_at=now,
                message="crawl process stopped reporting; its committed batches are kept")
    )
    return result.rowcount
