"""Awin transactions spider: ``GET /publishers/{id}/transactions/`` over ≤ 31-day windows.

The API answers a whole window at once (no paging) and authenticates with an OAuth2
bearer token: ``-a app_secret=TOKEN``, else ``api_token`` (or ``app_secret``) in the
partner's config. Each window is asked for twice, by ``dateType=transaction`` (new
sales) and by ``dateType=validation`` (older sales the advertiser approved or declined
in the window): a sale is validated weeks after it was made, and only the second query
sees that happen. A transaction in both answers is reported once.

The endpoint: ``-a feed_url=URL``, else ``transactions_url`` in the partner's config,
else Awin's API for the config's ``publisher_id``. Times are asked for and read in UTC.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from typing import Any

import orjson
import scrapy
from scrapy.http import Response
from w3lib.url import add_or_replace_parameters

from aggregator.partners import PartnerConfigError
from aggregator.records import OrderRecord
from crawlers.items import RecordBatch
from crawlers.parsers.awin_transactions import parse_transactions
from crawlers.parsers.common import PartnerAPIError
from crawlers.parsers.orders import OrderPage
from crawlers.spiders.order_base import OrderSpider, Window

API_URL = "https://api.awin.com/publishers/{publisher_id}/transactions/"
DATE_TYPES = ("transaction", "validation")
# Awin answers a bad token or range with a JSON error and a 4xx: read it, fail the crawl.
ERROR_STATUSES = [400, 401, 403, 404, 422]


def awin_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


class AwinTransactionsSpider(OrderSpider):
    name = "awin_transactions"
    network = "awin"
    partner_slug = "awin"
    window_span = timedelta(days=31)

    def __init__(self, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.feed_url = self.args.feed_url or self._transactions_url()
        extra = self.config.extra
        self.token = self.args.app_secret or str(extra.get("api_token") or "") or \
            self.config.app_secret.get_secret_value()
        self.reported: set[tuple[str, str, datetime]] = set()

    def _transactions_url(self) -> str:
        extra = self.config.extra
        if extra.get("transactions_url"):
            return str(extra["transactions_url"])
        if not extra.get("publisher_id"):
            raise PartnerConfigError(
                f"partner {self.config.slug!r} needs transactions_url or publisher_id")
        return API_URL.format(publisher_id=extra["publisher_id"])

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for window in self.windows:
            for date_type in DATE_TYPES:
                yield self.window_request(window, date_type)

    def window_request(self, window: Window, date_type: str) -> scrapy.Request:
        url = add_or_replace_parameters(self.feed_url, {
            "startDate": awin_time(window.start), "endDate": awin_time(window.end),
            "timezone": "UTC", "dateType": date_type,
        })
        return scrapy.Request(
            url, headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
            callback=self.parse_answer, errback=self.on_request_error, dont_filter=True,
            cb_kwargs={"window": window}, meta={"handle_httpstatus_list": ERROR_STATUSES},
        )

    def parse_answer(self, response: Response, window: Window) -> Iterator[RecordBatch]:
        try:
            body = orjson.loads(response.body)
        except orjson.JSONDecodeError:
            self.incomplete.append(f"HTTP {response.status}: answer is not JSON")
            return
        try:
            result = parse_transactions(body, partner=self.config.slug)
        except PartnerAPIError as exc:
            self.failure = f"HTTP {response.status}: {exc}"
            self.logger.error("%s", self.failure)
            return
        fresh = [r for r in result.records if self._first_report(r)]
        page = OrderPage(records=fresh, total=None, skipped=result.skipped, has_next=False)
        yield from self.accept_orders(page, window, 1)

    def _first_report(self, record: object) -> bool:
        """False for a transaction already in the other date type's answer, unchanged."""
        if not isinstance(record, OrderRecord):
            return True
        key = (record.order_id, record.status, record.status_at)
        if key in self.reported:
            return False
        self.reported.add(key)
        return True
