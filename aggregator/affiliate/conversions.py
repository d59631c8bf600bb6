"""Partner orders in: attribute each to the click that carried its sub-id, keep the
network's latest word on its status, and keep the ledger in step.

Order spiders (``source="sync"``) and signed postbacks (``source="postback"``) both come
through ``record_orders``; a report may arrive twice, out of order, or from two
processes at once. The conversion row is created once (insert-or-nothing on
partner + order id) and locked while a report is applied, and a report older than the
stored one (by the network's own status time) changes nothing. A reversal is final.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from aggregator.affiliate.conversion_ledger import sync_conversion
from aggregator.affiliate.split import Rates
from aggregator.affiliate.subids import click_id_from
from aggregator.db import upsert
from aggregator.models import Click, Conversion, Offer, Partner, ShareLink
from aggregator.records import OrderRecord
from aggregator.settings import get_settings

SOURCES = ("sync", "postback")


@dataclass
class OrderCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0  # older than what is stored, or after a reversal: ignored
    attributed: int = 0  # new orders that carried one of our clicks

    def add(self, outcome: str, *, attributed: bool = False) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.attributed += attributed


@dataclass(frozen=True)
class Policy:
    rates: Rates
    hold: timedelta

    @classmethod
    def from_settings(cls) -> Policy:
        return cls(Rates.from_settings(), timedelta(days=get_settings().commission_hold_days))


def record_orders(session: Session, *, partner: Partner, records: Sequence[OrderRecord],
                  source: str, now: datetime, policy: Policy | None = None) -> OrderCounts:
    if source not in SOURCES:
        raise ValueError(f"unknown order source {source!r}")
    policy = policy or Policy.from_settings()
    counts = OrderCounts()
    for record in records:
        outcome, conv = record_order(session, partner=partner, record=record, source=source,
                                     now=now, policy=policy)
        counts.add(outcome, attributed=outcome == "new" and conv.click_id is not None)
    return counts


def record_order(session: Session, *, partner: Partner, record: OrderRecord, source: str,
                 now: datetime, policy: Policy) -> tuple[str, Conversion]:
    created = _insert_if_missing(session, partner=partner, record=record, source=source,
                                 now=now)
    conv = _locked(session, Conversion.partner_id == partner.id,
                   Conversion.order_id == record.order_id)
    outcome = "new" if created else _apply(conv, record, now)
    if created and record.status == "confirmed":
        conv.confirmed_at = now
    session.flush()
    sync_conversion(session, conversion=conv, now=now, rates=policy.rates, hold=policy.hold)
    session.flush()
    return outcome, conv


def release_due(session: Session, *, now: datetime, policy: Policy | None = None) -> int:
    """Release every confirmed commission whose hold has passed; returns how many."""
    policy = policy or Policy.from_settings()
    ids = session.scalars(select(Conversion.id).where(
        Conversion.status == "confirmed", Conversion.released_at.is_(None),
        Conversion.confirmed_at <= now - policy.hold).order_by(Conversion.id)).all()
    for conversion_id in ids:
        conv = _locked(session, Conversion.id == conversion_id)
        if conv.released_at is None and conv.status == "confirmed":
            sync_conversion(session, conversion=conv, now=now, rates=policy.rates,
                            hold=policy.hold)
    session.flush()
    return len(ids)


def attribution(session: Session, *, partner_id: int, sub_id: str | None
                ) -> tuple[int | None, int | None]:
    """(click id, sharer id) for a sub-id we issued on one of this partner's offers."""
    click_id = click_id_from(sub_id)
    if click_id is None:
        return None, None
    row = session.execute(
        select(Click.id, ShareLink.user_id)
        .join(ShareLink, ShareLink.id == Click.share_link_id)
        .join(Offer, Offer.id == ShareLink.offer_id)
        .where(Click.id == click_id, Offer.partner_id == partner_id)).first()
    return (row[0], row[1]) if row else (None, None)


def _insert_if_missing(session: Session, *, partner: Partner, record: OrderRecord,
                       source: str, now: datetime) -> bool:
    click_id, user_id = attribution(session, partner_id=partner.id, sub_id=record.sub_id)
    values: dict[str, Any] = {
        "partner_id": partner.id, "order_id": record.order_id, "sub_id": record.sub_id,
        "click_id": click_id, "user_id": user_id, "title": record.title,
        "status": record.status, "currency": record.currency,
        "order_amount": record.order_amount, "commission_amount": record.commission_amount,
        "occurred_at": record.occurred_at, "status_at": record.status_at, "source": source,
        "created_at": now, "updated_at": now, "raw": record.raw,
    }
    stmt = (upsert(session, Conversion).values(**values)
            .on_conflict_do_nothing(index_elements=["partner_id", "order_id"])
            .returning(Conversion.id))
    return session.execute(stmt).first() is not None  # no row back: it was already there


def _locked(session: Session, *where: ColumnElement[bool]) -> Conversion:
    """The conversion, locked until the transaction ends, read after the lock is held."""
    session.execute(update(Conversion).where(*where).values(id=Conversion.id)
                    .execution_options(synchronize_session=False))
    return session.scalars(select(Conversion).where(*where)
                           .execution_options(populate_existing=True)).one()


def _apply(conv: Conversion, record: OrderRecord, now: datetime) -> str:
    if conv.status == "reversed" or record.status_at < conv.status_at:
        return "stale"
    same = (conv.status == record.status and conv.commission_amount == record.commission_amount
            and conv.order_amount == record.order_amount)
    if same:
        return "unchanged"
    if record.status == "confirmed" and conv.confirmed_at is None:
        conv.confirmed_at = now
    conv.status = record.status
    conv.order_amount = record.order_amount
    conv.commission_amount = record.commission_amount
    conv.status_at = record.status_at
    conv.title = record.title or conv.title
    conv.raw = record.raw
    conv.updated_at = now
    return "updated"
