"""Search results, category, merchant and coupon pages, HTMX fragments, sitemaps and
robots.txt; scraped text stays text on every one of them."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from aggregator.models import Merchant, Offer, Partner
from aggregator.records import VoucherRecord
from aggregator.taxonomy import load_taxonomy
from aggregator.vouchers import ingest_vouchers
from tests.web.conftest import Seed
from tests.web.factories import coupon, offer
from tests.web.test_pages import XSS_TITLE, cards, html_of, product_id_of


def _taxonomy_pair() -> tuple[int, int]:
    taxonomy = load_taxonomy()
    root = next(r for r in taxonomy.roots() if taxonomy.children(r.id))
    return root.id, taxonomy.children(root.id)[0].id


@pytest.fixture
def shelf(seed: Seed, session: Session) -> tuple[int, int]:
    root, child = _taxonomy_pair()
    seed([offer("lip", title="迪奥烈艳蓝金口红 999", price=32000),
          offer("lip2", title="完美日记口红 哑光", price=8900, coupons=(coupon("c", min_spend=0),)),
          offer("ear", title="华为无线蓝牙耳机", price=59900),
          offer("xss", title=XSS_TITLE, price=1000)])
    session.execute(update(Offer).where(Offer.external_id.in_(["lip", "lip2"]))
                    .values(taxonomy_id=child))
    session.execute(update(Offer).where(Offer.external_id == "ear").values(taxonomy_id=root))
    return root, child


def test_search_marks_the_words_and_escapes_the_rest(client: TestClient,
                                                     shelf: tuple[int, int]) -> None:
    html = html_of(client, "/", q="口红")
    found = cards(html)
    assert len(found) == 2
    assert all("<mark>口红</mark>" in c for c in found)
    xss = html_of(client, "/", q="script alert")
    assert "&lt;<mark>script</mark>&gt;<mark>alert</mark>(1)" in xss
    assert "<script>alert" not in xss


def test_htmx_requests_get_only_the_results(client: TestClient, shelf: tuple[int, int]) -> None:
    response = client.get("/", params={"q": "口红"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert '<div id="results"' in response.text and 'id="shelves"></div>' in response.text
    assert "<html" not in response.text and len(cards(response.text)) == 2
    assert "HX-Request" in response.headers["vary"]
    assert "HX-Request" in client.get("/").headers["vary"]


def test_load_more_keeps_the_filters(client: TestClient, seed: Seed) -> None:
    seed([offer(f"o{i}", title=f"纸巾 {i}", price=1000 + i) for i in range(30)])
    html = html_of(client, "/", q="纸巾", sort="price")
    more = re.search(r'<a class="more" href="([^"]+)"', html)
    assert more is not None
    url = more.group(1).replace("&amp;", "&")
    assert "q=%E7%BA%B8%E5%B7%BE" in url and "sort=price" in url and "cursor=" in url
    second = cards(html_of(client, url))
    assert len(cards(html)) + len(second) == 30


def test_category_page_lists_its_subtree(client: TestClient, shelf: tuple[int, int]) -> None:
    root, child = shelf
    top = html_of(client, f"/c/{root}")
    assert len(cards(top)) == 3  # its own offer and its child's
    assert f'/c/{child}">' in top and 'aria-current="page"' in top
    assert f'<link rel="canonical" href="http://127.0.0.1:8000/c/{root}">' in top
    assert len(cards(html_of(client, f"/c/{child}"))) == 2
    assert len(cards(html_of(client, f"/c/{child}", sort="price", max_price="100"))) == 1
    assert html_of(client, "/", cat=str(child)).count('<li class="card">') == 2
    html_of(client, "/c/999999999", status=404)


def test_min_discount_filter(client: TestClient, shelf: tuple[int, int],
                             session: Session) -> None:
    session.execute(update(Offer).where(Offer.external_id == "ear").values(discount_bp=3500))
    html = html_of(client, "/", min_discount="30")
    assert [("耳机" in c) for c in cards(html)] == [True]
    html_of(client, "/", status=400, min_discount="abc")
    html_of(client, "/", status=400, min_discount="150")


def test_merchant_page_with_vouchers(client: TestClient, seed: Seed, session: Session,
                                     partner: Partner, now: object) -> None:
    seed([offer("a", shop_id="s1", shop_name="<i>好店</i>")])
    merchant_id = session.scalar(select(Merchant.id).where(Merchant.external_id == "s1"))
    ingest_vouchers(session, partner=partner, now=now, records=[VoucherRecord(  # type: ignore[arg-type]
        partner="taobao", merchant_id="s1", merchant_name="<i>好店</i>",
        coupon=coupon("v1", code="SAVE<5>", min_spend=0, title="全店满减"))])
    html = html_of(client, f"/m/{merchant_id}")
    assert "&lt;i&gt;好店&lt;/i&gt;" in html and "<i>好店" not in html
    assert 'data-copy="SAVE&lt;5&gt;"' in html and len(cards(html)) == 1
    html_of(client, "/m/999999", status=404)


def test_coupons_page_shows_codes_with_copy_buttons(client: TestClient, session: Session,
                                                    partner: Partner, now: object) -> None:
    ingest_vouchers(session, partner=partner, now=now, records=[VoucherRecord(  # type: ignore[arg-type]
        partner="taobao", merchant_id=f"m{i}", merchant_name=f"店{i}",
        coupon=coupon(f"v{i}", code=f"CODE{i}", min_spend=0, title=f"券 {i}",
                      ends_at=now + timedelta(days=3)))  # type: ignore[operator]
        for i in range(3)])
    html = html_of(client, "/coupons")
    assert html.count('class="copy"') == 3 and "CODE2" in html
    html_of(client, "/coupons", status=400, cursor="not-a-cursor")


def test_product_page_json_ld_is_escaped(client: TestClient, shelf: tuple[int, int],
                                         session: Session) -> None:
    html = html_of(client, f"/products/{product_id_of(session, 'xss')}")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    assert "<script" not in block.group(1) and "</" not in block.group(1)
    data = json.loads(block.group(1))
    assert data["@type"] == "Product" and data["name"] == XSS_TITLE
    assert data["offers"]["priceCurrency"] == "CNY"


def test_robots_and_sitemaps(client: TestClient, shelf: tuple[int, int],
                             session: Session) -> None:
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and "Disallow: /go/" in robots.text
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots.text
    index = client.get("/sitemap.xml")
    assert index.headers["content-type"].startswith("application/xml")
    assert "http://127.0.0.1:8000/sitemaps/products-0.xml" in index.text
    products = client.get("/sitemaps/products-0.xml").text
    assert f"/products/{product_id_of(session, 'lip')}</loc>" in products
    assert products.count("<url>") == 4
    pages = client.get("/sitemaps/pages.xml").text
    assert f"/c/{shelf[0]}</loc>" in pages and "/coupons</loc>" in pages
    assert client.get("/sitemaps/products-7.xml").status_code == 404
