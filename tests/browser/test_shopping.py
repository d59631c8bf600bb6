"""A shopper's journeys in headless chromium on a crawled catalog: search in Chinese and
English, filter and sort without leaving the page (HTMX), load more, open a product,
copy a coupon code, and the phone-sized path from the home page to the partner."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine, select

from aggregator.db import session_scope
from aggregator.matching.store import match_pending
from aggregator.models import Offer, Partner
from aggregator.search import after_catalog_change
from aggregator.timeutil import utcnow
from tests.browser.conftest import shot
from tests.conftest import truncate_all
from tests.support.processes import sandbox, scrapy_crawl

pytestmark = pytest.mark.browser
CRAWLS = (("taobao", "/taobao/router/rest"), ("awin", "/awin/datafeed/products.csv.gz"),
          ("awin_vouchers", "/awin/promotions.csv"))


@pytest.fixture(scope="module")
def crawled(engine: Engine, database_url: str) -> Iterator[tuple[str, str]]:
    """A catalog crawled from the sandbox, matched and indexed as after `daogou crawl`;
    yields an Awin title and the last long word in it."""
    truncate_all(engine)
    with sandbox(seed=42, items=300, bad_every=0) as base:
        for spider, path in CRAWLS:
            result = scrapy_crawl(spider, database_url, f"feed_url={base}{path}")
            assert result.returncode == 0, result.stderr[-2000:]
    with session_scope(engine) as session:
        match_pending(session, now=utcnow())
    after_catalog_change(engine)
    with session_scope(engine) as session:
        title = session.scalar(select(Offer.title).join(Partner)
                               .where(Partner.slug == "awin").order_by(Offer.id).limit(1))
    assert title
    yield title, re.findall(r"[A-Za-z]{5,}", title)[-1]
    truncate_all(engine)


def cards(page: Page) -> list[str]:
    return page.locator("#grid .card-title").all_inner_texts()


def test_search_in_chinese_highlights_the_word(crawled: object, site: str, page: Page) -> None:
    page.goto(site)
    page.get_by_role("search").get_by_role("searchbox").fill("口红")
    page.get_by_role("search").get_by_role("button").click()
    expect(page.locator("#grid .card").first).to_be_visible()
    titles = cards(page)
    assert titles and all("口红" in t for t in titles)
    expect(page.locator("#grid .card-title mark").first).to_have_text("口红")
    shot(page, "search-zh")


def test_search_in_english_by_prefix(crawled: tuple[str, str], site: str,
                                     page: Page) -> None:
    title, word = crawled
    page.goto(f"{site}/?q={word[:4].upper()}")
    expect(page.locator("#grid .card-title", has_text=title).first).to_be_visible()
    expect(page.locator("#grid .card-title mark").first).to_have_text(
        re.compile(word[:4], re.IGNORECASE))


def test_filters_and_sort_swap_results_in_place(crawled: object, site: str, page: Page) -> None:
    page.goto(site)
    page.evaluate("window.__same_page = true")
    page.locator("form.filters select[name=sort]").select_option("final_price")
    expect(page).to_have_url(re.compile(r"sort=final_price"), timeout=30_000)
    page.locator("form.filters input[name=has_coupon]").check()
    expect(page).to_have_url(re.compile(r"has_coupon=1"), timeout=30_000)
    expect(page.locator("#grid .card").first).to_be_visible()
    assert page.evaluate("window.__same_page") is True  # HTMX swapped, no reload
    finals = [float(re.sub(r"[^\d.]", "", t)) for t in
              page.locator("#grid .card .final strong").all_inner_texts()]
    assert finals == sorted(finals)
    assert page.locator("#grid .card").count() == page.locator("#grid .card .coupon").count()
    shot(page, "filtered")


def test_load_more_appends_the_next_page(crawled: object, site: str, page: Page) -> None:
    page.goto(site)
    before = page.locator("#grid .card").count()
    page.evaluate("window.__same_page = true")
    page.locator("#pager a.more").click()
    expect(page.locator("#grid .card")).not_to_have_count(before)
    assert page.locator("#grid .card").count() > before
    assert page.evaluate("window.__same_page") is True


def test_open_a_product_and_see_its_offers(crawled: object, site: str, page: Page) -> None:
    page.goto(site)
    first = page.locator("#grid .card-title").first
    title = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("table.offers tbody tr").first).to_be_visible()


def test_copy_a_coupon_code(crawled: object, site: str, browser: Browser) -> None:
    context = browser.new_context(locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    try:
        page.goto(f"{site}/coupons")
        code = page.locator(".voucher code.code").first
        expect(code).to_be_visible()
        page.locator(".voucher button.copy").first.click()
        expect(page.locator(".voucher .copied").first).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == code.inner_text()
        shot(page, "coupons")
    finally:
        context.close()


def test_on_a_phone_three_taps_reach_the_partner(crawled: object, site: str,
                                                 browser: Browser) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    try:
        page.goto(f"{site}/?q=口红&has_coupon=1")
        fits = "document.scrollingElement.scrollWidth <= window.innerWidth"
        assert page.evaluate(fits), "the page scrolls sideways on a phone"
        page.locator("#grid .card-link").first.tap()  # 1: the deal
        expect(page.locator("table.offers")).to_be_visible()
        assert page.evaluate(fits)
        buy = page.locator("table.offers a.buy").first  # 2: the partner, with the coupon
        href = buy.get_attribute("href") or ""
        assert href.startswith("http") and not href.startswith(site)  # 3: tap it
        assert buy.get_attribute("target") == "_blank"
        shot(page, "phone-product")
    finally:
        context.close()
