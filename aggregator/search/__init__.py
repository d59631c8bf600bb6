"""Full-text search over live offers: jieba-segmented tokens in SQLite FTS5 or a
PostgreSQL tsvector, kept up to date after crawls (see ``index``), read by the catalog
(see ``query``)."""

from aggregator.search.index import after_catalog_change, index_pending, reindex_all
from aggregator.search.query import SearchQuery, parse_query

__all__ = ["SearchQuery", "after_catalog_change", "index_pending", "parse_query",
           "reindex_all"]
