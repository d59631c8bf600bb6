"""Google Merchant Center feed spider: RSS 2.0 XML or TSV, told apart by content."""

from __future__ import annotations

from collections.abc import Iterator

from scrapy.http import Response

from aggregator.records import OfferRecord, RejectRecord
from aggregator.timeutil import utcnow
from crawlers.parsers.gmc import iter_items
from crawlers.spiders.base import FileFeedSpider


class GmcSpider(FileFeedSpider):
    name = "gmc"
    network = "gmc"

    def parse_feed(self, response: Response,
                   body: bytes) -> Iterator[OfferRecord | RejectRecord]:
        # Sale dates without an offset are in the target country's zone (UTC for the UK).
        yield from iter_items(body, partner=self.config.slug, currency=self.config.currency,
                              now=utcnow(), tz=self.config_timezone("UTC"))
