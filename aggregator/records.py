"""Typed records that crawlers hand to the aggregator (the crawl → catalog edge).

Parsers build these from raw partner records; everything is already normalized:
money in minor units, rates in basis points, times aware UTC, URLs absolute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

CouponKind = Literal["amount_off", "percent_off", "free_shipping"]
COUPON_KINDS: tuple[str, ...] = ("amount_off", "percent_off", "free_shipping")


def _check_aware(*moments: datetime | None) -> None:
    if any(m is not None and m.tzinfo is None for m in moments):
        raise ValueError("naive datetime: partner times must be converted to UTC")


@dataclass(frozen=True, slots=True)
class CouponRecord:
    external_id: str
    kind: CouponKind
    currency: str
    title: str
    amount: int | None = None
    percent_bp: int | None = None
    min_spend: int = 0
    code: str | None = None
    url: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    remaining: int | None = None
    total: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        _check_aware(self.starts_at, self.ends_at)
        if len(self.currency) != 3:
            raise ValueError(f"bad currency {self.currency!r}")
        if self.kind not in COUPON_KINDS:
            raise ValueError(f"unknown coupon kind {self.kind!r}")
        if self.kind == "amount_off" and (self.amount is None or self.amount <= 0):
            raise ValueError("amount_off coupon needs a positive amount")
        if self.kind == "percent_off" and not (self.percent_bp and 0 < self.percent_bp <= 10000):
            raise ValueError("percent_off coupon needs 1..10000 bp")
        if self.min_spend < 0:
            raise ValueError("negative minimum spend")
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValueError("coupon ends before it starts")


@dataclass(frozen=True, slots=True)
class OfferRecord:
    partner: str
    external_id: str
    title: str
    url: str
    currency: str
    price: int
    list_price: int | None = None
    image_url: str | None = None
    shop_id: str | None = None
    shop_name: str | None = None
    platform: str | None = None
    brand: str | None = None
    category: str | None = None
    gtin: str | None = None
    mpn: str | None = None
    commission_bp: int | None = None
    sales: int | None = None
    in_stock: bool = True
    coupons: tuple[CouponRecord, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not self.external_id.strip():
            raise ValueError("missing external id")
        if not self.title.strip():
            raise ValueError("missing title")
        if self.price < 0:
            raise ValueError("negative price")
        if self.list_price is not None and self.list_price < 0:
            raise ValueError("negative list price")
        if len(self.currency) != 3:
            raise ValueError(f"bad currency {self.currency!r}")


@dataclass(frozen=True, slots=True)
class VoucherRecord:
    """A merchant-wide coupon or promotion (Awin vouchers): not tied to one offer."""

    partner: str
    merchant_id: str
    merchant_name: str
    coupon: CouponRecord
    url: str | None = None  # the tracked deep link to the merchant
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not self.merchant_id.strip():
            raise ValueError("missing merchant id")


@dataclass(frozen=True, slots=True)
class RejectRecord:
    """A raw record that could not be normalized, with the reason, kept for review."""

    partner: str
    reason: str
    raw: dict[str, Any]
    external_id: str | None = None


OrderStatus = Literal["pending", "confirmed", "reversed"]
ORDER_STATUSES: tuple[str, ...] = ("pending", "confirmed", "reversed")


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """One partner order line as an order spider or a postback reports it.

    ``status`` is the network's status mapped to ours (each network's table lives with its
    parser); ``status_at`` is the network's time of that status (its modify/settle time),
    used to ignore a report older than the one already stored. ``sub_id`` is whatever the
    network echoed back (``aggregator.affiliate.subids``), None when it carried none.
    """

    order_id: str
    status: OrderStatus
    currency: str
    order_amount: int  # minor units
    commission_amount: int  # minor units: the publisher's commission
    occurred_at: datetime
    status_at: datetime
    sub_id: str | None = None
    title: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        _check_aware(self.occurred_at, self.status_at)
        if self.status not in ORDER_STATUSES:
            raise ValueError(f"unknown order status {self.status!r}")
        if self.order_amount < 0 or self.commission_amount < 0:
            raise ValueError("order and commission amounts cannot be negative")
