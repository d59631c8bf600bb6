"""POST /api/v1/postbacks/{partner}: signed, fresh, idempotent, ordered by send time."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aggregator.affiliate.ledger import balances
from aggregator.affiliate.postback_signature import sign
from aggregator.affiliate.subids import sub_id_for
from aggregator.models import Conversion, LedgerTransaction, Partner
from tests.aggregator.money_support import click, user

SECRET = "sandbox-taobao-postback"  # data/partners.toml


def body(status: str = "pending", **fields: object) -> bytes:
    report = {"order_id": "T-1", "sub_id": None, "status": status, "order_amount": 9900,
              "commission_amount": 800, "currency": "CNY",
              "occurred_at": "2026-11-22T10:00:00Z"} | fields
    return json.dumps(report).encode()


def post(client: TestClient, raw: bytes, *, at: datetime, secret: str = SECRET,
         partner: str = "taobao", signature: str | None = None):  # type: ignore[no-untyped-def]
    header = signature if signature is not None else sign(secret, int(at.timestamp()), raw)
    return client.post(f"/api/v1/postbacks/{partner}", content=raw,
                       headers={"Daogou-Signature": header,
                                "Content-Type": "application/json"})


def test_a_signed_postback_credits_the_sharer_once(client, session: Session, partner: Partner,
                                                   now: datetime) -> None:
    sharer = user(session)
    sub = sub_id_for(click(session, sharer=sharer, partner=partner).id)
    raw = body(sub_id=sub)
    first = post(client, raw, at=now)
    assert first.status_code == 200, first.text
    assert first.json() == {"order_id": "T-1", "outcome": "new"}
    assert post(client, raw, at=now).json()["outcome"] == "unchanged"  # a replay
    assert balances(session, user_id=sharer.id)[0].pending == 400
    assert session.scalar(select(func.count()).select_from(LedgerTransaction)) == 1


def test_send_time_orders_reports(client, session: Session, partner: Partner,
                                  now: datetime) -> None:
    sub = sub_id_for(click(session, sharer=user(session), partner=partner).id)
    assert post(client, body("confirmed", sub_id=sub), at=now).json()["outcome"] == "new"
    earlier = post(client, body("pending", sub_id=sub), at=now - timedelta(seconds=60))
    assert earlier.json()["outcome"] == "stale"
    assert session.scalar(select(Conversion.status)) == "confirmed"
    later = post(client, body("reversed", sub_id=sub), at=now + timedelta(seconds=60))
    assert later.json()["outcome"] == "updated"
    assert session.scalar(select(Conversion.status)) == "reversed"


@pytest.mark.parametrize(("case", "shift", "secret", "signature"), [
    ("wrong secret", 0, "guess", None),
    ("stale", -301, SECRET, None),
    ("from the future", 301, SECRET, None),
    ("missing", 0, SECRET, ""),
    ("garbage", 0, SECRET, "t=abc,v1=zz"),
    ("no v1", 0, SECRET, "t=1700000000"),
])
def test_bad_signatures_get_401(client, session: Session, partner: Partner, now: datetime,
                                case: str, shift: int, secret: str,
                                signature: str | None) -> None:
    response = post(client, body(), at=now + timedelta(seconds=shift), secret=secret,
                    signature=signature)
    assert response.status_code == 401, case
    assert response.json()["error"]["code"] == "bad_signature"
    assert session.scalar(select(func.count()).select_from(Conversion)) == 0


def test_a_body_changed_after_signing_is_refused(client, partner: Partner, now: datetime) -> None:
    header = sign(SECRET, int(now.timestamp()), body(commission_amount=800))
    response = post(client, body(commission_amount=80000), at=now, signature=header)
    assert response.status_code == 401


@pytest.mark.parametrize(("raw", "field"), [
    (body(status="paid"), "status"),
    (body(order_amount=-1), "order_amount"),
    (body(currency="yuan"), "currency"),
    (body(occurred_at="2026-11-22 10:00:00"), "occurred_at"),
    (body(order_id=""), "order_id"),
    (b"{not json", "body"),
])
def test_bad_reports_get_422_with_the_field(client, partner: Partner, now: datetime,
                                            raw: bytes, field: str) -> None:
    response = post(client, raw, at=now)
    assert response.status_code == 422
    assert field in response.json()["error"]["message"]


def test_unknown_partner_is_404(client, partner: Partner, now: datetime) -> None:
    assert post(client, body(), at=now, partner="nobody").status_code == 404
