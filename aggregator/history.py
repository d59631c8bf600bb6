"""Honest prices from an offer's own history (the EU Omnibus rule, applied to every deal).

A discount is measured against the lowest selling price in force during the 30 days
before the current price, never against the partner's "original" price. An offer with
no history yet has no reference: only its coupon counts as a discount.

Observations are written only when price or final price changes, so the price in
force at any moment is that of the latest observation at or before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

WINDOW = timedelta(days=30)
# A list price this far above the highest selling price of the window is inflated
# even if it was once a selling price.
INFLATED_RATIO = 1.5


@dataclass(frozen=True, slots=True)
class Observation:
    at: datetime
    price: int
    final_price: int


@dataclass(frozen=True, slots=True)
class PriceFacts:
    ref_price: int | None  # lowest selling price of the 30 days before the current one
    prior_low_30d: int | None  # lowest final price of those 30 days
    prior_low_all: int | None  # lowest final price ever before the current one
    price_dropped_at: datetime | None  # when the final price last went down
    list_price_inflated: bool


def _in_force(history: Sequence[Observation], now: datetime) -> list[Observation]:
    """The observations whose prices held at some moment of the window before ``now``."""
    start = now - WINDOW
    before = [o for o in history if o.at <= start]
    inside = [o for o in history if start < o.at < now]
    return before[-1:] + inside


def _inflated(list_price: int | None, price: int, seen_prices: set[int],
              window_high: int | None) -> bool:
    if list_price is None or list_price <= price:
        return False
    if list_price not in seen_prices:
        return True
    return window_high is not None and list_price > window_high * INFLATED_RATIO


def first_facts(*, price: int, list_price: int | None) -> PriceFacts:
    """A new offer: no reference yet, and a list price nobody has seen it sell at."""
    return PriceFacts(ref_price=None, prior_low_30d=None, prior_low_all=None,
                      price_dropped_at=None,
                      list_price_inflated=_inflated(list_price, price, {price}, None))


def price_facts(*, history: Sequence[Observation], price: int, final_price: int,
                list_price: int | None, previous: PriceFacts, now: datetime) -> PriceFacts:
    """Facts for the price seen at ``now``, given the offer's observations before it.

    ``history`` is ordered oldest first and ends with the price in force until now.
    """
    if not history:
        return first_facts(price=price, list_price=list_price)
    last = history[-1]
    # A price seen and replaced at the same instant (two batches of one crawl) held only
    # for that instant: it is still the one the new price replaces.
    held = _in_force(history, now) or [last]
    inflated = _inflated(list_price, price, {o.price for o in history} | {price},
                         max([o.price for o in held] + [price]))
    if (last.price, last.final_price) == (price, final_price):
        # No new price: the reference still belongs to the current one.
        return replace(previous, list_price_inflated=inflated)
    if final_price < last.final_price:
        dropped: datetime | None = now
    else:
        dropped = previous.price_dropped_at if final_price == last.final_price else None
    lows = [x for x in (previous.prior_low_all, min(o.final_price for o in history))
            if x is not None]
    return PriceFacts(
        ref_price=min(o.price for o in held), prior_low_30d=min(o.final_price for o in held),
        prior_low_all=min(lows), price_dropped_at=dropped, list_price_inflated=inflated,
    )


def real_discount_bp(*, price: int, final_price: int, ref_price: int | None) -> int:
    """Saving of the final price against the 30-day reference (or the price, if none)."""
    base = ref_price if ref_price is not None else price
    if base <= 0 or final_price >= base:
        return 0
    return (base - final_price) * 10000 // base
