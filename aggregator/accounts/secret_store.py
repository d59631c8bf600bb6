"""Random bearer secrets stored only as their SHA-256 (auth_secrets).

The secret itself goes to the browser or app once; the database never holds it, so a
leaked copy of the table opens no session, token or reset link.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from aggregator.models import AuthSecret, User
from aggregator.settings import get_settings

SESSION = "session"
API_TOKEN = "api_token"  # noqa: S105 - a kind name, not a secret
PASSWORD_RESET = "password_reset"  # noqa: S105 - a kind name
SECRET_BYTES = 32  # 256 bits: guessing is hopeless, so an unsalted SHA-256 is enough


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(SECRET_BYTES)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 under the site's secret key: e-mails and IPs are guessable, so a plain
    hash of them would be no disguise."""
    key = get_settings().secret_key.get_secret_value().encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def store_secret(session: Session, *, user: User, kind: str, now: datetime,
                 lifetime: timedelta, prefix: str = "",
                 csrf_token: str | None = None) -> tuple[str, AuthSecret]:
    """A new secret of ``kind`` for ``user``: returns the secret and its row."""
    secret = new_secret(prefix)
    row = AuthSecret(secret_hash=secret_hash(secret), kind=kind, user_id=user.id,
                     csrf_token=csrf_token, created_at=now, expires_at=now + lifetime)
    session.add(row)
    session.flush()
    return secret, row


def find_secret(session: Session, *, secret: str | None, kind: str,
                now: datetime) -> tuple[AuthSecret, User] | None:
    """The live secret of ``kind`` and its active user, or None.

    Expired, used (reset links) and disabled users' secrets all answer None.
    """
    if not secret or len(secret) > 200:
        return None
    row = session.execute(
        select(AuthSecret, User).join(User, User.id == AuthSecret.user_id)
        .where(AuthSecret.secret_hash == secret_hash(secret), AuthSecret.kind == kind)
    ).first()
    if row is None:
        return None
    found, user = row
    if found.expires_at <= now or not user.is_active:
        return None
    if kind == PASSWORD_RESET and found.used_at is not None:
        return None
    return found, user


def delete_secret(session: Session, *, secret: str | None, kind: str) -> int:
    if not secret:
        return 0
    result = session.execute(delete(AuthSecret).where(
        AuthSecret.secret_hash == secret_hash(secret), AuthSecret.kind == kind))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def delete_user_secrets(session: Session, *, user_id: int, kinds: tuple[str, ...]) -> int:
    result = session.execute(delete(AuthSecret).where(
        AuthSecret.user_id == user_id, AuthSecret.kind.in_(kinds)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def purge_expired_secrets(session: Session, *, now: datetime) -> int:
    """Delete every expired secret (a periodic job; lookups ignore them anyway)."""
    result = session.execute(delete(AuthSecret).where(AuthSecret.expires_at <= now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
