"""Pinduoduo ``pdd.ddk.order.list.increment.get``: raw JSON → order records.

Pure functions; covered by tests/crawlers/test_pdd_orders_parser.py.

Response: ``order_list_get_response`` with ``order_list[]`` and ``total_count``. Money is
whole fen, times unix seconds. ``promotion_amount`` is the commission: PDD sends one
figure, the estimate until the order settles and the settled amount after.

Statuses (``order_status``):

====  ===========================  ======================================
-1    unpaid (未支付)               not an order yet: skipped, with reason
0     paid (已支付)                 pending
1     grouped (已成团)              pending
2     received (确认收货)            pending
3     audited (审核成功)             pending
4     audit failed (审核失败)        reversed
5     settled (已经结算)             confirmed
8     not a 多多进宝 item (无佣金)    reversed
10    penalised (已处罚)             reversed
====  ===========================  ======================================

``status_at`` is ``order_modify_at`` (the increment API pages by it); ``occurred_at`` is
``order_create_time`` (else the pay time, else the modify time). The sub-id travels in
``custom_parameters``, a JSON string such as ``{"sid":"dg123"}``; a plain string there
(a publisher that sent no JSON) is taken as it is.
"""

from __future__ import annotations

from typing import Any

import orjson

from aggregator.records import OrderRecord, OrderStatus
from crawlers.parsers.common import ParseError, page_total, parse_rows, required_text
from crawlers.parsers.orders import (
    OrderPage,
    SkippedOrder,
    first_time,
    order_page,
    status_code,
    sub_id_text,
    title_of,
)
from crawlers.parsers.pdd import fen_field, response_payload

RESPONSE_KEY = "order_list_get_response"
CURRENCY = "CNY"
UNPAID = -1
STATUSES: dict[int, OrderStatus] = {
    0: "pending", 1: "pending", 2: "pending", 3: "pending",
    4: "reversed", 5: "confirmed", 8: "reversed", 10: "reversed",
}
SUB_ID_KEY = "sid"


def parse_order_page(body: dict[str, Any], *, partner: str) -> OrderPage:
    """One API response → order records, rejects and skipped rows. Raises PartnerAPIError.

    PDD says nothing about further pages: the spider pages on while pages are full.
    """
    payload = response_payload(body, RESPONSE_KEY)
    parsed = parse_rows(payload.get("order_list") or [], parse_order, partner=partner,
                        id_fields=("order_sn",))
    return order_page(parsed, total=page_total(payload.get("total_count")))


def parse_order(raw: dict[str, Any]) -> OrderRecord | SkippedOrder:
    order_id = required_text(raw.get("order_sn"), name="order_sn")
    code = status_code(raw, "order_status")
    if code == UNPAID:
        return SkippedOrder(order_id, "unpaid (order_status -1): not an order yet")
    if code not in STATUSES:
        raise ParseError(f"unknown order_status {code}")
    amount, commission = fen_field(raw, "order_amount"), fen_field(raw, "promotion_amount")
    assert amount is not None and commission is not None
    return OrderRecord(
        order_id=order_id,
        status=STATUSES[code],
        currency=CURRENCY,
        order_amount=amount,
        commission_amount=commission,
        occurred_at=first_time(raw, "order_create_time", "order_pay_time", "order_modify_at"),
        status_at=first_time(raw, "order_modify_at"),
        sub_id=sub_id_from_custom_parameters(raw.get("custom_parameters")),
        title=title_of(raw.get("goods_name")),
        raw=raw,
    )


def sub_id_from_custom_parameters(value: object) -> str | None:
    """``'{"sid":"dg123"}'`` → ``"dg123"``; ``"dg123"`` → ``"dg123"``; JSON without a
    ``sid`` (another publisher's keys) → None."""
    text = str(value or "").strip()
    if not text.startswith(("{", "[")):
        return sub_id_text(text)
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return sub_id_text(text)
    return sub_id_text(data.get(SUB_ID_KEY)) if isinstance(data, dict) else None
