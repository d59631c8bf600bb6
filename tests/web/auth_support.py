"""Helpers for the account tests: read CSRF tokens out of pages, register, log in."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response

from web.auth import CSRF_COOKIE, SESSION_COOKIE

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def form_token(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    return csrf_of(page.text)


def register(client: TestClient, email: str, password: str = PASSWORD,
             **fields: str) -> Response:
    token = form_token(client, "/register")
    return client.post("/register", data={"csrf_token": token, "email": email,
                                          "password": password, **fields},
                       follow_redirects=False)


def log_in(client: TestClient, email: str, password: str = PASSWORD,
           **fields: str) -> Response:
    token = form_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "email": email,
                                       "password": password, **fields},
                       follow_redirects=False)


def session_cookie(client: TestClient) -> str | None:
    return client.cookies.get(SESSION_COOKIE)


def anonymous_cookie(client: TestClient) -> str | None:
    return client.cookies.get(CSRF_COOKIE)


def errors_in(html: str) -> list[str]:
    """Messages shown beside fields and above forms."""
    return re.findall(r'class="form-(?:error|message)"[^>]*>([^<]+)<', html)
