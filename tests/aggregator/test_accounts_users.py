"""Accounts: input rules, sign-up with invite codes, passwords (argon2id), invitees."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from aggregator.accounts import (
    AccountError,
    AuthenticationError,
    InviteCounts,
    authenticate,
    create_user,
    invite_counts,
    inviter_chain,
    level1_invitees,
    level2_invitees,
    passwords,
    register,
)
from aggregator.accounts.validation import (
    INVITE_ALPHABET,
    check_password,
    clean_nickname,
    normalize_email,
)
from aggregator.models import User
from aggregator.settings import get_settings

PASSWORD = "correct horse battery"


def make(session: Session, now: datetime, email: str, **kw: object) -> User:
    user = register(session, email=email, password=PASSWORD, now=now, **kw)  # type: ignore[arg-type]
    session.flush()
    return user


@pytest.mark.parametrize(("raw", "expected"), [
    ("Someone@Example.COM", "someone@example.com"),
    ("  trimmed@example.com ", "trimmed@example.com"),
    ("张三@例子.中国", "张三@例子.中国"),
])
def test_valid_emails_are_lower_cased(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(("raw", "code"), [
    ("", "email_required"),
    ("   ", "email_required"),
    ("no-at-sign", "email_invalid"),
    ("two@@example.com", "email_invalid"),
    ("a..b@example.com", "email_invalid"),
    ("nul\x00@example.com", "email_invalid"),
    ("someone@localhost", "email_invalid"),
    ("x" * 250 + "@example.com", "email_invalid"),
])
def test_invalid_emails(raw: str, code: str) -> None:
    with pytest.raises(AccountError) as caught:
        normalize_email(raw)
    assert (caught.value.code, caught.value.field) == (code, "email")


@pytest.mark.parametrize(("password", "code"), [
    ("short", "password_too_short"),
    ("1234567", "password_too_short"),
    ("x" * 129, "password_too_long"),
    ("password", "password_too_common"),
    ("PASSWORD1", "password_too_common"),
    ("12345678", "password_too_common"),
    ("aaaaaaaaaaaa", "password_too_common"),
    ("someone@example.com", "password_too_common"),
    ("SOMEONE", "password_too_short"),
])
def test_weak_passwords(password: str, code: str) -> None:
    with pytest.raises(AccountError) as caught:
        check_password(password, email="someone@example.com")
    assert (caught.value.code, caught.value.field) == (code, "password")


@pytest.mark.parametrize("password",
                         ["someone-else", "日本語のパスワード", "xy" * 64, "tab\tand space"])
def test_good_passwords(password: str) -> None:
    check_password(password, email="someone@example.com")


@pytest.mark.parametrize(("raw", "expected"), [
    (None, None), ("", None), ("   ", None), ("  小  明  ", "小 明"), ("Ann", "Ann"),
])
def test_nicknames(raw: str | None, expected: str | None) -> None:
    assert clean_nickname(raw) == expected


@pytest.mark.parametrize(("raw", "code"), [
    ("bell\x07", "nickname_invalid"), ("nul\x00", "nickname_invalid"),
    ("长" * 41, "nickname_too_long"),
])
def test_bad_nicknames(raw: str, code: str) -> None:
    with pytest.raises(AccountError) as caught:
        clean_nickname(raw)
    assert caught.value.code == code


def test_register_stores_a_hash_and_a_fresh_invite_code(session: Session, now: datetime) -> None:
    user = make(session, now, "New@Example.com", nickname="小明")
    other = make(session, now, "other@example.com")
    assert user.email == "new@example.com" and user.nickname == "小明"
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert len(user.invite_code) == 8 and set(user.invite_code) <= set(INVITE_ALPHABET)
    assert other.invite_code != user.invite_code
    assert other.nickname.startswith("user-")  # made up, never the e-mail's local part
    assert not user.is_admin and user.is_active and user.invited_by_id is None


def test_the_same_address_twice_in_any_case(session: Session, now: datetime) -> None:
    make(session, now, "twice@example.com")
    with pytest.raises(AccountError) as caught:
        make(session, now, "TWICE@example.com")
    assert (caught.value.code, caught.value.field) == ("email_taken", "email")


def test_invite_codes_link_two_levels(session: Session, now: datetime) -> None:
    top = make(session, now, "top@example.com")
    middle = make(session, now, "middle@example.com", invite_code=top.invite_code.lower())
    low = make(session, now + timedelta(seconds=1), "low@example.com",
               invite_code=f" {middle.invite_code} ")
    low2 = make(session, now + timedelta(seconds=2), "low2@example.com",
                invite_code=middle.invite_code)
    assert middle.invited_by_id == top.id and low.invited_by_id == middle.id

    assert [u.id for u in level1_invitees(session, user_id=top.id)] == [middle.id]
    assert [u.id for u in level1_invitees(session, user_id=middle.id)] == [low2.id, low.id]
    pairs = level2_invitees(session, user_id=top.id)
    assert [(u.id, via.id) for u, via in pairs] == [(low2.id, middle.id), (low.id, middle.id)]
    assert level2_invitees(session, user_id=middle.id) == []
    assert invite_counts(session, user_id=top.id) == InviteCounts(level1=1, level2=2)
    assert invite_counts(session, user_id=low.id) == InviteCounts(level1=0, level2=0)
    assert inviter_chain(session, user_id=low.id) == (middle.id, top.id)
    assert inviter_chain(session, user_id=middle.id) == (top.id, None)
    assert inviter_chain(session, user_id=top.id) == (None, None)


@pytest.mark.parametrize("code", ["NOPE2345", "short", "x\x00", "Ü" * 8, "!" * 100])
def test_unknown_invite_codes(session: Session, now: datetime, code: str) -> None:
    with pytest.raises(AccountError) as caught:
        make(session, now, "invited@example.com", invite_code=code)
    assert (caught.value.code, caught.value.field) == ("invite_code_unknown", "invite_code")


def test_a_disabled_inviters_code_is_unknown(session: Session, now: datetime) -> None:
    inviter = make(session, now, "gone@example.com")
    inviter.is_active = False
    with pytest.raises(AccountError, match="invite code"):
        make(session, now, "late@example.com", invite_code=inviter.invite_code)


def test_create_user_makes_admins(session: Session, now: datetime) -> None:
    admin = create_user(session, email="boss@example.com", password=PASSWORD, is_admin=True,
                        now=now)
    assert admin.is_admin


@pytest.mark.parametrize(("email", "password"), [
    ("known@example.com", "wrong password"),
    ("unknown@example.com", PASSWORD),
    ("known@example.com", "x" * 5000),
    ("", ""),
])
def test_authentication_failures_say_the_same(session: Session, now: datetime, email: str,
                                              password: str) -> None:
    make(session, now, "known@example.com")
    with pytest.raises(AuthenticationError) as caught:
        authenticate(session, email=email, password=password)
    assert caught.value.code == "invalid_credentials"


def test_authenticate_ignores_case_and_spaces(session: Session, now: datetime) -> None:
    user = make(session, now, "case@example.com")
    assert authenticate(session, email="  CASE@Example.com ", password=PASSWORD) is user


def test_a_disabled_account_cannot_log_in(session: Session, now: datetime) -> None:
    user = make(session, now, "off@example.com")
    user.is_active = False
    with pytest.raises(AccountError) as caught:
        authenticate(session, email="off@example.com", password=PASSWORD)
    assert caught.value.code == "account_disabled"


def test_an_unknown_email_costs_a_hash_too(monkeypatch: pytest.MonkeyPatch,
                                          session: Session) -> None:
    wasted: list[str] = []
    monkeypatch.setattr(passwords, "waste_time", wasted.append)
    with pytest.raises(AuthenticationError):
        authenticate(session, email="nobody@example.com", password="guess")
    assert wasted == ["guess"]


@pytest.fixture
def production_cost(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The settings' default argon2 cost (tests/conftest.py lowers it for speed)."""
    monkeypatch.delenv("DAOGOU_PASSWORD_TIME_COST", raising=False)
    monkeypatch.delenv("DAOGOU_PASSWORD_MEMORY_KIB", raising=False)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_a_login_upgrades_an_old_hash(session: Session, now: datetime,
                                      production_cost: None) -> None:
    user = make(session, now, "old@example.com")
    cheap = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    user.password_hash = cheap.hash(PASSWORD)
    assert passwords.needs_rehash(user.password_hash)

    authenticate(session, email="old@example.com", password=PASSWORD)
    assert not passwords.needs_rehash(user.password_hash)
    assert "m=19456,t=2,p=1" in user.password_hash
    assert passwords.verify_password(user.password_hash, PASSWORD)


def test_a_broken_stored_hash_fails_without_error(session: Session, now: datetime) -> None:
    user = make(session, now, "broken@example.com")
    user.password_hash = "not-a-hash"
    with pytest.raises(AuthenticationError):
        authenticate(session, email="broken@example.com", password=PASSWORD)
