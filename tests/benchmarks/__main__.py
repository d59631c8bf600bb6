"""``make bench``: every benchmark, each printing the baseline it is compared with."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.benchmarks import crawl, ingest, matching


def main() -> None:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--offers", type=int, default=20_000, help="in-process ingest size")
    parser.add_argument("--crawl-offers", type=int, default=100_000,
                        help="end-to-end crawl size")
    parser.add_argument("--match-offers", type=int, default=1_000_000,
                        help="catalog size matched from scratch")
    parser.add_argument("--match-new", type=int, default=10_000,
                        help="new offers matched incrementally into it")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=("ingest", "crawl", "matching"), default=None)
    parser.add_argument("--database-url", action="append", default=None,
                        help="default: a temp SQLite file and, if reachable, local PostgreSQL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        urls = args.database_url or [f"sqlite:///{Path(tmp) / 'bench.db'}"] + (
            [ingest.PG_URL] if ingest.pg_reachable() else [])
        if args.only in (None, "ingest"):
            ingest.run(offers=args.offers, repeat=args.repeat, urls=urls)
        if args.only in (None, "crawl"):
            crawl.run(offers=args.crawl_offers, repeat=args.repeat, urls=urls)
        if args.only in (None, "matching"):
            matching.run(offers=args.match_offers, incremental_offers=args.match_new,
                         repeat=args.repeat, urls=urls)


if __name__ == "__main__":
    main()
