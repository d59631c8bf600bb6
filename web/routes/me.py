"""The sharer's side: share an offer, the dashboard (/me), withdrawals, and the JSON
API for apps (POST /api/v1/share-links, GET /api/v1/me/earnings)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from aggregator.accounts.invites import invite_counts
from aggregator.affiliate.dashboard import my_earnings, my_links, my_withdrawals
from aggregator.affiliate.ledger import balances
from aggregator.affiliate.share_links import ShareLinkError, share_link_for
from aggregator.affiliate.withdrawals import WithdrawalError, request_withdrawal
from aggregator.models import User
from aggregator.money import to_minor
from aggregator.settings import get_settings
from web.auth import BearerUser, CsrfCookieRoute, CsrfProtected, CurrentUser
from web.auth.forms import render_form
from web.deps import NowDep, SessionDep
from web.errors import api_error
from web.i18n import current_locale, lazy_gettext
from web.sharing import share_payload
from web.urls import MAX_ID

pages = APIRouter(default_response_class=HTMLResponse, include_in_schema=False,
                  route_class=CsrfCookieRoute)
api = APIRouter(prefix="/api/v1", tags=["share and earn"])


def dashboard(session: Session, user: User) -> dict[str, Any]:
    return {"links": my_links(session, user_id=user.id),
            "earnings": my_earnings(session, user_id=user.id),
            "balances": balances(session, user_id=user.id),
            "withdrawals": my_withdrawals(session, user_id=user.id),
            "invites": invite_counts(session, user_id=user.id),
            "invite_url": f"{get_settings().base_url}/register?invite={user.invite_code}",
            "min_withdrawal": get_settings().min_withdrawal, "me": user}


@pages.get("/me", name="me")
def me_page(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    return render_form(request, "me.html", form={"amount": "", "currency": ""},
                       **dashboard(session, user))


@pages.post("/me/withdrawals", name="withdraw", dependencies=[CsrfProtected])
def withdraw(request: Request, user: CurrentUser, session: SessionDep, now: NowDep,
             amount: Annotated[str, Form(max_length=20)] = "",
             currency: Annotated[str, Form(max_length=3)] = "CNY") -> Response:
    form = {"amount": amount, "currency": currency}
    try:
        minor = to_minor(Decimal(amount.strip()), currency)
    except (InvalidOperation, ValueError, KeyError):
        return render_form(request, "me.html", form=form, status=422,
                           errors={"amount": lazy_gettext("Enter an amount such as 50.00.")},
                           **dashboard(session, user))
    try:
        request_withdrawal(session, user_id=user.id, currency=currency, amount=minor, now=now)
    except WithdrawalError as exc:
        return render_form(request, "me.html", form=form, status=422,
                           errors={"amount": _withdrawal_message(exc)},
                           **dashboard(session, user))
    return RedirectResponse(str(request.url_for("me")) + "#withdrawals", status_code=303)


def _withdrawal_message(exc: WithdrawalError) -> Any:
    if exc.code == "below_minimum":
        return lazy_gettext("That is below the smallest withdrawal.")
    if exc.code == "owed":
        return lazy_gettext("A reversed commission is still owed; it is repaid first.")
    return lazy_gettext("That is more than your available balance.")


@pages.post("/share", name="share_offer", dependencies=[CsrfProtected])
def share_offer(request: Request, user: CurrentUser, session: SessionDep,
                offer_id: Annotated[int, Form(ge=1, le=MAX_ID)]) -> Response:
    try:
        link = share_link_for(session, user_id=user.id, offer_id=offer_id)
    except ShareLinkError:
        return RedirectResponse("/", status_code=303)
    return RedirectResponse(str(request.url_for("share_page", code=link.code)),
                            status_code=303)


class ShareLinkIn(BaseModel):
    offer_id: int = Field(ge=1, le=MAX_ID)


class ShareLinkOut(BaseModel):
    code: str
    share_url: str
    go_url: str
    poster_url: str
    share_text: str


@api.post("/share-links", status_code=201, response_model=ShareLinkOut,
          responses={401: {}, 404: {}, 422: {}})
def api_share_link(body: ShareLinkIn, user: BearerUser, session: SessionDep,
                   now: NowDep) -> Any:
    try:
        return share_payload(session, user_id=user.id, offer_id=body.offer_id, now=now,
                             locale=current_locale())
    except ShareLinkError as exc:
        return api_error(404, "not_shareable", str(exc))


class BalanceOut(BaseModel):
    currency: str
    pending: int
    available: int
    paid: int
    withdrawing: int
    owed: int


class EarningOut(BaseModel):
    order_id: str
    partner: str
    title: str | None
    status: str
    role: str
    currency: str
    order_amount: int
    commission: int  # this user's share, minor units
    occurred_at: datetime


class EarningsOut(BaseModel):
    balances: list[BalanceOut]
    conversions: list[EarningOut]


@api.get("/me/earnings", response_model=EarningsOut, responses={401: {}})
def api_earnings(user: BearerUser, session: SessionDep) -> EarningsOut:
    return EarningsOut(
        balances=[BalanceOut(**vars(b)) for b in balances(session, user_id=user.id)],
        conversions=[EarningOut(order_id=e.order_id, partner=e.partner, title=e.title,
                                status=e.status, role=e.role, currency=e.currency,
                                order_amount=e.order_amount, commission=e.share,
                                occurred_at=e.occurred_at)
                     for e in my_earnings(session, user_id=user.id)])

