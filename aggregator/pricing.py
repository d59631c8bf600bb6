"""Which coupon applies now, and the final price (券后价) it gives."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from aggregator.money import apply_percent
from aggregator.timeutil import as_utc


class CouponLike(Protocol):
    """What pricing reads of a coupon: a CouponRecord or a Coupon row."""

    @property
    def kind(self) -> str: ...
    @property
    def amount(self) -> int | None: ...
    @property
    def percent_bp(self) -> int | None: ...
    @property
    def min_spend(self) -> int: ...
    @property
    def starts_at(self) -> datetime | None: ...
    @property
    def ends_at(self) -> datetime | None: ...
    @property
    def remaining(self) -> int | None: ...


# Partners name the last valid second ("2023-05-31 23:59:59", or a date meaning the whole
# day), so a coupon is live until one second after its ends_at.
END_GRACE = timedelta(seconds=1)


def is_active(coupon: CouponLike, now: datetime) -> bool:
    """Inside its window and not exhausted (the minimum spend is checked per price)."""
    if coupon.starts_at is not None and as_utc(coupon.starts_at) > now:
        return False
    if coupon.ends_at is not None and as_utc(coupon.ends_at) + END_GRACE <= now:
        return False
    return coupon.remaining is None or coupon.remaining > 0


def price_after(coupon: CouponLike, price: int) -> int:
    """One unit's price after ``coupon``, assuming it is active and its minimum is met."""
    if coupon.kind == "amount_off":
        return max(0, price - (coupon.amount or 0))
    if coupon.kind == "percent_off":
        return max(0, price - apply_percent(price, coupon.percent_bp or 0))
    return price  # free shipping does not change the item price


C = TypeVar("C", bound=CouponLike)


def best_coupon(coupons: Iterable[C], price: int, now: datetime) -> tuple[C | None, int]:
    """The coupon giving the lowest price for one unit now, and that final price."""
    best: C | None = None
    final = price
    for coupon in coupons:
        if not is_active(coupon, now) or coupon.min_spend > price:
            continue
        candidate = price_after(coupon, price)
        if candidate < final:
            best, final = coupon, candidate
    return best, final


def next_change(coupons: Iterable[CouponLike], now: datetime) -> datetime | None:
    """The next instant a coupon window opens or closes: the stored final price expires then."""
    moments = []
    for coupon in coupons:
        edges = (coupon.starts_at, coupon.ends_at + END_GRACE if coupon.ends_at else None)
        moments += [as_utc(edge) for edge in edges if edge is not None and as_utc(edge) > now]
    return min(moments, default=None)


def discount_bp(reference: int | None, final: int) -> int:
    """How far ``final`` is below ``reference``, in basis points (0 when not below)."""
    if not reference or final >= reference:
        return 0
    return (reference - final) * 10000 // reference
