"""Awin product feed spider: one CSV file (usually ``.csv.gz``) per feed URL."""

from __future__ import annotations

from collections.abc import Iterator

from scrapy.http import Response

from aggregator.records import OfferRecord, RejectRecord
from crawlers.parsers.awin import iter_products
from crawlers.spiders.base import FileFeedSpider


class AwinSpider(FileFeedSpider):
    name = "awin"
    network = "awin"

    def parse_feed(self, response: Response,
                   body: bytes) -> Iterator[OfferRecord | RejectRecord]:
        yield from iter_products(body, partner=self.config.slug, currency=self.config.currency)
