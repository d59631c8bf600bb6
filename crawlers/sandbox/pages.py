"""The sandbox "partner item page" shoppers land on after a click or coupon link.

It stands in for the Taobao item and coupon pages in the demo: it shows the
item, its coupon and the tracking parameters the click carried, so a demo user
can see that the sub-id made it through. Every value is escaped: titles and
query parameters are data, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:0;background:#f5f5f5;color:#222}"
    "main{max-width:420px;margin:0 auto;background:#fff;min-height:100vh}"
    "img{width:100%;display:block}.info{padding:16px}"
    ".price{color:#ff5000;font-size:28px;font-weight:700}"
    ".was{color:#999;text-decoration:line-through;margin-left:8px}"
    ".coupon{border:1px dashed #ff5000;color:#ff5000;padding:10px;margin:12px 0}"
    ".note{color:#888;font-size:12px}table{font-size:12px;color:#555}"
)

COUPON_PAGE = "coupon"
CLICK_PAGE = "click"


def item_page(item: Mapping[str, Any], *, kind: str, tracking: Mapping[str, str]) -> str:
    """HTML for one item; ``kind`` is CLICK_PAGE or COUPON_PAGE."""
    title = escape(str(item.get("title") or "商品"))
    heading = "领券购买" if kind == COUPON_PAGE else "商品详情"
    item_id = escape(str(item.get("item_id", "")))
    return (
        "<!doctype html><html lang=zh-CN><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>{title} - 沙盒{heading}</title><style>{_STYLE}</style></head><body><main>"
        f"<img src='/img/{item_id}.png' alt='{title}'>"
        f"<div class=info><h1 style='font-size:18px'>{title}</h1>"
        f"{_price_line(item)}{_coupon_box(item, emphasise=kind == COUPON_PAGE)}"
        f"<p>{escape(str(item.get('shop_title', '')))} · "
        f"月销 {escape(str(item.get('volume', 0)))}</p>"
        f"{_tracking_table(tracking)}"
        "<p class=note>daogou 沙盒合作方页面：模拟淘宝商品页，不会产生真实订单。</p>"
        "</div></main></body></html>"
    )


def not_found_page() -> str:
    return (
        "<!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>宝贝不存在</title>"
        "</head><body><p>很抱歉，您查看的宝贝不存在，可能已下架或者被转移。</p></body></html>"
    )


def _price_line(item: Mapping[str, Any]) -> str:
    price = escape(str(item.get("zk_final_price", "")))
    was = str(item.get("reserve_price", ""))
    was_html = f"<span class=was>¥{escape(was)}</span>" if was and was != price else ""
    return f"<p><span class=price>¥{price}</span>{was_html}</p>"


def _coupon_box(item: Mapping[str, Any], *, emphasise: bool) -> str:
    info = str(item.get("coupon_info") or "")
    if not info:
        return "<p class=note>此商品暂无优惠券</p>" if emphasise else ""
    window = f"{item.get('coupon_start_time', '')} ~ {item.get('coupon_end_time', '')}"
    remain = item.get("coupon_remain_count", "")
    action = "<p><b>立即领券</b></p>" if emphasise else ""
    return (
        f"<div class=coupon><b>{escape(info)}</b><br>"
        f"<small>使用期限 {escape(window)} · 剩余 {escape(str(remain))} 张</small>{action}</div>"
    )


def _tracking_table(tracking: Mapping[str, str]) -> str:
    if not tracking:
        return ""
    rows = "".join(
        f"<tr><th align=left>{escape(name)}</th><td>{escape(value)}</td></tr>"
        for name, value in sorted(tracking.items())
    )
    return f"<table><caption>推广参数</caption>{rows}</table>"
