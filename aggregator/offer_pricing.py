"""The stored price columns of an offer: 券后价, honest discount, history facts, score.

One function serves ingest (a crawled record) and repricing (a coupon window opened or
closed), so both store the same thing for the same facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.history import (
    Observation,
    PriceFacts,
    first_facts,
    price_facts,
    real_discount_bp,
)
from aggregator.models import PriceObservation
from aggregator.pricing import CouponLike, best_coupon, discount_bp, next_change
from aggregator.scoring import deal_score


def facts_of(offer: Any) -> PriceFacts:
    """The history facts stored on an offer row."""
    return PriceFacts(ref_price=offer.ref_price, prior_low_30d=offer.prior_low_30d,
                      prior_low_all=offer.prior_low_all,
                      price_dropped_at=offer.price_dropped_at,
                      list_price_inflated=bool(offer.list_price_inflated))


def histories(session: Session, offer_ids: Iterable[int]) -> dict[int, list[Observation]]:
    """Each offer's observations, oldest first."""
    ids = list(offer_ids)
    found: dict[int, list[Observation]] = defaultdict(list)
    if not ids:
        return found
    rows = session.execute(
        select(PriceObservation.offer_id, PriceObservation.observed_at,
               PriceObservation.price, PriceObservation.final_price)
        .where(PriceObservation.offer_id.in_(ids))
        .order_by(PriceObservation.offer_id, PriceObservation.observed_at, PriceObservation.id))
    for offer_id, at, price, final in rows:
        found[offer_id].append(Observation(at=at, price=price, final_price=final))
    return found


def priced(*, price: int, list_price: int | None, coupons: Sequence[CouponLike], sales: int,
           in_stock: bool, now: datetime, reliability_bp: int,
           history: Sequence[Observation] | None = None, previous: PriceFacts | None = None,
           listed_at: datetime | None = None) -> dict[str, Any]:
    """Column values for an offer priced at ``now``; ``history`` None means a new offer."""
    coupon, final = best_coupon(coupons, price, now)
    if history is None or previous is None:
        facts = first_facts(price=price, list_price=list_price)
    else:
        facts = price_facts(history=history, price=price, final_price=final,
                            list_price=list_price, previous=previous, now=now)
    since = facts.price_dropped_at or listed_at or now
    depth = real_discount_bp(price=price, final_price=final, ref_price=facts.ref_price)
    return {
        "final_price": final,
        "final_price_until": next_change(coupons, now),
        "discount_bp": depth,
        "score": deal_score(
            discount_bp=depth, coupon_bp=discount_bp(price, final) if coupon else 0,
            sales=sales, in_stock=in_stock, reliability_bp=reliability_bp,
            fresh_days=(now - since).total_seconds() / 86400),
        "ref_price": facts.ref_price, "prior_low_30d": facts.prior_low_30d,
        "prior_low_all": facts.prior_low_all, "price_dropped_at": facts.price_dropped_at,
        "list_price_inflated": facts.list_price_inflated,
    }


def observation(offer_id: int, *, currency: str, price: int, final_price: int, now: datetime,
                run_id: int | None) -> dict[str, Any]:
    return {"offer_id": offer_id, "observed_at": now, "currency": currency, "price": price,
            "final_price": final_price, "run_id": run_id}

