"""Shared fixtures: one migrated database per test session, a rolled-back session per test.

The suite runs on SQLite by default; set DAOGOU_TEST_DATABASE_URL (the Makefile does)
to run the same tests on PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from aggregator import migrate
from aggregator.category_counts import counts_cache
from aggregator.db import get_engine, make_engine, normalize_url
from aggregator.models import Base, Partner
from aggregator.search.hitsets import hit_sets
from aggregator.settings import get_settings

# argon2id at its cheapest in tests (every sign-up and log-in hashes): production keeps
# the settings' cost; tests of re-hashing set their own. Servers the tests start inherit it.
os.environ.setdefault("DAOGOU_PASSWORD_TIME_COST", "1")
os.environ.setdefault("DAOGOU_PASSWORD_MEMORY_KIB", "1024")
# The sandbox and the tests' image servers listen on 127.0.0.1 (aggregator.netguard).
os.environ.setdefault("DAOGOU_ALLOW_PRIVATE_FETCH", "true")

FIXED_NOW = datetime(2026, 11, 23, tzinfo=UTC)
# Real-format partner samples (copied from the team's shared/feeds; see its README).
FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"


def _test_url(tmp_root: Path) -> str:
    url = os.environ.get("DAOGOU_TEST_DATABASE_URL")
    return normalize_url(url) if url else f"sqlite:///{tmp_root / 'test.db'}"


def _reset(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = _test_url(tmp_path_factory.mktemp("db"))
    old = os.environ.get("DAOGOU_DATABASE_URL")
    os.environ["DAOGOU_DATABASE_URL"] = url
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield url
    if old is None:
        os.environ.pop("DAOGOU_DATABASE_URL", None)
    else:
        os.environ["DAOGOU_DATABASE_URL"] = old
    get_settings.cache_clear()
    get_engine.cache_clear()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The schema is built by running the migrations, as in production."""
    eng = make_engine(database_url)
    _reset(eng)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture(autouse=True)
def _fresh_read_caches() -> Iterator[None]:
    """Per-process read caches key on committed state; a test's rolled-back work would
    leave them holding rows no other test can see."""
    hit_sets.clear()
    counts_cache.clear()
    yield


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test (services never commit)."""
    with engine.connect() as conn:
        outer = conn.begin()
        db = Session(bind=conn, join_transaction_mode="create_savepoint",
                     expire_on_commit=False)
        try:
            yield db
        finally:
            db.close()
            outer.rollback()


def truncate_all(engine: Engine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - names from metadata


@pytest.fixture
def committed(engine: Engine) -> Iterator[Engine]:
    """For tests whose data must be visible to other processes: tables emptied after."""
    truncate_all(engine)
    yield engine
    truncate_all(engine)


@pytest.fixture
def now() -> datetime:
    return FIXED_NOW


@pytest.fixture
def partner(session: Session) -> Partner:
    row = Partner(slug="taobao", network="taobao", name="淘宝联盟", currency="CNY",
                  allowed_hosts=["s.click.taobao.com", "uland.taobao.com"])
    session.add(row)
    session.flush()
    return row
