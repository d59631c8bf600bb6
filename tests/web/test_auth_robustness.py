"""Odd input never makes the account pages or API fail with a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.auth_support import PASSWORD, form_token, register

ODD = ["\x00", "a\x00@example.com", "x" * 100_000, "‮evil‭", "😀@example.com", "%",
       "<script>alert(1)</script>", " ", "\r\n", "ＡＢＣ＠ｅｘａｍｐｌｅ．ｃｏｍ"]
FORMS = {
    "/register": ("email", "password", "nickname", "invite_code", "next"),
    "/login": ("email", "password", "next"),
    "/password/forgot": ("email",),
    "/password/reset/odd-token": ("password",),
}


@pytest.mark.parametrize("path", list(FORMS))
@pytest.mark.parametrize("value", ODD)
def test_odd_form_values(client: TestClient, path: str, value: str) -> None:
    token = form_token(client, "/login")
    for field in FORMS[path]:
        data = {"csrf_token": token, "email": "someone@example.com", "password": PASSWORD,
                field: value}
        response = client.post(path, data=data, follow_redirects=False)
        assert response.status_code < 500, (field, response.text[:300])
        assert "<script>alert(1)</script>" not in response.text
        client.cookies.pop("daogou_session", None)  # a success logged in: start over


def test_raw_bodies(client: TestClient) -> None:
    token = form_token(client, "/login")
    bodies = [b"", b"email", b"email=%ZZ&password=%", b"\xff\xfe\x00",
              f"csrf_token={token}&email=%ff%00&password=%00".encode()]
    for body in bodies:
        for kind in ("application/x-www-form-urlencoded", "application/json", "text/plain"):
            response = client.post("/login", content=body, headers={"content-type": kind})
            assert response.status_code < 500, (body, kind, response.text[:300])


@pytest.mark.parametrize("value", ODD[:7])
def test_odd_json(client: TestClient, value: str) -> None:
    for path in ("/api/v1/auth/register", "/api/v1/auth/token"):
        for field in ("email", "password", "invite_code", "nickname"):
            body = {"email": "odd@example.com", "password": PASSWORD, field: value}
            response = client.post(path, json=body)
            assert response.status_code < 500, (path, field, response.text[:300])


@pytest.mark.parametrize("cookie", ["\x7f", "x" * 4000, "%00", "a b", '"quoted"'])
def test_odd_cookies(client: TestClient, cookie: str) -> None:
    odd = TestClient(client.app)
    odd.headers["cookie"] = f"daogou_session={cookie}; daogou_csrf={cookie}"
    for path in ("/", "/login", "/register", "/logout"):
        assert odd.get(path, follow_redirects=False).status_code < 500
    assert odd.post("/logout", data={"csrf_token": "x"}).status_code == 403


def test_odd_invite_links(client: TestClient) -> None:
    for invite in ("\x00", "x" * 65, "<b>", "%"):
        assert client.get("/register", params={"invite": invite}).status_code < 500
    registered = register(client, "ok@example.com", invite_code="")
    assert registered.status_code == 303
