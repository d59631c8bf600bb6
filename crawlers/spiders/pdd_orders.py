"""Pinduoduo order spider: ``pdd.ddk.order.list.increment.get`` by update time.

The increment API lists the orders whose ``order_modify_at`` falls in
[``start_update_time``, ``end_update_time``] (unix seconds, at most 24 h apart), paged
by ``page``. PDD says nothing about more pages: a full page (or a ``total_count`` not yet
reached) asks for the next one.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import scrapy

from crawlers.parsers.orders import OrderPage
from crawlers.parsers.pdd_orders import parse_order_page
from crawlers.spiders.order_base import SignedOrderSpider, Window

METHOD = "pdd.ddk.order.list.increment.get"
MIN_PAGE_SIZE = 10  # the API takes 10 to 100 orders a page


class PddOrdersSpider(SignedOrderSpider):
    name = "pdd_orders"
    network = "pdd"
    partner_slug = "pdd"
    window_span = timedelta(hours=24)

    @property
    def page_size(self) -> int:
        return max(self.args.page_size, MIN_PAGE_SIZE)

    def window_request(self, window: Window, page: int, cursor: str | None) -> scrapy.Request:
        params: dict[str, Any] = {
            "type": METHOD, "client_id": self.app_key, "timestamp": int(time.time()),
            "data_type": "JSON",
            "start_update_time": int(window.start.timestamp()),
            "end_update_time": int(window.end.timestamp()),
            "page": page, "page_size": self.page_size, "return_count": "true",
        }
        return self.signed_window_request(window, page, params)

    def parse_body(self, body: dict[str, Any], *, base_url: str) -> OrderPage:
        return parse_order_page(body, partner=self.config.slug)

    def has_more(self, result: OrderPage, page: int) -> bool:
        if result.total is not None and page * self.page_size >= result.total:
            return False
        return result.rows >= self.page_size
