"""Pinduoduo (多多进宝) catalog spider: signed ``pdd.ddk.goods.search``, paged until empty."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import orjson
import scrapy
from scrapy.http import Response

from crawlers.items import RecordBatch
from crawlers.parsers.common import PartnerAPIError
from crawlers.parsers.pdd import parse_goods_page
from crawlers.signing import signed_url
from crawlers.spiders.base import PartnerSpider

METHOD = "pdd.ddk.goods.search"
# Searching needs a keyword or an opt_id (商品标签类目, from pdd.goods.opt.get); without
# either in `-a q=` or partners.toml, 0 (the root of the opt tree) is sent.
DEFAULT_OPT_ID = "0"


class PddSpider(PartnerSpider):
    name = "pdd"
    network = "pdd"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(1, list_id=None)

    def page_request(self, page: int, *, list_id: str | None) -> scrapy.Request:
        params: dict[str, Any] = {
            "type": METHOD, "client_id": self.app_key, "timestamp": int(time.time()),
            "data_type": "JSON", "page": page, "page_size": self.args.page_size,
        }
        if pid := self._pid():
            params["pid"] = pid
        if self.args.q:
            params["keyword"] = self.args.q
        else:
            params["opt_id"] = self.config.extra.get("opt_id", DEFAULT_OPT_ID)
        if list_id:  # keeps later pages in the same result list (no repeats, no gaps)
            params["list_id"] = list_id
        url = signed_url(self.feed_url, params, self.app_secret)
        return scrapy.Request(
            url, callback=self.parse_page,
            errback=self.on_request_error, cb_kwargs={"page": page},
            dont_filter=True,
        )

    def parse_page(self, response: Response,
                   page: int) -> Iterator[RecordBatch | scrapy.Request]:
        try:
            body = orjson.loads(response.body)
        except orjson.JSONDecodeError:
            body = None
        if not isinstance(body, dict):  # a proxy's HTML error page, a truncated body
            self.incomplete.append(f"page {page}: response is not a JSON object")
            return
        try:
            result = parse_goods_page(body, partner=self.config.slug, base_url=response.url,
                                      pid=self._pid())
        except PartnerAPIError as exc:
            self.failure = str(exc)
            self.logger.error("page %d: %s", page, exc)
            return
        self.pages += 1
        if result.total is not None:
            self.expected_total = result.total
        if result.records:
            yield RecordBatch(result.records)
        if result.is_last:
            return
        if self.args.max_pages and page >= self.args.max_pages:
            self.incomplete.append(f"stopped at max_pages={self.args.max_pages}")
            return
        yield self.page_request(page + 1, list_id=result.list_id)

    def _pid(self) -> str | None:
        pid = self.config.extra.get("pid")
        return str(pid) if pid else None
