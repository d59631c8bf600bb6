"""Account pages: register, log in, log out (the reset pages and the JSON API are
included from auth_password and auth_api).

Every POST is CSRF-protected. A rejected form is re-rendered with what was typed
(never the password) and returned, not raised, so the transaction still commits the
rate-limit counts.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from aggregator.accounts import (
    AccountError,
    TooManyAttempts,
    allow_registration,
    end_session,
    log_in,
    register,
    start_session,
)
from aggregator.accounts.validation import EMAIL_MAX, NICKNAME_MAX
from aggregator.models import User
from web.auth import AuthDep, CsrfCookieRoute, CsrfProtected, client_address
from web.auth.cookies import clear_session_cookie, set_session_cookie
from web.auth.forms import error_context, render_form
from web.auth.messages import account_message, too_many_attempts
from web.deps import NowDep, SessionDep
from web.i18n import lazy_gettext, safe_next
from web.routes import auth_api, auth_password

pages = APIRouter(default_response_class=HTMLResponse, include_in_schema=False,
                  route_class=CsrfCookieRoute)

FormText = Annotated[str, Form()]
NextField = Annotated[str, Form(alias="next")]
NextQuery = Annotated[str, Query(alias="next")]


def _logged_in(session: SessionDep, *, user: User, now: NowDep, previous: str | None,
               target: str) -> Response:
    """Start a new session (the browser's old one ends) and go on to ``target``."""
    new = start_session(session, user=user, now=now, previous_secret=previous)
    response = RedirectResponse(target, status_code=303, headers={"cache-control": "no-store"})
    set_session_cookie(response, new, now=now)
    return response


def _with_next(request: Request, name: str, target: str) -> str:
    url = request.url_for(name)
    return str(url.include_query_params(next=target)) if target != "/" else str(url)


# --- register ---------------------------------------------------------------------------

@pages.get("/register", name="register")
def register_page(request: Request, auth: AuthDep, next_path: NextQuery = "/",
                  invite: Annotated[str, Query(max_length=64)] = "") -> Response:
    target = safe_next(next_path)
    if auth.user is not None:
        return RedirectResponse(target, status_code=303)
    form = {"email": "", "nickname": "", "invite_code": invite.strip(), "next": target}
    return render_form(request, "register.html", form=form,
                       login_url=_with_next(request, "login", target))


@pages.post("/register", dependencies=[CsrfProtected])
def register_submit(request: Request, session: SessionDep, now: NowDep, auth: AuthDep,
                    email: FormText = "", password: FormText = "", nickname: FormText = "",
                    invite_code: FormText = "", next_path: NextField = "/") -> Response:
    target = safe_next(next_path)
    form = {"email": email.strip()[:EMAIL_MAX], "nickname": nickname.strip()[:NICKNAME_MAX],
            "invite_code": invite_code.strip()[:64], "next": target}
    page: dict[str, Any] = {"form": form, "login_url": _with_next(request, "login", target)}
    try:
        allow_registration(session, address=client_address(request), now=now)
        user = register(session, email=email, password=password, nickname=nickname,
                        invite_code=invite_code, now=now)
    except TooManyAttempts as exc:
        return render_form(request, "register.html", **page, status=429,
                           message=too_many_attempts(exc.retry_after),
                           headers={"retry-after": str(exc.retry_after)})
    except AccountError as exc:
        return render_form(request, "register.html", **page, status=400, **error_context(exc))
    return _logged_in(session, user=user, now=now, previous=auth.cookie, target=target)


# --- log in and out ---------------------------------------------------------------------

@pages.get("/login", name="login")
def login_page(request: Request, auth: AuthDep, next_path: NextQuery = "/",
               reset: str = "") -> Response:
    target = safe_next(next_path)
    if auth.user is not None:
        return RedirectResponse(target, status_code=303)
    notice = lazy_gettext("Your password has been changed. Log in with the new one.") \
        if reset else None
    return render_form(request, "login.html", form={"email": "", "next": target},
                       notice=notice, register_url=_with_next(request, "register", target))


@pages.post("/login", dependencies=[CsrfProtected])
def login_submit(request: Request, session: SessionDep, now: NowDep, auth: AuthDep,
                 email: FormText = "", password: FormText = "",
                 next_path: NextField = "/") -> Response:
    target = safe_next(next_path)
    form = {"email": email.strip()[:EMAIL_MAX], "next": target}
    page: dict[str, Any] = {"form": form, "register_url": _with_next(request, "register", target)}
    try:
        user = log_in(session, email=email, password=password,
                      address=client_address(request), now=now)
    except TooManyAttempts as exc:
        return render_form(request, "login.html", **page, status=429,
                           message=too_many_attempts(exc.retry_after),
                           headers={"retry-after": str(exc.retry_after)})
    except AccountError as exc:
        return render_form(request, "login.html", **page, status=400,
                           message=account_message(exc))
    return _logged_in(session, user=user, now=now, previous=auth.cookie, target=target)


@pages.get("/logout", name="logout_page")
def logout_page(request: Request, auth: AuthDep) -> Response:
    """A confirmation form for links to /logout: logging out is a POST (CSRF-safe)."""
    if auth.cookie is None:
        return RedirectResponse(request.url_for("home"), status_code=303)
    return render_form(request, "logout.html", form={})


@pages.post("/logout", name="logout", dependencies=[CsrfProtected])
def logout(request: Request, session: SessionDep, auth: AuthDep) -> Response:
    end_session(session, secret=auth.cookie)
    response = RedirectResponse(request.url_for("home"), status_code=303,
                                headers={"cache-control": "no-store"})
    clear_session_cookie(response)
    return response


# What web.app includes. Routes are copied when included: this stays below the routes.
router = APIRouter()
router.include_router(pages)
router.include_router(auth_password.router)
router.include_router(auth_api.router)
