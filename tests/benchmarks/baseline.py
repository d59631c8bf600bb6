"""The minimal loader both ingest benchmarks compare with.

It writes the same rows into the same tables as a first crawl (one product, one offer,
its coupon and its first price observation per record), reading the Taobao fields with
orjson and plain arithmetic and inserting with one executemany per table: no parser,
validation, hashing, history, matching keys or idempotency. What daogou does beyond
this is the cost the ratio measures.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.bulk import insert_ids, insert_rows
from aggregator.models import Coupon, Offer, Partner, PriceObservation, Product


def _cents(value: Any) -> int:
    return round(float(value or 0) * 100)


def load_page(session: Session, body: bytes, now: dt.datetime) -> int:
    """Insert one page of ``taobao.tbk.dg.material.optional``; returns the rows read."""
    response = orjson.loads(body)["tbk_dg_material_optional_response"]
    items = (response.get("result_list") or {}).get("map_data") or []
    if not items:
        return 0
    partner_id = session.scalar(select(Partner.id))
    product_ids = insert_ids(session, Product, [
        {"title": r.get("title") or "", "category": r.get("category_name"),
         "image_url": r.get("pict_url"), "match_pending": True, "created_at": now,
         "updated_at": now} for r in items])
    offers = []
    for r, product_id in zip(items, product_ids, strict=True):
        price = _cents(r.get("zk_final_price"))
        offers.append({
            "partner_id": partner_id, "external_id": str(r["item_id"]),
            "product_id": product_id, "title": r.get("title") or "",
            "category": r.get("category_name"), "image_url": r.get("pict_url"),
            "url": r.get("url") or "", "currency": "CNY", "price": price,
            "list_price": _cents(r.get("reserve_price")) or None,
            "final_price": max(price - _cents(r.get("coupon_amount")), 0),
            "commission_bp": int(r.get("commission_rate") or 0),
            "sales": int(r.get("volume") or 0), "in_stock": True, "content_hash": "",
            "raw": r, "first_seen_at": now, "updated_at": now})
    offer_ids = insert_ids(session, Offer, offers)
    insert_rows(session, Coupon, [
        {"partner_id": partner_id, "external_id": f"{r['item_id']}:{r.get('coupon_amount')}",
         "offer_id": oid, "kind": "amount_off", "currency": "CNY",
         "amount": _cents(r.get("coupon_amount")), "min_spend": _cents(r.get("coupon_start_fee")),
         "title": r.get("coupon_info") or "", "url": r.get("coupon_share_url"),
         "raw": {k: v for k, v in r.items() if k.startswith("coupon")}, "updated_at": now}
        for r, oid in zip(items, offer_ids, strict=True) if r.get("coupon_amount")])
    insert_rows(session, PriceObservation, [
        {"offer_id": oid, "observed_at": now, "currency": "CNY", "price": o["price"],
         "final_price": o["final_price"]} for o, oid in zip(offers, offer_ids, strict=True)])
    return len(items)
