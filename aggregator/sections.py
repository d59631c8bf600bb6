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


def _hot(session: Session, *, now: datetime, limit: int) -> list[Offer]:
    return list(session.scalars(select(Offer).where(*_live())
                                .order_by(Offer.score.desc(), Offer.id.desc()).limit(limit)))


def _dropped(session: Session, *, now: datetime, limit: int) -> list[Offer]:
    return list(session.scalars(
        select(Offer).where(*_live(), Offer.price_dropped_at > now - DROPPED_WITHIN)
        .order_by(Offer.price_dropped_at.desc(), Offer.id.desc()).limit(limit)))


def _ending(session: Session, *, now: datetime, limit: int) -> list[Offer]:
    """Offers with a coupon usable now that runs out within ENDS_WITHIN, soonest first
    (a few spare: the coupon must also be the offer's best one, see ``_with_coupon``)."""
    offer_ids = session.scalars(
        select(Coupon.offer_id)
        .where(Coupon.offer_id.is_not(None), coupon_active_clause(now),
               Coupon.ends_at > now, Coupon.ends_at <= now + ENDS_WITHIN)
        .order_by(Coupon.ends_at, Coupon.id).limit(limit * 3)).all()
    wanted = list(dict.fromkeys(offer_ids))
    offers = {o.id: o for o in session.scalars(
        select(Offer).where(Offer.id.in_(wanted), *_live()))}
    return [offers[i] for i in wanted if i in offers]


def _with_coupon(views: list[OfferView], limit: int) -> list[OfferView]:
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
    """Every shelf, their offers' coupons, partners and products read once for all."""
    picked = [pick(session, now=now, limit=SHELF) for pick in (_hot, _dropped, _ending)]
    unique = list({o.id: o for offers in picked for o in offers}.values())
    views = {v.offer.id: v for v in offer_views(session, offers=unique, now=now)}
    hot, dropped, ending = ([views[o.id] for o in offers] for offers in picked)
    return Shelves(hot=hot, dropped=dropped, ending=_with_coupon(ending, SHELF),
                   categories=top_categories(session))
