"""Keyset cursors, and a product's price history and 30-day low."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from aggregator import catalog_walk
from aggregator.catalog import (
    SORTS,
    CursorError,
    OfferFilters,
    decode_cursor,
    encode_cursor,
    get_product,
    list_offers,
)
from aggregator.ingest import ingest_offers
from aggregator.models import Offer, Partner
from aggregator.taxonomy import load_taxonomy
from tests.aggregator.factories import coupon, offer, offer_row
from tests.conftest import FIXED_NOW

NOW = FIXED_NOW
DAY = timedelta(days=1)


def raw_cursor(payload: Any) -> str:
    """A cursor as a client could forge it."""
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("sort", "value", "offer_id"),
    [
        ("score", 470, 12),
        ("score", -1000, 3),  # out-of-stock offers score below zero
        ("price", 0, 1),
        ("final_price", 2**63 - 1, 2**63 - 1),
        ("discount", 2500, 99),
        ("sales", 100_000, 7),
        ("newest", datetime(2026, 11, 23, 8, 30, 15, 123456, tzinfo=UTC), 5),
    ],
)
def test_cursor_round_trip(sort: str, value: Any, offer_id: int) -> None:
    cursor = encode_cursor(sort, value, offer_id)
    assert "=" not in cursor
    assert all(ch.isalnum() or ch in "-_" for ch in cursor)  # URL-safe as it is
    assert decode_cursor(sort, cursor) == (value, offer_id)


def test_every_sort_round_trips() -> None:
    for sort in SORTS:
        value: Any = NOW if sort == "newest" else 42
        assert decode_cursor(sort, encode_cursor(sort, value, 1)) == (value, 1)


@pytest.mark.parametrize(
    ("sort", "cursor"),
    [
        ("price", encode_cursor("score", 10, 1)),  # made for another sort
        ("newest", encode_cursor("price", 10, 1)),
        ("price", ""),
        ("price", "!!!!"),
        ("price", "a"),
        ("price", "价格"),
        ("price", raw_cursor("not json")),
        ("price", raw_cursor({"sort": "price"})),
        ("price", raw_cursor(["price", 10])),
        ("price", raw_cursor(["price", 10, 1, 2])),
        ("price", raw_cursor(7)),
        ("price", raw_cursor(["price", "10", 1])),
        ("price", raw_cursor(["price", 10.5, 1])),
        ("price", raw_cursor(["price", None, 1])),
        ("price", raw_cursor(["price", True, 1])),
        ("price", raw_cursor(["price", 2**63, 1])),  # beyond BIGINT
        ("price", raw_cursor(["price", -(2**63) - 1, 1])),
        ("price", raw_cursor(["price", 10**30, 1])),
        ("price", raw_cursor(["price", 10, "1"])),
        ("price", raw_cursor(["price", 10, 1.0])),
        ("price", raw_cursor(["price", 10, True])),
        ("price", raw_cursor(["price", 10, -1])),
        ("price", raw_cursor(["price", 10, 2**63])),
        ("price", raw_cursor(["price", 10, None])),
        ("newest", raw_cursor(["newest", "2026-11-23T00:00:00", 1])),  # naive time
        ("newest", raw_cursor(["newest", "yesterday", 1])),
        ("newest", raw_cursor(["newest", 1763856000, 1])),
        ("newest", raw_cursor(["newest", None, 1])),
    ],
)
def test_bad_cursors(sort: str, cursor: str) -> None:
    with pytest.raises(CursorError):
        decode_cursor(sort, cursor)


def test_cursor_error_is_a_value_error() -> None:
    assert issubclass(CursorError, ValueError)


def ingest_prices(session: Session, partner: Partner, external_id: str,
                  prices: list[tuple[int, int]]) -> int:
    """Ingest ``external_id`` at each (days ago, price), oldest first; returns its product id."""
    for days, price in prices:
        ingest_offers(session, partner=partner, records=[offer(external_id, price=price)],
                      now=NOW - days * DAY)
    return offer_row(session, external_id).product_id


# (days ago, price) as crawled, oldest first → lowest final price over the last 30 days
LOWEST: list[tuple[str, list[tuple[int, int]], int]] = [
    ("one price", [(10, 1000)], 1000),
    ("only seen before the window: still in force", [(40, 900)], 900),
    ("low price held into the window", [(40, 800), (20, 1200), (1, 1100)], 800),
    ("low price replaced before the window", [(40, 800), (31, 1500), (20, 1200)], 1200),
    ("dip inside the window", [(40, 1000), (10, 700), (5, 1000)], 700),
    ("change exactly 30 days ago counts", [(30, 600), (1, 1000)], 600),
    ("current price is the low", [(20, 1200), (0, 999)], 999),
]


@pytest.mark.parametrize(("prices", "expected"), [c[1:] for c in LOWEST],
                         ids=[c[0] for c in LOWEST])
def test_lowest_30d(session: Session, partner: Partner, prices: list[tuple[int, int]],
                    expected: int) -> None:
    product_id = ingest_prices(session, partner, "1", prices)
    view = get_product(session, product_id=product_id, now=NOW)
    assert view is not None
    assert view.lowest_30d == expected


def test_price_history(session: Session, partner: Partner) -> None:
    product_id = ingest_prices(session, partner, "1", [(40, 800), (20, 1200)])
    ingest_offers(session, partner=partner,
                  records=[offer("1", price=1200, coupons=(coupon("c", amount=300),))],
                  now=NOW - DAY)
    ingest_offers(session, partner=partner,  # unchanged: no new observation
                  records=[offer("1", price=1200, coupons=(coupon("c", amount=300),))], now=NOW)
    view = get_product(session, product_id=product_id, now=NOW)
    assert view is not None
    assert {h["offer_id"] for h in view.price_history} == {view.offers[0].offer.id}
    assert [{k: v for k, v in h.items() if k != "offer_id"} for h in view.price_history] == [
        {"at": NOW - 40 * DAY, "partner": "taobao", "price": 800, "final_price": 800,
         "currency": "CNY"},
        {"at": NOW - 20 * DAY, "partner": "taobao", "price": 1200, "final_price": 1200,
         "currency": "CNY"},
        {"at": NOW - DAY, "partner": "taobao", "price": 1200, "final_price": 900,
         "currency": "CNY"},
    ]
    assert view.lowest_30d == 800
    assert view.currency == "CNY"
    assert [(v.partner, v.final_price) for v in view.offers] == [("taobao", 900)]


def test_expired_coupon_does_not_lower_the_shown_price(session: Session,
                                                       partner: Partner) -> None:
    record = offer("1", price=1000, coupons=(coupon("c", amount=400, ends_at=NOW - 5 * DAY),))
    ingest_offers(session, partner=partner, records=[record], now=NOW - 40 * DAY)
    product_id = offer_row(session, "1").product_id
    view = get_product(session, product_id=product_id, now=NOW)
    assert view is not None
    # the coupon ended 5 days ago; it held the price at 600 well into the window
    assert [v.final_price for v in view.offers] == [1000]
    assert view.offers[0].coupon is None
    assert view.lowest_30d == 600


def test_unknown_product(session: Session) -> None:
    assert get_product(session, product_id=10**9, now=NOW) is None


def test_product_whose_offers_are_all_retired(session: Session, partner: Partner) -> None:
    product_id = ingest_prices(session, partner, "1", [(5, 1000)])
    session.execute(update(Offer).values(retired_at=NOW - DAY))
    view = get_product(session, product_id=product_id, now=NOW)
    assert view is not None
    assert (view.offers, view.price_history, view.lowest_30d, view.currency) == (
        [], [], None, None)


def test_offers_of_one_product_best_first(session: Session, partner: Partner) -> None:
    product_id = ingest_prices(session, partner, "1", [(2, 1500)])
    ingest_prices(session, partner, "2", [(2, 1100)])
    session.execute(update(Offer).where(Offer.external_id == "2").values(product_id=product_id))
    view = get_product(session, product_id=product_id, now=NOW)
    assert view is not None
    assert [v.offer.external_id for v in view.offers] == ["2", "1"]
    assert view.lowest_30d == 1100


def test_lowest_30d_counts_each_offers_price_at_the_window_start(session: Session,
                                                                 partner: Partner) -> None:
    # offer 1 sold at 500 from 40 days ago until 10 days ago; offer 2 at 900 throughout
    product_id = ingest_prices(session, partner, "1", [(40, 500)])
    ingest_prices(session, partner, "2", [(35, 900)])
    session.execute(update(Offer).where(Offer.external_id == "2").values(product_id=product_id))
    ingest_prices(session, partner, "1", [(10, 1000)])
    view = get_product(session, product_id=product_id, now=NOW)
    assert view is not None
    assert view.lowest_30d == 500


@pytest.mark.parametrize("merged", [True, False])
def test_category_by_price_pages_through_the_whole_subtree(
        session: Session, partner: Partner, monkeypatch: pytest.MonkeyPatch,
        merged: bool) -> None:
    """Each node's cheapest offers merged (or, with too many nodes, the plain query):
    every offer of the subtree once, cheapest first, across keyset pages."""
    if not merged:
        monkeypatch.setattr(catalog_walk, "MAX_BRANCHES", 0)
    taxonomy = load_taxonomy()
    root = taxonomy.roots()[0]
    child = taxonomy.children(root.id)[0]
    elsewhere = taxonomy.roots()[1]
    prices = {"a": 500, "b": 300, "c": 300, "d": 900, "e": 100, "f": 50, "g": 700}
    ingest_offers(session, partner=partner, now=NOW,
                  records=[offer(k, price=v) for k, v in prices.items()])
    for ext, node in {"a": root, "b": child, "c": root, "d": child, "e": child,
                      "f": elsewhere, "g": child}.items():
        session.execute(update(Offer).where(Offer.external_id == ext)
                        .values(taxonomy_id=node.id))
    session.execute(update(Offer).where(Offer.external_id == "g").values(retired_at=NOW))
    seen, cursor = [], None
    while True:
        page = list_offers(session, now=NOW, filters=OfferFilters(
            taxonomy_id=root.id, sort="final_price", limit=2, cursor=cursor))
        seen += [v.offer.external_id for v in page.items]
        if not (cursor := page.next_cursor):
            break
    b, c = sorted(["b", "c"], key=lambda e: offer_row(session, e).id)
    assert seen == ["e", b, c, "a", "d"]
