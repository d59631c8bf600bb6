"""A sandbox order as each network's order API reports it (partner-formats.md).

Taobao: ``publisher_order_dto`` rows, yuan strings, UTC+8 wall clock; a refund before
settlement closes the order (``tk_status`` 13), after it keeps 3 with ``refund_tag`` 1.
PDD: fen and unix seconds; settled is 5, a refund is an audit failure (4).
JD: float yuan, UTC+8 wall clock; paid 16, settled 17 with ``actualFee``, refunded 3.
Awin: decimal numbers, UTC ISO times; pending, approved, declined.

``*_TIMES`` name the SandboxOrder time each API's query type filters and orders by.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from crawlers.sandbox.orders import PAID, REFUNDED, SETTLED, SandboxOrder

UTC8 = timezone(timedelta(hours=8))
TAOBAO_STATUS = {PAID: 12, SETTLED: 3, REFUNDED: 13}
PDD_STATUS = {PAID: (0, "已支付"), SETTLED: (5, "已结算"), REFUNDED: (4, "审核失败")}
JD_STATUS = {PAID: 16, SETTLED: 17, REFUNDED: 3}
AWIN_STATUS = {PAID: "pending", SETTLED: "approved", REFUNDED: "declined"}
JD_ORDER_BASE = 310_000_000_000  # orderId = base + serial (the row id is order + sku)


def wall(moment: datetime | None) -> str:
    return moment.astimezone(UTC8).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def yuan(minor: int) -> str:
    return f"{Decimal(minor) / 100:.2f}"


def decimal_number(minor: int) -> float:
    """Money as the JSON number JD and Awin send (2 decimals: exact once read as text)."""
    return float(Decimal(minor) / 100)


def taobao_row(order: SandboxOrder, *, adzone_id: str) -> dict[str, Any]:
    settled = order.settled_at is not None
    status = TAOBAO_STATUS[SETTLED if settled else order.status]
    fee = yuan(order.commission)
    return {
        "trade_id": order.order_id, "trade_parent_id": order.order_id,
        "item_id": order.product.item_id, "item_title": order.product.title, "item_num": 1,
        "alipay_total_price": yuan(order.amount), "tk_status": status,
        "tk_create_time": wall(order.created_at), "tk_paid_time": wall(order.created_at),
        "tk_earning_time": wall(order.settled_at), "modified_time": wall(order.modified_at),
        "pub_share_pre_fee": fee, "pub_share_fee": fee if settled else "0",
        "total_commission_rate": f"{Decimal(order.product.rate_bp) / 100:.2f}",
        "refund_tag": 1 if settled and order.status == REFUNDED else 0,
        "adzone_id": int(adzone_id) if adzone_id.isdigit() else 0,
        "relation_id": 0, "special_id": 0, "external_id": order.tracking,
        "order_type": "淘宝",
    }


TAOBAO_TIMES = {1: "created_at", 2: "created_at", 3: "settled_at", 4: "modified_at"}


def pdd_row(order: SandboxOrder, *, pid: str) -> dict[str, Any]:
    code, description = PDD_STATUS[order.status]
    row: dict[str, Any] = {
        "order_sn": order.order_id, "goods_sign": order.product.item_id,
        "goods_name": order.product.title, "goods_quantity": 1, "goods_price": order.amount,
        "order_amount": order.amount, "promotion_rate": order.product.rate_bp // 10,
        "promotion_amount": order.commission, "order_status": code,
        "order_status_desc": description, "p_id": pid, "custom_parameters": order.tracking,
        "order_create_time": epoch(order.created_at), "order_pay_time": epoch(order.created_at),
        "order_modify_at": epoch(order.modified_at),
    }
    if order.settled_at:
        row["order_settle_time"] = epoch(order.settled_at)
    return row


def jd_row(order: SandboxOrder, *, position_id: str) -> dict[str, Any]:
    settled = order.status == SETTLED
    sku = order.product.item_id
    return {
        "id": order.order_id, "orderId": JD_ORDER_BASE + order.serial, "parentId": 0,
        "skuId": int(sku) if sku.isdigit() else sku, "skuName": order.product.title,
        "skuNum": 1, "price": decimal_number(order.amount),
        "orderTime": wall(order.created_at), "finishTime": wall(order.settled_at),
        "modifyTime": wall(order.modified_at),
        "estimateCosPrice": decimal_number(order.amount),
        "estimateFee": decimal_number(order.commission),
        "actualCosPrice": decimal_number(order.amount) if settled else 0.0,
        "actualFee": decimal_number(order.commission) if settled else 0.0,
        "commissionRate": float(Decimal(order.product.rate_bp) / 100),
        "validCode": JD_STATUS[order.status], "payMonth": 0,
        "positionId": int(position_id) if position_id.isdigit() else 0,
        "subUnionId": order.tracking,
    }


JD_TIMES = {1: "created_at", 2: "settled_at", 3: "modified_at"}


def awin_row(order: SandboxOrder, *, publisher_id: str) -> dict[str, Any]:
    def iso(moment: datetime | None) -> str | None:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") if moment else None

    money = order.product.currency
    return {
        "id": int(order.order_id), "publisherId": int(publisher_id),
        "commissionStatus": AWIN_STATUS[order.status],
        "commissionAmount": {"amount": decimal_number(order.commission), "currency": money},
        "saleAmount": {"amount": decimal_number(order.amount), "currency": money},
        "clickRefs": {"clickRef": order.tracking or None},
        "clickDate": iso(order.created_at), "transactionDate": iso(order.created_at),
        "validationDate": iso(order.validated_at), "type": "Commission group transaction",
        "declineReason": "Order returned" if order.status == REFUNDED else None,
        "orderRef": f"DG-{order.serial}", "paidToPublisher": False,
    }


AWIN_TIMES = {"transaction": "created_at", "validation": "validated_at"}
