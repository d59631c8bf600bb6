"""First ingest, idempotent re-ingest, in-batch duplicates, merchants and rejects."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.crawl_runs import create_run
from aggregator.ingest import IngestResult, ingest_offers, record_hash, store_rejects
from aggregator.models import Merchant, Offer, Partner, PriceObservation, Product, RejectedRecord
from aggregator.pricing import END_GRACE
from aggregator.records import CouponRecord, OfferRecord, RejectRecord
from tests.aggregator.factories import (
    counts,
    coupon,
    coupons_of,
    observations,
    offer,
    offer_row,
)
from tests.conftest import FIXED_NOW

NOW = FIXED_NOW
DAY = timedelta(days=1)


def batch() -> list[OfferRecord]:
    return [
        offer("1", price=10000, coupons=(coupon("c1", amount=1500, ends_at=NOW + 3 * DAY),)),
        offer("2", price=5000, shop_id="shop-2", shop_name="大店",
              coupons=(coupon("c2", kind="percent_off", amount=None, percent_bp=1000),
                       coupon("c3", amount=2000, min_spend=8000))),
        offer("3", price=2999, shop_id=None, shop_name=None, in_stock=False, sales=0),
    ]


def test_first_ingest_inserts_everything(session: Session, partner: Partner) -> None:
    run = create_run(session, partner_id=partner.id, spider="taobao")
    result = ingest_offers(session, partner=partner, records=batch(), now=NOW, run_id=run.id)

    assert result == IngestResult(new=3, updated=0, unchanged=0)
    assert counts(session) == {"offers": 3, "products": 3, "merchants": 2, "coupons": 3,
                               "observations": 3}
    stored = {ext: offer_row(session, ext) for ext in ("1", "2", "3")}
    assert {ext: (o.price, o.final_price) for ext, o in stored.items()} == {
        "1": (10000, 8500), "2": (5000, 4500), "3": (2999, 2999)}
    for ext, record in zip(("1", "2", "3"), batch(), strict=True):
        row = stored[ext]
        assert row.partner_id == partner.id
        assert row.content_hash == record_hash(record)
        assert row.raw == {"item_id": ext}
        assert (row.first_seen_at, row.updated_at) == (NOW, NOW)
        assert row.retired_at is None
        assert row.last_run_id == run.id
        assert observations(session, row.id) == [(row.price, row.final_price)]
    assert stored["1"].final_price_until == NOW + 3 * DAY + END_GRACE
    assert stored["2"].final_price_until is None
    assert stored["1"].merchant_id is not None
    assert stored["3"].merchant_id is None
    assert stored["3"].in_stock is False
    assert len({o.product_id for o in stored.values()}) == 3
    product = session.get(Product, stored["1"].product_id)
    assert product is not None and product.title == "商品 1"
    merchant = session.get(Merchant, stored["2"].merchant_id)
    assert merchant is not None
    assert (merchant.external_id, merchant.name, merchant.platform) == ("shop-2", "大店", "淘宝")
    c1 = coupons_of(session, stored["1"].id)["c1"]
    assert (c1.kind, c1.amount, c1.ends_at, c1.retired_at) == ("amount_off", 1500,
                                                              NOW + 3 * DAY, None)
    assert c1.merchant_id == stored["1"].merchant_id
    assert set(coupons_of(session, stored["2"].id)) == {"c2", "c3"}
    obs_runs = session.scalars(select(PriceObservation.run_id)).all()
    assert set(obs_runs) == {run.id}


# (coupons, price, sales, in_stock) → stored (final_price, final_price_until, discount_bp, score)
# A new offer has no 30-day reference, so its discount is its coupon's; its score has the
# full 100 freshness points (see aggregator/scoring.py for the parts).
PRICED: list[tuple[tuple[CouponRecord, ...], int, int, bool, tuple[int, object, int, int]]] = [
    ((), 10000, 0, True, (10000, None, 0, 100)),
    # depth 250 + coupon 2500·200//3000 = 166 + fresh 100
    ((coupon("a", amount=2500),), 10000, 0, True, (7500, None, 2500, 516)),
    ((coupon("a", amount=2500, ends_at=NOW - DAY),), 10000, 0, True, (10000, None, 0, 100)),
    ((coupon("a", amount=2500, starts_at=NOW + DAY, ends_at=NOW + 2 * DAY),), 10000, 0, True,
     (10000, NOW + DAY, 0, 100)),
    # 250 + 166 + sales 120 + fresh 100
    ((coupon("a", amount=2500, ends_at=NOW + DAY),), 10000, 100, True,
     (7500, NOW + DAY + END_GRACE, 2500, 636)),
    ((coupon("a", amount=2500, remaining=0),), 10000, 0, True, (10000, None, 0, 100)),
    ((coupon("a", amount=2500, min_spend=10001),), 10000, 0, True, (10000, None, 0, 100)),
    # 500 + 200 + 100, out of stock -2000
    ((coupon("a", amount=50000),), 10000, 0, False, (0, None, 10000, -1200)),
    ((coupon("f", kind="free_shipping", amount=None),), 10000, 0, True, (10000, None, 0, 100)),
]


@pytest.mark.parametrize(("coupons", "price", "sales", "in_stock", "expected"), PRICED)
def test_stored_price_fields(session: Session, partner: Partner,
                             coupons: tuple[CouponRecord, ...], price: int, sales: int,
                             in_stock: bool, expected: tuple[int, datetime | None, int, int]
                             ) -> None:
    record = offer("9", price=price, sales=sales, in_stock=in_stock, coupons=coupons)
    ingest_offers(session, partner=partner, records=[record], now=NOW)
    row = offer_row(session, "9")
    assert (row.final_price, row.final_price_until, row.discount_bp, row.score) == expected
    assert observations(session, row.id) == [(price, expected[0])]


def test_reingesting_the_same_batch_changes_nothing(session: Session, partner: Partner) -> None:
    ingest_offers(session, partner=partner, records=batch(), now=NOW)
    before = counts(session)
    rows = {ext: offer_row(session, ext) for ext in ("1", "2", "3")}
    snapshot = {ext: (o.updated_at, o.content_hash, o.final_price, o.price, o.title)
                for ext, o in rows.items()}
    coupon_stamps = {c.external_id: c.updated_at for o in rows.values()
                     for c in coupons_of(session, o.id).values()}
    later = NOW + timedelta(hours=6)
    run = create_run(session, partner_id=partner.id, spider="taobao")

    result = ingest_offers(session, partner=partner, records=batch(), now=later, run_id=run.id)

    assert result == IngestResult(new=0, updated=0, unchanged=3)
    assert counts(session) == before
    for ext, expected in snapshot.items():
        row = offer_row(session, ext)
        assert (row.updated_at, row.content_hash, row.final_price, row.price,
                row.title) == expected
        assert row.last_run_id is None  # unchanged rows are not written at all
        for c in coupons_of(session, row.id).values():
            assert c.updated_at == coupon_stamps[c.external_id]


def test_duplicate_ids_in_one_batch_last_wins(session: Session, partner: Partner) -> None:
    records = [offer("1", price=100, title="old"), offer("2"), offer("1", price=200, title="new")]
    result = ingest_offers(session, partner=partner, records=records, now=NOW)
    assert result == IngestResult(new=2, updated=0, unchanged=0)
    assert counts(session)["offers"] == 2
    row = offer_row(session, "1")
    assert (row.price, row.title, row.content_hash) == (200, "new", record_hash(records[2]))
    assert observations(session, row.id) == [(200, 200)]


def test_merchants_are_reused_across_batches(session: Session, partner: Partner) -> None:
    ingest_offers(session, partner=partner, records=[offer("1")], now=NOW)
    first = session.scalars(select(Merchant)).all()
    assert [(m.external_id, m.name) for m in first] == [("shop-1", "小店")]
    ingest_offers(session, partner=partner,
                  records=[offer("2"), offer("3", shop_id=None, shop_name="小店")],
                  now=NOW + DAY)
    assert {offer_row(session, ext).merchant_id for ext in ("1", "2")} == {first[0].id}
    # a shop known only by its name is keyed by that name
    by_name = session.scalar(select(Merchant).where(Merchant.external_id == "小店"))
    assert by_name is not None
    assert offer_row(session, "3").merchant_id == by_name.id
    assert counts(session)["merchants"] == 2


def test_offers_are_per_partner(session: Session, partner: Partner) -> None:
    other = Partner(slug="jd", network="jd", name="京东联盟", currency="CNY")
    session.add(other)
    session.flush()
    ingest_offers(session, partner=partner, records=[offer("1")], now=NOW)
    result = ingest_offers(session, partner=other,
                           records=[offer("1", partner="jd", coupons=())], now=NOW)
    assert result.new == 1
    partners = session.scalars(select(Offer.partner_id).where(Offer.external_id == "1")).all()
    assert sorted(partners) == sorted([partner.id, other.id])


def test_store_rejects(session: Session, partner: Partner) -> None:
    run = create_run(session, partner_id=partner.id, spider="taobao")
    rejects = [
        RejectRecord(partner="taobao", reason="bad price: 'abc'", raw={"item_id": 7, "p": "abc"},
                     external_id="7"),
        RejectRecord(partner="taobao", reason="x" * 600, raw={"nothing": None}),
    ]
    assert store_rejects(session, partner_id=partner.id, run_id=run.id, rejects=rejects,
                         now=NOW) == 2
    rows = session.scalars(select(RejectedRecord).order_by(RejectedRecord.id)).all()
    assert [(r.partner_id, r.run_id, r.external_id, r.created_at) for r in rows] == [
        (partner.id, run.id, "7", NOW), (partner.id, run.id, None, NOW)]
    assert rows[0].reason == "bad price: 'abc'"
    assert rows[0].raw == {"item_id": 7, "p": "abc"}
    assert rows[1].raw == {"nothing": None}
    assert rows[1].reason == "x" * 500


def test_store_no_rejects(session: Session, partner: Partner) -> None:
    assert store_rejects(session, partner_id=partner.id, run_id=None, rejects=[], now=NOW) == 0
    assert session.scalars(select(RejectedRecord)).all() == []


@pytest.mark.parametrize(
    ("changed", "same_hash"),
    [
        ({"raw": {"anything": "else"}}, True),
        ({"price": 10001}, False),
        ({"title": "商品 1 新款"}, False),
        ({"in_stock": False}, False),
        ({"sales": 101}, False),
        ({"coupons": (coupon("c1"),)}, False),
        ({"coupons": (coupon("c1", ends_at=NOW + DAY),)}, False),
    ],
)
def test_record_hash(changed: dict[str, object], same_hash: bool) -> None:
    base = offer("1")
    digest = record_hash(base)
    assert len(digest) == 32 and int(digest, 16) >= 0
    assert record_hash(offer("1")) == digest
    assert (record_hash(offer("1", **changed)) == digest) is same_hash


def test_overlong_free_text_is_cut_to_its_column(session: Session, partner: Partner) -> None:
    long = offer("long", title="长" * 700, brand="B" * 300, category="C" * 400,
                 image_url="https://img.example.com/" + "x" * 2100)
    assert ingest_offers(session, partner=partner, records=[long], now=NOW).new == 1
    row = offer_row(session, "long")
    assert (len(row.title), len(row.brand or ""), len(row.category or "")) == (500, 120, 255)
    assert row.image_url is None  # a cut URL would be a broken link
