from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base, BigIntPK

SORT_COLUMNS = ("final_price", "price", "discount_bp", "score", "sales", "first_seen_at",
                "price_dropped_at")
LIVE = text("retired_at IS NULL")


class Offer(Base):
    """One partner's listing of a product: price, link, commission, raw record.

    ``final_price``, ``discount_bp`` and ``score`` are stored so listings can sort by
    index; ``final_price_until`` says when a coupon window opens or closes and the
    stored price must be recomputed (see ``aggregator.repricing.refresh_due_offers``).
    """

    __tablename__ = "offers"
    __table_args__ = (
        UniqueConstraint("partner_id", "external_id"),
        # Listings walk these in order; only live offers are in them, so a walk reads the
        # index alone (no row look-up to skip retired offers: 20x fewer reads at 1M).
        *(Index(f"ix_offers_live_{column}_id", column, "id", sqlite_where=LIVE,
                postgresql_where=LIVE) for column in SORT_COLUMNS),
        # A category's live offers, cheapest first (a category page sorted by price)
        Index("ix_offers_live_taxonomy_id_final_price_id", "taxonomy_id", "final_price", "id",
              sqlite_where=LIVE, postgresql_where=LIVE),
        Index("ix_offers_search_pending", "id", sqlite_where=text("search_pending"),
              postgresql_where=text("search_pending")),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    external_id: Mapped[str] = mapped_column(String(191))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    merchant_id: Mapped[int | None] = mapped_column(ForeignKey("merchants.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    brand: Mapped[str | None] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(255))
    image_url: Mapped[str | None] = mapped_column(String(2000))
    url: Mapped[str] = mapped_column(String(2000))
    currency: Mapped[str] = mapped_column(String(3))
    price: Mapped[int] = mapped_column(BigInteger)
    list_price: Mapped[int | None] = mapped_column(BigInteger)
    final_price: Mapped[int] = mapped_column(BigInteger)
    final_price_until: Mapped[datetime | None] = mapped_column(index=True)
    discount_bp: Mapped[int] = mapped_column(default=0)
    score: Mapped[int] = mapped_column(default=0)
    commission_bp: Mapped[int | None]
    sales: Mapped[int] = mapped_column(default=0)  # recent sales as reported; 0 if unknown
    in_stock: Mapped[bool] = mapped_column(default=True)
    # Matching keys as the partner gave them (GTIN digits, manufacturer part number).
    gtin: Mapped[str | None] = mapped_column(String(14))
    mpn: Mapped[str | None] = mapped_column(String(70))
    taxonomy_id: Mapped[int | None]  # see aggregator.taxonomy
    # Set by ingest when an offer is new or changed; aggregator.search.index clears it.
    search_pending: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Honest pricing (aggregator.history): the lowest selling price in force during the
    # 30 days before the current price, and the lowest final prices seen before it.
    ref_price: Mapped[int | None] = mapped_column(BigInteger)
    prior_low_30d: Mapped[int | None] = mapped_column(BigInteger)
    prior_low_all: Mapped[int | None] = mapped_column(BigInteger)
    price_dropped_at: Mapped[datetime | None]
    list_price_inflated: Mapped[bool] = mapped_column(default=False, server_default=false())
    content_hash: Mapped[str] = mapped_column(String(32))
    raw: Mapped[dict[str, Any]] = mapped_column(deferred=True)  # read only when asked for
    first_seen_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # The run that last wrote this offer (unchanged re-crawls write nothing).
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    retired_at: Mapped[datetime | None]
