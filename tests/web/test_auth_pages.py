"""Register, log in, log out in the browser's way: forms, cookies, redirects."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aggregator.accounts import ratelimit
from aggregator.models import AuthSecret, User
from aggregator.settings import get_settings
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
from web.auth import SESSION_COOKIE, CurrentUser, OptionalUser

# The messages checked below are the English ones (zh-CN is the default).
pytestmark = pytest.mark.usefixtures("english")



@pytest.fixture
def guarded(app: FastAPI) -> FastAPI:
    """Routes that need a user, as the dashboard's will."""
    @app.get("/test/page")
    def page(user: CurrentUser) -> dict[str, int]:
        return {"id": user.id}

    @app.get("/test/maybe")
    def maybe(user: OptionalUser) -> dict[str, int | None]:
        return {"id": user.id if user else None}

    @app.get("/api/v1/test/cookie")
    def api_page(user: CurrentUser) -> dict[str, int]:
        return {"id": user.id}

    return app


def user_of(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


def test_register_logs_in_and_shows_the_header(client: TestClient, session: Session) -> None:
    home = client.get("/")
    assert 'href="/login"' in home.text and 'href="/register"' in home.text
    done = register(client, "New@Example.com", nickname="小明")
    assert done.status_code == 303 and done.headers["location"] == "/"
    cookie = done.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower() and "Secure" not in cookie
    assert "Max-Age=2592000" in cookie
    user = user_of(session, "new@example.com")
    assert user.nickname == "小明"
    header = client.get("/").text
    assert 'action="http://testserver/logout"' in header and 'href="/login"' not in header


def test_the_invite_link_prefills_the_code(client: TestClient, session: Session) -> None:
    register(client, "inviter@example.com")
    inviter = user_of(session, "inviter@example.com")
    friend = TestClient(client.app)
    page = friend.get(f"/register?invite={inviter.invite_code}")
    assert f'value="{inviter.invite_code}"' in page.text
    done = friend.post("/register", data={"csrf_token": csrf_of(page.text),
                                          "email": "friend@example.com", "password": PASSWORD,
                                          "invite_code": inviter.invite_code.lower()},
                       follow_redirects=False)
    assert done.status_code == 303
    assert user_of(session, "friend@example.com").invited_by_id == inviter.id


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"email": "not-an-email"}, "email", "This is not a valid e-mail address."),
    ({"email": ""}, "email", "Enter your e-mail address."),
    ({"password": "short"}, "password", "Use at least 8 characters for the password."),
    ({"password": "password1"}, "password", "This password is too easy to guess."),
    ({"invite_code": "NOPE2345"}, "invite_code", "There is no account with this invite code."),
    ({"nickname": "x" * 41}, "nickname", "Use at most 40 characters for the nickname."),
    ({"nickname": "nul\x00"}, "nickname", "The nickname contains invalid characters."),
])
def test_a_bad_field_re_renders_the_form(client: TestClient, fields: dict[str, str],
                                         field: str, message: str) -> None:
    typed = {"email": "typed@example.com", "password": "typed secret pass",
             "nickname": "Typed", "invite_code": ""}
    typed.update(fields)
    response = register(client, **typed)
    assert response.status_code == 400
    html = response.text
    assert any(e.startswith(message) for e in errors_in(html)), errors_in(html)
    assert f'id="f-{field}"' in html and 'aria-invalid="true"' in html
    assert "typed secret pass" not in html and 'type="password" value' not in html
    if field != "email" and typed["email"]:
        assert f'value="{typed["email"]}"' in html
    assert session_cookie(client) is None


def test_the_same_email_twice(client: TestClient) -> None:
    register(client, "twice@example.com")
    client.cookies.clear()
    again = register(client, "TWICE@example.com")
    assert again.status_code == 400
    assert errors_in(again.text) == ["An account with this e-mail address already exists."]


def test_login_rotates_the_session(client: TestClient, session: Session) -> None:
    register(client, "rotate@example.com")
    first = session_cookie(client)
    assert first
    again = log_in(client, "rotate@example.com")
    assert again.status_code == 303
    second = session_cookie(client)
    assert second and second != first
    count = session.scalar(select(func.count()).select_from(AuthSecret)
                           .where(AuthSecret.kind == "session"))
    assert count == 1  # the browser's old session was deleted, not left alive

    stale = TestClient(client.app, cookies={SESSION_COOKIE: first})
    assert stale.get("/login", follow_redirects=False).status_code == 200  # not logged in
    assert client.get("/login", follow_redirects=False).status_code == 303  # logged in


def test_a_planted_session_id_is_replaced(client: TestClient) -> None:
    register(client, "fixed@example.com")
    victim = TestClient(client.app, cookies={SESSION_COOKIE: "attacker-chosen-value"})
    done = log_in(victim, "fixed@example.com")
    assert done.status_code == 303
    assert done.cookies[SESSION_COOKIE] not in ("", "attacker-chosen-value")


def test_wrong_password_keeps_the_email(client: TestClient) -> None:
    register(client, "me@example.com")
    client.cookies.clear()
    response = log_in(client, "me@example.com", "wrong password", next="/coupons")
    assert response.status_code == 400
    assert errors_in(response.text) == ["Wrong e-mail address or password."]
    assert 'value="me@example.com"' in response.text and 'value="/coupons"' in response.text
    assert "wrong password" not in response.text
    unknown = log_in(client, "nobody@example.com", "wrong password")
    assert errors_in(unknown.text) == ["Wrong e-mail address or password."]


def test_logout(client: TestClient, session: Session) -> None:
    register(client, "bye@example.com")
    secret = session_cookie(client)
    confirm = client.get("/logout")
    assert confirm.status_code == 200
    done = client.post("/logout", data={"csrf_token": csrf_of(confirm.text)},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "http://testserver/"
    assert 'daogou_session=""' in done.headers["set-cookie"]
    assert session_cookie(client) is None
    assert session.scalar(select(func.count()).select_from(AuthSecret)) == 0
    stale = TestClient(client.app, cookies={SESSION_COOKIE: secret or ""})
    assert stale.get("/login", follow_redirects=False).status_code == 200


def test_logout_from_the_header_on_any_page(client: TestClient) -> None:
    register(client, "header@example.com")
    home = client.get("/")
    done = client.post("/logout", data={"csrf_token": csrf_of(home.text)},
                       follow_redirects=False)
    assert done.status_code == 303 and session_cookie(client) is None
    assert client.get("/logout", follow_redirects=False).status_code == 303


def test_next_brings_the_user_back(client: TestClient, guarded: FastAPI) -> None:
    register(client, "back@example.com")
    client.cookies.clear()
    sent = client.get("/test/page?a=1&b=2", follow_redirects=False)
    assert sent.status_code == 303
    assert sent.headers["location"] == "/login?next=%2Ftest%2Fpage%3Fa%3D1%26b%3D2"
    page = client.get(sent.headers["location"])
    assert 'name="next" value="/test/page?a=1&amp;b=2"' in page.text
    done = client.post("/login", data={"csrf_token": csrf_of(page.text),
                                       "email": "back@example.com", "password": PASSWORD,
                                       "next": "/test/page?a=1&b=2"}, follow_redirects=False)
    assert done.headers["location"] == "/test/page?a=1&b=2"
    assert client.get("/test/page").json()["id"] > 0


@pytest.mark.parametrize("target", [
    "//evil.example/", "https://evil.example/", "http:evil.example", "/\\evil.example",
    "\\\\evil.example", "/\t/evil.example", "javascript:alert(1)", " //evil.example",
    "/%0d%0aSet-Cookie:x=1", "evil.example", "",
])
def test_next_never_leaves_the_site(client: TestClient, target: str) -> None:
    register(client, "safe@example.com")
    client.cookies.clear()
    done = log_in(client, "safe@example.com", next=target)
    assert done.status_code == 303
    location = done.headers["location"]
    assert location.startswith("/") and not location.startswith("//")
    assert "\\" not in location and "evil" not in location.split("?")[0].replace("%", "")
    client.cookies.clear()
    shown = client.get("/login", params={"next": target})
    assert "evil.example" not in re.findall(r'name="next" value="([^"]*)"', shown.text)[0]


def test_current_user_for_pages_htmx_and_api(client: TestClient, guarded: FastAPI) -> None:
    htmx = client.get("/test/page", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["hx-redirect"].startswith("/login?next=")
    api = client.get("/api/v1/test/cookie")
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "unauthorized"
    assert client.get("/test/maybe").json() == {"id": None}
    register(client, "who@example.com")
    assert client.get("/test/maybe").json()["id"] == client.get("/test/page").json()["id"]
    assert client.get("/api/v1/test/cookie").status_code == 200


def test_sessions_expire(client: TestClient, app: FastAPI, guarded: FastAPI,
                         now: datetime) -> None:
    register(client, "late@example.com")
    set_clock(app, now + timedelta(days=29, hours=23))
    assert client.get("/test/page").status_code == 200
    set_clock(app, now + timedelta(days=30))
    assert client.get("/test/page", follow_redirects=False).status_code == 303


def test_a_disabled_user_is_logged_out(client: TestClient, session: Session,
                                       guarded: FastAPI) -> None:
    register(client, "banned@example.com")
    user_of(session, "banned@example.com").is_active = False
    assert client.get("/test/page", follow_redirects=False).status_code == 303


def test_login_is_rate_limited(client: TestClient) -> None:
    register(client, "target@example.com")
    client.cookies.clear()
    for _ in range(ratelimit.LOGIN_PER_EMAIL.max_attempts):
        assert log_in(client, "target@example.com", "guess guess").status_code == 400
    blocked = log_in(client, "target@example.com")  # even the right password now
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["retry-after"]) <= 900
    assert errors_in(blocked.text)[0].startswith("Too many attempts.")
    assert 'value="target@example.com"' in blocked.text
    assert session_cookie(client) is None


def test_cookies_are_secure_on_https(monkeypatch: pytest.MonkeyPatch,
                                     client: TestClient) -> None:
    monkeypatch.setenv("DAOGOU_BASE_URL", "https://daogou.example")
    get_settings.cache_clear()
    try:
        page = client.get("/register")
        assert "Secure" in page.headers["set-cookie"]
        token = csrf_of(page.text)
        # The test client is on http and would not send a Secure cookie back.
        client.cookies.set("daogou_csrf", page.cookies["daogou_csrf"])
        done = client.post("/register", data={"csrf_token": token, "email": "tls@example.com",
                                              "password": PASSWORD}, follow_redirects=False)
        assert done.status_code == 303 and "Secure" in done.headers["set-cookie"]
    finally:
        monkeypatch.delenv("DAOGOU_BASE_URL")
        get_settings.cache_clear()


def test_auth_pages_are_not_cached(client: TestClient) -> None:
    for path in ("/login", "/register", "/password/forgot"):
        response = client.get(path)
        assert response.headers["cache-control"] == "no-store"
        assert '<meta name="robots" content="noindex">' in response.text
        assert re.search(r'<label for="f-email">', response.text)


def test_form_token_helper_gets_a_cookie(client: TestClient) -> None:
    assert form_token(client, "/login") and client.cookies.get("daogou_csrf")
