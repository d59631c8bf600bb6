"""Response models of the JSON API (v1) and their construction from catalog views.

Money is integer minor units beside an ISO 4217 code; times are ISO 8601 UTC with ``Z``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, PlainSerializer

from aggregator.catalog import OfferView, ProductView
from aggregator.models import Coupon
from aggregator.timeutil import iso_z

# Serialised through iso_z so naive SQLite round-trips still come out as UTC with "Z".
UtcTime = Annotated[datetime, PlainSerializer(iso_z, return_type=str)]


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


class CouponOut(BaseModel):
    id: int
    partner: str
    merchant: str | None
    kind: str
    amount: int | None
    percent_bp: int | None
    min_spend: int
    code: str | None
    title: str
    starts_at: UtcTime | None
    ends_at: UtcTime | None
    remaining: int | None
    currency: str  # of amount and min_spend
    url: str | None

    @classmethod
    def build(cls, coupon: Coupon, *, partner: str, merchant: str | None) -> CouponOut:
        return cls(
            id=coupon.id, partner=partner, merchant=merchant, kind=coupon.kind,
            currency=coupon.currency, url=coupon.url,
            amount=coupon.amount, percent_bp=coupon.percent_bp, min_spend=coupon.min_spend,
            code=coupon.code, title=coupon.title, starts_at=coupon.starts_at,
            ends_at=coupon.ends_at, remaining=coupon.remaining,
        )


class OfferOut(BaseModel):
    id: int
    product_id: int
    partner: str
    external_id: str
    title: str
    brand: str | None
    shop: str | None
    category: str | None
    image_url: str | None
    url: str
    currency: str
    price: int
    list_price: int | None
    final_price: int
    coupon: CouponOut | None
    commission_bp: int | None
    sales: int
    in_stock: bool
    updated_at: UtcTime
    # Beyond DESIGN.md's fields: the honest discount (against the lowest price of the
    # previous 30 days), the badges it earns, and how many partners sell the product.
    real_discount_bp: int
    badges: list[str]
    partner_count: int

    @classmethod
    def build(cls, view: OfferView, *, page_url: str) -> OfferOut:
        """``page_url`` is the site's product page: the API links shoppers to us, not away."""
        o = view.offer
        coupon = (CouponOut.build(view.coupon, partner=view.partner, merchant=view.shop)
                  if view.coupon is not None else None)
        return cls(
            id=o.id, product_id=o.product_id, partner=view.partner, external_id=o.external_id,
            title=o.title, brand=o.brand, shop=view.shop, category=o.category,
            image_url=o.image_url, url=page_url, currency=o.currency, price=o.price,
            list_price=o.list_price, final_price=view.final_price, coupon=coupon,
            commission_bp=o.commission_bp, sales=o.sales, in_stock=o.in_stock,
            updated_at=o.updated_at, real_discount_bp=view.real_discount_bp,
            badges=list(view.badges), partner_count=view.partner_count,
        )


class CouponPage(BaseModel):
    items: list[CouponOut]
    next_cursor: str | None


class OfferPage(BaseModel):
    items: list[OfferOut]
    next_cursor: str | None


class PricePoint(BaseModel):
    at: UtcTime
    partner: str
    price: int
    final_price: int


class ProductOut(BaseModel):
    id: int
    title: str
    brand: str | None
    category: str | None
    image_url: str | None
    gtin: str | None
    currency: str | None
    offers: list[OfferOut]
    price_history: list[PricePoint]
    lowest_30d: int | None

    @classmethod
    def build(cls, view: ProductView, *, page_url: str) -> ProductOut:
        p = view.product
        return cls(
            id=p.id, title=p.title, brand=p.brand, category=p.category,
            image_url=p.image_url, gtin=p.gtin, currency=view.currency,
            offers=[OfferOut.build(o, page_url=page_url) for o in view.offers],
            price_history=[PricePoint(at=h["at"], partner=h["partner"], price=h["price"],
                                      final_price=h["final_price"])
                           for h in view.price_history],
            lowest_30d=view.lowest_30d,
        )
