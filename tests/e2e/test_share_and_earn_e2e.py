"""The whole share-and-earn loop against the sandbox, every part a real process:
register → share → a friend's click → buy in the sandbox → signed postback and order
sync → pending → settled → available → withdrawal → approved → paid."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from aggregator.cli.main import app as cli
from aggregator.models import Conversion, LedgerTransaction, Offer, Withdrawal
from aggregator.settings import get_settings
from tests.aggregator.money_support import assert_books_balance
from tests.support.processes import sandbox, scrapy_crawl, site
from tests.web.auth_support import PASSWORD, csrf_of, errors_in

pytestmark = pytest.mark.e2e
FRIEND = {"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) "
                        "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 "
                        "Safari/604.1"}


def eventually(check: Callable[[], Any], what: str, timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def buy(friend: httpx.Client, go_url: str) -> dict[str, Any]:
    """Follow the shared /go link to the partner's page and press its buy button."""
    hop = friend.get(go_url, follow_redirects=False)
    assert hop.status_code == 302, hop.text
    partner_page = friend.get(hop.headers["location"])
    form = BeautifulSoup(partner_page.text, "html.parser").select_one("form[action*='/buy']")
    assert form is not None, partner_page.text[:500]
    fields = {i["name"]: i.get("value", "") for i in form.select("input[name]")}
    assert fields.get("tracking", "").startswith("dg"), fields  # the click's sub-id
    order = friend.post(httpx.URL(str(partner_page.url)).join(form["action"]), data=fields,
                        headers={"Accept": "application/json"})
    assert order.status_code == 201, order.text
    return dict(order.json())


@pytest.fixture
def hold_none(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No holding period (a settled commission is available at once) and no minimum
    withdrawal (a sandbox commission is a few yuan); the processes inherit both."""
    monkeypatch.setenv("DAOGOU_COMMISSION_HOLD_DAYS", "0")
    monkeypatch.setenv("DAOGOU_MIN_WITHDRAWAL", "1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_whole_loop(committed: Engine, database_url: str, hold_none: None) -> None:
    with site(database_url) as base, \
            sandbox(items=60, bad_every=0, extra=("--site-url", base, "--auto-postback")) as sb:
        run(committed, database_url, base, sb)


def run(engine: Engine, database_url: str, base: str, sb: str) -> None:
    feed = f"feed_url={sb}/taobao/router/rest"
    assert scrapy_crawl("taobao", database_url, feed, "page_size=40").returncode == 0
    with Session(engine) as s:
        offer_id = s.scalars(select(Offer.id).order_by(Offer.id)).first()
    sharer = httpx.Client(base_url=base, timeout=30)
    assert sharer.post("/api/v1/auth/register", json={"email": "sharer@example.com",
                                                      "password": PASSWORD}).status_code == 201
    token = sharer.post("/api/v1/auth/token", json={"email": "sharer@example.com",
                                                    "password": PASSWORD}).json()
    sharer.headers["Authorization"] = f"Bearer {token['access_token']}"
    link = sharer.post("/api/v1/share-links", json={"offer_id": offer_id})
    assert link.status_code == 201, link.text

    order = buy(httpx.Client(headers=FRIEND, timeout=30), link.json()["go_url"])

    def balance() -> dict[str, int]:
        got = sharer.get("/api/v1/me/earnings").json()["balances"]
        return got[0] if got else {}
    pending = eventually(lambda: balance().get("pending"), "the postback's pending share")
    settled = httpx.post(f"{sb}/_orders/taobao/{order['order_id']}/settle")
    assert settled.status_code == 200, settled.text
    available = eventually(lambda: balance().get("available"), "the settled share")
    assert available > 0 and balance()["pending"] == 0 and pending > 0

    # The order sync sees the same order: it changes nothing and credits nothing twice.
    synced = scrapy_crawl("taobao_orders", database_url, feed, "hours=2")
    assert synced.returncode == 0, synced.stderr[-2000:]
    with Session(engine) as s:
        conversion = s.scalars(select(Conversion)).one()
        assert (conversion.status, conversion.source) == ("confirmed", "postback")
        kinds = s.scalars(select(LedgerTransaction.kind).order_by(LedgerTransaction.id)).all()
        assert kinds == ["accrual", "release"]

    withdraw_and_get_paid(engine, base, available)
    assert balance() == {"currency": "CNY", "pending": 0, "available": 0, "withdrawing": 0,
                         "paid": available, "owed": 0}
    with Session(engine) as s:
        assert_books_balance(s)


def withdraw_and_get_paid(engine: Engine, base: str, amount: int) -> None:
    browser = httpx.Client(base_url=base, timeout=30, headers={"Accept-Language": "en"},
                           follow_redirects=True)
    login = browser.get("/login")
    browser.post("/login", data={"csrf_token": csrf_of(login.text),
                                 "email": "sharer@example.com", "password": PASSWORD})
    me = browser.get("/me")
    assert me.status_code == 200 and "My earnings" in me.text
    asked = browser.post("/me/withdrawals", data={"csrf_token": csrf_of(me.text),
                                                  "currency": "CNY",
                                                  "amount": f"{amount / 100:.2f}"})
    assert asked.status_code == 200, errors_in(asked.text)
    assert "Being paid" in asked.text  # after the 303
    runner = CliRunner()
    made = runner.invoke(cli, ["user", "create", "--email", "boss@example.com", "--password",
                               "a long admin pass", "--admin"])
    assert made.exit_code == 0, made.output
    listed = runner.invoke(cli, ["ledger", "withdrawals"])
    assert "sharer@example.com" in listed.output
    with Session(engine) as s:
        asked_for = s.scalars(select(Withdrawal)).one()
        assert (asked_for.amount, asked_for.status) == (amount, "requested")
    for step in ("approve", "paid"):
        done = runner.invoke(cli, ["ledger", step, str(asked_for.id), "--by",
                                   "boss@example.com"])
        assert done.exit_code == 0, done.output
