"""A shopper's walk through the demo in headless chromium: crawl the sandbox, browse,
search, filter, open a product, reach the partner, on desktop and on a phone."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from aggregator.search import after_catalog_change
from tests.browser.conftest import shot
from tests.conftest import truncate_all
from tests.support.processes import sandbox, scrapy_crawl

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def crawled(engine: Engine, database_url: str) -> Iterator[str]:
    truncate_all(engine)
    with sandbox(seed=42, items=300) as base:
        result = scrapy_crawl("taobao", database_url, f"feed_url={base}/taobao/router/rest")
        assert result.returncode == 0, result.stderr[-2000:]
        after_catalog_change(engine)  # what `daogou crawl` does after the crawl
        yield base  # images on the pages are served by the sandbox
    truncate_all(engine)


def yuan(text: str) -> float:
    match = re.search(r"([\d,]+(?:\.\d+)?)", text)
    assert match, text
    return float(match.group(1).replace(",", ""))


def test_home_lists_offers_with_images_and_final_prices(crawled: str, site: str,
                                                        page: Page) -> None:
    page.goto(site + "/")
    cards = page.locator("#grid li.card")
    expect(cards.first).to_be_visible()
    assert cards.count() == 24
    page.wait_for_load_state("networkidle")
    loaded = page.eval_on_selector_all(
        "li.card img", "imgs => imgs.slice(0, 6).map(i => i.complete && i.naturalWidth > 0)")
    assert loaded and all(loaded)
    assert page.locator("li.card .final strong").first.inner_text().startswith("¥")
    shot(page, "home-desktop")
    page.locator("a.more").click()  # HTMX appends the next page to the grid
    expect(page.locator("#grid li.card")).to_have_count(48)


def test_search_filter_sort_and_reach_the_partner(crawled: str, site: str, page: Page) -> None:
    page.goto(site + "/")
    page.get_by_label("关键词").fill("口红")
    page.get_by_label("只看有券").check()
    page.get_by_label("排序").select_option("final_price")
    page.get_by_role("button", name="筛选").click()
    # HTMX swaps the results, then pushes the URL (slow on a loaded machine: wait)
    expect(page).to_have_url(re.compile(r"q=%E5%8F%A3%E7%BA%A2.*sort=final_price"),
                             timeout=30_000)
    cards = page.locator("#grid li.card")
    expect(cards.first).to_be_visible()
    titles = cards.locator(".card-title").all_inner_texts()
    assert titles and all("口红" in t for t in titles)
    finals = [yuan(t) for t in cards.locator(".final strong").all_inner_texts()]
    assert finals == sorted(finals)
    assert cards.locator(".final small").all_inner_texts() == ["券后价"] * len(titles)
    shot(page, "search-lipstick")

    cards.first.locator("a.card-link").click()
    expect(page.locator("article.product")).to_be_visible()
    assert yuan(page.locator("dd.final").inner_text()) == finals[0]
    expect(page.locator("table.offers")).to_contain_text("券后价")
    shot(page, "product")
    with page.context.expect_page() as partner_tab:
        page.locator("a.buy").first.click()
    partner = partner_tab.value
    partner.wait_for_load_state()
    assert partner.url.startswith(crawled + "/click")


def test_phone_layout(crawled: str, site: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(site + "/")
    expect(phone.locator("#grid li.card").first).to_be_visible()
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    # every filter control stays inside the filter panel (a long category name once
    # widened its select past the screen's edge)
    spill = phone.evaluate("""() => {
        const panel = document.querySelector('.filters').getBoundingClientRect();
        return [...document.querySelectorAll('.filters input, .filters select, .filters button')]
            .filter(el => el.getBoundingClientRect().right > panel.right + 1).length;
    }""")
    assert spill == 0
    shot(phone, "home-phone")
    phone.locator("li.card a.card-link").first.tap()
    expect(phone.locator("article.product")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    shot(phone, "product-phone")
    context.close()


def test_unknown_product_is_a_friendly_404(crawled: str, site: str, page: Page) -> None:
    response = page.goto(site + "/products/999999999")
    assert response is not None and response.status == 404
    expect(page.locator("body")).to_contain_text("去首页看看今天的优惠")
