"""Coupon fields for sandbox Taobao records, in every shape the real feed uses.

The spiders must cope with each shape, so the generator spreads them over the
catalog: three ``coupon_info`` wordings (with and without the numeric fields),
no coupon at all, coupons that cannot apply today (expired, exhausted, not yet
started, minimum above the price) and three encodings of the coupon window.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from typing import Any

from crawlers.sandbox.draws import between, pick, weighted

# Wordings; their weights are in STYLE_TABLE below.
THRESHOLD = "threshold"  # "满500元减199元" + coupon_amount/coupon_start_fee
THRESHOLD_TEXT_ONLY = "threshold_text_only"  # "满98.0元减5.0元", numeric fields missing
NO_THRESHOLD = "no_threshold"  # "20元无条件券"
EMPTY = "empty"  # coupon_info ""
ABSENT = "absent"  # no coupon keys at all
STYLES = (THRESHOLD, THRESHOLD_TEXT_ONLY, NO_THRESHOLD, EMPTY, ABSENT)
STYLE_TABLE = weighted(tuple(zip(STYLES, (35, 20, 15, 15, 15), strict=True)))

# Whether the coupon can be used today.
VALID = "valid"
EXPIRED = "expired"
EXHAUSTED = "exhausted"
NOT_STARTED = "not_started"
MIN_ABOVE_PRICE = "min_above_price"
STATES = (VALID, EXPIRED, EXHAUSTED, NOT_STARTED, MIN_ABOVE_PRICE)
STATE_TABLE = weighted(tuple(zip(STATES, (70, 10, 7, 6, 7), strict=True)))

# Encodings of coupon_start_time / coupon_end_time.
DATE = "date"  # "2026-11-20", valid through the end of that day
WALL_CLOCK = "wall_clock"  # "2026-11-20 00:00:00" in UTC+8
EPOCH_MS = "epoch_ms"  # "1924991999000"
TIME_FORMS = (DATE, WALL_CLOCK, EPOCH_MS)

# Thresholds sellers actually pick: "满99减20" rather than "满97减20".
# fmt: off
NICE_MINIMUMS = (
    9, 19, 29, 39, 49, 59, 69, 79, 99, 109, 129, 149, 159, 199, 239, 299, 349, 399,
    499, 500, 599, 699, 799, 999, 1299, 1599, 1999,
)
# fmt: on
NO_THRESHOLD_AMOUNTS = (3, 5, 10, 20, 30, 50)
TOTAL_COUNTS = (1000, 5000, 10000, 20000, 50000, 100000)

_UTC8_MIDNIGHT_OFFSET_S = 8 * 3600
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def coupon_fields(rng: random.Random, *, price_yuan: int, today: dt.date) -> dict[str, Any]:
    """The coupon keys of one record; ``price_yuan`` is the whole-yuan part of the price."""
    style = pick(rng, STYLE_TABLE)
    if style == ABSENT:
        return {}
    if style == EMPTY:
        return {"coupon_info": ""}
    state = pick(rng, STATE_TABLE)
    if style == NO_THRESHOLD and state == MIN_ABOVE_PRICE:
        state = VALID  # a coupon without a minimum cannot miss it
    fields = _amount_fields(rng, style=style, state=state, price_yuan=price_yuan)
    fields.update(_window_fields(rng, state=state, today=today))
    fields.update(_count_fields(rng, state=state))
    return fields


def _amount_fields(
    rng: random.Random, *, style: str, state: str, price_yuan: int
) -> dict[str, Any]:
    if style == NO_THRESHOLD:
        amount = _no_threshold_amount(rng, price_yuan)
        fields: dict[str, Any] = {"coupon_info": f"{amount}元无条件券"}
        if rng.random() < 0.5:  # some feeds repeat the numbers, some do not
            fields.update(coupon_amount=str(amount), coupon_start_fee="0")
        return fields
    minimum = _minimum(rng, price_yuan, above=state == MIN_ABOVE_PRICE)
    amount = _threshold_amount(rng, minimum)
    if style == THRESHOLD_TEXT_ONLY:
        return {"coupon_info": f"满{minimum}.0元减{amount}.0元"}
    return {
        "coupon_info": f"满{minimum}元减{amount}元",
        "coupon_amount": str(amount),
        "coupon_start_fee": str(minimum),
    }


def _no_threshold_amount(rng: random.Random, price_yuan: int) -> int:
    # Keep the amount well under the price: a 20元 coupon on a 9元 item is not a real offer.
    fitting = bisect.bisect_right(NO_THRESHOLD_AMOUNTS, price_yuan // 3)
    return NO_THRESHOLD_AMOUNTS[int(rng.random() * fitting)] if fitting else 1


def _minimum(rng: random.Random, price_yuan: int, *, above: bool) -> int:
    at_most = bisect.bisect_right(NICE_MINIMUMS, price_yuan)  # how many are <= the price
    if above:
        return NICE_MINIMUMS[at_most] if at_most < len(NICE_MINIMUMS) else price_yuan * 2
    if not at_most:
        return max(price_yuan, 1)
    # Most sellers set the minimum just under the price so one unit qualifies.
    if rng.random() < 0.7:
        return NICE_MINIMUMS[at_most - 1]
    return NICE_MINIMUMS[int(rng.random() * at_most)]


def _threshold_amount(rng: random.Random, minimum: int) -> int:
    amount = max(1, round(minimum * rng.uniform(0.04, 0.4)))
    if amount >= 20:
        amount -= amount % 5
    return min(amount, max(1, minimum - 1))


def _window_fields(rng: random.Random, *, state: str, today: dt.date) -> dict[str, str]:
    start, end = _window(rng, state=state, today=today.toordinal())
    form = pick(rng, TIME_FORMS)
    return {
        "coupon_start_time": _format_time(start, form, end_of_day=False),
        "coupon_end_time": _format_time(end, form, end_of_day=True),
    }


def window_days(rng: random.Random, *, state: str, today: dt.date) -> tuple[int, int]:
    """First and last valid day (proleptic ordinals) of a coupon in ``state``."""
    return _window(rng, state=state, today=today.toordinal())


def day_epoch(day: int, *, end_of_day: bool) -> int:
    """Unix seconds of the start (or last second) of ``day`` in UTC+8."""
    seconds = (day - _EPOCH_ORDINAL) * 86400 - _UTC8_MIDNIGHT_OFFSET_S
    return seconds + 86399 if end_of_day else seconds


def _window(rng: random.Random, *, state: str, today: int) -> tuple[int, int]:
    """First and last valid day as proleptic ordinals (int maths is cheaper than timedelta)."""
    if state == EXPIRED:
        end = today - between(rng, 1, 120)
        return end - between(rng, 3, 60), end
    if state == NOT_STARTED:
        start = today + between(rng, 1, 20)
        return start, start + between(rng, 7, 90)
    start = today - between(rng, 0, 30)
    # A few valid coupons end today or tomorrow: the "ends at midnight" edge.
    ahead = between(rng, 0, 1) if rng.random() < 0.1 else between(rng, 20, 400)
    return start, today + ahead


def _format_time(day: int, form: str, *, end_of_day: bool) -> str:
    if form == EPOCH_MS:
        return str(day_epoch(day, end_of_day=end_of_day) * 1000)
    text = dt.date.fromordinal(day).isoformat()
    if form == DATE:
        return text
    return f"{text} 23:59:59" if end_of_day else f"{text} 00:00:00"


def _count_fields(rng: random.Random, *, state: str) -> dict[str, int]:
    total = pick(rng, TOTAL_COUNTS)
    remain = 0 if state == EXHAUSTED else between(rng, 1, total)
    fields = {"coupon_remain_count": remain}
    if rng.random() < 0.85:  # the total is missing from some records
        fields["coupon_total_count"] = total
    return fields
