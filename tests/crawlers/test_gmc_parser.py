"""Table-driven tests of the Merchant Center parser: XML and TSV, sale windows, endings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from aggregator.records import OfferRecord, RejectRecord
from crawlers.parsers.awin import iter_products
from crawlers.parsers.common import FeedFormatError, ParseError, TruncatedFeed
from crawlers.parsers.gmc import iter_items, looks_like_xml, sale_applies
from tests.conftest import FEEDS, FIXED_NOW
from tests.crawlers.parser_support import accepted, fields, rejected

SAMPLES = FEEDS / "gmc"
XML = (SAMPLES / "feed.xml").read_bytes()
TSV = (SAMPLES / "feed.tsv").read_bytes()


def parse(body: bytes, now: datetime = FIXED_NOW, **kwargs: Any,
          ) -> list[OfferRecord | RejectRecord]:
    return list(iter_items(body, partner="gmc", currency=kwargs.pop("currency", "GBP"),
                           now=now, **kwargs))


def one(body: bytes, **kwargs: Any) -> OfferRecord | RejectRecord:
    (record,) = parse(body, **kwargs)
    return record


def rss(*items: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>'
            "<title>Shop</title><link>https://shop.example/</link>"
            + "".join(f"<item>{item}</item>\n" for item in items)
            + "</channel></rss>\n").encode()


BASE_ITEM = ("<g:id>A1</g:id><g:title>Stove</g:title>"
             "<g:link>https://shop.example/a1</g:link><g:price>40.00 GBP</g:price>")


def item(*extra: str, base: str = BASE_ITEM) -> bytes:
    return rss(base + "".join(extra))


@pytest.mark.parametrize("body", [XML, TSV], ids=["xml", "tsv"])
def test_sample_ridge(body: bytes) -> None:
    ridge = parse(body)[0]
    assert isinstance(ridge, OfferRecord)
    assert (ridge.external_id, ridge.currency, ridge.price, ridge.list_price) == (
        "RIDGE2-42", "GBP", 6250, 8400)  # inside its sale window
    assert ridge.title == "Acme Ridge 2 Trail Running Shoe - Men's"
    assert ridge.url == "https://www.example-outdoor.com/products/ridge-2"
    assert ridge.image_url == "https://www.example-outdoor.com/img/ridge2.jpg"
    assert (ridge.brand, ridge.in_stock) == ("Acme", True)
    assert ridge.category == "Apparel & Accessories > Shoes"
    assert ridge.raw["sale_price"] == "62.50 GBP"
    awin = next(r for r in iter_products((FEEDS / "awin" / "products.csv").read_bytes(),
                                         partner="awin", currency="GBP")
                if r.external_id == "31234567")
    assert isinstance(awin, OfferRecord) and awin.gtin is not None and ridge.gtin is not None
    assert ridge.gtin.zfill(14) == awin.gtin.zfill(14) == "00820650851230"


def test_sample_tent() -> None:
    tent = parse(XML)[1]
    assert isinstance(tent, OfferRecord)
    assert (tent.external_id, tent.price, tent.list_price, tent.in_stock) == (
        "TENT-2P", 19900, None, False)  # the 2024 sale is over
    assert (tent.category, tent.mpn, tent.brand, tent.gtin) == ("988", "DT-2P-24", "Summit",
                                                                None)
    assert tent.title == "Two-person Dome Tent"  # g:title
    assert tent.url == "https://www.example-outdoor.com/products/tent-2p"  # g:link


def test_xml_description_entities_are_decoded() -> None:
    assert parse(XML)[0].raw["description"] == "Light trail shoe & waterproof upper"


# extra XML inside the item (or a replacement base) → expected fields or a reject reason
XML_VARIANTS: list[tuple[str, str, str, dict[str, Any] | str]] = [
    ("plain title and link", "", "<g:id>A1</g:id><title>Plain</title>"
     "<link>https://shop.example/p</link><g:price>40.00 GBP</g:price>",
     {"title": "Plain", "url": "https://shop.example/p"}),
    ("g:title wins over title", "<title>Plain</title>", BASE_ITEM, {"title": "Stove"}),
    ("empty g:title falls back", "<title>Plain</title>",
     BASE_ITEM.replace("<g:title>Stove</g:title>", "<g:title> </g:title>"), {"title": "Plain"}),
    ("CDATA title", "", BASE_ITEM.replace("Stove", "<![CDATA[Stove & <b>Pan</b>]]>"),
     {"title": "Stove & <b>Pan</b>"}),
    ("nested shipping price ignored",
     "<g:shipping><g:country>GB</g:country><g:price>4.99 GBP</g:price></g:shipping>", BASE_ITEM,
     {"price": 4000}),
    ("foreign namespace ignored",
     '<x:price xmlns:x="urn:other">1.00 GBP</x:price>', BASE_ITEM, {"price": 4000}),
    ("price without currency", "", BASE_ITEM.replace("40.00 GBP", "40.00"),
     {"price": 4000, "currency": "GBP"}),
    ("code first", "", BASE_ITEM.replace("40.00 GBP", "EUR 40.00"), {"currency": "EUR"}),
    ("code glued on", "", BASE_ITEM.replace("40.00 GBP", "40.00EUR"), {"currency": "EUR"}),
    ("USD", "", BASE_ITEM.replace("40.00 GBP", "79.99 USD"),
     {"price": 7999, "currency": "USD"}),
    ("sale price, no window", "<g:sale_price>30.00 GBP</g:sale_price>", BASE_ITEM,
     {"price": 3000, "list_price": 4000}),
    ("sale price above price", "<g:sale_price>45.00 GBP</g:sale_price>", BASE_ITEM,
     {"price": 4500, "list_price": None}),
    ("in_stock", "<g:availability>in_stock</g:availability>", BASE_ITEM, {"in_stock": True}),
    ("out_of_stock", "<g:availability>out_of_stock</g:availability>", BASE_ITEM,
     {"in_stock": False}),
    ("preorder", "<g:availability>preorder</g:availability>", BASE_ITEM, {"in_stock": False}),
    ("backorder", "<g:availability>backorder</g:availability>", BASE_ITEM,
     {"in_stock": False}),
    ("legacy spelling", "<g:availability>in stock</g:availability>", BASE_ITEM,
     {"in_stock": True}),
    ("no availability", "", BASE_ITEM, {"in_stock": True}),
    ("category path", "<g:google_product_category>Home &amp; Garden &gt; Kitchen"
     "</g:google_product_category>", BASE_ITEM, {"category": "Home & Garden > Kitchen"}),
    ("product_type fallback", "<g:product_type>Stoves &gt; Gas</g:product_type>", BASE_ITEM,
     {"category": "Stoves > Gas"}),
    ("gtin and mpn", "<g:gtin>4006381333931</g:gtin><g:mpn>ST-1</g:mpn>", BASE_ITEM,
     {"gtin": "4006381333931", "mpn": "ST-1"}),
    ("bad gtin dropped", "<g:gtin>4006381333932</g:gtin>", BASE_ITEM, {"gtin": None}),
    ("missing price", "", BASE_ITEM.replace("<g:price>40.00 GBP</g:price>", ""),
     "missing price"),
    ("text price", "", BASE_ITEM.replace("40.00 GBP", "free"), "unparseable price"),
    ("zero price", "", BASE_ITEM.replace("40.00", "0.00"), "non-positive price"),
    ("decimal comma refused", "", BASE_ITEM.replace("40.00 GBP", "12,50 EUR"),
     "unparseable price"),
    ("two codes", "", BASE_ITEM.replace("40.00 GBP", "GBP 40.00 EUR"), "unparseable price"),
    ("sale in another currency", "<g:sale_price>30.00 EUR</g:sale_price>", BASE_ITEM,
     "sale_price in EUR"),
    ("unknown availability", "<g:availability>soon</g:availability>", BASE_ITEM,
     "unknown availability"),
    ("missing id", "", BASE_ITEM.replace("<g:id>A1</g:id>", ""), "missing id"),
    ("missing title", "", BASE_ITEM.replace("<g:title>Stove</g:title>", ""), "missing title"),
    ("relative link", "", BASE_ITEM.replace("https://shop.example/a1", "/a1"),
     "unusable link"),
]


@pytest.mark.parametrize(("case", "extra", "base", "expected"), XML_VARIANTS,
                         ids=[v[0] for v in XML_VARIANTS])
def test_xml_variants(case: str, extra: str, base: str, expected: dict[str, Any] | str,
                      ) -> None:
    record = one(item(extra, base=base))
    if isinstance(expected, str):
        rejected(record, expected, case)
    else:
        assert fields(accepted(record, OfferRecord, case), expected) == expected


SALE = "<g:sale_price>30.00 GBP</g:sale_price>"
# sale_price_effective_date, now, zone for times without an offset → price applies?
WINDOWS: list[tuple[str, str, datetime, str, bool | str]] = [
    ("no interval", "", FIXED_NOW, "UTC", True),
    ("before", "2026-12-01T00:00Z/2026-12-31T23:59Z", FIXED_NOW, "UTC", False),
    ("inside", "2026-11-01T00:00+0000/2030-12-31T23:59+0000", FIXED_NOW, "UTC", True),
    ("after", "2024-06-01T00:00-0700/2024-06-30T23:59-0700", FIXED_NOW, "UTC", False),
    ("starts now", "2026-11-23T00:00Z/2026-11-30T00:00Z", FIXED_NOW, "UTC", True),
    ("ends now", "2026-11-01T00:00Z/2026-11-23T00:00Z", FIXED_NOW, "UTC", True),
    ("ended a second ago", "2026-11-01T00:00Z/2026-11-23T00:00Z",
     FIXED_NOW + timedelta(seconds=1), "UTC", False),
    ("offset: not yet", "2026-11-22T20:00-0500/2026-11-30T00:00-0500", FIXED_NOW, "UTC", False),
    ("offset: started", "2026-11-23T00:30+0100/2026-11-30T00:00+0100", FIXED_NOW, "UTC", True),
    ("colon offsets and seconds", "2026-11-22T23:00:00-01:00/2026-11-30T00:00:00-01:00",
     FIXED_NOW, "UTC", True),
    ("spaces around the slash", "2026-11-01T00:00Z / 2026-11-30T00:00Z", FIXED_NOW, "UTC",
     True),
    ("date-only end takes the day", "2026-11-01/2026-11-22",
     FIXED_NOW - timedelta(seconds=1), "UTC", True),
    ("date-only end is over", "2026-11-01/2026-11-22", FIXED_NOW, "UTC", False),
    ("no offset: UTC", "2026-11-23T00:30/2026-12-01T00:00", FIXED_NOW, "UTC", False),
    ("no offset: Shanghai", "2026-11-23T00:30/2026-12-01T00:00", FIXED_NOW, "Asia/Shanghai",
     True),
    ("open end", "2026-11-01T00:00Z/", FIXED_NOW, "UTC", True),
    ("no slash", "2026-11-01T00:00Z", FIXED_NOW, "UTC", "bad sale_price_effective_date"),
    ("words", "soon/later", FIXED_NOW, "UTC", "bad sale_price_effective_date part"),
    ("backwards", "2026-12-01T00:00Z/2026-11-01T00:00Z", FIXED_NOW, "UTC", "ends before"),
]


@pytest.mark.parametrize(("case", "interval", "now", "zone", "applies"), WINDOWS,
                         ids=[w[0] for w in WINDOWS])
def test_sale_windows(case: str, interval: str, now: datetime, zone: str,
                      applies: bool | str) -> None:
    window = f"<g:sale_price_effective_date>{interval}</g:sale_price_effective_date>"
    record = one(item(SALE, window), now=now, tz=ZoneInfo(zone))
    if isinstance(applies, str):
        rejected(record, applies, case)
        with pytest.raises(ParseError):
            sale_applies(interval, now, ZoneInfo(zone))
        return
    offer = accepted(record, OfferRecord, case)
    assert (offer.price, offer.list_price) == ((3000, 4000) if applies else (4000, None))


TSV_HEADER = "id\ttitle\tlink\tprice\tsale_price\tsale_price_effective_date\tavailability\n"
TSV_ROW = ("B1\tKettle\thttps://shop.example/b1\t25.00 GBP\t20.00 GBP\t"
           "2026-11-01T00:00Z/2026-12-01T00:00Z\tout of stock\n")


@pytest.mark.parametrize("header", [
    TSV_HEADER,
    "\t".join(f"g:{name}" for name in TSV_HEADER.rstrip("\n").split("\t")) + "\n",
    "ID\tTitle\tLink\tPrice\tSale Price\tSale Price Effective Date\tAvailability\n",
    "\ufeff" + TSV_HEADER,
], ids=["plain", "g-prefix", "english names", "bom"])
def test_tsv_headers(header: str) -> None:
    record = one((header + TSV_ROW).encode())
    assert isinstance(record, OfferRecord), getattr(record, "reason", "")
    assert (record.external_id, record.price, record.list_price, record.in_stock) == (
        "B1", 2000, 2500, False)


@pytest.mark.parametrize(("body", "count", "error"), [
    (XML[:XML.index(b"<g:mpn>") + 4], 1, TruncatedFeed),  # cut inside the Tent item
    (XML[:XML.rindex(b"</item>") + 7], 2, TruncatedFeed),  # every item whole, rss unclosed
    (XML.replace(b"&amp; waterproof", b"&nbsp; waterproof"), 0, TruncatedFeed),
    (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>', 0, FeedFormatError),
    (b"<html><body>502 Bad Gateway</body></html>", 0, FeedFormatError),
    (TSV[:-20], 0, TruncatedFeed),
    (TSV + TSV.split(b"\n")[1][:30], 1, TruncatedFeed),
    (b"sku\tname\n1\tx\n", 0, FeedFormatError),
], ids=["xml cut in item", "xml unclosed", "undefined entity", "atom", "html", "tsv cut",
        "tsv cut second row", "tsv wrong columns"])
def test_feed_endings(body: bytes, count: int, error: type[Exception]) -> None:
    records: list[OfferRecord | RejectRecord] = []
    with pytest.raises(error):
        records.extend(iter_items(body, partner="gmc", currency="GBP", now=FIXED_NOW))
    assert len(records) == count
    assert all(isinstance(r, OfferRecord) for r in records)


def test_external_entities_are_never_read() -> None:
    body = (b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            + item().split(b"\n", 1)[1].replace(b"Stove", b"Stove &x;"))
    (record,) = parse(body)
    # The unexpanded reference leaves no usable title: rejected, nothing read from disk.
    assert isinstance(record, RejectRecord) and record.reason == "missing title"
    assert "root:" not in str(record.raw)


@pytest.mark.parametrize(("head", "xml"), [
    (b"<?xml", True), (b"\xef\xbb\xbf<?xml", True), (b"\n  <rss", True), (b"id\ttitle", False),
])
def test_sniffing(head: bytes, xml: bool) -> None:
    assert looks_like_xml(head) is xml


def test_big_xml_streams() -> None:
    items = [BASE_ITEM.replace("A1", f"A{i}") for i in range(20_000)]
    records = parse(rss(*items))
    assert len(records) == 20_000 and all(isinstance(r, OfferRecord) for r in records)
    assert records[-1].external_id == "A19999" and records[-1].raw["price"] == "40.00 GBP"

