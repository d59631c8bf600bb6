"""JD Union catalog spider: signed ``jd.union.open.goods.query``, paged by pageIndex."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import orjson
import scrapy
from scrapy.http import Response

from aggregator.timeutil import shanghai_timestamp
from crawlers.items import RecordBatch
from crawlers.parsers.common import PartnerAPIError
from crawlers.parsers.jd import parse_goods_page
from crawlers.signing import signed_url
from crawlers.spiders.base import PartnerSpider

METHOD = "jd.union.open.goods.query"
# goods.query answers at most 30 items a page; asking for more is an error at JD.
MAX_PAGE_SIZE = 30


class JdSpider(PartnerSpider):
    name = "jd"
    network = "jd"

    @property
    def page_size(self) -> int:
        return min(self.args.page_size, MAX_PAGE_SIZE)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(1)

    def goods_request(self, page_index: int) -> str:
        """The ``360buy_param_json`` value: a JSON string, signed as sent."""
        dto: dict[str, Any] = {"pageIndex": page_index, "pageSize": self.page_size}
        if self.args.q:
            dto["keyword"] = self.args.q
        return orjson.dumps({"goodsReqDTO": dto}).decode()

    def page_request(self, page_index: int) -> scrapy.Request:
        params: dict[str, Any] = {
            "method": METHOD, "app_key": self.app_key, "timestamp": shanghai_timestamp(),
            "format": "json", "v": "1.0", "sign_method": "md5",
            "360buy_param_json": self.goods_request(page_index),
        }
        url = signed_url(self.feed_url, params, self.app_secret)
        return scrapy.Request(
            url, callback=self.parse_page,
            errback=self.on_request_error, cb_kwargs={"page_index": page_index},
            dont_filter=True,
        )

    def parse_page(self, response: Response,
                   page_index: int) -> Iterator[RecordBatch | scrapy.Request]:
        try:
            body = orjson.loads(response.body)
        except orjson.JSONDecodeError:
            body = None
        if not isinstance(body, dict):  # a proxy's HTML error page, a truncated body
            self.incomplete.append(f"page {page_index}: response is not a JSON object")
            return
        try:
            result = parse_goods_page(body, partner=self.config.slug, base_url=response.url)
        except PartnerAPIError as exc:
            self.failure = str(exc)
            self.logger.error("page %d: %s", page_index, exc)
            return
        self.pages += 1
        if result.total is not None:
            self.expected_total = result.total
        if result.records:
            yield RecordBatch(result.records)
        if result.is_last or self._past_total(page_index, result.total):
            return
        if self.args.max_pages and page_index >= self.args.max_pages:
            self.incomplete.append(f"stopped at max_pages={self.args.max_pages}")
            return
        yield self.page_request(page_index + 1)

    def _past_total(self, page_index: int, total: int | None) -> bool:
        """totalCount says this page was the last: spare JD (and its rate limit) an empty one."""
        return total is not None and page_index * self.page_size >= total
