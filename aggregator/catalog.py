"""Read side of the catalog: offer listings with keyset pages, and product detail.

Stored ``final_price`` orders listings by index; the price shown is recomputed from
the offer's coupons at read time, so an expired coupon never lowers a shown price.
"""

from __future__ import annotations

import base64
import binascii
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

import orjson
from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from aggregator.badges import Badge, badges
from aggregator.catalog_walk import after, by_category_price, mergeable, ordering, walk
from aggregator.category_counts import node_counts
from aggregator.history import real_discount_bp
from aggregator.models import Coupon, Merchant, Offer, Partner, PriceObservation, Product
from aggregator.pricing import END_GRACE, best_coupon, is_active
from aggregator.search import parse_query
from aggregator.search.query import Few, Many, plan
from aggregator.taxonomy import load_taxonomy

Sort = Literal["score", "price", "final_price", "discount", "newest", "sales"]
# sort name -> (column, descending)
_SORTS: dict[str, tuple[Any, bool]] = {
    "score": (Offer.score, True),
    "price": (Offer.price, False),
    "final_price": (Offer.final_price, False),
    "discount": (Offer.discount_bp, True),
    "newest": (Offer.first_seen_at, True),
    "sales": (Offer.sales, True),
}
SORTS: tuple[str, ...] = tuple(_SORTS)
MAX_LIMIT = 100
BIGINT_MAX = 2**63 - 1


class CursorError(ValueError):
    """A cursor that was not made by this sort, or was tampered with."""


@dataclass(frozen=True)
class OfferFilters:
    q: str | None = None
    partner: str | None = None
    category: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    has_coupon: bool | None = None
    taxonomy_id: int | None = None  # a category node: its whole subtree (aggregator.taxonomy)
    merchant_id: int | None = None
    min_discount_bp: int | None = None  # real discount against the 30-day reference
    sort: Sort = "score"
    limit: int = 24
    cursor: str | None = None


@dataclass
class OfferView:
    offer: Offer
    partner: str
    shop: str | None
    platform: str | None
    coupon: Coupon | None
    final_price: int
    coupons: list[Coupon] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)
    real_discount_bp: int = 0  # against the 30-day reference (aggregator.history)
    # The product this offer belongs to, across partners: live offers, partners selling
    # it, and the best stored final price among them.
    offer_count: int = 1
    partner_count: int = 1
    best_final_price: int | None = None


@dataclass
class Page:
    items: list[OfferView]
    next_cursor: str | None


@dataclass
class ProductView:
    product: Product
    offers: list[OfferView]
    price_history: list[dict[str, Any]]
    lowest_30d: int | None
    currency: str | None


def encode_cursor(sort: str, value: Any, offer_id: int) -> str:
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = orjson.dumps([sort, value, offer_id])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(sort: str, cursor: str) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, value, offer_id = orjson.loads(raw)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise CursorError("malformed cursor") from exc
    if name != sort or not _bigint(offer_id) or offer_id < 0:
        raise CursorError("cursor belongs to another sort")
    if sort == "newest":
        try:
            value = datetime.fromisoformat(value)
        except (TypeError, ValueError) as exc:
            raise CursorError("malformed cursor") from exc
        if value.tzinfo is None:
            raise CursorError("cursor time has no timezone")
    elif not _bigint(value):
        raise CursorError("malformed cursor")
    return value, offer_id


def _bigint(value: object) -> bool:
    """An int the database can compare with (a tampered cursor could overflow BIGINT)."""
    return type(value) is int and -BIGINT_MAX - 1 <= value <= BIGINT_MAX


def coupon_active_clause(now: datetime) -> Any:
    """SQL for "usable now": listed, inside its window, not exhausted (as pricing.is_active)."""
    return and_(
        Coupon.retired_at.is_(None),
        or_(Coupon.starts_at.is_(None), Coupon.starts_at <= now),
        or_(Coupon.ends_at.is_(None), Coupon.ends_at > now - END_GRACE),
        or_(Coupon.remaining.is_(None), Coupon.remaining > 0),
    )


def _offer_coupon_applies(now: datetime) -> Any:
    return and_(Coupon.offer_id == Offer.id, coupon_active_clause(now),
                Coupon.min_spend <= Offer.price)


def _filtered(session: Session, f: OfferFilters, now: datetime,
              found: Few | Many | None, nodes: list[int] | None) -> Select[Any]:
    """Every filter but a common search's (``Many``: the caller walks its hits); the
    category as ``nodes`` (None: none, or the caller merges the category's nodes)."""
    stmt = select(Offer).where(Offer.retired_at.is_(None))
    if isinstance(found, Few):
        stmt = stmt.where(found.clause())
    if f.partner:
        stmt = stmt.join(Partner, Partner.id == Offer.partner_id).where(Partner.slug == f.partner)
    if f.category:
        stmt = stmt.where(Offer.category == f.category)
    if nodes is not None:
        stmt = stmt.where(_in_category(session, f, nodes))
    if f.merchant_id is not None:
        stmt = stmt.where(Offer.merchant_id == f.merchant_id)
    if f.min_discount_bp:
        stmt = stmt.where(Offer.discount_bp >= f.min_discount_bp)
    if f.min_price is not None:
        stmt = stmt.where(Offer.final_price >= f.min_price)
    if f.max_price is not None:
        stmt = stmt.where(Offer.final_price <= f.max_price)
    if f.has_coupon is not None:
        clause = exists().where(_offer_coupon_applies(now))
        stmt = stmt.where(clause if f.has_coupon else ~clause)
    return stmt


def _in_category(session: Session, f: OfferFilters, nodes: list[int]) -> Any:
    """A broad category is read by walking the sort index and skipping other offers
    (about page size / category share rows); a narrow one through the category index,
    then sorted (its size). ``+ 0`` keeps the planner off the category index."""
    counts = node_counts(session)
    size = counts.subtree(nodes)
    walk_rows = f.limit * counts.total / max(size, 1)
    column = Offer.taxonomy_id + 0 if walk_rows < size else Offer.taxonomy_id
    return column.in_(nodes)


def list_offers(session: Session, *, filters: OfferFilters, now: datetime) -> Page:
    """One keyset page of live offers. Raises CursorError for a bad cursor."""
    column, desc = _SORTS[filters.sort]
    limit = max(1, min(filters.limit, MAX_LIMIT))
    query = parse_query(filters.q)
    found = plan(session, query) if query is not None else None
    nodes = (load_taxonomy().descendants(filters.taxonomy_id)
             if filters.taxonomy_id is not None else None)
    # A category by price: each node's cheapest, merged (aggregator.catalog_walk).
    merged = (nodes if nodes is not None and filters.sort == "final_price"
              and not isinstance(found, Many) and mergeable(nodes) else None)
    stmt = _filtered(session, filters, now, found, None if merged else nodes)
    if filters.cursor:
        stmt = stmt.where(after(column, desc, *decode_cursor(filters.sort, filters.cursor)))
    if isinstance(found, Many):
        offers = walk(session, stmt, column=column, desc=desc, want=limit + 1, found=found)
    elif merged is not None:
        offers = by_category_price(session, stmt, nodes=merged, want=limit + 1)
    else:
        offers = list(session.scalars(stmt.order_by(*ordering(column, desc)).limit(limit + 1)))
    more = len(offers) > limit
    offers = offers[:limit]
    views = offer_views(session, offers=offers, now=now)
    next_cursor = None
    if more and offers:
        last = offers[-1]
        next_cursor = encode_cursor(filters.sort, getattr(last, column.key), last.id)
    return Page(items=views, next_cursor=next_cursor)


def offer_views(session: Session, *, offers: Sequence[Offer], now: datetime) -> list[OfferView]:
    """Attach partner, shop and the coupon valid now; three queries for any page size."""
    if not offers:
        return []
    ids = [o.id for o in offers]
    coupons: dict[int, list[Coupon]] = defaultdict(list)
    for coupon in session.scalars(
        select(Coupon).where(Coupon.offer_id.in_(ids), Coupon.retired_at.is_(None))
    ):
        coupons[coupon.offer_id or 0].append(coupon)
    slugs = dict(session.execute(
        select(Partner.id, Partner.slug).where(Partner.id.in_({o.partner_id for o in offers}))
    ).all())
    merchant_ids = {o.merchant_id for o in offers if o.merchant_id}
    shops = {m.id: m for m in session.scalars(
        select(Merchant).where(Merchant.id.in_(merchant_ids)))} if merchant_ids else {}
    siblings = _product_summaries(session, {o.product_id for o in offers})
    views = []
    for o in offers:
        best, final = best_coupon(coupons[o.id], o.price, now)
        shop = shops.get(o.merchant_id or 0)
        count, partners, best_final = siblings.get(o.product_id, (1, 1, final))
        views.append(OfferView(
            offer=o, partner=slugs[o.partner_id], shop=shop.name if shop else None,
            platform=shop.platform if shop else None, coupon=best, final_price=final,
            coupons=[c for c in coupons[o.id] if is_active(c, now)],
            badges=badges(final_price=final, prior_low_30d=o.prior_low_30d,
                          prior_low_all=o.prior_low_all, price_dropped_at=o.price_dropped_at,
                          coupon_ends_at=best.ends_at + END_GRACE if best and best.ends_at
                          else None,
                          list_price_inflated=o.list_price_inflated, now=now),
            real_discount_bp=real_discount_bp(price=o.price, final_price=final,
                                              ref_price=o.ref_price),
            offer_count=count, partner_count=partners, best_final_price=best_final,
        ))
    return views


def _product_summaries(session: Session,
                       product_ids: set[int]) -> dict[int, tuple[int, int, int]]:
    """product id → (live offers, partners, lowest stored final price), one query a page."""
    rows = session.execute(
        select(Offer.product_id, func.count(), func.count(Offer.partner_id.distinct()),
               func.min(Offer.final_price))
        .where(Offer.product_id.in_(product_ids), Offer.retired_at.is_(None))
        .group_by(Offer.product_id)
    ).all()
    return {pid: (count, partners, low) for pid, count, partners, low in rows}


def get_offer(session: Session, *, offer_id: int, now: datetime) -> OfferView | None:
    offer = session.get(Offer, offer_id)
    return offer_views(session, offers=[offer], now=now)[0] if offer else None


def get_product(session: Session, *, product_id: int, now: datetime) -> ProductView | None:
    """A product with its live offers (best 券后价 first), price history and 30-day low."""
    product = session.get(Product, product_id)
    if product is None:
        return None
    offers = list(session.scalars(
        select(Offer).where(Offer.product_id == product_id, Offer.retired_at.is_(None))
    ))
    views = sorted(offer_views(session, offers=offers, now=now),
                   key=lambda v: (v.final_price, v.offer.id))
    history = _price_history(session, offers=offers)
    currency = views[0].offer.currency if views else None
    since = now - timedelta(days=30)
    # The 30-day low is in the currency of the best offer: yuan and pounds do not compare.
    same = [h for h in history if h["currency"] == currency]
    recent = [h["final_price"] for h in same if h["at"] >= since]
    # Each offer's price in force at the window's start counts too: it held in the window.
    in_force: dict[int, int] = {}
    for h in same:
        if h["at"] < since:
            in_force[h["offer_id"]] = h["final_price"]
    recent += list(in_force.values()) + [v.final_price for v in views
                                          if v.offer.currency == currency]
    return ProductView(
        product=product, offers=views, price_history=history,
        lowest_30d=min(recent) if recent else None, currency=currency,
    )


def _price_history(session: Session, *, offers: Sequence[Offer]) -> list[dict[str, Any]]:
    if not offers:
        return []
    slugs = dict(session.execute(select(Partner.id, Partner.slug)).all())
    partner_of = {o.id: slugs[o.partner_id] for o in offers}
    rows = session.scalars(
        select(PriceObservation)
        .where(PriceObservation.offer_id.in_(partner_of))
        .order_by(PriceObservation.observed_at, PriceObservation.id)
    )
    return [{"at": r.observed_at, "offer_id": r.offer_id, "partner": partner_of[r.offer_id],
             "price": r.price,
             "final_price": r.final_price, "currency": r.currency} for r in rows]


def categories(session: Session) -> list[tuple[str, int]]:
    """Categories of live offers with their counts, largest first."""
    rows = session.execute(
        select(Offer.category, func.count())
        .where(Offer.retired_at.is_(None), Offer.category.is_not(None))
        .group_by(Offer.category).order_by(func.count().desc())
    ).all()
    return [(name, count) for name, count in rows if name is not None]
