"""Prices, coupons and price history of seeded offers, consistent with one another.

An offer's history is drawn first (3-8 observations, each a new price), then its
coupons, whose windows open and close exactly at observation times; each
observation's final price is what ``aggregator.pricing.best_coupon`` gave then. So a
crawl that had watched the offer would have recorded the same rows, and the honest
price columns replayed through ``aggregator.history`` hold what ingest would store.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aggregator.history import Observation, PriceFacts, first_facts, price_facts
from aggregator.offer_pricing import priced
from aggregator.pricing import best_coupon

DAY = timedelta(days=1)
MAX_AGE_DAYS = 90
_SLOTS = 1000  # observation times fall on a grid of this many steps after the first


@dataclass(slots=True)
class CouponDraft:
    """An offer coupon (satisfies aggregator.pricing.CouponLike)."""

    external_id: str
    kind: str
    title: str
    amount: int | None
    percent_bp: int | None
    min_spend: int
    starts_at: datetime | None
    ends_at: datetime | None
    remaining: int | None
    total: int | None
    retired_at: datetime | None = None


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def nice_price(minor: int, currency: str) -> int:
    """A price as shops write it: ¥29.90, ¥129, ¥1299; £24.99, £249.99."""
    major = max(minor, 1) // 100
    if currency == "CNY":
        if major < 30:
            return major * 100 + 90
        if major < 1000:
            return (major // 10 * 10 + 9) * 100
        return (major // 100 * 100 + 99) * 100
    if major < 100:
        return major * 100 + 99
    return (major // 10 * 10 + 9) * 100 + 99


def history_times(rng: random.Random, now: datetime, count: int) -> list[datetime]:
    """``count`` distinct moments in the last 90 days, oldest first (the first: listed)."""
    age = timedelta(days=rng.uniform(1, MAX_AGE_DAYS))
    step = age / _SLOTS
    first = now - age
    slots: set[int] = set()
    while len(slots) < count - 1:  # random.sample's checks cost more than this loop
        slots.add(1 + int(rng.random() * (_SLOTS - 1)))
    return [first, *(first + step * slot for slot in sorted(slots))]


def price_walk(rng: random.Random, current: int, count: int, currency: str) -> list[int]:
    """``count`` prices ending at ``current``, each different from the one before it.

    Looking back, prices were more often higher: many offers sit at a 30-day low.
    """
    prices = [current]
    for _ in range(count - 1):
        later = prices[-1]
        earlier = later
        for _attempt in range(6):
            factor = rng.uniform(1.04, 1.3) if rng.random() < 0.6 else rng.uniform(0.8, 0.96)
            earlier = nice_price(int(later * factor), currency)
            if earlier != later:
                break
        if earlier == later:
            earlier = later + 100
        prices.append(earlier)
    prices.reverse()
    return prices


def observations(prices: Sequence[int], times: Sequence[datetime],
                 coupons: Sequence[CouponDraft]) -> list[Observation]:
    """The price and final price in force at each observation time."""
    if not coupons:
        return [Observation(at=at, price=price, final_price=price)
                for price, at in zip(prices, times, strict=True)]
    seen = []
    for price, at in zip(prices, times, strict=True):
        listed = [c for c in coupons if c.retired_at is None or c.retired_at > at]
        seen.append(Observation(at=at, price=price, final_price=best_coupon(listed, price, at)[1]))
    return seen


def replayed_facts(history: Sequence[Observation], list_price: int | None) -> PriceFacts:
    """The honest-price facts ingest stored when it wrote the last observation."""
    facts = first_facts(price=history[0].price, list_price=list_price)
    for i in range(1, len(history)):
        seen = history[i]
        facts = price_facts(history=history[:i], price=seen.price, final_price=seen.final_price,
                            list_price=list_price, previous=facts, now=seen.at)
    return facts


def pricing_columns(*, history: Sequence[Observation], list_price: int | None,
                    coupons: Sequence[CouponDraft], sales: int, in_stock: bool,
                    listed_at: datetime, now: datetime, reliability_bp: int) -> dict[str, Any]:
    """final_price, discount, score and history facts, as ingest's ``priced`` gives them."""
    last = history[-1]
    return priced(price=last.price, list_price=list_price,
                  coupons=[c for c in coupons if c.retired_at is None], sales=sales,
                  in_stock=in_stock, now=now, reliability_bp=reliability_bp,
                  history=history, previous=replayed_facts(history, list_price),
                  listed_at=listed_at)


def list_price_for(rng: random.Random, prices: Sequence[int], currency: str,
                   share: float) -> int | None:
    """A "was" price: half the time the highest price it really sold at, else inflated."""
    if rng.random() >= share:
        return None
    high = max(prices)
    if high > prices[-1] and rng.random() < 0.5:
        return high
    return nice_price(int(prices[-1] * rng.uniform(1.6, 3.0)), currency)
