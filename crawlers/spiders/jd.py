"""JD Union catalog spider: signed ``jd.union.open.goods.query``, paged by pageIndex."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
import scrapy

from crawlers.parsers.common import ApiPage
from crawlers.parsers.jd import parse_goods_page
from crawlers.spiders.signed_api import SignedApiSpider

METHOD = "jd.union.open.goods.query"
# goods.query answers at most 30 items a page; asking for more is an error at JD.
MAX_PAGE_SIZE = 30


class JdSpider(SignedApiSpider[ApiPage]):
    name = "jd"
    network = "jd"

    @property
    def page_size(self) -> int:
        return min(self.args.page_size, MAX_PAGE_SIZE)

    def goods_request(self, page_index: int) -> str:
        """The ``360buy_param_json`` value: a JSON string, signed as sent."""
        dto: dict[str, Any] = {"pageIndex": page_index, "pageSize": self.page_size}
        if self.args.q:
            dto["keyword"] = self.args.q
        return orjson.dumps({"goodsReqDTO": dto}).decode()

    def page_request(self, page: int) -> scrapy.Request:
        params = {**self.top_params(METHOD, "1.0"),
                  "360buy_param_json": self.goods_request(page)}
        return self.signed_request(page, params)

    def parse_body(self, body: dict[str, Any], *, base_url: str) -> ApiPage:
        return parse_goods_page(body, partner=self.config.slug, base_url=base_url)

    def following(self, page: int, result: ApiPage) -> Iterable[scrapy.Request]:
        if self._past_total(page, result.total):
            return []
        return super().following(page, result)

    def _past_total(self, page_index: int, total: int | None) -> bool:
        """totalCount says this page was the last: spare JD (and its rate limit) an empty one."""
        return total is not None and page_index * self.page_size >= total
