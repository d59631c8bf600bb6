"""Taobao Union order spider: ``taobao.tbk.order.details.get`` over ≤ 3 h windows.

Each window is paged with TOP's cursor: page 1 sends no ``position_index``; every later
page sends back the ``position_index`` of the page before with ``jump_type=1`` (forward),
until ``has_next`` is false. ``query_type`` 4 (the default) selects orders by their last
update, so a crawl of the last day sees every order that changed in it; 1 created,
2 paid, 3 settled are there for back-fills (``-a query_type=1 -a since=…``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import scrapy
from pydantic import Field

from aggregator.timeutil import shanghai_timestamp
from crawlers.parsers.orders import OrderPage
from crawlers.parsers.taobao_orders import parse_order_page
from crawlers.spiders.order_base import OrderArgs, SignedOrderSpider, Window

METHOD = "taobao.tbk.order.details.get"
FORWARD = 1  # jump_type: the page after the cursor


class TaobaoOrderArgs(OrderArgs):
    query_type: int = Field(default=4, ge=1, le=4)


class TaobaoOrdersSpider(SignedOrderSpider):
    name = "taobao_orders"
    network = "taobao"
    partner_slug = "taobao"
    args_model = TaobaoOrderArgs
    window_span = timedelta(hours=3)

    def window_request(self, window: Window, page: int, cursor: str | None) -> scrapy.Request:
        assert isinstance(self.args, TaobaoOrderArgs)
        params: dict[str, Any] = {
            **self.top_params(METHOD, "2.0"),
            "query_type": self.args.query_type,
            "start_time": shanghai_timestamp(window.start),
            "end_time": shanghai_timestamp(window.end),
            "page_no": page,
            "page_size": self.args.page_size,
        }
        if cursor and page > 1:
            params.update(position_index=cursor, jump_type=FORWARD)
        return self.signed_window_request(window, page, params)

    def parse_body(self, body: dict[str, Any], *, base_url: str) -> OrderPage:
        return parse_order_page(body, partner=self.config.slug, currency=self.config.currency)
