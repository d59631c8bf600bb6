from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base, BigIntPK
from aggregator.timeutil import utcnow


class Partner(Base):
    """An affiliate network account (one per slug in partners.toml). Secrets stay in config."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    network: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    currency: Mapped[str] = mapped_column(String(3))
    allowed_hosts: Mapped[list[str]] = mapped_column(JSON, default=list)
    enabled: Mapped[bool] = mapped_column(default=True)
    # Share of recent crawled records that were valid, in basis points (deal score input).
    reliability_bp: Mapped[int] = mapped_column(default=10000, server_default="10000")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
