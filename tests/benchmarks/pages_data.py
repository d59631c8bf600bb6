"""The catalog the pages benchmark loads: ``daogou seed`` then ``daogou search index``, run
as a user would, and the facts printed before timing (hits per term, read from the
search index itself; the benchmarked category and its size)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass

import psycopg
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from aggregator.models import Offer
from aggregator.search import parse_query
from aggregator.search.query import _fts5, _tsquery
from aggregator.taxonomy import load_taxonomy
from tests.support.processes import REPO

COMMON_MIN_HITS = 50_000  # at 1M offers, the common term's hits (issue 5)


@dataclass(frozen=True)
class Catalog:
    offers: int  # live offers
    rare_term: str
    common_term: str
    two_char_term: str
    hits: dict[str, int]  # term -> documents in the search index
    category_id: int
    category_name: str
    category_offers: int  # live offers in its subtree

    def summary(self) -> str:
        terms = " · ".join(f"{t!r} {n:,} hits" for t, n in self.hits.items())
        return (f"{self.offers:,} live offers; {terms}; category {self.category_id} "
                f"{self.category_name}: {self.category_offers:,} offers in its subtree")


def _daogou(url: str, *args: str) -> None:
    cmd = [sys.executable, "-m", "aggregator.cli.main", *args]
    env = {**os.environ, "DAOGOU_DATABASE_URL": url}
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"daogou {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def _live_offers(engine: Engine) -> int:
    with Session(engine) as session:
        try:
            return session.scalar(select(func.count()).select_from(Offer)
                                  .where(Offer.retired_at.is_(None))) or 0
        except DBAPIError:  # no schema yet
            return 0


def seed(url: str, size: int, *, seed_value: int, reuse: bool, engine: Engine) -> str:
    """Seed ``size`` offers (unless ``reuse`` and they are there) and index them."""
    if reuse and _live_offers(engine) == size:
        _daogou(url, "search", "index")
        return "reused"
    started = time.perf_counter()
    _daogou(url, "seed", "--offers", str(size), "--reset", "--seed", str(seed_value))
    _daogou(url, "search", "index")  # the seed indexes what it wrote: this finds nothing
    return f"seeded and indexed in {time.perf_counter() - started:.0f}s"


def index_hits(session: Session, term: str) -> int:
    """Documents holding every word of ``term``, counted in the search index."""
    query = parse_query(term)
    if query is None:
        raise ValueError(f"{term!r} holds no searchable word")
    if session.get_bind().dialect.name == "postgresql":
        sql = "SELECT count(*) FROM offer_search WHERE tokens @@ CAST(:q AS tsquery)"
        return session.scalar(text(sql), {"q": _tsquery(query)}) or 0
    sql = "SELECT count(*) FROM offer_search WHERE offer_search MATCH :q"
    return session.scalar(text(sql), {"q": _fts5(query)}) or 0


def _largest_root(session: Session) -> tuple[int, int]:
    """The top-level category with the most live offers in its subtree, and that count."""
    taxonomy = load_taxonomy()
    counts = dict(session.execute(
        select(Offer.taxonomy_id, func.count()).where(Offer.retired_at.is_(None))
        .group_by(Offer.taxonomy_id)).all())
    by_root = {root.id: sum(counts.get(i, 0) for i in taxonomy.descendants(root.id))
               for root in taxonomy.roots()}
    best = max(by_root, key=lambda r: by_root[r])
    return best, by_root[best]


def describe(engine: Engine, size: int) -> Catalog:
    from aggregator import seed as seeded_catalog  # the seeded catalog's benchmark terms

    terms = (seeded_catalog.RARE_TERM, seeded_catalog.COMMON_TERM_ZH,
             seeded_catalog.TWO_CHAR_TERM)
    with Session(engine) as session:
        hits = {t: index_hits(session, t) for t in terms}
        category, in_category = _largest_root(session)
        offers = session.scalar(select(func.count()).select_from(Offer)
                                .where(Offer.retired_at.is_(None))) or 0
    common = seeded_catalog.COMMON_TERM_ZH
    if size >= 1_000_000 and hits[common] < COMMON_MIN_HITS:
        raise RuntimeError(f"common term {common!r}: {hits[common]:,} hits at {size:,} "
                           f"offers, fewer than {COMMON_MIN_HITS:,}")
    return Catalog(offers=offers, rare_term=terms[0], common_term=terms[1],
                   two_char_term=terms[2], hits=hits, category_id=category,
                   category_name=load_taxonomy().name(category, "zh_CN"),
                   category_offers=in_category)


PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_pages"


def default_urls(tmp: str) -> list[str]:
    """A temp SQLite file and, if it answers, the benchmark's own PostgreSQL database."""
    urls = [f"sqlite:///{tmp}/pages.db"]
    try:
        psycopg.connect(PG_URL.replace("+psycopg", ""), connect_timeout=3).close()
    except psycopg.Error:
        return urls
    return [*urls, PG_URL]
