"""Rendering the account forms: typed values kept (never a password), messages beside
the field they concern, and no caching of pages that carry CSRF tokens.

Not imported by ``web.auth`` itself: it needs the template environment, which imports
``web.auth`` for its globals.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from aggregator.accounts import AccountError
from web.auth.messages import account_message
from web.i18n import LazyText
from web.templating import templates

NO_STORE = {"cache-control": "no-store"}


def render_form(request: Request, name: str, *, form: Mapping[str, Any],
                errors: Mapping[str, LazyText] | None = None,
                message: LazyText | None = None, notice: LazyText | None = None,
                status: int = 200, headers: Mapping[str, str] | None = None,
                **context: Any) -> Response:
    return templates.TemplateResponse(
        request, name,
        {"form": form, "errors": dict(errors or {}), "message": message, "notice": notice,
         **context},
        status_code=status, headers={**NO_STORE, **(headers or {})})


def error_context(error: AccountError) -> dict[str, Any]:
    """A field's error goes beside the field; any other above the form."""
    text = account_message(error)
    if error.field:
        return {"errors": {error.field: text}}
    return {"message": text}
