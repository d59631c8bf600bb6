"""Crawl-run rows: created queued, started, counted, finished."""

from __future__ import annotations

from datetime import datetime
from types import MappingProxyType

import pytest
from sqlalchemy.orm import Session

from aggregator.crawl_runs import (
    COUNTERS,
    FINAL_STATUSES,
    add_counts,
    create_run,
    finish_run,
    mark_started,
)
from aggregator.models import CrawlRun, Partner
from aggregator.timeutil import utcnow
from tests.aggregator.factories import fresh


def reload(session: Session, run_id: int) -> CrawlRun:
    fresh(session)
    run = session.get(CrawlRun, run_id)
    assert run is not None
    return run


def totals(run: CrawlRun) -> dict[str, int]:
    return {name: getattr(run, name) for name in COUNTERS}


def test_create_run(session: Session, partner: Partner) -> None:
    before = utcnow()
    run = create_run(session, partner_id=partner.id, spider="taobao")
    other = create_run(session, partner_id=partner.id, spider="taobao", trigger="schedule",
                       feed_url="http://127.0.0.1:8900/taobao/router/rest")
    assert run.id is not None and other.id != run.id
    row = reload(session, run.id)
    assert (row.partner_id, row.spider, row.status, row.trigger, row.feed_url, row.pid) == (
        partner.id, "taobao", "queued", "manual", None, None)
    assert before <= row.created_at <= utcnow()
    assert (row.started_at, row.finished_at, row.heartbeat_at, row.expected_items) == (
        None, None, None, None)
    assert totals(row) == dict.fromkeys(COUNTERS, 0)
    second = reload(session, other.id)
    assert (second.trigger, second.feed_url) == ("schedule",
                                                 "http://127.0.0.1:8900/taobao/router/rest")


def test_mark_started(session: Session, partner: Partner) -> None:
    run = create_run(session, partner_id=partner.id, spider="taobao")
    before = utcnow()
    mark_started(session, run_id=run.id, pid=4242, feed_url="file:///feeds/taobao.json")
    row = reload(session, run.id)
    assert (row.status, row.pid, row.feed_url) == ("running", 4242, "file:///feeds/taobao.json")
    assert row.started_at is not None and before <= row.started_at <= utcnow()
    assert row.heartbeat_at == row.started_at


# a sequence of add_counts calls → the totals they add up to
COUNT_CASES: list[tuple[list[dict[str, int]], dict[str, int]]] = [
    ([], {}),
    ([{"pages": 1}], {"pages": 1}),
    ([{"pages": 1, "items": 40, "new": 40}, {"pages": 1, "items": 40, "new": 10,
                                             "unchanged": 30}],
     {"pages": 2, "items": 80, "new": 50, "unchanged": 30}),
    ([{"rejected": 2}, {"rejected": 3}, {"errors": 1}, {"rejected": 0}],
     {"rejected": 5, "errors": 1}),
    ([dict.fromkeys(COUNTERS, 1)] * 3, dict.fromkeys(COUNTERS, 3)),
    ([{"updated": 5}, {"updated": -2}], {"updated": 3}),
]


@pytest.mark.parametrize(("calls", "expected"), COUNT_CASES)
def test_add_counts_adds_up(session: Session, partner: Partner, calls: list[dict[str, int]],
                            expected: dict[str, int]) -> None:
    run = create_run(session, partner_id=partner.id, spider="taobao")
    for deltas in calls:
        add_counts(session, run_id=run.id, **deltas)
    row = reload(session, run.id)
    assert totals(row) == {**dict.fromkeys(COUNTERS, 0), **expected}
    if calls:
        assert row.heartbeat_at is not None


def test_add_counts_sets_expected_items(session: Session, partner: Partner) -> None:
    run = create_run(session, partner_id=partner.id, spider="taobao")
    add_counts(session, run_id=run.id, expected_items=1200, pages=1)
    add_counts(session, run_id=run.id, items=7)
    row = reload(session, run.id)
    assert (row.expected_items, row.pages, row.items) == (1200, 1, 7)


@pytest.mark.parametrize("deltas", [{"bogus": 1}, {"pages": 1, "clicks": 2}, {"status": 1},
                                    {"expected": 3}])
def test_add_counts_rejects_unknown_counters(session: Session, partner: Partner,
                                             deltas: dict[str, int]) -> None:
    run = create_run(session, partner_id=partner.id, spider="taobao")
    with pytest.raises(ValueError, match="unknown run counters"):
        add_counts(session, run_id=run.id, **deltas)
    row = reload(session, run.id)
    assert totals(row) == dict.fromkeys(COUNTERS, 0)  # nothing was half-applied
    assert row.heartbeat_at is None


@pytest.mark.parametrize("status", sorted(FINAL_STATUSES))
def test_finish_run(session: Session, partner: Partner, status: str) -> None:
    run = create_run(session, partner_id=partner.id, spider="taobao")
    before = utcnow()
    stats = MappingProxyType({"downloader/request_count": 12, "elapsed": 1.5})
    finish_run(session, run_id=run.id, status=status, finish_reason="finished",
               message="done", stats=stats)
    row = reload(session, run.id)
    assert (row.status, row.finish_reason, row.message) == (status, "finished", "done")
    assert row.stats == {"downloader/request_count": 12, "elapsed": 1.5}
    assert isinstance(row.finished_at, datetime) and before <= row.finished_at <= utcnow()


def test_finish_run_without_stats(session: Session, partner: Partner) -> None:
    run = create_run(session, partner_id=partner.id, spider="taobao")
    finish_run(session, run_id=run.id, status="failed", finish_reason="api_error")
    row = reload(session, run.id)
    assert (row.status, row.finish_reason, row.message, row.stats) == (
        "failed", "api_error", None, None)


@pytest.mark.parametrize("status", ["queued", "running", "done", "FINISHED", ""])
def test_finish_run_rejects_a_status_that_is_not_final(session: Session, partner: Partner,
                                                       status: str) -> None:
    run = create_run(session, partner_id=partner.id, spider="taobao")
    with pytest.raises(ValueError, match="not a final status"):
        finish_run(session, run_id=run.id, status=status, finish_reason="x")
    row = reload(session, run.id)
    assert (row.status, row.finished_at) == ("queued", None)


def test_final_statuses() -> None:
    assert frozenset({"finished", "partial", "failed", "cancelled"}) == FINAL_STATUSES
