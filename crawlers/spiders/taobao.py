"""Taobao Union catalog spider: signed TOP requests, paged until an empty page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import scrapy

from crawlers.parsers.common import ApiPage
from crawlers.parsers.taobao import parse_material_page
from crawlers.spiders.signed_api import SignedApiSpider

METHOD = "taobao.tbk.dg.material.optional"


class TaobaoSpider(SignedApiSpider[ApiPage]):
    name = "taobao"
    network = "taobao"

    planned_pages = 1  # the last page requested in the first fan-out

    def page_request(self, page: int) -> scrapy.Request:
        params = {
            **self.top_params(METHOD, "2.0"),
            "adzone_id": self.config.adzone_id or "0",
            "page_no": page, "page_size": self.args.page_size,
        }
        if self.args.q:
            params["q"] = self.args.q
        else:
            params["material_id"] = self.config.extra.get("material_id", "6707")
        return self.signed_request(page, params)

    def parse_body(self, body: dict[str, Any], *, base_url: str) -> ApiPage:
        return parse_material_page(body, partner=self.config.slug, base_url=base_url,
                                   currency=self.config.currency)

    def following(self, page: int, result: ApiPage) -> Iterable[scrapy.Request]:
        return map(self.page_request, self._pages_after(page, result.total))

    def _pages_after(self, page_no: int, total: int | None) -> list[int]:
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
