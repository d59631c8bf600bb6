"""kill -9 under load: every 302 a client received must have its click stored.

A real ``uvicorn web.app:app --workers N`` serves /go/{code}; an asyncio client keeps
``connections`` requests in flight and counts the 302s it has fully received; once it
has ``kill_after`` of them it SIGKILLs the uvicorn master and every worker at once (no
shutdown hooks, no flush), then keeps going until its requests fail. The stored clicks
are counted afterwards: stored ≥ received, or a visitor reached the partner with a
sub-id nobody recorded. Stored − received are clicks committed whose 302 died with the
server: the price of durability, and harmless.

Used by the redirect benchmark (bigger load) and by tests/web/test_go_crash.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import Engine

from tests.benchmarks.pages_load import uvicorn
from tests.benchmarks.redirect_data import BROWSER, stored_clicks
from tests.support.aio import run_async


@dataclass(frozen=True)
class CrashResult:
    received: int  # 302s the client read to the end before the kill
    stored: int  # clicks in the database after it
    failed: int  # requests that got no answer (in flight at the kill, or after it)
    killed: int  # processes killed

    @property
    def ok(self) -> bool:
        return self.stored >= self.received

    def summary(self) -> str:
        verdict = "ok" if self.ok else "LOST CLICKS"
        return (f"302s received {self.received:,}, clicks stored {self.stored:,} "
                f"(+{self.stored - self.received:,} committed but unanswered), "
                f"{self.failed:,} requests cut off, {self.killed} processes killed: {verdict}")


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants (uvicorn's master, workers, helpers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def kill_all(pids: list[int]) -> None:
    for pid in pids:  # the master first: it must not start new workers
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


async def _drive(url: str, *, connections: int, kill_after: int, pids: list[int],
                 seconds: float) -> tuple[int, int]:
    received = failed = 0
    killed = False
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=10,
                                 headers={"user-agent": BROWSER}) as client:
        async def visitor() -> None:
            nonlocal received, failed, killed
            while time.monotonic() < deadline:
                try:
                    response = await client.get(url)
                except httpx.HTTPError:
                    failed += 1
                    if killed:
                        return
                    continue
                if response.status_code == 302:
                    received += 1
                if received >= kill_after and not killed:
                    killed = True
                    kill_all(pids)

        await asyncio.gather(*(visitor() for _ in range(connections)))
    if not killed:
        raise RuntimeError(f"only {received} 302s in {seconds:g}s: the server was not killed")
    return received, failed


def crash_check(engine: Engine, url: str, *, code: str, link_id: int, workers: int,
                connections: int, kill_after: int, seconds: float = 60.0) -> CrashResult:
    """Serve ``url``'s database, load /go/``code``, kill -9 mid-load, count."""
    env = {"DAOGOU_DATABASE_URL": url}
    before = stored_clicks(engine, link_id)
    with uvicorn("web.app:app", workers=workers, env=env, health="/healthz") as server:
        pids = process_tree(server.process.pid)
        received, failed = run_async(_drive(f"{server.base}/go/{code}",
                                              connections=connections,
                                              kill_after=kill_after, pids=pids,
                                              seconds=seconds))
    time.sleep(0.5)  # let PostgreSQL finish aborting the dead workers' sessions
    stored = stored_clicks(engine, link_id) - before
    return CrashResult(received=received, stored=stored, failed=failed, killed=len(pids))
