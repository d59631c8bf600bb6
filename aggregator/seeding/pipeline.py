"""Building seeded rows in a second process while this one writes them.

Generating a large catalog costs about as much CPU as inserting it, so on two cores
a producer process (started here, ended here) builds batch n+1 while the database
takes batch n. At most ``prefetch`` batches wait in between, so memory stays flat.

The producer is forked where the platform can (it then needs no re-import of the
caller's main module, which a spawned child would run again): start it before any
thread of your own, as the command line does before its progress bar.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Iterator
from multiprocessing.context import ForkContext, SpawnContext
from multiprocessing.queues import Queue
from queue import Empty

from aggregator.seeding.rows import BatchRows, SeedSpec, row_batches

_DONE = "done"
_POLL_SECONDS = 1.0


class ProducerError(RuntimeError):
    """The producer process failed; the message carries its traceback."""


def _context() -> ForkContext | SpawnContext:
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _produce(spec: SeedSpec, size: int, queue: Queue[object]) -> None:
    try:
        for rows in row_batches(spec, size):
            queue.put(rows)
        queue.put(_DONE)
    except BaseException:  # whatever it was, the writer must hear of it
        queue.put(ProducerError(traceback.format_exc()))


class ProducedBatches:
    """``row_batches(spec, size)``, built by a producer process started right away."""

    def __init__(self, spec: SeedSpec, size: int, *, prefetch: int = 2) -> None:
        context = _context()
        self._queue: Queue[object] = context.Queue(maxsize=prefetch)
        self._producer = context.Process(target=_produce, args=(spec, size, self._queue),
                                         name="daogou-seed-rows", daemon=True)
        self._producer.start()

    def __iter__(self) -> Iterator[BatchRows]:
        try:
            while True:
                item = self._next()
                if isinstance(item, ProducerError):
                    raise item
                if item == _DONE:
                    return
                assert isinstance(item, BatchRows)
                yield item
        finally:
            self.close()

    def _next(self) -> object:
        while True:
            try:
                return self._queue.get(timeout=_POLL_SECONDS)
            except Empty:
                if not self._producer.is_alive():
                    raise ProducerError("the seed producer exited with code "
                                        f"{self._producer.exitcode}") from None

    def close(self) -> None:
        """Stop the producer if the writer stopped early (only the process started here)."""
        if self._producer.is_alive():
            self._producer.terminate()
        self._producer.join()
        self._queue.close()
