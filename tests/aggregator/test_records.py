"""The crawl → catalog edge refuses records that are not normalized."""

from __future__ import annotations

from typing import Any

import pytest

from aggregator.records import CouponRecord, OfferRecord, RejectRecord
from tests.aggregator.factories import coupon, offer, utc


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "bogo"}, "unknown coupon kind"),
        ({"kind": "amount_off", "amount": None}, "positive amount"),
        ({"kind": "amount_off", "amount": 0}, "positive amount"),
        ({"kind": "amount_off", "amount": -100}, "positive amount"),
        ({"kind": "percent_off", "amount": None, "percent_bp": None}, "1..10000 bp"),
        ({"kind": "percent_off", "amount": None, "percent_bp": 0}, "1..10000 bp"),
        ({"kind": "percent_off", "amount": None, "percent_bp": -500}, "1..10000 bp"),
        ({"kind": "percent_off", "amount": None, "percent_bp": 10001}, "1..10000 bp"),
        ({"min_spend": -1}, "negative minimum spend"),
        ({"starts_at": utc(2026, 12, 2), "ends_at": utc(2026, 12, 1)}, "ends before it starts"),
    ],
)
def test_coupon_record_rejects(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        coupon("c", **fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "amount_off", "amount": 1},
        {"kind": "percent_off", "amount": None, "percent_bp": 1},
        {"kind": "percent_off", "amount": None, "percent_bp": 10000},
        {"kind": "free_shipping", "amount": None},
        {"min_spend": 0},
        {"starts_at": utc(2026, 12, 1), "ends_at": utc(2026, 12, 1)},  # a zero-length window
        {"starts_at": None, "ends_at": utc(2026, 12, 1)},
    ],
)
def test_coupon_record_accepts(fields: dict[str, Any]) -> None:
    assert isinstance(coupon("c", **fields), CouponRecord)


@pytest.mark.parametrize(
    ("external_id", "fields", "message"),
    [
        ("", {}, "missing external id"),
        ("1", {"title": ""}, "missing title"),
        ("1", {"title": "   "}, "missing title"),
        ("1", {"price": -1}, "negative price"),
        ("1", {"list_price": -1}, "negative list price"),
        ("1", {"currency": "CN"}, "bad currency"),
        ("1", {"currency": "CNYY"}, "bad currency"),
        ("1", {"currency": ""}, "bad currency"),
    ],
)
def test_offer_record_rejects(external_id: str, fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        offer(external_id, **fields)


@pytest.mark.parametrize(
    "fields",
    [{"price": 0}, {"list_price": 0}, {"list_price": None}, {"currency": "JPY"}],
)
def test_offer_record_accepts(fields: dict[str, Any]) -> None:
    assert isinstance(offer("1", **fields), OfferRecord)


def test_records_are_frozen() -> None:
    record = offer("1")
    with pytest.raises(AttributeError):
        record.price = 1  # type: ignore[misc]


def test_raw_is_not_part_of_equality() -> None:
    assert offer("1", raw={"a": 1}) == offer("1", raw={"b": 2})
    assert offer("1", price=1) != offer("1", price=2)


def test_reject_record_defaults() -> None:
    reject = RejectRecord(partner="taobao", reason="bad price", raw={"item_id": "9"})
    assert reject.external_id is None
