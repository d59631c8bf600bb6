from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base, BigIntPK


class ProductPin(Base):
    """A person's decision that an offer belongs to a product (after a split or a merge).

    Matching never moves a pinned offer, so manual decisions survive re-crawls and
    rebuilds of the catalog.
    """

    __tablename__ = "product_pins"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    decision: Mapped[str] = mapped_column(String(10))  # "merge" | "split"
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
