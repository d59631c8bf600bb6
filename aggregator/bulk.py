"""Core-level bulk statements for hot paths (ingest, repricing).

The ORM's bulk helpers work per mapped object and cost several times more per
row; these go straight to executemany / insertmanyvalues on the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, bindparam, text
from sqlalchemy.orm import Session


def _table(model: type[Any]) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def insert_rows(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(_table(model).insert(), list(rows))


def insert_ids(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert many rows with plain executemany and return their new ids, in order.

    INSERT ... RETURNING with guaranteed order makes SQLAlchemy fall back to one statement
    per row on SQLite, and costs a fresh parse per batch on psycopg. Instead: PostgreSQL
    reserves the ids from the table's sequence first; SQLite assigns ids max+1, max+2, ...
    and no other writer can interleave while this transaction holds the write lock.
    """
    if not rows:
        return []
    table = _table(model)
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                 "FROM generate_series(1, :n)"), {"table": table.name, "n": len(rows)}))
        session.execute(table.insert(), [{**row, "id": i} for row, i in zip(rows, ids,
                                                                              strict=True)])
        return ids
    session.execute(table.insert(), list(rows))
    last = int(session.scalar(text("SELECT last_insert_rowid()")) or 0)
    return list(range(last - len(rows) + 1, last + 1))


def update_by_id(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """UPDATE each row by its ``id``; every row must carry the same keys."""
    if not rows:
        return
    table = _table(model)
    keys = [k for k in rows[0] if k != "id"]
    stmt = (table.update().where(table.c.id == bindparam("row_id"))
            .values({k: bindparam(f"set_{k}") for k in keys}))
    session.execute(stmt, [{"row_id": r["id"], **{f"set_{k}": r[k] for k in keys}}
                           for r in rows])
