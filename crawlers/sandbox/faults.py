"""Faults asked for in the URL, so a test can make any sandbox feed misbehave.

Spiders keep the query string of their ``feed_url``, so pointing one at, say,
``/awin/promotions.csv?fault=503&fault_times=2`` exercises its retries without
any other set-up:

  fault=429        answer 429 Too Many Requests with ``Retry-After: 1``
  fault=503        answer 503 Service Unavailable
  fault=truncate   declare the full Content-Length, send about half the body, then
                   drop the connection (the client sees data loss)
  fault=cut        send about the first half of the body with a Content-Length that
                   matches it (a cleanly delivered but cut-off file or JSON)
  fault=malformed  answer normally, with malformed records or rows mixed in
  fault_times=N    only the first N matching requests are hit (counted per path,
                   fault and fault_page); later ones are answered normally
  fault_page=K     only requests for page K of a paged feed are hit (``page``,
                   ``pageIndex`` or ``page_no``); requests without a page are not

``POST /_faults/reset`` forgets the counts; ``GET /_faults`` shows them. An
unknown fault or a bad number is answered 400, so a typo in a test fails loudly.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

CONTROL_PARAMS = frozenset({"fault", "fault_times", "fault_page"})
RATE_LIMITED = "429"
UNAVAILABLE = "503"
TRUNCATE = "truncate"
CUT = "cut"
MALFORMED = "malformed"
INVALID = "invalid"  # a bad fault request: answered 400
KINDS = frozenset({RATE_LIMITED, UNAVAILABLE, TRUNCATE, CUT, MALFORMED})

CounterKey = tuple[str, str, int | None]


@dataclass(frozen=True, slots=True)
class FaultSpec:
    kind: str
    times: int | None  # None: every matching request
    page: int | None  # None: any request


@dataclass(frozen=True, slots=True)
class Fault:
    """What to do to one request; ``kind`` None means nothing."""

    kind: str | None = None
    problem: str = ""

    @property
    def malformed(self) -> bool:
        return self.kind == MALFORMED

    def refusal(self) -> Response | None:
        """The whole answer when the fault replaces it (429, 503, bad request)."""
        if self.kind == RATE_LIMITED:
            return PlainTextResponse(
                "Too Many Requests", status_code=429, headers={"Retry-After": "1"}
            )
        if self.kind == UNAVAILABLE:
            return PlainTextResponse("Service Unavailable", status_code=503)
        if self.kind == INVALID:
            return PlainTextResponse(self.problem, status_code=400)
        return None

    def respond(
        self,
        body: bytes,
        *,
        media_type: str,
        headers: Mapping[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        """The normal answer, damaged when the fault is ``truncate`` or ``cut``."""
        if self.kind == TRUNCATE and body:
            return TruncatedResponse(body, media_type=media_type, headers=headers)
        if self.kind == CUT and body:
            body = body[: len(body) // 2]
        return Response(body, status_code=status_code, media_type=media_type, headers=headers)


NO_FAULT = Fault()


class TruncatedResponse(Response):
    """Promises the whole body, sends half and ends without finishing the response.

    Returning before the final body message makes the server drop the
    connection, which is what a client sees when a transfer breaks off.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        full = self.body
        headers = MutableHeaders(raw=list(self.raw_headers))
        headers["content-length"] = str(len(full))
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": headers.raw}
        )
        half = full[: len(full) // 2]
        await send({"type": "http.response.body", "body": half, "more_body": True})


def parse_spec(params: Mapping[str, str]) -> FaultSpec | None:
    """The fault a request asks for; raises ValueError on a malformed request."""
    kind = params.get("fault", "")
    if not kind:
        if params.get("fault_times") or params.get("fault_page"):
            raise ValueError("fault_times and fault_page need fault=")
        return None
    if kind not in KINDS:
        raise ValueError(f"unknown fault {kind!r}; one of {', '.join(sorted(KINDS))}")
    return FaultSpec(kind, _count(params, "fault_times"), _count(params, "fault_page"))


def _count(params: Mapping[str, str], name: str) -> int | None:
    raw = params.get(name, "")
    if raw == "":
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name} must be a positive integer")
    return int(raw)


class FaultBook:
    """Counts faulted requests so ``fault_times`` can run out; shared by all routes."""

    def __init__(self) -> None:
        self._counts: dict[CounterKey, int] = {}
        self._lock = threading.Lock()

    def take(self, path: str, params: Mapping[str, str], *, page: int | None = None) -> Fault:
        """The fault for this request, counting it against ``fault_times``."""
        try:
            spec = parse_spec(params)
        except ValueError as exc:
            return Fault(INVALID, str(exc))
        if spec is None or (spec.page is not None and page != spec.page):
            return NO_FAULT
        key = (path, spec.kind, spec.page)
        with self._lock:
            seen = self._counts[key] = self._counts.get(key, 0) + 1
        if spec.times is not None and seen > spec.times:
            return NO_FAULT
        return Fault(spec.kind)

    def reset(self) -> int:
        """Forget every count; returns how many counters there were."""
        with self._lock:
            cleared = len(self._counts)
            self._counts.clear()
        return cleared

    def snapshot(self) -> list[dict[str, object]]:
        with self._lock:
            counts = sorted(self._counts.items(), key=lambda kv: (kv[0][0], kv[0][1]))
        return [
            {"path": path, "fault": kind, "fault_page": page, "requests": seen}
            for (path, kind, page), seen in counts
        ]


def without_controls(params: Mapping[str, str]) -> dict[str, str]:
    """``params`` minus the fault parameters (which a client may not have signed)."""
    return {name: value for name, value in params.items() if name not in CONTROL_PARAMS}
