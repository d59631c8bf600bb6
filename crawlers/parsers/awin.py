"""Awin product feed (CSV, often gzip): rows → OfferRecord or RejectRecord.

Pure functions, streamed row by row. The file-feed helpers in the first half
(``iter_csv_rows``, ``TruncatedFeed``, ``http_url``, ``parse_amount``, ``gtin_or_none``...)
are shared with the voucher export and the Merchant Center TSV parsers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from aggregator.gtin import normalize_gtin
from aggregator.money import MoneyError, to_decimal, to_minor
from aggregator.records import OfferRecord, RejectRecord
from crawlers.parsers.common import FeedFormatError, ParseError, TruncatedFeed

# Column sizes of the tables these records land in: longer text would fail on PostgreSQL.
TITLE_MAX, BRAND_MAX, CATEGORY_MAX, NAME_MAX, ID_MAX, URL_MAX = 500, 120, 255, 255, 191, 2000


@dataclass(frozen=True, slots=True)
class CsvRow:
    values: dict[str, str]
    problem: str | None = None  # set when the row does not line up with the header


def iter_csv_rows(body: bytes, *, required: Sequence[Sequence[str]] = (), delimiter: str = ",",
                  rename: Callable[[str], str] = str.strip) -> Iterator[CsvRow]:
    """Rows of a delimited UTF-8 file (BOM or not) keyed by its header, streamed.

    Raises FeedFormatError before any row when the header lacks a required column (each
    group in ``required`` needs one of its names), TruncatedFeed after the last complete
    row when the file stops mid-row.
    """
    # errors="replace": one bad byte in a description must not cost the rest of the feed.
    text = io.TextIOWrapper(io.BytesIO(body), encoding="utf-8-sig", errors="replace",
                            newline="")
    reader = csv.reader(text, delimiter=delimiter)
    names = _header(reader, body, rename, required)
    pending: list[str] | None = None  # one row of look-ahead: only the last may be cut
    try:
        for values in reader:
            if values and (len(values) > 1 or values[0].strip()):
                if pending is not None:
                    yield _csv_row(names, pending, delimiter)
                pending = values
    except csv.Error as exc:  # a NUL byte, a field over the csv module's size limit
        if pending is not None:
            yield _csv_row(names, pending, delimiter)
        raise TruncatedFeed(f"unreadable CSV at line {reader.line_num}: {exc}") from exc
    # A file that does not end with a line break was cut off: its last row may be missing
    # fields or hold half a value ("59.9" of "59.99"), so it is not trusted.
    if not body[-4096:].rstrip(b" \t").endswith((b"\n", b"\r")):  # a slice, not a copy of GBs
        where = "after the header" if pending is None else f"at line {reader.line_num}"
        raise TruncatedFeed(f"feed ends mid-row {where}")
    if pending is not None:
        # A short last row is a reject, unless the file stops inside a quoted field (just
        # after a line break in a description): then the quotes do not pair up.
        if len(pending) < len(names) and body.count(b'"') % 2:
            raise TruncatedFeed(f"feed ends inside a quoted field at line {reader.line_num}")
        yield _csv_row(names, pending, delimiter)


def _header(reader: Iterator[list[str]], body: bytes, rename: Callable[[str], str],
            required: Sequence[Sequence[str]]) -> list[str]:
    try:
        names = [rename(name) for name in next(reader, [])]
    except csv.Error as exc:
        raise FeedFormatError(f"unreadable header: {exc}") from exc
    if not names:
        raise TruncatedFeed("empty feed: no header row")
    if b"\n" not in body and b"\r" not in body:
        raise TruncatedFeed("feed ends inside the header")
    check_columns(names, required)
    return names


def check_columns(names: Sequence[str], required: Sequence[Sequence[str]]) -> None:
    present = set(names)
    for group in required:
        if not present.intersection(group):
            raise FeedFormatError(f"header lacks column {' or '.join(group)!r}: "
                                  f"got {', '.join(names[:8])[:200]}")


def _csv_row(names: list[str], values: list[str], delimiter: str) -> CsvRow:
    row = dict(zip(names, values, strict=False))
    if len(values) == len(names):
        return CsvRow(row)
    if len(values) > len(names):
        row["_extra"] = delimiter.join(values[len(names):])  # kept for the reviewer
    return CsvRow(row, f"row has {len(values)} fields, header has {len(names)}")


def first(row: Mapping[str, str], *names: str) -> str:
    """The first non-blank value among ``names``, stripped; "" if none."""
    for name in names:
        value = (row.get(name) or "").strip()
        if value:
            return value
    return ""


def clip(text: str, limit: int) -> str | None:
    return text[:limit] or None


def http_url(value: str, name: str, *, required: bool = False) -> str | None:
    """An absolute http(s) URL; file feeds have no page to resolve relative links against.

    A required URL that is missing or unusable is an error; an optional one becomes None.
    """
    text = value.strip()
    if text.startswith("//"):
        text = f"https:{text}"
    if text.startswith(("https://", "http://")) and len(text) <= URL_MAX and " " not in text:
        return text
    if required:
        raise ParseError(f"missing {name}" if not text else f"unusable {name}: {text[:80]!r}")
    return None


# Thousands separators are fine ("1,299.00"); a decimal comma ("59,99") is not read as 5999.
_AMOUNT = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$|^\.\d+$")


def parse_amount(text: str, name: str) -> Decimal:
    """A positive decimal amount in major units, from the text of one field."""
    value = text.strip()
    if not _AMOUNT.match(value):
        raise ParseError(f"unparseable {name}: {text[:40]!r}")
    try:
        amount = to_decimal(value)
    except MoneyError as exc:
        raise ParseError(f"unparseable {name}: {text[:40]!r}") from exc
    if amount <= 0:
        raise ParseError(f"non-positive {name}: {text[:40]!r}")
    return amount


def currency_code(value: str, default: str) -> str:
    code = value.strip().upper() or default
    if len(code) != 3 or not code.isalpha():
        raise ParseError(f"bad currency {value[:20]!r}")
    return code


def gtin_or_none(value: str) -> str | None:
    """Digits of a GTIN-8/12/13/14 as given (leading zeros may be missing), or None.

    Matching pads to 14 digits later; a value whose GS1 check digit fails (or one too
    short to be a GTIN) would match the wrong product, so it is dropped (raw keeps it).
    """
    digits = value.strip().replace(" ", "").replace("-", "")
    return digits if normalize_gtin(digits) else None


# ---- the Awin product feed ----

REQUIRED_COLUMNS = (("aw_product_id", "merchant_product_id"), ("product_name",),
                    ("aw_deep_link",), ("search_price", "store_price"))
GTIN_COLUMNS = ("ean", "upc", "product_GTIN", "gtin")
_IN_STOCK = {
    **dict.fromkeys(("1", "y", "yes", "true", "in stock", "in_stock", "instock", "available",
                     "limited stock", "low stock"), True),
    **dict.fromkeys(("0", "n", "no", "false", "out of stock", "out_of_stock", "outofstock",
                     "unavailable", "discontinued", "preorder", "pre-order", "backorder"), False),
}


def iter_products(body: bytes, *, partner: str,
                  currency: str) -> Iterator[OfferRecord | RejectRecord]:
    """Every row of an Awin product feed, in file order. Raises FeedError (see above)."""
    for row in iter_csv_rows(body, required=REQUIRED_COLUMNS):
        try:
            if row.problem:
                raise ParseError(row.problem)
            yield parse_product(row.values, partner=partner, currency=currency)
        except ValueError as exc:  # ParseError, MoneyError, a record's own checks
            external_id = first(row.values, "aw_product_id", "merchant_product_id")
            yield RejectRecord(partner=partner, reason=str(exc), raw=row.values,
                               external_id=external_id[:ID_MAX] or None)


def parse_product(row: dict[str, str], *, partner: str, currency: str) -> OfferRecord:
    external_id = first(row, "aw_product_id", "merchant_product_id")
    if not external_id or len(external_id) > ID_MAX:
        raise ParseError("missing aw_product_id" if not external_id else "aw_product_id too long")
    title = first(row, "product_name")
    if not title:
        raise ParseError("missing product_name")
    row_currency = currency_code(row.get("currency") or "", currency)
    price = to_minor(_price(row), row_currency)
    rrp = _list_price(row, row_currency)
    return OfferRecord(
        partner=partner, external_id=external_id, title=title[:TITLE_MAX],
        url=http_url(row.get("aw_deep_link") or "", "aw_deep_link", required=True) or "",
        currency=row_currency, price=price,
        list_price=rrp if rrp is not None and rrp > price else None,
        image_url=http_url(first(row, "merchant_image_url", "aw_image_url"), "image"),
        shop_id=clip(first(row, "merchant_id"), ID_MAX),
        shop_name=clip(first(row, "merchant_name"), NAME_MAX),
        brand=clip(first(row, "brand_name"), BRAND_MAX),
        category=clip(first(row, "merchant_category", "category_name"), CATEGORY_MAX),
        gtin=_gtin(row),
        mpn=clip(first(row, "mpn", "model_number"), NAME_MAX),
        in_stock=_in_stock(row), raw=row,
    )


def _price(row: Mapping[str, str]) -> Decimal:
    for name in ("search_price", "store_price"):
        if text := first(row, name):
            return parse_amount(text, name)
    raise ParseError("no price: search_price and store_price are empty")


def _gtin(row: Mapping[str, str]) -> str | None:
    """The first valid GTIN among the identifier columns (an invalid ean may sit beside a
    valid upc)."""
    for name in GTIN_COLUMNS:
        if (value := row.get(name)) and (gtin := gtin_or_none(value)):
            return gtin
    return None


def _list_price(row: Mapping[str, str], currency: str) -> int | None:
    """A missing or garbage rrp_price is dropped, not fatal: the price is what sells."""
    try:
        return to_minor(parse_amount(first(row, "rrp_price"), "rrp_price"), currency)
    except ValueError:
        return None


def _in_stock(row: Mapping[str, str]) -> bool:
    """in_stock 1/0, else stock_status words; a listed product with neither is on sale."""
    for name in ("in_stock", "stock_status"):
        if value := first(row, name).lower():
            if value not in _IN_STOCK:
                raise ParseError(f"unreadable {name}: {value[:40]!r}")
            return _IN_STOCK[value]
    return True
