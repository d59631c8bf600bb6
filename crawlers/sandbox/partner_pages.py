"""The pages a shopper lands on after a click: Taobao, JD, PDD, Awin and the GMC store.

They stand in for the Taobao item and coupon pages, item.jd.com,
mobile.yangkeduo.com, the Awin click redirect and a merchant's product page in
the demo, showing the product, its price and coupons and the tracking
parameters the click carried (so a demo user can see the sub-id arrive). Each
network's ``*_page`` function turns its raw record into a ``Page``; ``render``
and ``not_found`` draw every network's pages alike. Every value is escaped:
titles and query parameters are data, never markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

# {accent}: the network's brand colour (price and coupon boxes).
_STYLE = (
    "body{{font-family:system-ui,sans-serif;margin:0;background:#f5f5f5;color:#222}}"
    "main{{max-width:460px;margin:0 auto;background:#fff;min-height:100vh}}"
    "img{{width:100%;display:block}}.info{{padding:16px}}"
    ".price{{color:{accent};font-size:28px;font-weight:700}}"
    ".was{{color:#999;text-decoration:line-through;margin-left:8px}}"
    ".coupon{{border:1px dashed {accent};color:{accent};padding:8px;margin:8px 0}}"
    ".best{{background:#fff3f0}}.note{{color:#888;font-size:12px}}"
    "table{{font-size:12px;color:#555}}"
    ".buy button{{background:{accent};color:#fff;border:0;border-radius:20px;"
    "font-size:16px;padding:10px 0;width:100%;margin:8px 0}}"
)
JD_RED = "#e4393c"
TAOBAO_ORANGE = "#ff5000"
COUPON_PAGE = "coupon"  # Taobao's coupon_share_url page: the coupon comes first
CLICK_PAGE = "click"  # Taobao's item url page
_UTC8 = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True, slots=True)
class Page:
    site: str
    title: str
    image: str = ""
    price: str = ""
    was: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    coupons: list[tuple[str, bool]] = field(default_factory=list)  # (text, highlighted)
    note: str = ""
    lang: str = "zh-CN"
    accent: str = JD_RED


@dataclass(frozen=True, slots=True)
class BuyForm:
    """The page's "buy" button: posts the item and the sub-id parameter the click carried."""

    action: str  # /{network}/buy
    item: str
    tracking: str


def _buy_form(buy: BuyForm | None, lang: str) -> str:
    if buy is None:
        return ""
    label = "立即购买" if lang == "zh-CN" else "Buy now"
    return (
        f'<form method=post action="{escape(buy.action)}" class=buy>'
        f'<input type=hidden name=item value="{escape(buy.item)}">'
        f'<input type=hidden name=tracking value="{escape(buy.tracking)}">'
        f"<button type=submit>{label}</button></form>"
    )


def render(page: Page, tracking: Mapping[str, str], buy: BuyForm | None = None) -> str:
    title = escape(page.title or "—")
    image = f'<img src="{escape(page.image)}" alt="{title}">' if page.image else ""
    was = f'<span class="was">{escape(page.was)}</span>' if page.was else ""
    facts = "".join(f"<p>{escape(k)}: {escape(v)}</p>" for k, v in page.facts)
    coupons = "".join(
        f'<div class="coupon{" best" if best else ""}">{escape(text)}</div>'
        for text, best in page.coupons
    )
    return (
        f'<!doctype html><html lang="{page.lang}"><head><meta charset="utf-8">'
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>{title} - {escape(page.site)}</title>"
        f"<style>{_STYLE.format(accent=page.accent)}</style></head>"
        f"<body><main>{image}<div class=info><h1 style='font-size:18px'>{title}</h1>"
        f"<p><span class=price>{escape(page.price)}</span>{was}</p>{coupons}"
        f"{_buy_form(buy, page.lang)}{facts}"
        f"{_tracking_table(tracking, page.lang)}<p class=note>{escape(page.note)}</p>"
        "</div></main></body></html>"
    )


def not_found(site: str, message: str = "商品不存在或已下架", *, lang: str = "zh-CN") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset=utf-8>'
        f"<title>{escape(site)}</title></head><body><p>{escape(message)}</p></body></html>"
    )


def _tracking_table(tracking: Mapping[str, str], lang: str) -> str:
    if not tracking:
        return ""
    rows = "".join(
        f"<tr><th align=left>{escape(name)}</th><td>{escape(value)}</td></tr>"
        for name, value in sorted(tracking.items())
    )
    caption = "推广参数" if lang == "zh-CN" else "tracking"
    return f"<table><caption>{caption}</caption>{rows}</table>"


def _absolute(url: str, host: str) -> str:
    return url.replace("{host}", host)


def _ms_day(ms: object) -> str:
    if not isinstance(ms, int):
        return "?"
    return dt.datetime.fromtimestamp(ms / 1000, _UTC8).strftime("%Y-%m-%d")


def taobao_page(item: Mapping[str, Any], *, kind: str) -> Page:
    """A Taobao item (``kind`` CLICK_PAGE) or its coupon (COUPON_PAGE)."""
    price = str(item.get("zk_final_price", ""))
    was = str(item.get("reserve_price", ""))
    info = str(item.get("coupon_info") or "")
    facts = [("店铺", str(item.get("shop_title", ""))), ("月销", str(item.get("volume", 0)))]
    coupons = []
    if info:
        window = f"{item.get('coupon_start_time', '')} ~ {item.get('coupon_end_time', '')}"
        remain = item.get("coupon_remain_count", "")
        text = f"{info} · 使用期限 {window} · 剩余 {remain} 张"
        coupons.append((text, kind == COUPON_PAGE))
    elif kind == COUPON_PAGE:
        facts.insert(0, ("优惠券", "此商品暂无优惠券"))
    return Page(
        site="淘宝 (沙盒)" + (" 领券购买" if kind == COUPON_PAGE else ""),
        title=str(item.get("title") or "商品"),
        image=f"/img/{item.get('item_id', '')}.png",
        price=f"¥{price}",
        was=f"¥{was}" if was and was != price else "",
        facts=facts,
        coupons=coupons,
        note="daogou 沙盒合作方页面：模拟淘宝商品页，不会产生真实订单。",
        accent=TAOBAO_ORANGE,
    )


def jd_page(goods: Mapping[str, Any], *, host: str, coupon_key: str) -> Page:
    price_info = goods.get("priceInfo") or {}
    images = (goods.get("imageInfo") or {}).get("imageList") or [{}]
    coupons = []
    for coupon in (goods.get("couponInfo") or {}).get("couponList") or []:
        quota, discount = coupon.get("quota"), coupon.get("discount")
        terms = f"满{quota:g}减{discount:g}" if quota else f"{discount:g}元无门槛券"
        window = f"{_ms_day(coupon.get('useStartTime'))} ~ {_ms_day(coupon.get('useEndTime'))}"
        chosen = bool(coupon_key) and coupon_key in str(coupon.get("link", ""))
        coupons.append((f"{terms} · {window}", chosen or coupon.get("isBest") == 1))
    shop = (goods.get("shopInfo") or {}).get("shopName", "")
    return Page(
        site="京东 (沙盒)",
        title=str(goods.get("skuName") or ""),
        image=_absolute(str(images[0].get("url", "")), host),
        price=f"¥{price_info.get('price', '')}",
        facts=[("店铺", str(shop)), ("30天销量", str(goods.get("inOrderCount30Days", "")))],
        coupons=coupons,
        note="daogou 沙盒合作方页面：模拟京东商品页，不会产生真实订单。",
    )


def pdd_page(goods: Mapping[str, Any], *, host: str) -> Page:
    coupons = []
    if goods.get("has_coupon"):
        minimum, off = goods.get("coupon_min_order_amount", 0), goods.get("coupon_discount", 0)
        text = f"满{minimum / 100:g}减{off / 100:g}" if minimum else f"{off / 100:g}元无门槛券"
        coupons.append((f"{text} · 剩余 {goods.get('coupon_remain_quantity', 0)} 张", True))
    return Page(
        site="拼多多 (沙盒)",
        title=str(goods.get("goods_name") or ""),
        image=_absolute(str(goods.get("goods_image_url", "")), host),
        price=f"¥{_fen(goods.get('min_group_price'))} 拼单价",
        was=f"¥{_fen(goods.get('min_normal_price'))}",
        facts=[("店铺", str(goods.get("mall_name", ""))), ("销量", str(goods.get("sales_tip")))],
        coupons=coupons,
        note="daogou 沙盒合作方页面：模拟拼多多商品页，不会产生真实订单。",
    )


def _fen(value: object) -> str:
    return f"{value / 100:.2f}" if isinstance(value, int) else str(value)


def awin_page(row: Mapping[str, str] | None, *, merchant: str, host: str) -> Page:
    """An Awin click lands at the merchant: a product when ``p=`` named one."""
    if row is None:
        return Page(
            site=merchant,
            title=f"Welcome to {merchant}",
            lang="en-GB",
            note="daogou sandbox: the merchant's home page behind an Awin link.",
        )
    rrp = row.get("rrp_price", "")
    return Page(
        site=row.get("merchant_name", merchant),
        title=row.get("product_name", ""),
        image=_absolute(row.get("merchant_image_url", ""), host),
        price=f"£{row.get('search_price', '')}",
        was=f"£{rrp}" if rrp and rrp != row.get("search_price") else "",
        facts=[
            ("Brand", row.get("brand_name", "")),
            ("EAN", row.get("ean", "") or "—"),
            ("In stock", "yes" if row.get("in_stock") == "1" else "no"),
        ],
        note="daogou sandbox: the merchant page behind an Awin click; no real order is placed.",
        lang="en-GB",
    )


def gmc_page(item: Mapping[str, str], *, host: str) -> Page:
    sale = item.get("g:sale_price", "")
    window = item.get("g:sale_price_effective_date", "")
    return Page(
        site="Northgate Outdoor & Home (sandbox)",
        title=item.get("title") or item.get("g:title") or "",
        image=_absolute(item.get("g:image_link", ""), host),
        price=item.get("g:price", ""),
        coupons=[(f"Sale {sale}" + (f" ({window})" if window else ""), False)] if sale else [],
        facts=[
            ("Brand", item.get("g:brand", "")),
            ("GTIN", item.get("g:gtin", "") or "—"),
            ("Availability", item.get("g:availability", "")),
        ],
        note="daogou sandbox: a merchant's product page listed in its Merchant Center feed.",
        lang="en-GB",
    )
