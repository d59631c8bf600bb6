"""CSRF protection for every form.

A logged-in browser's forms carry its session's token (derived from the session
secret under the site key, stored with the session). An anonymous browser's forms
(login, register, reset) carry a signed double-submit token: an HttpOnly cookie holds a
random nonce and the form holds HMAC(site key, nonce). Another site can neither read
the cookie nor compute the HMAC, so it cannot forge the form.

Templates call ``csrf_field()`` inside each ``<form method="post">``; routes that accept
the form depend on ``csrf_protect``. HTMX requests may send the token in the
``X-CSRF-Token`` header instead (``csrf_token()`` gives its value).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

import jinja2
from fastapi import Depends, Form, Header, HTTPException, Request
from fastapi.routing import APIRoute
from markupsafe import Markup, escape
from starlette.responses import Response

from aggregator.accounts import csrf_token_for
from aggregator.accounts.secret_store import keyed_hash, new_secret
from web.auth.cookies import CSRF_COOKIE, SESSION_COOKIE, set_csrf_cookie
from web.auth.session import Auth, AuthDep
from web.i18n import lazy_gettext

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_NONCE_MAX = 100  # a nonce is 43 characters; anything much longer is not ours


def anonymous_token(nonce: str) -> str:
    return keyed_hash("anon-csrf", nonce)


def _anonymous_nonce(request: Request) -> str:
    """The browser's nonce, or a new one that the response will set (CsrfCookieRoute)."""
    nonce = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_nonce", None)
    if not nonce or len(nonce) > _NONCE_MAX:
        nonce = new_secret()
        request.state.new_csrf_nonce = nonce
    return nonce


def csrf_token(request: Request) -> str:
    """The token this browser's forms must carry."""
    auth = getattr(request.state, "auth", None)
    if isinstance(auth, Auth) and auth.csrf_token:
        return auth.csrf_token
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:  # resolved or not: a page that did not look the session up still works
        return csrf_token_for(cookie)
    return anonymous_token(_anonymous_nonce(request))


def _accepted_tokens(request: Request, auth: Auth) -> list[str]:
    if auth.session is not None:
        # Logged in: only the session's own token, never one a planted cookie vouches for.
        return [auth.csrf_token] if auth.csrf_token else []
    tokens = []
    if auth.cookie:  # a stale login cookie: the form was built from it
        tokens.append(csrf_token_for(auth.cookie))
    nonce = request.cookies.get(CSRF_COOKIE)
    if nonce and len(nonce) <= _NONCE_MAX:
        tokens.append(anonymous_token(nonce))
    return tokens


def _same(sent: str, expected: str) -> bool:
    # Bytes: compare_digest refuses str with non-ASCII characters.
    return hmac.compare_digest(sent.encode(), expected.encode())


def csrf_protect(request: Request, auth: AuthDep,
                 form_token: Annotated[str, Form(alias=FIELD)] = "",
                 header_token: Annotated[str, Header(alias=HEADER)] = "") -> None:
    """Reject an unsafe request without this browser's CSRF token: 403, a friendly page."""
    if request.method in SAFE_METHODS:
        return
    sent = form_token or header_token
    if sent and any(_same(sent, token) for token in _accepted_tokens(request, auth)):
        return
    raise HTTPException(403, lazy_gettext(
        "This form has expired or did not come from this site. Go back, reload the page "
        "and try again."))


CsrfProtected = Depends(csrf_protect)


@jinja2.pass_context
def csrf_field(context: Any) -> Markup:
    """``{{ csrf_field() }}``: the hidden input every POST form carries."""
    token = csrf_token(context["request"])
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, escape(token))


@jinja2.pass_context
def csrf_token_global(context: Any) -> str:
    """``{{ csrf_token() }}``: the token alone, e.g. for ``hx-headers``."""
    return csrf_token(context["request"])


def remember_csrf_cookie(request: Request, response: Response) -> None:
    """Set the anonymous nonce cookie if rendering this response made a new nonce."""
    nonce = getattr(request.state, "new_csrf_nonce", None)
    if nonce and request.cookies.get(CSRF_COOKIE) != nonce:
        set_csrf_cookie(response, nonce)


class CsrfCookieRoute(APIRoute):
    """Routes that render anonymous forms: the new nonce cookie goes on the response.

    (FastAPI drops cookies set on an injected Response when a route returns its own
    response, and a template only makes its token while rendering.)
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            response = await handler(request)
            remember_csrf_cookie(request, response)
            return response

        return handle
