"""The web shop for the html spider: paginated listing, product pages with structured data."""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.html
import pytest
from starlette.testclient import TestClient

from crawlers.sandbox.shop import FIRST_ID, JSON_LD, MICRODATA, OPEN_GRAPH, shop_products
from crawlers.sandbox.shop_pages import item_page
from crawlers.sandbox.uk import with_check_digit
from tests.crawlers.sandbox.conftest import CONFIG, FEEDS, HOST, TODAY

COUPON_RE = re.compile(r"^(满\d+减\d+|店铺券：满\d+元减\d+元|领券立减\d+元)$")


def page(client: TestClient, path: str) -> lxml.html.HtmlElement:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return lxml.html.fromstring(response.text)


def json_ld(doc: lxml.html.HtmlElement) -> list[Any]:
    return [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]


def microdata(doc: lxml.html.HtmlElement) -> dict[str, str]:
    """Flat itemprop → value of the Product and its Offer (what the spider reads)."""
    values = {}
    for node in doc.xpath('//*[@itemtype="https://schema.org/Product"]//*[@itemprop]'):
        value = node.get("content") or node.get("href") or node.get("src") or node.text_content()
        values[node.get("itemprop")] = value.strip()
    return values


def og(doc: lxml.html.HtmlElement) -> dict[str, str]:
    return {m.get("property"): m.get("content") for m in doc.xpath("//meta[@property]")}


@pytest.fixture(scope="module")
def crawled(client: TestClient) -> list[str]:
    """Item links found by following rel="next" from /shop/, as the spider does."""
    links, path, pages = [], "/shop/", 0
    while path:
        doc = page(client, path)
        pages += 1
        links += doc.xpath('//ul[@class="products"]//a/@href')
        following = doc.xpath('//a[@rel="next"]/@href')
        assert following == doc.xpath('//link[@rel="next"]/@href')
        path = following[0] if following else ""
    assert pages == 3
    return links


def test_listing_pages_link_every_product_once(crawled: list[str]) -> None:
    ids = list(range(FIRST_ID, FIRST_ID + CONFIG.shop_items))
    assert crawled == [f"/shop/item/{i}" for i in ids]


def test_pages_past_the_end_404(client: TestClient) -> None:
    assert client.get("/shop/?page=4").status_code == 404
    assert client.get("/shop/?page=abc").status_code == 404
    assert client.get(f"/shop/item/{FIRST_ID + CONFIG.shop_items}").status_code == 404


def test_product_pages_carry_json_ld_microdata_or_open_graph(
    client: TestClient, crawled: list[str]
) -> None:
    sample = json_ld(lxml.html.fromstring((FEEDS / "html" / "item_1001_jsonld.html").read_text()))
    products = client.app.state.catalogs.shop.get()
    kinds = set()
    for link, product in zip(crawled, products, strict=True):
        doc = page(client, link)
        kinds.add(product["markup"])
        if product.get("broken_jsonld") or product["price"] in ("", "面议") or not product["name"]:
            continue
        if product["markup"] == JSON_LD:
            (data,) = json_ld(doc)
            assert set(data) - {"gtin13"} >= set(sample[0]) - {"gtin13"}
            assert set(data["offers"]) >= set(sample[0]["offers"]) - {"priceValidUntil"}
            assert data["offers"]["price"] == product["price"]
            assert data["offers"]["priceCurrency"] == "CNY"
        elif product["markup"] == MICRODATA:
            values = microdata(doc)
            assert (values["name"], values["price"]) == (product["name"], product["price"])
            assert values["priceCurrency"] == "CNY"
            assert values["availability"].startswith("https://schema.org/")
        else:
            assert not json_ld(doc) and not microdata(doc)
            tags = og(doc)
            assert tags["og:title"] == product["name"] and tags["og:type"] == "product"
            assert tags["product:price:amount"] == product["price"]
    assert kinds == {JSON_LD, MICRODATA, OPEN_GRAPH}


def test_products_show_coupons_cny_prices_and_valid_gtins() -> None:
    products = shop_products(seed=42, size=300, today=TODAY)
    coupons = [p["coupon"] for p in products if p["coupon"]]
    assert coupons and all(COUPON_RE.match(c) for c in coupons)
    for wording in ("满", "店铺券：满", "领券立减"):  # all three wordings occur
        assert any(c.startswith(wording) for c in coupons)
    for product in products:
        assert re.fullmatch(r"\d+\.\d{2}", product["price"]) and product["currency"] == "CNY"
        gtin = product["gtin13"]
        assert gtin == "" or (gtin.startswith("69") and with_check_digit(gtin[:-1]) == gtin)
    assert shop_products(seed=42, size=50, today=TODAY) == products[:50]


def test_pages_escape_everything_and_json_ld_cannot_close_its_script(client: TestClient) -> None:
    product = dict(client.app.state.catalogs.shop_product(FIRST_ID))
    product.update(name='</script><b x="1">&', markup=JSON_LD)
    html = item_page(product, host=HOST)
    assert "</script><b" not in html and "&lt;/script&gt;&lt;b" in html
    (data,) = json_ld(lxml.html.fromstring(html))
    assert data["name"] == product["name"]


def test_image_for_a_shop_product(client: TestClient) -> None:
    response = client.get(f"/img/shop-{FIRST_ID}.png")
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
