"""Every badge rule, by table (aggregator.badges)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from aggregator.badges import ENDS_SOON, JUST_DROPPED, badges
from tests.conftest import FIXED_NOW

NOW = FIXED_NOW
NONE: dict[str, Any] = {"final_price": 1000, "prior_low_30d": None, "prior_low_all": None,
                        "price_dropped_at": None, "coupon_ends_at": None,
                        "list_price_inflated": False}


def at(delta: timedelta) -> datetime:
    return NOW + delta


# (why, fields that differ from NONE, badges)
CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    ("a new listing earns nothing", {}, []),
    ("below every price of 30 days and ever", {"prior_low_30d": 1200, "prior_low_all": 1100},
     ["all_time_low", "low_30d"]),
    ("equal to the 30-day low is still the 30-day low", {"prior_low_30d": 1000},
     ["low_30d"]),
    ("above the 30-day low", {"prior_low_30d": 900}, []),
    ("equal to the all-time low is not a new low", {"prior_low_all": 1000}, []),
    ("30-day low but not the all-time low", {"prior_low_30d": 1500, "prior_low_all": 800},
     ["low_30d"]),
    ("dropped an hour ago", {"price_dropped_at": at(-timedelta(hours=1))}, ["price_dropped"]),
    ("dropped exactly three days ago", {"price_dropped_at": at(-JUST_DROPPED)},
     ["price_dropped"]),
    ("dropped more than three days ago",
     {"price_dropped_at": at(-JUST_DROPPED - timedelta(seconds=1))}, []),
    ("a drop stamped in the future (clock skew) is not shown",
     {"price_dropped_at": at(timedelta(minutes=5))}, []),
    ("coupon ends in an hour", {"coupon_ends_at": at(timedelta(hours=1))},
     ["coupon_ends_soon"]),
    ("coupon ends in exactly 48 hours", {"coupon_ends_at": at(ENDS_SOON)},
     ["coupon_ends_soon"]),
    ("coupon ends in 48 hours and a second",
     {"coupon_ends_at": at(ENDS_SOON + timedelta(seconds=1))}, []),
    ("coupon already ended", {"coupon_ends_at": at(-timedelta(seconds=1))}, []),
    ("coupon ends now", {"coupon_ends_at": NOW}, []),
    ("unverified list price", {"list_price_inflated": True}, ["inflated_list_price"]),
    ("everything at once",
     {"prior_low_30d": 2000, "prior_low_all": 1500, "price_dropped_at": NOW,
      "coupon_ends_at": at(timedelta(hours=3)), "list_price_inflated": True},
     ["all_time_low", "low_30d", "price_dropped", "coupon_ends_soon", "inflated_list_price"]),
]


@pytest.mark.parametrize(("why", "fields", "expected"), CASES, ids=[c[0] for c in CASES])
def test_badges(why: str, fields: dict[str, Any], expected: list[str]) -> None:
    assert badges(**(NONE | fields), now=NOW) == expected
