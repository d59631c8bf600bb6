"""Item pipelines: validate typed records, then ingest them in batches with run bookkeeping."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from datetime import datetime
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from twisted.internet.task import LoopingCall

from aggregator import migrate
from aggregator.affiliate.conversions import OrderCounts, record_orders
from aggregator.crawl_runs import add_counts, create_run, finish_run, mark_started
from aggregator.db import make_engine, session_scope
from aggregator.feed_states import save_validators
from aggregator.ingest import (
    ID_MAX,
    URL_MAX,
    IngestResult,
    ingest_offers,
    refresh_statistics,
    store_rejects,
)
from aggregator.models import Partner
from aggregator.partners import ensure_partner
from aggregator.records import OfferRecord, OrderRecord, RejectRecord, VoucherRecord
from aggregator.retirement import retire_unseen_offers, retire_unseen_vouchers
from aggregator.settings import get_settings
from aggregator.timeutil import utcnow
from aggregator.vouchers import ingest_vouchers
from crawlers.items import CrawlRecord, RecordBatch, records_of
from crawlers.spiders.base import PartnerSpider

# Prices above this (in minor units) are feed errors, not products: 100 million yuan.
PRICE_CEILING = 10_000_000_000
ORDER_ID_MAX = 100  # conversions.order_id and .sub_id
HEARTBEAT_SECONDS = 30.0


class _CrawlerPipeline:
    """Pipelines reach the spider through the crawler (Scrapy ≥ 2.13 style)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def spider(self) -> PartnerSpider:
        spider = self.crawler.spider
        assert isinstance(spider, PartnerSpider), "daogou pipelines serve partner spiders"
        return spider


class ValidationPipeline(_CrawlerPipeline):
    """Business checks the parsers cannot make alone; failures become rejects, not drops."""

    def process_item(self, item: Any) -> RecordBatch:
        try:
            records = records_of(item)
        except TypeError as exc:
            raise DropItem(str(exc)) from exc
        spider = self.spider
        return RecordBatch([self._checked(r, spider) for r in records])

    def _checked(self, record: CrawlRecord, spider: PartnerSpider) -> CrawlRecord:
        if isinstance(record, OrderRecord):
            return self._checked_order(record, spider)
        if not isinstance(record, OfferRecord):
            return record
        reason = self._problem(record, spider)
        if reason:
            return RejectRecord(partner=record.partner, reason=reason, raw=record.raw,
                                external_id=record.external_id)
        return record

    @staticmethod
    def _checked_order(order: OrderRecord, spider: PartnerSpider) -> CrawlRecord:
        """Orders in any currency are kept (an Awin account earns in several). An order id
        the conversions table cannot hold is rejected; so long a sub-id is none of ours
        (they are "dg" + a click id), so the order stays, unattributed."""
        if len(order.order_id) > ORDER_ID_MAX:
            return RejectRecord(partner=spider.config.slug,
                                reason=f"order id longer than {ORDER_ID_MAX}",
                                raw=order.raw, external_id=order.order_id[:ID_MAX])
        if order.sub_id is not None and len(order.sub_id) > ORDER_ID_MAX:
            return replace(order, sub_id=None)
        return order

    @staticmethod
    def _problem(item: OfferRecord, spider: PartnerSpider) -> str | None:
        if item.currency != spider.config.currency:
            return f"currency {item.currency} differs from partner currency"
        if item.price > PRICE_CEILING:
            return f"implausible price {item.price}"
        too_long = [name for name, value, size in (
            ("external id", item.external_id, ID_MAX), ("url", item.url, URL_MAX),
            ("shop id", item.shop_id, ID_MAX),
            *(("coupon id", c.external_id, ID_MAX) for c in item.coupons),
            *(("coupon code", c.code, 100) for c in item.coupons),
            *(("coupon url", c.url, URL_MAX) for c in item.coupons),
        ) if value is not None and len(value) > size]
        if too_long:
            return f"{too_long[0]} longer than the catalog stores"
        return None


class IngestPipeline(_CrawlerPipeline):
    """Buffers records and writes each batch in one transaction, updating the run row."""

    flush_seconds = 1.0

    def open_spider(self) -> None:
        spider = self.spider
        settings = get_settings()
        self.batch_size = settings.ingest_batch_size
        self.engine: Engine = make_engine(settings.database_url)
        migrate.upgrade(self.engine)  # a fresh database works with plain `scrapy crawl`
        self.offers: list[OfferRecord] = []
        self.vouchers: list[VoucherRecord] = []
        self.rejects: list[RejectRecord] = []
        self.orders: list[OrderRecord] = []
        # External ids this crawl saw, for retiring the rest after a complete crawl.
        self.seen_offers: set[str] = set()
        self.seen_vouchers: set[str] = set()
        self.totals = IngestResult()
        self.reported_pages = 0
        self.analyze_at = 2000  # new offers after which the planner's statistics refresh
        self.last_flush = time.monotonic()
        with session_scope(self.engine) as session:
            partner = ensure_partner(session, config=spider.config)
            self.partner_id = partner.id
            if spider.run_id is None:
                spider.run_id = create_run(session, partner_id=partner.id, spider=spider.name,
                                           trigger="cli", feed_url=spider.feed_url).id
            mark_started(session, run_id=spider.run_id, pid=os.getpid(), feed_url=spider.feed_url)
        spider.logger.info("crawl run %s for partner %s", spider.run_id, spider.config.slug)
        # Batches refresh the heartbeat; this keeps a crawl that is only waiting (retry
        # back-off, a slow partner) from looking abandoned.
        self.heartbeat = LoopingCall(self._beat, spider.run_id or 0)
        self.heartbeat.start(HEARTBEAT_SECONDS, now=False)

    def _beat(self, run_id: int) -> None:
        with session_scope(self.engine) as session:
            add_counts(session, run_id=run_id)

    def process_item(self, item: RecordBatch) -> RecordBatch:
        spider = self.spider
        for record in item.records:
            self._add(record, spider)
        due = time.monotonic() - self.last_flush >= self.flush_seconds
        pending = len(self.offers) + len(self.vouchers) + len(self.rejects) + len(self.orders)
        if pending >= self.batch_size or due:
            self.flush(spider)
        return item

    def _add(self, record: CrawlRecord, spider: PartnerSpider) -> None:
        if isinstance(record, RejectRecord):
            self.rejects.append(record)
            spider.logger.warning("rejected %s: %s", record.external_id, record.reason)
        elif isinstance(record, OrderRecord):
            self.orders.append(record)
        elif isinstance(record, VoucherRecord):
            self.vouchers.append(record)
            self.seen_vouchers.add(record.coupon.external_id)
        else:
            self.offers.append(record)
            self.seen_offers.add(record.external_id)

    def flush(self, spider: PartnerSpider) -> None:
        now = utcnow()
        with session_scope(self.engine) as session:
            partner = session.get_one(Partner, self.partner_id)
            result = IngestResult()
            if self.offers:
                result = ingest_offers(session, partner=partner, records=self.offers, now=now,
                                       run_id=spider.run_id)
            if self.vouchers:
                result.add(ingest_vouchers(session, partner=partner, records=self.vouchers,
                                           now=now))
            orders = self._record_orders(session, partner, now, spider)
            rejected = store_rejects(session, partner_id=self.partner_id, run_id=spider.run_id,
                                     rejects=self.rejects, now=now)
            add_counts(session, run_id=spider.run_id or 0,
                       expected_items=spider.expected_total,
                       pages=spider.pages - self.reported_pages,
                       items=len(self.offers) + len(self.vouchers) + len(self.orders) + rejected,
                       new=result.new + orders.new, updated=result.updated + orders.updated,
                       unchanged=result.unchanged + orders.unchanged + orders.stale,
                       rejected=rejected)
        self.totals.add(result)
        if self.totals.new >= self.analyze_at:
            with session_scope(self.engine) as session:
                refresh_statistics(session)
            self.analyze_at *= 4
        self.reported_pages = spider.pages
        self.offers, self.vouchers, self.rejects, self.orders = [], [], [], []
        self.last_flush = time.monotonic()

    def _record_orders(self, session: Session, partner: Partner, now: datetime,
                       spider: PartnerSpider) -> OrderCounts:
        """Hand the buffered orders to the conversions service, in this flush's transaction.

        A report older than the stored one counts as unchanged (stale): the network's
        newer word is already in.
        """
        if not self.orders:
            return OrderCounts()
        counts = record_orders(session, partner=partner, records=self.orders, source="sync",
                               now=now)
        stats = spider.crawler.stats
        for name in ("new", "updated", "unchanged", "stale", "attributed"):
            stats.inc_value(f"orders/{name}", getattr(counts, name))
        return counts

    def close_spider(self) -> None:
        spider = self.spider
        if self.heartbeat.running:
            self.heartbeat.stop()
        reason = spider.crawler.stats.get_value("finish_reason") or "finished"
        try:
            self.flush(spider)
        except Exception as exc:
            self._finish(spider, "failed", "ingest_error", f"{type(exc).__name__}: {exc}")
            raise
        status, why = self._outcome(spider, reason)
        if status == "finished":
            self._complete(spider)
        self._finish(spider, status, "not_modified" if spider.not_modified else reason, why)
        self.engine.dispose()

    def _complete(self, spider: PartnerSpider) -> None:
        """After a complete crawl only: retire what it did not see, remember validators."""
        now = utcnow()
        with session_scope(self.engine) as session:
            if spider.full_catalog and not spider.not_modified:
                retired = retire_unseen_offers(session, partner_id=self.partner_id,
                                               seen=self.seen_offers, now=now)
                # A partner's crawl lists all of its offers and all of its vouchers.
                retired += retire_unseen_vouchers(session, partner_id=self.partner_id,
                                                  seen=self.seen_vouchers, now=now)
                add_counts(session, run_id=spider.run_id or 0, retired=retired)
            if spider.validators is not None:
                save_validators(session, partner_id=self.partner_id,
                                partner_slug=spider.config.slug, url=spider.feed_url,
                                validators=spider.validators, now=now)

    @staticmethod
    def _outcome(spider: PartnerSpider, reason: str) -> tuple[str, str | None]:
        if spider.failure:
            return "failed", spider.failure
        if reason != "finished":
            return "partial", f"finish reason {reason}"
        if spider.incomplete:
            return "partial", "; ".join(spider.incomplete[:5])
        errors = spider.crawler.stats.get_value("spider_exceptions/count", 0)
        if errors:  # a callback crashed: some pages' records were never read
            return "partial", f"{errors} spider callback errors; see the crawl log"
        return "finished", None

    def _finish(self, spider: PartnerSpider, status: str, reason: str,
                message: str | None) -> None:
        stats = {k: v for k, v in spider.crawler.stats.get_stats().items()
                 if isinstance(v, int | float | str)}
        with session_scope(self.engine) as session:
            finish_run(session, run_id=spider.run_id or 0, status=status,
                       finish_reason=reason, message=message, stats=stats)
        spider.logger.info("crawl run %s %s (%s)", spider.run_id, status, message or reason)
