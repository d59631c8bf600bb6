from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base, BigIntPK
from aggregator.timeutil import utcnow


class Click(Base):
    """One visit of /go/{code}, stored before the redirect is answered. Its id is the
    sub-id the network reports back on the order. Bots and repeats are flagged, never
    dropped. No raw address: a keyed hash is enough to find repeats and fraud."""

    __tablename__ = "clicks"
    # repeats: the same address and browser on the same link within an hour
    __table_args__ = (Index("ix_clicks_share_link_id_ip_hash_created_at", "share_link_id",
                            "ip_hash", "created_at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    share_link_id: Mapped[int] = mapped_column(ForeignKey("share_links.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ip_hash: Mapped[str] = mapped_column(String(64), index=True)
    user_agent: Mapped[str] = mapped_column(String(500), default="")
    # None: a human as far as we can tell; else why not (bot, head, preview, duplicate)
    flag: Mapped[str | None] = mapped_column(String(20))
