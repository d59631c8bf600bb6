"""Forgotten passwords: ask for a link by mail, then set a new password with it.

The request form answers the same whether or not the address has an account, and the
mail goes out after the response, so neither words nor timing tell who is registered.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from aggregator.accounts import (
    AccountError,
    InvalidToken,
    TooManyAttempts,
    allow_reset_request,
    check_reset_token,
    request_password_reset,
    reset_password,
)
from aggregator.accounts.validation import EMAIL_MAX
from web.auth import CsrfCookieRoute, CsrfProtected, client_address
from web.auth.cookies import clear_session_cookie
from web.auth.forms import error_context, render_form
from web.auth.mails import deliver, password_reset_mail
from web.auth.messages import account_message, too_many_attempts
from web.deps import NowDep, SessionDep
from web.i18n import lazy_gettext

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False,
                   route_class=CsrfCookieRoute)
FormText = Annotated[str, Form()]
# The token sits in the URL: no Referer may carry it to another site.
PRIVATE = {"referrer-policy": "no-referrer"}


@router.get("/password/forgot", name="password_forgot")
def forgot_page(request: Request) -> Response:
    return render_form(request, "password_forgot.html", form={"email": ""}, sent=False)


@router.post("/password/forgot", dependencies=[CsrfProtected])
def forgot_submit(request: Request, session: SessionDep, now: NowDep,
                  background: BackgroundTasks, email: FormText = "") -> Response:
    form = {"email": email.strip()[:EMAIL_MAX]}
    if not form["email"]:
        return render_form(request, "password_forgot.html", form=form, sent=False, status=400,
                           errors={"email": lazy_gettext("Enter your e-mail address.")})
    try:
        allow_reset_request(session, email=email, address=client_address(request), now=now)
    except TooManyAttempts as exc:
        return render_form(request, "password_forgot.html", form=form, sent=False,
                           status=429, message=too_many_attempts(exc.retry_after),
                           headers={"retry-after": str(exc.retry_after)})
    reset = request_password_reset(session, email=email, now=now)
    if reset is not None:
        background.add_task(deliver, password_reset_mail(request, reset))
    return render_form(request, "password_forgot.html", form=form, sent=True)


def _invalid_link(request: Request, error: AccountError) -> Response:
    return render_form(request, "password_reset.html", form={}, invalid=True, status=400,
                       message=account_message(error), headers=PRIVATE)


@router.get("/password/reset/{token}", name="password_reset")
def reset_page(request: Request, token: str, session: SessionDep, now: NowDep) -> Response:
    try:
        user = check_reset_token(session, token=token, now=now)
    except InvalidToken as exc:
        return _invalid_link(request, exc)
    return render_form(request, "password_reset.html", form={"email": user.email},
                       invalid=False, token=token, headers=PRIVATE)


@router.post("/password/reset/{token}", dependencies=[CsrfProtected])
def reset_submit(request: Request, token: str, session: SessionDep, now: NowDep,
                 password: FormText = "") -> Response:
    try:
        reset_password(session, token=token, password=password, now=now)
    except InvalidToken as exc:
        return _invalid_link(request, exc)
    except AccountError as exc:
        user = check_reset_token(session, token=token, now=now)
        return render_form(request, "password_reset.html", form={"email": user.email},
                           invalid=False, token=token, status=400, headers=PRIVATE,
                           **error_context(exc))
    # Every session of the account just ended, this browser's too: log in afresh.
    response = RedirectResponse(
        request.url_for("login").include_query_params(reset="1"), status_code=303,
        headers={"cache-control": "no-store", **PRIVATE})
    clear_session_cookie(response)
    return response
