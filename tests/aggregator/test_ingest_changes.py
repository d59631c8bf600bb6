"""Re-ingest of changed records: offers, coupons, price observations, retired offers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from aggregator.ingest import IngestResult, ingest_offers, record_hash
from aggregator.models import Offer, Partner
from tests.aggregator.factories import counts, coupon, coupons_of, observations, offer, offer_row
from tests.conftest import FIXED_NOW

NOW = FIXED_NOW
DAY = timedelta(days=1)
LATER = NOW + timedelta(hours=6)

ORIGINAL = {"price": 10000, "coupons": (coupon("c1", amount=1000, ends_at=NOW + 3 * DAY),)}


# (what changes, expected (price, final_price) observations after the second ingest)
CHANGES: list[tuple[str, dict[str, Any], list[tuple[int, int]]]] = [
    ("price down", {"price": 8000}, [(10000, 9000), (8000, 7000)]),
    ("price up", {"price": 12000}, [(10000, 9000), (12000, 11000)]),
    ("coupon grows", {"coupons": (coupon("c1", amount=3000, ends_at=NOW + 3 * DAY),)},
     [(10000, 9000), (10000, 7000)]),
    ("coupon dropped", {"coupons": ()}, [(10000, 9000), (10000, 10000)]),
    ("title only", {"title": "新标题"}, [(10000, 9000)]),
    ("stock only", {"in_stock": False}, [(10000, 9000)]),
    ("sales only", {"sales": 5000}, [(10000, 9000)]),
    ("coupon window moves, same final", {"coupons": (coupon("c1", amount=1000,
                                                            ends_at=NOW + 9 * DAY),)},
     [(10000, 9000)]),
    ("price up, bigger coupon: same final, new price",
     {"price": 11000, "coupons": (coupon("c1", amount=2000),)}, [(10000, 9000), (11000, 9000)]),
]


@pytest.mark.parametrize(("changes", "expected"), [c[1:] for c in CHANGES],
                         ids=[c[0] for c in CHANGES])
def test_changed_offer(session: Session, partner: Partner, changes: dict[str, Any],
                       expected: list[tuple[int, int]]) -> None:
    ingest_offers(session, partner=partner, records=[offer("1", **ORIGINAL)], now=NOW)
    first = offer_row(session, "1")
    offer_id, product_id, first_seen = first.id, first.product_id, first.first_seen_at
    before = counts(session)
    record = offer("1", **{**ORIGINAL, **changes})

    result = ingest_offers(session, partner=partner, records=[record], now=LATER)

    assert result == IngestResult(new=0, updated=1, unchanged=0)
    row = offer_row(session, "1")
    assert (row.id, row.product_id, row.first_seen_at) == (offer_id, product_id, first_seen)
    assert row.updated_at == LATER
    assert row.content_hash == record_hash(record)
    assert (row.price, row.final_price) == expected[-1]
    assert (row.title, row.in_stock, row.sales) == (record.title, record.in_stock, record.sales)
    assert observations(session, offer_id) == expected
    added = len(expected) - 1
    assert counts(session) == {**before, "observations": before["observations"] + added}


def test_coupon_with_a_new_window_replaces_the_old_one(session: Session,
                                                        partner: Partner) -> None:
    old = coupon("c-nov", amount=1000, starts_at=NOW - 3 * DAY, ends_at=NOW + DAY)
    new = coupon("c-dec", amount=2000, starts_at=NOW + DAY, ends_at=NOW + 30 * DAY)
    ingest_offers(session, partner=partner, records=[offer("1", coupons=(old,))], now=NOW)
    offer_id = offer_row(session, "1").id

    ingest_offers(session, partner=partner, records=[offer("1", coupons=(new,))], now=LATER)

    rows = coupons_of(session, offer_id)
    assert set(rows) == {"c-nov", "c-dec"}
    assert rows["c-nov"].retired_at == LATER
    assert rows["c-nov"].ends_at == NOW + DAY  # kept for history as it was
    assert rows["c-dec"].retired_at is None
    assert (rows["c-dec"].amount, rows["c-dec"].starts_at, rows["c-dec"].ends_at) == (
        2000, NOW + DAY, NOW + 30 * DAY)
    assert rows["c-dec"].updated_at == LATER
    row = offer_row(session, "1")
    # the new coupon has not started: full price until it does
    assert (row.final_price, row.final_price_until) == (10000, NOW + DAY)
    assert observations(session, offer_id) == [(10000, 9000), (10000, 10000)]


def test_same_coupon_id_with_new_terms_is_updated_in_place(session: Session,
                                                           partner: Partner) -> None:
    first = coupon("c1", amount=1000, ends_at=NOW + DAY, remaining=50)
    second = coupon("c1", amount=1500, ends_at=NOW + 7 * DAY, remaining=10)
    ingest_offers(session, partner=partner, records=[offer("1", coupons=(first,))], now=NOW)
    offer_id = offer_row(session, "1").id
    coupon_id = coupons_of(session, offer_id)["c1"].id

    ingest_offers(session, partner=partner, records=[offer("1", coupons=(second,))], now=LATER)

    rows = coupons_of(session, offer_id)
    assert list(rows) == ["c1"]
    c1 = rows["c1"]
    assert (c1.id, c1.amount, c1.ends_at, c1.remaining, c1.updated_at, c1.retired_at) == (
        coupon_id, 1500, NOW + 7 * DAY, 10, LATER, None)
    assert offer_row(session, "1").final_price == 8500


def test_a_coupon_listed_again_is_unretired(session: Session, partner: Partner) -> None:
    c1 = coupon("c1", amount=1000)
    ingest_offers(session, partner=partner, records=[offer("1", coupons=(c1,))], now=NOW)
    ingest_offers(session, partner=partner, records=[offer("1", coupons=())], now=LATER)
    offer_id = offer_row(session, "1").id
    assert coupons_of(session, offer_id)["c1"].retired_at == LATER

    ingest_offers(session, partner=partner, records=[offer("1", coupons=(c1,))],
                  now=LATER + DAY)

    assert coupons_of(session, offer_id)["c1"].retired_at is None
    assert counts(session)["coupons"] == 1
    assert observations(session, offer_id) == [(10000, 9000), (10000, 10000), (10000, 9000)]


@pytest.mark.parametrize(
    ("changes", "expected_observations"),
    [({}, [(10000, 9000)]), ({"price": 9000}, [(10000, 9000), (9000, 8000)])],
    ids=["same record", "new price"],
)
def test_retired_offer_that_reappears_is_unretired(
        session: Session, partner: Partner, changes: dict[str, Any],
        expected_observations: list[tuple[int, int]]) -> None:
    ingest_offers(session, partner=partner, records=[offer("1", **ORIGINAL)], now=NOW)
    offer_id = offer_row(session, "1").id
    session.execute(update(Offer).where(Offer.id == offer_id).values(retired_at=NOW + DAY))
    assert offer_row(session, "1").retired_at == NOW + DAY

    later = NOW + 2 * DAY
    result = ingest_offers(session, partner=partner,
                           records=[offer("1", **{**ORIGINAL, **changes})], now=later)

    assert result == IngestResult(new=0, updated=1, unchanged=0)
    row = offer_row(session, "1")
    assert row.retired_at is None
    assert row.updated_at == later
    assert observations(session, offer_id) == expected_observations
    assert counts(session)["offers"] == 1


def test_mixed_batch_counts(session: Session, partner: Partner) -> None:
    ingest_offers(session, partner=partner, records=[offer("1"), offer("2")], now=NOW)
    result = ingest_offers(session, partner=partner,
                           records=[offer("1"), offer("2", price=1), offer("3")], now=LATER)
    assert result == IngestResult(new=1, updated=1, unchanged=1)
    total = IngestResult()
    total.add(result)
    total.add(IngestResult(new=2))
    assert total == IngestResult(new=3, updated=1, unchanged=1)


@pytest.mark.parametrize("split", [False, True], ids=["one batch", "two batches"])
def test_a_coupon_shared_by_two_offers_does_not_abort_the_batch(
        session: Session, partner: Partner, split: bool) -> None:
    # A shop-wide coupon (店铺券) listed on every item of the shop.
    shop_coupon = coupon("shop-1-coupon", amount=500)
    records = [offer("1", coupons=(shop_coupon,)), offer("2", coupons=(shop_coupon,))]
    with session.begin_nested():
        for part in ([records[:1], records[1:]] if split else [records]):
            ingest_offers(session, partner=partner, records=part, now=NOW)
    assert offer_row(session, "1").final_price == 9500
    assert offer_row(session, "2").final_price == 9500
