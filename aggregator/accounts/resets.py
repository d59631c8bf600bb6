"""Password-reset links: one-time, expiring, stored hashed.

A request for an unknown address does the same work and answers the same way, so the
form never tells who has an account. Resetting logs every browser and app out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from aggregator.accounts import secret_store
from aggregator.accounts.errors import InvalidToken
from aggregator.accounts.secret_store import API_TOKEN, PASSWORD_RESET, SESSION
from aggregator.accounts.users import get_user_by_email, set_password
from aggregator.accounts.validation import check_password
from aggregator.models import AuthSecret, User
from aggregator.settings import get_settings


@dataclass(frozen=True)
class ResetRequest:
    user: User
    token: str  # goes into the mailed link; never stored
    expires_at: datetime


def request_password_reset(session: Session, *, email: str,
                           now: datetime) -> ResetRequest | None:
    """A reset token for the active account at ``email``; None when there is none."""
    user = get_user_by_email(session, email=email)
    if user is None or not user.is_active:
        return None
    lifetime = timedelta(minutes=get_settings().password_reset_minutes)
    token, row = secret_store.store_secret(session, user=user, kind=PASSWORD_RESET,
                                           now=now, lifetime=lifetime)
    return ResetRequest(user=user, token=token, expires_at=row.expires_at)


def check_reset_token(session: Session, *, token: str, now: datetime) -> User:
    """The user a live reset token belongs to; raises InvalidToken."""
    found = secret_store.find_secret(session, secret=token, kind=PASSWORD_RESET, now=now)
    if found is None:
        raise InvalidToken()
    return found[1]


def reset_password(session: Session, *, token: str, password: str, now: datetime) -> User:
    """Set a new password with a reset token, once.

    The token is spent by a conditional UPDATE, so two concurrent submissions of the
    same link cannot both succeed. Raises InvalidToken or AccountError (bad password).
    """
    user = check_reset_token(session, token=token, now=now)
    check_password(password, email=user.email)  # before spending the link on a bad password
    spent = session.execute(
        update(AuthSecret)
        .where(AuthSecret.secret_hash == secret_store.secret_hash(token),
               AuthSecret.kind == PASSWORD_RESET, AuthSecret.used_at.is_(None))
        .values(used_at=now))
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidToken()
    set_password(session, user=user, password=password)
    # Whoever knew the old password is logged out everywhere; other links die too.
    secret_store.delete_user_secrets(session, user_id=user.id,
                                     kinds=(SESSION, API_TOKEN, PASSWORD_RESET))
    return user
