"""Coupons in a page's visible text ("满99减10", "£5 off orders over £50") → CouponRecord."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag

from aggregator.money import percent_to_bp, to_minor
from aggregator.records import CouponKind, CouponRecord
from crawlers.parsers.common import clean_text, parse_manjian
from crawlers.parsers.html_price import symbol_currency
from crawlers.parsers.html_values import tag_attr

# Bound against hostile or broken markup: a product page shows a handful of coupons.
MAX_COUPONS = 20

_CHUNKS = re.compile(r"[，,；;、。！!｜|/]|\s{2,}")
_MONEY = r"[£€$¥￥]\s?\d[\d,]*(?:\.\d+)?"
_VALUE = rf"(?:(?P<money>{_MONEY})|(?P<pct>\d{{1,3}}(?:\.\d+)?)\s?%)"
_MIN_WORDS = (r"(?:orders?|purchases?|baskets?|carts?|spend(?:ing)?|when|you|your|over|above|"
              r"of|from|on|min(?:imum)?|an?|all|any)")
_MIN = rf"(?:\s+(?:{_MIN_WORDS}\s+){{0,5}}(?P<min>{_MONEY}))?"
_ENGLISH = (  # the longer form first: its "£10 off" is not a second, minimum-free coupon
    re.compile(rf"\bspend\s+(?P<min>{_MONEY})\s*[,:;]?\s*(?:and\s+)?(?:get|save)\s+{_VALUE}",
               re.I),  # "Spend £50, get £10 off"
    re.compile(rf"{_VALUE}\s+off\b{_MIN}", re.I),  # "£5 off orders over £50", "10% off"
)


def page_coupons(soup: BeautifulSoup, currency: str) -> tuple[CouponRecord, ...]:
    """Coupons written on the page, in the offer's currency (others cannot apply to it)."""
    found: dict[str, CouponRecord] = {}
    for line in _visible_lines(soup):
        for coupon in (*_chinese_coupons(line, currency), *_english_coupons(line, currency)):
            if coupon is not None:
                found.setdefault(coupon.external_id, coupon)
    return tuple(found.values())[:MAX_COUPONS]


def _chinese_coupons(line: str, currency: str) -> Iterator[CouponRecord | None]:
    if "满" not in line and "无" not in line:
        return
    for chunk in _CHUNKS.split(line):
        parsed = parse_manjian(chunk.replace("¥", "").replace("￥", ""))
        if parsed:
            minimum, amount = parsed
            yield _coupon("amount_off", currency, chunk.strip(), line,
                          amount=to_minor(amount, currency), min_spend=to_minor(minimum, currency))


def _english_coupons(line: str, currency: str) -> Iterator[CouponRecord | None]:
    taken: list[range] = []
    for pattern in _ENGLISH:
        for match in pattern.finditer(line):
            span = range(*match.span())
            if any(span.start < t.stop and t.start < span.stop for t in taken):
                continue
            taken.append(span)
            if line[:match.start()].rstrip().lower().endswith("up to"):
                continue  # "up to 50% off" is a sale banner, not a coupon
            yield _english_coupon(match, line, currency)


def _english_coupon(match: re.Match[str], line: str, currency: str) -> CouponRecord | None:
    minimum = _money(match["min"], currency) if match["min"] else 0
    if minimum is None:
        return None
    if match["pct"]:
        return _coupon("percent_off", currency, match.group(0), line,
                       percent_bp=percent_to_bp(match["pct"]), min_spend=minimum)
    amount = _money(match["money"], currency)
    if amount is None:
        return None
    return _coupon("amount_off", currency, match.group(0), line, amount=amount,
                   min_spend=minimum)


def _money(text: str, currency: str) -> int | None:
    """"£50" → 5000 when £ is the offer's currency; None when it is another currency."""
    if symbol_currency(text[0], currency) != currency:
        return None
    return to_minor(text[1:], currency)


def _coupon(kind: CouponKind, currency: str, title: str, line: str, *, amount: int | None = None,
            percent_bp: int | None = None, min_spend: int = 0) -> CouponRecord | None:
    """The id is the coupon's terms: the same text on the next crawl is the same coupon."""
    value = amount if kind == "amount_off" else percent_bp
    try:
        return CouponRecord(external_id=f"page:{kind}:{value}:{min_spend}", kind=kind,
                            currency=currency, title=title[:200], amount=amount,
                            percent_bp=percent_bp, min_spend=min_spend,
                            raw={"text": line[:500]})
    except ValueError:  # "0元", "150% off": page text, not terms anyone can redeem
        return None


# --- visible text --------------------------------------------------------------------------

_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "button", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "label", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"})
_INVISIBLE = frozenset({"head", "script", "style", "noscript", "template", "svg", "select",
                        "textarea"})


def _visible_lines(soup: BeautifulSoup) -> list[str]:
    """The body's text split at block boundaries, like a browser's innerText, minus hidden bits.

    Inline tags join ("满<b>39</b>减5" is one line); blocks separate, so a coupon never
    borrows a number from a neighbouring element.
    """
    lines: list[str] = []
    current: list[str] = []
    stack: list[Any] = [soup.body or soup]
    while stack:
        node = stack.pop()
        if isinstance(node, NavigableString):
            if type(node) is NavigableString:  # not comments, CDATA or script text
                current.append(str(node))
            continue
        is_block = node is None or node.name in _BLOCKS
        if is_block and (text := clean_text("".join(current))):
            lines.append(text)
        if is_block:
            current = []
        if node is None or node.name in _INVISIBLE or _hidden(node):
            continue
        if node.name in _BLOCKS:
            stack.append(None)  # marks the end of the block
        stack += reversed(node.contents)
    if text := clean_text("".join(current)):
        lines.append(text)
    return lines


def _hidden(tag: Tag) -> bool:
    style = tag_attr(tag, "style").replace(" ", "").lower()
    return tag.has_attr("hidden") or "display:none" in style or "visibility:hidden" in style
