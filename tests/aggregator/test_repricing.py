"""Stored final prices follow coupon windows as they open and close."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from aggregator.ingest import ingest_offers
from aggregator.models import Offer, Partner, PriceObservation
from aggregator.pricing import END_GRACE
from aggregator.records import CouponRecord
from aggregator.repricing import refresh_due_offers
from aggregator.scoring import deal_score
from tests.aggregator.factories import coupon, observations, offer, offer_row
from tests.conftest import FIXED_NOW

NOW = FIXED_NOW
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def test_coupon_ending_later_sets_final_price_until(session: Session, partner: Partner) -> None:
    record = offer("1", coupons=(coupon("c1", amount=2000, ends_at=NOW + DAY),))
    ingest_offers(session, partner=partner, records=[record], now=NOW)
    row = offer_row(session, "1")
    # ends_at is the coupon's last valid second: the price holds until one second later
    closes = NOW + DAY + END_GRACE
    assert (row.final_price, row.final_price_until) == (8000, closes)

    assert refresh_due_offers(session, now=NOW + DAY) == 0  # in the last second: not due
    assert offer_row(session, "1").final_price == 8000

    assert refresh_due_offers(session, now=closes) == 1
    row = offer_row(session, "1")
    assert (row.final_price, row.final_price_until, row.discount_bp) == (10000, None, 0)
    # the price went up: no drop to be fresh about, so freshness counts from the listing
    assert row.score == deal_score(discount_bp=0, sales=100,
                                   fresh_days=(closes - NOW).total_seconds() / 86400)
    assert (row.ref_price, row.prior_low_30d, row.price_dropped_at) == (10000, 8000, None)
    assert observations(session, row.id) == [(10000, 8000), (10000, 10000)]
    obs = session.query(PriceObservation).order_by(PriceObservation.id.desc()).first()
    assert obs is not None
    assert (obs.observed_at, obs.run_id, obs.currency) == (closes, None, "CNY")

    assert refresh_due_offers(session, now=NOW + 2 * DAY) == 0  # nothing left to do


def test_coupon_not_yet_started_applies_after_its_start(session: Session,
                                                       partner: Partner) -> None:
    record = offer("1", coupons=(coupon("c1", amount=2000, starts_at=NOW + DAY,
                                        ends_at=NOW + 3 * DAY),))
    ingest_offers(session, partner=partner, records=[record], now=NOW)
    row = offer_row(session, "1")
    assert (row.final_price, row.final_price_until) == (10000, NOW + DAY)

    assert refresh_due_offers(session, now=NOW + DAY + HOUR) == 1
    row = offer_row(session, "1")
    assert (row.final_price, row.final_price_until, row.discount_bp) == (
        8000, NOW + 3 * DAY + END_GRACE, 2000)
    # the coupon is a real drop against the 30 days before: 20% off, fresh since now
    assert row.score == deal_score(discount_bp=2000, coupon_bp=2000, sales=100, fresh_days=0)
    assert (row.ref_price, row.price_dropped_at) == (10000, NOW + DAY + HOUR)

    assert refresh_due_offers(session, now=NOW + 3 * DAY + END_GRACE) == 1
    row = offer_row(session, "1")
    assert (row.final_price, row.final_price_until) == (10000, None)
    assert observations(session, row.id) == [(10000, 10000), (10000, 8000), (10000, 10000)]


# (coupons, refresh at) → (final_price, final_price_until, observations after the refresh)
WINDOWS: list[tuple[tuple[CouponRecord, ...], datetime,
                    tuple[int, datetime | None, list[tuple[int, int]]]]] = [
    # the next-best coupon takes over when the best one ends
    ((coupon("big", amount=3000, ends_at=NOW + DAY), coupon("small", amount=500)),
     NOW + DAY + END_GRACE, (9500, None, [(10000, 7000), (10000, 9500)])),
    # a second coupon of the same size keeps the final price: no observation
    ((coupon("a", amount=1000, ends_at=NOW + DAY), coupon("b", amount=1000, ends_at=NOW + 2 * DAY)),
     NOW + DAY + END_GRACE, (9000, NOW + 2 * DAY + END_GRACE, [(10000, 9000)])),
    # both edges passed while nobody looked: price from the state at refresh time
    ((coupon("a", amount=1000, starts_at=NOW + HOUR, ends_at=NOW + 2 * HOUR),),
     NOW + DAY, (10000, None, [(10000, 10000)])),
    # the start of a later, bigger coupon
    ((coupon("a", amount=1000), coupon("b", amount=4000, starts_at=NOW + HOUR)),
     NOW + HOUR, (6000, None, [(10000, 9000), (10000, 6000)])),
    # a coupon whose minimum is not met changes nothing even when it opens
    ((coupon("a", amount=4000, min_spend=20000, starts_at=NOW + HOUR),),
     NOW + HOUR, (10000, None, [(10000, 10000)])),
]


@pytest.mark.parametrize(("coupons", "at", "expected"), WINDOWS)
def test_refresh_windows(session: Session, partner: Partner, coupons: tuple[CouponRecord, ...],
                         at: datetime,
                         expected: tuple[int, datetime | None, list[tuple[int, int]]]) -> None:
    ingest_offers(session, partner=partner, records=[offer("1", coupons=coupons)], now=NOW)
    assert refresh_due_offers(session, now=at) == 1
    row = offer_row(session, "1")
    assert (row.final_price, row.final_price_until, observations(session, row.id)) == expected


def test_retired_coupons_are_not_applied(session: Session, partner: Partner) -> None:
    first = (coupon("old", amount=5000), coupon("edge", amount=100, ends_at=NOW + DAY))
    ingest_offers(session, partner=partner, records=[offer("1", coupons=first)], now=NOW)
    # the partner stops listing "old"; "edge" still holds the refresh time
    ingest_offers(session, partner=partner, records=[offer("1", coupons=first[1:])],
                  now=NOW + HOUR)
    assert offer_row(session, "1").final_price == 9900
    assert refresh_due_offers(session, now=NOW + DAY + END_GRACE) == 1
    assert offer_row(session, "1").final_price == 10000


def test_retired_offers_are_skipped(session: Session, partner: Partner) -> None:
    record = offer("1", coupons=(coupon("c1", ends_at=NOW + DAY),))
    ingest_offers(session, partner=partner, records=[record], now=NOW)
    session.execute(update(Offer).values(retired_at=NOW + HOUR))
    assert refresh_due_offers(session, now=NOW + 2 * DAY) == 0
    assert offer_row(session, "1").final_price == 9000


def test_refresh_works_in_batches(session: Session, partner: Partner) -> None:
    records = [offer(str(i), coupons=(coupon(f"c{i}", ends_at=NOW + DAY),)) for i in range(5)]
    ingest_offers(session, partner=partner, records=records, now=NOW)
    done = [refresh_due_offers(session, now=NOW + 2 * DAY, batch=2) for _ in range(4)]
    assert done == [2, 2, 1, 0]
    assert {offer_row(session, str(i)).final_price for i in range(5)} == {10000}
