"""The migrations build exactly the models' schema, and go down and up again."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, Integer, MetaData, String, inspect

from aggregator import migrate
from aggregator.db import make_engine
from aggregator.models import Base

TABLES = {"partners", "products", "crawl_runs", "merchants", "offers", "rejected_records",
          "coupons", "price_observations", "feed_states", "product_pins", "users",
          "auth_secrets", "rate_limit_hits", "share_links", "clicks", "conversions",
          "ledger_transactions", "ledger_entries", "withdrawals", "search_state"}


def _not_search_index(name: str | None, type_: str, _parent: object) -> bool:
    """The search index (aggregator.search) is built by the migrations beside the models:
    an FTS5 virtual table and its shadow tables on SQLite, a tsvector table on PostgreSQL."""
    return not (type_ == "table" and (name or "").startswith("offer_search"))


def tables(engine: Engine) -> set[str]:
    return {n for n in inspect(engine).get_table_names() if not n.startswith("offer_search")}


def head() -> str:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    revision = script.get_current_head()
    assert revision is not None
    return revision


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True,
                  "include_name": _not_search_index})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_the_comparison_sees_a_difference(engine: Engine) -> None:
    """Guard against a comparison that always passes: a changed model must show up."""
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["offers"].append_column(Column("shipping", Integer, nullable=True))
    changed.tables["coupons"].c.title.type = String(100)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": _not_search_index}),
                                changed)
    kinds = sorted(entry[0][0] if isinstance(entry, list) else entry[0] for entry in diff)
    assert kinds == ["add_column", "modify_type"]


def test_the_shared_database_is_at_head(engine: Engine) -> None:
    assert current(engine) == head()
    assert tables(engine) == TABLES | {"alembic_version"}


def test_models_cover_every_table() -> None:
    assert set(Base.metadata.tables) == TABLES


def test_downgrade_to_base_then_upgrade_again(tmp_path: Path) -> None:
    fresh = make_engine(f"sqlite:///{tmp_path / 'migrations.db'}")
    try:
        migrate.upgrade(fresh)
        assert current(fresh) == head()
        assert tables(fresh) == TABLES | {"alembic_version"}

        migrate.downgrade(fresh, "base")
        assert current(fresh) is None
        assert tables(fresh) <= {"alembic_version"}

        migrate.upgrade(fresh)
        assert current(fresh) == head()
        assert tables(fresh) == TABLES | {"alembic_version"}
        with fresh.connect() as conn:
            assert compare_metadata(MigrationContext.configure(
                conn, opts={"include_name": _not_search_index}), Base.metadata) == []
    finally:
        fresh.dispose()


def test_upgrade_is_idempotent(tmp_path: Path) -> None:
    fresh = make_engine(f"sqlite:///{tmp_path / 'twice.db'}")
    try:
        migrate.upgrade(fresh)
        migrate.upgrade(fresh)
        assert current(fresh) == head()
    finally:
        fresh.dispose()
