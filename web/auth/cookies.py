"""The login cookie and the anonymous CSRF cookie.

Both are HttpOnly (no script reads them), SameSite=Lax (not sent on cross-site POSTs)
and Secure when the site is served over https (DAOGOU_BASE_URL), so they never travel
in clear text there.
"""

from __future__ import annotations

from datetime import datetime

from starlette.responses import Response

from aggregator.accounts import NewSession
from aggregator.settings import get_settings

SESSION_COOKIE = "daogou_session"
CSRF_COOKIE = "daogou_csrf"


def secure_cookies() -> bool:
    return get_settings().base_url.lower().startswith("https://")


def set_session_cookie(response: Response, new: NewSession, *, now: datetime) -> None:
    # The browser drops the cookie when the session expires: no stale "logged in" look.
    max_age = max(0, int((new.expires_at - now).total_seconds()))
    response.set_cookie(SESSION_COOKIE, new.secret, max_age=max_age, path="/",
                        httponly=True, samesite="lax", secure=secure_cookies())


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=secure_cookies())


def set_csrf_cookie(response: Response, nonce: str) -> None:
    # No max-age: it lives as long as the browser session, like the form it protects.
    response.set_cookie(CSRF_COOKIE, nonce, path="/", httponly=True, samesite="lax",
                        secure=secure_cookies())
