"""Awin promotions / vouchers export spider: merchant-wide coupons from one CSV file."""

from __future__ import annotations

from collections.abc import Iterator

from scrapy.http import Response

from aggregator.records import RejectRecord, VoucherRecord
from crawlers.parsers.awin_vouchers import iter_promotions
from crawlers.spiders.base import FileFeedSpider


class AwinVouchersSpider(FileFeedSpider):
    name = "awin_vouchers"
    network = "awin_vouchers"

    def parse_feed(self, response: Response,
                   body: bytes) -> Iterator[VoucherRecord | RejectRecord]:
        # The export writes wall-clock times in the account's zone, set in partners.toml.
        yield from iter_promotions(body, partner=self.config.slug, currency=self.config.currency,
                                   tz=self.config_timezone("Europe/London"))
