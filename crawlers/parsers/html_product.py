"""Shop pages: a schema.org Product (JSON-LD, then microdata, then Open Graph) → OfferRecord.

Pure functions over one page parsed once with BeautifulSoup + lxml. Scraped text is data:
whitespace is normalised and the text is stored; it is never unescaped, evaluated or rendered.
A later source fills fields the earlier one lacks; the price comes from the first source that
has one. The reading is split by concern: ``html_markup`` (the Product's sources),
``html_price`` (its offers), ``html_coupons`` (coupon text), ``html_links`` (links to follow).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from aggregator.money import to_minor
from aggregator.records import OfferRecord, RejectRecord
from crawlers.parsers.common import ParseError, absolute_url
from crawlers.parsers.html_coupons import page_coupons
from crawlers.parsers.html_links import page_links, same_host
from crawlers.parsers.html_markup import product_sources
from crawlers.parsers.html_price import best_price
from crawlers.parsers.html_values import URL_MAX, Node, first_text, node_text, tag_attr

__all__ = ["ShopPage", "discover_links", "parse_product_page", "read_page", "same_host"]

Html = str | bytes

GTIN_KEYS = ("gtin13", "gtin14", "gtin12", "gtin8", "gtin")
# Column sizes of the catalog: longer scraped text is SEO padding, clipped rather than lost.
TITLE_MAX, BRAND_MAX, CATEGORY_MAX, ID_MAX = 500, 120, 255, 191
# Bounds on the scraped JSON kept with a record: pages may nest or repeat without end.
RAW_DEPTH, RAW_ITEMS, RAW_TEXT = 12, 50, 5000


@dataclass(frozen=True)
class ShopPage:
    """One fetched page: its product (None unless a product page) and the links to follow."""

    record: OfferRecord | RejectRecord | None
    product_links: list[str]
    page_links: list[str]


def read_page(html: Html, *, url: str, partner: str, default_currency: str) -> ShopPage:
    """Product and links from one parse of the page: what the spider calls."""
    soup = BeautifulSoup(html, "lxml")
    products, pages = page_links(soup, url)
    record = _product(soup, url=url, partner=partner, default_currency=default_currency)
    return ShopPage(record, products, pages)


def parse_product_page(html: Html, *, url: str, partner: str,
                       default_currency: str) -> OfferRecord | RejectRecord | None:
    """None when the page holds no Product; a RejectRecord when its Product is unusable."""
    return _product(BeautifulSoup(html, "lxml"), url=url, partner=partner,
                    default_currency=default_currency)


def discover_links(html: Html, *, url: str) -> tuple[list[str], list[str]]:
    """(product links, pagination links): absolute, same host and port, deduplicated."""
    return page_links(BeautifulSoup(html, "lxml"), url)


# --- the product -------------------------------------------------------------------------

def _product(soup: BeautifulSoup, *, url: str, partner: str,
             default_currency: str) -> OfferRecord | RejectRecord | None:
    page_url = _canonical(soup, url)
    sources = product_sources(soup, (page_url, url))
    if not sources:
        return None
    nodes = [node for _, node in sources]
    raw: Node = {"url": page_url, **{name: _bounded(node) for name, node in sources}}
    key = _external_id(nodes, page_url)
    try:
        return _offer(soup, nodes, url=page_url, key=key, partner=partner,
                      default_currency=default_currency, raw=raw)
    except ValueError as exc:  # ParseError, MoneyError and the records' own checks
        return RejectRecord(partner=partner, reason=str(exc)[:500], raw=raw,
                            external_id=key[:ID_MAX])


def _offer(soup: BeautifulSoup, nodes: list[Node], *, url: str, key: str, partner: str,
           default_currency: str, raw: Node) -> OfferRecord:
    title = first_text(nodes, "name")
    if not title:
        raise ParseError("missing name")
    if len(key) > ID_MAX or len(url) > URL_MAX:
        raise ParseError("sku or url too long for an id")
    price = best_price(nodes, default_currency)
    minor = to_minor(price.amount, price.currency)
    listed = to_minor(price.listed, price.currency) if price.listed else None
    return OfferRecord(
        partner=partner, external_id=key, title=title[:TITLE_MAX], url=url,
        currency=price.currency, price=minor,
        list_price=listed if listed and listed > minor else None,
        image_url=_image(nodes, url), brand=_clip(first_text(nodes, "brand"), BRAND_MAX),
        category=_clip(first_text(nodes, "category"), CATEGORY_MAX), gtin=_gtin(nodes),
        # the manufacturer's part number matches across shops; a shop's own sku is the fallback
        mpn=first_text(nodes, "mpn") or first_text(nodes, "sku"),
        in_stock=price.in_stock, coupons=page_coupons(soup, price.currency), raw=raw,
    )


def _external_id(nodes: list[Node], url: str) -> str:
    """The shop's sku, else the canonical path (with its query: ``item.htm?id=7`` pages)."""
    sku = first_text(nodes, "sku")
    if sku:
        return sku
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _canonical(soup: BeautifulSoup, url: str) -> str:
    """rel=canonical when it stays on this site (a shop cannot name another shop's page)."""
    link = soup.find("link", rel="canonical", href=True)
    href = tag_attr(link, "href").strip() if isinstance(link, Tag) else ""
    canonical = urljoin(url, href).split("#")[0] if href else ""
    if canonical.startswith(("http://", "https://")) and same_host(canonical, url):
        return canonical
    return url.split("#")[0]


def _gtin(nodes: list[Node]) -> str | None:
    """Digits as given (leading zeros kept, no check-digit rewrite); spaces and dashes go."""
    for node in nodes:
        for key in GTIN_KEYS:
            digits = re.sub(r"[\s-]", "", node_text(node.get(key)) or "")
            if re.fullmatch(r"[0-9]{8,14}", digits):
                return digits
    return None


def _image(nodes: list[Node], base: str) -> str | None:
    for node in nodes:
        value: Any = node.get("image")
        while isinstance(value, list | dict):  # a list of images, or an ImageObject
            value = (value[0] if value else None) if isinstance(value, list) else (
                value.get("url") or value.get("contentUrl"))
        try:
            url = absolute_url(node_text(value), base)
        except ParseError:  # data: and javascript: images are not links
            continue
        if url and len(url) <= URL_MAX:
            return url
    return None


def _bounded(value: Any, depth: int = 0) -> Any:
    """A copy of scraped JSON small enough to store: pages may nest or repeat without end."""
    if depth >= RAW_DEPTH:
        return None
    if isinstance(value, dict):
        return {str(k): _bounded(v, depth + 1) for k, v in islice(value.items(), RAW_ITEMS)}
    if isinstance(value, list):
        return [_bounded(v, depth + 1) for v in value[:RAW_ITEMS]]
    return value[:RAW_TEXT] if isinstance(value, str) else value


def _clip(text: str | None, limit: int) -> str | None:
    return text[:limit] if text else None
