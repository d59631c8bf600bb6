from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base, BigIntPK
from aggregator.timeutil import utcnow


class LedgerTransaction(Base):
    """One balanced movement of money. ``key`` names the event it books (a conversion's
    accrual, release or reversal; a withdrawal's request or payment): the unique key is
    what makes replays, reorders and concurrent reports book it once."""

    __tablename__ = "ledger_transactions"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    currency: Mapped[str] = mapped_column(String(3))
    conversion_id: Mapped[int | None] = mapped_column(ForeignKey("conversions.id"), index=True)
    withdrawal_id: Mapped[int | None] = mapped_column(ForeignKey("withdrawals.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerEntry(Base):
    """One leg of a transaction; the legs of a transaction sum to zero. Append-only.

    ``account`` is a user's bucket (``pending``, ``available``, ``withdrawing``, ``paid``,
    ``owed``) when ``user_id`` is set, else a platform account (``network``, ``platform``).
    """

    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index("ix_ledger_entries_user_id_account_currency", "user_id", "account", "currency"),
        CheckConstraint("amount <> 0", name="nonzero"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    account: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20))  # sharer | level1 | level2 | platform | network
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int]  # signed minor units
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Withdrawal(Base):
    """A sharer's request to be paid: requested -> approved -> paid, or -> rejected."""

    __tablename__ = "withdrawals"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), index=True, default="requested")
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(String(500))
