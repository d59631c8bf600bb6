"""What the ledger holds for one conversion, brought to what its status says it should.

- reported and not reversed: the commission split into ``pending`` shares (and the
  platform's remainder, against what the network owes us); a changed commission (the
  network's estimate replaced by the settled figure) books the difference;
- confirmed and held long enough (``commission_hold_days``): the shares move to
  ``available`` (released), and any debt a user owes is repaid from them first;
- reversed before release: everything booked is taken back; after release, a clawback
  takes the shares back out of ``available`` as far as it goes and books the rest as
  ``owed``, so no balance goes below zero.

The caller holds the conversion's row lock; each booking's key is the conversion id and
its sequence number, so a second process reaching the same state books nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from aggregator.accounts.invites import inviter_chain
from aggregator.affiliate.ledger import (
    account_balance,
    booked,
    difference,
    lock_user,
    post,
    transaction_count,
)
from aggregator.affiliate.split import Beneficiaries, Rates, split
from aggregator.models import Conversion

Leg = tuple[int | None, str, str]


def beneficiaries(session: Session, sharer_id: int | None) -> Beneficiaries:
    """The sharer, their inviter and the inviter's inviter."""
    if sharer_id is None:
        return Beneficiaries(None)
    return Beneficiaries(sharer_id, *inviter_chain(session, user_id=sharer_id))


def accrual_legs(commission: int, to: Beneficiaries, rates: Rates) -> dict[Leg, int]:
    if not commission:
        return {}
    legs: dict[Leg, int] = {(None, "network", "network"): -commission}
    for (role, user_id), amount in split(commission, to=to, rates=rates).items():
        legs[(user_id, "platform" if user_id is None else "pending", role)] = amount
    return legs


def _book(session: Session, conv: Conversion, kind: str, legs: dict[Leg, int],
          now: datetime) -> None:
    seq = transaction_count(session, conversion_id=conv.id) + 1
    post(session, key=f"conversion:{conv.id}:{seq}", kind=kind, currency=conv.currency,
         legs=legs, now=now, conversion_id=conv.id)


def sync_conversion(session: Session, *, conversion: Conversion, now: datetime,
                    rates: Rates, hold: timedelta) -> None:
    conv = conversion
    have = booked(session, conversion_id=conv.id)
    if conv.status == "reversed":
        _reverse(session, conv, have, now)
        return
    if conv.released_at is not None:
        return  # released: later changes to the commission are not re-split
    want = accrual_legs(conv.commission_amount, beneficiaries(session, conv.user_id), rates)
    legs = difference(have, want)
    if legs:
        _book(session, conv, "accrual" if not have else "adjustment", legs, now)
    due = conv.confirmed_at is not None and conv.confirmed_at + hold <= now
    if conv.status == "confirmed" and due:
        _release(session, conv, want, now)


def _release(session: Session, conv: Conversion, held: dict[Leg, int], now: datetime) -> None:
    legs: dict[Leg, int] = {}
    for (user_id, account, role), amount in held.items():
        if user_id is not None and account == "pending":
            legs[(user_id, "pending", role)] = -amount
            legs[(user_id, "available", role)] = amount
    if legs:
        _book(session, conv, "release", legs, now)
    conv.released_at = now
    for user_id in sorted({k[0] for k in legs if k[0] is not None}):
        _repay_debt(session, conv, user_id, now)


def _repay_debt(session: Session, conv: Conversion, user_id: int, now: datetime) -> None:
    lock_user(session, user_id)
    owed = -account_balance(session, user_id=user_id, account="owed", currency=conv.currency)
    if owed <= 0:
        return
    available = account_balance(session, user_id=user_id, account="available",
                                currency=conv.currency)
    amount = min(owed, available)
    if amount > 0:
        _book(session, conv, "repayment", {(user_id, "available", "repayment"): -amount,
                                           (user_id, "owed", "repayment"): amount}, now)


def _reverse(session: Session, conv: Conversion, have: dict[Leg, int], now: datetime) -> None:
    """Take back what this conversion still gives anyone; never below zero."""
    outstanding = {k: v for k, v in have.items() if v}
    if not outstanding:
        return
    users = {k: v for k, v in outstanding.items() if k[0] is not None}
    if conv.released_at is None:
        _book(session, conv, "reversal", difference(outstanding, {}), now)
        return
    if sum(users.values()) <= 0:
        return  # already clawed back
    legs = {k: -v for k, v in outstanding.items() if k[0] is None}
    for (user_id, account, role), amount in sorted(users.items(), key=lambda kv: kv[0][0] or 0):
        if account != "available" or amount <= 0:
            continue
        lock_user(session, user_id)  # type: ignore[arg-type]
        free = account_balance(session, user_id=user_id,  # type: ignore[arg-type]
                               account="available", currency=conv.currency)
        taken = max(0, min(amount, free))
        legs[(user_id, "available", role)] = -taken
        legs[(user_id, "owed", role)] = legs.get((user_id, "owed", role), 0) - (amount - taken)
    _book(session, conv, "clawback", legs, now)
