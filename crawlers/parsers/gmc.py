"""Google Merchant Center product feed: RSS 2.0 XML (``g:`` namespace) or TSV → records.

Both forms become one dict of attribute names without the ``g:`` prefix, then one
function normalizes it. Which form a body is comes from its first bytes, not from a
file name. The sale price depends on the clock, so the caller passes ``now``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal

from lxml import etree

from aggregator.money import to_minor
from aggregator.records import OfferRecord, RejectRecord
from crawlers.parsers.awin import (
    BRAND_MAX,
    CATEGORY_MAX,
    ID_MAX,
    NAME_MAX,
    TITLE_MAX,
    CsvRow,
    clip,
    currency_code,
    first,
    gtin_or_none,
    http_url,
    iter_csv_rows,
    parse_amount,
)
from crawlers.parsers.common import FeedFormatError, ParseError, TruncatedFeed

G = "{http://base.google.com/ns/1.0}"
REQUIRED_COLUMNS = (("id",), ("title",), ("link",), ("price",))
# "79.99 USD", "USD 79.99" or a bare "79.99" (the account currency).
_PRICE = re.compile(r"^(?:([A-Za-z]{3})\s+)?([\d.,]+)(?:\s*([A-Za-z]{3}))?$")
# preorder/backorder can be ordered but not had now: not "in stock" for a deal list.
_AVAILABILITY = {"in_stock": True, "available_for_order": True, "out_of_stock": False,
                 "preorder": False, "backorder": False}


def looks_like_xml(body: bytes) -> bool:
    return body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def iter_items(body: bytes, *, partner: str, currency: str, now: datetime,
               tz: tzinfo = UTC) -> Iterator[OfferRecord | RejectRecord]:
    """Every item of the feed in file order; ``tz`` reads sale dates given without a zone
    (Google uses the target country's zone: UTC for the UK). Raises FeedError."""
    rows = iter_xml_rows(body) if looks_like_xml(body) else iter_tsv_rows(body)
    for row in rows:
        try:
            if row.problem:
                raise ParseError(row.problem)
            yield parse_entry(row.values, partner=partner, currency=currency, now=now, tz=tz)
        except ValueError as exc:  # ParseError, MoneyError, a record's own checks
            yield RejectRecord(partner=partner, reason=str(exc), raw=row.values,
                               external_id=first(row.values, "id")[:ID_MAX] or None)


def iter_tsv_rows(body: bytes) -> Iterator[CsvRow]:
    return iter_csv_rows(body, delimiter="\t", required=REQUIRED_COLUMNS, rename=_tsv_name)


def _tsv_name(name: str) -> str:
    """``g:sale_price`` / ``Sale Price`` / ``sale_price`` → ``sale_price``."""
    name = name.strip().lower()
    return name.removeprefix("g:").replace(" ", "_")


def iter_xml_rows(body: bytes) -> Iterator[CsvRow]:
    """Each ``<item>``'s attributes, streamed; entities are never fetched or expanded."""
    context = etree.iterparse(io.BytesIO(body), events=("end",), tag="item",
                              resolve_entities=False, no_network=True, load_dtd=False)
    try:
        for _, item in context:
            if context.root is not None and context.root.tag != "rss":
                break
            yield CsvRow(_item_fields(item))
            item.clear()  # keep memory flat on a big feed: drop what was read
            while item.getprevious() is not None:
                del item.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise TruncatedFeed(f"malformed XML: {exc}") from exc
    if context.root is None or context.root.tag != "rss":
        tag = context.root.tag if context.root is not None else "nothing"
        raise FeedFormatError(f"not an RSS 2.0 feed: root element is {tag!r}")


def _item_fields(item: etree._Element) -> dict[str, str]:
    """Direct children only: ``g:shipping`` nests its own ``g:price``, not the item's."""
    plain: dict[str, str] = {}
    google: dict[str, str] = {}
    for child in item:
        tag = child.tag
        if not isinstance(tag, str) or len(child):  # comments; nested groups
            continue
        if tag.startswith(G):
            target, name = google, tag[len(G):]
        elif tag.startswith("{"):  # another namespace (atom:link...) is not ours
            continue
        else:
            target, name = plain, tag
        target.setdefault(name, (child.text or "").strip())
    # g:title beats title unless it is empty: feeds use either, a few both.
    return {**plain, **{k: v for k, v in google.items() if v or k not in plain}}


def parse_entry(fields: dict[str, str], *, partner: str, currency: str, now: datetime,
                tz: tzinfo = UTC) -> OfferRecord:
    external_id = first(fields, "id")
    if not external_id or len(external_id) > ID_MAX:
        raise ParseError("missing id" if not external_id else "id too long")
    title = first(fields, "title")
    if not title:
        raise ParseError("missing title")
    price, code = parse_price(first(fields, "price"), "price", currency)
    list_price = None
    if sale_text := first(fields, "sale_price"):
        sale, sale_code = parse_price(sale_text, "sale_price", currency)
        if sale_code != code:
            raise ParseError(f"sale_price in {sale_code}, price in {code}")
        if sale_applies(first(fields, "sale_price_effective_date"), now, tz):
            price, list_price = sale, (price if price > sale else None)
    return OfferRecord(
        partner=partner, external_id=external_id, title=title[:TITLE_MAX],
        url=http_url(first(fields, "link"), "link", required=True) or "",
        currency=code, price=to_minor(price, code),
        list_price=to_minor(list_price, code) if list_price is not None else None,
        image_url=http_url(first(fields, "image_link"), "image_link"),
        brand=clip(first(fields, "brand"), BRAND_MAX),
        category=clip(first(fields, "google_product_category", "product_type"), CATEGORY_MAX),
        gtin=gtin_or_none(first(fields, "gtin")), mpn=clip(first(fields, "mpn"), NAME_MAX),
        in_stock=_in_stock(fields), raw=fields,
    )


def parse_price(text: str, name: str, default_currency: str) -> tuple[Decimal, str]:
    """``"79.99 USD"`` → (Decimal("79.99"), "USD"); no code means the account currency."""
    if not text:
        raise ParseError(f"missing {name}")
    match = _PRICE.match(text.strip())
    if not match or (match.group(1) and match.group(3)):
        raise ParseError(f"unparseable {name}: {text[:40]!r}")
    code = currency_code(match.group(1) or match.group(3) or "", default_currency)
    return parse_amount(match.group(2), name), code


def sale_applies(interval: str, now: datetime, tz: tzinfo = UTC) -> bool:
    """Is ``now`` inside ``start/end`` (ISO 8601)? No interval: the sale always applies."""
    if not interval:
        return True
    start_text, slash, end_text = interval.partition("/")
    if not slash:
        raise ParseError(f"bad sale_price_effective_date: {interval[:60]!r}")
    start, end = _moment(start_text, tz, end=False), _moment(end_text, tz, end=True)
    if start and end and end < start:
        raise ParseError(f"sale ends before it starts: {interval[:60]!r}")
    return (start is None or start <= now) and (end is None or now <= end)


def _moment(text: str, tz: tzinfo, *, end: bool) -> datetime | None:
    text = text.strip()
    if not text:
        return None  # an open side: "…/" runs until further notice
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ParseError(f"bad sale_price_effective_date part {text[:30]!r}") from exc
    if end and len(text) == 10:  # a bare end date includes that whole day
        moment += timedelta(hours=23, minutes=59, seconds=59)
    return (moment if moment.tzinfo else moment.replace(tzinfo=tz)).astimezone(UTC)


def _in_stock(fields: Mapping[str, str]) -> bool:
    value = first(fields, "availability").lower().replace(" ", "_")
    if not value:
        return True  # a listed product that says nothing is on sale
    if value not in _AVAILABILITY:
        raise ParseError(f"unknown availability {value[:40]!r}")
    return _AVAILABILITY[value]

