from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base, BigIntPK
from aggregator.timeutil import utcnow


class Conversion(Base):
    """One partner order line that carried one of our sub-ids (or none: unattributed).

    ``status`` is the latest state the network reported (pending, confirmed, reversed);
    ``status_at`` is the network's own time of that state, so a report older than what is
    stored never moves the order backwards.
    """

    __tablename__ = "conversions"
    __table_args__ = (UniqueConstraint("partner_id", "order_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    order_id: Mapped[str] = mapped_column(String(100))
    sub_id: Mapped[str | None] = mapped_column(String(100))
    click_id: Mapped[int | None] = mapped_column(ForeignKey("clicks.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # sharer
    title: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20))  # pending | confirmed | reversed
    currency: Mapped[str] = mapped_column(String(3))
    order_amount: Mapped[int]  # minor units
    commission_amount: Mapped[int]  # minor units: what the network pays us
    occurred_at: Mapped[datetime]  # order time
    status_at: Mapped[datetime]  # the network's time of the current status
    confirmed_at: Mapped[datetime | None]  # when we learned it was settled: hold starts
    released_at: Mapped[datetime | None]  # shares moved pending -> available
    source: Mapped[str] = mapped_column(String(20))  # sync | postback
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)
