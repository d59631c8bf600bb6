"""Rows the share-and-earn tests need: users with inviters, a shared offer, clicks, and
order reports."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aggregator.affiliate.conversions import Policy
from aggregator.affiliate.split import Rates
from aggregator.affiliate.subids import sub_id_for
from aggregator.ingest import ingest_offers
from aggregator.models import Click, LedgerEntry, Partner, ShareLink, User
from aggregator.records import OrderRecord
from tests.aggregator.factories import offer, offer_row
from tests.conftest import FIXED_NOW

_serial = count(1)
POLICY = Policy(Rates(5000, 1000, 500), timedelta(days=7))


def user(session: Session, *, inviter: User | None = None, name: str = "u") -> User:
    n = next(_serial)
    row = User(email=f"{name}{n}@example.com", password_hash="x", nickname=f"{name}{n}",
               invite_code=f"inv{n:06d}", invited_by_id=inviter.id if inviter else None)
    session.add(row)
    session.flush()
    return row


def click(session: Session, *, sharer: User, partner: Partner, external_id: str = "1001",
          at: datetime = FIXED_NOW) -> Click:
    """A click on ``sharer``'s link to one of ``partner``'s offers (ingested if new)."""
    ingest_offers(session, partner=partner, records=[offer(external_id)], now=at)
    target = offer_row(session, external_id)
    link = session.query(ShareLink).filter_by(user_id=sharer.id, offer_id=target.id).first()
    if link is None:
        link = ShareLink(code=f"c{next(_serial):07d}", user_id=sharer.id, offer_id=target.id)
        session.add(link)
        session.flush()
    row = Click(share_link_id=link.id, ip_hash="h", user_agent="ua", created_at=at)
    session.add(row)
    session.flush()
    return row


def order(order_id: str = "o1", *, status: str = "pending", commission: int = 1000,
          amount: int = 10000, sub: Click | str | None = None, at: datetime = FIXED_NOW,
          currency: str = "CNY", **fields: Any) -> OrderRecord:
    sub_id = sub_id_for(sub.id) if isinstance(sub, Click) else sub
    return OrderRecord(order_id=order_id, status=status,  # type: ignore[arg-type]
                       currency=currency, order_amount=amount, commission_amount=commission,
                       occurred_at=FIXED_NOW, status_at=at, sub_id=sub_id, **fields)


def assert_books_balance(session: Session) -> None:
    """Every transaction sums to zero; no user bucket but ``owed`` is below zero."""
    unbalanced = session.execute(
        select(LedgerEntry.transaction_id).group_by(LedgerEntry.transaction_id)
        .having(func.sum(LedgerEntry.amount) != 0)).all()
    assert unbalanced == []
    negative = session.execute(
        select(LedgerEntry.user_id, LedgerEntry.account, func.sum(LedgerEntry.amount))
        .where(LedgerEntry.user_id.is_not(None), LedgerEntry.account != "owed")
        .group_by(LedgerEntry.user_id, LedgerEntry.account, LedgerEntry.currency)
        .having(func.sum(LedgerEntry.amount) < 0)).all()
    assert negative == []


def later(days: float) -> datetime:
    return FIXED_NOW + timedelta(days=days)
