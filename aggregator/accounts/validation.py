"""What a valid e-mail, password, nickname and invite code look like. Pure functions."""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email

from aggregator.accounts.errors import AccountError

EMAIL_MAX = 254  # users.email; also the SMTP limit of a path
PASSWORD_MIN = 8
# argon2 takes any length, but hashing megabytes per request would be a cheap DoS.
PASSWORD_MAX = 128
NICKNAME_MAX = 40  # users.nickname
INVITE_CODE_LEN = 8
# No 0/O, 1/I/L: codes are read aloud and typed from posters.
INVITE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_SPACES = re.compile(r"\s+")
# The passwords guessed first (NIST 800-63B asks for a blocklist, not composition rules).
_COMMON_PASSWORDS = frozenset({
    "password", "password1", "password123", "passw0rd", "12345678", "123456789",
    "1234567890", "87654321", "11111111", "00000000", "88888888", "66666666", "12341234",
    "qwertyui", "qwertyuiop", "qwerty123", "asdfghjk", "1qaz2wsx", "abc12345", "abcd1234",
    "iloveyou", "aa123456", "a1234567", "woaini1314", "5201314520", "letmein1", "admin123",
    "football", "baseball", "sunshine", "princess", "welcome1", "zxcvbnm1", "daogou123",
})


def normalize_email(raw: str) -> str:
    """A syntactically valid address, lower-cased whole (users.email is unique on it).

    Deliverability (DNS) is not checked: the reset mail is the real test, and a lookup
    per sign-up would make registration as slow as the slowest resolver.
    """
    text = (raw or "").strip()
    if not text:
        raise AccountError("email_required", "Enter your e-mail address.", field="email")
    if len(text) > EMAIL_MAX:
        raise AccountError("email_invalid", "This e-mail address is too long.", field="email")
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise AccountError("email_invalid", "This is not a valid e-mail address.",
                           field="email") from None
    return checked.normalized.lower()


def lookup_email(raw: str) -> str:
    """The form of ``raw`` that users.email would hold, without validating it: logins and
    reset requests look addresses up rather than reject them."""
    # NUL cannot be stored or compared by PostgreSQL, and no address contains one.
    return (raw or "").replace("\x00", "").strip().lower()[:EMAIL_MAX]


def check_password(password: str, *, email: str | None = None) -> None:
    if len(password) < PASSWORD_MIN:
        raise AccountError("password_too_short",
                           f"Use at least {PASSWORD_MIN} characters for the password.",
                           field="password")
    if len(password) > PASSWORD_MAX:
        raise AccountError("password_too_long",
                           f"Use at most {PASSWORD_MAX} characters for the password.",
                           field="password")
    lowered = password.lower()
    if (lowered in _COMMON_PASSWORDS or len(set(password)) == 1
            or (email and lowered in (email.lower(), email.split("@")[0].lower()))):
        raise AccountError("password_too_common",
                           "This password is too easy to guess. Choose another one.",
                           field="password")


def clean_nickname(raw: str | None) -> str | None:
    """Spaces folded, control characters refused; None when left empty."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", raw or "")).strip()
    if not text:
        return None
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise AccountError("nickname_invalid", "The nickname contains invalid characters.",
                           field="nickname")
    if len(text) > NICKNAME_MAX:
        raise AccountError("nickname_too_long",
                           f"Use at most {NICKNAME_MAX} characters for the nickname.",
                           field="nickname")
    return text


def normalize_invite_code(raw: str | None) -> str | None:
    """Codes are case-insensitive; None when no code was given."""
    text = (raw or "").strip().upper()
    return text or None


def could_be_invite_code(code: str) -> bool:
    """Whether ``code`` is worth a lookup (and safe to send: NUL breaks PostgreSQL)."""
    return len(code) == INVITE_CODE_LEN and all(ch in INVITE_ALPHABET for ch in code)
