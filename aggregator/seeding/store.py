"""Writing seeded rows: partners' shops, one batch of catalog rows, vouchers.

Core executemany through aggregator.bulk, no ORM objects; nothing here commits (the
caller owns the transaction). Products arrive already matched (``match_pending``
False), keyed as ``aggregator.matching.store`` keys a product from its founding offer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.bulk import insert_ids, insert_rows
from aggregator.models import Coupon, Merchant, Offer, Partner, PriceObservation, Product
from aggregator.seeding.coupons import VoucherDraft
from aggregator.seeding.rows import BatchRows
from aggregator.seeding.shops import NETWORK_WEIGHTS, Seller, Shop, market_of, shop_book


@dataclass
class SeedCounts:
    offers: int = 0
    products: int = 0
    coupons: int = 0
    observations: int = 0
    vouchers: int = 0

    def add(self, other: SeedCounts) -> None:
        self.offers += other.offers
        self.products += other.products
        self.coupons += other.coupons
        self.observations += other.observations
        self.vouchers += other.vouchers


def sellers_of(partners: Iterable[Partner]) -> list[Seller]:
    """The enabled partners with a catalog network, as seeded sellers, by slug."""
    return [Seller(slug=p.slug, network=p.network, currency=p.currency,
                   market=market_of(p.currency), weight=NETWORK_WEIGHTS[p.network],
                   reliability_bp=p.reliability_bp, hosts=tuple(p.allowed_hosts or ()))
            for p in sorted(partners, key=lambda p: p.slug)
            if p.enabled and p.network in NETWORK_WEIGHTS]


def ensure_merchants(session: Session, *, partner_id: int,
                     shops: Sequence[Shop]) -> dict[str, int]:
    """Shop external id -> merchant id for one partner, inserting the missing shops."""
    ids = {ext: mid for ext, mid in session.execute(
        select(Merchant.external_id, Merchant.id).where(Merchant.partner_id == partner_id))}
    missing = [s for s in shops if s.external_id not in ids]
    rows = [{"partner_id": partner_id, "external_id": s.external_id, "name": s.name,
             "platform": s.platform} for s in missing]
    ids.update(zip((s.external_id for s in missing), insert_ids(session, Merchant, rows),
                   strict=True))
    return ids


def seller_merchants(session: Session, *, sellers: Sequence[Seller],
                     partner_ids: dict[str, int]) -> dict[tuple[str, str], int]:
    merchants: dict[tuple[str, str], int] = {}
    for seller in sellers:
        shops = shop_book(seller.network).all()
        for ext, mid in ensure_merchants(session, partner_id=partner_ids[seller.slug],
                                         shops=shops).items():
            merchants[(seller.slug, ext)] = mid
    return merchants


def write_rows(session: Session, *, rows: BatchRows) -> SeedCounts:
    """Insert one batch, giving each row the ids of the rows it points at."""
    product_ids = insert_ids(session, Product, rows.products)
    for offer in rows.offers:
        offer["product_id"] = product_ids[offer["product_id"]]
    offer_ids = insert_ids(session, Offer, rows.offers)
    for coupon in rows.coupons:
        coupon["offer_id"] = offer_ids[coupon["offer_id"]]
    insert_rows(session, Coupon, rows.coupons)
    insert_rows(session, PriceObservation, [
        {"offer_id": offer_ids[at], "observed_at": when, "currency": currency, "price": price,
         "final_price": final, "run_id": None}
        for at, when, currency, price, final in rows.observations])
    return SeedCounts(offers=len(offer_ids), products=len(product_ids),
                      coupons=len(rows.coupons), observations=len(rows.observations))


def write_vouchers(session: Session, *, partner: Partner, vouchers: Sequence[VoucherDraft],
                   merchant_ids: dict[str, int], url: str | None, now: datetime) -> int:
    """Merchant-wide vouchers: no offer, the advertiser's merchant, a code to type."""
    rows = [{"partner_id": partner.id, "external_id": v.external_id, "offer_id": None,
             "merchant_id": merchant_ids[v.merchant], "kind": v.terms.kind,
             "currency": partner.currency, "amount": v.terms.amount,
             "percent_bp": v.terms.percent_bp, "min_spend": v.terms.min_spend, "code": v.code,
             "title": v.terms.title,
             "url": url.format(merchant=v.merchant) if url else None,
             "starts_at": v.starts_at, "ends_at": v.ends_at, "remaining": None, "total": None,
             "raw": {"promotion_id": v.external_id, "seeded": "1"}, "updated_at": now,
             "retired_at": v.retired_at} for v in vouchers]
    insert_rows(session, Coupon, rows)
    return len(rows)
