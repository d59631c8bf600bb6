from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base, BigIntPK


class FeedState(Base):
    """HTTP validators of a file feed after its last complete crawl (conditional GET)."""

    __tablename__ = "feed_states"
    __table_args__ = (UniqueConstraint("partner_id", "url"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    url: Mapped[str] = mapped_column(String(1000))
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime]
