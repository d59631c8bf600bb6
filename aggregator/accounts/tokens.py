"""Bearer tokens for the JSON API (``Authorization: Bearer …``), stored hashed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from aggregator.accounts import secret_store
from aggregator.accounts.secret_store import API_TOKEN
from aggregator.models import User
from aggregator.settings import get_settings

# A recognisable prefix lets secret scanners (and people) tell a leaked token at a glance.
TOKEN_PREFIX = "dg_"  # noqa: S105 - a public prefix


@dataclass(frozen=True)
class NewToken:
    token: str  # shown to the app once; never stored
    expires_at: datetime


def create_api_token(session: Session, *, user: User, now: datetime) -> NewToken:
    lifetime = timedelta(days=get_settings().api_token_days)
    token, row = secret_store.store_secret(session, user=user, kind=API_TOKEN, now=now,
                                           lifetime=lifetime, prefix=TOKEN_PREFIX)
    return NewToken(token=token, expires_at=row.expires_at)


def resolve_api_token(session: Session, *, token: str | None, now: datetime) -> User | None:
    """The active user holding ``token``, or None (unknown, expired or disabled)."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    found = secret_store.find_secret(session, secret=token, kind=API_TOKEN, now=now)
    return found[1] if found else None


def revoke_api_token(session: Session, *, token: str) -> bool:
    return secret_store.delete_secret(session, secret=token, kind=API_TOKEN) > 0
