"""The home page's shelves: hot deals, just dropped, coupons ending soon, categories.

Each shelf is one indexed query that stops after a few rows, whatever the catalog's
size. Category counts are shared between requests (aggregator.category_counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.catalog import OfferView, coupon_active_clause, offer_views
from aggregator.category_counts import node_counts
from aggregator.models import Coupon, Offer
from aggregator.taxonomy import load_taxonomy

SHELF = 8
DROPPED_WITHIN = timedelta(days=3)
ENDS_WITHIN = timedelta(hours=48)


@dataclass
class CategoryCount:
    taxonomy_id: int
    offers: int


@dataclass
class Shelves:
    hot: list[OfferView]
    dropped: list[OfferView]
    ending: list[OfferView]
    categories: list[CategoryCount]


def _live() -> list[object]:
    return [Offer.retired_at.is_(None), Offer.in_stock]


def hot_deals(session: Session, *, now: datetime, limit: int = SHELF) -> list[OfferView]:
    offers = session.scalars(select(Offer).where(*_live())
                             .order_by(Offer.score.desc(), Offer.id.desc()).limit(limit))
    return offer_views(session, offers=list(offers), now=now)


def just_dropped(session: Session, *, now: datetime, limit: int = SHELF) -> list[OfferView]:
    offers = session.scalars(
        select(Offer).where(*_live(), Offer.price_dropped_at > now - DROPPED_WITHIN)
        .order_by(Offer.price_dropped_at.desc(), Offer.id.desc()).limit(limit))
    return offer_views(session, offers=list(offers), now=now)


def coupons_ending(session: Session, *, now: datetime, limit: int = SHELF) -> list[OfferView]:
    """Offers whose coupon, usable now, runs out within ENDS_WITHIN, soonest first."""
    offer_ids = session.scalars(
        select(Coupon.offer_id)
        .where(Coupon.offer_id.is_not(None), coupon_active_clause(now),
               Coupon.ends_at > now, Coupon.ends_at <= now + ENDS_WITHIN)
        .order_by(Coupon.ends_at, Coupon.id).limit(limit * 3)).all()
    wanted = list(dict.fromkeys(offer_ids))
    offers = {o.id: o for o in session.scalars(
        select(Offer).where(Offer.id.in_(wanted), *_live()))}
    views = offer_views(session, offers=[offers[i] for i in wanted if i in offers], now=now)
    return [v for v in views if v.coupon is not None][:limit]


def top_categories(session: Session) -> list[CategoryCount]:
    """Top-level categories with their live offers (subtrees included), largest first."""
    taxonomy = load_taxonomy()
    totals: dict[int, int] = {}
    for node_id, count in node_counts(session).per_node.items():
        if node_id not in taxonomy.nodes:  # a node since removed from the taxonomy file
            continue
        top = taxonomy.top(node_id)
        totals[top] = totals.get(top, 0) + count
    return sorted((CategoryCount(t, n) for t, n in totals.items()),
                  key=lambda c: (-c.offers, c.taxonomy_id))


def shelves(session: Session, *, now: datetime) -> Shelves:
    return Shelves(hot=hot_deals(session, now=now), dropped=just_dropped(session, now=now),
                   ending=coupons_ending(session, now=now),
                   categories=top_categories(session))
