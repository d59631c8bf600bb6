"""Shop pages spider: from a listing page, follow pagination and product links on one site.

A shop is somebody's website, not an API: robots.txt is obeyed, at most a few requests run
at once, and nothing outside the start URL's host and port is fetched (redirects included).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import urlsplit

import scrapy
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from aggregator.records import OfferRecord, RejectRecord
from crawlers.parsers.html_product import parse_product_page, read_page, same_host
from crawlers.spiders.base import PartnerSpider

Output = OfferRecord | RejectRecord | scrapy.Request
Read = TypeVar("Read")
# Until the first offer is read the crawl counts as incomplete: a shop redesign (no markup we
# can read, links we do not recognise) must not look like an empty catalog, which a complete
# crawl would retire.
NOTHING_READ = "no product offer read from any page"


class SameSiteOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite check compares host names only; another port is another site."""

    def should_follow(self, request: scrapy.Request, spider: scrapy.Spider) -> bool:
        home = getattr(spider, "feed_url", None)
        on_site = home is None or same_host(request.url, home)
        return on_site and super().should_follow(request, spider)


class HtmlSpider(PartnerSpider):
    name = "html"
    network = "html"
    custom_settings: dict[str, Any] | None = {  # noqa: RUF012 - Scrapy reads it per class
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
        "DOWNLOAD_DELAY": 0,  # a real shop gets `-s DOWNLOAD_DELAY=1` or AutoThrottle
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "crawlers.spiders.html.SameSiteOffsiteMiddleware": 50,
        },
    }

    def __init__(self, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.allowed_domains = [urlsplit(self.feed_url).hostname or ""]
        self.listing_urls: set[str] = set()
        self.emitted: set[str] = set()
        self.incomplete.append(NOTHING_READ)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        request = self.listing_request(self.feed_url)
        if request is not None:
            yield request

    def listing_request(self, url: str) -> scrapy.Request | None:
        """A listing page, unless max_pages listing pages are already on their way."""
        if url in self.listing_urls:
            return None
        if self.args.max_pages and len(self.listing_urls) >= self.args.max_pages:
            note = f"stopped at max_pages={self.args.max_pages}"
            if note not in self.incomplete:
                self.incomplete.append(note)
            return None
        self.listing_urls.add(url)
        return scrapy.Request(url, callback=self.parse_listing, errback=self.on_page_error)

    def parse_listing(self, response: Response) -> Iterator[Output]:
        page = self.read(response, read_page)
        if page is None:
            return
        if page.record is not None:  # a start URL may itself be a product page
            yield from self.emit(page.record)
        for link in page.product_links:
            yield scrapy.Request(link, callback=self.parse_product, errback=self.on_page_error)
        for link in page.page_links:
            if (request := self.listing_request(link)) is not None:
                yield request

    def parse_product(self, response: Response) -> Iterator[Output]:
        record = self.read(response, parse_product_page)
        if record is None:
            self.logger.debug("no product on %s", response.url)
            return
        yield from self.emit(record)

    def read(self, response: Response, reader: Callable[..., Read]) -> Read | None:
        """Count the page; only HTML on our own site is read (by a parser of html_product)."""
        self.pages += 1
        if not same_host(response.url, self.feed_url):
            self.logger.warning("left the site at %s: ignored", response.url)
            return None
        if not isinstance(response, TextResponse):
            return None
        return reader(response.text, url=response.url, partner=self.config.slug,
                      default_currency=self.config.currency)

    def emit(self, record: OfferRecord | RejectRecord) -> Iterator[OfferRecord | RejectRecord]:
        """A product reached by two URLs (tracking parameters, two listings) is sent once."""
        key = f"{type(record).__name__}:{record.external_id}"
        if key in self.emitted:
            return
        self.emitted.add(key)
        if isinstance(record, OfferRecord) and NOTHING_READ in self.incomplete:
            self.incomplete.remove(NOTHING_READ)
        yield record

    def on_page_error(self, failure: Failure) -> None:
        """Lost pages make the crawl partial; pages the shop removed or forbids do not."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else ""
        if failure.check(HttpError):
            status = failure.value.response.status
            if status in (404, 410) and url not in self.listing_urls:
                self.logger.info("gone (%d): %s", status, url)  # a product the shop removed
                return
        elif failure.check(IgnoreRequest):  # robots.txt or offsite: not ours to fetch
            if url == self.feed_url:
                self.failure = f"start page refused: {failure.getErrorMessage()}"
            self.logger.info("not fetched: %s (%s)", url, failure.getErrorMessage())
            return
        self.on_request_error(failure)
