"""The redirect benchmark's baseline: a bare Starlette route answering the same 302
(same Location, same headers) as /go/{code}, with no work at all: no lookup, no flags,
no click. Served by the same uvicorn command, so the ratio prices exactly what /go does.
"""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from web.routes.go import HEADERS

LOCATION_ENV = "DAOGOU_BENCH_REDIRECT_LOCATION"


def create_app() -> Starlette:
    """uvicorn ``--factory`` entry point; the Location comes from LOCATION_ENV."""
    location = os.environ[LOCATION_ENV]

    async def go(_request: Request) -> Response:
        return RedirectResponse(location, status_code=302, headers=HEADERS)

    async def healthz(_request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(routes=[Route("/healthz", healthz), Route("/go/{code}", go)])
