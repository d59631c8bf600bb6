"""Forgotten passwords end to end through a real SMTP server: the link in the mail
works once, logs every browser out, and the form never tells who has an account."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from aggregator.accounts import ratelimit
from aggregator.settings import get_settings
from tests.support.smtp import Mailbox, smtp_server
from tests.web.auth_support import (
    PASSWORD,
    csrf_of,
    errors_in,
    form_token,
    log_in,
    register,
    session_cookie,
)
from tests.web.factories import set_clock
from web.auth import SESSION_COOKIE

BASE = "http://daogou.example"  # not the test client's http://testserver
NEW_PASSWORD = "a brand new secret"


# The messages checked below are the English ones (zh-CN is the default).
pytestmark = pytest.mark.usefixtures("english")



@pytest.fixture
def mailbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    with smtp_server() as box:
        for name, value in {"SMTP_HOST": box.host, "SMTP_PORT": str(box.port),
                            "SMTP_STARTTLS": "false", "BASE_URL": BASE,
                            "MAIL_FROM": "daogou <no-reply@daogou.example>"}.items():
            monkeypatch.setenv(f"DAOGOU_{name}", value)
        get_settings.cache_clear()
        yield box
    get_settings.cache_clear()  # the environment is restored right after this


def ask_for_link(client: TestClient, email: str) -> str:
    token = form_token(client, "/password/forgot")
    sent = client.post("/password/forgot", data={"csrf_token": token, "email": email})
    assert sent.status_code == 200, sent.text[:300]
    assert "we have sent it a link" in sent.text
    return sent.text


def test_reset_through_the_mailed_link(client: TestClient, mailbox: Mailbox,
                                       caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="aggregator")
    caplog.set_level(logging.DEBUG, logger="web")
    register(client, "forgetful@example.com")
    other_browser = session_cookie(client)
    client.cookies.clear()

    ask_for_link(client, "Forgetful@Example.com")
    mail = mailbox.last()
    assert mail["To"] == "forgetful@example.com"
    [link] = mailbox.links()
    assert link.startswith(f"{BASE}/password/reset/")  # from DAOGOU_BASE_URL, not the Host
    token = link.rsplit("/", 1)[1]
    assert token not in caplog.text  # the link is a secret: never logged

    path = urlsplit(link).path
    page = client.get(path)
    assert page.status_code == 200 and "forgetful@example.com" in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    weak = client.post(path, data={"csrf_token": csrf_of(page.text), "password": "short"})
    assert weak.status_code == 400
    assert errors_in(weak.text) == ["Use at least 8 characters for the password."]
    done = client.post(path, data={"csrf_token": csrf_of(weak.text), "password": NEW_PASSWORD},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("/login?reset=1")
    assert "Your password has been changed" in client.get("/login?reset=1").text

    assert log_in(client, "forgetful@example.com", PASSWORD).status_code == 400
    assert log_in(client, "forgetful@example.com", NEW_PASSWORD).status_code == 303
    # The other browser was logged out by the reset; the link is spent.
    stale = TestClient(client.app, cookies={SESSION_COOKIE: other_browser or ""})
    assert stale.get("/login", follow_redirects=False).status_code == 200
    again = client.get(path)
    assert again.status_code == 400 and "Send me a new link" in again.text


def test_unknown_addresses_get_the_same_answer_and_no_mail(client: TestClient,
                                                          mailbox: Mailbox) -> None:
    register(client, "known@example.com")
    client.cookies.clear()
    known = ask_for_link(client, "known@example.com")
    unknown = ask_for_link(client, "unknown@example.com")
    assert len(mailbox.messages) == 1
    assert known.replace("known@", "X@") == unknown.replace("unknown@", "X@")


def test_expired_and_forged_links(client: TestClient, app: FastAPI, mailbox: Mailbox,
                                  now: datetime) -> None:
    register(client, "slow@example.com")
    ask_for_link(client, "slow@example.com")
    path = urlsplit(mailbox.links()[0]).path
    set_clock(app, now + timedelta(minutes=61))
    expired = client.get(path)
    assert expired.status_code == 400
    assert "This link is invalid, has expired or has already been used." in expired.text
    token = form_token(client, "/password/forgot")
    late = client.post(path, data={"csrf_token": token, "password": NEW_PASSWORD})
    assert late.status_code == 400
    for forged in ("forged", "%00", "x" * 3000):
        assert client.get(f"/password/reset/{forged}").status_code == 400


def test_reset_requests_are_rate_limited(client: TestClient, mailbox: Mailbox) -> None:
    register(client, "flooded@example.com")
    client.cookies.clear()
    for _ in range(ratelimit.RESET_PER_EMAIL.max_attempts):
        ask_for_link(client, "flooded@example.com")
    token = form_token(client, "/password/forgot")
    blocked = client.post("/password/forgot", data={"csrf_token": token,
                                                    "email": "flooded@example.com"})
    assert blocked.status_code == 429 and "retry-after" in blocked.headers
    assert errors_in(blocked.text)[0].startswith("Too many attempts.")
    assert len(mailbox.messages) == ratelimit.RESET_PER_EMAIL.max_attempts


def test_an_empty_address_is_asked_for(client: TestClient, mailbox: Mailbox) -> None:
    token = form_token(client, "/password/forgot")
    response = client.post("/password/forgot", data={"csrf_token": token, "email": "  "})
    assert response.status_code == 400
    assert errors_in(response.text) == ["Enter your e-mail address."]


def test_a_mail_server_failure_is_logged_not_shown(client: TestClient, mailbox: Mailbox,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    register(client, "down@example.com")
    client.cookies.clear()
    monkeypatch.setenv("DAOGOU_SMTP_PORT", "1")  # nothing listens there
    get_settings.cache_clear()
    ask_for_link(client, "down@example.com")
    assert "could not send mail to down@example.com" in caplog.text
    assert "/password/reset/" not in caplog.text
