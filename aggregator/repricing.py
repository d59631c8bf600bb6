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
from aggregator.models import Coupon, Offer, Partner, PriceObservation
from aggregator.offer_pricing import facts_of, histories, observation, priced


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
    reliability = dict(session.execute(select(Partner.id, Partner.reliability_bp)).all())
    past = histories(session, (o.id for o in offers))
    updates, observations = [], []
    for o in offers:
        values = priced(price=o.price, list_price=o.list_price, coupons=coupons[o.id],
                        sales=o.sales, in_stock=o.in_stock, now=now,
                        reliability_bp=reliability[o.partner_id], history=past[o.id],
                        previous=facts_of(o), listed_at=o.first_seen_at)
        updates.append({"id": o.id, **values})
        if values["final_price"] != o.final_price:
            observations.append(observation(o.id, currency=o.currency, price=o.price,
                                            final_price=values["final_price"], now=now,
                                            run_id=None))
    update_by_id(session, Offer, updates)
    insert_rows(session, PriceObservation, observations)
    return len(updates)
