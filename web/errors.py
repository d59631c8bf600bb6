"""Error responses: JSON under /api/, friendly HTML pages everywhere else.

Every API error has one shape, ``{"error": {"code", "message", "details"?}}``, so app
clients parse failures the same way they parse anything else.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from aggregator.catalog import CursorError
from web.i18n import lazy_gettext
from web.schemas import ErrorBody, ErrorResponse
from web.templating import templates

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 422: "validation_error",
          429: "rate_limited", 503: "service_unavailable"}
# Shown on HTML pages in the shopper's language (LazyText: translated when rendered).
_PAGE_MESSAGES = {
    404: lazy_gettext("This page does not exist, or the product is no longer on sale."),
    500: lazy_gettext("Something went wrong on our side. Please try again later."),
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def api_error(status: int, code: str, message: str,
              details: list[dict[str, Any]] | None = None,
              headers: Mapping[str, str] | None = None) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(code=code, message=message, details=details))
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


def error_page(request: Request, status: int, message: str | None = None,
               headers: Mapping[str, str] | None = None) -> Response:
    name = {404: "404.html", 500: "500.html"}.get(status, "error.html")
    context = {"status": status, "title": HTTPStatus(status).phrase,
               "message": message or _PAGE_MESSAGES.get(
                   status, lazy_gettext("This request could not be handled."))}
    return templates.TemplateResponse(request, name, context, status_code=status,
                                      headers=headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    if wants_json(request):
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
        return api_error(status, _CODES.get(status, "http_error"), message,
                         headers=exc.headers)
    # Starlette's own messages ("Not Found") are English; ours are passed as str details.
    page_message = (exc.detail if status in (400, 403) and isinstance(exc.detail, str)
                    else None)  # 403: e.g. web.auth.csrf explains an expired form
    return error_page(request, status, page_message, headers=exc.headers)


def _error_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Only JSON-safe parts: ctx may carry exception objects.
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")),
             "type": str(e.get("type", ""))} for e in exc.errors()]


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if wants_json(request):
        return api_error(422, "validation_error", "Invalid request parameters.",
                         details=_error_details(exc))
    return error_page(request, 400, lazy_gettext(
        "Some request parameters are not valid. Please check the filters."))


async def _cursor_error(request: Request, exc: Exception) -> Response:
    if wants_json(request):
        return api_error(400, "bad_cursor", f"Invalid cursor: {exc}.")
    return error_page(request, 400, lazy_gettext(
        "This page link has expired. Please start again from the first page."))


async def _server_error(request: Request, exc: Exception) -> Response:
    # Starlette re-raises after this response is sent, so the server still logs it.
    if wants_json(request):
        return api_error(500, "internal_error", "Internal server error.")
    try:
        return error_page(request, 500)
    except Exception:
        log.exception("rendering the 500 page failed")
        return HTMLResponse("<h1>500</h1>", status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(CursorError, _cursor_error)
    app.add_exception_handler(Exception, _server_error)
