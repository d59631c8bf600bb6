"""券后价: which coupon is valid now, the final price it gives, and when that changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from aggregator.pricing import (
    END_GRACE,
    best_coupon,
    discount_bp,
    is_active,
    next_change,
    price_after,
)
from aggregator.records import CouponRecord
from tests.aggregator.factories import coupon
from tests.conftest import FIXED_NOW

NOW = FIXED_NOW
HOUR = timedelta(hours=1)
MICRO = timedelta(microseconds=1)
PAST, FUTURE = NOW - 24 * HOUR, NOW + 24 * HOUR


# (case, coupons, price, id of the best coupon or None, final price)
CASES: list[tuple[str, tuple[CouponRecord, ...], int, str | None, int]] = [
    ("no coupons", (), 10000, None, 10000),
    ("amount off", (coupon("a", amount=1500),), 10000, "a", 8500),
    ("percent off", (coupon("p", kind="percent_off", amount=None, percent_bp=1500),),
     10000, "p", 8500),
    ("percent off rounds the discount half up",
     (coupon("p", kind="percent_off", amount=None, percent_bp=1550),), 999, "p", 844),
    ("100% off", (coupon("p", kind="percent_off", amount=None, percent_bp=10000),), 999, "p", 0),
    ("free shipping leaves the price", (coupon("f", kind="free_shipping", amount=None),),
     10000, None, 10000),
    ("expired", (coupon("a", starts_at=PAST - HOUR, ends_at=PAST),), 10000, None, 10000),
    # ends_at names the last valid second: live until one second after it
    ("ends_at one second ago", (coupon("a", ends_at=NOW - END_GRACE),), 10000, None, 10000),
    ("ends_at two seconds ago", (coupon("a", ends_at=NOW - 2 * END_GRACE),), 10000, None, 10000),
    ("inside the last second", (coupon("a", ends_at=NOW - END_GRACE + MICRO),),
     10000, "a", 9000),
    ("exactly at ends_at is still live", (coupon("a", ends_at=NOW),), 10000, "a", 9000),
    ("not yet started", (coupon("a", starts_at=FUTURE, ends_at=FUTURE + HOUR),),
     10000, None, 10000),
    ("starts exactly now", (coupon("a", starts_at=NOW, ends_at=FUTURE),), 10000, "a", 9000),
    ("inside its window", (coupon("a", starts_at=PAST, ends_at=FUTURE),), 10000, "a", 9000),
    ("exhausted", (coupon("a", remaining=0, total=100),), 10000, None, 10000),
    ("one left", (coupon("a", remaining=1, total=100),), 10000, "a", 9000),
    ("remaining unknown is unlimited", (coupon("a", remaining=None),), 10000, "a", 9000),
    ("min spend not met", (coupon("a", min_spend=10001),), 10000, None, 10000),
    ("min spend exactly met", (coupon("a", min_spend=10000),), 10000, "a", 9000),
    ("min spend below price", (coupon("a", min_spend=9900),), 10000, "a", 9000),
    ("never below zero", (coupon("a", amount=20000),), 10000, "a", 0),
    ("amount equals price", (coupon("a", amount=10000),), 10000, "a", 0),
    ("free item stays free", (coupon("a"),), 0, None, 0),
    ("best of several", (coupon("small", amount=500), coupon("big", amount=3000),
                         coupon("pct", kind="percent_off", amount=None, percent_bp=2000)),
     10000, "big", 7000),
    ("percent beats amount on a dear item",
     (coupon("amt", amount=3000), coupon("pct", kind="percent_off", amount=None, percent_bp=2000)),
     20000, "pct", 16000),
    ("a bigger coupon that cannot apply is skipped",
     (coupon("expired", amount=5000, ends_at=PAST), coupon("threshold", amount=4000,
                                                          min_spend=20000),
      coupon("used_up", amount=3000, remaining=0), coupon("later", amount=2500, starts_at=FUTURE),
      coupon("ok", amount=100)),
     10000, "ok", 9900),
    ("tie: the first listed wins", (coupon("first", amount=1000), coupon("second", amount=1000)),
     10000, "first", 9000),
    ("free shipping beside a real coupon",
     (coupon("f", kind="free_shipping", amount=None), coupon("a", amount=100)), 10000, "a", 9900),
]


@pytest.mark.parametrize(
    ("coupons", "price", "best_id", "final"),
    [case[1:] for case in CASES], ids=[case[0] for case in CASES],
)
def test_best_coupon(coupons: tuple[CouponRecord, ...], price: int, best_id: str | None,
                     final: int) -> None:
    best, result = best_coupon(coupons, price, NOW)
    assert (best.external_id if best else None) == best_id
    assert result == final
    assert result >= 0


def test_best_coupon_accepts_naive_times_as_utc() -> None:
    # Rows read without the UTC column type come back naive; they are UTC.
    def row(ends_at: datetime) -> SimpleNamespace:
        return SimpleNamespace(kind="amount_off", amount=1000, percent_bp=None, min_spend=0,
                               starts_at=None, ends_at=ends_at, remaining=None)

    naive_end = NOW.replace(tzinfo=None)  # in its last second
    expired = (NOW - END_GRACE).replace(tzinfo=None)
    assert best_coupon([row(naive_end)], 10000, NOW)[1] == 9000
    assert best_coupon([row(expired)], 10000, NOW)[1] == 10000


def test_records_refuse_naive_times() -> None:
    with pytest.raises(ValueError, match="naive"):
        coupon("a", ends_at=NOW.replace(tzinfo=None))


@pytest.mark.parametrize(
    ("fields", "active"),
    [
        ({}, True),
        ({"starts_at": NOW}, True),
        ({"starts_at": NOW + timedelta(seconds=1)}, False),
        ({"ends_at": NOW}, True),
        ({"ends_at": NOW - timedelta(seconds=1) + MICRO}, True),
        ({"ends_at": NOW - timedelta(seconds=1)}, False),
        ({"remaining": 0}, False),
        ({"remaining": 5}, True),
        ({"min_spend": 10**9}, True),  # the minimum is checked per price, not here
    ],
)
def test_is_active(fields: dict[str, object], active: bool) -> None:
    assert is_active(coupon("a", **fields), NOW) is active


@pytest.mark.parametrize(
    ("record", "price", "expected"),
    [
        (coupon("a", amount=250), 1000, 750),
        (coupon("a", amount=2500), 1000, 0),
        (coupon("p", kind="percent_off", amount=None, percent_bp=3333), 1000, 667),
        (coupon("f", kind="free_shipping", amount=None), 1000, 1000),
    ],
)
def test_price_after(record: CouponRecord, price: int, expected: int) -> None:
    assert price_after(record, price) == expected


@pytest.mark.parametrize(
    ("coupons", "expected"),
    [
        ((), None),
        ((coupon("a"),), None),  # an open-ended coupon never changes the price
        # a coupon closes one second after its ends_at (the last valid second)
        ((coupon("a", ends_at=NOW + HOUR),), NOW + HOUR + END_GRACE),
        ((coupon("a", starts_at=NOW + HOUR, ends_at=NOW + 5 * HOUR),), NOW + HOUR),
        ((coupon("a", starts_at=PAST, ends_at=NOW + 5 * HOUR),), NOW + 5 * HOUR + END_GRACE),
        ((coupon("a", ends_at=NOW),), NOW + END_GRACE),  # still in its last second
        ((coupon("a", ends_at=NOW - END_GRACE),), None),  # closed exactly now: no future edge
        ((coupon("a", ends_at=PAST),), None),
        ((coupon("a", starts_at=NOW),), None),
        ((coupon("a", ends_at=NOW + 9 * HOUR), coupon("b", starts_at=NOW + 3 * HOUR),
          coupon("c", ends_at=NOW + 4 * HOUR)), NOW + 3 * HOUR),
        ((coupon("a", ends_at=NOW + 3 * HOUR), coupon("b", starts_at=NOW + 3 * HOUR)),
         NOW + 3 * HOUR),
        # a coupon that cannot apply (exhausted) still has its edges considered
        ((coupon("a", remaining=0, ends_at=NOW + 2 * HOUR),), NOW + 2 * HOUR + END_GRACE),
    ],
)
def test_next_change(coupons: tuple[CouponRecord, ...], expected: datetime | None) -> None:
    assert next_change(coupons, NOW) == expected


@pytest.mark.parametrize(
    ("reference", "final", "expected"),
    [
        (10000, 7500, 2500),
        (10000, 10000, 0),
        (10000, 12000, 0),
        (10000, 0, 10000),
        (999, 1, 9989),  # floored, never overstated
        (3, 2, 3333),
        (None, 500, 0),
        (0, 0, 0),
    ],
)
def test_discount_bp(reference: int | None, final: int, expected: int) -> None:
    assert discount_bp(reference, final) == expected
