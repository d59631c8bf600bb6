"""One renderer for every page that lists deals: home, search, category and merchant.

A normal request gets the whole page; an HTMX request (filters changed, "load more")
gets only the results fragment, which the page swaps in. Both come from the same
template, so a page without JavaScript works the same way through plain links.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from fastapi import Request, Response
from sqlalchemy.orm import Session

from aggregator.catalog import OfferFilters, Page, list_offers
from aggregator.search import parse_query
from aggregator.settings import get_settings
from web.forms import HomeForm, parse_home
from web.templating import templates

RESULTS_TEMPLATE = "_results.html"


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def next_url(request: Request, cursor: str) -> str:
    """The same page and filters, one page on (empty fields left out)."""
    kept = {k: v for k, v in request.query_params.items() if v and k != "cursor"}
    return str(request.url.replace_query_params(**kept, cursor=cursor))


def read_filters(request: Request, **fixed: Any) -> tuple[OfferFilters, HomeForm]:
    """The shopper's filters from the query string, plus what the page itself fixes."""
    settings = get_settings()
    filters, form = parse_home(request.query_params, currency=settings.default_currency,
                               page_size=settings.page_size)
    return replace(filters, **fixed), form


def render_listing(request: Request, session: Session, now: datetime, *, template: str,
                   context: dict[str, Any], filters: OfferFilters,
                   form: HomeForm) -> Response:
    page: Page = list_offers(session, filters=filters, now=now)
    query = parse_query(filters.q)
    values = {
        **context, "page": page, "form": form, "paged": bool(filters.cursor),
        "next_url": next_url(request, page.next_cursor) if page.next_cursor else None,
        "search_words": query.words if query else [],
        "currency": get_settings().default_currency,
    }
    name = RESULTS_TEMPLATE if is_htmx(request) else template
    response = templates.TemplateResponse(request, name, values)
    response.headers["Vary"] = _vary(response.headers.get("Vary"))
    return response


def _vary(existing: str | None) -> str:
    parts = [p.strip() for p in (existing or "").split(",") if p.strip()]
    return ", ".join(dict.fromkeys([*parts, "HX-Request"]))
