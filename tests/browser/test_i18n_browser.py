"""A Chinese-speaking browser switches the site to English and back: the choice sticks
across pages and reloads (the lang cookie beats Accept-Language), and nothing breaks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine, select

from aggregator.db import session_scope
from aggregator.ingest import ingest_offers
from aggregator.models import Offer, Partner
from aggregator.timeutil import utcnow
from tests.browser.conftest import shot
from tests.web.factories import coupon, offer

pytestmark = pytest.mark.browser


@pytest.fixture
def product_id(committed: Engine) -> Iterator[int]:
    """Two offers in the database the site reads; images left out (no network)."""
    with session_scope(committed) as session:
        partner = Partner(slug="taobao", network="taobao", name="淘宝联盟", currency="CNY",
                          allowed_hosts=["uland.taobao.com"])
        session.add(partner)
        session.flush()
        ingest_offers(session, partner=partner, now=utcnow(), records=[
            offer("bank", title="Anker power bank", image_url=None, platform=None,
                  coupons=(coupon("c", title=""),)),
            offer("tee", title="棉质T恤", image_url=None, price=5000)])
        found = session.scalar(select(Offer.product_id).where(Offer.external_id == "bank"))
        assert found is not None
    yield found


def expect_chinese(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("button", name="搜索")).to_be_visible()
    expect(page.locator("footer")).to_contain_text("佣金说明")


def expect_english(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_visible()
    expect(page.get_by_placeholder("Search products and brands")).to_be_visible()
    expect(page.locator("footer")).to_contain_text("About commissions")
    expect(page.locator(".lang-switch a[aria-current]")).to_have_text("English")


def test_switch_to_english_and_back(product_id: int, site: str, page: Page) -> None:
    page.goto(site + "/")  # the browser asks for zh-CN
    expect_chinese(page)
    expect(page.get_by_role("button", name="筛选")).to_be_visible()

    page.locator(".lang-switch").get_by_role("link", name="English").click()
    page.wait_for_url(site + "/")
    expect_english(page)
    expect(page.get_by_label("Keywords")).to_be_visible()
    expect(page.get_by_label("Sort by")).to_contain_text("Price after coupon")
    expect(page.get_by_label("With coupon only")).to_be_visible()
    expect(page.get_by_role("button", name="Filter")).to_be_visible()
    card = page.locator("#grid li.card", has_text="Anker power bank")
    expect(card.locator(".final small")).to_have_text("After coupon")
    expect(card.locator(".final strong")).to_have_text("CN¥79.00")
    shot(page, "home-english")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["lang"]["value"] == "en" and cookies["lang"]["sameSite"] == "Lax"

    card.locator("a.card-link").click()  # another page, then a reload: still English
    expect(page.locator("h2#history-h")).to_have_text("Price history")
    expect_english(page)
    page.reload()
    expect_english(page)
    expect(page.locator("table.offers")).to_contain_text("Get coupon and buy")
    shot(page, "product-english")

    page.locator(".lang-switch").get_by_role("link", name="中文").click()
    page.wait_for_url(f"{site}/products/{product_id}")  # back where the shopper was
    expect_chinese(page)
    expect(page.locator("h2#history-h")).to_have_text("价格走势")


def test_english_header_fits_a_phone(product_id: int, site: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB",
                                  is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(site + "/")
    expect_english(phone)
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    shot(phone, "home-english-phone")
    context.close()
