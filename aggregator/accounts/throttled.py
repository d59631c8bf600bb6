"""The rate-limited entry points: log in, ask for a reset link, sign up.

Each attempt is counted before any password is hashed, so a flood of guesses costs the
site one upsert each, not one argon2 hash each. Callers must commit the counts even
when the attempt fails (the web routes return a response rather than raise).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from aggregator.accounts import ratelimit
from aggregator.accounts.errors import TooManyAttempts
from aggregator.accounts.users import authenticate
from aggregator.accounts.validation import lookup_email
from aggregator.models import User


def _check(session: Session, *, checks: list[tuple[ratelimit.Limit, str]],
           now: datetime) -> None:
    verdict = ratelimit.hit_all(session, checks=checks, now=now)
    if not verdict.allowed:
        raise TooManyAttempts(verdict.retry_after)


def log_in(session: Session, *, email: str, password: str, address: str,
           now: datetime) -> User:
    """authenticate(), counted per e-mail and per client address.

    Raises TooManyAttempts, AuthenticationError or AccountError (disabled account).
    A success forgets the e-mail's failures: its owner's typos do not add up.
    """
    subject = lookup_email(email)
    _check(session, checks=[(ratelimit.LOGIN_PER_EMAIL, subject),
                            (ratelimit.LOGIN_PER_ADDRESS, address)], now=now)
    user = authenticate(session, email=subject, password=password)
    ratelimit.clear(session, limit=ratelimit.LOGIN_PER_EMAIL, subject=subject)
    return user


def allow_reset_request(session: Session, *, email: str, address: str,
                        now: datetime) -> None:
    """Count a reset-link request; raises TooManyAttempts."""
    _check(session, checks=[(ratelimit.RESET_PER_EMAIL, lookup_email(email)),
                            (ratelimit.RESET_PER_ADDRESS, address)], now=now)


def allow_registration(session: Session, *, address: str, now: datetime) -> None:
    """Count a sign-up attempt from ``address``; raises TooManyAttempts."""
    _check(session, checks=[(ratelimit.REGISTER_PER_ADDRESS, address)], now=now)
