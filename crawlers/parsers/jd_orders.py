"""JD Union ``jd.union.open.order.row.query``: raw JSON → order records.

Pure functions; covered by tests/crawlers/test_jd_orders_parser.py.

The envelope is the goods API's (both spellings, the payload a JSON string inside the
JSON: ``parsers.jd.decode_payload``); inside, ``data[]`` rows and ``hasMore``. Money is
float yuan (read through ``Decimal(str(x))``), times "yyyy-MM-dd HH:mm:ss" in UTC+8.

One row is one SKU of an order: the order id is the row's ``id`` (JD's "order + sku"
row key) when the row has one, else ``orderId:skuId``, else ``orderId``.

Statuses (``validCode``):

======================  ========================  ======================================
15                      awaiting payment          not an order yet: skipped, with reason
16, 24                  paid, deposit paid        pending
17                      completed (已完成)         see below
2–14, 19–23             invalid (无效-…)           reversed
======================  ========================  ======================================

17 means the buyer received the goods. JD computes ``actualFee`` then and pays it with
the month in ``payMonth``. So 17 with a ``finishTime`` and an ``actualFee`` above 0 (or
a ``payMonth``) is ``confirmed`` with ``actualFee`` as the commission; 17 before JD has
worked out the actual fee stays ``pending`` on ``estimateFee``. A return after that turns
the row invalid, which reverses (and claws back) the confirmed commission.

Commission and amount: ``estimateFee`` / ``estimateCosPrice`` while pending,
``actualFee`` / ``actualCosPrice`` (else the estimate) once confirmed; a reversed row
reports the estimate. ``status_at``: ``modifyTime`` (else ``finishTime``, else
``orderTime``). The sub-id is ``subUnionId``.
"""

from __future__ import annotations

from typing import Any

from aggregator.records import OrderRecord, OrderStatus
from crawlers.parsers.common import ParseError, parse_rows, required_text
from crawlers.parsers.jd import decode_payload
from crawlers.parsers.orders import (
    OrderPage,
    SkippedOrder,
    first_time,
    money,
    order_page,
    order_time,
    status_code,
    sub_id_text,
    title_of,
)

ENVELOPES = (
    ("jd_union_open_order_row_query_response", "result"),
    ("jd_union_open_order_row_query_responce", "queryResult"),
)
CURRENCY = "CNY"
AWAITING_PAYMENT = 15
COMPLETED = 17
STATUSES: dict[int, OrderStatus] = {
    16: "pending", 24: "pending",
    **{code: "reversed" for code in (*range(2, 15), *range(19, 24))},
}


def parse_order_page(body: dict[str, Any], *, partner: str) -> OrderPage:
    """One API response → order records, rejects and skipped rows. Raises PartnerAPIError."""
    inner = decode_payload(body, ENVELOPES)
    parsed = parse_rows(inner.get("data") or [], parse_order, partner=partner,
                        id_fields=("id", "orderId"))
    more = inner.get("hasMore")
    return order_page(parsed, has_next=more is True or str(more).lower() == "true")


def parse_order(raw: dict[str, Any]) -> OrderRecord | SkippedOrder:
    order_id = row_id(raw)
    code = status_code(raw, "validCode")
    if code == AWAITING_PAYMENT:
        return SkippedOrder(order_id, "awaiting payment (validCode 15): not an order yet")
    status = _status(raw, code)
    final = status == "confirmed"
    amount = money(raw, "estimateCosPrice", CURRENCY)
    commission = money(raw, "estimateFee", CURRENCY)
    if final:
        amount = money(raw, "actualCosPrice", CURRENCY, default=0) or amount
        commission = money(raw, "actualFee", CURRENCY)
    return OrderRecord(
        order_id=order_id,
        status=status,
        currency=CURRENCY,
        order_amount=amount,
        commission_amount=commission,
        occurred_at=first_time(raw, "orderTime"),
        status_at=first_time(raw, "modifyTime", "finishTime", "orderTime"),
        sub_id=sub_id_text(raw.get("subUnionId")),
        title=title_of(raw.get("skuName")),
        raw=raw,
    )


def row_id(raw: dict[str, Any]) -> str:
    if raw.get("id") not in (None, "", 0):
        return str(raw["id"]).strip()
    order = required_text(raw.get("orderId"), name="orderId")
    sku = raw.get("skuId")
    return f"{order}:{sku}" if sku not in (None, "", 0) else order


def _status(raw: dict[str, Any], code: int) -> OrderStatus:
    if code == COMPLETED:
        return "confirmed" if _settled(raw) else "pending"
    if code not in STATUSES:
        raise ParseError(f"unknown validCode {code}")
    return STATUSES[code]


def _settled(raw: dict[str, Any]) -> bool:
    """A completed row whose actual commission JD has worked out (or already paid)."""
    if str(raw.get("payMonth") or "0").strip() not in ("", "0"):
        return True
    finished = order_time(raw, "finishTime") is not None
    return finished and money(raw, "actualFee", CURRENCY, default=0) > 0
