"""/go/{code} through the real app: the click is committed before the 302 leaves, the
partner URL carries its sub-id, nothing leaves for a host the partner does not allow.

The group-commit writer commits on its own thread and connection, so these tests run on
the ``committed`` engine (emptied after each test), not the rolled-back test session.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from aggregator.affiliate.click_writer import ClickWriter
from aggregator.affiliate.tracker import ClickTracker
from aggregator.affiliate.visitors import ip_hash, ip_key
from aggregator.db import session_scope
from aggregator.models import Click, Offer
from tests.benchmarks.redirect_data import BROWSER, seed_link
from web.app import create_app
from web.routes.go import STATE_KEY

SECRET = "test-secret"
TESTCLIENT_IP = "testclient"  # what Starlette's TestClient reports as the client host


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(now: datetime) -> Clock:
    return Clock(now)


@pytest.fixture
def go_app(committed: Engine, clock: Clock) -> Iterator[FastAPI]:
    app = create_app()
    tracker = ClickTracker(committed, secret=SECRET, clock=clock)
    setattr(app.state, STATE_KEY, tracker)
    yield app
    tracker.close()


@pytest.fixture
def go(go_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(go_app, follow_redirects=False,
                    headers={"user-agent": BROWSER}) as client:
        yield client


def clicks(engine: Engine) -> list[Click]:
    with session_scope(engine) as session:
        return list(session.scalars(select(Click).order_by(Click.id)))


def test_a_click_is_stored_then_redirected_with_its_sub_id(go: TestClient,
                                                           committed: Engine) -> None:
    link_id = seed_link(committed, code="AbC123",
                        url="https://uland.taobao.com/coupon/edetail?e=xyz&pid=mm_1_2_3")
    response = go.get("/go/AbC123")
    assert response.status_code == 302
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    [click] = clicks(committed)
    location = urlsplit(response.headers["location"])
    assert (location.scheme, location.hostname, location.path) == (
        "https", "uland.taobao.com", "/coupon/edetail")
    assert parse_qs(location.query) == {"e": ["xyz"], "pid": ["mm_1_2_3"],
                                        "external_id": [f"dg{click.id}"]}
    assert (click.share_link_id, click.flag, click.user_agent) == (link_id, None, BROWSER)
    assert click.ip_hash == ip_hash(TESTCLIENT_IP, key=ip_key(SECRET))


def test_pdd_gets_its_sub_id_inside_json(go: TestClient, committed: Engine) -> None:
    seed_link(committed, code="PDD1", slug="pdd", network="pdd",
              hosts=("mobile.yangkeduo.com",),
              url="https://mobile.yangkeduo.com/duo_coupon_landing.html?goods_id=9")
    response = go.get("/go/PDD1")
    [click] = clicks(committed)
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert json.loads(query["custom_parameters"][0]) == {"sid": f"dg{click.id}"}


def test_an_unknown_code_goes_home_and_stores_nothing(go: TestClient,
                                                     committed: Engine) -> None:
    for path in ("/go/nope", "/go/" + "x" * 300):
        response = go.get(path)
        assert (response.status_code, response.headers["location"]) == (302, "/")
        assert response.headers["cache-control"] == "no-store"
    assert clicks(committed) == []


def test_the_route_is_named_and_takes_only_get_and_head(go: TestClient,
                                                      go_app: FastAPI) -> None:
    assert go_app.url_path_for("go", code="AbC123") == "/go/AbC123"
    assert go.post("/go/AbC123").status_code == 405
    assert go.get("/go/a/b").status_code == 404  # not a code: not /go's


def test_head_is_answered_and_flagged(go: TestClient, committed: Engine) -> None:
    seed_link(committed, code="HEAD1", url="https://uland.taobao.com/h")
    response = go.head("/go/HEAD1")
    assert response.status_code == 302
    assert response.headers["location"].startswith("https://uland.taobao.com/h?")
    assert [c.flag for c in clicks(committed)] == ["head"]


@pytest.mark.parametrize(("agent", "headers", "flag"), [
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", {}, "bot"),
    ("curl/8.5.0", {}, "bot"),
    ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", {},
     "preview"),
    ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", {}, "preview"),
    ("TelegramBot (like TwitterBot)", {}, "preview"),
    (BROWSER, {"sec-purpose": "prefetch"}, "preview"),
])
def test_bots_and_previews_are_redirected_and_flagged(go: TestClient, committed: Engine,
                                                      agent: str, headers: dict[str, str],
                                                      flag: str) -> None:
    seed_link(committed, code="BOT1", url="https://uland.taobao.com/b")
    response = go.get("/go/BOT1", headers={"user-agent": agent, **headers})
    assert response.status_code == 302
    assert response.headers["location"].startswith("https://uland.taobao.com/b?")
    assert [c.flag for c in clicks(committed)] == [flag]


def test_repeats_within_the_hour_are_duplicates(go: TestClient, committed: Engine,
                                                clock: Clock) -> None:
    seed_link(committed, code="DUP1", url="https://uland.taobao.com/d")
    seed_link(committed, code="DUP2", url="https://uland.taobao.com/e")
    go.get("/go/DUP1")
    clock.now += timedelta(minutes=59)
    go.get("/go/DUP1")
    go.get("/go/DUP2")  # another link: counted
    go.get("/go/DUP1", headers={"user-agent": BROWSER.replace("17_4", "17_5")})
    clock.now += timedelta(minutes=61)
    go.get("/go/DUP1")
    assert [c.flag for c in clicks(committed)] == [None, "duplicate", None, None, None]


@pytest.mark.parametrize("url", [
    "https://evil.example.com/steal",
    "https://uland.taobao.com.evil.example.com/",
    "https://uland.taobao.com@evil.example.com/",
    "javascript:alert(document.cookie)",
])
def test_a_foreign_host_sends_the_visitor_to_the_product_page(
        go: TestClient, committed: Engine, url: str, caplog: pytest.LogCaptureFixture) -> None:
    seed_link(committed, code="EVIL1", url="https://uland.taobao.com/ok")
    with session_scope(committed) as session:  # a bad crawl, or a tampered row
        session.execute(update(Offer).values(url=url))
        product_id = session.scalar(select(Offer.product_id))
    with caplog.at_level(logging.WARNING, logger="aggregator.affiliate.tracker"):
        response = go.get("/go/EVIL1")
    assert response.status_code == 302
    assert response.headers["location"] == f"/products/{product_id}"
    assert "EVIL1" in caplog.text and "allowed hosts" in caplog.text
    assert len(clicks(committed)) == 1  # the visit still counts


def test_a_click_that_cannot_be_stored_gets_no_redirect(
        go: TestClient, committed: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    seed_link(committed, code="DOWN1", url="https://uland.taobao.com/d")

    def broken(self: ClickWriter, clicks: object) -> list[int]:
        raise RuntimeError("database gone")

    monkeypatch.setattr(ClickWriter, "_insert", broken)
    response = go.get("/go/DOWN1")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert "location" not in response.headers
    assert clicks(committed) == []


def test_the_302_leaves_only_after_the_commit(go: TestClient, go_app: FastAPI,
                                              committed: Engine,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Record, at each commit, what a second connection can see; the response's click id
    must be among the rows visible right after a commit that happened before it."""
    seed_link(committed, code="ORDER1", url="https://uland.taobao.com/o")
    writer: ClickWriter = getattr(go_app.state, STATE_KEY).writer
    seen_after_commit: list[int] = []
    original = ClickWriter._insert

    def watched(self: ClickWriter, batch: list[object]) -> list[int]:
        ids = original(self, batch)  # type: ignore[arg-type]
        with committed.connect() as other:
            seen_after_commit.extend(other.scalars(select(Click.id).where(Click.id.in_(ids))))
        return ids

    monkeypatch.setattr(writer, "_insert", watched.__get__(writer))
    response = go.get("/go/ORDER1")
    click_id = int(parse_qs(urlsplit(response.headers["location"]).query)["external_id"][0][2:])
    assert seen_after_commit == [click_id]
