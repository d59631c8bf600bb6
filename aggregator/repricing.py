"""Keep stored final prices honest as coupon windows open and close.

Ingest stores ``final_price_until``: the next moment a coupon of the offer starts or
ends. This job recomputes exactly the offers whose moment has passed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.bulk import insert_rows, update_by_id
from aggregator.models import Coupon, Offer, PriceObservation
from aggregator.pricing import best_coupon, discount_bp, next_change
from aggregator.scoring import deal_score


def refresh_due_offers(session: Session, *, now: datetime, batch: int = 1000) -> int:
    """Recompute final prices whose coupon window changed; returns offers updated."""
    offers = list(session.scalars(
        select(Offer).where(Offer.final_price_until <= now, Offer.retired_at.is_(None))
        .limit(batch)
    ))
    if not offers:
        return 0
    coupons: dict[int, list[Coupon]] = defaultdict(list)
    for c in session.scalars(select(Coupon).where(
            Coupon.offer_id.in_([o.id for o in offers]), Coupon.retired_at.is_(None))):
        coupons[c.offer_id or 0].append(c)
    updates, observations = [], []
    for o in offers:
        best, final = best_coupon(coupons[o.id], o.price, now)
        depth = discount_bp(o.price, final)
        updates.append({
            "id": o.id, "final_price": final, "discount_bp": depth,
            "final_price_until": next_change(coupons[o.id], now),
            "score": deal_score(discount_bp=depth, has_coupon=best is not None,
                                sales=o.sales, in_stock=o.in_stock),
        })
        if final != o.final_price:
            observations.append({"offer_id": o.id, "observed_at": now, "currency": o.currency,
                                 "price": o.price, "final_price": final, "run_id": None})
    update_by_id(session, Offer, updates)
    insert_rows(session, PriceObservation, observations)
    return len(updates)
