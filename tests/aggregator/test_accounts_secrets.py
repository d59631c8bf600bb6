"""Sessions (rotated at login), API tokens and one-time reset links: stored hashed,
expiring, and gone when they should be."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from aggregator.accounts import (
    AccountError,
    InvalidToken,
    authenticate,
    check_reset_token,
    create_api_token,
    csrf_token_for,
    end_all_sessions,
    end_session,
    register,
    request_password_reset,
    reset_password,
    resolve_api_token,
    resolve_session,
    revoke_api_token,
    start_session,
)
from aggregator.accounts.secret_store import purge_expired_secrets, secret_hash
from aggregator.db import session_scope
from aggregator.models import AuthSecret, User
from tests.conftest import FIXED_NOW

PASSWORD = "correct horse battery"


@pytest.fixture
def user(session: Session, now: datetime) -> User:
    row = register(session, email="owner@example.com", password=PASSWORD, now=now)
    session.flush()
    return row


def secrets_of(session: Session, user: User, kind: str) -> int:
    return session.scalar(select(func.count()).select_from(AuthSecret).where(
        AuthSecret.user_id == user.id, AuthSecret.kind == kind)) or 0


def test_a_session_is_stored_as_a_hash_with_its_csrf_token(session: Session, user: User,
                                                           now: datetime) -> None:
    new = start_session(session, user=user, now=now)
    row = session.get(AuthSecret, secret_hash(new.secret))
    assert row is not None and row.kind == "session"
    assert new.secret not in {row.secret_hash, row.csrf_token}
    assert row.csrf_token == new.csrf_token == csrf_token_for(new.secret)
    assert row.expires_at == now + timedelta(days=30) == new.expires_at
    assert user.last_login_at == now
    found = resolve_session(session, secret=new.secret, now=now + timedelta(days=29))
    assert found is not None and found[1] is user


@pytest.mark.parametrize("secret", [None, "", "made-up", "x" * 5000, "\x00", "é"])
def test_unknown_session_secrets(session: Session, user: User, now: datetime,
                                 secret: str | None) -> None:
    start_session(session, user=user, now=now)
    assert resolve_session(session, secret=secret, now=now) is None


def test_login_rotates_the_browsers_session(session: Session, user: User, now: datetime) -> None:
    first = start_session(session, user=user, now=now)
    second = start_session(session, user=user, now=now, previous_secret=first.secret)
    assert second.secret != first.secret and second.csrf_token != first.csrf_token
    assert resolve_session(session, secret=first.secret, now=now) is None
    assert resolve_session(session, secret=second.secret, now=now) is not None
    assert secrets_of(session, user, "session") == 1


def test_another_browsers_session_survives_a_login(session: Session, user: User,
                                                   now: datetime) -> None:
    phone = start_session(session, user=user, now=now)
    start_session(session, user=user, now=now)  # a laptop without a cookie
    assert resolve_session(session, secret=phone.secret, now=now) is not None


def test_sessions_expire_and_login_prunes_dead_ones(session: Session, user: User,
                                                    now: datetime) -> None:
    old = start_session(session, user=user, now=now)
    later = now + timedelta(days=30)
    assert resolve_session(session, secret=old.secret, now=later) is None
    start_session(session, user=user, now=later)
    assert session.get(AuthSecret, secret_hash(old.secret)) is None


def test_last_seen_is_written_at_most_hourly(session: Session, user: User, now: datetime) -> None:
    new = start_session(session, user=user, now=now)
    row = session.get(AuthSecret, secret_hash(new.secret))
    assert row is not None
    resolve_session(session, secret=new.secret, now=now + timedelta(minutes=30))
    assert row.used_at == now
    resolve_session(session, secret=new.secret, now=now + timedelta(minutes=61))
    assert row.used_at == now + timedelta(minutes=61)


def test_logout_and_disabled_users(session: Session, user: User, now: datetime) -> None:
    a = start_session(session, user=user, now=now)
    b = start_session(session, user=user, now=now)
    assert end_session(session, secret=a.secret) is True
    assert end_session(session, secret=a.secret) is False
    assert resolve_session(session, secret=a.secret, now=now) is None
    user.is_active = False
    assert resolve_session(session, secret=b.secret, now=now) is None
    assert end_all_sessions(session, user_id=user.id) == 1


def test_api_tokens(session: Session, user: User, now: datetime) -> None:
    token = create_api_token(session, user=user, now=now)
    assert token.token.startswith("dg_") and token.expires_at == now + timedelta(days=365)
    assert session.get(AuthSecret, secret_hash(token.token)) is not None
    assert resolve_api_token(session, token=token.token, now=now) is user
    assert resolve_api_token(session, token=token.token, now=token.expires_at) is None
    assert resolve_api_token(session, token="dg_guess", now=now) is None
    assert resolve_api_token(session, token=token.token[3:], now=now) is None
    # A session cookie is not an API token, nor the other way round.
    cookie = start_session(session, user=user, now=now)
    assert resolve_api_token(session, token="dg_" + cookie.secret, now=now) is None
    assert resolve_session(session, secret=token.token, now=now) is None
    assert revoke_api_token(session, token=token.token) is True
    assert resolve_api_token(session, token=token.token, now=now) is None


def test_reset_links_work_once(session: Session, user: User, now: datetime) -> None:
    assert request_password_reset(session, email="nobody@example.com", now=now) is None
    reset = request_password_reset(session, email=" OWNER@example.com", now=now)
    assert reset is not None and reset.user is user
    assert reset.expires_at == now + timedelta(minutes=60)
    assert session.get(AuthSecret, secret_hash(reset.token)) is not None
    phone = start_session(session, user=user, now=now)
    app = create_api_token(session, user=user, now=now)
    assert check_reset_token(session, token=reset.token, now=now) is user

    reset_password(session, token=reset.token, password="a brand new secret", now=now)
    assert authenticate(session, email="owner@example.com", password="a brand new secret")
    with pytest.raises(InvalidToken):
        reset_password(session, token=reset.token, password="yet another one", now=now)
    # Everyone who knew the old password is logged out, browsers and apps alike.
    assert resolve_session(session, secret=phone.secret, now=now) is None
    assert resolve_api_token(session, token=app.token, now=now) is None


def test_a_bad_password_does_not_spend_the_link(session: Session, user: User,
                                                now: datetime) -> None:
    reset = request_password_reset(session, email="owner@example.com", now=now)
    assert reset is not None
    with pytest.raises(AccountError) as caught:
        reset_password(session, token=reset.token, password="short", now=now)
    assert caught.value.code == "password_too_short"
    reset_password(session, token=reset.token, password="a brand new secret", now=now)


def test_reset_links_expire(session: Session, user: User, now: datetime) -> None:
    reset = request_password_reset(session, email="owner@example.com", now=now)
    assert reset is not None
    with pytest.raises(InvalidToken):
        check_reset_token(session, token=reset.token, now=now + timedelta(minutes=60))
    with pytest.raises(InvalidToken):
        reset_password(session, token=reset.token, password="a brand new secret",
                       now=now + timedelta(hours=2))
    with pytest.raises(InvalidToken):
        check_reset_token(session, token="forged", now=now)


def test_no_reset_for_a_disabled_account(session: Session, user: User, now: datetime) -> None:
    user.is_active = False
    assert request_password_reset(session, email="owner@example.com", now=now) is None


def test_purge_expired_secrets(session: Session, user: User, now: datetime) -> None:
    live = start_session(session, user=user, now=now)
    create_api_token(session, user=user, now=now - timedelta(days=366))
    assert purge_expired_secrets(session, now=now) == 1
    assert resolve_session(session, secret=live.secret, now=now) is not None


def test_concurrent_use_of_one_reset_link_succeeds_once(committed: Engine) -> None:
    with session_scope(committed) as session:
        owner = register(session, email="race@example.com", password=PASSWORD, now=FIXED_NOW)
        session.flush()
        reset = request_password_reset(session, email=owner.email, now=FIXED_NOW)
        assert reset is not None

    def attempt(n: int) -> str:
        try:
            with session_scope(committed) as session:
                reset_password(session, token=reset.token, password=f"new password {n}",
                               now=FIXED_NOW)
            return "ok"
        except InvalidToken:
            return "invalid"
        except Exception as exc:  # SQLite "database is locked" would be a failure too
            return f"error: {exc}"

    with ThreadPoolExecutor(4) as pool:
        outcomes = sorted(pool.map(attempt, range(4)))
    assert outcomes == ["invalid", "invalid", "invalid", "ok"]
