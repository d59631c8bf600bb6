"""Servers and load for the pages benchmark: uvicorn processes, and wrk with a Lua ``done``
hook that prints the run's summary and latency percentiles as one JSON line.

wrk counts socket errors, timeouts and responses with status ≥ 400 (``errors.status``);
any of them fails the benchmark: a fast error page is not a fast page.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from aggregator.cli.processes import wait_healthy
from tests.support.processes import REPO, free_port

WRK = "wrk"
_DONE_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
    .. '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class Load:
    """How hard to push: uvicorn workers, wrk threads and connections, seconds per run."""

    workers: int = 2
    threads: int = 1
    connections: int = 16
    seconds: float = 10.0
    warmup: float = 2.0


@dataclass(frozen=True)
class WrkRun:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    bytes_per_request: float


class LoadError(RuntimeError):
    """A run with errors or non-2xx answers."""


def median_run(runs: list[WrkRun]) -> WrkRun:
    """Each figure's median over repeated runs."""
    return WrkRun(requests=sum(r.requests for r in runs),
                  rps=statistics.median(r.rps for r in runs),
                  p50_ms=statistics.median(r.p50_ms for r in runs),
                  p99_ms=statistics.median(r.p99_ms for r in runs),
                  bytes_per_request=statistics.median(r.bytes_per_request for r in runs))


def _parse(stdout: str, url: str, *, warmup: bool) -> WrkRun | None:
    line = next((ln for ln in reversed(stdout.splitlines()) if ln.startswith('{"requests"')),
                None)
    if line is None:
        raise LoadError(f"wrk printed no summary for {url}:\n{stdout}")
    s = json.loads(line)
    errors = {k: s[k] for k in ("connect", "read", "write", "status", "timeout") if s[k]}
    if errors or not (s["requests"] or warmup):
        raise LoadError(f"{url}: {s['requests']} requests, errors {errors} "
                        f"(status = responses ≥ 400)")
    if not s["requests"]:
        return None
    return WrkRun(requests=s["requests"], rps=s["requests"] / (s["duration_us"] / 1e6),
                  p50_ms=s["p50_us"] / 1000, p99_ms=s["p99_us"] / 1000,
                  bytes_per_request=s["bytes"] / s["requests"])


def warm(url: str, load: Load, headers: Mapping[str, str] | None = None) -> None:
    """A run whose figures are thrown away (it may be too short to finish a request)."""
    _wrk(url, load, load.warmup, warmup=True, headers=headers)


def wrk(url: str, load: Load, headers: Mapping[str, str] | None = None) -> WrkRun:
    run = _wrk(url, load, load.seconds, warmup=False, headers=headers)
    assert run is not None
    return run


def _wrk(url: str, load: Load, seconds: float, *, warmup: bool,
         headers: Mapping[str, str] | None = None) -> WrkRun | None:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(_DONE_LUA)
        script.flush()
        cmd = [WRK, f"-t{load.threads}", f"-c{load.connections}", f"-d{seconds:g}s",
               "--timeout", "10s", "-s", script.name, url]
        for name, value in (headers or {}).items():
            cmd[-1:-1] = ["-H", f"{name}: {value}"]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False,
                              timeout=seconds + 60)
    if done.returncode != 0:
        raise LoadError(f"wrk failed on {url}: {done.stderr or done.stdout}")
    return _parse(done.stdout, url, warmup=warmup)


@dataclass(frozen=True)
class Server:
    base: str
    process: subprocess.Popen[bytes]


@contextmanager
def uvicorn(app: str, *, workers: int, env: dict[str, str], health: str,
            factory: bool = False) -> Iterator[Server]:
    """``python -m uvicorn APP`` on a free port, as the site is served; stopped on exit."""
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), "--log-level", "warning", "--no-access-log",
           *(["--factory"] if factory else [])]
    process = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base + health, process, timeout=120)
        yield Server(base, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def require_wrk() -> None:
    if not any((Path(d) / WRK).exists() for d in os.environ.get("PATH", "").split(os.pathsep)):
        raise SystemExit("the pages benchmark needs wrk (apt-get install wrk)")


class ForeignCpu:
    """How much of the machine other people's processes took while a run was timed.

    Busy CPU time of the whole machine (/proc/stat) minus that of this process, its
    children (wrk), the servers' process trees and the benchmark database's PostgreSQL
    backends, as a share of all cores over the run's wall time.
    """

    def __init__(self, servers: list[Server], database: str | None) -> None:
        self.roots = [s.process.pid for s in servers]
        self.database = database
        self.shares: list[float] = []

    def measure(self, fn: Callable[[], WrkRun]) -> WrkRun:
        busy, own, started = _busy_ticks(), self._own_ticks(), time.monotonic()
        run = fn()
        elapsed = (time.monotonic() - started) * CLK_TCK * (os.cpu_count() or 1)
        foreign = (_busy_ticks() - busy) - (self._own_ticks() - own)
        self.shares.append(max(foreign, 0) / elapsed)
        return run

    def _own_ticks(self) -> int:
        stats = _proc_stats()
        parents: dict[int, list[int]] = {}
        for pid, (ppid, _ticks, _cmd) in stats.items():
            parents.setdefault(ppid, []).append(pid)
        own, todo = set(), [*self.roots, os.getpid()]
        while todo:
            pid = todo.pop()
            own.add(pid)
            todo += parents.get(pid, [])
        if self.database:
            own |= {pid for pid, (_p, _t, cmd) in stats.items()
                    if cmd.startswith("postgres:") and f" {self.database} " in cmd}
        children = os.times()
        finished = round((children.children_user + children.children_system) * CLK_TCK)
        return finished + sum(stats[pid][1] for pid in own if pid in stats)


CLK_TCK = os.sysconf("SC_CLK_TCK")


def _busy_ticks() -> int:
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9])
    return user + nice + system + irq + softirq + steal


def _proc_stats() -> dict[int, tuple[int, int, str]]:
    """pid -> (parent pid, CPU ticks used, command line) for every readable process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        found[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]), cmd)
    return found
