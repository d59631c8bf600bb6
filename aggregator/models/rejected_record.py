from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base, BigIntPK
from aggregator.timeutil import utcnow


class RejectedRecord(Base):
    """A partner record that could not be normalized, kept verbatim for review."""

    __tablename__ = "rejected_records"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(191))
    reason: Mapped[str] = mapped_column(String(500))
    raw: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
