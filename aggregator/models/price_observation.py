from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base, BigIntPK


class PriceObservation(Base):
    """A change in an offer's price or final price, recorded when it was seen."""

    __tablename__ = "price_observations"
    __table_args__ = (
        Index("ix_price_observations_offer_id_observed_at", "offer_id", "observed_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"))
    observed_at: Mapped[datetime]
    currency: Mapped[str] = mapped_column(String(3))
    price: Mapped[int] = mapped_column(BigInteger)
    final_price: Mapped[int] = mapped_column(BigInteger)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
