"""What templates know about the login: ``csrf_field()``, ``csrf_token()``,
``signed_in()``, ``auth_nickname()`` and ``auth_link(name)``.

Every page's header shows the account links, but only some routes look the session up.
``signed_in()`` therefore answers from the login cookie alone (no query per page): a
stale cookie shows "Log out", which then simply clears it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import jinja2

from web.auth.cookies import SESSION_COOKIE
from web.auth.csrf import csrf_field, csrf_token_global
from web.auth.session import Auth


@jinja2.pass_context
def signed_in(context: Any) -> bool:
    return bool(context["request"].cookies.get(SESSION_COOKIE))


@jinja2.pass_context
def auth_nickname(context: Any) -> str | None:
    """The user's nickname, when this request's route looked the session up."""
    auth = getattr(context["request"].state, "auth", None)
    return auth.nickname if isinstance(auth, Auth) else None




# Pages about logging in, where a "come back here afterwards" link would loop.
_AUTH_PAGES = ("/login", "/register", "/logout", "/password/")


@jinja2.pass_context
def auth_link(context: Any, name: str) -> str:
    """The path of the ``login`` or ``register`` page, coming back to this page after."""
    request = context["request"]
    path = str(request.app.url_path_for(name))
    here = request.url.path
    if request.method != "GET" or here == "/" or here.startswith(_AUTH_PAGES):
        return path
    query = request.url.query
    return f"{path}?{urlencode({'next': here + (f'?{query}' if query else '')})}"


AUTH_GLOBALS = {"csrf_field": csrf_field, "csrf_token": csrf_token_global,
                "signed_in": signed_in, "auth_nickname": auth_nickname, "auth_link": auth_link}
