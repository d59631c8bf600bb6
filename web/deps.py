"""Request dependencies: one DB transaction per request, and the clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from aggregator.db import session_scope
from aggregator.timeutil import utcnow


def get_session() -> Iterator[Session]:
    """Commit when the route returns, roll back if it raised, always close.

    Services never commit; this dependency owns the transaction.
    """
    with session_scope() as session:
        yield session


def get_now() -> datetime:
    """The clock, as a dependency so tests can pin it."""
    return utcnow()


# scope="function": the transaction ends when the route returns, before the response
# is sent, so a failed commit still turns into an error response instead of a lie.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
NowDep = Annotated[datetime, Depends(get_now)]
