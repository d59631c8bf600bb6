"""Group commit for clicks: many concurrent clicks, one transaction, and each caller
answered only after the commit that holds its click.

A request hands its click to :meth:`ClickWriter.write` and waits. One writer task per
event loop (so one per uvicorn worker process) takes everything waiting, inserts it in
one transaction on the writer's thread and commits; then it wakes those callers with
their click ids. While that commit runs, new clicks queue up and go in the next one,
so the batch grows with the load and a commit's cost is shared by every click in it.

Durability is the point: a caller never learns its id, so never answers its 302, before
its click is committed. A kill -9 loses only clicks whose visitors got no redirect.
Processes do not coordinate beyond the database (and, on SQLite, a file lock: see
:mod:`aggregator.affiliate.sqlite_writes`); each has its own writer.

Measured under ``wrk -c64`` (tests/benchmarks/redirect.py), what made batches cheap:
one kept connection (no pool checkout, no PostgreSQL pre-ping per batch), the two
statements in :mod:`aggregator.affiliate.click_sql`, remembering counted visitors so a
flood of one visitor needs no duplicate query, and two event-loop turns of patience
before taking a batch (PostgreSQL: 4.8–4.9k → 5.2–5.9k req/s; without them, batches of
one or two clicks at moderate load). More than one writer thread was tried on
PostgreSQL, to overlap one batch's WAL flush with the next batch: batches shrank to a
click or two and the database's CPU per click tripled.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext

from sqlalchemy import Connection, Engine

from aggregator.affiliate.clicks import CountedClicks, NewClick, duplicate_flags, insert_clicks
from aggregator.affiliate.sqlite_writes import (
    Checkpointer,
    WriteLock,
    is_sqlite_file,
    writer_engine,
)

log = logging.getLogger(__name__)
MAX_BATCH = 512  # bounds one transaction's size and the time its first caller waits
# Loop turns the writer lets pass before taking a batch: one for readable sockets to be
# read and their request tasks created, one for those tasks to reach write().
LINGER_TURNS = 2

Waiting = tuple[NewClick, "asyncio.Future[int]"]


class ClickNotStored(RuntimeError):
    """The transaction holding the click failed: answer an error, never a redirect."""


class ClickWriter:
    def __init__(self, engine: Engine, *, max_batch: int = MAX_BATCH) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self.batches = 0  # committed transactions, for the benchmark and tests
        self.written = 0
        sqlite = is_sqlite_file(engine)
        self._database = writer_engine(engine) if sqlite else engine
        self._checkpoints = Checkpointer(self._database) if sqlite else None
        self._lock = WriteLock(engine) if sqlite else None
        self._counted = CountedClicks()
        self._connection: Connection | None = None  # the writer thread's, kept
        self._waiting: list[Waiting] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # One thread: commits in order on one connection. It lets the GIL go while the
        # database works (a flush, a round trip).
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="click-writer")

    async def write(self, click: NewClick) -> int:
        """Store ``click``; returns its id once committed, or raises ClickNotStored."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop or self._task is None or self._task.done():
            self._start(loop)
        future: asyncio.Future[int] = loop.create_future()
        self._waiting.append((click, future))
        self._wake.set()
        return await future

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        # A new loop (a test client's, a reloaded worker's): whatever waited on the old
        # one has gone with it.
        self._loop, self._waiting, self._wake = loop, [], asyncio.Event()
        self._task = loop.create_task(self._run(), name="click-writer")

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            for _ in range(LINGER_TURNS):
                await asyncio.sleep(0)
            self._wake.clear()
            while self._waiting:
                batch = self._waiting[:self.max_batch]
                del self._waiting[:len(batch)]
                await self._commit(batch)

    async def _commit(self, batch: list[Waiting]) -> None:
        loop = asyncio.get_running_loop()
        clicks = [click for click, _ in batch]
        try:
            results = await loop.run_in_executor(self._thread, self._store, clicks)
        except Exception as exc:  # the database is unreachable, or worse
            log.exception("could not store %d clicks", len(batch))
            results = [exc] * len(batch)
        for (_, future), result in zip(batch, results, strict=True):
            if future.done():  # its request was cancelled meanwhile
                continue
            if isinstance(result, BaseException):
                future.set_exception(ClickNotStored("the click could not be stored"))
            else:
                future.set_result(result)

    def _store(self, clicks: Sequence[NewClick]) -> list[int | Exception]:
        """Ids (or why not) in order. All clicks in one transaction; if that fails, one
        transaction each, so one bad click (its link deleted a moment ago) does not take
        its batch-mates down with it."""
        try:
            return list(self._insert(clicks))
        except Exception:
            if len(clicks) == 1:
                raise
            log.warning("a batch of %d clicks failed; storing them one by one", len(clicks))
        results: list[int | Exception] = []
        for click in clicks:
            try:
                results += self._insert([click])
            except Exception as exc:
                log.exception("could not store a click on share link %d", click.share_link_id)
                results.append(exc)
        return results

    def _insert(self, clicks: Sequence[NewClick]) -> list[int]:
        connection = self._connect()
        try:
            with self._exclusive(), connection.begin():  # commits, or rolls back
                if connection.dialect.name == "postgresql":
                    # The commit returns once PostgreSQL has the batch, not once its WAL
                    # is on disk (flushed within wal_writer_delay, 200 ms): a click then
                    # survives any crash of ours, as with SQLite's synchronous=NORMAL, and
                    # is lost only if PostgreSQL or the machine dies in that moment. Money
                    # (conversions, the ledger) keeps full commits.
                    connection.exec_driver_sql("SET LOCAL synchronous_commit = off")
                flags = duplicate_flags(connection, clicks=clicks, counted=self._counted)
                ids = insert_clicks(connection, clicks=clicks, flags=flags)
        except Exception:
            self._connection = None  # it may be broken: the next batch connects anew
            connection.close()
            raise
        if len(ids) != len(clicks):
            raise RuntimeError(f"{len(clicks)} clicks inserted, {len(ids)} ids returned")
        self._counted.remember(clicks, flags)
        if self._checkpoints is not None:
            self._checkpoints.touch()
        self.batches += 1
        self.written += len(ids)
        return ids

    def _connect(self) -> Connection:
        if self._connection is None or self._connection.invalidated:
            self._connection = self._database.connect()
        return self._connection

    def _exclusive(self) -> AbstractContextManager[None]:
        return self._lock.held() if self._lock is not None else nullcontext()

    def close(self) -> None:
        """Finish the commit under way and let go of threads, connection and files
        (callers still waiting are not answered: their loop is closing)."""
        if self._task is not None and self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.shutdown(wait=True)
        if self._connection is not None:
            self._connection.close()
        if self._checkpoints is not None:
            self._checkpoints.close()
        if self._lock is not None:
            self._lock.close()
        if self._database is not self.engine:
            self._database.dispose()
