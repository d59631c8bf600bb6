"""ValidationPipeline: business checks turn records into rejects, never drop them."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from aggregator.records import CouponRecord, OfferRecord, RejectRecord, VoucherRecord
from crawlers.items import RecordBatch
from crawlers.pipelines import ValidationPipeline


def _offer(**fields: Any) -> OfferRecord:
    values: dict[str, Any] = {"partner": "p", "external_id": "1", "title": "t",
                              "url": "https://example.com/1", "currency": "CNY", "price": 100}
    values.update(fields)
    return OfferRecord(**values)


class _Pipeline(ValidationPipeline):
    """The real checks, with a stand-in spider that has only what they read."""

    @property
    def spider(self) -> Any:
        return SimpleNamespace(config=SimpleNamespace(currency="CNY"))


def _pipeline() -> ValidationPipeline:
    return _Pipeline(crawler=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(("fields", "reason"), [
    ({}, None),
    ({"currency": "GBP"}, "currency GBP differs"),
    ({"price": 10_000_000_001}, "implausible price"),
    ({"external_id": "x" * 192}, "external id longer"),
    ({"url": "https://example.com/" + "x" * 2000}, "url longer"),
    ({"coupons": (CouponRecord(external_id="c" * 200, kind="free_shipping", currency="CNY",
                               title="包邮"),)}, "coupon id longer"),
])
def test_checks(fields: dict[str, Any], reason: str | None) -> None:
    (record,) = _pipeline().process_item(_offer(**fields)).records
    if reason is None:
        assert isinstance(record, OfferRecord)
    else:
        assert isinstance(record, RejectRecord) and reason in record.reason
        assert record.external_id == _offer(**fields).external_id


def test_batches_pass_vouchers_and_rejects_through() -> None:
    voucher = VoucherRecord(partner="p", merchant_id="m", merchant_name="M", coupon=CouponRecord(
        external_id="v", kind="free_shipping", currency="GBP", title="Free delivery"))
    reject = RejectRecord(partner="p", reason="bad", raw={})
    out = _pipeline().process_item(RecordBatch([voucher, reject, _offer()]))
    assert out.records[:2] == [voucher, reject] and isinstance(out.records[2], OfferRecord)
