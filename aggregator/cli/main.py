"""The ``daogou`` command line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Annotated

import typer
from rich.console import Console

from aggregator import migrate as migrations
from aggregator.cli import ledger as ledger_cli
from aggregator.cli import products as products_cli
from aggregator.cli import search as search_cli
from aggregator.cli import seed as seed_cli
from aggregator.cli import taxonomy as taxonomy_cli
from aggregator.cli import users as users_cli
from aggregator.cli.processes import start_module, stop_all, wait_healthy
from aggregator.cli.progress import follow_crawl, summary_table
from aggregator.crawl_jobs import ORDER_SPIDERS, start_crawl
from aggregator.crawl_runs import fail_abandoned_runs
from aggregator.db import get_engine, session_scope
from aggregator.models import CrawlRun
from aggregator.partners import PartnerConfigError, load_partner_configs, sync_partners
from aggregator.repricing import refresh_due_offers
from aggregator.settings import REPO_ROOT, get_settings
from aggregator.timeutil import utcnow

app = typer.Typer(help="daogou: partner feeds → one honest catalog → a shopper site.",
                  no_args_is_help=True)
app.add_typer(products_cli.app, name="products")
app.add_typer(taxonomy_cli.app, name="taxonomy")
app.add_typer(search_cli.app, name="search")
app.add_typer(ledger_cli.app, name="ledger")
app.add_typer(users_cli.app, name="user")
app.command(name="seed")(seed_cli.seed)
console = Console()
CATALOG_NETWORKS = ("taobao", "pdd", "jd", "awin", "awin_vouchers", "gmc", "html")


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (Alembic)."""
    migrations.upgrade(get_engine())
    console.print(f"[green]schema up to date[/] at {get_engine().url.render_as_string()}")


def _crawl(slug: str, *, feed_url: str | None = None, max_pages: int | None = None,
           trigger: str = "cli", spider: str | None = None,
           args: dict[str, str] | None = None) -> CrawlRun:
    try:
        config = load_partner_configs()[slug]
    except KeyError:
        raise typer.BadParameter(f"no partner {slug!r} in {get_settings().partners_file}") from None
    extra = dict(args or {}) | ({"max_pages": str(max_pages)} if max_pages else {})
    engine = get_engine()
    with session_scope(engine) as session:
        fail_abandoned_runs(session, now=utcnow())
    job = start_crawl(engine, config=config, trigger=trigger, feed_url=feed_url,
                      extra_args=extra or None, spider=spider)
    return follow_crawl(engine, job, label=f"{spider or 'crawl'} {slug}", console=console)


@app.command()
def orders(
    slugs: Annotated[list[str] | None, typer.Argument(
        help="partner slugs (default: every partner whose network reports orders)")] = None,
    hours: int = typer.Option(24, min=1, help="sync orders changed in the last N hours"),
) -> None:
    """Sync partner orders (taobao_orders, pdd_orders, jd_orders, awin_transactions):
    attribute them to clicks, credit the ledger, release commissions past their hold."""
    migrations.upgrade(get_engine())
    configs = load_partner_configs()
    chosen = slugs or [s for s, c in configs.items() if c.network in ORDER_SPIDERS]
    runs = []
    for slug in chosen:
        network = configs[slug].network if slug in configs else ""
        if network not in ORDER_SPIDERS:
            raise typer.BadParameter(f"partner {slug!r} has no order spider")
        runs.append((slug, _crawl(slug, spider=ORDER_SPIDERS[network], trigger="cli",
                                  args={"hours": str(hours)})))
    console.print(summary_table(runs))
    ledger_cli.release()
    if any(run.status != "finished" for _, run in runs):
        raise typer.Exit(code=1)


@app.command()
def crawl(
    slug: str = typer.Argument(help="partner slug from data/partners.toml"),
    feed_url: str | None = typer.Option(None, help="override the partner's endpoint"),
    max_pages: int | None = typer.Option(None, min=1, help="stop after this many pages"),
) -> None:
    """Crawl one partner now, with a progress bar; exits non-zero if the crawl fails."""
    migrations.upgrade(get_engine())
    run = _crawl(slug, feed_url=feed_url, max_pages=max_pages)
    console.print(summary_table([(slug, run)]))
    products_cli.match()  # whatever the crawl committed is matched, even after a failure
    search_cli.index()
    if run.status != "finished":
        console.print(f"[red]crawl {slug} {run.status}[/]: {run.message or run.finish_reason}")
        raise typer.Exit(code=1)


@app.command()
def reprice() -> None:
    """Recompute stored final prices whose coupon windows opened or closed."""
    total = 0
    while True:
        with session_scope() as session:
            n = refresh_due_offers(session, now=utcnow())
        total += n
        if n == 0:
            break
    console.print(f"repriced {total} offers")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          reload: bool = False) -> None:
    """Serve the site (uvicorn, web.app:app)."""
    cmd = [sys.executable, "-m", "uvicorn", "web.app:app", "--host", host, "--port", str(port),
           "--workers", str(workers), "--proxy-headers"]
    if reload:
        cmd.append("--reload")
    raise typer.Exit(subprocess.call(cmd, cwd=REPO_ROOT))


@app.command()
def sandbox(port: int = typer.Option(None, help="default: DAOGOU_SANDBOX_PORT")) -> None:
    """Run the sandbox partner server alone."""
    settings = get_settings()
    raise typer.Exit(subprocess.call(
        [sys.executable, "-m", "crawlers.sandbox", "--host", settings.sandbox_host,
         "--port", str(port or settings.sandbox_port)], cwd=REPO_ROOT))


@app.command()
def demo(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Migrate, start the sandbox partners, crawl them, serve the site."""
    settings = get_settings()
    engine = get_engine()
    migrations.upgrade(engine)
    try:
        configs = load_partner_configs()
    except PartnerConfigError as exc:
        raise typer.BadParameter(str(exc)) from exc
    with session_scope(engine) as session:
        sync_partners(session, configs=configs)
    children: list[subprocess.Popen[bytes]] = []
    # Stop the children on SIGTERM too (a service manager, `timeout`), not only Ctrl+C.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        # The sandbox's "buy" button reports each order back to the site as a signed
        # postback, as a network would: a shared link's commission shows at once.
        sandbox_proc = start_module("crawlers.sandbox", "--host", settings.sandbox_host,
                                    "--port", str(settings.sandbox_port),
                                    "--site-url", f"http://{host}:{port}", "--auto-postback")
        children.append(sandbox_proc)
        base = f"http://{settings.sandbox_host}:{settings.sandbox_port}"
        wait_healthy(f"{base}/healthz", sandbox_proc)
        console.print(f"sandbox partners at {base}")
        runs = [(slug, _crawl(slug, trigger="demo")) for slug, c in configs.items()
                if c.network in CATALOG_NETWORKS]
        console.print(summary_table(runs))
        products_cli.match()
        search_cli.index()
        reprice()
        # The sandbox's product images are on 127.0.0.1: let the demo's posters fetch them.
        os.environ.setdefault("DAOGOU_ALLOW_PRIVATE_FETCH", "true")
        web = start_module("uvicorn", "web.app:app", "--host", host, "--port", str(port),
                           "--log-level", "warning")
        children.append(web)
        wait_healthy(f"http://{host}:{port}/healthz", web)
        console.rule(f"[bold green]daogou is running: http://{host}:{port}/")
        console.print(users_cli.demo_sharer())
        console.print("Press Ctrl+C to stop.")
        while all(p.poll() is None for p in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        console.print("stopping…")
    finally:
        stop_all(children)


if __name__ == "__main__":
    app()
