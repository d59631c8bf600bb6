"""Values built once, on first use, from any thread.

The sandbox sizes each network separately (the benchmark asks for 100k Awin
rows); building every catalog at start-up would make the server slow to come up
for networks nobody calls. Builds run in Starlette's thread pool so a long one
never stalls the event loop that answers ``/healthz`` and the other networks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from starlette.concurrency import run_in_threadpool

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


class Lazy(Generic[T]):
    """``build()``'s result, computed by the first caller; later callers wait for it."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build: Callable[[], T] | None = build
        self._value: T | None = None
        self._ready = False
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return self._ready

    def get(self) -> T:
        if not self._ready:
            with self._lock:
                if not self._ready:  # another thread may have built it meanwhile
                    assert self._build is not None
                    self._value = self._build()
                    self._build = None  # let the builder's closure go
                    self._ready = True
        return self._value  # type: ignore[return-value]

    async def aget(self) -> T:
        """``get()`` without blocking the event loop when a build is needed."""
        if self._ready:
            return self._value  # type: ignore[return-value]
        return await run_in_threadpool(self.get)


class LazyMap(Generic[K, T]):
    """One ``Lazy`` per key, created on first request of that key."""

    def __init__(self) -> None:
        self._entries: dict[K, Lazy[T]] = {}
        self._lock = threading.Lock()

    def entry(self, key: K, build: Callable[[], T]) -> Lazy[T]:
        with self._lock:
            lazy = self._entries.get(key)
            if lazy is None:
                lazy = self._entries[key] = Lazy(build)
            return lazy

    def get(self, key: K, build: Callable[[], T]) -> T:
        return self.entry(key, build).get()

    async def aget(self, key: K, build: Callable[[], T]) -> T:
        return await self.entry(key, build).aget()
