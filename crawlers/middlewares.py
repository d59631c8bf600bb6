"""Downloader middleware: retries that honour the partner's Retry-After."""

from __future__ import annotations

import asyncio
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.response import response_status_message

from aggregator.timeutil import utcnow

# A partner asking for more than this is treated as down for now: the page fails and the
# crawl is partial, rather than a crawl slot sleeping for an hour.
RETRY_AFTER_CAP = 120.0


def retry_after_seconds(value: bytes | None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date; None if absent or bad."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - utcnow()).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting as long as a 429/503 answer asks before trying again."""

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        delay = retry_after_seconds(response.headers.get(b"Retry-After"))
        if delay is not None:
            if delay > RETRY_AFTER_CAP:
                return response  # give up on this page now; the errback marks it lost
            await asyncio.sleep(delay)
        return self._retry(request, response_status_message(response.status)) or response
