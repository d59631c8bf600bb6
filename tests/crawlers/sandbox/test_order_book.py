"""The sandbox's order book: ids per network, transitions, and modify times."""

from __future__ import annotations

import datetime as dt

import pytest

from crawlers.sandbox.orders import OrderBook, OrderStateError, Product

NOON = dt.datetime(2026, 11, 20, 4, 0, 0, 400_000, tzinfo=dt.UTC)
LIPSTICK = Product("AbC9kq3Lm2x", "完美日记 口红", 6990, 1550, "CNY")


class Clock:
    def __init__(self) -> None:
        self.now = NOON

    def __call__(self) -> dt.datetime:
        return self.now


def test_ids_in_each_networks_style() -> None:
    book = OrderBook(Clock())
    ids = [book.buy(network, LIPSTICK, "dg1").order_id for network in ("taobao", "pdd", "jd",
                                                                        "awin")]
    assert ids == ["1900000000000000001", "261120-000000000000002", "8100000000000003",
                   "1700000004"]
    with pytest.raises(ValueError, match="unknown network"):
        book.buy("ebay", LIPSTICK, "")


def test_transitions_and_times() -> None:
    clock = Clock()
    book = OrderBook(clock)
    order = book.buy("taobao", LIPSTICK, "dg1")
    assert (order.created_at, order.commission) == (NOON.replace(microsecond=0), 1083)
    assert book.wait_before_move("taobao", order.order_id) == pytest.approx(0.6)
    settled = book.settle("taobao", order.order_id)  # same second: stamped one later
    clock.now += dt.timedelta(seconds=5)
    assert book.wait_before_move("taobao", order.order_id) == 0.0
    refunded = book.refund("taobao", order.order_id)
    assert [o.modified_at - order.created_at for o in (settled, refunded)] == [
        dt.timedelta(seconds=1), dt.timedelta(seconds=5)]
    assert (refunded.settled_at, refunded.refunded_at) == (settled.modified_at,
                                                          refunded.modified_at)
    assert refunded.validated_at == refunded.refunded_at
    assert [o.reported_status for o in (order, settled, refunded)] == [
        "pending", "confirmed", "reversed"]
    with pytest.raises(OrderStateError, match="cannot settle a refunded order"):
        book.settle("taobao", order.order_id)
    with pytest.raises(KeyError):
        book.refund("taobao", "nope")
    assert book.orders("pdd") == [] and book.orders() == [refunded]
