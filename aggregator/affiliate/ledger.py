"""The double-entry, append-only commission ledger.

Every movement is one ``LedgerTransaction`` whose entries sum to zero, booked under a
unique key naming the event: booking the same event twice fails on that key, which is
what makes replays and concurrent reports credit once. Nothing is updated or deleted;
a correction is a new transaction.

A user's buckets (per currency): ``pending`` (the network has not settled yet),
``available`` (withdrawable), ``withdrawing`` (asked for, not yet paid), ``paid``, and
``owed`` (negative: a clawback larger than what was available, repaid from later
releases). Platform legs have no user: ``network`` (what the networks owe us) and
``platform`` (our remainder).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from aggregator.models import LedgerEntry, LedgerTransaction, User

USER_ACCOUNTS = ("pending", "available", "withdrawing", "paid", "owed")

# (user_id or None, account, role) -> signed amount
Legs = Mapping[tuple[int | None, str, str], int]


class LedgerError(ValueError):
    """A booking that would break a rule (unbalanced, or a balance below zero)."""


@dataclass(frozen=True)
class Balance:
    currency: str
    pending: int = 0
    available: int = 0
    withdrawing: int = 0
    paid: int = 0
    owed: int = 0  # shown positive: what later commissions repay first


def post(session: Session, *, key: str, kind: str, currency: str, legs: Legs, now: datetime,
         conversion_id: int | None = None, withdrawal_id: int | None = None) -> LedgerTransaction:
    """Book one balanced transaction. Zero legs are left out; the sum must be zero."""
    legs = {k: v for k, v in legs.items() if v}
    if sum(legs.values()) != 0:
        raise LedgerError(f"unbalanced transaction {key}: {dict(legs)}")
    if not legs:
        raise LedgerError(f"empty transaction {key}")
    txn = LedgerTransaction(key=key, kind=kind, currency=currency, created_at=now,
                            conversion_id=conversion_id, withdrawal_id=withdrawal_id)
    session.add(txn)
    session.flush()  # a second booking of ``key`` fails here, before any entry
    session.add_all(LedgerEntry(transaction_id=txn.id, user_id=user_id, account=account,
                                role=role, currency=currency, amount=amount, created_at=now)
                    for (user_id, account, role), amount in legs.items())
    session.flush()
    return txn


def lock_user(session: Session, user_id: int) -> None:
    """Serialize money movements of one user until the transaction ends: a row lock on
    PostgreSQL, the database write lock on SQLite (taken before the balance is read, so
    the read sees every earlier commit)."""
    session.execute(update(User).where(User.id == user_id).values(id=User.id))


def account_balance(session: Session, *, user_id: int, account: str, currency: str) -> int:
    stmt = select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
        LedgerEntry.user_id == user_id, LedgerEntry.account == account,
        LedgerEntry.currency == currency)
    return int(session.scalar(stmt) or 0)


def balances(session: Session, *, user_id: int) -> list[Balance]:
    """Every currency the user has ever had money in, with each bucket's balance."""
    rows = session.execute(
        select(LedgerEntry.currency, LedgerEntry.account, func.sum(LedgerEntry.amount))
        .where(LedgerEntry.user_id == user_id)
        .group_by(LedgerEntry.currency, LedgerEntry.account))
    per: dict[str, dict[str, int]] = defaultdict(dict)
    for currency, account, total in rows:
        per[currency][account] = int(total)
    return [Balance(currency=c, pending=a.get("pending", 0), available=a.get("available", 0),
                    withdrawing=a.get("withdrawing", 0), paid=a.get("paid", 0),
                    owed=-a.get("owed", 0))
            for c, a in sorted(per.items())]


def booked(session: Session, *, conversion_id: int) -> dict[tuple[int | None, str, str], int]:
    """What the ledger holds for one conversion, per (user, account, role), zeros left out."""
    rows = session.execute(
        select(LedgerEntry.user_id, LedgerEntry.account, LedgerEntry.role,
               func.sum(LedgerEntry.amount))
        .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
        .where(LedgerTransaction.conversion_id == conversion_id)
        .group_by(LedgerEntry.user_id, LedgerEntry.account, LedgerEntry.role))
    return {(u, a, r): int(t) for u, a, r, t in rows if t}


def transaction_count(session: Session, *, conversion_id: int) -> int:
    return session.scalar(select(func.count()).select_from(LedgerTransaction)
                          .where(LedgerTransaction.conversion_id == conversion_id)) or 0


def difference(have: Legs, want: Legs) -> dict[tuple[int | None, str, str], int]:
    """The legs that take ``have`` to ``want``."""
    return {k: want.get(k, 0) - have.get(k, 0) for k in set(have) | set(want)
            if want.get(k, 0) != have.get(k, 0)}
