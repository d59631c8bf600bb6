"""Table-driven tests of the taobao.tbk.order.details.get parser on real-format samples."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aggregator.records import OrderRecord
from crawlers.parsers.common import PartnerAPIError
from crawlers.parsers.taobao_orders import parse_order, parse_order_page
from tests.conftest import FEEDS
from tests.crawlers.order_support import by_id, load, reason_of, summary, utc

PAGE1 = load("taobao_order_details_page1.json")
BASE_ROW: dict[str, Any] = PAGE1["tbk_order_details_get_response"]["data"]["results"][
    "publisher_order_dto"][0]


def page_of(*rows: Any, **data: Any) -> dict[str, Any]:
    return {"tbk_order_details_get_response": {"data": {
        "results": {"publisher_order_dto": list(rows)}, **data}}}


def test_the_first_page_maps_every_status_and_keeps_the_cursor() -> None:
    page = parse_order_page(PAGE1, partner="taobao")
    assert (page.has_next, page.cursor, page.is_last) == (
        True, "1763611200_2001234567890777", False)
    rows = by_id(page)
    assert summary(rows["2001234567890601"]) == (
        "pending", 6990, 1083, utc("2026-11-20 04:00:00"), utc("2026-11-20 04:01:12"), "dg1001")
    assert summary(rows["2001234567890602"]) == (  # 14: received, still not settled
        "pending", 36800, 2870, utc("2026-11-18 01:30:00"), utc("2026-11-20 05:00:00"), "dg1002")
    assert summary(rows["2001234567890603"]) == (  # 3: settled, the settled fee
        "confirmed", 5490, 160, utc("2026-10-02 01:00:00"), utc("2026-11-20 02:00:05"), None)
    assert summary(rows["2001234567890604"]) == (  # 13: closed before settling
        "reversed", 19900, 597, utc("2026-11-19 12:00:00"), utc("2026-11-20 06:00:00"), "dg1004")
    assert "alipay_total_price" in reason_of(rows["2001234567890605"])
    first = rows["2001234567890601"]
    assert isinstance(first, OrderRecord)
    assert first.title == "完美日记 小细跟口红 哑光唇膏 V04" and first.currency == "CNY"
    assert first.raw["trade_parent_id"] == "2001234567890600"


def test_the_last_page_reverses_a_settled_order_under_refund() -> None:
    page = parse_order_page(load("taobao_order_details_page2.json"), partner="taobao")
    assert page.is_last and page.cursor == "1763625600_2001234567890777"
    (record,) = page.records
    assert summary(record) == (
        "reversed", 8900, 445, utc("2026-10-25 00:00:00"), utc("2026-11-20 08:00:00"), "dg1007")


def test_an_empty_window_is_the_last_page() -> None:
    page = parse_order_page(load("taobao_order_details_empty.json"), partner="taobao")
    assert (page.records, page.skipped, page.is_last) == ([], (), True)


def test_the_shared_sample_without_modified_time() -> None:
    shared = json.loads((FEEDS / "taobao" / "order_details.json").read_text(encoding="utf-8"))
    page = parse_order_page(shared, partner="taobao")
    rows = by_id(page)
    # No modified_time: the latest time the row has (paid), or the settle time.
    assert summary(rows["2001234567890123"]) == (
        "pending", 6990, 1083, utc("2026-11-20 04:00:00"), utc("2026-11-20 04:01:10"),
        "c_7f3a9b")
    assert summary(rows["2001234567890555"]) == (
        "confirmed", 5490, 165, utc("2026-10-02 01:00:00"), utc("2026-11-01 02:00:00"), "c_11aa")


def row(**changes: Any) -> dict[str, Any]:
    values = {**BASE_ROW, **changes}
    return {k: v for k, v in values.items() if v != "<drop>"}


SETTLED = {"tk_status": 3, "tk_earning_time": "2026-11-21 10:00:00", "pub_share_fee": "10.50"}

# (case, changes, expected (status, commission, status_at) or a reject reason)
CASES: list[tuple[str, dict[str, Any], tuple[Any, ...] | str]] = [
    ("status as text", {"tk_status": "12"}, ("pending", 1083, utc("2026-11-20 04:01:12"))),
    ("received", {"tk_status": 14}, ("pending", 1083, utc("2026-11-20 04:01:12"))),
    ("settled", {**SETTLED, "modified_time": "<drop>"},
     ("confirmed", 1050, utc("2026-11-21 02:00:00"))),
    ("settled, fee zero", {**SETTLED, "pub_share_fee": "0.00"},
     ("confirmed", 0, utc("2026-11-20 04:01:12"))),
    ("closed after settling", {**SETTLED, "tk_status": 13},
     ("reversed", 1050, utc("2026-11-20 04:01:12"))),
    ("closed, no fees", {"tk_status": 13, "pub_share_pre_fee": "", "pub_share_fee": "<drop>"},
     ("reversed", 0, utc("2026-11-20 04:01:12"))),
    ("refund_tag as text", {"refund_tag": "1"}, ("reversed", 1083, utc("2026-11-20 04:01:12"))),
    ("no times but paid", {"tk_create_time": "<drop>", "modified_time": "<drop>"},
     ("pending", 1083, utc("2026-11-20 04:01:10"))),
    ("unknown status", {"tk_status": 99}, "unknown tk_status 99"),
    ("status missing", {"tk_status": "<drop>"}, "unreadable tk_status"),
    ("status garbage", {"tk_status": "paid"}, "unreadable tk_status"),
    ("settled without a settle time", {"tk_status": 3}, "settled order without tk_earning_time"),
    ("no trade id", {"trade_id": ""}, "missing trade_id"),
    ("no times", {"tk_create_time": "", "tk_paid_time": "<drop>"},
     "missing tk_create_time and tk_paid_time"),
    ("garbled time", {"tk_create_time": "昨天"}, "bad tk_create_time"),
    ("no estimate while pending", {"pub_share_pre_fee": "<drop>"}, "missing pub_share_pre_fee"),
    ("negative fee", {"pub_share_pre_fee": "-1.00"}, "negative pub_share_pre_fee"),
    ("no price", {"alipay_total_price": ""}, "missing alipay_total_price"),
]


@pytest.mark.parametrize(("case", "changes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_row_variants(case: str, changes: dict[str, Any], expected: tuple[Any, ...] | str
                      ) -> None:
    page = parse_order_page(page_of(row(**changes)), partner="taobao")
    (record,) = page.records
    if isinstance(expected, str):
        assert expected in reason_of(record), case
        assert record.raw == row(**changes)
    else:
        status, _, commission, _, status_at, _ = summary(record)
        assert (status, commission, status_at) == expected, case


def test_ids_titles_and_sub_ids() -> None:
    record = parse_order(row(trade_id=2001234567890601, item_title="好" * 600,
                             external_id=None))
    assert record.order_id == "2001234567890601" and record.sub_id is None
    assert record.title == "好" * 500
    assert parse_order(row(external_id="0")).sub_id is None


def test_a_single_row_not_in_a_list_still_parses() -> None:
    body = {"tbk_order_details_get_response": {"data": {
        "results": {"publisher_order_dto": BASE_ROW}}}}
    page = parse_order_page(body, partner="taobao")
    assert [r.order_id for r in page.records if isinstance(r, OrderRecord)] == [
        "2001234567890601"]


@pytest.mark.parametrize("body", [
    {"error_response": {"code": 27, "msg": "Invalid session", "sub_code": "isv.session"}},
    {"something_else": {}},
])
def test_error_envelopes_raise(body: dict[str, Any]) -> None:
    with pytest.raises(PartnerAPIError):
        parse_order_page(body, partner="taobao")
