"""The file-feed spiders (awin, awin_vouchers, gmc) as real ``scrapy crawl`` processes.

A local server replays the real-format samples; every run writes into the test
database, which the assertions then read.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from scrapy.http import TextResponse
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from aggregator.models import (
    Coupon,
    FeedState,
    Merchant,
    Offer,
    PriceObservation,
    RejectedRecord,
)
from aggregator.partners import PartnerConfig
from crawlers.spiders.awin_vouchers import AwinVouchersSpider
from crawlers.spiders.base import FileFeedSpider
from crawlers.spiders.gmc import GmcSpider
from tests.conftest import FEEDS
from tests.crawlers.spider_support import last_run
from tests.support.feedserver import Responder, serve
from tests.support.processes import scrapy_crawl

AWIN_CSV = (FEEDS / "awin" / "products.csv").read_bytes()
CSV_TYPE = {"Content-Type": "text/csv; charset=utf-8"}


def files(routes: dict[str, tuple[bytes, dict[str, str]]]) -> Responder:
    """A feedserver responder serving each path's (body, headers); anything else is 404."""
    def respond(path: str, params: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        found = routes.get(path)
        return (200, found[1], found[0]) if found else (404, {}, b"not found")
    return respond


def crawl(spider: str, database_url: str, url: str) -> subprocess.CompletedProcess[str]:
    result = scrapy_crawl(spider, database_url, f"feed_url={url}")
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.mark.parametrize(("path", "body", "headers"), [
    ("/products.csv", AWIN_CSV, CSV_TYPE),
    # A .csv.gz file is gzip bytes served as they are (no Content-Encoding).
    ("/products.csv.gz", (FEEDS / "awin" / "products.csv.gz").read_bytes(),
     {"Content-Type": "application/x-gzip"}),
])
def test_awin_ingests_valid_rows_and_rejects_the_rest(committed: Engine, database_url: str,
                                                      path: str, body: bytes,
                                                      headers: dict[str, str]) -> None:
    with serve(files({path: (body, headers)})) as url:
        crawl("awin", database_url, f"{url}{path}")
    with Session(committed) as s:
        offers = {o.external_id: o for o in s.scalars(select(Offer))}
        assert set(offers) == {"31234567", "31234568"}
        ridge, bottle = offers["31234567"], offers["31234568"]
        assert (ridge.currency, ridge.price, ridge.list_price, ridge.in_stock) == (
            "GBP", 5999, 8999, True)
        assert ridge.title == 'Trail Running Shoe "Ridge 2", Men\'s'
        assert ridge.raw["ean"] == "0820650851230" and ridge.brand == "Acme"
        assert (bottle.price, bottle.list_price) == (1800, None)
        reject = s.scalars(select(RejectedRecord)).one()
        assert reject.external_id == "31234569" and "no price" in reject.reason
        run = last_run(committed)
        assert (run.status, run.items, run.new, run.rejected, run.pages) == (
            "finished", 3, 2, 1, 1)


class ConditionalServer:
    """Serves one file with an ETag and answers 304 when If-None-Match names it.

    tests/support/feedserver hands its responders no request headers, so this test
    keeps its own few lines of server to see what the spider really sends.
    """

    def __init__(self, body: bytes, etag: str) -> None:
        self.body, self.etag = body, etag
        self.asked: list[str | None] = []  # the If-None-Match of each request

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                asked = self.headers.get("If-None-Match")
                server.asked.append(asked)
                body = b"" if asked == server.etag else server.body
                self.send_response(304 if asked == server.etag else 200)
                self.send_header("ETag", server.etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    @contextmanager
    def running(self) -> Iterator[str]:
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/products.csv"
        finally:
            httpd.shutdown()
            httpd.server_close()


def test_unchanged_feed_costs_one_304(committed: Engine, database_url: str) -> None:
    server = ConditionalServer(AWIN_CSV, '"v1"')
    with server.running() as url:
        crawl("awin", database_url, url)
        with Session(committed) as s:
            before = sorted(s.execute(select(Offer.id, Offer.updated_at, Offer.last_run_id)))
            assert s.scalars(select(FeedState.etag)).one() == '"v1"'
        crawl("awin", database_url, url)
    assert server.asked == [None, '"v1"']
    with Session(committed) as s:
        assert sorted(s.execute(select(Offer.id, Offer.updated_at, Offer.last_run_id))) == before
        assert s.scalar(select(func.count()).select_from(PriceObservation)) == 2
        assert s.scalar(select(func.count()).select_from(RejectedRecord)) == 1
        run = last_run(committed)
        assert (run.status, run.finish_reason, run.items, run.new) == (
            "finished", "not_modified", 0, 0)
        assert s.scalar(select(func.count()).select_from(Offer)
                        .where(Offer.retired_at.is_not(None))) == 0


def test_truncated_feed_keeps_what_it_read_and_retires_nothing(committed: Engine,
                                                               database_url: str) -> None:
    # Cut inside the bottle row: the Ridge row before it is complete.
    cut = AWIN_CSV[:AWIN_CSV.index(b"Insulated Bottle") + 5]
    with serve(files({"/full.csv": (AWIN_CSV, CSV_TYPE), "/cut.csv": (cut, CSV_TYPE)})) as url:
        crawl("awin", database_url, f"{url}/full.csv")
        crawl("awin", database_url, f"{url}/cut.csv")
    with Session(committed) as s:
        run = last_run(committed)
        assert run.status == "partial" and "mid-row" in (run.message or "")
        assert (run.items, run.unchanged) == (1, 1)
        assert s.scalar(select(func.count()).select_from(Offer)
                        .where(Offer.retired_at.is_(None))) == 2
        assert s.scalar(select(func.count()).select_from(FeedState)) == 1  # the full one


def test_html_error_page_fails_the_run(committed: Engine, database_url: str) -> None:
    page = b"<!DOCTYPE html>\n<html><body>Service unavailable</body></html>\n"
    with serve(files({"/feed.csv": (page, {"Content-Type": "text/html"})})) as url:
        crawl("awin", database_url, f"{url}/feed.csv")
    with Session(committed) as s:
        run = last_run(committed)
        assert run.status == "failed" and "header lacks" in (run.message or "")
        assert s.scalar(select(func.count()).select_from(Offer)) == 0


@pytest.mark.parametrize(("name", "content_type"), [
    ("feed.xml", "application/xml"),
    ("feed.tsv", "text/tab-separated-values"),
])
def test_gmc_feed(committed: Engine, database_url: str, name: str, content_type: str) -> None:
    body = (FEEDS / "gmc" / name).read_bytes()
    # Served under a name that says nothing: the spider must tell XML from TSV by content.
    with serve(files({"/feed": (body, {"Content-Type": content_type})})) as url:
        crawl("gmc", database_url, f"{url}/feed")
    with Session(committed) as s:
        offers = {o.external_id: o for o in s.scalars(select(Offer))}
        ridge = offers["RIDGE2-42"]
        assert (ridge.currency, ridge.price, ridge.list_price) == ("GBP", 6250, 8400)
        assert ridge.category == "Apparel & Accessories > Shoes"
        if name == "feed.xml":
            tent = offers["TENT-2P"]
            assert (tent.price, tent.list_price, tent.in_stock, tent.category) == (
                19900, None, False, "988")
        assert set(offers) == ({"RIDGE2-42", "TENT-2P"} if name == "feed.xml" else {"RIDGE2-42"})
        assert last_run(committed).status == "finished"


def test_gmc_malformed_xml_is_partial(committed: Engine, database_url: str) -> None:
    body = (FEEDS / "gmc" / "feed.xml").read_bytes()
    cut = body[:body.index(b"<g:mpn>") + 4]  # inside the Tent item
    with serve(files({"/feed.xml": (cut, {"Content-Type": "application/xml"})})) as url:
        crawl("gmc", database_url, f"{url}/feed.xml")
    with Session(committed) as s:
        assert [o.external_id for o in s.scalars(select(Offer))] == ["RIDGE2-42"]
        run = last_run(committed)
        assert run.status == "partial" and "malformed XML" in (run.message or "")


def test_awin_vouchers_land_as_merchant_coupons(committed: Engine, database_url: str) -> None:
    body = (FEEDS / "awin" / "promotions.csv").read_bytes()
    with serve(files({"/promotions.csv": (body, CSV_TYPE)})) as url:
        crawl("awin_vouchers", database_url, f"{url}/promotions.csv")
    with Session(committed) as s:
        coupons = {c.external_id: c for c in s.scalars(select(Coupon))}
        assert set(coupons) == {"987654", "987655", "987656"}
        assert all(c.offer_id is None for c in coupons.values())
        merchant = s.scalars(select(Merchant)).one()
        assert (merchant.external_id, merchant.name) == ("4567", "Acme UK")
        assert {c.merchant_id for c in coupons.values()} == {merchant.id}
        save10, fiveoff, promo = coupons["987654"], coupons["987655"], coupons["987656"]
        assert (save10.kind, save10.percent_bp, save10.code, save10.min_spend) == (
            "percent_off", 1000, "SAVE10", 0)
        assert (fiveoff.kind, fiveoff.amount, fiveoff.min_spend, fiveoff.currency) == (
            "amount_off", 500, 5000, "GBP")
        assert (promo.kind, promo.code) == ("free_shipping", None)
        assert promo.ends_at is not None
        assert promo.ends_at.astimezone(UTC) == datetime(2024, 1, 3, 23, 59, 59, tzinfo=UTC)
        assert save10.url is not None and save10.url.startswith("https://www.awin1.com/cread.php")
        assert save10.raw["Exclusive"] == "No"
        run = last_run(committed)
        assert (run.status, run.items, run.new, run.rejected) == ("finished", 3, 3, 0)


@pytest.mark.parametrize("spider_class", [AwinVouchersSpider, GmcSpider])
def test_unknown_config_timezone_fails_the_crawl(spider_class: type[FileFeedSpider]) -> None:
    url = "http://127.0.0.1:9/feed.csv"
    spider = spider_class(feed_url=url)
    spider.config = PartnerConfig.model_validate({
        "slug": spider.name, "network": spider.network, "feed_url": url,
        "timezone": "Mars/Olympus"})
    assert list(spider._on_feed(TextResponse(url, body=b"whatever"))) == []
    assert spider.failure == "unknown timezone 'Mars/Olympus' in partner config"
