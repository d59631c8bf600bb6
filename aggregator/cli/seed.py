"""`daogou seed`: fill the database with a generated catalog (benchmarks, demos)."""

from __future__ import annotations

import time

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from sqlalchemy import Engine

from aggregator import migrate as migrations
from aggregator.db import get_engine, session_scope
from aggregator.partners import PartnerConfig, PartnerConfigError, load_partner_configs
from aggregator.search import after_catalog_change
from aggregator.seed import (
    SeedCounts,
    SeedPlan,
    bulk_load_engine,
    finish_seed,
    has_offers,
    prepare_seed,
    reset_catalog,
    write_batch,
)
from aggregator.timeutil import utcnow

console = Console()


def seed(
    offers: int = typer.Option(10_000, "--offers", min=1, help="how many offers to write"),
    seed: int = typer.Option(1, "--seed", help="the same seed writes the same catalog"),
    reset: bool = typer.Option(False, "--reset",
                               help="first delete every catalog row (keeps partners, users)"),
) -> None:
    """Write a generated catalog of N offers straight into the database.

    Refuses a database that already has offers unless --reset is given.
    """
    # Titles, brands, categories, products sold by several partners, coupons and price
    # histories, as a crawl would have left them: for benchmarks and demos.
    try:
        configs = load_partner_configs()  # read before anything is deleted
    except PartnerConfigError as exc:
        raise typer.BadParameter(str(exc)) from exc
    engine = get_engine()
    migrations.upgrade(engine)
    started = time.perf_counter()
    if not reset:
        with session_scope(engine) as session:
            if has_offers(session):
                console.print("[red]the catalog already has offers[/]: seeding would mix "
                              "with it. Pass --reset to delete the catalog first.")
                raise typer.Exit(code=1)
    bulk = bulk_load_engine(engine.url.render_as_string(hide_password=False))
    try:
        if reset:
            with session_scope(bulk) as session:
                reset_catalog(session)
        plan = _plan(engine, offers=offers, seed=seed, configs=configs)
        counts = _write(bulk, plan)
    finally:
        bulk.dispose()
    with session_scope(engine) as session:
        counts.add(finish_seed(session, plan=plan))
    seeded = time.perf_counter() - started
    indexed = after_catalog_change(engine)
    console.print(_summary(counts, seeded=seeded, indexed=indexed,
                           total=time.perf_counter() - started))


def _plan(engine: Engine, *, offers: int, seed: int,
          configs: dict[str, PartnerConfig]) -> SeedPlan:
    try:
        with session_scope(engine) as session:
            return prepare_seed(session, offers=offers, seed=seed, now=utcnow(),
                                configs=configs)
    except ValueError as exc:  # no partner in the config sells anything
        raise typer.BadParameter(str(exc)) from exc


def _write(engine: Engine, plan: SeedPlan) -> SeedCounts:
    """Every batch in its own transaction, with a progress bar."""
    counts = SeedCounts()
    columns = (SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
               MofNCompleteColumn(), TextColumn("{task.fields[detail]}"), TimeElapsedColumn())
    started = time.perf_counter()
    batches = plan.batches()  # a large seed's producer process starts before any thread
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("seed offers", total=plan.spec.offers, detail="starting…")
        for rows in batches:
            with session_scope(engine) as session:
                counts.add(write_batch(session, rows=rows))
            rate = counts.offers / max(time.perf_counter() - started, 1e-6)
            progress.update(task, completed=counts.offers,
                            detail=f"{counts.products:,} products · {counts.coupons:,} coupons"
                                   f" · {rate:,.0f} offers/s")
    return counts


def _summary(counts: SeedCounts, *, seeded: float, indexed: int, total: float) -> Table:
    table = Table(title="Seeded catalog")
    for name in ("offers", "products", "coupons", "vouchers", "observations", "seconds",
                 "search-indexed", "total seconds"):
        table.add_column(name, justify="right")
    table.add_row(f"{counts.offers:,}", f"{counts.products:,}", f"{counts.coupons:,}",
                  f"{counts.vouchers:,}", f"{counts.observations:,}", f"{seeded:.1f}",
                  f"{indexed:,}", f"{total:.1f}")
    return table
