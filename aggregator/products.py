"""Products: the thing many offers point at.

Every new offer gets its own product for now; cross-partner matching (GTIN, brand +
model, careful fuzzy titles) plugs in here without changing ingest.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from aggregator.bulk import insert_ids
from aggregator.models import Product
from aggregator.records import OfferRecord


def products_for_new_offers(session: Session, *, records: Sequence[OfferRecord],
                            now: datetime) -> list[int]:
    """One product id per record, in order."""
    params = [{"title": r.title, "brand": r.brand, "category": r.category,
               "image_url": r.image_url, "gtin": r.gtin, "created_at": now, "updated_at": now}
              for r in records]
    return insert_ids(session, Product, params)
