"""The sandbox's order page (where "buy" lands) and the JSON view of an order.

The page shows what the network recorded, the sub-id the click carried, and three small
forms: settle, refund and send a postback, so a demo can walk an order through its life
by hand. Every value is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from aggregator.timeutil import iso_z
from crawlers.sandbox.orders import PAID, SETTLED, SandboxOrder
from crawlers.sandbox.postbacks import reported_sub_id

SITES = {"taobao": "淘宝联盟", "pdd": "多多进宝", "jd": "京东联盟", "awin": "Awin"}


def order_view(order: SandboxOrder) -> dict[str, Any]:
    return {
        "network": order.network, "order_id": order.order_id,
        "item_id": order.product.item_id, "title": order.product.title,
        "status": order.status, "reported_status": order.reported_status,
        "amount": order.amount, "commission": order.commission,
        "currency": order.product.currency, "tracking": order.tracking,
        "sub_id": reported_sub_id(order), "created_at": iso_z(order.created_at),
        "modified_at": iso_z(order.modified_at), "settled_at": iso_z(order.settled_at),
        "refunded_at": iso_z(order.refunded_at),
    }


def _action(order: SandboxOrder, action: str, label: str) -> str:
    url = f"/_orders/{escape(order.network)}/{escape(order.order_id)}/{action}"
    return f'<form method=post action="{url}"><button type=submit>{label}</button></form>'


def order_page(order: SandboxOrder, *, notice: str = "") -> str:
    view = order_view(order)
    rows = "".join(f"<tr><th align=left>{escape(k)}</th><td>{escape(str(v))}</td></tr>"
                   for k, v in view.items())
    actions = []
    if order.status == PAID:
        actions.append(_action(order, "settle", "结算 settle"))
    if order.status in (PAID, SETTLED):
        actions.append(_action(order, "refund", "退款 refund"))
    actions.append(_action(order, "postback", "发送回传 send postback"))
    site = escape(SITES.get(order.network, order.network))
    note = f"<p class=notice>{escape(notice)}</p>" if notice else ""
    return (
        "<!doctype html><html lang=zh-CN><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>订单 {escape(order.order_id)} - {site} (沙盒)</title></head><body>"
        f"<h1>下单成功 · {site} (沙盒)</h1>{note}<table>{rows}</table>"
        f"<div class=actions>{''.join(actions)}</div>"
        "<p>daogou 沙盒：模拟的联盟订单，不会产生真实交易。</p></body></html>"
    )
