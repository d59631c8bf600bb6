"""kill -9 of a real multi-worker server under load loses no click whose 302 was received
(a smaller run of the redirect benchmark's crash check; no timing is asserted)."""

from __future__ import annotations

from sqlalchemy import Engine

from tests.benchmarks.redirect_crash import crash_check
from tests.benchmarks.redirect_data import seed_link


def test_kill_9_under_load_loses_no_answered_click(committed: Engine,
                                                   database_url: str) -> None:
    link_id = seed_link(committed, code="CRASH1", url="https://uland.taobao.com/crash")
    result = crash_check(committed, database_url, code="CRASH1", link_id=link_id,
                         workers=2, connections=32, kill_after=300)
    print(result.summary())  # shown with -s
    assert result.received >= 300
    assert result.killed >= 3  # the master and both workers
    assert result.stored >= result.received, result.summary()
