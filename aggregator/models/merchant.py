from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base, BigIntPK


class Merchant(Base):
    """A shop or advertiser as one partner names it (Taobao seller, Awin advertiser)."""

    __tablename__ = "merchants"
    __table_args__ = (UniqueConstraint("partner_id", "external_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    external_id: Mapped[str] = mapped_column(String(191))
    name: Mapped[str] = mapped_column(String(255))
    # Marketplace the shop sells on, e.g. 淘宝 or 天猫 for Taobao Union.
    platform: Mapped[str | None] = mapped_column(String(40))
