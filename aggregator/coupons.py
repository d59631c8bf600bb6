"""Read side of coupons: offer coupons and merchant-wide vouchers, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from aggregator.catalog import MAX_LIMIT, coupon_active_clause, decode_cursor, encode_cursor
from aggregator.models import Coupon, Merchant, Partner

_SORT = "coupons"  # cursors are keyed to the listing they came from


@dataclass
class CouponView:
    coupon: Coupon
    partner: str
    merchant: str | None


@dataclass
class CouponPage:
    items: list[CouponView]
    next_cursor: str | None


def list_coupons(session: Session, *, now: datetime, partner: str | None = None,
                 merchant: str | None = None, merchant_id: int | None = None,
                 active: bool | None = None,
                 vouchers_only: bool = False, limit: int = 50,
                 cursor: str | None = None) -> CouponPage:
    """Keyset page of listed coupons; ``merchant`` matches a shop's name or partner id."""
    stmt = (select(Coupon, Partner.slug, Merchant.name)
            .join(Partner, Partner.id == Coupon.partner_id)
            .outerjoin(Merchant, Merchant.id == Coupon.merchant_id)
            .where(Coupon.retired_at.is_(None)))
    if partner:
        stmt = stmt.where(Partner.slug == partner)
    if merchant:
        stmt = stmt.where(or_(Merchant.name == merchant, Merchant.external_id == merchant))
    if merchant_id is not None:
        stmt = stmt.where(Coupon.merchant_id == merchant_id)
    if active is not None:
        stmt = stmt.where(coupon_active_clause(now) if active else ~coupon_active_clause(now))
    if vouchers_only:
        stmt = stmt.where(Coupon.offer_id.is_(None))
    if cursor:
        _, last_id = decode_cursor(_SORT, cursor)
        stmt = stmt.where(Coupon.id < last_id)
    limit = max(1, min(limit, MAX_LIMIT))
    rows = session.execute(stmt.order_by(Coupon.id.desc()).limit(limit + 1)).all()
    items = [CouponView(coupon=c, partner=slug, merchant=name) for c, slug, name in rows[:limit]]
    more = len(rows) > limit
    return CouponPage(items=items,
                      next_cursor=encode_cursor(_SORT, 0, items[-1].coupon.id) if more else None)


@dataclass
class MerchantView:
    merchant: Merchant
    partner: str


def get_merchant(session: Session, *, merchant_id: int) -> MerchantView | None:
    row = session.execute(select(Merchant, Partner.slug)
                          .join(Partner, Partner.id == Merchant.partner_id)
                          .where(Merchant.id == merchant_id)).first()
    return MerchantView(merchant=row[0], partner=row[1]) if row else None
