"""``daogou search``: keep the full-text index in step with the catalog."""

from __future__ import annotations

import time

import typer
from rich.console import Console

from aggregator.db import get_engine
from aggregator.search import after_catalog_change, reindex_all

app = typer.Typer(help="Full-text search index (jieba-segmented titles).", no_args_is_help=True)
console = Console()


@app.command()
def index() -> None:
    """Index offers that are new or changed since the last run (what follows every crawl)."""
    started = time.perf_counter()
    done = after_catalog_change(get_engine())
    console.print(f"indexed {done} offers for search in {time.perf_counter() - started:.1f}s")


@app.command()
def reindex() -> None:
    """Segment and index every offer again."""
    started = time.perf_counter()
    done = reindex_all(get_engine())
    console.print(f"re-indexed {done} offers in {time.perf_counter() - started:.1f}s")
