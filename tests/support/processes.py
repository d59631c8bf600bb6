"""Start real processes for end-to-end tests: the sandbox, crawls, the web server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aggregator.cli.processes import wait_healthy

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(cmd: list[str], health_url: str, env: dict[str, str] | None = None) -> Iterator[None]:
    process = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **(env or {})})
    try:
        wait_healthy(health_url, process)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def site(database_url: str, **env: str) -> Iterator[str]:
    """The web site under uvicorn on a free port, on ``database_url``."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "uvicorn", "web.app:app", "--host", "127.0.0.1",
           "--port", str(port), "--log-level", "warning"]
    with running(cmd, f"{base}/healthz", env={"DAOGOU_DATABASE_URL": database_url,
                                              "DAOGOU_BASE_URL": base, **env}):
        yield base


@contextmanager
def sandbox(*, seed: int = 7, items: int = 250, bad_every: int = 97,
            extra: tuple[str, ...] = ()) -> Iterator[str]:
    port = free_port()
    cmd = [sys.executable, "-m", "crawlers.sandbox", "--host", "127.0.0.1", "--port", str(port),
           "--seed", str(seed), "--taobao-items", str(items), "--bad-every", str(bad_every),
           *extra]
    base = f"http://127.0.0.1:{port}"
    with running(cmd, f"{base}/healthz"):
        yield base


def scrapy_crawl(spider: str, database_url: str, *args: str,
                 timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl SPIDER -a ...`` from the repo root, as a user would run it."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider]
    for arg in args:
        cmd += ["-a", arg]
    env = {**os.environ, "DAOGOU_DATABASE_URL": database_url}
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
