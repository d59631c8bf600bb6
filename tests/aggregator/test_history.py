"""Honest prices: the 30-day reference, lows, drops and inflated list prices (EU Omnibus rule)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.catalog import get_product
from aggregator.history import (
    Observation,
    PriceFacts,
    first_facts,
    price_facts,
    real_discount_bp,
)
from aggregator.ingest import ingest_offers
from aggregator.models import Offer, Partner, PriceObservation
from aggregator.records import CouponRecord, OfferRecord
from tests.aggregator.factories import coupon, offer, offer_row
from tests.conftest import FIXED_NOW

NOW = FIXED_NOW
DAY = timedelta(days=1)
NONE = PriceFacts(ref_price=None, prior_low_30d=None, prior_low_all=None,
                  price_dropped_at=None, list_price_inflated=False)


def obs(days_ago: float, price: int, final: int | None = None) -> Observation:
    return Observation(at=NOW - days_ago * DAY, price=price,
                       final_price=price if final is None else final)


def facts(history: list[Observation], price: int, final: int | None = None, *,
          list_price: int | None = None, previous: PriceFacts = NONE) -> PriceFacts:
    return price_facts(history=history, price=price,
                       final_price=price if final is None else final,
                       list_price=list_price, previous=previous, now=NOW)


# ---- real_discount_bp ----

@pytest.mark.parametrize(("price", "final", "ref", "expected"), [
    (100, 100, None, 0),  # new offer, no coupon: no discount
    (100, 85, None, 1500),  # new offer: only its coupon counts
    (100, 80, 100, 2000),
    (80, 80, 100, 2000),  # the price itself fell from the reference
    (100, 100, 100, 0),
    (120, 120, 100, 0),  # above the reference: no discount, never negative
    (100, 100, 120, 1666),  # rounds down
    (300, 200, 300, 3333),
    (100, 0, 100, 10000),  # free after coupon
    (0, 0, None, 0),  # a zero base gives nothing, not a division error
    (100, 50, 0, 0),
])
def test_real_discount_bp(price: int, final: int, ref: int | None, expected: int) -> None:
    assert real_discount_bp(price=price, final_price=final, ref_price=ref) == expected


# ---- price_facts: the reference ----

# (why, history, price, final, expected ref_price, prior_low_30d, prior_low_all, discount bp)
REFERENCE: list[tuple[str, list[Observation], int, int | None,
                      int | None, int | None, int | None, int]] = [
    ("new offer: no history, no reference", [], 100, None, None, None, None, 0),
    ("new offer with a coupon: the coupon is the discount", [], 100, 90, None, None, None,
     1000),
    ("100 for 40 days, then 80", [obs(40, 100)], 80, None, 100, 100, 100, 2000),
    ("100 for 5 days, then 80", [obs(5, 100)], 80, None, 100, 100, 100, 2000),
    ("100, 120 for 10 days, 100 again: nothing off", [obs(40, 100), obs(10, 120)], 100, None,
     100, 100, 100, 0),
    ("100, 120 for 10 days, then 90: 10% off, not 25%", [obs(40, 100), obs(10, 120)], 90,
     None, 100, 100, 100, 1000),
    ("in force at the window's start, observed 60 days ago", [obs(60, 90), obs(5, 110)], 100,
     None, 90, 90, 90, 0),
    ("superseded before the window: does not count", [obs(60, 50), obs(45, 100)], 80, None,
     100, 100, 50, 2000),
    ("several superseded before the window", [obs(90, 40), obs(70, 60), obs(31, 100)], 80,
     None, 100, 100, 40, 2000),
    ("changes inside the window: the lowest of them",
     [obs(60, 100), obs(20, 95), obs(10, 105)], 90, None, 95, 95, 95, 526),
    ("a coupon lowered the final price before: prior_low_30d is the final price",
     [obs(40, 100), obs(20, 100, 70)], 100, 85, 100, 70, 70, 1500),
    ("price unchanged, a coupon appears", [obs(40, 100)], 100, 80, 100, 100, 100, 2000),
]


@pytest.mark.parametrize(
    ("why", "history", "price", "final", "ref", "low30", "low_all", "discount"), REFERENCE,
    ids=[r[0] for r in REFERENCE])
def test_reference(why: str, history: list[Observation], price: int, final: int | None,
                   ref: int | None, low30: int | None, low_all: int | None,
                   discount: int) -> None:
    got = facts(history, price, final)
    assert (got.ref_price, got.prior_low_30d, got.prior_low_all) == (ref, low30, low_all), why
    final_price = price if final is None else final
    assert real_discount_bp(price=price, final_price=final_price,
                            ref_price=got.ref_price) == discount, why


def test_window_boundary() -> None:
    # exactly 30 days ago counts as in force at the window's start
    assert facts([obs(30, 70), obs(10, 100)], 90).ref_price == 70
    # superseded exactly at the start: the later price held from the start on
    assert facts([obs(45, 70), obs(30, 100)], 90).ref_price == 100
    # superseded just inside the window: the earlier price still held for a moment
    assert facts([obs(45, 70), obs(29.9, 100)], 90).ref_price == 70
    # replaced at the very instant it was seen (two batches of one crawl): it still counts
    assert facts([obs(0, 100)], 90).ref_price == 100
    assert facts([obs(45, 70), obs(0, 100)], 90).ref_price == 70


def test_prior_low_all_keeps_the_all_time_low() -> None:
    # the stored all-time low survives even if older observations are no longer passed in
    previous = replace(NONE, prior_low_all=30)
    assert facts([obs(45, 100)], 80, previous=previous).prior_low_all == 30
    assert facts([obs(45, 100), obs(40, 20)], 80, previous=previous).prior_low_all == 20


def test_unchanged_price_keeps_the_facts_of_the_current_price() -> None:
    previous = PriceFacts(ref_price=100, prior_low_30d=95, prior_low_all=60,
                          price_dropped_at=NOW - 3 * DAY, list_price_inflated=False)
    # 80 has been the price for three days; a crawl sees 80 again
    assert facts([obs(40, 100), obs(3, 80)], 80, previous=previous) == previous


# ---- price_facts: when the price dropped ----

DROPS: list[tuple[str, list[Observation], int, int | None, datetime | None,
                  datetime | None]] = [
    ("first drop", [obs(10, 100)], 80, None, None, NOW),
    ("another drop replaces the date", [obs(10, 100), obs(5, 90)], 80, None, NOW - 5 * DAY,
     NOW),
    ("unchanged: kept", [obs(10, 100), obs(5, 80)], 80, None, NOW - 5 * DAY, NOW - 5 * DAY),
    ("a rise clears it", [obs(10, 100), obs(5, 80)], 90, None, NOW - 5 * DAY, None),
    ("same final price, new list of coupons: kept", [obs(10, 100), obs(5, 100, 80)], 90, 80,
     NOW - 5 * DAY, NOW - 5 * DAY),
    ("a coupon lowers the final price: a drop", [obs(10, 100)], 100, 90, None, NOW),
    ("the coupon ends: a rise", [obs(10, 100), obs(5, 100, 90)], 100, None, NOW - 5 * DAY,
     None),
]


@pytest.mark.parametrize(("why", "history", "price", "final", "before", "expected"), DROPS,
                         ids=[d[0] for d in DROPS])
def test_price_dropped_at(why: str, history: list[Observation], price: int, final: int | None,
                          before: datetime | None, expected: datetime | None) -> None:
    previous = replace(NONE, price_dropped_at=before)
    assert facts(history, price, final, previous=previous).price_dropped_at == expected, why


# ---- price_facts: inflated list prices ----

INFLATED: list[tuple[str, list[Observation], int, int | None, bool]] = [
    ("no list price", [obs(40, 100)], 80, None, False),
    ("list price at the price", [obs(40, 100)], 80, 80, False),
    ("list price below the price", [obs(40, 100)], 80, 70, False),
    ("never a selling price", [obs(40, 100)], 80, 150, True),
    ("never a selling price, price unchanged", [obs(40, 100)], 100, 150, True),
    ("was the selling price in the window", [obs(40, 100), obs(10, 120)], 100, 120, False),
    ("was the price in force at the window's start", [obs(40, 120)], 100, 120, False),
    ("was a selling price long ago, within 1.5x the window's high",
     [obs(90, 140), obs(60, 100)], 95, 140, False),
    ("was a selling price long ago, over 1.5x the window's high",
     [obs(90, 300), obs(60, 100)], 90, 300, True),
    ("exactly 1.5x the window's high", [obs(90, 150), obs(60, 100)], 90, 150, False),
    ("the current price counts towards the window's high",
     [obs(90, 300), obs(60, 100)], 210, 300, False),
]


@pytest.mark.parametrize(("why", "history", "price", "list_price", "expected"), INFLATED,
                         ids=[i[0] for i in INFLATED])
def test_list_price_inflated(why: str, history: list[Observation], price: int,
                             list_price: int | None, expected: bool) -> None:
    assert facts(history, price, list_price=list_price).list_price_inflated is expected, why


@pytest.mark.parametrize(("price", "list_price", "expected"), [
    (100, None, False), (100, 100, False), (100, 90, False), (100, 101, True),
])
def test_a_new_offer_has_seen_no_list_price(price: int, list_price: int | None,
                                            expected: bool) -> None:
    got = first_facts(price=price, list_price=list_price)
    assert got == replace(NONE, list_price_inflated=expected)
    assert facts([], price, list_price=list_price) == got


# ---- through ingest ----

def crawl(session: Session, partner: Partner, day: int, price: int, *,
          coupons: tuple[CouponRecord, ...] = (), external_id: str = "h1",
          **fields: Any) -> Offer:
    record: OfferRecord = offer(external_id, price=price, coupons=coupons, **fields)
    ingest_offers(session, partner=partner, records=[record], now=NOW + day * DAY)
    return offer_row(session, external_id)


def observed(session: Session, offer_id: int) -> list[tuple[int, int, int]]:
    """(day, price, final price) of each observation, oldest first."""
    rows = session.execute(
        select(PriceObservation.observed_at, PriceObservation.price,
               PriceObservation.final_price)
        .where(PriceObservation.offer_id == offer_id)
        .order_by(PriceObservation.observed_at, PriceObservation.id)).all()
    return [((at - NOW) // DAY, price, final) for at, price, final in rows]


def stored(row: Offer) -> tuple[Any, ...]:
    dropped = None if row.price_dropped_at is None else (row.price_dropped_at - NOW) // DAY
    return (row.final_price, row.ref_price, row.prior_low_30d, row.prior_low_all,
            row.discount_bp, dropped)


def test_crawls_over_seventy_days(session: Session, partner: Partner) -> None:
    ten_off = (coupon("c1", amount=1000),)
    # day, price, coupons, extra fields →
    #   (final, ref, prior_low_30d, prior_low_all, discount_bp, dropped on day), observations
    steps: list[tuple[int, int, tuple[CouponRecord, ...], dict[str, Any], tuple[Any, ...],
                      int]] = [
        (0, 10000, (), {}, (10000, None, None, None, 0, None), 1),
        (40, 8000, (), {}, (8000, 10000, 10000, 10000, 2000, 40), 2),
        # only the sales figure changed: no observation, the facts stay
        (45, 8000, (), {"sales": 999}, (8000, 10000, 10000, 10000, 2000, 40), 2),
        # a coupon: the final price changes, the price does not
        (50, 8000, ten_off, {"sales": 999}, (7000, 8000, 8000, 8000, 1250, 50), 3),
        # up to 12000 (11000 after coupon): no discount, the drop is over
        (55, 12000, ten_off, {"sales": 999}, (11000, 8000, 7000, 7000, 0, None), 4),
        # back to 8000 without the coupon: 8000 held in the last 30 days, nothing off
        (70, 8000, (), {"sales": 999}, (8000, 8000, 7000, 7000, 0, 70), 5),
        # the same again, re-crawled: nothing written
        (71, 8000, (), {"sales": 999}, (8000, 8000, 7000, 7000, 0, 70), 5),
    ]
    for day, price, coupons, extra, expected, observations in steps:
        row = crawl(session, partner, day, price, coupons=coupons, **extra)
        assert stored(row) == expected, day
        assert len(observed(session, row.id)) == observations, day
    assert observed(session, row.id) == [(0, 10000, 10000), (40, 8000, 8000),
                                         (50, 8000, 7000), (55, 12000, 11000),
                                         (70, 8000, 8000)]


def test_list_price_claims_through_ingest(session: Session, partner: Partner) -> None:
    row = crawl(session, partner, 0, 10000, list_price=15000)
    assert row.list_price_inflated is True  # 150 was never a selling price
    row = crawl(session, partner, 10, 12000, list_price=12000)
    assert row.list_price_inflated is False
    # 100 "was 120": 120 really was the price, yet it is no discount against 30 days of 100
    row = crawl(session, partner, 15, 10000, list_price=12000)
    assert (row.list_price_inflated, row.ref_price, row.discount_bp) == (False, 10000, 0)


def test_lowest_30d_of_a_price_that_goes_up_and_down(session: Session,
                                                     partner: Partner) -> None:
    for day, price in ((0, 10000), (10, 8000), (25, 12000), (50, 10000)):
        row = crawl(session, partner, day, price)
    assert observed(session, row.id) == [(0, 10000, 10000), (10, 8000, 8000),
                                         (25, 12000, 12000), (50, 10000, 10000)]
    # day 50: the window starts on day 20, when 8000 still held (until day 25)
    view = get_product(session, product_id=row.product_id, now=NOW + 50 * DAY)
    assert view is not None and view.lowest_30d == 8000
    assert row.ref_price == 8000 and row.discount_bp == 0
    # day 60: the window starts on day 30; 8000 ended before it, 12000 held then
    view = get_product(session, product_id=row.product_id, now=NOW + 60 * DAY)
    assert view is not None and view.lowest_30d == 10000
    # day 100: only the current price is left in the window
    row = crawl(session, partner, 100, 11000)
    view = get_product(session, product_id=row.product_id, now=NOW + 100 * DAY)
    assert view is not None and view.lowest_30d == 10000  # 10000 held at the window's start
    view = get_product(session, product_id=row.product_id, now=NOW + 131 * DAY)
    assert view is not None and view.lowest_30d == 11000


def test_lowest_30d_counts_a_coupon_price(session: Session, partner: Partner) -> None:
    crawl(session, partner, 0, 10000)
    crawl(session, partner, 5, 10000, coupons=(coupon("c1", amount=2500),))
    row = crawl(session, partner, 10, 10000)  # coupon gone
    assert observed(session, row.id) == [(0, 10000, 10000), (5, 10000, 7500),
                                         (10, 10000, 10000)]
    assert (row.prior_low_30d, row.prior_low_all, row.price_dropped_at) == (7500, 7500, None)
    view = get_product(session, product_id=row.product_id, now=NOW + 10 * DAY)
    assert view is not None and view.lowest_30d == 7500
