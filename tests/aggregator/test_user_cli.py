"""`daogou user create`: the first admin and demo users from the command line."""

from __future__ import annotations

from sqlalchemy import Engine, select
from typer.testing import CliRunner

from aggregator.accounts import authenticate
from aggregator.cli.main import app
from aggregator.db import session_scope
from aggregator.models import User

RUNNER = CliRunner()


def test_create_an_admin_and_an_invited_user(committed: Engine) -> None:
    made = RUNNER.invoke(app, ["user", "create", "--email", "Boss@Example.com",
                               "--password", "a long admin pass", "--nickname", "老板",
                               "--admin"])
    assert made.exit_code == 0, made.output
    assert "created admin #" in made.output and "boss@example.com" in made.output
    with session_scope(committed) as session:
        boss = authenticate(session, email="boss@example.com", password="a long admin pass")
        assert boss.is_admin and boss.nickname == "老板"
        code = boss.invite_code

    # No --password: asked for twice, hidden (kept out of the shell history).
    invited = RUNNER.invoke(app, ["user", "create", "--email", "sharer@example.com",
                                  "--invite-code", code],
                            input="sharer password\nsharer password\n")
    assert invited.exit_code == 0, invited.output
    with session_scope(committed) as session:
        sharer = session.scalar(select(User).where(User.email == "sharer@example.com"))
        assert sharer is not None and not sharer.is_admin
        assert sharer.invited_by_id == boss.id


def test_bad_input_exits_non_zero_with_the_reason(committed: Engine) -> None:
    weak = RUNNER.invoke(app, ["user", "create", "--email", "x@example.com",
                               "--password", "short"])
    assert weak.exit_code == 1
    assert "at least 8 characters" in weak.output
    bad = RUNNER.invoke(app, ["user", "create", "--email", "not-an-email",
                              "--password", "long enough pass"])
    assert bad.exit_code == 1 and "not a valid e-mail address" in bad.output
    with session_scope(committed) as session:
        assert session.scalars(select(User)).all() == []
