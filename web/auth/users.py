"""FastAPI dependencies that say who the user is.

- ``OptionalUser``: the logged-in user (login cookie) or None.
- ``CurrentUser``: the logged-in user; otherwise pages redirect to /login?next=…, HTMX
  requests get HX-Redirect there, and /api paths answer 401 JSON.
- ``BearerUser``: the JSON API's user, from ``Authorization: Bearer <token>`` only
  (no cookie: a cross-site page cannot make a browser send a bearer token).
- ``AdminUser``: a CurrentUser who is an admin; others get 403.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Header, HTTPException, Request

from aggregator.accounts import resolve_api_token
from aggregator.models import User
from web.auth.session import AuthDep
from web.deps import NowDep, SessionDep
from web.i18n import lazy_gettext

API_PREFIX = "/api/"


def optional_user(auth: AuthDep) -> User | None:
    return auth.user


def login_url(request: Request, next_path: str | None = None) -> str:
    """/login, coming back to ``next_path`` (default: this page) afterwards."""
    if next_path is None:
        query = request.url.query
        next_path = request.url.path + (f"?{query}" if query else "")
    path = str(request.app.url_path_for("login"))
    return f"{path}?{urlencode({'next': next_path})}" if next_path != "/" else path


def current_user(request: Request, auth: AuthDep) -> User:
    if auth.user is not None:
        return auth.user
    if request.url.path.startswith(API_PREFIX):
        raise HTTPException(401, "Log in first.")
    # After login the browser comes back here with a GET: a POST's page is the one to
    # return to, which its Referer is not guaranteed to name; the home page will do.
    target = login_url(request, None if request.method == "GET" else "/")
    if request.headers.get("HX-Request") == "true":
        raise HTTPException(401, lazy_gettext("Please log in."), headers={"HX-Redirect": target})
    raise HTTPException(303, lazy_gettext("Please log in."), headers={"Location": target})


def bearer_token(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def bearer_user(session: SessionDep, now: NowDep,
                authorization: Annotated[str | None, Header()] = None) -> User:
    token = bearer_token(authorization)
    user = resolve_api_token(session, token=token, now=now) if token else None
    if user is not None:
        return user
    challenge = 'Bearer error="invalid_token"' if token else "Bearer"
    raise HTTPException(401, "A valid bearer token is required.",
                        headers={"WWW-Authenticate": challenge})


def admin_user(user: Annotated[User, Depends(current_user)]) -> User:
    if not user.is_admin:
        raise HTTPException(403, lazy_gettext("This page is for administrators only."))
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(current_user)]
BearerUser = Annotated[User, Depends(bearer_user)]
AdminUser = Annotated[User, Depends(admin_user)]
