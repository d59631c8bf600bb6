from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base, BigIntPK
from aggregator.timeutil import utcnow


class Product(Base):
    """One real-world product; many partners' offers may point at it."""

    __tablename__ = "products"
    __table_args__ = (Index("ix_products_brand_key_model_key", "brand_key", "model_key"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    brand: Mapped[str | None] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(255))
    image_url: Mapped[str | None] = mapped_column(String(2000))
    gtin: Mapped[str | None] = mapped_column(String(14), index=True)  # GTIN-14
    # Matching keys of the offer that founded the product (aggregator.matching.keys).
    brand_key: Mapped[str | None] = mapped_column(String(120))
    model_key: Mapped[str | None] = mapped_column(String(120))
    variant: Mapped[str | None] = mapped_column(String(255))
    block_key: Mapped[str | None] = mapped_column(String(32), index=True)
    title_key: Mapped[str | None] = mapped_column(String(500))
    taxonomy_id: Mapped[int | None]
    # A product created by a crawl and not yet matched by title (aggregator.matching.store
    # match_pending): ingest only matches by GTIN, so crawls stay fast.
    match_pending: Mapped[bool] = mapped_column(default=False, server_default=false(),
                                                index=True)
    # Set when a merge folded this product into another: its URL redirects there.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
