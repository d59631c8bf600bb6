"""Which product pages a sitemap lists: live products, in fixed id ranges.

Ranges of ``PER_FILE`` ids make each sitemap file one indexed range scan and keep its
URL stable as the catalog grows (a file only ever gains or loses its own products).
"""

from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from aggregator.models import Offer, Product

PER_FILE = 50_000  # the sitemaps.org limit of URLs per file


def sitemap_files(session: Session) -> int:
    """How many product sitemap files there are (the last one may be short)."""
    top = session.scalar(select(func.max(Product.id))) or 0
    return top // PER_FILE + 1


def product_ids(session: Session, *, file_no: int) -> list[int]:
    """Ids of live products (not merged away, with a live offer) in one file's range."""
    low, high = file_no * PER_FILE, (file_no + 1) * PER_FILE
    live_offer = exists().where(Offer.product_id == Product.id, Offer.retired_at.is_(None))
    return list(session.scalars(
        select(Product.id).where(Product.id >= low, Product.id < high,
                                 Product.merged_into_id.is_(None), live_offer)
        .order_by(Product.id)))
