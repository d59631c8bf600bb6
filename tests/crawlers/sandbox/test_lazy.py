"""Lazy values: built once, by the first caller, shared by every later one."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from crawlers.sandbox.lazy import Lazy, LazyMap
from tests.support.aio import run_async

T = TypeVar("T")


class Counter:
    """A build function that counts its calls and records the threads it ran on."""

    def __init__(self, release: threading.Event | None = None) -> None:
        self.calls = 0
        self.threads: list[int] = []
        self.started = threading.Event()
        self._release = release

    def __call__(self) -> list[int]:
        self.calls += 1
        self.threads.append(threading.get_ident())
        self.started.set()
        if self._release is not None:
            assert self._release.wait(timeout=5)
        return [self.calls]


def test_built_on_first_get_then_reused() -> None:
    build = Counter()
    lazy = Lazy(build)
    assert not lazy.ready and build.calls == 0
    first = lazy.get()
    assert lazy.ready and lazy.get() is first and lazy.get() is first
    assert build.calls == 1


def test_concurrent_first_callers_share_one_build() -> None:
    release = threading.Event()
    build = Counter(release)
    lazy = Lazy(build)
    results: list[list[int]] = []
    threads = [threading.Thread(target=lambda: results.append(lazy.get())) for _ in range(8)]
    for thread in threads:
        thread.start()
    assert build.started.wait(timeout=5)
    time.sleep(0.05)  # the other callers are now waiting for the first one's build
    release.set()
    for thread in threads:
        thread.join(timeout=5)
    assert build.calls == 1
    assert len(results) == 8 and all(result is results[0] for result in results)


def test_aget_builds_once_off_the_event_loop() -> None:
    build = Counter()
    lazy = Lazy(build)

    async def many() -> tuple[int, list[list[int]]]:
        values = await asyncio.gather(*(lazy.aget() for _ in range(5)))
        return threading.get_ident(), list(values)

    loop_thread, values = run_async(many())
    assert build.calls == 1 and all(value is values[0] for value in values)
    assert loop_thread not in build.threads  # a long build never stalls the event loop
    assert run_async(_aget(lazy)) is values[0]  # ready: no thread needed any more


async def _aget(lazy: Lazy[list[int]]) -> list[int]:
    return await lazy.aget()


def test_lazy_map_builds_each_key_once() -> None:
    builds: dict[str, Counter] = {"a": Counter(), "b": Counter()}
    lazies: LazyMap[str, list[int]] = LazyMap()

    def get(key: str) -> list[int]:
        build: Callable[[], list[int]] = builds[key]
        return lazies.get(key, build)

    first_a = get("a")
    assert get("a") is first_a and run_async(lazies.aget("a", builds["a"])) is first_a
    assert get("b") is not first_a
    assert (builds["a"].calls, builds["b"].calls) == (1, 1)
    assert lazies.entry("a", builds["a"]).ready
