"""`daogou products …`: look at, merge, split and re-match products."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.db import session_scope
from aggregator.matching.manual import MatchingError, live_product, merge_products, split_offer
from aggregator.matching.store import match_pending, rebuild
from aggregator.models import Offer, Partner
from aggregator.timeutil import utcnow

app = typer.Typer(help="Products: the matching of offers from every partner.",
                  no_args_is_help=True)
console = Console()


@app.command()
def show(product_id: int) -> None:
    """A product with its offers (following merges)."""
    with session_scope() as session:
        product = live_product(session, product_id)
        if product is None:
            console.print(f"[red]no product {product_id}[/red]")
            raise typer.Exit(1)
        console.print(f"[bold]#{product.id}[/bold] {product.title}  "
                      f"brand={product.brand_key} gtin={product.gtin} variant={product.variant}")
        table = Table("offer", "partner", "external id", "title", "price", "final")
        rows = session.execute(
            select(Offer.id, Partner.slug, Offer.external_id, Offer.title, Offer.price,
                   Offer.final_price)
            .join(Partner, Partner.id == Offer.partner_id)
            .where(Offer.product_id == product.id).order_by(Offer.final_price))
        for row in rows:
            table.add_row(*(str(v) for v in row))
        console.print(table)


@app.command()
def merge(keep: int, other: int, note: str = typer.Option(None, help="why")) -> None:
    """Fold product OTHER into KEEP; the decision survives re-crawls and rebuilds."""
    with _decision() as session:
        moved = merge_products(session, keep_id=keep, other_id=other, now=utcnow(), note=note)
    console.print(f"merged #{other} into #{keep}: {moved} offers moved")


@app.command()
def split(offer_id: int, note: str = typer.Option(None, help="why")) -> None:
    """Give OFFER_ID a product of its own; the decision survives re-crawls and rebuilds."""
    with _decision() as session:
        product_id = split_offer(session, offer_id=offer_id, now=utcnow(), note=note)
    console.print(f"offer {offer_id} now has product #{product_id}")


@contextmanager
def _decision() -> Iterator[Session]:
    """One person's decision in one transaction; a refused one exits 1 with the reason."""
    try:
        with session_scope() as session:
            yield session
    except MatchingError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc


def _timed(what: Callable[[Session], str]) -> None:
    started = time.perf_counter()
    with session_scope() as session:
        said = what(session)
    console.print(f"{said} in {time.perf_counter() - started:.1f}s")


@app.command()
def match() -> None:
    """Match the products crawls created since the last match (what follows every crawl)."""
    def run(session: Session) -> str:
        result = match_pending(session, now=utcnow())
        return (f"matched {result.products} new products: {result.merged} joined an "
                f"existing product ({result.offers_moved} offers)")
    _timed(run)


@app.command()
def rematch() -> None:
    """Match the whole catalog again from scratch (manual decisions are kept)."""
    def run(session: Session) -> str:
        result = rebuild(session, now=utcnow())
        return (f"{result.offers} offers → {result.products} products ({result.moved} moved, "
                f"{result.created} created, {result.retired_products} emptied)")
    _timed(run)
