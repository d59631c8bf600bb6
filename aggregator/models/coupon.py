from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base, BigIntPK


class Coupon(Base):
    """An offer-level coupon or a merchant-wide voucher, with its validity window in UTC.

    A shop-wide coupon (店铺券) is listed on each of the shop's offers under one external
    id, so an offer-level coupon is identified by (partner, offer, external id).
    """

    __tablename__ = "coupons"
    __table_args__ = (UniqueConstraint("partner_id", "offer_id", "external_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    external_id: Mapped[str] = mapped_column(String(191))
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"), index=True)
    merchant_id: Mapped[int | None] = mapped_column(ForeignKey("merchants.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # amount_off | percent_off | free_shipping
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int | None] = mapped_column(BigInteger)
    percent_bp: Mapped[int | None]
    min_spend: Mapped[int] = mapped_column(BigInteger, default=0)
    code: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None] = mapped_column(index=True)
    remaining: Mapped[int | None]
    total: Mapped[int | None]
    raw: Mapped[dict[str, Any]] = mapped_column(deferred=True)  # read only when asked for
    updated_at: Mapped[datetime]
    # Set when the partner stops listing the coupon; kept for history, never applied.
    retired_at: Mapped[datetime | None]
