"""Live offers per category node, counted at most once per ``TTL`` per process.

Counting needs a pass over every live offer (a second or so at 1M), so every request in
between shares the last count: the home page's category shelf, and listings deciding how
to read a category (walk a sort index, or fetch the category and sort it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aggregator.models import Offer

TTL = 300.0


@dataclass(frozen=True)
class NodeCounts:
    per_node: dict[int, int]  # taxonomy node -> live offers filed directly under it
    total: int  # live offers, categorised or not

    def subtree(self, nodes: list[int]) -> int:
        return sum(self.per_node.get(n, 0) for n in nodes)


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values: dict[str, tuple[float, NodeCounts]] = {}

    def get(self, key: str, compute: Callable[[], NodeCounts]) -> NodeCounts:
        with self.lock:
            hit = self.values.get(key)
            if hit is not None and time.monotonic() - hit[0] < TTL:
                return hit[1]
        value = compute()  # outside the lock: a slow count never blocks other readers
        with self.lock:
            self.values[key] = (time.monotonic(), value)
        return value

    def clear(self) -> None:
        with self.lock:
            self.values.clear()


counts_cache = _Cache()


def _count(session: Session) -> NodeCounts:
    per_node: dict[int, int] = {}
    total = 0
    for node_id, count in session.execute(
            select(Offer.taxonomy_id, func.count()).where(Offer.retired_at.is_(None))
            .group_by(Offer.taxonomy_id)):
        total += count
        if node_id is not None:
            per_node[node_id] = count
    return NodeCounts(per_node, total)


def node_counts(session: Session) -> NodeCounts:
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    return counts_cache.get(url, lambda: _count(session))
