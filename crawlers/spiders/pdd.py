"""Pinduoduo (多多进宝) catalog spider: signed ``pdd.ddk.goods.search``, paged until empty."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import scrapy

from crawlers.parsers.pdd import GoodsPage, parse_goods_page
from crawlers.spiders.signed_api import SignedApiSpider

METHOD = "pdd.ddk.goods.search"
# Searching needs a keyword or an opt_id (商品标签类目, from pdd.goods.opt.get); without
# either in `-a q=` or partners.toml, 0 (the root of the opt tree) is sent.
DEFAULT_OPT_ID = "0"


class PddSpider(SignedApiSpider[GoodsPage]):
    name = "pdd"
    network = "pdd"

    def page_request(self, page: int, *, list_id: str | None = None) -> scrapy.Request:
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
        return self.signed_request(page, params)

    def parse_body(self, body: dict[str, Any], *, base_url: str) -> GoodsPage:
        return parse_goods_page(body, partner=self.config.slug, base_url=base_url,
                                pid=self._pid())

    def following(self, page: int, result: GoodsPage) -> Iterator[scrapy.Request]:
        if self.may_pass(page):
            yield self.page_request(page + 1, list_id=result.list_id)

    def _pid(self) -> str | None:
        pid = self.config.extra.get("pid")
        return str(pid) if pid else None
