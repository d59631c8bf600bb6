"""Browsing pages: a category (its whole subtree), a merchant, and merchant coupons."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from aggregator.coupons import get_merchant, list_coupons
from aggregator.taxonomy import load_taxonomy
from web.deps import NowDep, SessionDep
from web.listing import is_htmx, read_filters, render_listing
from web.templating import templates
from web.urls import MAX_ID

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
COUPONS_PER_PAGE = 48


@router.get("/c/{taxonomy_id:int}", name="category_page")
def category_page(request: Request, taxonomy_id: int, session: SessionDep,
                  now: NowDep) -> Response:
    taxonomy = load_taxonomy()
    if taxonomy_id not in taxonomy.nodes:
        raise HTTPException(404)
    filters, form = read_filters(request, taxonomy_id=taxonomy_id)
    context = {
        "taxonomy_id": taxonomy_id,
        "trail": [n.id for n in taxonomy.path(taxonomy_id)],
        "children": [n.id for n in taxonomy.children(taxonomy_id)],
    }
    return render_listing(request, session, now, template="category.html", context=context,
                          filters=filters, form=form)


@router.get("/m/{merchant_id:int}", name="merchant_page")
def merchant_page(request: Request, merchant_id: int, session: SessionDep,
                  now: NowDep) -> Response:
    view = get_merchant(session, merchant_id=merchant_id) if merchant_id <= MAX_ID else None
    if view is None:
        raise HTTPException(404)
    filters, form = read_filters(request, merchant_id=merchant_id)
    vouchers = [] if is_htmx(request) else list_coupons(
        session, now=now, merchant_id=merchant_id, active=True, vouchers_only=True).items
    return render_listing(request, session, now, template="merchant.html",
                          context={"shop": view.merchant, "partner": view.partner,
                                   "vouchers": vouchers},
                          filters=filters, form=form)


@router.get("/coupons", name="coupons_page")
def coupons_page(request: Request, session: SessionDep, now: NowDep,
                 cursor: str | None = None) -> Response:
    """Merchant-wide vouchers usable now, newest first, with their codes."""
    try:
        page = list_coupons(session, now=now, active=True, vouchers_only=True,
                            limit=COUPONS_PER_PAGE, cursor=cursor or None)
    except ValueError as exc:  # a cursor this page did not make
        raise HTTPException(400, str(exc)) from None
    more = (str(request.url.include_query_params(cursor=page.next_cursor))
            if page.next_cursor else None)
    return templates.TemplateResponse(request, "coupons.html", {
        "page": page, "next_url": more, "paged": bool(cursor)})
