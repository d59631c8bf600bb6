"""Table-driven tests of the jd.union.open.order.row.query parser on real-format samples."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aggregator.records import OrderRecord
from crawlers.parsers.common import PartnerAPIError
from crawlers.parsers.jd_orders import parse_order, parse_order_page
from crawlers.parsers.orders import SkippedOrder
from tests.conftest import FEEDS
from tests.crawlers.order_support import by_id, load, reason_of, summary, utc

PAGE1 = load("jd_order_row_query_page1.json")
ROWS: list[dict[str, Any]] = json.loads(
    PAGE1["jd_union_open_order_row_query_responce"]["queryResult"])["data"]
BASE_ROW = ROWS[0]


def page_of(*rows: Any, more: bool = False) -> dict[str, Any]:
    inner = {"code": 200, "message": "success", "hasMore": more, "data": list(rows)}
    return {"jd_union_open_order_row_query_response": {"code": "0", "result": json.dumps(inner)}}


def test_the_first_page_maps_every_valid_code() -> None:
    page = parse_order_page(PAGE1, partner="jd")
    assert (page.has_next, page.is_last, page.rows) == (True, False, 8)
    rows = by_id(page)
    assert summary(rows["2500000000011001"]) == (  # 16 paid
        "pending", 26900, 2018, utc("2026-11-20 12:11:00"), utc("2026-11-20 12:15:00"), "dg3001")
    assert summary(rows["2500000000012001"]) == (  # 17 with finishTime and actualFee
        "confirmed", 178900, 1789, utc("2026-11-01 02:00:00"), utc("2026-11-20 13:00:00"),
        "dg3002")
    assert summary(rows["2500000000013001"]) == (  # 17, actual fee not worked out yet
        "pending", 3990, 80, utc("2026-11-19 00:00:00"), utc("2026-11-20 13:30:00"), "dg3003")
    assert summary(rows["250000000014:100011111111"]) == (  # invalid; no row id
        "reversed", 5900, 354, utc("2026-11-20 01:00:00"), utc("2026-11-20 14:00:00"), "dg3004")
    assert summary(rows["2500000000016001"]) == (  # paid out in payMonth
        "confirmed", 12000, 600, utc("2026-10-01 02:00:00"), utc("2026-11-20 15:00:00"), None)
    assert reason_of(rows["2500000000017001"]) == "unknown validCode -1"
    assert "bad orderTime" in reason_of(rows["2500000000018001"])
    assert page.skipped == (SkippedOrder(
        "2500000000015001", "awaiting payment (validCode 15): not an order yet"),)


def test_the_last_page_has_no_data() -> None:
    page = parse_order_page(load("jd_order_row_query_last.json"), partner="jd")
    assert (page.records, page.is_last) == ([], True)


def test_the_shared_sample() -> None:
    body = json.loads((FEEDS / "jd" / "order_row_query_response.json").read_text("utf-8"))
    (record,) = parse_order_page(body, partner="jd").records
    assert summary(record) == (
        "pending", 26900, 2018, utc("2026-11-20 12:11:00"), utc("2026-11-20 12:15:00"), "c_5d1e")
    assert isinstance(record, OrderRecord) and record.order_id == "250000000001"


def row(**changes: Any) -> dict[str, Any]:
    values = {**BASE_ROW, **changes}
    return {k: v for k, v in values.items() if v != "<drop>"}


DONE = {"validCode": 17, "finishTime": "2026-11-21 10:00:00", "actualFee": 19.5,
        "actualCosPrice": 260.0}

# (case, changes, expected (status, amount, commission) or a reject reason)
CASES: list[tuple[str, dict[str, Any], tuple[str, int, int] | str]] = [
    ("paid, code as text", {"validCode": "16"}, ("pending", 26900, 2018)),
    ("deposit paid", {"validCode": 24}, ("pending", 26900, 2018)),
    ("completed and worked out", DONE, ("confirmed", 26000, 1950)),
    ("completed, no actual price", {**DONE, "actualCosPrice": "<drop>"},
     ("confirmed", 26900, 1950)),
    ("completed, no finish time", {**DONE, "finishTime": ""}, ("pending", 26900, 2018)),
    ("completed, paid out at 0", {**DONE, "actualFee": 0.0, "payMonth": "20261220"},
     ("confirmed", 26000, 0)),
    ("invalid: cancelled", {"validCode": 3}, ("reversed", 26900, 2018)),
    ("invalid: split", {"validCode": 2}, ("reversed", 26900, 2018)),
    ("invalid: first order invalid", {"validCode": 20}, ("reversed", 26900, 2018)),
    ("invalid: cloud shop", {"validCode": 21}, ("reversed", 26900, 2018)),
    ("unknown code", {"validCode": 99}, "unknown validCode 99"),
    ("no code", {"validCode": "<drop>"}, "unreadable validCode"),
    ("no order id", {"id": "<drop>", "orderId": "<drop>"}, "missing orderId"),
    ("no estimate", {"estimateFee": "<drop>"}, "missing estimateFee"),
    ("estimate text", {"estimateFee": "二十"}, "unparseable estimateFee"),
    ("no order time", {"orderTime": ""}, "missing orderTime"),
    ("completed, actual fee garbled", {**DONE, "actualFee": "x"}, "unparseable actualFee"),
]


@pytest.mark.parametrize(("case", "changes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_row_variants(case: str, changes: dict[str, Any],
                      expected: tuple[str, int, int] | str) -> None:
    (record,) = parse_order_page(page_of(row(**changes)), partner="jd").records
    if isinstance(expected, str):
        assert expected in reason_of(record), case
    else:
        status, amount, commission, *_ = summary(record)
        assert (status, amount, commission) == expected, case


def test_awaiting_payment_is_skipped_not_rejected() -> None:
    skipped = parse_order(row(validCode=15))
    assert isinstance(skipped, SkippedOrder) and "validCode 15" in skipped.reason


def test_status_time_falls_back_to_finish_then_order_time() -> None:
    finished = parse_order(row(modifyTime="<drop>", **{k: v for k, v in DONE.items()}))
    assert isinstance(finished, OrderRecord)
    assert finished.status_at == utc("2026-11-21 02:00:00")
    ordered = parse_order(row(modifyTime=""))
    assert isinstance(ordered, OrderRecord) and ordered.status_at == ordered.occurred_at


def test_row_ids() -> None:
    def order_id(**changes: Any) -> str:
        record = parse_order(row(**changes))
        assert isinstance(record, OrderRecord)
        return record.order_id

    assert order_id() == "2500000000011001"
    assert order_id(id="<drop>") == "250000000011:100012043978"
    assert order_id(id=0, skuId="<drop>") == "250000000011"


@pytest.mark.parametrize("body", [
    {"error_response": {"code": "19", "zh_desc": "无效的app_key", "en_desc": "Invalid app_key"}},
    {"errorResponse": {"code": "1000", "msg": "sign invalid"}},
    {"jd_union_open_order_row_query_response": {"code": "0", "result": json.dumps(
        {"code": 400, "message": "时间跨度不能超过1小时"})}},
    {"jd_union_open_goods_query_response": {"code": "0", "result": "{}"}},  # the wrong API
])
def test_error_answers_raise(body: dict[str, Any]) -> None:
    with pytest.raises(PartnerAPIError):
        parse_order_page(body, partner="jd")
