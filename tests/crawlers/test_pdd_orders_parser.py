"""Table-driven tests of the pdd.ddk.order.list.increment.get parser on real-format samples."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from aggregator.records import OrderRecord
from crawlers.parsers.common import PartnerAPIError
from crawlers.parsers.orders import SkippedOrder
from crawlers.parsers.pdd_orders import (
    parse_order,
    parse_order_page,
    sub_id_from_custom_parameters,
)
from tests.conftest import FEEDS
from tests.crawlers.order_support import by_id, load, reason_of, summary

SAMPLE = load("pdd_order_list_increment.json")
BASE_ROW: dict[str, Any] = SAMPLE["order_list_get_response"]["order_list"][0]


def at(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def test_the_sample_page_maps_every_status() -> None:
    page = parse_order_page(SAMPLE, partner="pdd")
    assert (page.total, page.has_next, page.rows) == (9, None, 9)
    rows = by_id(page)
    expected = {
        "261120-000000000000001": ("pending", 1490, 298, at(1763600000), at(1763600100),
                                   "dg2001"),
        "261120-000000000000002": ("pending", 14900, 1267, at(1763500000), at(1763600200),
                                   "dg2002"),
        "261120-000000000000003": ("confirmed", 990, 99, at(1762000000), at(1763600300),
                                   "dg2003"),
        "261120-000000000000004": ("reversed", 500, 50, at(1763400000), at(1763600400), None),
        "261120-000000000000005": ("reversed", 3900, 390, at(1763300000), at(1763600500), None),
        "261120-000000000000009": ("pending", 6800, 680, at(1763000000), at(1763600900),
                                   "dg2009"),
    }
    assert {k: summary(rows[k]) for k in expected} == expected
    assert "not a whole number of fen" in reason_of(rows["261120-000000000000007"])
    assert reason_of(rows["261120-000000000000008"]) == "unknown order_status 7"
    assert page.skipped == (SkippedOrder("261120-000000000000006",
                                         "unpaid (order_status -1): not an order yet"),)
    assert "261120-000000000000006" not in rows


def test_the_shared_sample() -> None:
    body = json.loads((FEEDS / "pdd" / "order_list_increment.json").read_text("utf-8"))
    (record,) = parse_order_page(body, partner="pdd").records
    assert summary(record) == ("pending", 1490, 298, at(1763600000), at(1763600100), "c_9b2e")
    assert isinstance(record, OrderRecord) and record.title == "心相印 抽纸"


def row(**changes: Any) -> dict[str, Any]:
    values = {**BASE_ROW, **changes}
    return {k: v for k, v in values.items() if v != "<drop>"}


# (case, changes, expected status or a reject reason)
CASES: list[tuple[str, dict[str, Any], str]] = [
    ("grouped", {"order_status": 1}, "pending"),
    ("audited", {"order_status": 3}, "pending"),
    ("status as text", {"order_status": "5"}, "confirmed"),
    ("no commission item", {"order_status": 8}, "reversed"),
    ("penalised", {"order_status": 10}, "reversed"),
    ("unknown status", {"order_status": 6}, "reject: unknown order_status 6"),
    ("no status", {"order_status": "<drop>"}, "reject: unreadable order_status"),
    ("no order_sn", {"order_sn": ""}, "reject: missing order_sn"),
    ("amount in yuan", {"order_amount": "14.90"}, "reject: order_amount"),
    ("no commission", {"promotion_amount": "<drop>"}, "reject: promotion_amount"),
    ("no modify time", {"order_modify_at": "<drop>"}, "reject: missing order_modify_at"),
    ("garbled modify time", {"order_modify_at": "soon"}, "reject: bad order_modify_at"),
    ("negative amount", {"order_amount": -100}, "reject: cannot be negative"),
]


@pytest.mark.parametrize(("case", "changes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_row_variants(case: str, changes: dict[str, Any], expected: str) -> None:
    (record,) = parse_order_page({"order_list_get_response": {"order_list": [row(**changes)]}},
                                 partner="pdd").records
    if expected.startswith("reject: "):
        assert expected.removeprefix("reject: ") in reason_of(record), case
    else:
        assert summary(record)[0] == expected, case


def test_occurred_at_falls_back_to_the_pay_then_the_modify_time() -> None:
    paid = parse_order(row(order_create_time="<drop>"))
    assert isinstance(paid, OrderRecord) and paid.occurred_at == at(1763600030)
    modified = parse_order(row(order_create_time=0, order_pay_time="<drop>"))
    assert isinstance(modified, OrderRecord) and modified.occurred_at == at(1763600100)


@pytest.mark.parametrize(("value", "sub_id"), [
    ('{"sid":"dg123"}', "dg123"),
    ('{"sid": "dg123", "uid": "42"}', "dg123"),
    ('{"uid":"42"}', None),
    ('{"sid": 123}', "123"),
    ("dg123", "dg123"),
    ("{not json", "{not json"),
    ('["dg123"]', None),
    ("", None),
    (None, None),
])
def test_sub_id_from_custom_parameters(value: object, sub_id: str | None) -> None:
    assert sub_id_from_custom_parameters(value) == sub_id


def test_an_error_envelope_raises() -> None:
    sub_msg = "end_update_time 与 start_update_time 相差不能超过24小时"
    body = {"error_response": {"error_code": 10000, "error_msg": "参数错误", "sub_msg": sub_msg}}
    with pytest.raises(PartnerAPIError, match="24小时"):
        parse_order_page(body, partner="pdd")


def test_an_empty_answer_is_an_empty_page() -> None:
    page = parse_order_page({"order_list_get_response": {"total_count": 0, "order_list": []}},
                            partner="pdd")
    assert page.is_last and page.total == 0
