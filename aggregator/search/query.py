"""Reading the search index: a query's terms as SQL that combines with every filter.

Two plans, chosen per query by how many offers match (counted up to a cap, which costs
at most ``FEW`` index reads): a rare term fetches its few offers and lets the database
sort them (``Few``); a common term's hits are held as a bitmap (``Many``,
aggregator.search.hitsets) and the catalog walks the listing's sort index keeping the
offers in it, so a page costs about ``page size / share of matching offers`` index rows
and never sorts tens of thousands of hits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyroaring import BitMap
from sqlalchemy import ColumnElement, bindparam, exists, select, text
from sqlalchemy.orm import Session

from aggregator.models import Offer
from aggregator.search.hitsets import generation, hit_sets
from aggregator.search.tokens import Term, query_terms

FEW = 2000


@dataclass(frozen=True)
class SearchQuery:
    terms: tuple[Term, ...]

    @property
    def words(self) -> list[str]:
        return [t.text for t in self.terms]


def parse_query(q: str | None) -> SearchQuery | None:
    """None when the text holds no searchable word (then nothing is filtered)."""
    terms = query_terms(q or "")
    return SearchQuery(tuple(terms)) if terms else None


def _fts5(query: SearchQuery) -> str:
    def one(term: Term) -> str:
        quoted = '"' + term.text.replace('"', '""') + '"'
        return quoted + "*" if term.prefix else quoted
    return " AND ".join(one(t) for t in query.terms)


def _tsquery(query: SearchQuery) -> str:
    def one(term: Term) -> str:
        quoted = "'" + term.text.replace("\\", "\\\\").replace("'", "''") + "'"
        return quoted + ":*" if term.prefix else quoted
    return " & ".join(one(t) for t in query.terms)


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _hits(session: Session, query: SearchQuery, limit: int | None) -> list[int]:
    if _postgresql(session):
        sql = "SELECT offer_id FROM offer_search WHERE tokens @@ CAST(:q AS tsquery)"
        params: dict[str, Any] = {"q": _tsquery(query)}
    else:
        sql = "SELECT rowid FROM offer_search WHERE offer_search MATCH :q"
        params = {"q": _fts5(query)}
    if limit is not None:
        sql += " LIMIT :n"
        params["n"] = limit
    return [int(i) for i in session.scalars(text(sql), params)]


def _probe(session: Session, query: SearchQuery) -> ColumnElement[bool]:
    if _postgresql(session):
        return exists(select(text("1")).select_from(text("offer_search")).where(
            text("offer_search.offer_id = offers.id"),
            text("offer_search.tokens @@ CAST(:search_q AS tsquery)")
            .bindparams(bindparam("search_q", _tsquery(query)))))
    return exists(select(text("1")).select_from(text("offer_search")).where(
        text("offer_search MATCH :search_q").bindparams(bindparam("search_q", _fts5(query))),
        text("offer_search.rowid = offers.id")))


@dataclass(frozen=True)
class Few:
    """At most ``FEW`` hits: filter by their ids and let the database sort them."""
    ids: list[int]

    def clause(self) -> ColumnElement[bool]:
        return Offer.id.in_(self.ids)


@dataclass(frozen=True)
class Many:
    """More: every hit, for walking a sort index (``probe`` is the same test in SQL)."""
    hits: BitMap
    probe: ColumnElement[bool]


def plan(session: Session, query: SearchQuery) -> Few | Many:
    key = (session.get_bind().engine.url.render_as_string(hide_password=True), _fts5(query))
    current = generation(session)
    hits = hit_sets.get(key, current)
    if hits is None:
        few = _hits(session, query, FEW + 1)
        if len(few) <= FEW:
            return Few(few)
        hits = BitMap(_hits(session, query, None))
        hit_sets.put(key, current, hits)
    return Many(hits, _probe(session, query))

