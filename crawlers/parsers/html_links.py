"""Links a shop page leads to: product pages and pagination, on the page's own site only."""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from crawlers.parsers.common import clean_text
from crawlers.parsers.html_markup import jsonld_nodes
from crawlers.parsers.html_values import (
    URL_MAX,
    as_list,
    node_text,
    short_name,
    tag_attr,
    tag_tokens,
)

_PAGER_WORDS = frozenset({"next", "next page", "next ›", "next »", "下一页", "下页", "后页",
                          "›", "»", ">", ">>", "→"})
_PAGER_CLASSES = ("pagination", "pager", "paging", "paginator", "page-numbers", "page-link",
                  "page-item")
_PAGE_QUERY = re.compile(r"(?:^|&)(?:page|p|pg|pn|paged|page_?no|page_?num|page_?index)=\d+",
                         re.I)
_PAGE_PATH = re.compile(r"/page[/-]?\d+/?$|[/_-]p\d+\.html?$", re.I)
_PRODUCT_PATH = re.compile(r"/(?:items?|products?|goods|p|dp|detail|details|sku|prod)/[^/]+"
                           r"|(?:item|product|goods|detail)[^/]*\.html?$|/\d+\.html?$", re.I)
_PRODUCT_QUERY = re.compile(r"(?:^|&)(?:id|item_?id|product_?id|goods_?id|pid|sku)=", re.I)
_NOT_LINKS = ("#", "javascript:", "mailto:", "tel:", "data:")


def same_host(url: str, other: str) -> bool:
    """Same host name and port; http and https on their default ports count as one site."""
    return _site(url) == _site(other)


def _site(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # a garbage port never matches anything
        return ("", -1)
    if port == {"http": 80, "https": 443}.get(parts.scheme):
        port = None
    return (parts.hostname or "", port)


def page_links(soup: BeautifulSoup, url: str) -> tuple[list[str], list[str]]:
    """(product links, pagination links): absolute, same host and port, deduplicated."""
    base_tag = soup.find("base", href=True)
    base = urljoin(url, tag_attr(base_tag, "href")) if isinstance(base_tag, Tag) else url
    here = url.split("#")[0]
    products = dict.fromkeys(_itemlist_links(soup))  # a JSON-LD ItemList names its products
    pages: dict[str, None] = {}
    for tag in soup.find_all(["a", "link"], href=True):
        is_rel_page = bool(tag_tokens(tag, "rel") & {"next", "prev", "previous"})
        if tag.name == "link" and not is_rel_page:
            continue  # stylesheets, icons, alternates
        link = _follow(tag_attr(tag, "href"), base)
        if link is None or link == here:
            continue
        if is_rel_page or _is_pager(tag, link):
            pages[link] = None
        elif _looks_like_product(link):
            products[link] = None
    followed = (_follow(link, base) for link in products)
    product_links = [u for u in dict.fromkeys(followed) if u and u != here and u not in pages]
    return [u for u in product_links if same_host(u, url)], [u for u in pages
                                                              if same_host(u, url)]


def _follow(href: str, base: str) -> str | None:
    """An absolute http(s) URL without its fragment, or None for links that are not pages."""
    href = href.strip()
    if not href or href.lower().startswith(_NOT_LINKS):
        return None
    link = urljoin(base, href).split("#")[0]
    if not link.startswith(("http://", "https://")) or len(link) > URL_MAX:
        return None
    return link


def _is_pager(tag: Tag, link: str) -> bool:
    label = clean_text(tag.get_text(" ") or tag_attr(tag, "aria-label")).lower()
    if label in _PAGER_WORDS or any("next" in t for t in tag_tokens(tag, "class", "id")):
        return True
    # a pager is a few levels up at most; further up is the page's own layout
    for el in (tag, *islice(tag.parents, 3)):
        if any(t.startswith(_PAGER_CLASSES) for t in tag_tokens(el, "class", "id")):
            return True
    parts = urlsplit(link)
    return bool(_PAGE_QUERY.search(parts.query) or _PAGE_PATH.search(parts.path))


def _looks_like_product(link: str) -> bool:
    parts = urlsplit(link)
    return bool(_PRODUCT_PATH.search(parts.path) or _PRODUCT_QUERY.search(parts.query))


def _itemlist_links(soup: BeautifulSoup) -> list[str]:
    links: list[str] = []
    for node in jsonld_nodes(soup):
        if not any(short_name(str(t)).lower() == "itemlist" for t in as_list(node.get("@type"))):
            continue
        for element in as_list(node.get("itemListElement")):
            target = element.get("item", element) if isinstance(element, dict) else element
            value = (target.get("url") or target.get("@id")) if isinstance(target, dict) \
                else target
            if link := node_text(value):
                links.append(link)
    return links
