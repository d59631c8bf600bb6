"""JSON API accounts: sign up, get a bearer token, revoke it, who am I.

Errors have the API's one shape (web.errors.api_error) with the service's stable code.
Failures are returned, not raised, so the rate-limit counts still commit.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import JSONResponse

from aggregator.accounts import (
    AccountError,
    TooManyAttempts,
    allow_registration,
    create_api_token,
    log_in,
    register,
    revoke_api_token,
)
from web.auth import BearerUser, client_address
from web.auth.schemas import RegisterIn, TokenIn, TokenOut, UserOut
from web.auth.users import bearer_token
from web.deps import NowDep, SessionDep
from web.errors import api_error
from web.schemas import ErrorResponse

router = APIRouter(prefix="/api/v1", tags=["auth"])
_STATUS = {"email_taken": 409, "invalid_credentials": 401, "account_disabled": 403}
_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorResponse} for code in (401, 403, 409, 422, 429)}


def account_error(error: AccountError) -> JSONResponse:
    if isinstance(error, TooManyAttempts):
        return api_error(429, "rate_limited", error.message,
                         headers={"Retry-After": str(error.retry_after)})
    status = _STATUS.get(error.code, 422)
    details = ([{"loc": ["body", error.field], "msg": error.message, "type": error.code}]
               if error.field else None)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return api_error(status, error.code, error.message, details=details, headers=headers)


@router.post("/auth/register", status_code=201, response_model=UserOut, responses=_ERRORS)
def api_register(body: RegisterIn, request: Request, session: SessionDep,
                 now: NowDep) -> UserOut | JSONResponse:
    """Create an account; ``invite_code`` is the inviter's code (optional)."""
    try:
        allow_registration(session, address=client_address(request), now=now)
        user = register(session, email=body.email, password=body.password,
                        nickname=body.nickname, invite_code=body.invite_code, now=now)
    except AccountError as exc:
        return account_error(exc)
    return UserOut.build(user)


@router.post("/auth/token", response_model=TokenOut, responses=_ERRORS)
def api_token(body: TokenIn, request: Request, session: SessionDep,
              now: NowDep) -> TokenOut | JSONResponse:
    """Exchange an e-mail and password for a bearer token (rate-limited)."""
    try:
        user = log_in(session, email=body.email, password=body.password,
                      address=client_address(request), now=now)
    except AccountError as exc:
        return account_error(exc)
    token = create_api_token(session, user=user, now=now)
    return TokenOut(access_token=token.token, expires_at=token.expires_at)


@router.delete("/auth/token", status_code=204, responses=_ERRORS)
def api_revoke_token(user: BearerUser, session: SessionDep,
                     authorization: Annotated[str | None, Header()] = None) -> Response:
    """Revoke the bearer token this request carries."""
    token = bearer_token(authorization)
    if token:
        revoke_api_token(session, token=token)
    return Response(status_code=204)


@router.get("/me", response_model=UserOut, responses=_ERRORS)
def api_me(user: BearerUser) -> UserOut:
    """The account the bearer token belongs to."""
    return UserOut.build(user)
