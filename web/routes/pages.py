"""Server-rendered shopper pages: the deal grid and the product comparison page."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from aggregator.catalog import get_product
from aggregator.matching.manual import live_product
from aggregator.sections import shelves
from web.charts import price_chart
from web.deps import NowDep, SessionDep
from web.listing import is_htmx, read_filters, render_listing
from web.structured import product_json_ld
from web.templating import templates
from web.urls import MAX_ID, product_page_url

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)


@router.get("/", name="home")
def home(request: Request, session: SessionDep, now: NowDep) -> Response:
    """Shelves of deals above the full listing; with a query or filters, the results."""
    filters, form = read_filters(request)
    browsing = not any(v for k, v in request.query_params.items() if k != "lang")
    htmx = is_htmx(request)
    context = {"shelves": shelves(session, now=now) if browsing and not htmx else None,
               "clear_shelves": htmx}  # a filtered fragment takes the shelves away
    return render_listing(request, session, now, template="home.html", context=context,
                          filters=filters, form=form)


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
        "json_ld": product_json_ld(view, page_url=product_page_url(request, product_id)),
    })
