"""The html spider as a user runs it (`scrapy crawl html -a feed_url=...`) against a small shop.

The shop is a plain local server, not our sandbox: two sample product pages from the shared
feeds, a few inline ones, three listing pages, a robots.txt, and links that lead off the site.
"""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from aggregator.models import Coupon, Offer, Product, RejectedRecord
from tests.conftest import FEEDS
from tests.crawlers.spider_support import Reply, last_run
from tests.support.feedserver import serve
from tests.support.processes import scrapy_crawl

HTML = {"Content-Type": "text/html; charset=utf-8"}


def _ld(data: object) -> str:
    return f"<script type='application/ld+json'>{json.dumps(data, ensure_ascii=False)}</script>"


def _page(body: str, head: str = "") -> bytes:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>".encode()


def _links(*hrefs: str) -> str:
    return "".join(f"<li><a href='{href}'>{href}</a></li>" for href in hrefs)


class Shop:
    """Answers like a shop and records every path asked for (the Host header is not checked,
    so a request to http://localhost:<same port> would show up here too)."""

    def __init__(self, *, robots: str = "User-agent: *\nDisallow: /private/\n",
                 offsite: str = "http://127.0.0.1:9/", product_markup: bool = True) -> None:
        self.robots, self.offsite, self.product_markup = robots, offsite, product_markup
        self.asked: Counter[str] = Counter()
        self.port = 0  # set once serve() has chosen one

    def __call__(self, path: str, params: dict[str, str]) -> Reply:
        key = path + (f"?page={params['page']}" if "page" in params else "")
        self.asked[key] += 1
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, self.robots.encode()
        if path == "/shop/":
            return 200, HTML, self.listing(params.get("page", "1"))
        if path == "/item/1006.html":  # moved to another site: the redirect is not followed
            return 302, {"Location": f"{self.offsite}item/6.html"}, b""
        body = self.product(path)
        return (200, HTML, body) if body is not None else (404, HTML, b"not found")

    def listing(self, number: str) -> bytes:
        if number == "1":
            return _page(
                "<p>全场满199减30</p><ul>" + _links(
                    "/item/1001.html", "/item/1002.html", "/item/1003.html", "/item/1006.html",
                    "/private/item/9.html", f"http://localhost:{self.port}/offsite/item/1.html",
                    f"{self.offsite}item/6.html")
                + "</ul><a class='next' href='?page=2'>下一页</a>")
        if number == "2":
            return _page("<ul>" + _links("/item/1004.html", "/item/1001.html#again",
                                         "/item/404.html") + "</ul><a href='/shop/'>1</a>",
                         head="<link rel='next' href='/shop/?page=3'>")
        return _page("<ul>" + _links("/goods/1005") + "</ul>")

    def product(self, path: str) -> bytes | None:
        if not self.product_markup and path.startswith(("/item/", "/goods/")):
            return _page("<h1>改版了</h1><p>¥10</p>")
        samples = {"/item/1001.html": "item_1001_jsonld.html",
                   "/item/1002.html": "item_1002_microdata.html"}
        if path in samples:
            return (FEEDS / "html" / samples[path]).read_bytes()
        inline = {
            "/item/1003.html": _page("", head=_ld({"@type": "Product", "name": "暂无报价",
                                                   "sku": "NP-1003"})),
            "/item/1004.html": _page("<p>满50元减10元</p>", head=(
                "<meta property='og:type' content='product'>"
                "<meta property='og:title' content='竹制 砧板'>"
                "<meta property='product:price:amount' content='59.00'>"
                "<meta property='product:price:currency' content='CNY'>")),
            "/goods/1005": _page("", head=_ld({"@graph": [
                {"@type": "Product", "name": "不锈钢 饭盒", "sku": "K-1005",
                 "offers": {"@type": "AggregateOffer", "lowPrice": "45", "priceCurrency": "CNY"}}
            ]})),
        }
        return inline.get(path)


def crawl(shop: Shop, database_url: str, *extra: str) -> tuple[str, int]:
    with serve(shop) as url:
        shop.port = int(url.rsplit(":", 1)[1])
        result = scrapy_crawl("html", database_url, f"feed_url={url}/shop/", *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr, shop.port


def test_crawls_listing_pages_and_products_on_one_site(committed: Engine,
                                                       database_url: str) -> None:
    def elsewhere(path: str, params: dict[str, str]) -> Reply:
        asked_elsewhere.append(path)
        return 200, HTML, _page("")

    asked_elsewhere: list[str] = []
    with serve(elsewhere) as other:  # same host, another port: another site
        shop = Shop(offsite=f"{other}/")
        crawl(shop, database_url)
    assert asked_elsewhere == []
    assert not any(path.startswith(("/offsite/", "/private/")) for path in shop.asked)
    assert shop.asked["/robots.txt"] == 1
    assert [shop.asked[f"/shop/?page={n}"] for n in (2, 3)] == [1, 1]
    assert shop.asked["/shop/"] == 1 and shop.asked["/item/1001.html"] == 1
    assert shop.asked["/item/404.html"] == 1 and shop.asked["/goods/1005"] == 1
    assert shop.asked["/item/1006.html"] == 1
    with Session(committed) as s:
        offers = {o.external_id: o for o in s.scalars(select(Offer))}
        assert set(offers) == {"MUG-350", "/item/1002.html", "/item/1004.html", "K-1005"}
        mug = offers["MUG-350"]
        assert (mug.currency, mug.price, mug.final_price) == ("CNY", 3990, 3490)
        assert mug.url.endswith("/item/1001.html") and mug.raw["json_ld"]["sku"] == "MUG-350"
        assert s.get_one(Product, mug.product_id).gtin == "06901234567892"  # GTIN-14
        (coupon,) = s.scalars(select(Coupon).where(Coupon.offer_id == mug.id))
        assert (coupon.kind, coupon.amount, coupon.min_spend) == ("amount_off", 500, 3900)
        assert offers["/item/1002.html"].price == 8900
        board = offers["/item/1004.html"]
        assert (board.price, board.final_price) == (5900, 4900)
        assert offers["K-1005"].price == 4500
        reject = s.scalars(select(RejectedRecord)).one()
        assert reject.external_id == "NP-1003" and "no price" in reject.reason
    run = last_run(committed)
    assert (run.status, run.new, run.rejected, run.pages) == ("finished", 4, 1, 8), run.message
    assert run.stats is not None and run.stats["offsite/filtered"] == 1  # the redirect


def test_max_pages_caps_listing_pages(committed: Engine, database_url: str) -> None:
    shop = Shop()
    crawl(shop, database_url, "max_pages=1")
    assert shop.asked["/shop/"] == 1 and "/shop/?page=2" not in shop.asked
    assert shop.asked["/item/1002.html"] == 1
    run = last_run(committed)
    assert run.status == "partial" and "max_pages=1" in (run.message or "")


def test_robots_txt_forbidding_the_start_page_fails_the_run(committed: Engine,
                                                            database_url: str) -> None:
    shop = Shop(robots="User-agent: *\nDisallow: /\n")
    crawl(shop, database_url)
    assert set(shop.asked) == {"/robots.txt"}
    run = last_run(committed)
    assert run.status == "failed" and "start page refused" in (run.message or "")


def test_product_pages_without_markup_make_a_partial_run(committed: Engine,
                                                         database_url: str) -> None:
    """A shop redesign must not look like an empty catalog (that would retire every offer)."""
    crawl(Shop(product_markup=False), database_url)
    run = last_run(committed)
    assert run.status == "partial" and "no product offer read" in (run.message or "")
    assert run.new == 0


def test_missing_robots_txt_allows_the_crawl(committed: Engine, database_url: str) -> None:
    class NoRobots(Shop):
        def __call__(self, path: str, params: dict[str, str]) -> Reply:
            if path == "/robots.txt":
                self.asked[path] += 1
                return 404, HTML, b"no robots here"
            return super().__call__(path, params)

    shop = NoRobots()
    crawl(shop, database_url, "max_pages=1")
    assert shop.asked["/item/1001.html"] == 1 and shop.asked["/private/item/9.html"] == 1
