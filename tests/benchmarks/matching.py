"""Matching benchmark: a catalog from the sandbox generators matched from scratch, then an
incremental crawl of new offers matched against it in the database.

Offers: Taobao items (Chinese titles, brand read from the title) and UK Awin and GMC
rows (English titles, GTINs shared between the two feeds), in the proportions 6:2:2.
Baseline, measured in the same run on the same offers: exact GTIN lookup only (a dict),
the cheapest matcher there is; it merges Awin and GMC rows but nothing else.
"""

from __future__ import annotations

import datetime as dt
import gc
import resource
import statistics
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.bulk import insert_rows
from aggregator.gtin import normalize_gtin
from aggregator.ingest import ingest_offers, refresh_statistics
from aggregator.matching.keys import MatchKeys
from aggregator.matching.matcher import Matcher
from aggregator.matching.store import OfferFacts, match_pending, product_row
from aggregator.models import Partner, Product
from aggregator.records import OfferRecord
from crawlers.sandbox.awin import awin_products
from crawlers.sandbox.catalog import taobao_items
from crawlers.sandbox.gmc import gmc_items
from tests.benchmarks.ingest import fresh_engine

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


def generated_offers(total: int, *, seed: int = 7) -> list[OfferFacts]:
    taobao, uk = total * 6 // 10, total * 2 // 10
    facts = [OfferFacts(title=i["title"], brand=None, category=i.get("category_name"),
                        image_url=None, gtin=None, mpn=None, taxonomy_id=None)
             for i in taobao_items(seed=seed, size=taobao, today=TODAY)]
    facts += [OfferFacts(title=r["product_name"], brand=r.get("brand_name") or None,
                         category=r.get("merchant_category"), image_url=None,
                         gtin=r.get("ean") or None, mpn=None, taxonomy_id=None)
              for r in awin_products(seed=seed, size=uk, today=TODAY)]
    facts += [OfferFacts(title=g.get("title") or g.get("g:title", ""),
                         brand=g.get("g:brand") or None,
                         category=g.get("g:google_product_category"), image_url=None,
                         gtin=g.get("g:gtin") or None, mpn=None, taxonomy_id=None)
              for g in gmc_items(seed=seed, size=total - taobao - uk, today=TODAY)]
    return facts


def rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


Founder = tuple[OfferFacts, MatchKeys]


def match_from_scratch(offers: list[OfferFacts]) -> tuple[float, list[Founder]]:
    """Every offer through the matcher; returns the time and each product's first offer."""
    started = time.perf_counter()
    matcher = Matcher()
    founders: list[Founder] = []
    for facts in offers:
        keys = facts.keys()
        if matcher.find(keys) is None:
            founders.append((facts, keys))
            matcher.add(len(founders), keys)
    return time.perf_counter() - started, founders


def gtin_only(offers: list[OfferFacts]) -> tuple[float, int]:
    started = time.perf_counter()
    seen: dict[str, int] = {}
    products = 0
    for facts in offers:
        gtin = normalize_gtin(facts.gtin)
        if gtin is None or gtin not in seen:
            products += 1
            if gtin is not None:
                seen[gtin] = products
    return time.perf_counter() - started, products


def incremental(url: str, founders: list[Founder],
                new: list[OfferFacts]) -> tuple[float, float, int]:
    """Store the catalog's products, then crawl ``new`` into it: ingest (which matches
    by GTIN only) and the title matching that follows a crawl, timed apart."""
    engine = fresh_engine(url)
    with Session(engine) as session:
        for start in range(0, len(founders), 20_000):
            insert_rows(session, Product, [product_row(facts, keys, NOW)
                                           for facts, keys in founders[start:start + 20_000]])
        session.commit()
        refresh_statistics(session)
        session.commit()
        partner = session.scalars(select(Partner)).one()
        records = [OfferRecord(partner="taobao", external_id=f"new-{i}", title=f.title,
                               url=f"https://shop.example.com/{i}", currency="CNY",
                               price=9900, brand=f.brand, category=f.category, gtin=f.gtin)
                   for i, f in enumerate(new)]
        started = time.perf_counter()
        for start in range(0, len(records), 500):  # the ingest pipeline's batches
            ingest_offers(session, partner=partner, records=records[start:start + 500],
                          now=NOW)
            session.commit()
        ingested = time.perf_counter() - started
        started = time.perf_counter()
        result = match_pending(session, now=NOW)
        session.commit()
        matched = time.perf_counter() - started
    engine.dispose()
    return ingested, matched, result.merged


def run(*, offers: int, incremental_offers: int, repeat: int, urls: list[str]) -> None:
    print(f"\n== matching: {offers:,} generated offers from scratch, then "
          f"{incremental_offers:,} new offers matched incrementally in the database ==")
    base_rss = rss_mb()
    started = time.perf_counter()
    catalog = generated_offers(offers + incremental_offers)
    new, catalog = catalog[offers:], catalog[:offers]
    print(f"generated in {time.perf_counter() - started:.1f}s")
    gc.freeze()
    baseline = [gtin_only(catalog) for _ in range(repeat)]
    base_time = statistics.median(t for t, _ in baseline)
    print(f"baseline (exact GTIN only): {base_time:.2f}s median of {repeat}, "
          f"{baseline[0][1]:,} products, {offers / base_time:,.0f} offers/s")
    elapsed, founders = match_from_scratch(catalog)
    print(f"full matcher from scratch: {elapsed:.1f}s, {len(founders):,} products, "
          f"{offers / elapsed:,.0f} offers/s ({elapsed / base_time:.0f}x the baseline's time); "
          f"peak RSS {rss_mb():,.0f} MB (process started at {base_rss:,.0f} MB)")
    for url in urls:
        name = url.split(":", 1)[0]
        runs = [incremental(url, founders, new) for _ in range(repeat if offers <= 100_000 else 1)]
        ingested = statistics.median(r[0] for r in runs)
        matched = statistics.median(r[1] for r in runs)
        print(f"{name}: a crawl of {len(new):,} new offers into {len(founders):,} products: "
              f"ingest {ingested:.1f}s ({len(new) / ingested:,.0f} offers/s), then title "
              f"matching {matched:.1f}s ({len(new) / matched:,.0f} offers/s, "
              f"{runs[0][2]:,} joined existing products)")
