"""Taobao Union ``taobao.tbk.order.details.get``: raw JSON → order records.

Pure functions; covered by tests/crawlers/test_taobao_orders_parser.py.

Response: ``tbk_order_details_get_response.data`` with ``results.publisher_order_dto[]``,
``has_next`` and the ``position_index`` cursor the next page sends back. One row is one
sub-order (``trade_id``; ``trade_parent_id`` is the shopping-cart order), times are
UTC+8 wall clock, money is decimal yuan as strings.

Statuses (``tk_status``):

====  ===================  =========
12    paid                 pending
14    received (确认收货)   pending
3     settled (结算)        confirmed
13    closed / invalid     reversed
====  ===================  =========

``refund_tag`` 1 marks a 维权 (after-sale rights) order: Taobao claws the commission of
such an order back even after settlement (the row keeps ``tk_status`` 3), so any row
with ``refund_tag`` 1 is ``reversed``.

Commission: ``pub_share_pre_fee`` (the estimate) while pending; ``pub_share_fee`` once
settled. A reversed row reports what was at stake: the settled figure if it had
settled, else the estimate (the amounts of a reversal only inform; the ledger claws
back what it credited).

``status_at``: ``modified_time`` when the row has it (the gateway sends it; the
documented shape may omit it), else the settle time of a settled row, else the latest
of its earning, paid and create times. ``occurred_at``: ``tk_create_time`` (else the
paid time). The sub-id is ``external_id`` (what the click URL carried).
"""

from __future__ import annotations

from typing import Any

from aggregator.records import OrderRecord, OrderStatus
from crawlers.parsers.common import ParseError, page_total, parse_rows, required_text
from crawlers.parsers.orders import (
    OrderPage,
    first_time,
    latest,
    money,
    order_page,
    order_time,
    status_code,
    sub_id_text,
    title_of,
)
from crawlers.parsers.taobao import top_payload

RESPONSE_KEY = "tbk_order_details_get_response"
STATUSES: dict[int, OrderStatus] = {12: "pending", 14: "pending", 3: "confirmed",
                                    13: "reversed"}
REFUNDED = 1  # refund_tag


def parse_order_page(body: dict[str, Any], *, partner: str, currency: str = "CNY") -> OrderPage:
    """One API response → order records and rejects. Raises PartnerAPIError."""
    data = top_payload(body, RESPONSE_KEY).get("data") or {}
    rows = (data.get("results") or {}).get("publisher_order_dto") or []
    if isinstance(rows, dict):  # a single row, unwrapped by some gateway versions
        rows = [rows]
    parsed = parse_rows(rows, lambda raw: parse_order(raw, currency=currency),
                        partner=partner, id_fields=("trade_id",))
    cursor = data.get("position_index")
    return order_page(parsed, total=page_total(data.get("total_count")),
                      has_next=_flag(data.get("has_next")),
                      cursor=str(cursor) if cursor not in (None, "") else None)


def _flag(value: object) -> bool:
    return value is True or str(value).lower() == "true"


def parse_order(raw: dict[str, Any], *, currency: str = "CNY") -> OrderRecord:
    order_id = required_text(raw.get("trade_id"), name="trade_id")
    status = order_status(raw)
    occurred = first_time(raw, "tk_create_time", "tk_paid_time")
    earning = order_time(raw, "tk_earning_time")
    if status == "confirmed" and earning is None:
        raise ParseError("settled order without tk_earning_time")
    status_at = order_time(raw, "modified_time") or (
        earning if status == "confirmed" else None) or latest(
        earning, order_time(raw, "tk_paid_time"), occurred)
    assert status_at is not None
    return OrderRecord(
        order_id=order_id,
        status=status,
        currency=currency,
        order_amount=money(raw, "alipay_total_price", currency),
        commission_amount=_commission(raw, status, settled=earning is not None,
                                      currency=currency),
        occurred_at=occurred,
        status_at=status_at,
        sub_id=sub_id_text(raw.get("external_id")),
        title=title_of(raw.get("item_title")),
        raw=raw,
    )


def order_status(raw: dict[str, Any]) -> OrderStatus:
    code = status_code(raw, "tk_status")
    if code not in STATUSES:
        raise ParseError(f"unknown tk_status {code}")
    refund = raw.get("refund_tag")
    if refund not in (None, "") and status_code(raw, "refund_tag") == REFUNDED:
        return "reversed"
    return STATUSES[code]


def _commission(raw: dict[str, Any], status: OrderStatus, *, settled: bool,
                currency: str) -> int:
    if status == "pending":
        return money(raw, "pub_share_pre_fee", currency)
    if status == "confirmed":
        return money(raw, "pub_share_fee", currency)
    # Reversed: informative only, so a missing figure is 0 rather than a reject.
    estimate = money(raw, "pub_share_pre_fee", currency, default=0)
    if not settled:
        return estimate
    return money(raw, "pub_share_fee", currency, default=0) or estimate
