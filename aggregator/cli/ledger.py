"""``daogou ledger``: the commission ledger from the command line."""

from __future__ import annotations

from collections.abc import Callable

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aggregator.accounts import AccountError
from aggregator.accounts.validation import normalize_email
from aggregator.affiliate import withdrawals as withdrawals_service
from aggregator.affiliate.conversions import release_due
from aggregator.affiliate.withdrawals import WithdrawalError
from aggregator.db import get_engine, session_scope
from aggregator.models import LedgerEntry, User, Withdrawal
from aggregator.money import from_minor
from aggregator.timeutil import utcnow

app = typer.Typer(help="The commission ledger.", no_args_is_help=True)
console = Console()


@app.command()
def release() -> None:
    """Make confirmed commissions available once their hold has passed (run it hourly)."""
    with session_scope(get_engine()) as session:
        done = release_due(session, now=utcnow())
    console.print(f"released {done} commissions")


@app.command()
def totals() -> None:
    """Every account's balance per currency; the books balance when each column sums to 0."""
    table = Table("currency", "account", "balance")
    with session_scope(get_engine()) as session:
        rows = session.execute(
            select(LedgerEntry.currency, LedgerEntry.account, func.sum(LedgerEntry.amount))
            .group_by(LedgerEntry.currency, LedgerEntry.account)
            .order_by(LedgerEntry.currency, LedgerEntry.account)).all()
    for currency, account, total in rows:
        table.add_row(currency, account, str(from_minor(int(total), currency)))
    console.print(table)


def _admin_id(session: Session, email: str) -> int:
    try:
        address = normalize_email(email)
    except AccountError as exc:
        raise typer.BadParameter(f"{email}: {exc}") from exc
    admin = session.scalar(select(User).where(User.email == address))
    if admin is None or not admin.is_admin:
        raise typer.BadParameter(f"{email} is not an admin (daogou user create --admin)")
    return admin.id


@app.command()
def withdrawals(status: str = typer.Option("requested", help="requested|approved|paid|rejected")
                ) -> None:
    """Withdrawals waiting for a decision (or in another status)."""
    table = Table("id", "user", "amount", "asked", "status")
    with session_scope(get_engine()) as session:
        rows = session.execute(
            select(Withdrawal, User.email).join(User, User.id == Withdrawal.user_id)
            .where(Withdrawal.status == status).order_by(Withdrawal.id)).all()
        for row, email in rows:
            table.add_row(str(row.id), email, f"{from_minor(row.amount, row.currency)} "
                          f"{row.currency}", row.requested_at.isoformat(), row.status)
    console.print(table)


def _decide(action: Callable[..., Withdrawal], withdrawal_id: int, by: str,
            **extra: str | None) -> None:
    with session_scope(get_engine()) as session:
        try:
            row = action(session, withdrawal_id=withdrawal_id, admin_id=_admin_id(session, by),
                         now=utcnow(), **extra)
        except WithdrawalError as exc:
            console.print(f"[red]{exc}[/]")
            raise typer.Exit(code=1) from exc
        console.print(f"withdrawal {row.id}: {row.status}")


By = typer.Option(..., "--by", help="the deciding admin's e-mail")


@app.command()
def approve(withdrawal_id: int, by: str = By) -> None:
    """Approve a requested withdrawal."""
    _decide(withdrawals_service.approve, withdrawal_id, by)


@app.command()
def reject(withdrawal_id: int, by: str = By,
           note: str = typer.Option("", help="why, shown to the user")) -> None:
    """Reject a requested withdrawal: the amount is available again."""
    _decide(withdrawals_service.reject, withdrawal_id, by, note=note or None)


@app.command()
def paid(withdrawal_id: int, by: str = By) -> None:
    """Record that an approved withdrawal was paid out."""
    _decide(withdrawals_service.mark_paid, withdrawal_id, by)
