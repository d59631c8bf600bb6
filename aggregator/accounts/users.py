"""Creating accounts and checking passwords."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from aggregator.accounts import passwords
from aggregator.accounts.errors import AccountError, AuthenticationError
from aggregator.accounts.validation import (
    INVITE_ALPHABET,
    INVITE_CODE_LEN,
    PASSWORD_MAX,
    check_password,
    clean_nickname,
    could_be_invite_code,
    lookup_email,
    normalize_email,
    normalize_invite_code,
)
from aggregator.models import User

_CODE_TRIES = 8


def get_user_by_email(session: Session, *, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == lookup_email(email)))


def find_inviter(session: Session, *, invite_code: str | None) -> User | None:
    code = normalize_invite_code(invite_code)
    if code is None:
        return None
    inviter = (session.scalar(select(User).where(User.invite_code == code))
               if could_be_invite_code(code) else None)
    if inviter is None or not inviter.is_active:
        raise AccountError("invite_code_unknown", "There is no account with this invite code.",
                           field="invite_code")
    return inviter


def _new_invite_code(session: Session) -> str:
    # 31^8 ≈ 8.5e11 codes: a clash is rare; the unique index settles any race.
    for _ in range(_CODE_TRIES):
        code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_CODE_LEN))
        if session.scalar(select(func.count()).where(User.invite_code == code)) == 0:
            return code
    raise RuntimeError("could not find a free invite code")


def _email_taken() -> AccountError:
    return AccountError("email_taken", "An account with this e-mail address already exists.",
                        field="email")


def create_user(session: Session, *, email: str, password: str, nickname: str | None = None,
                invite_code: str | None = None, is_admin: bool = False,
                now: datetime) -> User:
    """Validate and add a user. Raises AccountError (with ``field``) for bad input."""
    address = normalize_email(email)
    check_password(password, email=address)
    name = clean_nickname(nickname)
    inviter = find_inviter(session, invite_code=invite_code)
    if get_user_by_email(session, email=address) is not None:
        raise _email_taken()
    code = _new_invite_code(session)
    user = User(email=address, password_hash=passwords.hash_password(password),
                nickname=name or f"user-{code[:4].lower()}", invite_code=code,
                invited_by_id=inviter.id if inviter else None, is_admin=is_admin,
                is_active=True, created_at=now)
    try:
        with session.begin_nested():  # a concurrent sign-up with the same address
            session.add(user)
    except IntegrityError:
        if get_user_by_email(session, email=address) is None:
            raise  # not the e-mail: an invite-code clash, as rare as it gets
        raise _email_taken() from None
    return user


def register(session: Session, *, email: str, password: str, nickname: str | None = None,
             invite_code: str | None = None, now: datetime) -> User:
    """A visitor signs up (never an admin); ``invite_code`` is their inviter's code."""
    return create_user(session, email=email, password=password, nickname=nickname,
                       invite_code=invite_code, now=now)


def authenticate(session: Session, *, email: str, password: str) -> User:
    """The active user with this e-mail and password; raises AuthenticationError.

    Unknown addresses cost one argon2 verification too, so timing does not reveal
    which addresses have accounts. A hash made with an older cost is replaced.
    """
    user = get_user_by_email(session, email=email) if len(password) <= PASSWORD_MAX else None
    if user is None:
        passwords.waste_time(password[:PASSWORD_MAX])
        raise AuthenticationError()
    if not passwords.verify_password(user.password_hash, password):
        raise AuthenticationError()
    if not user.is_active:
        raise AccountError("account_disabled", "This account has been disabled.")
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def set_password(session: Session, *, user: User, password: str) -> None:
    check_password(password, email=user.email)
    user.password_hash = passwords.hash_password(password)
    session.flush()
