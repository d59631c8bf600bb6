"""Fixed-window rate limits kept in the database: shared by every worker, keyed by
hashes, and what log_in / reset requests / sign-ups count."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from aggregator.accounts import (
    AuthenticationError,
    TooManyAttempts,
    allow_registration,
    allow_reset_request,
    log_in,
    ratelimit,
    register,
)
from aggregator.accounts.ratelimit import Limit, counter_key, hit, purge_windows, window_start
from aggregator.db import session_scope
from aggregator.models import RateLimitHit
from tests.conftest import FIXED_NOW

THREE = Limit("test", 3, timedelta(minutes=15))
PASSWORD = "correct horse battery"


@pytest.mark.parametrize(("now", "window", "start"), [
    (datetime(2026, 11, 23, 10, 7, 30, tzinfo=UTC), timedelta(minutes=15),
     datetime(2026, 11, 23, 10, 0, tzinfo=UTC)),
    (datetime(2026, 11, 23, 10, 15, tzinfo=UTC), timedelta(minutes=15),
     datetime(2026, 11, 23, 10, 15, tzinfo=UTC)),
    (datetime(2026, 11, 23, 10, 59, 59, 999, tzinfo=UTC), timedelta(hours=1),
     datetime(2026, 11, 23, 10, 0, tzinfo=UTC)),
])
def test_window_start(now: datetime, window: timedelta, start: datetime) -> None:
    assert window_start(window, now) == start


def test_fixed_window(session: Session) -> None:
    at = datetime(2026, 11, 23, 10, 5, tzinfo=UTC)
    verdicts = [hit(session, limit=THREE, subject="a", now=at) for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert verdicts[-1].retry_after == 600  # the window ends at 10:15
    assert hit(session, limit=THREE, subject="b", now=at).allowed  # other subjects are apart
    next_window = hit(session, limit=THREE, subject="a", now=at + timedelta(minutes=10))
    assert next_window.allowed
    # The old window of "a" was dropped when the new one began.
    rows = session.scalars(select(RateLimitHit).where(
        RateLimitHit.key == counter_key(THREE, "a"))).all()
    assert [(r.window_start.minute, r.count) for r in rows] == [(15, 1)]


def test_keys_are_keyed_hashes(session: Session) -> None:
    hit(session, limit=THREE, subject="someone@example.com", now=FIXED_NOW)
    hit(session, limit=THREE, subject="203.0.113.9", now=FIXED_NOW)
    keys = session.scalars(select(RateLimitHit.key)).all()
    assert len(keys) == 2
    assert all(k.startswith("test:") and len(k) == 69 for k in keys)
    assert not any("someone" in k or "203.0" in k for k in keys)


def test_purge_windows(session: Session) -> None:
    hit(session, limit=THREE, subject="old", now=FIXED_NOW - timedelta(days=2))
    hit(session, limit=THREE, subject="new", now=FIXED_NOW)
    assert purge_windows(session, now=FIXED_NOW) == 1


def test_log_in_counts_per_email_and_forgets_after_success(session: Session,
                                                           now: datetime) -> None:
    register(session, email="me@example.com", password=PASSWORD, now=now)
    for _ in range(ratelimit.LOGIN_PER_EMAIL.max_attempts - 1):
        with pytest.raises(AuthenticationError):
            log_in(session, email="me@example.com", password="wrong guess", address="a", now=now)
    log_in(session, email="ME@example.com", password=PASSWORD, address="a", now=now)
    # The success wiped the e-mail's count: a full allowance of typos again.
    for _ in range(ratelimit.LOGIN_PER_EMAIL.max_attempts):
        with pytest.raises(AuthenticationError):
            log_in(session, email="me@example.com", password="wrong guess", address="b", now=now)
    with pytest.raises(TooManyAttempts) as caught:
        log_in(session, email="me@example.com", password=PASSWORD, address="c", now=now)
    assert 0 < caught.value.retry_after <= 900


def test_log_in_counts_per_address(monkeypatch: pytest.MonkeyPatch, session: Session,
                                   now: datetime) -> None:
    monkeypatch.setattr(ratelimit, "LOGIN_PER_ADDRESS", THREE)
    for n in range(3):
        with pytest.raises(AuthenticationError):
            log_in(session, email=f"spray{n}@example.com", password="x", address="bot", now=now)
    with pytest.raises(TooManyAttempts):
        log_in(session, email="fresh@example.com", password="x", address="bot", now=now)
    with pytest.raises(AuthenticationError):  # another address is not held back
        log_in(session, email="fresh@example.com", password="x", address="human", now=now)


def test_reset_requests_and_sign_ups_are_limited(session: Session, now: datetime) -> None:
    for _ in range(ratelimit.RESET_PER_EMAIL.max_attempts):
        allow_reset_request(session, email="inbox@example.com", address="a", now=now)
    with pytest.raises(TooManyAttempts):
        allow_reset_request(session, email="INBOX@example.com", address="b", now=now)
    for _ in range(ratelimit.REGISTER_PER_ADDRESS.max_attempts):
        allow_registration(session, address="farm", now=now)
    with pytest.raises(TooManyAttempts):
        allow_registration(session, address="farm", now=now)


def test_concurrent_workers_count_as_one(committed: Engine) -> None:
    """Eight workers, each with its own connection, hit one key five times each."""
    limit = Limit("shared", 1000, timedelta(hours=1))

    def worker(_: int) -> None:
        for _ in range(5):
            with session_scope(committed) as session:
                hit(session, limit=limit, subject="one", now=FIXED_NOW)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(worker, range(8)))
    with session_scope(committed) as session:
        total = session.scalar(select(func.sum(RateLimitHit.count)))
        last = hit(session, limit=Limit("shared", 40, timedelta(hours=1)), subject="one",
                   now=FIXED_NOW)
    assert total == 40
    assert not last.allowed
