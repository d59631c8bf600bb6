"""Awin: the product feed (CSV and gzip) and the promotions export, served as files."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
from decimal import Decimal
from email.utils import format_datetime, parsedate_to_datetime

import pytest
from starlette.testclient import TestClient

from crawlers.sandbox.awin import COLUMNS, awin_products
from crawlers.sandbox.awin_vouchers import awin_promotions
from crawlers.sandbox.uk import product_from_gtin
from tests.crawlers.sandbox.conftest import CONFIG, FEEDS, HOST, TODAY

PRODUCTS = "/awin/datafeed/products.csv"
PROMOTIONS = "/awin/promotions.csv"
PRICE_RE = re.compile(r"^\d+\.\d{2}$")
LONDON_STAMP = "%d/%m/%Y %H:%M"


def rows_of(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode())))


@pytest.fixture(scope="module")
def served(client: TestClient) -> list[dict[str, str]]:
    return rows_of(client.get(PRODUCTS).content)


def header_of(path: str) -> list[str]:
    return (FEEDS / "awin" / path).read_text().splitlines()[0].split(",")


def test_feed_has_the_typical_columns_and_parses_back(served: list[dict[str, str]]) -> None:
    assert set(header_of("products.csv")) <= set(COLUMNS)
    assert len(served) == CONFIG.awin_items
    good = [r for r in served if None not in r and r["search_price"] != "N/A"]
    assert len(good) >= CONFIG.awin_items - CONFIG.awin_items // 97 - 1
    assert any('"' in r["product_name"] and "," in r["product_name"] for r in served)
    assert any("," in r["description"] for r in served)


def test_values_look_like_an_awin_uk_feed(served: list[dict[str, str]]) -> None:
    good = [r for r in served if r.get("last_updated") and PRICE_RE.match(r["search_price"])]
    for row in good:
        search, store = Decimal(row["search_price"]), Decimal(row["store_price"])
        assert search <= store <= Decimal(row["rrp_price"] or store)
        assert row["currency"] == "GBP" and row["in_stock"] in ("0", "1")
        assert row["aw_deep_link"] == (
            f"http://{HOST}/awin/click?p={row['aw_product_id']}&a=123456&m={row['merchant_id']}"
        )
        if row["ean"]:
            assert product_from_gtin(row["ean"]) is not None, row["ean"]
    assert {len(r["ean"]) for r in good} >= {0, 8, 12, 13, 14}
    assert {r["in_stock"] for r in good} == {"0", "1"}
    assert any(r["rrp_price"] == "" for r in good) and len({r["merchant_name"] for r in good}) > 5


def test_bad_rows_mimic_the_sample_broken_row() -> None:
    rows = awin_products(seed=42, size=97 * 4, today=TODAY, bad_every=97)
    bad = [rows[i] for i in range(96, len(rows), 97)]
    assert bad[0]["search_price"] == "" and bad[1]["search_price"] == "N/A"
    assert bad[2]["product_name"] == "" and len(bad[3]) == len(COLUMNS) - 6


def test_deterministic_prefix() -> None:
    big = awin_products(seed=9, size=90, today=TODAY)
    assert awin_products(seed=9, size=30, today=TODAY) == big[:30]
    assert awin_products(seed=10, size=30, today=TODAY) != big[:30]


def test_gzip_file_is_the_plain_feed(client: TestClient) -> None:
    plain = client.get(PRODUCTS)
    packed = client.get(PRODUCTS + ".gz")
    assert packed.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in packed.headers  # a gzip file, not a transfer encoding
    assert packed.content[:2] == b"\x1f\x8b" and gzip.decompress(packed.content) == plain.content
    assert packed.headers["etag"] != plain.headers["etag"]
    assert packed.headers["last-modified"] == plain.headers["last-modified"]


@pytest.mark.parametrize("path", [PRODUCTS, PRODUCTS + ".gz", PROMOTIONS])
def test_conditional_requests_get_304(client: TestClient, path: str) -> None:
    first = client.get(path)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert client.get(path).headers["etag"] == etag  # built once, the same bytes
    for headers in (
        {"If-None-Match": etag},
        {"If-None-Match": f'"other", W/{etag}'},
        {"If-Modified-Since": modified},
        {"If-Modified-Since": format_datetime(dt.datetime(2030, 1, 1, tzinfo=dt.UTC), True)},
    ):
        response = client.get(path, headers=headers)
        assert response.status_code == 304 and response.content == b""
        assert response.headers["etag"] == etag
    older = parsedate_to_datetime(modified) - dt.timedelta(seconds=1)
    for headers in (
        {"If-None-Match": '"other"'},
        {"If-None-Match": '"other"', "If-Modified-Since": modified},  # the ETag decides
        {"If-Modified-Since": format_datetime(older, usegmt=True)},
        {"If-Modified-Since": "not a date"},
    ):
        assert client.get(path, headers=headers).status_code == 200


def test_last_modified_is_fixed_per_catalog(client: TestClient) -> None:
    stamp = parsedate_to_datetime(client.get(PROMOTIONS).headers["last-modified"])
    assert stamp == dt.datetime(2026, 11, 19, 15, 30, tzinfo=dt.UTC)  # 23:30 UTC+8 the night before


def test_promotions_export_has_the_exact_header(client: TestClient) -> None:
    body = client.get(PROMOTIONS).content.decode()
    assert body.splitlines()[0].split(",") == header_of("promotions.csv")
    rows = rows_of(body.encode())
    assert len(rows) == CONFIG.awin_promotions


def test_promotions_cover_codes_wordings_and_windows() -> None:
    rows = awin_promotions(seed=42, size=300, today=TODAY)
    vouchers = [r for r in rows if r["Type"] == "Voucher"]
    promotions = [r for r in rows if r["Type"] == "Promotion"]
    assert vouchers and all(r["Code"] for r in vouchers)
    assert promotions and not any(r["Code"] for r in promotions)
    titles = {r["Title"] for r in rows}
    assert "10% off everything" in titles and "Free delivery" in titles
    assert any(re.fullmatch(r"£5 off orders over £\d+", t) for t in titles)
    now = dt.datetime.combine(TODAY, dt.time(12))
    ends = [dt.datetime.strptime(r["Ends"], LONDON_STAMP) for r in rows]
    starts = [dt.datetime.strptime(r["Starts"], LONDON_STAMP) for r in rows]
    assert any(end < now for end in ends) and any(start > now for start in starts)
    live = sum(start <= now <= end for start, end in zip(starts, ends, strict=True))
    assert live > len(rows) / 2
    assert all(start < end for start, end in zip(starts, ends, strict=True))


def test_click_lands_on_the_product_or_the_merchant(
    client: TestClient, served: list[dict[str, str]]
) -> None:
    row = next(r for r in served if r.get("last_updated"))
    link = row["aw_deep_link"].removeprefix(f"http://{HOST}")
    page = client.get(f"{link}&clickref=%3Cc_1%3E")
    assert page.status_code == 200 and "&lt;c_1&gt;" in page.text and "<c_1>" not in page.text
    voucher = client.get("/awin/click", params={"awinmid": "4567", "awinaffid": "123456"})
    assert voucher.status_code == 200 and "Acme UK" in voucher.text
    assert client.get("/awin/click", params={"p": "1"}).status_code == 404
