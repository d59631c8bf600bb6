"""One product, many partners, in headless chromium: Awin and a Merchant Center feed sell
the same products (the sandbox gives them shared GTINs); after the crawls and the
matching that follows them, a product page compares both partners' offers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, func, select

from aggregator.db import session_scope
from aggregator.matching.store import match_pending
from aggregator.models import Offer, Product
from aggregator.search import after_catalog_change
from aggregator.timeutil import utcnow
from tests.browser.conftest import shot
from tests.conftest import truncate_all
from tests.support.processes import sandbox, scrapy_crawl

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def two_feeds(engine: Engine, database_url: str) -> Iterator[int]:
    """The id of a product both partners sell."""
    truncate_all(engine)
    with sandbox(seed=42, items=50) as base:
        for spider, path in (("awin", "/awin/datafeed/products.csv.gz"), ("gmc", "/gmc/feed.xml")):
            result = scrapy_crawl(spider, database_url, f"feed_url={base}{path}")
            assert result.returncode == 0, result.stderr[-2000:]
        with session_scope(engine) as session:
            match_pending(session, now=utcnow())
        after_catalog_change(engine)
        with session_scope(engine) as session:
            shared = session.scalar(
                select(Offer.product_id).where(Offer.retired_at.is_(None))
                .group_by(Offer.product_id)
                .having(func.count(Offer.partner_id.distinct()) == 2)
                .order_by(Offer.product_id).limit(1))
            assert shared is not None, "the two feeds share no product"
            assert session.get(Product, shared) is not None
        yield shared
    truncate_all(engine)


def test_a_product_sold_by_two_partners_compares_them(two_feeds: int, site: str,
                                                      page: Page) -> None:
    page.goto(f"{site}/products/{two_feeds}")
    rows = page.locator("table.offers tbody tr")
    expect(rows).to_have_count(2)
    platforms = {rows.nth(i).locator("td").first.inner_text() for i in range(2)}
    assert len(platforms) == 2, platforms
    finals = [float(rows.nth(i).locator("td.final").inner_text().split("\n")[0]
                    .lstrip("£¥").replace(",", "")) for i in range(2)]
    assert finals == sorted(finals)  # best 券后价 first
    expect(page.locator("text=近30天最低券后价")).to_be_visible()
    shot(page, "product-two-partners")


def test_the_card_says_how_many_partners_sell_it(two_feeds: int, site: str,
                                                 page: Page) -> None:
    page.goto(f"{site}/products/{two_feeds}")
    title = page.locator("h1").first.inner_text()
    page.goto(f"{site}/?q={title.split()[0]}")
    card = page.locator("#grid li.card", has_text=title).first
    expect(card.locator(".compare")).to_contain_text("2 个平台在售")
    shot(page, "card-two-partners")
