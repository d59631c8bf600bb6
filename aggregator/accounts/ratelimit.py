"""Fixed-window attempt counters in the database, shared by every web worker.

Each attempt adds one to the row of (key, current window) with a single upsert, so
concurrent workers never lose a count. Keys are keyed hashes of e-mails and client
addresses: the table holds neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from aggregator.accounts.secret_store import keyed_hash
from aggregator.db import upsert
from aggregator.models import RateLimitHit

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
KEEP_WINDOWS = timedelta(days=1)  # purge_windows drops rows older than this


@dataclass(frozen=True)
class Limit:
    name: str  # part of the key: one counter per limit and subject
    max_attempts: int
    window: timedelta


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window that refused ends; 0 when allowed


# Per address: one visitor trying many accounts. Per e-mail: many machines trying one
# account. Fifteen minutes keeps an attacker to ~1000 guesses a day per account while
# a person who mistypes a few times is never stopped.
LOGIN_PER_EMAIL = Limit("login-email", 10, timedelta(minutes=15))
LOGIN_PER_ADDRESS = Limit("login-addr", 30, timedelta(minutes=15))
# Reset mails go to someone's inbox: a few an hour is plenty and keeps the site from
# being used to flood a mailbox.
RESET_PER_EMAIL = Limit("reset-email", 3, timedelta(hours=1))
RESET_PER_ADDRESS = Limit("reset-addr", 10, timedelta(hours=1))
REGISTER_PER_ADDRESS = Limit("register-addr", 20, timedelta(hours=1))


def window_start(window: timedelta, now: datetime) -> datetime:
    seconds = int(window.total_seconds())
    elapsed = int((now - EPOCH).total_seconds())
    return EPOCH + timedelta(seconds=elapsed - elapsed % seconds)


def counter_key(limit: Limit, subject: str) -> str:
    # name + ":" + 64 hex digits fits rate_limit_hits.key (100).
    return f"{limit.name}:{keyed_hash('rate-limit', subject)}"


def _increment(session: Session, *, key: str, start: datetime) -> int:
    stmt = upsert(session, RateLimitHit).values(key=key, window_start=start, count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[RateLimitHit.key, RateLimitHit.window_start],
        set_={"count": RateLimitHit.count + 1},
    )
    return int(session.execute(stmt.returning(RateLimitHit.count)).scalar_one())


def hit(session: Session, *, limit: Limit, subject: str, now: datetime) -> Verdict:
    """Count one attempt by ``subject`` (an e-mail, an address) and judge it."""
    start = window_start(limit.window, now)
    key = counter_key(limit, subject)
    count = _increment(session, key=key, start=start)
    # The key's past windows are dead weight: drop them while we are here.
    session.execute(delete(RateLimitHit).where(RateLimitHit.key == key,
                                               RateLimitHit.window_start < start))
    if count <= limit.max_attempts:
        return Verdict(allowed=True, retry_after=0)
    retry = start + limit.window - now
    return Verdict(allowed=False, retry_after=max(1, int(retry.total_seconds() + 0.999)))


def hit_all(session: Session, *, checks: list[tuple[Limit, str]], now: datetime) -> Verdict:
    """Count the attempt under every (limit, subject); refused if any refuses.

    Every counter counts even when an earlier one refuses, so a refused attacker's
    attempts still add up under the other keys.
    """
    verdicts = [hit(session, limit=limit, subject=subject, now=now)
                for limit, subject in checks]
    refused = [v.retry_after for v in verdicts if not v.allowed]
    return Verdict(allowed=not refused, retry_after=max(refused, default=0))


def clear(session: Session, *, limit: Limit, subject: str) -> None:
    """Forget ``subject``'s attempts (its owner just proved who they are)."""
    session.execute(delete(RateLimitHit).where(RateLimitHit.key == counter_key(limit, subject)))


def purge_windows(session: Session, *, now: datetime) -> int:
    """Delete windows over a day old (a periodic job; ``hit`` ignores them anyway)."""
    result = session.execute(delete(RateLimitHit).where(
        RateLimitHit.window_start < now - KEEP_WINDOWS))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
