"""Signed postbacks: POST /api/v1/postbacks/{partner} (DESIGN.md, JSON API).

The signature covers the raw body and its timestamp; a bad, missing or stale one is a
401 before anything is parsed. The network's send time (the signed ``t``) orders reports
of one order: a report signed earlier than the stored one changes nothing, so a replay or
a late retry can never move an order backwards or credit twice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.affiliate.conversions import Policy, record_order
from aggregator.affiliate.postback_signature import HEADER, parse_header, verify
from aggregator.models import Partner
from aggregator.partners import PartnerConfigError, load_partner_configs
from aggregator.records import OrderRecord
from web.deps import NowDep, SessionDep
from web.errors import api_error

router = APIRouter(prefix="/api/v1", tags=["postbacks"])
MAX_BODY = 64 * 1024


class Postback(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    order_id: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00]*$")
    sub_id: str | None = Field(default=None, max_length=100, pattern=r"^[^\x00]*$")
    status: Literal["pending", "confirmed", "reversed"]
    order_amount: int = Field(ge=0, le=10**12, description="minor units")
    commission_amount: int = Field(ge=0, le=10**12, description="minor units")
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    occurred_at: AwareDatetime


class PostbackResult(BaseModel):
    order_id: str
    outcome: Literal["new", "updated", "unchanged", "stale"]


def _secret(slug: str) -> str | None:
    try:
        config = load_partner_configs().get(slug)
    except PartnerConfigError:
        return None
    return config.postback_secret.get_secret_value() if config else None


@router.post("/postbacks/{partner}", response_model=PostbackResult,
             responses={401: {}, 404: {}, 413: {}, 422: {}})
async def postback(request: Request, session: SessionDep, now: NowDep,
                   partner: Annotated[str, Path(max_length=40)]) -> JSONResponse:
    body = await request.body()
    if len(body) > MAX_BODY:
        return api_error(413, "too_large", "Postback bodies are at most 64 KiB.")
    secret = _secret(partner)
    row = await run_in_threadpool(session.scalar, select(Partner).where(Partner.slug == partner))
    if secret is None or row is None:
        return api_error(404, "not_found", f"No partner {partner!r}.")
    header = request.headers.get(HEADER)
    if not verify(secret, header, body, now):
        return api_error(401, "bad_signature",
                         f"{HEADER} is missing, wrong or older than 300 seconds.")
    try:
        report = Postback.model_validate_json(body)
    except ValidationError as exc:
        return api_error(422, "invalid_postback", "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors()))
    signed = parse_header(header)
    assert signed is not None  # verified above
    record = OrderRecord(
        order_id=report.order_id, status=report.status, currency=report.currency,
        order_amount=report.order_amount, commission_amount=report.commission_amount,
        occurred_at=report.occurred_at.astimezone(UTC), sub_id=report.sub_id or None,
        status_at=datetime.fromtimestamp(signed.timestamp, UTC),
        raw=report.model_dump(mode="json"))
    outcome = await run_in_threadpool(_record, session, row, record, now)
    return JSONResponse({"order_id": record.order_id, "outcome": outcome})


def _record(session: Session, partner: Partner, record: OrderRecord, now: datetime) -> str:
    outcome, _ = record_order(session, partner=partner, record=record, source="postback",
                              now=now, policy=Policy.from_settings())
    return outcome
