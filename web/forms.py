"""Home-page query string → catalog filters.

An HTML form sends every field, empty ones as ``""``, and shoppers type prices in yuan,
so pages parse leniently by hand; the JSON API keeps strict typed parameters instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import HTTPException

from aggregator.catalog import SORTS, OfferFilters
from aggregator.money import MoneyError, to_minor
from aggregator.taxonomy import load_taxonomy
from web.i18n import LazyText, lazy_gettext
from web.urls import MAX_ID

MAX_QUERY_LEN = 100
_TRUE = {"1", "on", "true", "yes"}
_FALSE = {"0", "off", "false", "no"}
MAX_DISCOUNT = 95


@dataclass(frozen=True)
class HomeForm:
    """What the filter form shows back: the shopper's own input, not the minor units."""

    q: str = ""
    sort: str = "score"
    category: str = ""
    partner: str = ""
    has_coupon: bool = False
    min_price: str = ""
    max_price: str = ""
    cat: int | None = None  # a taxonomy node: the category and everything under it
    min_discount: str = ""  # percent, against the 30-day reference price


def _text(params: Mapping[str, str], name: str, limit: int = MAX_QUERY_LEN) -> str:
    # NUL cannot be stored or compared by PostgreSQL; no real search contains one.
    return params.get(name, "").replace("\x00", "").strip()[:limit]


def _yuan(text: str, currency: str, label: LazyText) -> int | None:
    if not text:
        return None
    try:
        minor = to_minor(text, currency)
    except MoneyError:
        raise HTTPException(400, lazy_gettext(
            "%(field)s is not a valid amount: %(value)s", field=label, value=text)) from None
    if not 0 <= minor <= MAX_ID:
        raise HTTPException(400, lazy_gettext(
            "%(field)s is out of range: %(value)s", field=label, value=text))
    return minor


def _flag(text: str) -> bool | None:
    if not text:
        return None
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise HTTPException(400, lazy_gettext("Unrecognised option: %(value)s", value=text))


def _category(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) not in load_taxonomy().nodes:
        raise HTTPException(400, lazy_gettext("Unknown category: %(value)s", value=text))
    return int(text)


def _percent(text: str) -> int | None:
    """A whole percentage from 1 to 95, as basis points."""
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_DISCOUNT:
        raise HTTPException(400, lazy_gettext(
            "The minimum discount must be a whole percentage from 1 to %(max)s: %(value)s",
            max=MAX_DISCOUNT, value=text))
    return int(text) * 100


def parse_home(params: Mapping[str, str], *, currency: str,
               page_size: int) -> tuple[OfferFilters, HomeForm]:
    """Raises HTTPException(400) with a shopper-readable message for bad input.

    The message is a LazyText: the error page shows it in the shopper's language.
    """
    has_coupon = _flag(_text(params, "has_coupon"))
    form = HomeForm(q=_text(params, "q"), sort=_text(params, "sort") or "score",
                    category=_text(params, "category", 255), partner=_text(params, "partner"),
                    has_coupon=bool(has_coupon), min_price=_text(params, "min_price"),
                    max_price=_text(params, "max_price"),
                    cat=_category(_text(params, "cat", 20)),
                    min_discount=_text(params, "min_discount", 10))
    if form.sort not in SORTS:
        raise HTTPException(400, lazy_gettext(
            "Unsupported sort order: %(value)s", value=form.sort))
    filters = OfferFilters(
        q=form.q or None, partner=form.partner or None, category=form.category or None,
        min_price=_yuan(form.min_price, currency, lazy_gettext("Min price")),
        max_price=_yuan(form.max_price, currency, lazy_gettext("Max price")),
        # Unchecked means "any", not "without coupon": a checkbox cannot say "no".
        has_coupon=True if has_coupon else None,
        taxonomy_id=form.cat, min_discount_bp=_percent(form.min_discount),
        sort=form.sort,  # type: ignore[arg-type]  # checked against SORTS above
        limit=page_size, cursor=_text(params, "cursor", 1000) or None,
    )
    return filters, form
