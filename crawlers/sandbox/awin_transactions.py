"""Sandbox Awin publisher API: ``GET /awin/publishers/{id}/transactions/``.

Query: ``startDate``, ``endDate`` (``YYYY-MM-DDTHH:MM:SS``, at most 31 days apart),
``timezone`` (the sandbox speaks ``UTC`` only), ``dateType`` (``transaction`` or
``validation``) and an optional ``status`` filter. Authentication is Awin's OAuth2 token,
as ``Authorization: Bearer …`` or ``?accessToken=…``. The answer is a bare JSON list;
errors are ``{"error", "description"}`` with a 4xx status. The ``fault=`` parameters
work as on every sandbox feed.
"""

from __future__ import annotations

import datetime as dt
import hmac

import orjson
from starlette.requests import Request
from starlette.responses import Response

from crawlers.sandbox.api import JSON_TYPE, Endpoint, malformed_page
from crawlers.sandbox.awin import PUBLISHER_ID
from crawlers.sandbox.faults import FaultBook
from crawlers.sandbox.order_apis import spoil_amount
from crawlers.sandbox.order_rows import AWIN_STATUS, AWIN_TIMES, awin_row
from crawlers.sandbox.orders import OrderBook

MAX_SPAN = dt.timedelta(days=31)


class AwinApiError(Exception):
    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status, self.error, self.description = status, error, description

    def response(self) -> Response:
        body = orjson.dumps({"error": self.error, "description": self.description})
        return Response(body, status_code=self.status, media_type=JSON_TYPE)


def _token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        return token.strip()
    return request.query_params.get("accessToken", "")


def _date(request: Request, name: str) -> dt.datetime:
    text = request.query_params.get(name, "")
    try:
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.UTC)
    except ValueError:
        raise AwinApiError(400, "bad request", f"{name} must be yyyy-MM-ddTHH:mm:ss") from None


def _check(request: Request, token: str) -> tuple[dt.datetime, dt.datetime, str]:
    if not token or not hmac.compare_digest(_token(request).encode(), token.encode()):
        raise AwinApiError(401, "unauthorized", "Invalid or missing access token")
    if request.path_params["publisher_id"] != PUBLISHER_ID:
        raise AwinApiError(403, "forbidden", "This token has no access to that publisher")
    start, end = _date(request, "startDate"), _date(request, "endDate")
    if not start <= end <= start + MAX_SPAN:
        raise AwinApiError(400, "bad request", "endDate must be within 31 days after startDate")
    if request.query_params.get("timezone", "UTC") != "UTC":
        raise AwinApiError(400, "bad request", "the sandbox answers in timezone=UTC only")
    date_type = request.query_params.get("dateType", "transaction")
    if date_type not in AWIN_TIMES:
        raise AwinApiError(400, "bad request", "dateType is transaction or validation")
    return start, end, AWIN_TIMES[date_type]


def transactions(book: OrderBook, faults: FaultBook, *, token: str) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        fault = faults.take(request.url.path, request.query_params)
        if (refusal := fault.refusal()) is not None:
            return refusal
        try:
            start, end, field = _check(request, token)
        except AwinApiError as error:
            return error.response()
        status = request.query_params.get("status", "")
        hits = [o for o in book.orders("awin")
                if (at := getattr(o, field)) is not None and start <= at <= end
                and status in ("", AWIN_STATUS[o.status])]
        hits.sort(key=lambda o: (getattr(o, field), o.serial))
        rows = [awin_row(o, publisher_id=PUBLISHER_ID) for o in hits]
        if fault.malformed:
            rows = malformed_page(rows, spoil_amount("commissionAmount"), ("amount",))
        return fault.respond(orjson.dumps(rows), media_type=JSON_TYPE)

    return endpoint
