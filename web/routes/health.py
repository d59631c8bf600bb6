"""Liveness for load balancers and the demo runner: the app answers and the DB does too."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from web.deps import SessionDep

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


@router.get("/healthz")
def healthz(session: SessionDep) -> JSONResponse:
    try:
        # A round-trip, not a query of any table: it must pass on an empty database.
        session.execute(select(1))
    except SQLAlchemyError as exc:
        log.warning("health check: database unreachable: %s", exc)
        session.rollback()
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
