"""Badges a deal earns, from its stored price facts: pure, so every rule is a table test.

- ``low_30d``: the final price is at or below every final price of the previous 30 days
  (and the offer has such a history: a new listing earns nothing yet);
- ``all_time_low``: below every final price the offer ever had;
- ``price_dropped``: the final price went down within the last three days;
- ``coupon_ends_soon``: the coupon giving the final price ends within 48 hours;
- ``inflated_list_price``: the partner's "original" price was never a selling price (or
  is far above the 30-day range); the site shows it as unverified, not as a saving.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

Badge = Literal["low_30d", "all_time_low", "price_dropped", "coupon_ends_soon",
                "inflated_list_price"]
ENDS_SOON = timedelta(hours=48)
JUST_DROPPED = timedelta(days=3)


def badges(*, final_price: int, prior_low_30d: int | None, prior_low_all: int | None,
           price_dropped_at: datetime | None, coupon_ends_at: datetime | None,
           list_price_inflated: bool, now: datetime) -> list[Badge]:
    earned: list[Badge] = []
    if prior_low_all is not None and final_price < prior_low_all:
        earned.append("all_time_low")
    if prior_low_30d is not None and final_price <= prior_low_30d:
        earned.append("low_30d")
    if price_dropped_at is not None and timedelta(0) <= now - price_dropped_at <= JUST_DROPPED:
        earned.append("price_dropped")
    if coupon_ends_at is not None and now < coupon_ends_at <= now + ENDS_SOON:
        earned.append("coupon_ends_soon")
    if list_price_inflated:
        earned.append("inflated_list_price")
    return earned
