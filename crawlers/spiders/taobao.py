"""Taobao Union catalog spider: signed TOP requests, paged until an empty page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import orjson
import scrapy
from scrapy.http import Response

from aggregator.timeutil import shanghai_timestamp
from crawlers.items import RecordBatch
from crawlers.parsers.common import PartnerAPIError
from crawlers.parsers.taobao import parse_material_page
from crawlers.signing import signed_url
from crawlers.spiders.base import PartnerSpider

METHOD = "taobao.tbk.dg.material.optional"


class TaobaoSpider(PartnerSpider):
    name = "taobao"
    network = "taobao"

    planned_pages = 1  # the last page requested in the first fan-out

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(1)

    def page_request(self, page_no: int) -> scrapy.Request:
        params: dict[str, Any] = {
            "method": METHOD, "app_key": self.app_key, "timestamp": shanghai_timestamp(),
            "format": "json", "v": "2.0", "sign_method": "md5",
            "adzone_id": self.config.adzone_id or "0",
            "page_no": page_no, "page_size": self.args.page_size,
        }
        if self.args.q:
            params["q"] = self.args.q
        else:
            params["material_id"] = self.config.extra.get("material_id", "6707")
        url = signed_url(self.feed_url, params, self.app_secret)
        return scrapy.Request(
            url, callback=self.parse_page,
            errback=self.on_request_error, cb_kwargs={"page_no": page_no},
            dont_filter=True,
        )

    def parse_page(self, response: Response,
                   page_no: int) -> Iterator[RecordBatch | scrapy.Request]:
        try:
            body = orjson.loads(response.body)
        except orjson.JSONDecodeError:
            self.incomplete.append(f"page {page_no}: response is not JSON")
            return
        try:
            page = parse_material_page(body, partner=self.config.slug, base_url=response.url,
                                       currency=self.config.currency)
        except PartnerAPIError as exc:
            self.failure = str(exc)
            self.logger.error("page %d: %s", page_no, exc)
            return
        self.pages += 1
        if page.total is not None:
            self.expected_total = page.total
        if page.records:
            yield RecordBatch(page.records)
        if not page.is_last:
            yield from map(self.page_request, self._following(page_no, page.total))

    def _following(self, page_no: int, total: int | None) -> list[int]:
        """Pages to ask for after a non-empty ``page_no``.

        The first page tells the total, so the rest go out at once (Scrapy keeps
        CONCURRENT_REQUESTS in flight) plus one more that must come back empty; if the
        catalog grew meanwhile, paging goes on one by one until an empty page.
        """
        if page_no == 1 and total:
            self.planned_pages = -(-total // self.args.page_size) + 1
            wanted = list(range(2, self.planned_pages + 1))
        elif page_no >= self.planned_pages:
            wanted = [page_no + 1]
        else:
            return []
        cap = self.args.max_pages
        if cap and wanted and wanted[-1] > cap:
            self.incomplete.append(f"stopped at max_pages={cap}")
            wanted = [p for p in wanted if p <= cap]
        return wanted
