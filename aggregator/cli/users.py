"""`daogou user …`: accounts from the command line (the first admin, demo users)."""

from __future__ import annotations

import secrets

import typer
from rich.console import Console
from sqlalchemy import select

from aggregator import migrate as migrations
from aggregator.accounts import AccountError, create_user
from aggregator.accounts.passwords import hash_password
from aggregator.db import get_engine, session_scope
from aggregator.models import User
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


DEMO_EMAIL = "demo@example.com"  # a reserved domain: no mail ever leaves for it


def demo_sharer() -> str:
    """The demo's sharer account, with a fresh random password each start, as a line to
    print (the demo serves on loopback; nothing here is a fixed credential)."""
    password = secrets.token_urlsafe(12)
    with session_scope(get_engine()) as session:
        user = session.scalar(select(User).where(User.email == DEMO_EMAIL))
        if user is None:
            create_user(session, email=DEMO_EMAIL, password=password, nickname="小导",
                        now=utcnow())
        else:
            user.password_hash = hash_password(password)
    return (f"Sharer login: [bold]{DEMO_EMAIL}[/] / [bold]{password}[/]. Open a deal, press "
            "“分享赚”, open the /go link, buy in the sandbox: the order shows under “我的收益”.")
