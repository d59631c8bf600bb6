from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base, BigIntPK
from aggregator.timeutil import utcnow


class ShareLink(Base):
    """A sharer's short code for one offer (or one offer's coupon): /s/{code}, /go/{code}."""

    __tablename__ = "share_links"
    __table_args__ = (UniqueConstraint("user_id", "offer_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
