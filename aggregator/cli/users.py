"""`daogou user …`: accounts from the command line (the first admin, demo users)."""

from __future__ import annotations

import typer
from rich.console import Console

from aggregator import migrate as migrations
from aggregator.accounts import AccountError, create_user
from aggregator.db import get_engine, session_scope
from aggregator.timeutil import utcnow

app = typer.Typer(help="User accounts.", no_args_is_help=True)
console = Console()


@app.command()
def create(
    email: str = typer.Option(..., help="the login e-mail address"),
    password: str = typer.Option(..., prompt=True, hide_input=True,
                                 confirmation_prompt=True,
                                 help="asked for when not given (kept out of shell history)"),
    nickname: str | None = typer.Option(None, help="shown on shares; made up when not given"),
    admin: bool = typer.Option(False, "--admin", help="may use the admin pages"),
    invite_code: str | None = typer.Option(None, help="the inviter's invite code"),
) -> None:
    """Create a user account (an admin with --admin)."""
    migrations.upgrade(get_engine())
    try:
        with session_scope() as session:
            user = create_user(session, email=email, password=password, nickname=nickname,
                               invite_code=invite_code, is_admin=admin, now=utcnow())
            summary = (f"created {'admin' if admin else 'user'} #{user.id} {user.email} "
                       f"({user.nickname}), invite code {user.invite_code}")
    except AccountError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=1) from None
    console.print(summary)
