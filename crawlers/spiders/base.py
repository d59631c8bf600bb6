"""Base spider: typed arguments, partner config, failure bookkeeping for the run row."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import scrapy
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from scrapy.exceptions import UsageError
from scrapy.http import Response
from twisted.python.failure import Failure

from aggregator.db import session_scope
from aggregator.feed_states import Validators, get_validators
from aggregator.partners import PartnerConfig, PartnerConfigError, partner_config
from crawlers.items import batched
from crawlers.parsers.common import FeedFormatError, TruncatedFeed


class SpiderArgs(BaseModel):
    """What ``-a name=value`` may set; everything else comes from partners.toml."""

    model_config = ConfigDict(extra="forbid")

    partner: str | None = None
    feed_url: str | None = None
    app_key: str | None = None
    app_secret: str | None = None
    run_id: int | None = None
    page_size: int = Field(default=100, ge=1, le=100)
    max_pages: int | None = Field(default=None, ge=1)
    q: str | None = None

    @field_validator("feed_url")
    @classmethod
    def _http_only(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("feed_url must be an http(s) URL")
        return value


class PartnerSpider(scrapy.Spider):
    """A spider for one partner network; the partner slug defaults to ``partner_slug``,
    else the spider name."""

    network: ClassVar[str]
    partner_slug: ClassVar[str | None] = None
    args_model: ClassVar[type[SpiderArgs]] = SpiderArgs  # a subclass adds its own arguments

    def __init__(self, name: str | None = None, **kwargs: Any) -> None:
        try:
            self.args = self.args_model(**kwargs)
        except ValidationError as exc:
            raise UsageError(f"bad spider arguments: {exc}") from exc
        super().__init__(name)
        self.config = self._load_config()
        self.feed_url: str = self.args.feed_url or self.config.feed_url
        self.app_key: str = self.args.app_key or self.config.app_key
        self.app_secret: str = self.args.app_secret or self.config.app_secret.get_secret_value()
        self.run_id = self.args.run_id
        self.pages = 0
        self.expected_total: int | None = None
        # Set when the crawl cannot be complete: an API error, a page lost after retries.
        self.failure: str | None = None
        self.incomplete: list[str] = []
        # Only a crawl of the whole catalog may retire offers it did not see; a keyword
        # search or a capped crawl sees a subset by design.
        self.full_catalog = self.args.q is None and self.args.max_pages is None
        # A 304 on a file feed: nothing changed, nothing to ingest or retire.
        self.not_modified = False
        self.validators: Validators | None = None  # of the feed just fetched

    def _load_config(self) -> PartnerConfig:
        slug = self.args.partner or self.partner_slug or self.name
        try:
            return partner_config(slug)
        except PartnerConfigError:
            if not self.args.feed_url:
                raise
        # Pointed at an explicit feed with no config entry: run with the network defaults.
        return PartnerConfig(slug=slug, network=self.network, feed_url=self.args.feed_url or "")

    def on_request_error(self, failure: Failure) -> None:
        """A page that failed after every retry: the crawl is partial, nothing is retired."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        self.incomplete.append(f"{failure.getErrorMessage()} at {url.split('?')[0]}")
        self.logger.error("request failed after retries: %s", failure.getErrorMessage())


GZIP_MAGIC = b"\x1f\x8b"


class FileFeedSpider(PartnerSpider):
    """One file feed (CSV, XML, TSV, maybe gzip) fetched with a conditional GET.

    Subclasses implement ``parse_feed(response, body)``; ``body`` is already gunzipped
    when the file itself is gzip (``.csv.gz`` served as a file, not as a
    Content-Encoding, which Scrapy would undo on its own).
    """

    custom_settings = {"DOWNLOAD_MAXSIZE": 2 * 1024**3}  # noqa: RUF012 - Scrapy API

    async def start(self) -> AsyncIterator[scrapy.Request]:
        with session_scope() as session:
            known = get_validators(session, partner_slug=self.config.slug, url=self.feed_url)
        yield scrapy.Request(
            self.feed_url, headers=known.request_headers(), callback=self._on_feed,
            errback=self.on_request_error, dont_filter=True,
            meta={"handle_httpstatus_list": [304]},
        )

    def _on_feed(self, response: Response) -> Iterator[Any]:
        self.pages += 1
        if response.status == 304:
            self.not_modified = True
            self.logger.info("feed not modified since the last complete crawl")
            return
        self.validators = Validators(
            etag=_header(response, b"ETag"), last_modified=_header(response, b"Last-Modified"))
        try:
            body = gzip.decompress(response.body) if response.body[:2] == GZIP_MAGIC \
                else response.body
        except (OSError, EOFError) as exc:  # a truncated or corrupt gzip file
            self.incomplete.append(f"unreadable gzip feed: {exc}")
            return
        yield from batched(self._drain(self.parse_feed(response, body)))

    def _drain(self, records: Iterator[Any]) -> Iterator[Any]:
        """Yield a parser's records; how the file ends decides what the run may conclude.

        A cut-off file keeps the records before the cut but makes the crawl partial
        (nothing is retired); a file of the wrong kind, or a parser bug, fails it.
        """
        try:
            yield from records
        except TruncatedFeed as exc:
            self.incomplete.append(str(exc))
            self.logger.error("feed incomplete: %s", exc)
        except FeedFormatError as exc:
            self.failure = str(exc)
            self.logger.error("feed unusable: %s", exc)
        except PartnerConfigError as exc:  # see config_timezone
            self.failure = str(exc)
            self.logger.error("%s", exc)
        except Exception as exc:
            self.failure = f"parser error: {type(exc).__name__}: {exc}"
            self.logger.exception("parser error")

    def config_timezone(self, default: str) -> ZoneInfo:
        """The account time zone of a feed's wall-clock dates (partners.toml ``timezone``).

        An unknown zone raises PartnerConfigError: called from ``parse_feed``, it fails the
        crawl before any record is read.
        """
        zone = str(self.config.extra.get("timezone") or default)
        try:
            return ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise PartnerConfigError(f"unknown timezone {zone!r} in partner config") from exc

    def parse_feed(self, response: Response, body: bytes) -> Iterator[Any]:
        raise NotImplementedError


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
