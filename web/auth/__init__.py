"""Authentication for the web app: who the user is, and CSRF protection for forms.

Use in routes::

    from web.auth import CurrentUser, csrf_protect

    @router.post("/things", dependencies=[Depends(csrf_protect)])
    def add_thing(user: CurrentUser, ...): ...

and in templates, inside every ``<form method="post">``: ``{{ csrf_field() }}``.
"""

from web.auth.cookies import CSRF_COOKIE, SESSION_COOKIE
from web.auth.csrf import (
    CsrfCookieRoute,
    CsrfProtected,
    csrf_field,
    csrf_protect,
    csrf_token,
    remember_csrf_cookie,
)
from web.auth.session import Auth, AuthDep, client_address, get_auth
from web.auth.users import (
    AdminUser,
    BearerUser,
    CurrentUser,
    OptionalUser,
    admin_user,
    bearer_user,
    current_user,
    login_url,
    optional_user,
)

__all__ = [
    "CSRF_COOKIE",
    "SESSION_COOKIE",
    "AdminUser",
    "Auth",
    "AuthDep",
    "BearerUser",
    "CsrfCookieRoute",
    "CsrfProtected",
    "CurrentUser",
    "OptionalUser",
    "admin_user",
    "bearer_user",
    "client_address",
    "csrf_field",
    "csrf_protect",
    "csrf_token",
    "current_user",
    "get_auth",
    "login_url",
    "optional_user",
    "remember_csrf_cookie",
]
