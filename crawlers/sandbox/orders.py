"""The orders the sandbox holds: created by a product page's "buy" button, moved on by
admin actions, served by every network's order API in its own format (order_rows.py).

An order is ``paid`` when bought, then ``settled`` (the network pays the commission) or
``refunded``; a settled order may still be refunded (the commission is clawed back).
Each change gets a modify time strictly later than the one before it, at whole-second
resolution, because the networks report times in seconds and a report's time is what
orders a report against the last one; a second change within the same second waits for
the next one (``wait_before_move``) rather than stamping a time ahead of the clock.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

PAID, SETTLED, REFUNDED = "paid", "settled", "refunded"
NETWORKS = ("taobao", "pdd", "jd", "awin")
# Our status for each sandbox state (what a postback says).
REPORTED = {PAID: "pending", SETTLED: "confirmed", REFUNDED: "reversed"}
TICK = timedelta(seconds=1)

Clock = Callable[[], datetime]


class OrderStateError(Exception):
    """A transition the order's state does not allow (settling a refunded order)."""


@dataclass(frozen=True, slots=True)
class Product:
    """What an order is for, read from a network's catalog record."""

    item_id: str
    title: str
    price: int  # minor units, one unit
    rate_bp: int  # the commission rate
    currency: str


@dataclass(frozen=True, slots=True)
class SandboxOrder:
    network: str
    serial: int  # the book's running number: derives each network's other ids
    order_id: str  # the id the network's order API reports (and postbacks send)
    product: Product
    tracking: str  # the sub-id parameter exactly as the click URL carried it
    created_at: datetime
    modified_at: datetime
    status: str = PAID
    settled_at: datetime | None = None
    refunded_at: datetime | None = None

    @property
    def amount(self) -> int:
        return self.product.price

    @property
    def commission(self) -> int:
        return self.product.price * self.product.rate_bp // 10_000

    @property
    def reported_status(self) -> str:
        return REPORTED[self.status]

    @property
    def validated_at(self) -> datetime | None:
        """When the network last ruled on it (settled or refunded), if it has."""
        return self.refunded_at or self.settled_at


def order_id_for(network: str, serial: int, when: datetime) -> str:
    """Ids in each network's style: Taobao's long digits, PDD's dated order_sn, JD's
    order-row id and Awin's transaction id."""
    if network == "taobao":
        return str(1_900_000_000_000_000_000 + serial)
    if network == "pdd":
        return f"{when:%y%m%d}-{serial:015d}"
    if network == "jd":
        return str(8_100_000_000_000_000 + serial)
    return str(1_700_000_000 + serial)


class OrderBook:
    """Every network's orders, in memory, safe to use from any thread."""

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or (lambda: datetime.now(UTC))
        self._orders: dict[tuple[str, str], SandboxOrder] = {}
        self._serials = itertools.count(1)
        self._lock = threading.Lock()

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC).replace(microsecond=0)

    def buy(self, network: str, product: Product, tracking: str) -> SandboxOrder:
        if network not in NETWORKS:
            raise ValueError(f"unknown network {network!r}")
        with self._lock:
            now, serial = self._now(), next(self._serials)
            order = SandboxOrder(network=network, serial=serial,
                                 order_id=order_id_for(network, serial, now), product=product,
                                 tracking=tracking, created_at=now, modified_at=now)
            self._orders[network, order.order_id] = order
            return order

    def get(self, network: str, order_id: str) -> SandboxOrder | None:
        return self._orders.get((network, order_id))

    def orders(self, network: str | None = None) -> list[SandboxOrder]:
        with self._lock:
            found = list(self._orders.values())
        return [o for o in found if network is None or o.network == network]

    def wait_before_move(self, network: str, order_id: str) -> float:
        """Seconds until the order may move on with a modify time later than its last
        one yet not ahead of the clock (a report stamped in the future would be missed
        by a crawl of "until now")."""
        order = self._orders.get((network, order_id))
        if order is None:
            return 0.0
        return max(0.0, (order.modified_at + TICK - self._clock()).total_seconds())

    def settle(self, network: str, order_id: str) -> SandboxOrder:
        return self._move(network, order_id, SETTLED, allowed_from=(PAID,))

    def refund(self, network: str, order_id: str) -> SandboxOrder:
        return self._move(network, order_id, REFUNDED, allowed_from=(PAID, SETTLED))

    def _move(self, network: str, order_id: str, status: str, *,
              allowed_from: tuple[str, ...]) -> SandboxOrder:
        with self._lock:
            order = self._orders.get((network, order_id))
            if order is None:
                raise KeyError(order_id)
            if order.status not in allowed_from:
                raise OrderStateError(f"cannot {_verb(status)} a {order.status} order")
            when = max(self._now(), order.modified_at + TICK)
            moved = replace(order, status=status, modified_at=when)
            if status == SETTLED:
                moved = replace(moved, settled_at=when)
            else:
                moved = replace(moved, refunded_at=when)
            self._orders[network, order_id] = moved
            return moved


def _verb(status: str) -> str:
    return "settle" if status == SETTLED else "refund"
