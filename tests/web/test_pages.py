"""Server-rendered pages: deal grid, filters, paging, product page, escaping, errors."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.models import Offer, Partner
from tests.web.conftest import Seed
from tests.web.factories import coupon, offer, set_clock
from web.templating import money

XSS_TITLE = '<script>alert(1)</script> "quotes" & 好物'


def html_of(client: TestClient, url: str, status: int = 200, **params: str) -> str:
    response = client.get(url, params=params or None)  # {} would wipe the URL's own query
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def cards(html: str) -> list[str]:
    """The cards of the results grid (the home page's shelves above it are not results)."""
    results = html[html.find('<div id="results"'):]
    return re.findall(r'<li class="card">.*?</li>', results, flags=re.S)


def product_id_of(session: Session, external_id: str) -> int:
    found = session.scalar(select(Offer.product_id).where(Offer.external_id == external_id))
    assert found is not None
    return found


def test_money_filter_formats_minor_units() -> None:
    assert money(9900, "CNY") == "¥99.00"
    assert money(2000, "CNY", compact=True) == "¥20"
    assert money(1990, "CNY", compact=True) == "¥19.9"
    assert money(1234, "USD") == "US$12.34"
    assert money(500, "JPY") == "JP¥500"
    assert money(None, "CNY") == ""


def test_base_layout(client: TestClient) -> None:
    html = html_of(client, "/")
    assert '<html lang="zh-CN">' in html
    assert 'name="viewport"' in html and "导购 daogou" in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/">' in html
    assert 'property="og:title"' in html and "佣金" in html
    assert '<form class="search" action="http://testserver/"' in html
    assert client.get("/static/site.css").status_code == 200


def test_card_shows_prices_and_coupon(client: TestClient, seed: Seed) -> None:
    seed([offer("bank", title="小米 充电宝", price=9900, list_price=12900,
                coupons=(coupon("c"),)),
          offer("plain", title="普通商品", price=5000, platform="淘宝", shop_name="小店")])
    html = html_of(client, "/")
    bank, plain = (next(c for c in cards(html) if name in c) for name in ("小米", "普通"))
    assert "券后价" in bank and "¥79.00" in bank and "原价 ¥99.00" in bank
    # a list price never seen as a selling price is not shown as a saving
    assert '<s class="list-price"' not in bank and "划线价未经核实" in bank
    assert "券 ¥20" in bank and "满99减20" in bank and "天猫" in bank and "示例旗舰店" in bank
    assert 'alt="小米 充电宝" width="300" height="300"' in bank
    assert "券后价" not in plain and "¥50.00" in plain and "<s " not in plain and "淘宝" in plain


def test_list_price_once_sold_at_is_struck_and_the_real_drop_shown(
        app: FastAPI, client: TestClient, seed: Seed, now: datetime) -> None:
    seed([offer("tv", title="电视", price=12900)])
    seed([offer("tv", title="电视", price=9900, list_price=12900)], at=now + timedelta(days=1))
    set_clock(app, now + timedelta(days=1, hours=1))
    [card] = cards(html_of(client, "/"))
    assert '<s class="list-price" title="划线价">¥129.00</s>' in card
    assert "未经核实" not in card
    assert "真实降幅 23%" in card  # (129 - 99) / 129
    assert "刚刚降价" in card and "30天最低价" in card and "历史最低价" in card


def test_percent_coupon_badge(client: TestClient, seed: Seed) -> None:
    seed([offer("tee", price=10000, coupons=(coupon("c", kind="percent_off", amount=None,
                                                   percent_bp=1500, min_spend=0, title=""),))])
    [card] = cards(html_of(client, "/"))
    assert "8.5折券" in card and "¥85.00" in card


def test_filters_form_and_results(client: TestClient, seed: Seed) -> None:
    seed([offer("cheap", title="便宜货", price=1000, category="日用"),
          offer("mid", title="中档货", price=6000, category="数码", coupons=(coupon("c"),)),
          offer("dear", title="贵货", price=50000, category="数码")])
    html = html_of(client, "/", min_price="10", max_price="100.5", category="数码")
    assert [("中档货" in c) for c in cards(html)] == [True]
    assert '<input type="hidden" name="category" value="数码">' in html
    assert 'name="min_price" value="10"' in html
    only_coupon = html_of(client, "/", has_coupon="1")
    assert len(cards(only_coupon)) == 0  # 满99减20 does not apply to a 60.00 item
    by_price = cards(html_of(client, "/", sort="price"))
    assert ["便宜货" in by_price[0], "贵货" in by_price[-1]] == [True, True]
    searched = cards(html_of(client, "/", q="贵"))
    assert len(searched) == 1 and "贵货" in searched[0]


def test_empty_form_fields_are_ignored(client: TestClient, seed: Seed) -> None:
    seed([offer("a")])
    html = html_of(client, "/", q="", sort="", category="", min_price="", max_price="")
    assert len(cards(html)) == 1


@pytest.mark.parametrize(("params", "message"), [
    ({"sort": "bogus"}, "不支持的排序方式"),
    ({"cursor": "garbage!!"}, "翻页链接已失效"),
    ({"min_price": "abc"}, "最低价不是有效的金额"),
    ({"max_price": "1e30"}, "最高价不是有效的金额"),
    ({"max_price": "100000000000000000"}, "最高价超出范围"),
    ({"has_coupon": "perhaps"}, "无法识别的选项"),
])
def test_bad_page_params_render_400(client: TestClient, params: dict[str, str],
                                    message: str) -> None:
    html = html_of(client, "/", status=400, **params)
    assert message in html and "<!doctype html>" in html


def test_load_more_link_walks_every_page(client: TestClient, seed: Seed) -> None:
    seed([offer(f"o{i:02d}", title=f"商品{i:02d}", price=1000 + i) for i in range(30)])
    html = html_of(client, "/", sort="price", category="数码")
    seen = [re.search(r"商品\d\d", c).group(0) for c in cards(html)]  # type: ignore[union-attr]
    next_link = re.search(r'<a class="more" href="([^"]+)" rel="next"', html)
    assert next_link and len(seen) == 24
    url = next_link.group(1).replace("&amp;", "&")
    assert "sort=price" in url and "category=" in url and "cursor=" in url
    rest = html_of(client, url)
    seen += [re.search(r"商品\d\d", c).group(0) for c in cards(rest)]  # type: ignore[union-attr]
    assert len(seen) == len(set(seen)) == 30
    assert 'rel="next"' not in rest and "回到第一页" in rest


def test_product_page(app: FastAPI, client: TestClient, session: Session, seed: Seed,
                      pdd: Partner, now: datetime) -> None:
    ends = now + timedelta(days=3)
    seed([offer("tb", title="小米 手环 8", brand="小米", category="数码", price=24900,
                coupons=(coupon("c", amount=3000, min_spend=19900, title="满199减30",
                                starts_at=now - timedelta(days=1), ends_at=ends),))])
    seed([offer("pd", partner="pdd", price=23900, platform=None, shop_name="拼多多店")], to=pdd)
    product_id = product_id_of(session, "tb")
    pd = session.scalar(select(Offer).where(Offer.external_id == "pd"))
    assert pd is not None
    pd.product_id = product_id
    session.flush()
    seed([offer("tb", title="小米 手环 8", brand="小米", category="数码", price=22900,
                coupons=(coupon("c", amount=3000, min_spend=19900, title="满199减30",
                                starts_at=now - timedelta(days=1), ends_at=ends),))],
         at=now + timedelta(days=1))
    set_clock(app, now + timedelta(days=1, hours=1))

    html = html_of(client, f"/products/{product_id}")
    assert "<h1>小米 手环 8</h1>" in html and "<dd>小米</dd>" in html and "<dd>数码</dd>" in html
    rows = re.findall(r"<tr>.*?</tr>", html.split("<tbody>")[1], flags=re.S)
    assert len(rows) == 2 and "¥199.00" in rows[0] and "¥239.00" in rows[1]  # best first
    assert "满 ¥199.00 可用" in rows[0] and '<time datetime="2026-11-26T00:00:00Z">' in rows[0]
    assert "2026年11月26日 08:00" in rows[0]  # coupon end in Beijing time, written the zh way
    assert ('<a class="buy" href="https://uland.taobao.com/item?id=tb" '
            'rel="nofollow sponsored noopener" target="_blank">领券购买</a>') in rows[0]
    assert "去购买" in rows[1] and "拼多多" in rows[1]
    assert html.count("<polyline") == 2 and "近30天最低券后价：<strong>¥199.00</strong>" in html
    assert f'<link rel="canonical" href="http://127.0.0.1:8000/products/{product_id}">' in html
    assert '<meta property="og:type" content="product">' in html
    assert '<meta property="og:image" content="https://img.example.com/tb.jpg">' in html
    assert "佣金说明" in html


def test_scraped_text_is_escaped_everywhere(client: TestClient, session: Session,
                                            seed: Seed) -> None:
    seed([offer("x", title=XSS_TITLE, shop_name='<b>店</b>', brand='"牌"',
                coupons=(coupon("c", title="<img src=x onerror=alert(2)>"),))])
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &#34;quotes&#34; &amp; 好物"
    for url in ("/", f"/products/{product_id_of(session, 'x')}"):
        html = html_of(client, url)
        assert "<script>" not in html and '"quotes"' not in html and "<b>店</b>" not in html
        assert "<img src=x" not in html
        assert f'alt="{escaped}"' in html
    product = html_of(client, f"/products/{product_id_of(session, 'x')}")
    assert f"<h1>{escaped}</h1>" in product
    assert f'<meta property="og:title" content="{escaped} · 导购 daogou">' in product
    assert f"<title>{escaped} · 导购 daogou</title>" in product


def test_unsafe_partner_urls_are_not_linked(client: TestClient, session: Session,
                                            seed: Seed) -> None:
    seed([offer("x", url="javascript:alert(1)", image_url="javascript:alert(2)")])
    html = html_of(client, f"/products/{product_id_of(session, 'x')}")
    assert "javascript:" not in html and "暂无链接" in html
    assert "javascript:" not in html_of(client, "/")


@pytest.mark.parametrize("path", ["/products/999999", "/products/abc", f"/products/{2**64}",
                                  "/no/such/page", "/static/missing.css"])
def test_not_found_page(client: TestClient, path: str) -> None:
    html = html_of(client, path, status=404)
    assert "找不到这个页面" in html and 'content="noindex"' in html


def test_server_error_pages(app: FastAPI) -> None:
    def boom() -> None:
        raise RuntimeError("kaput")

    app.add_api_route("/boom", boom)
    app.add_api_route("/api/v1/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/boom")
        api = client.get("/api/v1/boom")
    assert page.status_code == 500 and "出错了" in page.text and "kaput" not in page.text
    assert api.status_code == 500
    assert api.json() == {"error": {"code": "internal_error",
                                    "message": "Internal server error."}}


def test_nul_bytes_in_page_params_are_harmless(client: TestClient, seed: Seed) -> None:
    seed([offer("a", title="ab")])
    assert len(cards(html_of(client, "/", q="a\x00b", category="\x00"))) == 1


def test_a_merged_product_redirects_to_the_one_that_absorbed_it(
        client: TestClient, session: Session, seed: Seed, now: datetime) -> None:
    from aggregator.matching.manual import merge_products

    seed([offer("a", title="小米 充电宝 10000毫安"), offer("b", title="华为 耳机")])
    keep, gone = product_id_of(session, "a"), product_id_of(session, "b")
    merge_products(session, keep_id=keep, other_id=gone, now=now)
    session.flush()
    response = client.get(f"/products/{gone}", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"].endswith(f"/products/{keep}")
    assert client.get(f"/products/{keep}").status_code == 200
