"""Who is asking: the login cookie resolved once per request, and the client address."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from aggregator.accounts import resolve_session
from aggregator.models import AuthSecret, User
from web.auth.cookies import SESSION_COOKIE
from web.deps import NowDep, SessionDep


@dataclass(frozen=True)
class Auth:
    """The request's login: the cookie value as sent, and what it resolved to.

    ``csrf_token`` and ``nickname`` are copied out of the rows: an error page renders
    after its transaction rolled back, when the rows can no longer load attributes.
    """

    cookie: str | None
    session: AuthSecret | None = None
    user: User | None = None
    csrf_token: str | None = None
    nickname: str | None = None


def get_auth(request: Request, session: SessionDep, now: NowDep) -> Auth:
    """Resolve the login cookie; kept on ``request.state.auth`` for templates."""
    cached = getattr(request.state, "auth", None)
    if isinstance(cached, Auth):
        return cached
    cookie = request.cookies.get(SESSION_COOKIE) or None
    found = resolve_session(session, secret=cookie, now=now) if cookie else None
    if found is None:
        auth = Auth(cookie)
    else:
        row, user = found
        auth = Auth(cookie, session=row, user=user, csrf_token=row.csrf_token,
                    nickname=user.nickname)
    request.state.auth = auth
    return auth


AuthDep = Annotated[Auth, Depends(get_auth)]


def client_address(request: Request) -> str:
    """The peer address (uvicorn --proxy-headers puts the real client's here)."""
    return request.client.host if request.client else "unknown"
