"""Keyset pages in a listing's sort order: the cursor condition, the walk that pages a
common search (aggregator.search.query.Many) without sorting its hits, and a category's
offers by price merged from each of its nodes.

The walk reads (id, sort key) rows from the sort index in growing chunks and keeps the
ids in the query's hit bitmap; a page costs about ``page size / share of hits`` index
rows. Where hits are too sparse for that (the first ``WALK_ROWS`` rows held too few),
the rest of the page is left to the database probing the search index row by row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select, union_all
from sqlalchemy.orm import Session

from aggregator.models import Offer
from aggregator.search.query import Many

FIRST_CHUNK = 4  # × the rows wanted
MAX_CHUNK = 4000
WALK_ROWS = 50_000


def after(column: Any, desc: bool, value: Any, last_id: int) -> ColumnElement[bool]:
    """Rows strictly after (value, last_id) in the order (column, id), both one way."""
    if desc:
        return or_(column < value, and_(column == value, Offer.id < last_id))
    return or_(column > value, and_(column == value, Offer.id > last_id))


def ordering(column: Any, desc: bool) -> tuple[Any, Any]:
    return (column.desc(), Offer.id.desc()) if desc else (column.asc(), Offer.id.asc())


def walk(session: Session, stmt: Select[Any], *, column: Any, desc: bool, want: int,
         found: Many) -> list[Offer]:
    """The first ``want`` offers of ``stmt`` (already filtered, cursor applied) that are
    in ``found``, in the sort order."""
    keys = stmt.with_only_columns(Offer.id, column).order_by(*ordering(column, desc))
    ids: list[int] = []
    last: tuple[Any, int] | None = None
    chunk, read = want * FIRST_CHUNK, 0
    while len(ids) < want:
        page = keys if last is None else keys.where(after(column, desc, *last))
        rows = session.execute(page.limit(chunk)).all()
        ids.extend(offer_id for offer_id, _ in rows if offer_id in found.hits)
        read += len(rows)
        if len(rows) < chunk:
            break
        last = (rows[-1][1], rows[-1][0])
        if read >= WALK_ROWS:
            ids.extend(_probed(session, stmt, column, desc, last, want - len(ids), found))
            break
        chunk = min(chunk * 2, MAX_CHUNK)
    return _in_order(session, ids[:want])


def _in_order(session: Session, ids: list[int]) -> list[Offer]:
    """The offers ``ids`` name, in that order."""
    offers = {o.id: o for o in session.scalars(select(Offer).where(Offer.id.in_(ids)))}
    return [offers[i] for i in ids if i in offers]


def _probed(session: Session, stmt: Select[Any], column: Any, desc: bool,
            last: tuple[Any, int], want: int, found: Many) -> list[int]:
    if want <= 0:
        return []
    rest = (stmt.with_only_columns(Offer.id).where(found.probe, after(column, desc, *last))
            .order_by(*ordering(column, desc)).limit(want))
    return list(session.scalars(rest))


MAX_BRANCHES = 200  # compound SELECTs allowed by SQLite (500) with room to spare


def mergeable(nodes: list[int]) -> bool:
    """Few enough nodes for ``by_category_price``'s one statement."""
    return 0 < len(nodes) <= MAX_BRANCHES


def by_category_price(session: Session, stmt: Select[Any], *, nodes: list[int],
                      want: int) -> list[Offer]:
    """The first ``want`` offers of ``stmt`` (every filter but the category's) in one of
    ``nodes`` (``mergeable``), cheapest first: each node's cheapest ``want`` read in
    order from the category-and-price index, then merged. Cost: nodes × page size,
    whatever the category's size or where its prices sit in the whole catalog's."""
    order = ordering(Offer.final_price, False)
    branches = [stmt.with_only_columns(Offer.id, Offer.final_price)
                .where(Offer.taxonomy_id == node).order_by(*order).limit(want).subquery()
                for node in nodes]
    merged = union_all(*(select(b.c.id, b.c.final_price) for b in branches)).subquery()
    return _in_order(session, list(session.scalars(
        select(merged.c.id).order_by(merged.c.final_price, merged.c.id).limit(want))))
