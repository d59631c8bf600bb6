from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base, BigIntPK
from aggregator.timeutil import utcnow


class CrawlRun(Base):
    """One crawl of one partner: created queued, updated by the crawl process as it goes."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    spider: Mapped[str] = mapped_column(String(60))
    # queued -> running -> finished | partial | failed
    status: Mapped[str] = mapped_column(String(20), index=True, default="queued")
    trigger: Mapped[str] = mapped_column(String(20), default="manual")
    feed_url: Mapped[str | None] = mapped_column(String(2000))
    pid: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    expected_items: Mapped[int | None]
    pages: Mapped[int] = mapped_column(default=0)
    items: Mapped[int] = mapped_column(default=0)
    new: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    retired: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)
    finish_reason: Mapped[str | None] = mapped_column(String(100))
    message: Mapped[str | None] = mapped_column(Text)
    stats: Mapped[dict[str, Any] | None]
