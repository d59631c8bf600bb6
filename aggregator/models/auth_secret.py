from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base
from aggregator.timeutil import utcnow


class AuthSecret(Base):
    """A bearer secret held by a user's browser or app, stored only as its SHA-256:
    a login session cookie, an API token, or a one-time password-reset link."""

    __tablename__ = "auth_secrets"

    secret_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # session | api_token | password_reset
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str | None] = mapped_column(String(64))  # sessions only
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]  # reset links work once; sessions: last seen
