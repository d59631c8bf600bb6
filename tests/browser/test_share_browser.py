"""A friend opens a shared deal on a phone: the deal and the buy button on the first
screen, no console errors, nothing wider than the screen; and the poster it links to."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from sqlalchemy import Engine, select

from aggregator.affiliate.share_links import share_link_for
from aggregator.db import session_scope
from aggregator.ingest import ingest_offers
from aggregator.models import Offer, Partner, User
from aggregator.records import CouponRecord, OfferRecord
from aggregator.timeutil import utcnow
from crawlers.sandbox.images import product_png
from tests.browser.conftest import SCREENSHOTS, shot
from tests.support.feedserver import serve
from tests.support.processes import free_port, running

pytestmark = pytest.mark.browser
TITLE = "兰蔻小黑瓶精华肌底液 50ml 修护淡纹 保湿补水 <script>alert(1)</script>"


@pytest.fixture
def shared_code(committed: Engine) -> Iterator[str]:
    """A committed deal with a coupon, its picture on a local server, shared by 小明."""
    picture = product_png("s1", caption="LANCOME")
    with serve(lambda _p, _q: (200, {"Content-Type": "image/png"}, picture)) as images:
        with session_scope(committed) as session:
            partner = Partner(slug="taobao", network="taobao", name="淘宝联盟", currency="CNY",
                              allowed_hosts=["uland.taobao.com"])
            session.add(partner)
            session.flush()
            ingest_offers(session, partner=partner, now=utcnow(), records=[OfferRecord(
                partner="taobao", external_id="s1", title=TITLE, currency="CNY", price=9900,
                url="https://uland.taobao.com/item?id=s1", image_url=f"{images}/img/s1.png",
                shop_name="兰蔻官方旗舰店", platform="天猫",
                coupons=(CouponRecord(external_id="c1", kind="amount_off", currency="CNY",
                                      title="满99减20", amount=2000, min_spend=9900),))])
            user = User(email="xm@example.com", password_hash="x", nickname="小明",
                        invite_code="XM2345")
            session.add(user)
            session.flush()
            offer_id = session.scalar(select(Offer.id).where(Offer.external_id == "s1"))
            assert offer_id is not None
            code = share_link_for(session, user_id=user.id, offer_id=offer_id).code
        yield code


@pytest.fixture
def share_site(database_url: str, tmp_path: Path) -> Iterator[str]:
    """The site under uvicorn, its posters cached in a temporary folder."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "uvicorn", "web.app:app", "--host", "127.0.0.1",
           "--port", str(port), "--log-level", "warning"]
    with running(cmd, f"{base}/healthz", env={
            "DAOGOU_DATABASE_URL": database_url, "DAOGOU_BASE_URL": base,
            "DAOGOU_POSTER_CACHE_DIR": str(tmp_path / "posters")}):
        yield base


def watch(page: Page) -> list[str]:
    """Console errors, uncaught exceptions and failed sub-resources of ``page``."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # Failed loads are reported with their URL by the response handler (the browser's
        # own favicon probe is not a page resource and does not reach it).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda r: errors.append(f"failed {r.url}"))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 else None)
    return errors


def test_a_friend_opens_the_deal_on_a_phone(shared_code: str, share_site: str,
                                            browser: Browser) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    errors = watch(page)
    try:
        page.goto(f"{share_site}/s/{shared_code}")
        expect(page.locator("h1")).to_have_text(TITLE)  # escaped, shown as text
        buy = page.get_by_role("link", name="领券购买")
        expect(buy).to_be_visible()
        expect(buy).to_have_attribute("href", f"/go/{shared_code}")
        box = buy.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844, box
        assert box["height"] >= 44  # a thumb-sized target
        assert page.evaluate("window.scrollY") == 0
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
        expect(page.locator(".shared-prices .final strong")).to_have_text("¥79.00")
        expect(page.locator(".shared-by")).to_contain_text("小明")
        assert page.evaluate("document.querySelector('img.shared-image').naturalWidth") > 0
        page.screenshot(path=str(SCREENSHOTS / "share-phone.png"))
        shot(page, "share-phone-full")
        assert not errors, errors
    finally:
        context.close()


def test_the_poster_of_the_deal(shared_code: str, share_site: str, browser: Browser) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        response = page.request.get(f"{share_site}/s/{shared_code}/poster.png")
        assert response.status == 200 and response.headers["content-type"] == "image/png"
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / "share-poster.png"
        path.write_bytes(response.body())
        with Image.open(path) as poster:
            assert poster.size == (750, 1334)
            decoded = [r.text for r in zxingcpp.read_barcodes(poster)]
        assert decoded == [f"{share_site}/s/{shared_code}"]
        english = page.request.get(f"{share_site}/s/{shared_code}/poster.png",
                                   headers={"accept-language": "en"})
        (SCREENSHOTS / "share-poster-en.png").write_bytes(english.body())
    finally:
        context.close()
