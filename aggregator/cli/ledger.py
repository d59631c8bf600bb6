"""``daogou ledger``: the commission ledger from the command line."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from aggregator.affiliate.conversions import release_due
from aggregator.db import get_engine, session_scope
from aggregator.models import LedgerEntry
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
