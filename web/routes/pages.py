"""Server-rendered shopper pages: the deal grid and the product comparison page."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from aggregator.catalog import categories, get_product, list_offers
from aggregator.matching.manual import live_product
from aggregator.settings import get_settings
from web.charts import price_chart
from web.deps import NowDep, SessionDep
from web.forms import HomeForm, parse_home
from web.templating import templates
from web.urls import MAX_ID

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)


def _next_url(request: Request, form: HomeForm, cursor: str) -> str:
    """The same filters, one page on: the form's own values, empty ones left out."""
    kept = {"q": form.q, "sort": form.sort if form.sort != "score" else "",
            "category": form.category, "partner": form.partner,
            "has_coupon": "1" if form.has_coupon else "",
            "min_price": form.min_price, "max_price": form.max_price}
    params = {k: v for k, v in kept.items() if v}
    return str(request.url_for("home").include_query_params(**params, cursor=cursor))


@router.get("/", name="home")
def home(request: Request, session: SessionDep, now: NowDep) -> Response:
    settings = get_settings()
    filters, form = parse_home(request.query_params, currency=settings.default_currency,
                               page_size=settings.page_size)
    page = list_offers(session, filters=filters, now=now)
    next_url = _next_url(request, form, page.next_cursor) if page.next_cursor else None
    return templates.TemplateResponse(request, "home.html", {
        "page": page, "form": form, "next_url": next_url, "paged": bool(filters.cursor),
        "categories": categories(session), "currency": settings.default_currency,
    })


@router.get("/products/{product_id:int}", name="product_page")
def product_page(request: Request, product_id: int, session: SessionDep,
                 now: NowDep) -> Response:
    view = get_product(session, product_id=product_id, now=now) if product_id <= MAX_ID else None
    if view is None:
        raise HTTPException(404)
    if view.product.merged_into_id is not None:  # merged by an admin: one URL per product
        live = live_product(session, product_id)
        if live is not None and live.id != product_id:
            return RedirectResponse(request.url_for("product_page", product_id=live.id),
                                    status_code=301)
    return templates.TemplateResponse(request, "product.html", {
        "view": view, "best": view.offers[0] if view.offers else None,
        "chart": price_chart(view.price_history, now=now),
    })
