"""What the order spiders share: a time range cut into the windows each network allows.

``-a since=ISO`` (and ``-a until=ISO``, default now) or ``-a hours=N`` (default 24: the
last day) choose the range; a time without an offset is UTC. Each network caps one
query's span (Taobao 3 h, JD 1 h, PDD 24 h, Awin 31 days), so the range is cut into
windows of at most that span, each paged on its own.

An order crawl never retires catalog offers (``full_catalog`` is off) and feeds its
records to the same ingest pipeline as the catalog spiders, which hands the orders to
``aggregator.affiliate.conversions.record_orders``. Rows that are not orders yet
(unpaid) are logged and counted in the crawl stats (``orders/skipped``), not stored.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import scrapy
from pydantic import Field, field_validator, model_validator
from scrapy.http import Response

from aggregator.timeutil import utcnow
from crawlers.items import RecordBatch
from crawlers.parsers.orders import OrderPage
from crawlers.spiders.base import PartnerSpider, SpiderArgs
from crawlers.spiders.signed_api import SignedApiSpider

MAX_HOURS = 24 * 90  # the networks keep about 90 days of order reports


class OrderArgs(SpiderArgs):
    since: datetime | None = None
    until: datetime | None = None
    hours: int = Field(default=24, ge=1, le=MAX_HOURS)

    @field_validator("since", "until")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(microsecond=0)

    @model_validator(mode="after")
    def _ordered(self) -> OrderArgs:
        if self.since and self.until and self.since >= self.until:
            raise ValueError("since must be before until")
        return self

    def time_range(self, now: datetime) -> tuple[datetime, datetime]:
        until = self.until or now.astimezone(UTC).replace(microsecond=0)
        return self.since or until - timedelta(hours=self.hours), until


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime
    end: datetime


def split_windows(start: datetime, end: datetime, span: timedelta) -> list[Window]:
    """``[start, end]`` as consecutive windows of at most ``span``, oldest first."""
    windows = []
    while start < end:
        stop = min(start + span, end)
        windows.append(Window(start, stop))
        start = stop
    return windows


class OrderSpider(PartnerSpider):
    """Base of the order spiders. The partner is the network's (``taobao_orders`` reports
    the ``taobao`` partner's orders) unless ``-a partner=`` names another account."""

    args_model = OrderArgs
    window_span: ClassVar[timedelta]

    def __init__(self, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.full_catalog = False  # an order crawl sees no catalog: it must retire nothing
        assert isinstance(self.args, OrderArgs)
        self.order_args: OrderArgs = self.args
        self.windows = split_windows(*self.order_args.time_range(utcnow()), self.window_span)
        self.window_totals: dict[Window, int] = {}

    def accept_orders(self, result: OrderPage, window: Window,
                      page: int) -> Iterator[RecordBatch]:
        """Count a page, note its skipped rows, hand on its records."""
        self.pages += 1
        if page == 1 and result.total is not None:
            self.window_totals[window] = result.total
            self.expected_total = sum(self.window_totals.values())
        stats = self.crawler.stats
        for skipped in result.skipped:
            stats.inc_value("orders/skipped")
            self.logger.info("skipped order %s: %s", skipped.order_id, skipped.reason)
        if result.records:
            yield RecordBatch(result.records)


class SignedOrderSpider(OrderSpider, SignedApiSpider[OrderPage]):
    """An order API behind the signed gateways (Taobao TOP, PDD, JD): every window paged
    from its first page until the network says there is no more."""

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for window in self.windows:
            yield self.window_request(window, 1, None)

    def window_request(self, window: Window, page: int, cursor: str | None) -> scrapy.Request:
        """The signed request for ``page`` of ``window`` (through ``signed_request``)."""
        raise NotImplementedError

    def signed_window_request(self, window: Window, page: int,
                              params: dict[str, Any]) -> scrapy.Request:
        return self.signed_request(page, params, callback=self.parse_orders, window=window)

    def parse_orders(self, response: Response, page: int,
                     window: Window) -> Iterator[RecordBatch | scrapy.Request]:
        result = self._read(response, page)
        if result is None:
            return
        yield from self.accept_orders(result, window, page)
        if self.has_more(result, page) and self.may_pass(page):
            yield self.window_request(window, page + 1, result.cursor)

    def has_more(self, result: OrderPage, page: int) -> bool:
        return not result.is_last
