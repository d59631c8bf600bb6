"""Alembic environment: the URL comes from the caller or from DAOGOU_DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from aggregator.db import make_engine
from aggregator.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    # The `alembic` CLI (configured in pyproject.toml) uses DAOGOU_DATABASE_URL.
    engine = make_engine(config.attributes.get("url"))
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations_online()
