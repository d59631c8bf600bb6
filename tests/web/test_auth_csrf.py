"""CSRF: every account form needs this browser's token; 403 with a friendly page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.auth_support import (
    PASSWORD,
    anonymous_cookie,
    csrf_of,
    form_token,
    register,
    session_cookie,
)
from web.auth import CSRF_COOKIE

FORMS = [
    ("/login", {"email": "x@example.com", "password": PASSWORD}),
    ("/register", {"email": "x@example.com", "password": PASSWORD}),
    ("/password/forgot", {"email": "x@example.com"}),
    ("/password/reset/some-token", {"password": PASSWORD}),
    ("/logout", {}),
]


# The messages checked below are the English ones (zh-CN is the default).
pytestmark = pytest.mark.usefixtures("english")



def assert_refused(response: object) -> None:
    assert getattr(response, "status_code", None) == 403
    text = getattr(response, "text", "")
    assert "This form has expired or did not come from this site." in text
    assert 'href="http://testserver/"' in text  # a way back home, not a bare error


@pytest.mark.parametrize(("path", "data"), FORMS)
def test_no_token(client: TestClient, path: str, data: dict[str, str]) -> None:
    form_token(client, "/login")  # the browser has its cookie, the form has no token
    assert_refused(client.post(path, data=data, follow_redirects=False))


@pytest.mark.parametrize(("path", "data"), FORMS)
def test_bad_tokens(client: TestClient, path: str, data: dict[str, str]) -> None:
    good = form_token(client, "/login")
    for bad in ("forged", good[:-1] + ("0" if good[-1] != "0" else "1"), "ü" * 64, "x" * 5000):
        assert_refused(client.post(path, data={**data, "csrf_token": bad},
                                   follow_redirects=False))


def test_a_token_without_its_cookie(client: TestClient) -> None:
    token = form_token(client, "/login")
    client.cookies.clear()
    assert_refused(client.post("/login", data={"csrf_token": token, "email": "x@example.com",
                                               "password": PASSWORD}))


def test_another_browsers_token(client: TestClient) -> None:
    other = TestClient(client.app)
    theirs = form_token(other, "/login")
    form_token(client, "/login")
    assert anonymous_cookie(client) != anonymous_cookie(other)
    assert_refused(client.post("/login", data={"csrf_token": theirs, "email": "x@example.com",
                                               "password": PASSWORD}))


def test_the_anonymous_cookie_is_reused_and_http_only(client: TestClient) -> None:
    first = client.get("/login")
    assert "HttpOnly" in first.headers["set-cookie"] and CSRF_COOKIE in first.headers["set-cookie"]
    second = client.get("/register")
    assert "set-cookie" not in second.headers  # one nonce per browser session
    assert csrf_of(first.text) == csrf_of(second.text)


def test_logged_in_forms_need_the_sessions_token(client: TestClient) -> None:
    anonymous = form_token(client, "/login")
    register(client, "member@example.com")
    session_token = csrf_of(client.get("/").text)
    assert session_token != anonymous
    # The anonymous token no longer counts: a planted cookie could vouch for it.
    assert_refused(client.post("/logout", data={"csrf_token": anonymous}))
    assert session_cookie(client)
    ok = client.post("/logout", headers={"X-CSRF-Token": session_token},
                     follow_redirects=False)
    assert ok.status_code == 303 and session_cookie(client) is None


def test_a_stale_login_cookie_can_still_log_in_again(client: TestClient) -> None:
    register(client, "stale@example.com")
    stale = TestClient(client.app, cookies={"daogou_session": "expired-or-deleted"})
    token = form_token(stale, "/login")
    done = stale.post("/login", data={"csrf_token": token, "email": "stale@example.com",
                                      "password": PASSWORD}, follow_redirects=False)
    assert done.status_code == 303


def test_get_requests_need_no_token(client: TestClient) -> None:
    assert client.get("/login").status_code == 200
    assert client.get("/password/forgot").status_code == 200
