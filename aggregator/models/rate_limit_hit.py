from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base


class RateLimitHit(Base):
    """Attempts per key (a hashed e-mail or address) per fixed window, shared by every
    web worker: N workers on M hosts count as one."""

    __tablename__ = "rate_limit_hits"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
