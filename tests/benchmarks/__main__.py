"""``make bench``: every benchmark, each printing the baseline it is compared with."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.benchmarks import crawl, ingest, matching, pages, pages_data, redirect
from tests.benchmarks.pages_load import Load


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
    parser.add_argument("--pages-sizes", default="10000,100000,1000000",
                        help="catalog sizes the pages benchmark seeds, comma-separated")
    parser.add_argument("--pages-seconds", type=float, default=10.0, help="wrk -d per run")
    parser.add_argument("--pages-workers", type=int, default=2, help="uvicorn --workers")
    parser.add_argument("--pages-connections", type=int, default=16, help="wrk -c")
    parser.add_argument("--pages-reuse", action="store_true",
                        help="keep a database that already holds the size's offers")
    parser.add_argument("--redirect-seconds", type=float, default=10.0,
                        help="wrk -d per /go run")
    parser.add_argument("--redirect-workers", type=int, default=2, help="uvicorn --workers")
    parser.add_argument("--redirect-connections", type=int, default=64, help="wrk -c")
    parser.add_argument("--only", choices=("ingest", "crawl", "matching", "pages", "redirect"),
                        default=None)
    parser.add_argument("--database-url", action="append", default=None,
                        help="default: a temp SQLite file and, if reachable, local PostgreSQL; "
                             "for --only pages, '{size}' in it gives each catalog size its "
                             "own database (keep them with --pages-reuse)")
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
        if args.only in (None, "pages"):
            load = Load(workers=args.pages_workers, connections=args.pages_connections,
                        seconds=args.pages_seconds)
            pages.run(sizes=[int(n) for n in args.pages_sizes.split(",")], load=load,
                      urls=args.database_url or pages_data.default_urls(tmp),
                      repeat=args.repeat, reuse=args.pages_reuse)
        if args.only in (None, "redirect"):
            load = Load(workers=args.redirect_workers, connections=args.redirect_connections,
                        seconds=args.redirect_seconds)
            redirect.run(urls=args.database_url or redirect.default_urls(tmp), load=load,
                         repeat=args.repeat)


if __name__ == "__main__":
    main()
