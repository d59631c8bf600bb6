"""Accounts: sign-up, passwords, login sessions, API tokens, reset links, rate limits,
invites. Services take the session first and keyword-only arguments and never commit.
"""

from aggregator.accounts.errors import (
    AccountError,
    AuthenticationError,
    InvalidToken,
    TooManyAttempts,
)
from aggregator.accounts.invites import (
    InviteCounts,
    invite_counts,
    inviter_chain,
    level1_invitees,
    level2_invitees,
)
from aggregator.accounts.resets import (
    ResetRequest,
    check_reset_token,
    request_password_reset,
    reset_password,
)
from aggregator.accounts.sessions import (
    NewSession,
    csrf_token_for,
    end_all_sessions,
    end_session,
    resolve_session,
    start_session,
)
from aggregator.accounts.throttled import allow_registration, allow_reset_request, log_in
from aggregator.accounts.tokens import (
    NewToken,
    create_api_token,
    resolve_api_token,
    revoke_api_token,
)
from aggregator.accounts.users import (
    authenticate,
    create_user,
    get_user_by_email,
    register,
    set_password,
)

__all__ = [
    "AccountError",
    "AuthenticationError",
    "InvalidToken",
    "InviteCounts",
    "NewSession",
    "NewToken",
    "ResetRequest",
    "TooManyAttempts",
    "allow_registration",
    "allow_reset_request",
    "authenticate",
    "check_reset_token",
    "create_api_token",
    "create_user",
    "csrf_token_for",
    "end_all_sessions",
    "end_session",
    "get_user_by_email",
    "invite_counts",
    "inviter_chain",
    "level1_invitees",
    "level2_invitees",
    "log_in",
    "register",
    "request_password_reset",
    "reset_password",
    "resolve_api_token",
    "resolve_session",
    "revoke_api_token",
    "set_password",
    "start_session",
]
