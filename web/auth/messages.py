"""Account errors in the visitor's language.

aggregator.accounts raises errors with a stable ``code`` and English text; pages show
the translated text for the code (the JSON API keeps the English ``message``).
"""

from __future__ import annotations

from aggregator.accounts import AccountError
from aggregator.accounts.validation import NICKNAME_MAX, PASSWORD_MAX, PASSWORD_MIN
from web.i18n import LazyText, lazy_gettext

_MESSAGES = {
    "email_required": lazy_gettext("Enter your e-mail address."),
    "email_invalid": lazy_gettext("This is not a valid e-mail address."),
    "email_taken": lazy_gettext("An account with this e-mail address already exists."),
    "password_too_short": lazy_gettext(
        "Use at least %(min)s characters for the password.", min=PASSWORD_MIN),
    "password_too_long": lazy_gettext(
        "Use at most %(max)s characters for the password.", max=PASSWORD_MAX),
    "password_too_common": lazy_gettext(
        "This password is too easy to guess. Choose another one."),
    "nickname_invalid": lazy_gettext("The nickname contains invalid characters."),
    "nickname_too_long": lazy_gettext(
        "Use at most %(max)s characters for the nickname.", max=NICKNAME_MAX),
    "invite_code_unknown": lazy_gettext("There is no account with this invite code."),
    "invalid_credentials": lazy_gettext("Wrong e-mail address or password."),
    "account_disabled": lazy_gettext("This account has been disabled."),
    "invalid_token": lazy_gettext(
        "This link is invalid, has expired or has already been used. "
        "Ask for a new one below."),
}


def account_message(error: AccountError) -> LazyText:
    return _MESSAGES.get(error.code) or lazy_gettext("Please check what you entered.")


def too_many_attempts(retry_after: int) -> LazyText:
    minutes = max(1, (retry_after + 59) // 60)
    return lazy_gettext("Too many attempts. Please try again in %(minutes)s minutes.",
                        minutes=minutes)
