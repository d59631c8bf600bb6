"""Seeded drafts turned into table rows, ready for executemany; pure, no database.

A batch's rows point at each other by position (an offer row's ``product_id`` is its
product's index in the batch, a coupon's ``offer_id`` its offer's index), and
``aggregator.seeding.store.write_rows`` swaps in the ids the inserts hand out. So the
rows can be built in another process (see aggregator.seeding.pipeline).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aggregator.matching.store import OfferFacts, product_row, taxonomy_root
from aggregator.seeding.generator import CatalogGenerator, OfferDraft, ProductDraft
from aggregator.seeding.keys import title_keys
from aggregator.seeding.prices import CouponDraft, pricing_columns
from aggregator.seeding.shops import Seller
from aggregator.seeding.texts import coupon_url_template
from aggregator.taxonomy import Taxonomy, load_taxonomy

# (offer index, observed_at, currency, price, final_price): tuples pickle faster than dicts
ObservationRow = tuple[int, datetime, str, int, int]


@dataclass(frozen=True)
class SeedSpec:
    """Everything that decides the seeded rows; picklable, so a producer process can
    build them."""

    seed: int
    offers: int
    now: datetime
    sandbox: str  # base URL of the sandbox server, which draws the images
    sellers: tuple[Seller, ...]
    partner_ids: dict[str, int]  # slug -> id
    merchant_ids: dict[tuple[str, str], int]  # (slug, shop external id) -> id

    def generator(self, taxonomy: Taxonomy) -> CatalogGenerator:
        return CatalogGenerator(seed=self.seed, offers=self.offers, sellers=self.sellers,
                                now=self.now, sandbox=self.sandbox, taxonomy=taxonomy)


@dataclass
class BatchRows:
    products: list[dict[str, Any]] = field(default_factory=list)
    offers: list[dict[str, Any]] = field(default_factory=list)
    coupons: list[dict[str, Any]] = field(default_factory=list)
    observations: list[ObservationRow] = field(default_factory=list)


def content_hash(offer: OfferDraft) -> str:
    """Stands in for ingest's record hash: seeded external ids never meet a crawl's."""
    payload = f"{offer.external_id}\x1f{offer.title}\x1f{offer.price}\x1f{offer.list_price}"
    return hashlib.md5(payload.encode(), usedforsecurity=False).hexdigest()


def _product_row(product: ProductDraft, spec: SeedSpec, taxonomy: Taxonomy) -> dict[str, Any]:
    """Described and keyed by its founding (first) offer, as the matcher does."""
    founder = product.offers[0]
    taxonomy_id = taxonomy.map(founder.seller.network, founder.category)
    facts = OfferFacts(title=founder.title, brand=founder.brand, category=founder.category,
                       image_url=product.image_url, gtin=founder.gtin, mpn=founder.mpn,
                       taxonomy_id=taxonomy_id)
    keys = title_keys(founder.parts, brand=founder.brand, mpn=founder.mpn, gtin=founder.gtin,
                      taxonomy_id=taxonomy_root(taxonomy_id))
    row = product_row(facts, keys, spec.now)
    row["gtin"] = row["gtin"] or next((o.gtin for o in product.offers if o.gtin), None)
    row["created_at"] = min(o.first_seen_at for o in product.offers)
    row["updated_at"] = max(o.updated_at for o in product.offers)
    return row


def _offer_row(offer: OfferDraft, product: ProductDraft, product_at: int, spec: SeedSpec,
               taxonomy: Taxonomy) -> dict[str, Any]:
    seller = offer.seller
    merchant_id = spec.merchant_ids.get((seller.slug, offer.shop)) if offer.shop else None
    return {
        "partner_id": spec.partner_ids[seller.slug], "external_id": offer.external_id,
        "product_id": product_at, "merchant_id": merchant_id, "title": offer.title,
        "brand": offer.brand, "category": offer.category, "image_url": product.image_url,
        "url": offer.url, "currency": seller.currency, "price": offer.price,
        "list_price": offer.list_price, "commission_bp": offer.commission_bp,
        "sales": offer.sales, "in_stock": offer.in_stock, "gtin": offer.gtin,
        "mpn": offer.mpn, "taxonomy_id": taxonomy.map(seller.network, offer.category),
        "content_hash": content_hash(offer), "raw": offer.raw,
        "first_seen_at": offer.first_seen_at, "updated_at": offer.updated_at,
        "last_run_id": None, "retired_at": None,
        **pricing_columns(history=offer.history, list_price=offer.list_price,
                          coupons=offer.coupons, sales=offer.sales, in_stock=offer.in_stock,
                          listed_at=offer.first_seen_at, now=spec.now,
                          reliability_bp=seller.reliability_bp),
    }


def _coupon_row(coupon: CouponDraft, offer: OfferDraft, offer_row: dict[str, Any],
                offer_at: int, seed: int) -> dict[str, Any]:
    url = coupon_url_template(offer.seller.network, offer.seller.hosts)
    return {"partner_id": offer_row["partner_id"], "external_id": coupon.external_id,
            "offer_id": offer_at, "merchant_id": offer_row["merchant_id"], "kind": coupon.kind,
            "currency": offer_row["currency"], "amount": coupon.amount,
            "percent_bp": coupon.percent_bp, "min_spend": coupon.min_spend, "code": None,
            "title": coupon.title, "url": url.format(ext=coupon.external_id) if url else None,
            "starts_at": coupon.starts_at, "ends_at": coupon.ends_at,
            "remaining": coupon.remaining, "total": coupon.total,
            "raw": {"coupon_info": coupon.title, "seeded": str(seed)},
            "updated_at": offer.updated_at, "retired_at": coupon.retired_at}


def build_rows(products: list[ProductDraft], spec: SeedSpec, taxonomy: Taxonomy) -> BatchRows:
    rows = BatchRows(products=[_product_row(p, spec, taxonomy) for p in products])
    for product_at, product in enumerate(products):
        for offer in product.offers:
            offer_at = len(rows.offers)
            row = _offer_row(offer, product, product_at, spec, taxonomy)
            rows.offers.append(row)
            rows.coupons += [_coupon_row(c, offer, row, offer_at, spec.seed)
                             for c in offer.coupons]
            currency = row["currency"]
            rows.observations += [(offer_at, o.at, currency, o.price, o.final_price)
                                  for o in offer.history]
    return rows


def row_batches(spec: SeedSpec, size: int) -> Iterator[BatchRows]:
    """The whole seeded catalog, batch by batch of about ``size`` offers."""
    taxonomy = load_taxonomy()
    for products in spec.generator(taxonomy).batches(size):
        yield build_rows(products, spec, taxonomy)
