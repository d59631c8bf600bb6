"""A page's schema.org Product from JSON-LD, microdata and Open Graph, as schema.org dicts.

Sources are read in order of how much shops put into them: JSON-LD is what search engines'
rich results use, microdata is older markup, Open Graph only describes a share card.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from crawlers.parsers.common import clean_text
from crawlers.parsers.html_values import (
    MAX_DEPTH,
    Node,
    as_list,
    node_text,
    short_name,
    tag_attr,
)

PRODUCT_TYPES = frozenset({"product", "individualproduct", "productmodel", "someproducts"})
# Bound against hostile or broken markup: JSON-LD nodes read from one page.
MAX_NODES = 500


def product_sources(soup: BeautifulSoup, here: tuple[str, str]) -> list[tuple[str, Node]]:
    """The page's Product as schema.org-shaped dicts, best source first; [] if none."""
    found = [("json_ld", _jsonld_product(soup, here)),
             ("microdata", _microdata_product(soup, here))]
    sources = [(name, node) for name, node in found if node is not None]
    og, og_is_product = _opengraph(soup)
    if not sources and not og_is_product:
        return []  # og:title alone is on every page: it does not make a product page
    return [*sources, ("open_graph", og)] if og else sources


# --- JSON-LD -------------------------------------------------------------------------------

def _jsonld_product(soup: BeautifulSoup, here: tuple[str, str]) -> Node | None:
    nodes = jsonld_nodes(soup)
    ids = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 1}
    candidates: list[Node] = []
    for node in nodes:  # top level, @graph members, and a WebPage's mainEntity
        for candidate in (node, *as_list(node.get("mainEntity"))):
            candidate = _resolve(candidate, ids)
            if (isinstance(candidate, dict) and _is_product(candidate.get("@type"))
                    and not any(c is candidate for c in candidates)):
                candidates.append(candidate)
    product = _pick(candidates, here)
    if product is None:
        return None
    # {"@id": ...} references to other @graph nodes (offers, brand) are inlined one level.
    return {k: [_resolve(v, ids) for v in value] if isinstance(value, list)
            else _resolve(value, ids) for k, value in product.items()}


def jsonld_nodes(soup: BeautifulSoup) -> list[Node]:
    """Every dict at the top of each ld+json block or in its @graph, in document order."""
    nodes: list[Node] = []
    for script in soup.find_all("script"):
        if "ld+json" not in tag_attr(script, "type").lower():
            continue
        pending = [_load_json(script.string or "")]
        while pending and len(nodes) < MAX_NODES:
            item = pending.pop(0)
            if isinstance(item, list):
                pending[:0] = item
            elif isinstance(item, dict):
                nodes.append(item)
                pending[:0] = as_list(item.get("@graph"))
    return nodes


def _load_json(text: str) -> object:
    """Blocks wrapped in HTML comments or ending in ';' are common; broken ones are skipped."""
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip().rstrip(";")
    try:
        return json.loads(text, strict=False)  # strict=False: raw newlines inside strings
    except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested past the stack
        return None


def _resolve(value: Any, ids: dict[str, Node]) -> Any:
    if isinstance(value, dict) and set(value) == {"@id"}:
        return ids.get(value["@id"], value)
    return value


def _pick(candidates: list[Node], here: tuple[str, str]) -> Node | None:
    """One Product is the page's; several are a listing, unless one names this page's URL."""
    if len(candidates) == 1:
        return candidates[0]
    pages = {u.split("#")[0] for u in here}
    for candidate in candidates:
        for key in ("url", "@id"):
            link = node_text(candidate.get(key))
            if link and urljoin(here[1], link).split("#")[0] in pages:
                return candidate
    return None


def _is_product(types: object) -> bool:
    return any(short_name(str(t)).lower() in PRODUCT_TYPES for t in as_list(types))


# --- microdata -----------------------------------------------------------------------------

def _microdata_product(soup: BeautifulSoup, here: tuple[str, str]) -> Node | None:
    """Top-level Product items only: a Product that is an itemprop belongs to another item."""
    candidates = [
        _microdata_item(el, 0) for el in soup.find_all(itemscope=True)
        if _is_product(tag_attr(el, "itemtype").split())
        and (not el.has_attr("itemprop") or "mainentity" in tag_attr(el, "itemprop").lower())
    ]
    return _pick(candidates, here)


_MICRODATA_ATTRS = {"a": "href", "area": "href", "link": "href", "img": "src", "audio": "src",
                    "embed": "src", "iframe": "src", "source": "src", "track": "src",
                    "video": "src", "object": "data", "data": "value", "meter": "value",
                    "time": "datetime"}


def _microdata_item(scope: Tag, depth: int) -> Node:
    """The item's properties; a nested itemscope's own properties stay inside it."""
    props: dict[str, list[Any]] = {}
    stack = [c for c in reversed(scope.contents) if isinstance(c, Tag)]
    while stack:
        el = stack.pop()
        names = tag_attr(el, "itemprop").split()
        if names:
            value = _microdata_value(el, depth)
            for name in names:
                props.setdefault(short_name(name), []).append(value)
        if not el.has_attr("itemscope"):
            stack += [c for c in reversed(el.contents) if isinstance(c, Tag)]
    types = tag_attr(scope, "itemtype").split()
    item: Node = {"@type": short_name(types[0]) if types else "Thing"}
    item.update({k: v[0] if len(v) == 1 else v for k, v in props.items()})
    return item


def _microdata_value(el: Tag, depth: int) -> Any:
    if el.has_attr("itemscope"):
        return _microdata_item(el, depth + 1) if depth < MAX_DEPTH else None
    if el.has_attr("content"):  # the spec says <meta> only; shops put it on <span> too
        return tag_attr(el, "content").strip()
    attr = _MICRODATA_ATTRS.get(el.name)
    if attr and el.has_attr(attr):
        return tag_attr(el, attr).strip()
    return clean_text(el.get_text(" "))


# --- Open Graph ----------------------------------------------------------------------------

_OG_PRODUCT_TYPES = frozenset({"product", "og:product", "product.item"})


def _opengraph(soup: BeautifulSoup) -> tuple[Node, bool]:
    """The share card as a Product dict, and whether the page declares itself a product."""
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag_attr(tag, "property") or tag_attr(tag, "name")).strip().lower()
        value = clean_text(tag_attr(tag, "content"))
        if key.startswith(("og:", "product:")) and value:
            meta.setdefault(key, value)
    price = meta.get("product:price:amount") or meta.get("og:price:amount")
    offer = {"price": price,
             "priceCurrency": meta.get("product:price:currency") or meta.get("og:price:currency"),
             "availability": meta.get("product:availability") or meta.get("og:availability")}
    node = {"@type": "Product", "name": meta.get("og:title"), "image": meta.get("og:image"),
            "brand": meta.get("product:brand"), "sku": meta.get("product:retailer_item_id"),
            "offers": {k: v for k, v in offer.items() if v}}
    node = {k: v for k, v in node.items() if v}
    is_product = bool(price) or meta.get("og:type", "").lower() in _OG_PRODUCT_TYPES
    return (node if len(node) > 1 else {}), is_product
