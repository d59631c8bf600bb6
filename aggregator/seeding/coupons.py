"""Coupons of seeded offers (满减, 无门槛, 折扣) and merchant-wide vouchers with codes.

Money is in minor units. Windows of offer coupons open and close at the offer's
observation times (see aggregator.seeding.prices); vouchers belong to no offer and
change no stored price, so their windows are simply spread around now.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from aggregator.seeding.prices import DAY, CouponDraft

COUPON_SHARE = 0.6  # Chinese offers with a live coupon
SECOND_SHARE = 0.15  # of those, offers with a second live coupon
ENDING_SOON_SHARE = 0.15  # live coupons that end within 48 hours
EXPIRED_SHARE = 0.12  # offers whose history saw a coupon that has since ended
RETIRED_SHARE = 0.05  # offers whose history saw a coupon the partner no longer lists
SECOND = timedelta(seconds=1)
HOUR = timedelta(hours=1)

_THRESHOLDS = (19, 29, 39, 49, 59, 69, 79, 99, 109, 129, 159, 199, 249, 299, 399, 499, 599,
               799, 999, 1299, 1999, 2999, 3999, 4999, 5999, 6999, 7999, 8999, 9999, 12999,
               19999)
_AMOUNTS = (3, 5, 10, 15, 20, 30, 40, 50, 60, 80, 100, 150, 200, 300, 400, 500, 800, 1000,
            1500, 2000)
_NO_MINIMUM = (3, 5, 10, 20, 30)
_PERCENTS = (500, 1000, 1500)


@dataclass(frozen=True, slots=True)
class Terms:
    kind: str
    amount: int | None
    percent_bp: int | None
    min_spend: int
    title: str


def _threshold(rng: random.Random, yuan: int) -> int:
    """Usually a threshold one unit meets; sometimes one that needs a second unit."""
    below = [t for t in _THRESHOLDS if t <= yuan]
    if below and rng.random() < 0.85:
        return rng.choice(below[-3:])
    above = [t for t in _THRESHOLDS if t > yuan]
    return above[0] if above else _THRESHOLDS[-1]


def _amount(rng: random.Random, threshold: int) -> int:
    target = threshold * rng.uniform(0.05, 0.3)
    return max([a for a in _AMOUNTS if a <= target], default=_AMOUNTS[0])


def coupon_terms(rng: random.Random, price: int) -> Terms:
    """满减 (most), 无门槛 (a quarter, on items worth it) or a 满N享折扣."""
    yuan = price // 100
    draw = rng.random()
    free = [a for a in _NO_MINIMUM if a * 4 <= yuan]
    if draw < 0.25 and free:
        amount = rng.choice(free)
        return Terms("amount_off", amount * 100, None, 0, f"{amount}元无门槛券")
    threshold = _threshold(rng, yuan)
    if draw > 0.9:
        bp = rng.choice(_PERCENTS)
        return Terms("percent_off", None, bp, threshold * 100,
                     f"满{threshold}元享{(10000 - bp) / 1000:g}折")
    amount = _amount(rng, threshold)
    return Terms("amount_off", amount * 100, None, threshold * 100, f"满{threshold}元减{amount}元")


def _draft(rng: random.Random, external_id: str, terms: Terms, starts: datetime,
           ends: datetime, retired_at: datetime | None = None) -> CouponDraft:
    total = rng.choice((1000, 5000, 10000, 20000, 50000, 100000))
    return CouponDraft(external_id=external_id, kind=terms.kind, title=terms.title,
                       amount=terms.amount, percent_bp=terms.percent_bp,
                       min_spend=terms.min_spend, starts_at=starts, ends_at=ends,
                       remaining=rng.randint(1, total), total=total, retired_at=retired_at)


def _opened(rng: random.Random, times: Sequence[datetime], at: int) -> datetime:
    """A window opening at observation ``at`` (the first: some days before listing)."""
    return times[at] if at else times[0] - DAY * rng.uniform(0, 10)


def offer_coupons(rng: random.Random, *, external_id: str, price: int,
                  times: Sequence[datetime], now: datetime) -> list[CouponDraft]:
    coupons: list[CouponDraft] = []
    live = 0
    if rng.random() < COUPON_SHARE:
        live = 2 if rng.random() < SECOND_SHARE else 1
    for n in range(1, live + 1):
        ends = now + (HOUR * rng.uniform(1, 47) if rng.random() < ENDING_SOON_SHARE
                      else DAY * rng.uniform(2, 30))
        opened = _opened(rng, times, rng.randrange(len(times)))
        coupons.append(_draft(rng, f"{external_id}-c{n}", coupon_terms(rng, price), opened, ends))
    draw = rng.random()
    if draw < EXPIRED_SHARE + RETIRED_SHARE:
        # Live from observation a until observation b: ended (or delisted) in between.
        a = rng.randrange(len(times) - 1)
        b = rng.randrange(a + 1, len(times))
        terms = coupon_terms(rng, price)
        ext = f"{external_id}-c{live + 1}"
        if draw < EXPIRED_SHARE:
            coupons.append(_draft(rng, ext, terms, _opened(rng, times, a), times[b] - SECOND))
        else:
            coupons.append(_draft(rng, ext, terms, _opened(rng, times, a),
                                  now + DAY * rng.uniform(2, 30), retired_at=times[b]))
    return coupons


# ---- merchant-wide vouchers (Awin promotions) ----

@dataclass(frozen=True, slots=True)
class VoucherDraft:
    merchant: str  # advertiser id
    external_id: str
    code: str | None
    terms: Terms
    starts_at: datetime
    ends_at: datetime
    retired_at: datetime | None


_VOUCHERS = (
    (Terms("percent_off", None, 1000, 5000, "10% off orders over £50"), "SAVE10"),
    (Terms("amount_off", 500, None, 4000, "£5 off when you spend £40"), "FIVER"),
    (Terms("free_shipping", None, None, 2000, "Free delivery on orders over £20"), None),
    (Terms("percent_off", None, 2000, 0, "20% off selected lines"), "EXTRA20"),
    (Terms("amount_off", 1000, None, 7500, "£10 off orders over £75"), "TENOFF"),
    (Terms("percent_off", None, 1500, 0, "15% off your first order"), "WELCOME15"),
)


def _voucher_window(rng: random.Random,
                    now: datetime) -> tuple[datetime, datetime, datetime | None]:
    """Running, ending within 48 h, ended, withdrawn, or starting in a few days."""
    starts = now - DAY * rng.uniform(1, 30)
    draw = rng.random()
    if draw < 0.15:
        return starts, now + HOUR * rng.uniform(1, 47), None
    if draw < 0.25:
        return starts - DAY * 20, now - DAY * rng.uniform(1, 20), None
    if draw < 0.3:
        return starts, now + DAY * rng.uniform(5, 40), now - DAY * rng.uniform(0, 1)
    if draw < 0.4:
        later = now + DAY * rng.uniform(1, 5)
        return later, later + DAY * 14, None
    return starts, now + DAY * rng.uniform(7, 45), None


def merchant_vouchers(rng: random.Random, merchants: Sequence[str],
                      now: datetime) -> list[VoucherDraft]:
    drafts = []
    for merchant in merchants:
        for n, (terms, code) in enumerate(rng.sample(_VOUCHERS, rng.randint(2, 4)), start=1):
            starts, ends, retired = _voucher_window(rng, now)
            drafts.append(VoucherDraft(merchant=merchant, external_id=f"seed-{merchant}-{n}",
                                       code=code, terms=terms, starts_at=starts, ends_at=ends,
                                       retired_at=retired))
    return drafts
