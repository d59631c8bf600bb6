"""Builders for aggregator tests: typed records with sensible defaults, and row counts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aggregator.models import Coupon, Merchant, Offer, PriceObservation, Product
from aggregator.records import CouponRecord, OfferRecord


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def coupon(external_id: str = "c1", **fields: Any) -> CouponRecord:
    values: dict[str, Any] = {"kind": "amount_off", "currency": "CNY", "title": "满0减10",
                              "amount": 1000}
    values.update(fields)
    return CouponRecord(external_id=external_id, **values)


def offer(external_id: str = "1001", **fields: Any) -> OfferRecord:
    values: dict[str, Any] = {
        "partner": "taobao", "title": f"商品 {external_id}",
        "url": f"https://item.taobao.com/item.htm?id={external_id}",
        "currency": "CNY", "price": 10000, "shop_id": "shop-1", "shop_name": "小店",
        "platform": "淘宝", "sales": 100, "raw": {"item_id": external_id},
    }
    values.update(fields)
    return OfferRecord(external_id=external_id, **values)


COUNTED = {"offers": Offer, "products": Product, "merchants": Merchant, "coupons": Coupon,
           "observations": PriceObservation}


def counts(session: Session) -> dict[str, int]:
    return {name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in COUNTED.items()}


def fresh(session: Session) -> None:
    """Forget loaded rows: bulk statements do not refresh objects already in the session."""
    session.flush()
    session.expire_all()


def offer_row(session: Session, external_id: str) -> Offer:
    fresh(session)
    row = session.scalar(select(Offer).where(Offer.external_id == external_id))
    assert row is not None, external_id
    return row


def observations(session: Session, offer_id: int) -> list[tuple[int, int]]:
    """(price, final_price) of an offer's observations, oldest first."""
    rows = session.execute(
        select(PriceObservation.price, PriceObservation.final_price)
        .where(PriceObservation.offer_id == offer_id)
        .order_by(PriceObservation.observed_at, PriceObservation.id)
    ).all()
    return [(price, final) for price, final in rows]


def coupons_of(session: Session, offer_id: int) -> dict[str, Coupon]:
    """All coupon rows of an offer, retired ones included, by external id."""
    fresh(session)
    rows = session.scalars(select(Coupon).where(Coupon.offer_id == offer_id))
    return {c.external_id: c for c in rows}
