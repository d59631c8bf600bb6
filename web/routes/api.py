"""JSON API v1: offer listing and product detail. Queries live in aggregator.catalog."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from aggregator import catalog, coupons
from aggregator.catalog import MAX_LIMIT, OfferFilters, Sort, get_product
from aggregator.settings import get_settings
from web.deps import NowDep, SessionDep
from web.schemas import CouponOut, CouponPage, ErrorResponse, OfferOut, OfferPage, ProductOut
from web.urls import MAX_ID, product_page_url

router = APIRouter(prefix="/api/v1", tags=["api"])

# PostgreSQL rejects NUL inside strings; refuse it as a validation error, not a 500.
NoNul = r"^[^\x00]*$"
Text = Annotated[str | None, Query(max_length=200, pattern=NoNul)]
Minor = Annotated[int | None, Query(ge=0, le=MAX_ID, description="minor units (fen, cents)")]
_ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorResponse}, 404: {"model": ErrorResponse}, 422: {"model": ErrorResponse},
}


@router.get("/offers", response_model=OfferPage, responses=_ERRORS)
def list_offers(
    request: Request, session: SessionDep, now: NowDep,
    q: Text = None, partner: Text = None, category: Text = None,
    min_price: Minor = None, max_price: Minor = None, has_coupon: bool | None = None,
    sort: Sort = "score",
    limit: Annotated[int | None, Query(ge=1, le=MAX_LIMIT)] = None,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
) -> OfferPage:
    filters = OfferFilters(q=q, partner=partner, category=category, min_price=min_price,
                           max_price=max_price, has_coupon=has_coupon, sort=sort,
                           limit=limit or get_settings().page_size, cursor=cursor or None)
    page = catalog.list_offers(session, filters=filters, now=now)
    items = [OfferOut.build(v, page_url=product_page_url(request, v.offer.product_id))
             for v in page.items]
    return OfferPage(items=items, next_cursor=page.next_cursor)


@router.get("/products/{product_id:int}", response_model=ProductOut, responses=_ERRORS)
def product_detail(request: Request, product_id: int, session: SessionDep,
                   now: NowDep) -> ProductOut:
    view = get_product(session, product_id=product_id, now=now) if product_id <= MAX_ID else None
    if view is None:
        raise HTTPException(404, f"No product {product_id}.")
    return ProductOut.build(view, page_url=product_page_url(request, product_id))


@router.get("/coupons", response_model=CouponPage, responses=_ERRORS)
def list_coupons(
    session: SessionDep, now: NowDep, partner: Text = None, merchant: Text = None,
    active: bool | None = None, vouchers_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
) -> CouponPage:
    """Offer coupons and merchant-wide vouchers; ``active`` = usable right now."""
    page = coupons.list_coupons(session, now=now, partner=partner, merchant=merchant,
                                active=active, vouchers_only=vouchers_only, limit=limit,
                                cursor=cursor or None)
    return CouponPage(items=[CouponOut.build(v.coupon, partner=v.partner, merchant=v.merchant)
                             for v in page.items], next_cursor=page.next_cursor)
