"""Table-driven tests of the shop page parser: the saved samples, then inline pages."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest

from aggregator.pricing import best_coupon
from aggregator.records import OfferRecord, RejectRecord
from crawlers.parsers.html_product import (
    discover_links,
    parse_product_page,
    read_page,
    same_host,
)
from tests.conftest import FEEDS, FIXED_NOW
from tests.crawlers.parser_support import rejected

SAMPLES = FEEDS / "html"
SHOP = "http://127.0.0.1:8900"


def parse(html: str | bytes, *, url: str = f"{SHOP}/item/7.html",
          currency: str = "CNY") -> OfferRecord | RejectRecord | None:
    return parse_product_page(html, url=url, partner="html", default_currency=currency)


def offer(html: str | bytes, **kwargs: Any) -> OfferRecord:
    record = parse(html, **kwargs)
    assert isinstance(record, OfferRecord), getattr(record, "reason", record)
    return record


def page(body: str = "", head: str = "") -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>t</title>{head}</head>"
            f"<body>{body}</body></html>")


def ld(data: object) -> str:
    """A JSON-LD block as a shop writes it: "</" escaped so a string cannot end the script."""
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f"<script type='application/ld+json'>{text}</script>"


def product(**fields: Any) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": "Product", "name": "测试 杯子",
            "sku": "S1", "offers": {"@type": "Offer", "price": "10.00", "priceCurrency": "CNY"},
            **fields}


# --- the saved samples (expected values from tests/fixtures/feeds/README.md) ---------------

def test_jsonld_sample_mug() -> None:
    mug = offer((SAMPLES / "item_1001_jsonld.html").read_bytes(), url=f"{SHOP}/item/1001.html")
    assert (mug.external_id, mug.title, mug.currency, mug.price) == (
        "MUG-350", "北欧风 陶瓷马克杯 350ml", "CNY", 3990)
    assert (mug.gtin, mug.mpn, mug.brand, mug.in_stock) == ("6901234567892", "MUG-350",
                                                            "好物小铺", True)
    assert mug.image_url == "https://shop.example.cn/img/mug.jpg"
    assert mug.url == f"{SHOP}/item/1001.html"  # the page fetched, not the offer's own url
    (coupon,) = mug.coupons
    assert (coupon.kind, coupon.amount, coupon.min_spend, coupon.currency) == (
        "amount_off", 500, 3900, "CNY")
    assert "满39元减5元" in coupon.title
    assert best_coupon(mug.coupons, mug.price, FIXED_NOW)[1] == 3490
    assert mug.raw["json_ld"]["offers"]["priceValidUntil"] == "2030-12-31"


def test_microdata_sample_blanket() -> None:
    blanket = offer((SAMPLES / "item_1002_microdata.html").read_bytes(),
                    url=f"{SHOP}/item/1002.html")
    assert (blanket.title, blanket.currency, blanket.price, blanket.brand) == (
        "加厚 珊瑚绒毯 150x200cm", "CNY", 8900, "暖家")
    assert blanket.external_id == "/item/1002.html"  # no sku: the page's path
    assert blanket.image_url == "https://shop.example.cn/img/blanket.jpg"
    assert blanket.in_stock and blanket.coupons == () and blanket.gtin is None


def test_listing_sample() -> None:
    html = (SAMPLES / "list_page1.html").read_bytes()
    shop_page = read_page(html, url=f"{SHOP}/shop/", partner="html", default_currency="CNY")
    assert shop_page.record is None  # the banner's 满减 belongs to no product
    assert shop_page.product_links == [f"{SHOP}/item/1001.html", f"{SHOP}/item/1002.html"]
    assert shop_page.page_links == [f"{SHOP}/list?page=2"]


# --- inline product pages: field -> expected value ----------------------------------------

GRAPH = {"@context": "https://schema.org", "@graph": [
    {"@type": "WebPage", "@id": f"{SHOP}/item/7.html"},
    {"@type": "Product", "@id": "#p", "name": "电热水壶", "sku": "K1",
     "brand": {"@id": "#b"}, "offers": {"@id": "#o"}},
    {"@type": "Offer", "@id": "#o", "price": "129.00", "priceCurrency": "CNY"},
    {"@type": "Brand", "@id": "#b", "name": "美的"}]}

FIELD_CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("@graph with @id references", page(head=ld(GRAPH)),
     {"price": 12900, "brand": "美的", "external_id": "K1", "title": "电热水壶"}),
    ("top-level list of nodes", page(head=ld([{"@type": "BreadcrumbList"}, product()])),
     {"price": 1000}),
    ("WebPage mainEntity", page(head=ld({"@type": "ItemPage", "mainEntity": product()})),
     {"price": 1000}),
    ("offers list: cheapest in stock wins", page(head=ld(product(offers=[
        {"price": "5", "availability": "OutOfStock"},
        {"price": "7", "availability": "https://schema.org/InStock"},
        {"price": "6", "availability": "http://schema.org/InStock"}]))),
     {"price": 600, "in_stock": True}),
    ("every offer sold out", page(head=ld(product(offers=[
        {"price": "5", "availability": "SoldOut"},
        {"price": "4", "availability": "https://schema.org/OutOfStock"}]))),
     {"price": 400, "in_stock": False}),
    ("AggregateOffer lowPrice", page(head=ld(product(offers={
        "@type": "AggregateOffer", "lowPrice": "19.9", "highPrice": "29.9",
        "priceCurrency": "CNY", "offerCount": 3}))), {"price": 1990}),
    ("priceSpecification with a strikethrough price", page(head=ld(product(offers={
        "priceSpecification": [
            {"price": "80", "priceCurrency": "CNY"},
            {"price": "99", "priceCurrency": "CNY",
             "priceType": "https://schema.org/StrikethroughPrice"}]}))),
     {"price": 8000, "list_price": 9900}),
    ("price formats: symbol and thousands", page(head=ld(product(offers={
        "price": "¥1,299.00", "priceCurrency": "RMB"}))), {"price": 129900, "currency": "CNY"}),
    ("price formats: decimal comma", page(head=ld(product(offers={
        "price": "12,99", "priceCurrency": "EUR"}))), {"price": 1299, "currency": "EUR"}),
    ("price formats: number, zero-decimal currency", page(head=ld(product(offers={
        "price": 1500, "priceCurrency": "JPY"}))), {"price": 1500, "currency": "JPY"}),
    ("no priceCurrency: the partner's", page(head=ld(product(offers={"price": "3.5"}))),
     {"price": 350, "currency": "CNY"}),
    ("gtin13 first, digits as given", page(head=ld(product(gtin="123", gtin13="0690123456789",
                                                           gtin8="12345670"))),
     {"gtin": "0690123456789"}),
    ("numeric gtin12", page(head=ld(product(gtin12=820650851230))), {"gtin": "820650851230"}),
    ("garbage gtin dropped", page(head=ld(product(gtin13="n/a"))), {"gtin": None}),
    ("mpn kept, sku is the id", page(head=ld(product(mpn="M-9"))),
     {"mpn": "M-9", "external_id": "S1"}),
    ("ImageObject, relative url", page(head=ld(product(image={"@type": "ImageObject",
                                                              "url": "/img/k.jpg"}))),
     {"image_url": f"{SHOP}/img/k.jpg"}),
    ("script in the name stays literal text", page(head=ld(product(
        name="  <script>alert(1)</script>\n 杯子 "))),
     {"title": "<script>alert(1)</script> 杯子"}),
    ("escaped markup in microdata stays literal", page(
        "<div itemscope itemtype='http://schema.org/Product'>"
        "<h1 itemprop='name'>&lt;script&gt;alert(1)&lt;/script&gt; 毯子</h1>"
        "<span itemprop='offers' itemscope itemtype='http://schema.org/Offer'>"
        "<span itemprop='price'>12.00</span></span></div>"),
     {"title": "<script>alert(1)</script> 毯子", "price": 1200}),
    ("microdata: nested items keep their own properties", page(
        "<div itemscope itemtype='https://schema.org/Product'><h1 itemprop='name'>Lamp</h1>"
        "<div itemprop='review' itemscope itemtype='https://schema.org/Review'>"
        "<span itemprop='name'>Great lamp</span><meta itemprop='sku' content='R-1'></div>"
        "<div itemprop='offers' itemscope itemtype='https://schema.org/Offer'>"
        "<meta itemprop='price' content='45'><link itemprop='availability' "
        "href='https://schema.org/OutOfStock'></div></div>"),
     {"title": "Lamp", "price": 4500, "in_stock": False, "external_id": "/item/7.html"}),
    ("broken JSON-LD skipped, microdata used", page(
        "<div itemscope itemtype='https://schema.org/Product'><b itemprop='name'>Mat</b>"
        "<i itemprop='offers' itemscope itemtype='https://schema.org/Offer'>"
        "<i itemprop='price' content='9.90'>9.90</i></i></div>",
        head="<script type='application/ld+json'>{\"@type\": \"Product\",</script>"),
     {"title": "Mat", "price": 990}),
    ("JSON-LD without offers: microdata's price", page(
        "<div itemscope itemtype='https://schema.org/Product'>"
        "<div itemprop='offers' itemscope itemtype='https://schema.org/Offer'>"
        "<meta itemprop='price' content='20'></div></div>",
        head=ld({"@type": "Product", "name": "Bowl", "sku": "B1"})),
     {"title": "Bowl", "price": 2000, "external_id": "B1"}),
    ("Open Graph only", page(head=(
        "<meta property='og:type' content='product'><meta property='og:title' content='Tea'>"
        "<meta property='og:image' content='/img/tea.png'>"
        "<meta property='product:price:amount' content='12.50'>"
        "<meta property='product:price:currency' content='GBP'>")),
     {"title": "Tea", "price": 1250, "currency": "GBP", "image_url": f"{SHOP}/img/tea.png",
      "external_id": "/item/7.html"}),
    ("Open Graph og:price:amount, out of stock", page(head=(
        "<meta property='og:title' content='Tea'><meta property='og:price:amount' content='3'>"
        "<meta property='product:availability' content='out of stock'>")),
     {"price": 300, "currency": "CNY", "in_stock": False}),
    ("canonical on the same host is the url and the id", page(head=ld(
        product(sku=None)) + "<link rel='canonical' href='/item/7.html?id=7#top'>"),
     {"url": f"{SHOP}/item/7.html?id=7", "external_id": "/item/7.html?id=7"}),
    ("canonical on another host is ignored", page(head=ld(product()) + (
        "<link rel='canonical' href='https://other.example/item/7.html'>")),
     {"url": f"{SHOP}/item/7.html"}),
    ("several products, one names this page", page(head=ld([
        product(name="Other", url=f"{SHOP}/item/8.html"),
        product(name="This", url=f"{SHOP}/item/7.html")])), {"title": "This"}),
]


@pytest.mark.parametrize(("case", "html", "expected"), FIELD_CASES,
                         ids=[c[0] for c in FIELD_CASES])
def test_product_fields(case: str, html: str, expected: dict[str, Any]) -> None:
    record = offer(html)
    assert {k: getattr(record, k) for k in expected} == expected, case


# --- rejects and pages that are not product pages ------------------------------------------

REJECT_CASES = [
    ("no offers", page(head=ld(product(offers=None))), "no price"),
    ("offer without price", page(head=ld(product(offers={"availability": "InStock"}))),
     "no price"),
    ("unparseable price", page(head=ld(product(offers={"price": "call us"}))),
     "unparseable price"),
    ("price range", page(head=ld(product(offers={"price": "10-20"}))), "unparseable price"),
    ("zero price", page(head=ld(product(offers={"price": "0.00"}))), "non-positive price"),
    ("no name", page(head=ld(product(name=" "))), "missing name"),
    ("bad currency", page(head=ld(product(offers={"price": "1", "priceCurrency": "Yuan"}))),
     "bad currency"),
    ("Open Graph product without price", page(head=(
        "<meta property='og:type' content='product'><meta property='og:title' content='X'>")),
     "no price"),
]


@pytest.mark.parametrize(("case", "html", "reason"), REJECT_CASES,
                         ids=[c[0] for c in REJECT_CASES])
def test_unusable_products_are_rejected(case: str, html: str, reason: str) -> None:
    record = rejected(parse(html), reason, case)
    assert record.partner == "html" and record.raw["url"] == f"{SHOP}/item/7.html"


def test_reject_keeps_the_id() -> None:
    record = parse(page(head=ld(product(offers=None))))
    assert isinstance(record, RejectRecord) and record.external_id == "S1"
    assert record.raw["json_ld"]["name"] == "测试 杯子"


NOT_PRODUCT_CASES = [
    ("plain page", page("<h1>关于我们</h1><p>满39减5</p>")),
    ("article JSON-LD", page(head=ld({"@type": "Article", "name": "news"}))),
    ("og:title alone", page(head="<meta property='og:title' content='Shop home'>")),
    ("listing of JSON-LD products", page(head=ld([
        product(name="A", url=f"{SHOP}/item/1.html"),
        product(name="B", url=f"{SHOP}/item/2.html")]))),
    ("microdata products inside an ItemList", page(
        "<ol itemscope itemtype='https://schema.org/ItemList'>"
        "<li itemprop='itemListElement' itemscope itemtype='https://schema.org/Product'>"
        "<span itemprop='name'>A</span><meta itemprop='price' content='1'></li></ol>")),
    ("empty document", ""),
]


@pytest.mark.parametrize(("case", "html"), NOT_PRODUCT_CASES,
                         ids=[c[0] for c in NOT_PRODUCT_CASES])
def test_not_a_product_page(case: str, html: str) -> None:
    assert parse(html) is None, case


# --- coupon text: body -> [(kind, amount, percent_bp, min_spend)] --------------------------

COUPON_CASES: list[tuple[str, str, str, list[tuple[str, int | None, int | None, int]]]] = [
    ("满减", "CNY", "<p>满39减5</p>", [("amount_off", 500, None, 3900)]),
    ("满减 with 元", "CNY", "<p class=coupon>店铺券：满39元减5元</p>",
     [("amount_off", 500, None, 3900)]),
    ("无门槛", "CNY", "<span>5元无门槛券</span>", [("amount_off", 500, None, 0)]),
    ("yen signs", "CNY", "<p>满¥99减¥10</p>", [("amount_off", 1000, None, 9900)]),
    ("two on one line", "CNY", "<p>满199减30，满299减50</p>",
     [("amount_off", 3000, None, 19900), ("amount_off", 5000, None, 29900)]),
    ("inline markup joins", "CNY", "<p>满<b>39</b>减<em>5</em></p>",
     [("amount_off", 500, None, 3900)]),
    ("blocks do not join", "CNY", "<p>满39</p><p>减5</p>", []),
    ("same coupon twice is one", "CNY", "<p>满39减5</p><div>满39减5</div>",
     [("amount_off", 500, None, 3900)]),
    ("hidden, script, comment", "CNY",
     "<div hidden>满39减5</div><p style='display: none'>满10减1</p>"
     "<script>var c = '满20减2';</script><!-- 满30减3 -->", []),
    ("£ off orders over", "GBP", "<p>£5 off orders over £50</p>",
     [("amount_off", 500, None, 5000)]),
    ("£ off £", "GBP", "<p>Today: £5 off £50!</p>", [("amount_off", 500, None, 5000)]),
    ("£ off when you spend", "GBP", "<p>£10 off when you spend £100</p>",
     [("amount_off", 1000, None, 10000)]),
    ("amount off, no minimum", "GBP", "<p>£5 off</p>", [("amount_off", 500, None, 0)]),
    ("spend, get", "GBP", "<p>Spend £50, get £10 off</p>", [("amount_off", 1000, None, 5000)]),
    ("percent", "GBP", "<p>10% off</p>", [("percent_off", None, 1000, 0)]),
    ("percent with minimum", "GBP", "<p>15% off orders over £30</p>",
     [("percent_off", None, 1500, 3000)]),
    ("up to is a sale", "GBP", "<p>Up to 50% off</p>", []),
    ("impossible percent", "GBP", "<p>150% off</p>", []),
    ("another currency cannot apply", "GBP", "<p>$5 off $50</p>", []),
    ("$ is the page's dollar", "AUD", "<p>$5 off $50</p>", [("amount_off", 500, None, 5000)]),
]


@pytest.mark.parametrize(("case", "currency", "body", "expected"), COUPON_CASES,
                         ids=[c[0] for c in COUPON_CASES])
def test_coupon_text(case: str, currency: str, body: str,
                     expected: list[tuple[str, int | None, int | None, int]]) -> None:
    html = page(body, head=ld(product(offers={"price": "100", "priceCurrency": currency})))
    record = offer(html, currency=currency)
    got = [(c.kind, c.amount, c.percent_bp, c.min_spend) for c in record.coupons]
    assert got == expected, case
    assert all(c.currency == currency and c.raw["text"] for c in record.coupons)


def test_coupon_ids_are_stable_terms() -> None:
    html = page("<p>满39减5</p>", head=ld(product()))
    first, second = offer(html).coupons, offer(html.replace("<p>", "<p>新: ")).coupons
    assert [c.external_id for c in first] == [c.external_id for c in second]


# --- links ---------------------------------------------------------------------------------

LISTING = page(
    "<base href='/shop/'>"
    "<a href='item/1.html#reviews'>one</a><a href='/shop/item/1.html'>one again</a>"
    "<a href='/goods/2'>two</a><a href='/item.htm?id=3'>three</a><a href='/p/4-mug'>four</a>"
    "<a href='http://localhost:8900/item/5.html'>other host</a>"
    "<a href='http://127.0.0.1:8901/item/6.html'>other port</a>"
    "<a href='https://evil.example/item/7.html'>elsewhere</a>"
    "<a href='javascript:void(0)'>js</a><a href='mailto:a@b.c'>mail</a><a href='#top'>top</a>"
    "<a href='/about'>about</a><a href='/cart'>cart</a><a href='/products/'>all</a>"
    "<nav class='pagination'><ul><li><a href='/shop/list/3'>3</a></li></ul></nav>"
    "<a href='/shop/?page=2'>2</a><a class='btn' href='/shop/next-batch'>下一页</a>",
    head=(f"<link rel='next' href='{SHOP}/shop/?page=2'><link rel='stylesheet' href='/x.css'>"
          + ld({"@type": "ItemList", "itemListElement": [
              {"@type": "ListItem", "position": 1, "url": "/shop/special/8"},
              {"@type": "ListItem", "position": 2,
               "item": {"@type": "Product", "url": "https://evil.example/9"}}]})))


def test_links_same_host_absolute_deduplicated() -> None:
    products, pages = discover_links(LISTING, url=f"{SHOP}/shop/")
    assert products == [f"{SHOP}/shop/special/8", f"{SHOP}/shop/item/1.html", f"{SHOP}/goods/2",
                        f"{SHOP}/item.htm?id=3", f"{SHOP}/p/4-mug"]
    assert pages == [f"{SHOP}/shop/?page=2", f"{SHOP}/shop/list/3", f"{SHOP}/shop/next-batch"]


def test_product_page_links_are_read_too() -> None:
    shop_page = read_page(page("<a href='/item/8.html'>related</a>", head=ld(product())),
                          url=f"{SHOP}/item/7.html", partner="html", default_currency="CNY")
    assert isinstance(shop_page.record, OfferRecord)
    assert shop_page.product_links == [f"{SHOP}/item/8.html"]


@pytest.mark.parametrize(("a", "b", "same"), [
    ("http://127.0.0.1:8900/x", "http://127.0.0.1:8900/y?z=1", True),
    ("http://127.0.0.1:8900/", "http://127.0.0.1:8901/", False),
    ("http://localhost:8900/", "http://127.0.0.1:8900/", False),
    ("http://Shop.example/", "https://shop.example/a", True),  # default ports: one site
    ("http://shop.example:80/", "http://shop.example/", True),
    ("http://shop.example:8080/", "http://shop.example/", False),
    ("http://shop.example:bad/", "http://shop.example/", False),
])
def test_same_host(a: str, b: str, same: bool) -> None:
    assert same_host(a, b) is same


# --- hostile or broken pages never crash a crawl or an ingest batch ------------------------

def test_json_nested_past_the_stack_is_skipped() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    assert parse(page(head=f"<script type='application/ld+json'>{deep}</script>")) is None


def test_raw_is_bounded_and_storable() -> None:
    nested: Any = "x"
    for _ in range(200):
        nested = [nested]
    record = parse(page(head=ld(product(review=nested, name=nested))))
    assert isinstance(record, RejectRecord) and "missing name" in record.reason
    orjson.dumps(record.raw)  # orjson refuses nesting deeper than 255


def test_long_text_is_clipped_and_coupons_capped() -> None:
    body = "".join(f"<p>满{n}减1</p>" for n in range(2, 200))
    record = offer(page(body, head=ld(product(name="杯" * 900, brand="B" * 300))))
    assert len(record.title) == 500 and record.brand is not None and len(record.brand) == 120
    assert len(record.coupons) == 20
