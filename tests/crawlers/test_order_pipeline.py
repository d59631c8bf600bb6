"""ValidationPipeline on order records: kept in any currency, ids checked against the
conversions table."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from aggregator.records import OrderRecord, RejectRecord
from crawlers.items import RecordBatch
from crawlers.pipelines import ValidationPipeline
from tests.crawlers.order_support import utc


def _order(**fields: Any) -> OrderRecord:
    values: dict[str, Any] = {
        "order_id": "1591984035", "status": "pending", "currency": "GBP", "order_amount": 4256,
        "commission_amount": 426, "occurred_at": utc("2026-11-20 21:10:00"),
        "status_at": utc("2026-11-20 21:10:00"), "sub_id": "dg7", "raw": {"id": 1591984035}}
    values.update(fields)
    return OrderRecord(**values)


class _Pipeline(ValidationPipeline):
    @property
    def spider(self) -> Any:
        return SimpleNamespace(config=SimpleNamespace(currency="GBP", slug="awin"))


def _checked(*records: OrderRecord) -> list[Any]:
    return list(_Pipeline(crawler=None).process_item(RecordBatch(records)).records)  # type: ignore[arg-type]


def test_orders_in_any_currency_pass() -> None:
    euro = _order(currency="EUR")
    assert _checked(_order(), euro) == [_order(), euro]


def test_an_order_id_the_table_cannot_hold_is_rejected() -> None:
    (reject,) = _checked(_order(order_id="9" * 101))
    assert isinstance(reject, RejectRecord)
    assert (reject.partner, reject.reason) == ("awin", "order id longer than 100")
    assert reject.raw == {"id": 1591984035} and reject.external_id == "9" * 101


def test_so_long_a_sub_id_is_none_of_ours_and_the_order_stays_unattributed() -> None:
    (order,) = _checked(_order(sub_id="x" * 101))
    assert isinstance(order, OrderRecord) and order.sub_id is None
    assert order.order_id == "1591984035"
