"""Every offer a common query matches, as a compressed bitmap cached per process.

A common term (tens of thousands of hits at 1M offers) cannot be sorted per request,
and probing the full-text index once per offer while walking a sort index costs a
lookup per candidate (~85 µs on SQLite). Instead the hits are read once (one index scan)
into a roaring bitmap (~130 KB for 180k hits of 1M), and a page walks the sort index
testing membership in memory. The cache is exact: every change to the search index bumps
``search_state.generation`` and a bitmap read under an older generation is read again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from pyroaring import BitMap
from sqlalchemy import text
from sqlalchemy.orm import Session

MAX_TERMS = 64  # bitmaps kept per process (a few MB at most)


def generation(session: Session) -> int:
    value = session.scalar(text("SELECT generation FROM search_state WHERE id = 1"))
    return int(value or 0)


class HitSets:
    def __init__(self, size: int = MAX_TERMS) -> None:
        self.size = size
        self.lock = threading.Lock()
        self.items: OrderedDict[tuple[str, str], tuple[int, BitMap]] = OrderedDict()

    def get(self, key: tuple[str, str], current: int) -> BitMap | None:
        with self.lock:
            hit = self.items.get(key)
            if hit is None or hit[0] != current:
                return None
            self.items.move_to_end(key)
            return hit[1]

    def put(self, key: tuple[str, str], current: int, hits: BitMap) -> None:
        with self.lock:
            self.items[key] = (current, hits)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


hit_sets = HitSets()
