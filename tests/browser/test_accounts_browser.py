"""A sharer signs up, logs out and logs back in, in headless chromium, on a phone-sized
screen; any console error fails the test (the page fixture)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, select

from aggregator.db import session_scope
from aggregator.models import AuthSecret, User
from tests.browser.conftest import shot

pytestmark = pytest.mark.browser
PASSWORD = "a long sharer password"


def in_english(page: Page, site: str) -> None:
    """The English site: its labels are the msgids, stable whatever the Chinese says."""
    page.context.add_cookies([{"name": "lang", "value": "en", "url": site}])


def test_register_log_out_log_in(committed: Engine, site: str, page: Page) -> None:
    in_english(page, site)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site}/")
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Register").click()
    expect(page).to_have_url(re.compile(r"/register$"))

    page.get_by_label("E-mail address").fill("sharer@example.com")
    page.get_by_label("Password").fill("short")
    page.get_by_label("Nickname (optional)").fill("小红")
    # The browser checks minlength itself; a server-side message needs a bypass.
    page.locator("form.auth-form").evaluate("form => form.noValidate = true")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".form-error")).to_contain_text("8")
    expect(page.get_by_label("E-mail address")).to_have_value("sharer@example.com")
    expect(page.get_by_label("Password")).to_have_value("")
    shot(page, "register-error-phone")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(f"{site}/")
    logout = page.locator(".account-nav").get_by_role("button", name="Log out")
    expect(logout).to_be_visible()
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["daogou_session"]["httpOnly"] and cookies["daogou_session"]["sameSite"] == "Lax"
    first_session = cookies["daogou_session"]["value"]

    logout.click()
    expect(page.locator(".account-nav").get_by_role("link", name="Log in")).to_be_visible()
    assert "daogou_session" not in {c["name"] for c in page.context.cookies()}

    page.locator(".account-nav").get_by_role("link", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.get_by_label("E-mail address").fill("Sharer@Example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{site}/")
    expect(page.locator(".account-nav").get_by_role("button", name="Log out")).to_be_visible()
    second = {c["name"]: c["value"] for c in page.context.cookies()}["daogou_session"]
    assert second != first_session
    shot(page, "logged-in-phone")

    with session_scope(committed) as session:
        user = session.scalar(select(User).where(User.email == "sharer@example.com"))
        assert user is not None and user.nickname == "小红" and user.last_login_at
        assert len(session.scalars(select(AuthSecret)).all()) == 1


def test_log_in_comes_back_to_the_page(committed: Engine, site: str, page: Page) -> None:
    in_english(page, site)
    page.goto(f"{site}/coupons")
    page.locator(".account-nav").get_by_role("link", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fcoupons$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
