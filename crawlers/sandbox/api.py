"""Plumbing shared by the signed JSON gateways (Taobao TOP, Pinduoduo, JD Union).

All three take their parameters from the query string and a urlencoded body
alike, sign them with the same MD5 recipe, reject timestamps more than ten
minutes off and answer errors with HTTP 200 and an error envelope.
``json_gateway`` is the endpoint of the PDD and JD gateways, which differ only
in how they check a call and shape its answer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from crawlers.sandbox.faults import CONTROL_PARAMS, FaultBook, without_controls
from crawlers.sandbox.lazy import Lazy
from crawlers.sandbox.records import HOST_PLACEHOLDER, Spoil, spoil_some
from crawlers.signing import verify_md5_sign

UTC8 = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
JSON_TYPE = "application/json;charset=UTF-8"
TIMESTAMP_TOLERANCE = dt.timedelta(minutes=10)

# A Host header goes verbatim into JSON and URLs: accept only host[:port] characters.
_HOST_RE = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
_FALLBACK_HOST = "127.0.0.1"
_PLACEHOLDER = HOST_PLACEHOLDER.encode()

Clock = Callable[[], dt.datetime]
Endpoint = Callable[[Request], Awaitable[Response]]
Feed = TypeVar("Feed")
Query = TypeVar("Query")


def utc8_now() -> dt.datetime:
    return dt.datetime.now(UTC8)


def request_host(request: Request) -> str:
    """The Host the client used, so returned URLs point back at this server."""
    host = request.headers.get("host", "")
    return host if _HOST_RE.match(host) else _FALLBACK_HOST


def with_host(body: bytes, host: str) -> bytes:
    """``body`` with every ``{host}`` placeholder replaced by ``host``."""
    return body.replace(_PLACEHOLDER, host.encode())


async def gateway_params(request: Request) -> dict[str, str]:
    """Query parameters merged with a urlencoded POST body (the body wins).

    Undecodable bytes become U+FFFD, so such a request fails its signature check
    instead of crashing the endpoint.
    """
    params = dict(request.query_params)
    if request.method == "POST":
        body = (await request.body()).decode("utf-8", errors="replace")
        params.update(parse_qsl(body, keep_blank_values=True))
    return params


def signature_ok(params: Mapping[str, str], secret: str) -> bool:
    """The MD5 signature checks out, with or without the fault parameters.

    A spider signs whatever its feed_url carried, so ``fault=…`` may or may not
    be part of the signed set; both are accepted.
    """
    if verify_md5_sign(params, secret):
        return True
    return not CONTROL_PARAMS.isdisjoint(params) and verify_md5_sign(
        without_controls(params), secret
    )


def fresh_wall_clock(text: str, now: dt.datetime) -> bool:
    """``YYYY-MM-DD HH:MM:SS`` in UTC+8, within ten minutes of ``now``."""
    try:
        sent = dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC8)
    except ValueError:
        return False
    return abs(now - sent) <= TIMESTAMP_TOLERANCE


def fresh_epoch(text: str, now: dt.datetime) -> bool:
    """Unix seconds within ten minutes of ``now``."""
    if not text.isdigit():
        return False
    return abs(now.timestamp() - int(text)) <= TIMESTAMP_TOLERANCE.total_seconds()


def positive_int(raw: object) -> int | None:
    """``raw`` as an int >= 1 (from text or a JSON number), else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if raw >= 1 else None
    if isinstance(raw, str) and raw.isdigit() and int(raw) >= 1:
        return int(raw)
    return None


def bounded_int(params: Mapping[str, str], name: str, *, default: int, high: int) -> int | None:
    """``params[name]`` as an int in ``[1, high]``, ``default`` when absent or empty,
    None when it is anything else (each gateway words that error its own way)."""
    raw = params.get(name, "")
    if raw == "":
        return default
    value = positive_int(raw)
    return value if value is not None and value <= high else None


def page_slice(total: int, page: int, page_size: int) -> slice:
    start = min((page - 1) * page_size, total)
    return slice(start, min(start + page_size, total))


def malformed_page(
    records: list[dict[str, Any]], spoil: Spoil[dict[str, Any]], defects: tuple[str, ...]
) -> list[dict[str, Any]]:
    """A page for ``fault=malformed``: the third record and every fourth after it spoiled."""
    return spoil_some(records, spoil, defects, every=4, first=2)


class GatewayError(Exception):
    """A call the gateway refuses; ``body()`` is its error envelope (sent with HTTP 200)."""

    def body(self) -> bytes:
        raise NotImplementedError


def json_gateway(
    feed: Lazy[Feed],
    faults: FaultBook,
    *,
    page_of: Callable[[Mapping[str, str]], int | None],
    check: Callable[[Mapping[str, str], dt.datetime], Query],
    answer: Callable[[Feed, Query, bool], bytes],
    clock: Clock | None = None,
) -> Endpoint:
    """A signed JSON gateway endpoint.

    ``page_of`` finds the requested page before any check (for ``fault_page``);
    ``check(params, now)`` returns the query of a valid call or raises
    GatewayError; ``answer(feed, query, malformed)`` is the success body, with
    ``{host}`` placeholders that this endpoint fills in.
    """
    now = clock or utc8_now

    async def endpoint(request: Request) -> Response:
        params = await gateway_params(request)
        fault = faults.take(request.url.path, params, page=page_of(params))
        if (refusal := fault.refusal()) is not None:
            return refusal
        try:
            query = check(params, now())
        except GatewayError as error:
            return fault.respond(error.body(), media_type=JSON_TYPE)
        body = answer(await feed.aget(), query, fault.malformed)
        return fault.respond(with_host(body, request_host(request)), media_type=JSON_TYPE)

    return endpoint


def by_param(name: str, endpoints: Mapping[str, Endpoint], *, default: Endpoint) -> Endpoint:
    """One gateway URL serving several APIs, told apart by the ``name`` parameter (TOP's
    and JD's ``method``, PDD's ``type``); any other value goes to ``default``, which
    answers it with the gateway's own "invalid method" error."""

    async def endpoint(request: Request) -> Response:
        params = await gateway_params(request)  # Starlette keeps the body for the next read
        return await endpoints.get(params.get(name, ""), default)(request)

    return endpoint
