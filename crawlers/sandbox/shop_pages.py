"""HTML of the sandbox shop: paginated listing pages and product pages.

Listing pages link products as ``/shop/item/<id>`` and the next page with
``rel="next"`` (both an ``<a>`` and a ``<link>`` in the head). Product pages
mark the product up as JSON-LD, microdata or Open Graph, whichever the product
says. Every value is escaped; JSON-LD has ``<``, ``>`` and ``&`` as ``\\u`` escapes
so no title can close the script element.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from crawlers.sandbox.shop import JSON_LD, MICRODATA, SHOP_NAME

SCHEMA = "https://schema.org/"
PAGE_SIZE = 24
_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:760px;padding:12px}"
    ".price{color:#e4393c;font-size:24px;font-weight:700}.was{color:#999;"
    "text-decoration:line-through;margin-left:8px}.coupon{border:1px dashed #e4393c;"
    "color:#e4393c;padding:6px;display:inline-block}ul.products li{margin:6px 0}"
)


def listing_page(
    products: list[dict[str, Any]], *, page: int, pages: int, carry: str, malformed: bool = False
) -> str:
    """Page ``page`` of ``pages``; ``carry`` is a query string added to every link."""
    links = [_link(f"/shop/item/{p['id']}", carry) for p in products]
    names = [str(p.get("name") or "商品") for p in products]
    if malformed:  # dead and nonsense links, as a half-migrated shop has
        links += [_link("/shop/item/999999999", carry), _link("/shop/item/abc", carry)]
        names += ["已下架商品", "链接错误"]
    pairs = zip(links, names, strict=True)
    items = "".join(f'<li><a href="{escape(href)}">{escape(name)}</a></li>' for href, name in pairs)
    head, nav = "", ""
    if page > 1:
        prev = escape(_link(_page_path(page - 1), carry))
        head += f'<link rel="prev" href="{prev}">'
        nav += f'<a class="prev" rel="prev" href="{prev}">上一页</a> '
    if page < pages:
        following = escape(_link(_page_path(page + 1), carry))
        head += f'<link rel="next" href="{following}">'
        nav += f'<a class="next" rel="next" href="{following}">下一页</a>'
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{SHOP_NAME} - 今日特价 第{page}页</title>{head}<style>{_STYLE}</style></head>"
        f'<body><h1>{SHOP_NAME}</h1><div class="banner">全场满199减30，新人无门槛券5元</div>'
        f'<ul class="products">{items}</ul><nav>{nav} <span>第 {page} / {pages} 页</span></nav>'
        "</body></html>"
    )


def _page_path(page: int) -> str:
    return "/shop/" if page == 1 else f"/shop/?page={page}"


def _link(path: str, carry: str) -> str:
    if not carry:
        return path
    return f"{path}{'&' if '?' in path else '?'}{carry}"


def item_page(product: Mapping[str, Any], *, host: str, malformed: bool = False) -> str:
    """The product page, marked up the way ``product['markup']`` says."""
    name = escape(str(product.get("name") or ""))
    markup = product["markup"]
    head = _open_graph(product, host) if markup != MICRODATA else ""
    if markup == JSON_LD:
        head += _json_ld(product, host, broken=malformed or bool(product.get("broken_jsonld")))
    if markup == MICRODATA:
        body = _microdata(product, host, malformed=malformed)
    else:
        body = _plain(product)
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{name}</title>'
        f"{head}<style>{_STYLE}</style></head><body>"
        f'<p><a href="/shop/">{SHOP_NAME}</a> › {escape(str(product["category_name"]))}</p>'
        f"{body}{_coupon(product)}<p>{escape(str(product['description']))}</p></body></html>"
    )


def _absolute(url: str, host: str) -> str:
    return url.replace("{host}", host)


def json_ld(product: Mapping[str, Any], host: str) -> dict[str, Any]:
    """The schema.org Product object of a JSON-LD page."""
    offer: dict[str, Any] = {"@type": "Offer", "priceCurrency": product["currency"]}
    if product["price"]:
        offer["price"] = product["price"]
    offer["availability"] = SCHEMA + product["availability"]
    if product["price_valid_until"]:
        offer["priceValidUntil"] = product["price_valid_until"]
    offer["url"] = _absolute(product["url"], host)
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Product"}
    if product["name"]:
        data["name"] = product["name"]
    data.update(sku=product["sku"], brand={"@type": "Brand", "name": product["brand"]})
    if product["gtin13"]:
        data["gtin13"] = product["gtin13"]
    data.update(image=[_absolute(product["image"], host)], description=product["description"])
    data["offers"] = offer
    return data


def _json_ld(product: Mapping[str, Any], host: str, *, broken: bool) -> str:
    text = json.dumps(json_ld(product, host), ensure_ascii=False)
    if broken:
        text = text[: len(text) * 2 // 3]  # cut off mid-object: not JSON any more
    safe = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{safe}</script>'


def _open_graph(product: Mapping[str, Any], host: str) -> str:
    tags = {
        "og:type": "product",
        "og:title": product["name"],
        "og:image": _absolute(product["image"], host),
        "og:url": _absolute(product["url"], host),
        "og:description": product["description"],
        "product:brand": product["brand"],
        "product:price:amount": product["price"],
        "product:price:currency": product["currency"],
        "product:availability": _OG_AVAILABILITY[product["availability"]],
        "product:retailer_item_id": product["sku"],
    }
    return "".join(
        f'<meta property="{name}" content="{escape(str(value))}">'
        for name, value in tags.items()
        if value
    )


_OG_AVAILABILITY = {"InStock": "in stock", "OutOfStock": "out of stock", "PreOrder": "preorder"}


def _microdata(product: Mapping[str, Any], host: str, *, malformed: bool) -> str:
    price = "面议" if malformed else str(product["price"])
    metas = [
        ("sku", product["sku"]),
        ("gtin13", product["gtin13"]),
        ("description", product["description"]),
    ]
    meta_html = "".join(
        f'<meta itemprop="{name}" content="{escape(str(value))}">' for name, value in metas if value
    )
    valid = product["price_valid_until"]
    return (
        f'<div itemscope itemtype="{SCHEMA}Product">'
        f'<h1 itemprop="name">{escape(str(product["name"]))}</h1>'
        f'<img itemprop="image" src="{escape(_absolute(product["image"], host))}" width="320">'
        f'<span itemprop="brand">{escape(str(product["brand"]))}</span>{meta_html}'
        f'<div itemprop="offers" itemscope itemtype="{SCHEMA}Offer">'
        f'<meta itemprop="priceCurrency" content="{escape(str(product["currency"]))}">'
        f'<p><span class="price" itemprop="price" content="{escape(price)}">¥{escape(price)}</span>'
        f"{_was(product)}</p>"
        f'<link itemprop="availability" href="{SCHEMA}{escape(str(product["availability"]))}">'
        + (f'<meta itemprop="priceValidUntil" content="{escape(valid)}">' if valid else "")
        + "</div></div>"
    )


def _plain(product: Mapping[str, Any]) -> str:
    """The visible part of JSON-LD and Open Graph pages: no structured attributes."""
    price = escape(str(product["price"] or "暂无报价"))
    return (
        f"<h1>{escape(str(product['name']))}</h1>"
        f'<img src="/img/shop-{int(product["id"])}.png" width="320" alt="">'
        f'<p><span class="price">¥{price}</span>{_was(product)}</p>'
    )


def _was(product: Mapping[str, Any]) -> str:
    was = product["list_price"]
    return f'<span class="was">¥{escape(str(was))}</span>' if was else ""


def _coupon(product: Mapping[str, Any]) -> str:
    text = product["coupon"]
    return f'<p class="coupon">{escape(str(text))}</p>' if text else ""
