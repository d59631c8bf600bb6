"""Batched, idempotent ingest of normalized offers and rejects.

Re-ingesting an unchanged record costs one bulk "seen" update and writes no offer,
coupon or price row: each offer stores a hash of its normalized record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from aggregator.bulk import insert_ids, insert_rows, update_by_id
from aggregator.gtin import normalize_gtin
from aggregator.matching.store import OfferFacts, place_new_offers
from aggregator.models import Coupon, Merchant, Offer, Partner, PriceObservation, RejectedRecord
from aggregator.offer_pricing import facts_of, histories, observation, priced
from aggregator.records import CouponRecord, OfferRecord, RejectRecord
from aggregator.taxonomy import load_taxonomy
from aggregator.text import clip


@dataclass
class IngestResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: IngestResult) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged


ID_MAX = 191  # external ids are unique keys: longer ones are rejected, never cut
URL_MAX = 2000
_HASHED_FIELDS = tuple(f.name for f in fields(OfferRecord) if f.name != "raw")
_COUPONS_AT = _HASHED_FIELDS.index("coupons")
_HASHED_COUPON_FIELDS = tuple(f.name for f in fields(CouponRecord) if f.name != "raw")


def record_hash(record: OfferRecord) -> str:
    """Hash of everything normalized about a record (the raw payload is not part of it)."""
    fields_ = [getattr(record, name) for name in _HASHED_FIELDS]
    fields_[_COUPONS_AT] = [[getattr(c, n) for n in _HASHED_COUPON_FIELDS]
                            for c in record.coupons]
    payload = orjson.dumps(fields_)
    return hashlib.md5(payload, usedforsecurity=False).hexdigest()


def _image(record: OfferRecord) -> str | None:
    """An image URL too long for its column is dropped: a cut URL would be a broken one."""
    return record.image_url if record.image_url and len(record.image_url) <= URL_MAX else None


def _offer_values(record: OfferRecord, merchant_id: int | None, now: datetime) -> dict[str, Any]:
    return {
        "title": clip(record.title, 500), "brand": clip(record.brand, 120),
        "category": clip(record.category, 255), "image_url": _image(record), "url": record.url,
        "gtin": normalize_gtin(record.gtin), "mpn": clip(record.mpn, 70),
        "currency": record.currency,
        "price": record.price, "list_price": record.list_price,
        "commission_bp": record.commission_bp, "sales": record.sales or 0,
        "in_stock": record.in_stock, "merchant_id": merchant_id, "raw": record.raw,
        "updated_at": now, "retired_at": None,
    }


def _merchant_ids(session: Session, partner_id: int,
                  records: Sequence[OfferRecord]) -> dict[str, int]:
    """Shop key → merchant id, inserting shops seen for the first time."""
    wanted: dict[str, OfferRecord] = {}
    for r in records:
        key = r.shop_id or r.shop_name
        if key:
            wanted.setdefault(key, r)
    if not wanted:
        return {}
    rows = session.execute(
        select(Merchant.external_id, Merchant.id)
        .where(Merchant.partner_id == partner_id, Merchant.external_id.in_(wanted))
    ).all()
    ids = {ext: mid for ext, mid in rows}
    missing = [k for k in wanted if k not in ids]
    if missing:
        params = [{"partner_id": partner_id, "external_id": k,
                   "name": clip(wanted[k].shop_name or k, 255),
                   "platform": clip(wanted[k].platform, 40)}
                  for k in missing]
        ids.update(zip(missing, insert_ids(session, Merchant, params), strict=True))
    return ids


def _coupon_rows(partner_id: int, offer_id: int, merchant_id: int | None,
                 record: OfferRecord, now: datetime) -> list[dict[str, Any]]:
    return [
        {"partner_id": partner_id, "external_id": c.external_id, "offer_id": offer_id,
         "merchant_id": merchant_id, "kind": c.kind, "currency": c.currency,
         "amount": c.amount, "percent_bp": c.percent_bp, "min_spend": c.min_spend,
         "code": c.code, "title": clip(c.title, 500), "url": c.url, "starts_at": c.starts_at,
         "ends_at": c.ends_at, "remaining": c.remaining, "total": c.total,
         "raw": c.raw, "updated_at": now, "retired_at": None}
        for c in record.coupons
    ]


def _replace_coupons(session: Session, partner_id: int, offer_ids: list[int],
                     rows: list[dict[str, Any]], now: datetime) -> None:
    """Upsert changed offers' coupons by (offer, external id); retire the ones gone."""
    existing = {
        (offer_id, ext): cid for offer_id, ext, cid in session.execute(
            select(Coupon.offer_id, Coupon.external_id, Coupon.id)
            .where(Coupon.offer_id.in_(offer_ids)))
    } if offer_ids else {}
    listed = {(row["offer_id"], row["external_id"]) for row in rows}
    gone = [cid for key, cid in existing.items() if key not in listed]
    if gone:
        session.execute(update(Coupon).where(Coupon.id.in_(gone)).values(retired_at=now))
    updates = [{"id": existing[(r["offer_id"], r["external_id"])], **r}
               for r in rows if (r["offer_id"], r["external_id"]) in existing]
    inserts = [r for r in rows if (r["offer_id"], r["external_id"]) not in existing]
    update_by_id(session, Coupon, updates)
    insert_rows(session, Coupon, inserts)


def ingest_offers(session: Session, *, partner: Partner, records: Sequence[OfferRecord],
                  now: datetime, run_id: int | None = None) -> IngestResult:
    """Insert new offers and update changed ones; unchanged ones cost no write.

    Does not commit. Which offers a crawl saw is the caller's to track (for retirement):
    touching every unchanged row would rewrite it and all its index entries.
    """
    batch = {r.external_id: r for r in records}  # a repeated id in one batch: last wins
    existing = {
        row.external_id: row
        for row in session.execute(
            select(Offer.id, Offer.external_id, Offer.content_hash, Offer.price,
                   Offer.final_price, Offer.retired_at, Offer.first_seen_at, Offer.ref_price,
                   Offer.prior_low_30d, Offer.prior_low_all, Offer.price_dropped_at,
                   Offer.list_price_inflated)
            .where(Offer.partner_id == partner.id, Offer.external_id.in_(batch))
        )
    }
    hashes = {ext: record_hash(r) for ext, r in batch.items()}
    fresh = [r for ext, r in batch.items() if ext not in existing]
    changed = [r for ext, r in batch.items() if ext in existing and (
        existing[ext].content_hash != hashes[ext] or existing[ext].retired_at is not None)]
    merchants = _merchant_ids(session, partner.id, fresh + changed)
    write = _Writer(session, partner=partner, run_id=run_id, now=now,
                    merchants=merchants, hashes=hashes)
    write.insert(fresh)
    write.update(changed, existing)
    insert_rows(session, PriceObservation, write.observations)
    return IngestResult(new=len(fresh), updated=len(changed),
                        unchanged=len(batch) - len(fresh) - len(changed))


class _Writer:
    """The rows one ingest batch writes; collects price observations as it goes."""

    def __init__(self, session: Session, *, partner: Partner, run_id: int | None,
                 now: datetime, merchants: dict[str, int], hashes: dict[str, str]) -> None:
        self.session, self.partner_id, self.run_id, self.now = session, partner.id, run_id, now
        self.reliability_bp = partner.reliability_bp
        self.network, self.taxonomy = partner.network, load_taxonomy()
        self.merchants, self.hashes = merchants, hashes
        self.observations: list[dict[str, Any]] = []

    def taxonomy_of(self, record: OfferRecord) -> int | None:
        return self.taxonomy.map(self.network, record.category)

    def _values(self, record: OfferRecord) -> dict[str, Any]:
        mid = self.merchants.get(record.shop_id or record.shop_name or "")
        return {**_offer_values(record, mid, self.now), "last_run_id": self.run_id,
                "taxonomy_id": self.taxonomy_of(record),
                "content_hash": self.hashes[record.external_id], "search_pending": True}

    def _priced(self, record: OfferRecord, old: Any = None,
                history: list[Any] | None = None) -> dict[str, Any]:
        return priced(price=record.price, list_price=record.list_price, coupons=record.coupons,
                      sales=record.sales or 0, in_stock=record.in_stock, now=self.now,
                      reliability_bp=self.reliability_bp, history=history,
                      previous=facts_of(old) if old is not None else None,
                      listed_at=old.first_seen_at if old is not None else None)

    def _observe(self, offer_id: int, record: OfferRecord, final_price: int) -> None:
        self.observations.append(observation(offer_id, currency=record.currency,
                                             price=record.price, final_price=final_price,
                                             now=self.now, run_id=self.run_id))

    def insert(self, fresh: list[OfferRecord]) -> None:
        if not fresh:
            return
        params = [{**self._values(r), **self._priced(r), "partner_id": self.partner_id,
                   "external_id": r.external_id, "first_seen_at": self.now} for r in fresh]
        facts = [OfferFacts(title=r.title, brand=r.brand, category=r.category,
                            image_url=v["image_url"], gtin=v["gtin"], mpn=r.mpn,
                            taxonomy_id=v["taxonomy_id"])
                 for r, v in zip(fresh, params, strict=True)]
        product_ids = place_new_offers(self.session, offers=facts, now=self.now)
        for values, product_id in zip(params, product_ids, strict=True):
            values["product_id"] = product_id
        offer_ids = insert_ids(self.session, Offer, params)
        coupons: list[dict[str, Any]] = []
        for record, oid, values in zip(fresh, offer_ids, params, strict=True):
            coupons += _coupon_rows(self.partner_id, oid, values["merchant_id"], record,
                                    self.now)
            self._observe(oid, record, values["final_price"])
        insert_rows(self.session, Coupon, coupons)

    def update(self, changed: list[OfferRecord], existing: dict[str, Any]) -> None:
        if not changed:
            return
        updates, coupons = [], []
        past = histories(self.session, (existing[r.external_id].id for r in changed))
        for record in changed:
            old = existing[record.external_id]
            values = {**self._values(record), "id": old.id,
                      **self._priced(record, old, past.get(old.id, []))}
            updates.append(values)
            coupons += _coupon_rows(self.partner_id, old.id, values["merchant_id"], record,
                                    self.now)
            if (old.price, old.final_price) != (record.price, values["final_price"]):
                self._observe(old.id, record, values["final_price"])
        update_by_id(self.session, Offer, updates)
        _replace_coupons(self.session, self.partner_id, [u["id"] for u in updates], coupons,
                         self.now)


def store_rejects(session: Session, *, partner_id: int, run_id: int | None,
                  rejects: Sequence[RejectRecord], now: datetime) -> int:
    if not rejects:
        return 0
    insert_rows(session, RejectedRecord, [
        {"partner_id": partner_id, "run_id": run_id, "external_id": r.external_id,
         "reason": r.reason[:500], "raw": r.raw, "created_at": now}
        for r in rejects
    ])
    return len(rejects)


CATALOG_TABLES = ("offers", "products", "merchants", "coupons")


def refresh_statistics(session: Session) -> None:
    """Let PostgreSQL's planner see a table that just grew.

    Right after a bulk load the statistics still describe an empty table, so lookups by
    (partner, external id) become sequential scans (measured: 10x slower re-crawls)
    until autovacuum gets round to it. SQLite plans by index without statistics.
    """
    if session.get_bind().dialect.name == "postgresql":
        for table in CATALOG_TABLES:
            session.execute(text(f"ANALYZE {table}"))
