from __future__ import annotations

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.models.base import Base


class SearchState(Base):
    """One row: a counter bumped whenever the search index changes, so a web worker's
    cached hit sets (aggregator.search.hitsets) know when they went stale."""

    __tablename__ = "search_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)
