"""Merchant-wide vouchers and promotions (Awin): coupons that belong to no single offer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.bulk import insert_ids, insert_rows, update_by_id
from aggregator.ingest import IngestResult
from aggregator.models import Coupon, Merchant, Partner
from aggregator.records import VoucherRecord

# Fields compared to tell an unchanged voucher (no write) from a changed one.
_COMPARED = ("merchant_id", "kind", "currency", "amount", "percent_bp", "min_spend", "code",
             "title", "url", "starts_at", "ends_at", "remaining", "total")


def _merchants(session: Session, partner_id: int,
               records: Sequence[VoucherRecord]) -> dict[str, int]:
    names = {r.merchant_id: r.merchant_name for r in records}
    ids = dict(session.execute(
        select(Merchant.external_id, Merchant.id)
        .where(Merchant.partner_id == partner_id, Merchant.external_id.in_(names))
    ).all())
    missing = [ext for ext in names if ext not in ids]
    rows = [{"partner_id": partner_id, "external_id": ext, "name": names[ext] or ext,
             "platform": None} for ext in missing]
    ids.update(zip(missing, insert_ids(session, Merchant, rows), strict=True))
    return ids


def _row(record: VoucherRecord, partner_id: int, merchant_id: int,
         now: datetime) -> dict[str, Any]:
    c = record.coupon
    return {"partner_id": partner_id, "external_id": c.external_id, "offer_id": None,
            "merchant_id": merchant_id, "kind": c.kind, "currency": c.currency,
            "amount": c.amount, "percent_bp": c.percent_bp, "min_spend": c.min_spend,
            "code": c.code, "title": c.title, "url": record.url or c.url,
            "starts_at": c.starts_at, "ends_at": c.ends_at, "remaining": c.remaining,
            "total": c.total, "raw": record.raw, "updated_at": now, "retired_at": None}


def ingest_vouchers(session: Session, *, partner: Partner, records: Sequence[VoucherRecord],
                    now: datetime) -> IngestResult:
    """Upsert vouchers by (partner, external id); unchanged ones cost no write."""
    batch = {r.coupon.external_id: r for r in records}
    merchants = _merchants(session, partner.id, list(batch.values()))
    existing = {c.external_id: c for c in session.scalars(
        select(Coupon).where(Coupon.partner_id == partner.id, Coupon.offer_id.is_(None),
                             Coupon.external_id.in_(batch)))}
    rows = {ext: _row(r, partner.id, merchants[r.merchant_id], now) for ext, r in batch.items()}
    inserts = [row for ext, row in rows.items() if ext not in existing]
    updates = [{**row, "id": existing[ext].id} for ext, row in rows.items()
               if ext in existing and (existing[ext].retired_at is not None or any(
                   getattr(existing[ext], f) != row[f] for f in _COMPARED))]
    insert_rows(session, Coupon, inserts)
    update_by_id(session, Coupon, updates)
    return IngestResult(new=len(inserts), updated=len(updates),
                        unchanged=len(rows) - len(inserts) - len(updates))
