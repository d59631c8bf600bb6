"""Spiders for the signed JSON APIs (Taobao TOP, Pinduoduo, JD Union): the catalog
spiders, and (through order_base.SignedOrderSpider) the order spiders.

What they share: every request is signed onto the feed URL, a page that is not a
JSON object is lost (the crawl is partial), an error envelope fails the crawl, and a
non-empty page leads to the next. What each network sends and how it pages stays in
its own spider.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

import orjson
import scrapy
from scrapy.http import Response

from aggregator.timeutil import shanghai_timestamp
from crawlers.items import RecordBatch
from crawlers.parsers.common import ApiPage, PartnerAPIError
from crawlers.signing import signed_url
from crawlers.spiders.base import PartnerSpider

PageT = TypeVar("PageT", bound=ApiPage)


class SignedApiSpider(PartnerSpider, Generic[PageT]):
    """Subclasses build a page's request (``page_request``, through ``signed_request``),
    read a decoded response (``parse_body``) and may change what follows a page
    (``following``: by default the next page, up to max_pages)."""

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(1)

    def page_request(self, page: int) -> scrapy.Request:
        raise NotImplementedError

    def parse_body(self, body: dict[str, Any], *, base_url: str) -> PageT:
        """One decoded response → its page; raises PartnerAPIError on an error envelope."""
        raise NotImplementedError

    def top_params(self, method: str, version: str) -> dict[str, Any]:
        """The system parameters of a TOP-style gateway (Taobao, and JD after it)."""
        return {"method": method, "app_key": self.app_key, "timestamp": shanghai_timestamp(),
                "format": "json", "v": version, "sign_method": "md5"}

    def signed_request(self, page: int, params: dict[str, Any], *,
                       callback: Callable[..., Any] | None = None,
                       **cb_kwargs: Any) -> scrapy.Request:
        """The request for ``page``: ``params`` and their signature on the feed URL.

        ``callback`` (default ``parse_page``) gets ``page`` and ``cb_kwargs``.
        """
        url = signed_url(self.feed_url, params, self.app_secret)
        return scrapy.Request(
            url, callback=callback or self.parse_page,
            errback=self.on_request_error, cb_kwargs={"page": page, **cb_kwargs},
            dont_filter=True,
        )

    def parse_page(self, response: Response,
                   page: int) -> Iterator[RecordBatch | scrapy.Request]:
        result = self._read(response, page)
        if result is None:
            return
        if result.total is not None:
            self.expected_total = result.total
        yield from self.accept(result)
        if not result.is_last:
            yield from self.following(page, result)

    def accept(self, result: PageT) -> Iterator[RecordBatch]:
        """Count a page read and hand on its records."""
        self.pages += 1
        if result.records:
            yield RecordBatch(result.records)

    def _read(self, response: Response, page: int) -> PageT | None:
        try:
            body = orjson.loads(response.body)
        except orjson.JSONDecodeError:
            body = None
        if not isinstance(body, dict):  # a proxy's HTML error page, a truncated body
            self.incomplete.append(f"page {page}: response is not a JSON object")
            return None
        try:
            return self.parse_body(body, base_url=response.url)
        except PartnerAPIError as exc:
            self.failure = str(exc)
            self.logger.error("page %d: %s", page, exc)
            return None

    def following(self, page: int, result: PageT) -> Iterable[scrapy.Request]:
        """What to ask for after the non-empty ``page``."""
        return [self.page_request(page + 1)] if self.may_pass(page) else []

    def may_pass(self, page: int) -> bool:
        """Whether max_pages lets the crawl go past ``page``; if not, it stops there, partial."""
        if self.args.max_pages and page >= self.args.max_pages:
            self.incomplete.append(f"stopped at max_pages={self.args.max_pages}")
            return False
        return True
