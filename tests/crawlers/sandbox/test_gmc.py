"""Merchant Center feed (XML and TSV), and its products shared with the Awin feed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from crawlers.sandbox.awin import awin_products
from crawlers.sandbox.gmc import SAME, TSV_COLUMNS, VARIANT, gmc_items, relation
from crawlers.sandbox.uk import identity, product_from_gtin
from tests.crawlers.sandbox.conftest import CONFIG, FEEDS, HOST, TODAY, parse_xml

PRICE_RE = re.compile(r"^\d+\.\d{2} GBP$")
WINDOW_RE = re.compile(r"^(.{21})/(.{21})$")
NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def items() -> list[dict[str, str]]:
    return gmc_items(seed=42, size=400, today=TODAY)


def test_served_xml_parses_and_uses_the_sample_tags(client: TestClient) -> None:
    served = parse_xml(client.get("/gmc/feed.xml").content)
    sample = parse_xml((FEEDS / "gmc" / "feed.xml").read_bytes())
    assert len(served) == CONFIG.gmc_items
    sample_tags = {tag for item in sample for tag in item}
    served_tags = {tag for item in served for tag in item}
    assert sample_tags <= served_tags
    assert all(item["g:image_link"].startswith(f"http://{HOST}/img/uk-") for item in served)


def test_tsv_has_the_sample_columns_and_the_same_items(client: TestClient) -> None:
    lines = client.get("/gmc/feed.tsv").content.decode().splitlines()
    header = lines[0].split("\t")
    sample_header = (FEEDS / "gmc" / "feed.tsv").read_text().splitlines()[0].split("\t")
    assert header == list(TSV_COLUMNS) and set(sample_header) <= set(header)
    xml_items = parse_xml(client.get("/gmc/feed.xml").content)
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    assert [r["id"] for r in rows] == [i.get("g:id", "") for i in xml_items]
    assert [r["price"] for r in rows] == [i["g:price"] for i in xml_items]


def sale_state(item: dict[str, str]) -> str:
    window = item.get("g:sale_price_effective_date")
    if window is None:
        return "always"
    start, end = (dt.datetime.strptime(t, "%Y-%m-%dT%H:%M%z") for t in window.split("/"))
    return "past" if end < NOW else "future" if start > NOW else "now"


def test_items_cover_every_documented_form(items: list[dict[str, Any]]) -> None:
    assert all(PRICE_RE.match(i["g:price"]) for i in items)
    assert {"title", "g:title"} <= {k for i in items for k in i}
    assert {"link", "g:link"} <= {k for i in items for k in i}
    availability = {i["g:availability"] for i in items}
    assert availability == {"in_stock", "in stock", "out_of_stock", "preorder", "backorder"}
    sales = [i for i in items if "g:sale_price" in i]
    assert {sale_state(i) for i in sales} == {"always", "past", "now", "future"}
    assert all(
        WINDOW_RE.match(i["g:sale_price_effective_date"])
        for i in sales
        if sale_state(i) != "always"
    )
    categories = {i["g:google_product_category"] for i in items}
    assert any(c.isdigit() for c in categories) and any(" > " in c for c in categories)
    assert {len(i["g:gtin"]) for i in items if "g:gtin" in i} >= {8, 12, 13, 14}
    assert any("g:gtin" not in i for i in items) and any("g:mpn" in i for i in items)
    assert len({i["g:id"] for i in items}) == len(items)


def test_a_subset_is_the_same_products_as_awin_and_some_are_near_variants(
    items: list[dict[str, Any]],
) -> None:
    awin = awin_products(seed=42, size=len(items), today=TODAY)
    same = [j for j in range(len(items)) if relation(j) == SAME]
    variants = [j for j in range(len(items)) if relation(j) == VARIANT]
    assert len(same) == 100 and len(variants) == 20
    for j in same:
        gmc, row = items[j], awin[j]
        assert gmc["g:gtin"].zfill(14) == identity(42, "awin", j).gtin14
        if row["ean"]:
            assert row["ean"].zfill(14) == gmc["g:gtin"].zfill(14)
        assert gmc.get("g:brand", row["brand_name"]) == row["brand_name"]
        assert gmc["g:price"].split()[0] != row["search_price"]
        title = gmc.get("title") or gmc["g:title"]
        model = identity(42, "awin", j).model
        assert model in title and model in row["product_name"]
    for j in variants:  # same brand and model, another size/colour/capacity, another GTIN
        gmc, row, model = items[j], awin[j], identity(42, "awin", j).model
        assert model in (gmc.get("title") or gmc["g:title"]) and model in row["product_name"]
        assert gmc.get("g:brand", row["brand_name"]) == row["brand_name"]
        if "g:gtin" in gmc and row["ean"]:
            assert gmc["g:gtin"].zfill(14) != row["ean"].zfill(14)
        variant = product_from_gtin(gmc.get("g:gtin") or identity(42, "awin", j).sibling().gtin)
        assert variant is not None and variant.model == model
        assert variant.variant_name != identity(42, "awin", j).variant_name


def test_gtins_round_trip_to_their_product() -> None:
    for index in range(200):
        product = identity(7, "gmc", index)
        for form in (product.gtin, product.gtin.zfill(13), product.gtin14):
            assert product_from_gtin(form) == product
    assert product_from_gtin("00820650851230") is None  # the real sample's: not ours
    assert product_from_gtin("5012345678901") is None


def test_deterministic_prefix() -> None:
    assert gmc_items(seed=2, size=20, today=TODAY) == gmc_items(seed=2, size=60, today=TODAY)[:20]
    assert gmc_items(seed=2, size=20, today=TODAY) != gmc_items(seed=3, size=20, today=TODAY)


def test_item_pages_and_shared_images(client: TestClient) -> None:
    item = parse_xml(client.get("/gmc/feed.xml").content)[0]
    link = item.get("link") or item["g:link"]
    page = client.get(link.removeprefix(f"http://{HOST}"))
    assert page.status_code == 200 and "GBP" in page.text
    image = client.get(item["g:image_link"].removeprefix(f"http://{HOST}"))
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert client.get("/gmc/item/NOPE").status_code == 404
