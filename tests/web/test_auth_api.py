"""The JSON API's accounts: register, bearer tokens, a bearer-protected call, errors."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.accounts import ratelimit
from aggregator.models import User
from tests.web.auth_support import PASSWORD, log_in
from tests.web.factories import set_clock


def sign_up(client: TestClient, email: str = "app@example.com", **extra: str) -> dict:
    response = client.post("/api/v1/auth/register",
                           json={"email": email, "password": PASSWORD, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def token_for(client: TestClient, email: str = "app@example.com") -> str:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_at"].endswith("Z")
    return str(body["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_register_token_and_me(client: TestClient, now: datetime) -> None:
    inviter = sign_up(client, "inviter@example.com")
    made = sign_up(client, "App@Example.com", invite_code=inviter["invite_code"],
                   nickname="应用")
    assert made["email"] == "app@example.com" and made["nickname"] == "应用"
    assert made["invited_by_id"] == inviter["id"] and len(made["invite_code"]) == 8
    assert made["created_at"] == "2026-11-23T00:00:00Z"
    assert "password" not in str(made) and "hash" not in str(made)

    token = token_for(client, "APP@example.com")
    me = client.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200 and me.json() == made
    assert "set-cookie" not in me.headers  # the API never starts a cookie session


@pytest.mark.parametrize(("body", "status", "code", "field"), [
    ({"email": "bad", "password": PASSWORD}, 422, "email_invalid", "email"),
    ({"email": "a@example.com", "password": "short"}, 422, "password_too_short", "password"),
    ({"email": "a@example.com", "password": PASSWORD, "invite_code": "NOPE2345"}, 422,
     "invite_code_unknown", "invite_code"),
    ({"email": "a@example.com", "password": PASSWORD, "nickname": "\x00"}, 422,
     "nickname_invalid", "nickname"),
    ({"email": "taken@example.com", "password": PASSWORD}, 409, "email_taken", "email"),
])
def test_register_errors(client: TestClient, body: dict[str, str], status: int, code: str,
                         field: str) -> None:
    sign_up(client, "taken@example.com")
    response = client.post("/api/v1/auth/register", json=body)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    assert error["details"][0]["loc"] == ["body", field]


@pytest.mark.parametrize("body", [
    {}, {"email": "a@example.com"}, {"email": 5, "password": PASSWORD},
    {"email": "a@example.com", "password": "x" * 2000}, [],
])
def test_malformed_bodies(client: TestClient, body: object) -> None:
    response = client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_wrong_credentials(client: TestClient) -> None:
    sign_up(client)
    for body in ({"email": "app@example.com", "password": "wrong password"},
                 {"email": "nobody@example.com", "password": PASSWORD}):
        response = client.post("/api/v1/auth/token", json=body)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_credentials"
        assert response.headers["www-authenticate"] == "Bearer"


def test_token_requests_are_rate_limited(client: TestClient) -> None:
    sign_up(client)
    wrong = {"email": "app@example.com", "password": "wrong password"}
    for _ in range(ratelimit.LOGIN_PER_EMAIL.max_attempts):
        assert client.post("/api/v1/auth/token", json=wrong).status_code == 401
    blocked = client.post("/api/v1/auth/token",
                          json={"email": "app@example.com", "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "rate_limited"
    assert 0 < int(blocked.headers["retry-after"]) <= 900


def test_sign_ups_are_rate_limited(client: TestClient) -> None:
    for n in range(ratelimit.REGISTER_PER_ADDRESS.max_attempts):
        sign_up(client, f"farm{n}@example.com")
    blocked = client.post("/api/v1/auth/register",
                          json={"email": "one-more@example.com", "password": PASSWORD})
    assert blocked.status_code == 429 and "retry-after" in blocked.headers


@pytest.mark.parametrize("header", [
    None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer dg_forged", "dg_forged",
    "Bearer ü", "Bearer " + "x" * 5000,
])
def test_bad_bearer_headers(client: TestClient, header: str | None) -> None:
    # Bytes: a client may send any octets, not only ASCII.
    headers = {"Authorization": header.encode()} if header is not None else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_session_cookie_is_no_bearer(client: TestClient) -> None:
    sign_up(client)
    assert log_in(client, "app@example.com").status_code == 303
    assert client.get("/api/v1/me").status_code == 401


def test_revoke_expire_and_disable(client: TestClient, app: FastAPI, session: Session,
                                   now: datetime) -> None:
    sign_up(client)
    kept, revoked = token_for(client), token_for(client)
    assert client.delete("/api/v1/auth/token", headers=bearer(revoked)).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(revoked)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(kept)).status_code == 200
    assert client.get("/api/v1/me", headers={"Authorization": f"bearer {kept}"}).status_code == 200

    set_clock(app, now + timedelta(days=366))
    assert client.get("/api/v1/me", headers=bearer(kept)).status_code == 401
    set_clock(app, now)
    user = session.scalar(select(User).where(User.email == "app@example.com"))
    assert user is not None
    user.is_active = False
    assert client.get("/api/v1/me", headers=bearer(kept)).status_code == 401
    disabled = client.post("/api/v1/auth/token",
                           json={"email": "app@example.com", "password": PASSWORD})
    assert disabled.status_code == 403
    assert disabled.json()["error"]["code"] == "account_disabled"


def test_the_endpoints_are_documented(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/auth/register", "/api/v1/auth/token", "/api/v1/me"} <= set(paths)
    assert "/login" not in paths
