"""Login sessions: one random secret per login, held in an HttpOnly cookie.

Every login makes a new secret (rotation) and deletes the session the browser held
before, so a session id planted in a browser before login is worthless after it.
Each session carries its CSRF token, derived from its secret under the site key: a page
can put the token in a form from the cookie alone, and a site without that key cannot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from aggregator.accounts import secret_store
from aggregator.accounts.secret_store import SESSION
from aggregator.models import AuthSecret, User
from aggregator.settings import get_settings

# "Last seen" is written at most this often: not a write per page view.
TOUCH_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class NewSession:
    secret: str  # the cookie value; never stored
    csrf_token: str
    expires_at: datetime


def csrf_token_for(secret: str) -> str:
    return secret_store.keyed_hash("session-csrf", secret)


def start_session(session: Session, *, user: User, now: datetime,
                  previous_secret: str | None = None) -> NewSession:
    """Log ``user`` in: the browser's previous session (``previous_secret``, whoever's it
    was) ends, and a session with a new secret begins. The caller sets the cookie."""
    secret_store.delete_secret(session, secret=previous_secret, kind=SESSION)
    # Each login prunes the user's dead sessions: the table stays small with no job.
    session.execute(delete(AuthSecret).where(
        AuthSecret.user_id == user.id, AuthSecret.kind == SESSION, AuthSecret.expires_at <= now))
    secret = secret_store.new_secret()
    csrf = csrf_token_for(secret)
    lifetime = timedelta(days=get_settings().session_days)
    session.add(AuthSecret(secret_hash=secret_store.secret_hash(secret), kind=SESSION,
                           user_id=user.id, csrf_token=csrf, created_at=now,
                           expires_at=now + lifetime, used_at=now))
    user.last_login_at = now
    session.flush()
    return NewSession(secret=secret, csrf_token=csrf, expires_at=now + lifetime)


def resolve_session(session: Session, *, secret: str | None,
                    now: datetime) -> tuple[AuthSecret, User] | None:
    """The live session behind a cookie value and its active user, or None."""
    found = secret_store.find_secret(session, secret=secret, kind=SESSION, now=now)
    if found is not None:
        row, _user = found
        if row.used_at is None or now - row.used_at >= TOUCH_EVERY:
            row.used_at = now
    return found


def end_session(session: Session, *, secret: str | None) -> bool:
    """Log out: the session behind ``secret`` no longer exists."""
    return secret_store.delete_secret(session, secret=secret, kind=SESSION) > 0


def end_all_sessions(session: Session, *, user_id: int) -> int:
    """Every browser of the user logged out (after a password change)."""
    return secret_store.delete_user_secrets(session, user_id=user_id, kinds=(SESSION,))
