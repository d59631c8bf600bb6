"""File feeds (CSV, gzip, XML, TSV) served the way a CDN serves them.

Each file is rendered once per (feed, variant, host) and kept: a 100k-row Awin
feed costs a few seconds to build and nothing afterwards. Responses carry a
strong ETag (a hash of the bytes) and a Last-Modified fixed per catalog, and
conditional requests get 304, as RFC 9110 describes: If-None-Match wins over
If-Modified-Since; a date not older than Last-Modified counts as a match.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from crawlers.sandbox.api import request_host, with_host
from crawlers.sandbox.faults import FaultBook
from crawlers.sandbox.lazy import LazyMap

CSV_TYPE = "text/csv; charset=utf-8"
GZIP_TYPE = "application/gzip"
XML_TYPE = "application/xml; charset=utf-8"
TSV_TYPE = "text/tab-separated-values; charset=utf-8"
GZIP_LEVEL = 3  # 0.4 s for a 40 MB feed; level 6 takes twice as long for 17% less

# (feed name, malformed?) → the file with "{host}" placeholders still in it.
Template = Callable[[bool], bytes]
Endpoint = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class FeedFile:
    body: bytes
    media_type: str
    etag: str
    last_modified: dt.datetime

    @classmethod
    def of(cls, body: bytes, *, media_type: str, last_modified: dt.datetime) -> FeedFile:
        digest = hashlib.blake2b(body, digest_size=16).hexdigest()
        return cls(body, media_type, f'"{digest}"', last_modified)

    def validators(self) -> dict[str, str]:
        return {
            "ETag": self.etag,
            "Last-Modified": format_datetime(self.last_modified, usegmt=True),
            "Cache-Control": "no-cache",  # may be stored, but revalidate each time
        }


def catalog_instant(today: dt.date) -> dt.datetime:
    """When the sandbox "exported" its feeds: 23:30 Beijing time the night before ``today``."""
    midnight_utc8 = dt.datetime.combine(today, dt.time(), dt.timezone(dt.timedelta(hours=8)))
    return (midnight_utc8 - dt.timedelta(minutes=30)).astimezone(dt.UTC)


def not_modified(request: Request, feed: FeedFile) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        return _etag_matches(if_none_match, feed.etag)
    since = request.headers.get("if-modified-since")
    if since is None:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False  # an unparseable date is ignored
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when >= feed.last_modified


def _etag_matches(header: str, etag: str) -> bool:
    # Weak comparison, as for GET: W/"x" matches "x".
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


class FeedFiles:
    """The cache of rendered files, and endpoints serving them."""

    def __init__(self, faults: FaultBook, last_modified: dt.datetime) -> None:
        self._faults = faults
        self._last_modified = last_modified
        self._templates: LazyMap[tuple[str, bool], bytes] = LazyMap()
        self._files: LazyMap[tuple[str, bool, str], FeedFile] = LazyMap()

    def file(
        self, name: str, template: Template, media_type: str, *, malformed: bool, host: str
    ) -> FeedFile:
        """The file for ``host`` (built on first use; call from a worker thread)."""

        def build() -> FeedFile:
            raw = self._templates.get((name, malformed), lambda: template(malformed))
            return FeedFile.of(
                with_host(raw, host), media_type=media_type, last_modified=self._last_modified
            )

        return self._files.get((name, malformed, host), build)

    def gzipped(self, name: str, template: Template, *, malformed: bool, host: str) -> FeedFile:
        """The gzip file (not a Content-Encoding) of the plain feed ``name``."""

        def build() -> FeedFile:
            plain = self.file(name, template, CSV_TYPE, malformed=malformed, host=host)
            body = gzip.compress(plain.body, compresslevel=GZIP_LEVEL, mtime=0)
            return FeedFile.of(body, media_type=GZIP_TYPE, last_modified=self._last_modified)

        return self._files.get((f"{name}.gz", malformed, host), build)

    def endpoint(
        self, name: str, template: Template, media_type: str, *, gz: bool = False
    ) -> Endpoint:
        async def serve(request: Request) -> Response:
            fault = self._faults.take(request.url.path, request.query_params)
            if (refusal := fault.refusal()) is not None:
                return refusal
            host = request_host(request)

            def build() -> FeedFile:
                if gz:
                    return self.gzipped(name, template, malformed=fault.malformed, host=host)
                return self.file(name, template, media_type, malformed=fault.malformed, host=host)

            feed = await run_in_threadpool(build)  # a first build can take seconds
            headers = feed.validators()
            if not_modified(request, feed):
                return Response(status_code=304, headers=headers)
            return fault.respond(feed.body, media_type=feed.media_type, headers=headers)

        return serve
