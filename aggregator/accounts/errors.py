"""Account errors: a stable code for programs, an English message for people.

The web layer shows its own translated text per ``code``; the CLI and the JSON API show
``message``. ``field`` names the input at fault, so a form can put the message beside it.
"""

from __future__ import annotations


class AccountError(ValueError):
    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class AuthenticationError(AccountError):
    """Wrong e-mail or password: one message for both, so it never says which."""

    def __init__(self) -> None:
        super().__init__("invalid_credentials", "Wrong e-mail address or password.")


class InvalidToken(AccountError):
    """An unknown, expired or already used secret (reset link, token)."""

    def __init__(self, message: str = "This link is invalid or has expired.") -> None:
        super().__init__("invalid_token", message)


class TooManyAttempts(AccountError):
    """Rate-limited: ``retry_after`` seconds until the next attempt may succeed."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("rate_limited", "Too many attempts. Please try again later.")
        self.retry_after = retry_after
