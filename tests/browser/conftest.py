"""Headless Debian chromium driven by Playwright, against a real uvicorn process."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, sync_playwright

from tests.support.processes import site as live_site

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Debian chromium is missing: run scripts/install-chromium (make test does)")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def site(database_url: str) -> Iterator[str]:
    """The site served by uvicorn on a free port, on the test database."""
    with live_site(database_url) as base:
        yield base


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page that fails the test on any console error or uncaught exception."""
    context = browser.new_context(locale="zh-CN")
    tab = context.new_page()
    errors: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        # Failed loads are reported with their URL by on_response instead.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            errors.append(msg.text)

    def on_response(response: Response) -> None:
        # A page's own status is the test's business (a 404 page is a 404);
        # every sub-resource must load.
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} {response.url}")

    tab.on("console", on_console)
    tab.on("response", on_response)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"browser console errors: {errors}"


def shot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
