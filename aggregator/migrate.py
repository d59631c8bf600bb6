"""Run Alembic migrations programmatically (the CLI, the demo and the tests use this)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from aggregator.db import get_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if engine is not None:
        config.attributes["url"] = engine.url.render_as_string(hide_password=False)
    return config


def _run(step: Callable[[Config, str], None], engine: Engine | None, revision: str) -> None:
    engine = engine or get_engine()
    config = alembic_config(engine)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        step(config, revision)


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    _run(command.upgrade, engine, revision)


def downgrade(engine: Engine | None = None, revision: str = "base") -> None:
    _run(command.downgrade, engine, revision)
