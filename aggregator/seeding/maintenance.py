"""Emptying the catalog before a seed, and planner statistics after one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event, inspect, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from aggregator.db import make_engine
from aggregator.ingest import refresh_statistics
from aggregator.models import Offer

# Children first. Partners, users, crawl runs and whatever else people made are kept;
# feed states go too, or the next crawl of an unchanged feed (304) would fill nothing.
CATALOG_TABLES = ("price_observations", "coupons", "product_pins", "rejected_records",
                  "offers", "products", "merchants", "feed_states")


def has_offers(session: Session) -> bool:
    return session.scalar(select(Offer.id).limit(1)) is not None


def _cascading(session: Session, tables: list[str]) -> list[str]:
    """Tables whose rows go with the catalog's anyway (ON DELETE CASCADE, e.g. a search
    index): TRUNCATE must name them, DELETE would empty them too."""
    inspector = inspect(session.connection())
    found = list(tables)
    for name in inspector.get_table_names():
        if name in found:
            continue
        for fk in inspector.get_foreign_keys(name):
            cascade = (fk.get("options") or {}).get("ondelete", "").upper() == "CASCADE"
            if cascade and fk["referred_table"] in found:
                found.append(name)
                break
    return found


def reset_catalog(session: Session) -> None:
    """Delete every catalog row (offers, coupons, observations, products, merchants,
    pins, rejects). Does not commit.

    A table of other data that still points at an offer (a share link, say) makes this
    fail rather than lose it. On PostgreSQL one TRUNCATE does the work in seconds
    whatever the size; it refuses when such a table exists even if empty, and then
    plain DELETEs run instead.
    """
    if session.get_bind().dialect.name == "postgresql":
        try:
            with session.begin_nested():
                names = ", ".join(_cascading(session, list(CATALOG_TABLES)))
                session.execute(text(f"TRUNCATE {names}"))
            return
        except DBAPIError:
            pass  # some other table refers to the catalog: delete row by row below
    for table in CATALOG_TABLES:
        session.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - names are constants


BULK_CACHE_MB = 256
BULK_CHECKPOINT_PAGES = 10_000


def _sqlite_bulk(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    # No fsync: checkpoints of a growing catalog cost more than the inserts (measured
    # 0.8 s a 5000-offer batch at 1M offers). A process crash still loses nothing; only
    # an OS crash or power cut could damage the file, and a seed can be run again.
    cursor.execute("PRAGMA synchronous=OFF")
    # SQLite's default cache (2 MB) evicts the offers' index pages long before a large
    # catalog is written, and each batch re-reads them. This connection's only, bounded.
    cursor.execute(f"PRAGMA cache_size=-{BULK_CACHE_MB * 1024}")
    # Index pages every batch rewrites reach the database file once per 40 MB of WAL,
    # not once per batch.
    cursor.execute(f"PRAGMA wal_autocheckpoint={BULK_CHECKPOINT_PAGES}")
    cursor.close()


def _postgresql_bulk(dbapi_conn: Any, _record: Any) -> None:
    # Commits do not wait for the WAL flush; a crash loses the last batches, never
    # consistency.
    with dbapi_conn.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    dbapi_conn.commit()


def bulk_load_engine(url: str) -> Engine:
    """An engine for writing a seed: its connections favour speed over durability.

    Dispose of it when the seed is written; everything else keeps the usual settings.
    """
    engine = make_engine(url)
    tune = _postgresql_bulk if engine.dialect.name == "postgresql" else _sqlite_bulk
    event.listen(engine, "connect", tune)  # after make_engine's own pragmas
    return engine


def analyze(session: Session) -> None:
    """Planner statistics for the tables that just grew."""
    if session.get_bind().dialect.name == "postgresql":
        refresh_statistics(session)
        session.execute(text("ANALYZE price_observations"))
        return
    # A bounded sample per index keeps this to seconds even at millions of rows.
    session.execute(text("PRAGMA analysis_limit=1000"))
    session.execute(text("ANALYZE"))
    session.execute(text("PRAGMA optimize"))
