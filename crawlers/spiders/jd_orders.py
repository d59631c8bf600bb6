"""JD Union order spider: ``jd.union.open.order.row.query`` over ≤ 1 h windows.

``360buy_param_json`` carries ``{"orderReq": {pageIndex, pageSize, type, startTime,
endTime}}``; ``type`` 3 selects rows by their update time, so a crawl of the last day
sees every row that changed in it. Pages follow while ``hasMore`` is true.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
import scrapy

from aggregator.timeutil import shanghai_timestamp
from crawlers.parsers.jd_orders import parse_order_page
from crawlers.parsers.orders import OrderPage
from crawlers.spiders.order_base import SignedOrderSpider, Window

METHOD = "jd.union.open.order.row.query"
BY_UPDATE_TIME = 3  # orderReq.type: 1 order time, 2 completion time, 3 update time
MAX_PAGE_SIZE = 200


class JdOrdersSpider(SignedOrderSpider):
    name = "jd_orders"
    network = "jd"
    partner_slug = "jd"
    window_span = timedelta(hours=1)

    def order_request(self, window: Window, page: int) -> str:
        """The ``360buy_param_json`` value: a JSON string, signed as sent."""
        return orjson.dumps({"orderReq": {
            "pageIndex": page, "pageSize": min(self.args.page_size, MAX_PAGE_SIZE),
            "type": BY_UPDATE_TIME,
            "startTime": shanghai_timestamp(window.start),
            "endTime": shanghai_timestamp(window.end),
        }}).decode()

    def window_request(self, window: Window, page: int, cursor: str | None) -> scrapy.Request:
        params = {**self.top_params(METHOD, "1.0"),
                  "360buy_param_json": self.order_request(window, page)}
        return self.signed_window_request(window, page, params)

    def parse_body(self, body: dict[str, Any], *, base_url: str) -> OrderPage:
        return parse_order_page(body, partner=self.config.slug)
