"""Withdrawals: a sharer asks for available money (at least the minimum), an admin
approves or rejects, then marks it paid. Asking moves the amount out of ``available``
into ``withdrawing`` at once, under the user's lock, so two requests can never spend the
same money and no balance goes below zero."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from aggregator.affiliate.ledger import account_balance, lock_user, post
from aggregator.models import Withdrawal
from aggregator.settings import get_settings


class WithdrawalError(ValueError):
    """Refused: ``code`` says why (below_minimum, owed, insufficient, wrong_status,
    unknown), the message says it for a log or the command line."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def request_withdrawal(session: Session, *, user_id: int, currency: str, amount: int,
                       now: datetime, minimum: int | None = None) -> Withdrawal:
    minimum = get_settings().min_withdrawal if minimum is None else minimum
    if amount < max(minimum, 1):
        raise WithdrawalError("below_minimum",
                              f"the smallest withdrawal is {max(minimum, 1)} (minor units)")
    lock_user(session, user_id)
    owed = -account_balance(session, user_id=user_id, account="owed", currency=currency)
    if owed > 0:
        raise WithdrawalError("owed", "a clawed-back commission is still owed: it is repaid first")
    free = account_balance(session, user_id=user_id, account="available", currency=currency)
    if amount > free:
        raise WithdrawalError("insufficient", f"only {free} (minor units) is available")
    row = Withdrawal(user_id=user_id, currency=currency, amount=amount, status="requested",
                     requested_at=now)
    session.add(row)
    session.flush()
    post(session, key=f"withdrawal:{row.id}:request", kind="withdrawal_request",
         currency=currency, now=now, withdrawal_id=row.id,
         legs={(user_id, "available", "withdrawal"): -amount,
               (user_id, "withdrawing", "withdrawal"): amount})
    return row


def _move(session: Session, *, withdrawal_id: int, from_status: str, to_status: str,
          admin_id: int, now: datetime, note: str | None) -> Withdrawal:
    """Change the status only if it still is ``from_status`` (two admins clicking at once
    change it once)."""
    values: dict[str, object] = {"status": to_status}
    if to_status == "paid":
        values["paid_at"] = now
    else:
        values |= {"decided_at": now, "decided_by_id": admin_id, "note": note}
    done = session.execute(update(Withdrawal)
                           .where(Withdrawal.id == withdrawal_id,
                                  Withdrawal.status == from_status)
                           .values(**values).execution_options(synchronize_session=False))
    row = session.get(Withdrawal, withdrawal_id, populate_existing=True)
    if row is None:
        raise WithdrawalError("unknown", "no such withdrawal")
    if not done.rowcount:  # type: ignore[attr-defined]
        raise WithdrawalError("wrong_status",
                              f"withdrawal {withdrawal_id} is {row.status}, not {from_status}")
    return row


def approve(session: Session, *, withdrawal_id: int, admin_id: int, now: datetime,
            note: str | None = None) -> Withdrawal:
    return _move(session, withdrawal_id=withdrawal_id, from_status="requested",
                 to_status="approved", admin_id=admin_id, now=now, note=note)


def reject(session: Session, *, withdrawal_id: int, admin_id: int, now: datetime,
           note: str | None = None) -> Withdrawal:
    row = _move(session, withdrawal_id=withdrawal_id, from_status="requested",
                to_status="rejected", admin_id=admin_id, now=now, note=note)
    post(session, key=f"withdrawal:{row.id}:reject", kind="withdrawal_reject",
         currency=row.currency, now=now, withdrawal_id=row.id,
         legs={(row.user_id, "withdrawing", "withdrawal"): -row.amount,
               (row.user_id, "available", "withdrawal"): row.amount})
    return row


def mark_paid(session: Session, *, withdrawal_id: int, admin_id: int, now: datetime) -> Withdrawal:
    row = _move(session, withdrawal_id=withdrawal_id, from_status="approved", to_status="paid",
                admin_id=admin_id, now=now, note=None)
    post(session, key=f"withdrawal:{row.id}:paid", kind="withdrawal_paid",
         currency=row.currency, now=now, withdrawal_id=row.id,
         legs={(row.user_id, "withdrawing", "withdrawal"): -row.amount,
               (row.user_id, "paid", "withdrawal"): row.amount})
    return row
