"""Table-driven tests of the Awin product feed parser: the samples and every variant."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from typing import Any

import pytest

from aggregator.records import OfferRecord, RejectRecord
from crawlers.parsers.awin import (
    FeedFormatError,
    TruncatedFeed,
    gtin_or_none,
    iter_csv_rows,
    iter_products,
)
from tests.conftest import FEEDS
from tests.crawlers.parser_support import accepted, fields, rejected

SAMPLES = FEEDS / "awin"
PLAIN = (SAMPLES / "products.csv").read_bytes()


def parse(body: bytes, currency: str = "GBP") -> list[OfferRecord | RejectRecord]:
    return list(iter_products(body, partner="awin", currency=currency))


def by_id(records: list[OfferRecord | RejectRecord]) -> dict[str, Any]:
    return {r.external_id or "": r for r in records}


def feed(rows: list[dict[str, str]], columns: list[str] | None = None) -> bytes:
    """A CSV as Awin writes it: header, quoting where needed, CRLF-free, final newline."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


BASE_ROW = {
    "aw_deep_link": "https://www.awin1.com/pclick.php?p=1&a=123456&m=4567",
    "product_name": "Camping Stove", "aw_product_id": "1", "merchant_product_id": "SKU-1",
    "merchant_image_url": "https://cdn.example.co.uk/stove.jpg", "description": "Small",
    "merchant_category": "Outdoor > Cooking", "search_price": "40.00", "store_price": "45.00",
    "rrp_price": "50.00", "currency": "GBP", "brand_name": "Acme", "ean": "5012345678900",
    "in_stock": "1", "merchant_name": "Acme UK",
}


@pytest.mark.parametrize("body", [PLAIN, gzip.decompress((SAMPLES / "products.csv.gz")
                                                          .read_bytes())], ids=["csv", "gz"])
def test_sample_feed(body: bytes) -> None:
    records = by_id(parse(body))
    ridge, bottle, broken = records["31234567"], records["31234568"], records["31234569"]
    assert isinstance(ridge, OfferRecord) and isinstance(bottle, OfferRecord)
    assert ridge.title == 'Trail Running Shoe "Ridge 2", Men\'s'  # quoted comma and quotes
    assert (ridge.currency, ridge.price, ridge.list_price, ridge.in_stock) == (
        "GBP", 5999, 8999, True)
    assert ridge.url == "https://www.awin1.com/pclick.php?p=31234567&a=123456&m=4567"
    assert ridge.image_url == "https://cdn.example-shop.co.uk/ridge2.jpg"
    assert (ridge.brand, ridge.category, ridge.shop_name) == ("Acme", "Shoes > Running",
                                                              "Acme UK")
    # The GTIN as given; matching pads it to the 14 digits the GMC feed sends.
    assert ridge.gtin == "0820650851230" and ridge.gtin.zfill(14) == "00820650851230"
    assert ridge.raw["merchant_product_id"] == "SKU-RIDGE2-42"
    assert ridge.raw["description"] == "Grippy, light, waterproof"
    assert (bottle.price, bottle.list_price, bottle.gtin) == (1800, None, "5012345678900")
    assert isinstance(broken, RejectRecord) and "no price" in broken.reason
    assert broken.raw["product_name"] == "Broken row: no price"


def test_column_order_bom_and_crlf_do_not_matter() -> None:
    reference = parse(PLAIN)
    rows = list(csv.DictReader(io.StringIO(PLAIN.decode())))
    shuffled = feed(rows, columns=list(reversed(rows[0])))
    crlf = PLAIN.replace(b"\n", b"\r\n")
    for body in (shuffled, b"\xef\xbb\xbf" + PLAIN, crlf):
        assert parse(body) == reference


# overrides of BASE_ROW, then the expected field values or a reject-reason fragment
VARIANTS: list[tuple[str, dict[str, str], dict[str, Any] | str]] = [
    ("base", {}, {"price": 4000, "list_price": 5000, "currency": "GBP", "in_stock": True,
                  "gtin": "5012345678900", "shop_name": "Acme UK", "shop_id": None}),
    ("EUR row", {"currency": "EUR", "search_price": "19.95", "rrp_price": ""},
     {"currency": "EUR", "price": 1995, "list_price": None}),
    ("lower-case currency", {"currency": "eur"}, {"currency": "EUR"}),
    ("no currency: the partner's", {"currency": ""}, {"currency": "GBP"}),
    ("store_price fallback", {"search_price": ""}, {"price": 4500}),
    ("rrp not above price", {"rrp_price": "40.00"}, {"list_price": None}),
    ("garbage rrp dropped", {"rrp_price": "n/a"}, {"list_price": None, "price": 4000}),
    ("thousands separator", {"search_price": "1,299.00", "rrp_price": "1,499.00"},
     {"price": 129900, "list_price": 149900}),
    ("merchant_product_id fallback", {"aw_product_id": ""}, {"external_id": "SKU-1"}),
    ("aw_image_url fallback", {"merchant_image_url": "", "aw_image_url":
                               "https://images2.productserve.com/x.jpg"},
     {"image_url": "https://images2.productserve.com/x.jpg"}),
    ("bad image dropped", {"merchant_image_url": "stove.jpg"}, {"image_url": None}),
    ("scheme-relative link", {"aw_deep_link": "//www.awin1.com/pclick.php?p=1"},
     {"url": "https://www.awin1.com/pclick.php?p=1"}),
    ("category_name fallback", {"merchant_category": "", "category_name": "Stoves"},
     {"category": "Stoves"}),
    ("out of stock", {"in_stock": "0"}, {"in_stock": False}),
    ("stock_status words", {"in_stock": "", "stock_status": "Out of Stock"},
     {"in_stock": False}),
    ("no stock columns", {"in_stock": ""}, {"in_stock": True}),
    ("short ean kept as given", {"ean": "820650851230"}, {"gtin": "820650851230"}),
    ("bad check digit dropped", {"ean": "5012345678901"}, {"gtin": None}),
    ("upc beside a bad ean", {"ean": "123", "upc": "036000291452"}, {"gtin": "036000291452"}),
    ("product_GTIN", {"ean": "", "product_GTIN": "00820650851230"},
     {"gtin": "00820650851230"}),
    ("mpn", {"mpn": "CS-100"}, {"mpn": "CS-100"}),
    ("model_number", {"model_number": "CS-200"}, {"mpn": "CS-200"}),
    ("merchant id", {"merchant_id": "4567"}, {"shop_id": "4567"}),
    ("long title clipped", {"product_name": "x" * 600}, {"title": "x" * 500}),
    ("no price", {"search_price": "", "store_price": ""}, "no price"),
    ("zero price", {"search_price": "0.00"}, "non-positive search_price"),
    ("decimal comma refused", {"search_price": "39,99"}, "unparseable search_price"),
    ("text price", {"search_price": "£40"}, "unparseable search_price"),
    ("missing title", {"product_name": "  "}, "missing product_name"),
    ("missing ids", {"aw_product_id": "", "merchant_product_id": ""}, "missing aw_product_id"),
    ("relative link", {"aw_deep_link": "/p/1"}, "unusable aw_deep_link"),
    ("javascript link", {"aw_deep_link": "javascript:alert(1)"}, "unusable aw_deep_link"),
    ("missing link", {"aw_deep_link": ""}, "missing aw_deep_link"),
    ("bad currency", {"currency": "£"}, "bad currency"),
    ("unreadable stock", {"in_stock": "maybe"}, "unreadable in_stock"),
]


@pytest.mark.parametrize(("case", "overrides", "expected"), VARIANTS,
                         ids=[v[0] for v in VARIANTS])
def test_row_variants(case: str, overrides: dict[str, str], expected: dict[str, Any] | str,
                      ) -> None:
    row = {**BASE_ROW, **overrides}
    columns = list(dict.fromkeys([*BASE_ROW, *overrides]))
    (record,) = parse(feed([row], columns))
    if isinstance(expected, str):
        assert rejected(record, expected, case).raw == {c: row.get(c, "") for c in columns}
    else:
        assert fields(accepted(record, OfferRecord, case), expected) == expected


def test_quoted_newlines_and_commas_stay_in_their_field() -> None:
    body = feed([{**BASE_ROW, "description": 'Line one,\nline "two"'},
                 {**BASE_ROW, "aw_product_id": "2"}])
    first, second = parse(body)
    assert isinstance(first, OfferRecord) and isinstance(second, OfferRecord)
    assert first.raw["description"] == 'Line one,\nline "two"'
    assert second.external_id == "2"


def test_invalid_utf8_byte_costs_one_character_not_the_feed() -> None:
    body = feed([BASE_ROW]).replace(b"Camping", b"Camp\xffing")
    (record,) = parse(body)
    assert isinstance(record, OfferRecord) and record.title == "Camp\ufffding Stove"


# what the body is, how many records come before the error, the error (or None)
FEED_CASES: list[tuple[str, bytes, int, type[Exception] | None]] = [
    ("header only", PLAIN.split(b"\n")[0] + b"\n", 0, None),
    ("blank lines skipped", PLAIN.replace(b"\n", b"\n\n"), 3, None),
    ("cut mid-row", PLAIN[:PLAIN.index(b"Insulated") + 5], 1, TruncatedFeed),
    ("cut inside a quoted field", PLAIN[:PLAIN.index(b"Grippy") + 3], 0, TruncatedFeed),
    ("cut after a line break in a quoted field",
     feed([{**BASE_ROW, "description": "one\ntwo"}]).split(b"one\n")[0] + b"one\n", 0,
     TruncatedFeed),
    ("short last row is a reject", PLAIN + b"https://x.example/4,Short row,4\n", 4, None),
    ("cut in the last value", PLAIN.rstrip(b"\n")[:-3], 2, TruncatedFeed),
    ("no final newline", PLAIN.rstrip(b"\n"), 2, TruncatedFeed),
    # A cut exactly between rows cannot be seen in the file itself.
    ("cut after a whole row", b"\n".join(PLAIN.split(b"\n")[:2]) + b"\n", 1, None),
    ("cut in the header", PLAIN[:30], 0, TruncatedFeed),
    ("empty body", b"", 0, TruncatedFeed),
    ("an HTML page", b"<html><body>502 Bad Gateway</body></html>\n", 0, FeedFormatError),
    ("a different export", (SAMPLES / "promotions.csv").read_bytes(), 0, FeedFormatError),
]


@pytest.mark.parametrize(("case", "body", "count", "error"), FEED_CASES,
                         ids=[c[0] for c in FEED_CASES])
def test_feed_endings(case: str, body: bytes, count: int, error: type[Exception] | None,
                      ) -> None:
    records: list[OfferRecord | RejectRecord] = []
    if error is None:
        records = parse(body)
    else:
        with pytest.raises(error):
            for record in iter_products(body, partner="awin", currency="GBP"):
                records.append(record)
    assert len(records) == count
    # A record before the cut is whole: it is never the half-written row.
    assert all(isinstance(r, OfferRecord) or "no price" in r.reason
               or "header has" in r.reason for r in records)


@pytest.mark.parametrize(("values", "problem"), [
    (["1", "2"], "row has 2 fields, header has 3"),
    (["1", "2", "3", "4"], "row has 4 fields, header has 3"),
])
def test_misaligned_rows_are_flagged(values: list[str], problem: str) -> None:
    body = ("a,b,c\n" + ",".join(values) + "\nx,y,z\n").encode()
    bad, good = iter_csv_rows(body)
    assert bad.problem == problem and good.problem is None
    if len(values) == 4:
        assert bad.values["_extra"] == "4"  # kept for the reviewer


def test_misaligned_row_is_rejected_and_the_rest_read() -> None:
    body = feed([BASE_ROW]) + b"only,three,fields\n" + feed([{**BASE_ROW, "aw_product_id": "2"}]
                                                            ).split(b"\n", 1)[1]
    first, bad, second = parse(body)
    assert isinstance(bad, RejectRecord) and "fields, header has" in bad.reason
    assert isinstance(first, OfferRecord) and isinstance(second, OfferRecord)


@pytest.mark.parametrize(("value", "gtin"), [
    ("0820650851230", "0820650851230"), ("00820650851230", "00820650851230"),
    ("4006381333931", "4006381333931"), ("96385074", "96385074"),  # GTIN-8
    ("4006381 333931", "4006381333931"), ("4006381333932", None), ("00000000", None),
    ("123", None),  # a valid check digit, but no GTIN is that short
    ("5.01235E+12", None), ("123456789012345", None), ("", None), ("٤٠٠٦٣٨١٣٣٣٩٣١", None),
])
def test_gtin(value: str, gtin: str | None) -> None:
    assert gtin_or_none(value) == gtin


def test_streams_100k_rows() -> None:
    """A large feed is read row by row to the end (its speed is `make bench`'s business,
    never a timed test's)."""
    header, row = PLAIN.split(b"\n")[:2]
    body = header + b"\n" + b"".join(row.replace(b"31234567", str(i).encode(), 1) + b"\n"
                                     for i in range(100_000))
    kinds = Counter(type(r).__name__
                    for r in iter_products(body, partner="awin", currency="GBP"))
    assert kinds == {"OfferRecord": 100_000}
