"""``daogou taxonomy``: the product tree, and the partner categories it does not cover yet."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from aggregator.db import session_scope
from aggregator.taxonomy import (
    MAPPINGS_FILE,
    TAXONOMY_DIR,
    Node,
    Taxonomy,
    TaxonomyError,
    load_taxonomy,
    unmapped_categories,
)

app = typer.Typer(help="The product taxonomy and the partner categories mapped onto it.",
                  no_args_is_help=True)
console = Console()


def _taxonomy() -> Taxonomy:
    try:
        return load_taxonomy()
    except TaxonomyError as exc:
        console.print(f"[red]taxonomy error[/] {escape(str(exc))}")
        raise typer.Exit(code=1) from exc


def _label(node: Node) -> str:
    return f"[bold]{node.id}[/]  {escape(node.name_en)}  {escape(node.name_zh)}"


def _grow(branch: Tree, taxonomy: Taxonomy, node: Node, depth: int) -> None:
    """Add ``node`` under ``branch`` with ``depth`` levels of its children."""
    twig = branch.add(_label(node))
    children = taxonomy.children(node.id)
    if depth > 0:
        for child in children:
            _grow(twig, taxonomy, child, depth - 1)
    elif children:
        twig.add(f"[dim]… {len(children)} {'child' if len(children) == 1 else 'children'}[/]")


@app.command()
def show(
    node_id: int | None = typer.Argument(None, help="a node id; the roots when left out"),
    depth: int = typer.Option(1, min=0, help="levels of children to show below each node"),
) -> None:
    """Print a node's path from its root and the tree below it."""
    taxonomy = _taxonomy()
    if node_id is None:
        tree = Tree(f"taxonomy: {len(taxonomy.nodes)} nodes")
        for root in taxonomy.roots():
            _grow(tree, taxonomy, root, depth)
        console.print(tree)
        return
    if node_id not in taxonomy.nodes:
        console.print(f"[red]no taxonomy node {node_id}[/]")
        raise typer.Exit(code=1)
    path = taxonomy.path(node_id)
    console.print(" > ".join(f"{escape(n.name_en)} ({n.id})" for n in path))
    console.print(" > ".join(escape(n.name_zh) for n in path))
    tree = Tree(_label(path[-1]))
    for child in taxonomy.children(node_id):
        _grow(tree, taxonomy, child, depth - 1)
    console.print(tree)


@app.command("map")
def map_category(
    network: str = typer.Argument(help="partner network: taobao, jd, pdd, awin, gmc, html"),
    category: str = typer.Argument(help="the category string as stored on offers"),
) -> None:
    """Show which node a partner category maps to; exits 1 when none does."""
    taxonomy = _taxonomy()
    node_id = taxonomy.map(network, category)
    if node_id is None:
        console.print(f"[yellow]unmapped[/]: add it to {TAXONOMY_DIR / MAPPINGS_FILE}")
        raise typer.Exit(code=1)
    path = taxonomy.path(node_id)
    console.print(f"{node_id}  " + " > ".join(escape(n.name_en) for n in path))
    console.print(" > ".join(escape(n.name_zh) for n in path))


@app.command()
def unmapped(limit: int = typer.Option(50, min=1, help="rows to show")) -> None:
    """Categories of live offers that map to no node, largest first."""
    with session_scope() as session:
        rows = unmapped_categories(session, limit=limit)
    if not rows:
        console.print("[green]every live offer's category is mapped[/]")
        return
    table = Table(title="Unmapped categories of live offers")
    table.add_column("partner")
    table.add_column("category")
    table.add_column("offers", justify="right")
    for row in rows:
        table.add_row(escape(row.partner), escape(row.category), str(row.offers))
    console.print(table)
    console.print(f"map them in {TAXONOMY_DIR / MAPPINGS_FILE}")
