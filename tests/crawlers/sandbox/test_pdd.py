"""Pinduoduo: generated goods in the real shape, and the signed gateway."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from crawlers.sandbox.pdd import DEFECTS, pdd_goods, sales_tip
from tests.crawlers.sandbox.conftest import CONFIG, FEEDS, HOST, TODAY, pdd_params

GATEWAY = "/pdd/api/router"
DAY_START = dt.datetime(2026, 11, 20, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp()
SALES_TIP_RE = re.compile(r"^(10万\+|\d+(\.\d)?万|\d+000\+|\d{1,3})$")


@pytest.fixture(scope="module")
def goods() -> list[dict[str, Any]]:
    return pdd_goods(seed=42, size=600, today=TODAY)


def call(client: TestClient, **extra: Any) -> dict[str, Any]:
    response = client.get(GATEWAY, params=pdd_params(**extra))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def test_goods_have_every_key_of_the_real_sample(goods: list[dict[str, Any]]) -> None:
    sample = json.loads((FEEDS / "pdd" / "goods_search.json").read_text())
    sample_keys = [set(g) for g in sample["goods_search_response"]["goods_list"]]
    with_coupon = next(g for g in goods if g["has_coupon"])
    without = next(g for g in goods if not g["has_coupon"])
    assert sample_keys[0] <= set(with_coupon)
    assert sample_keys[1] <= set(without)
    assert set(without) - sample_keys[1] == {"opt_id", "mall_id", "mobile_url"}


def test_money_is_fen_and_group_price_undercuts_normal(goods: list[dict[str, Any]]) -> None:
    for g in goods:
        assert isinstance(g["min_group_price"], int) and g["min_group_price"] > 0
        assert g["min_group_price"] < g["min_normal_price"]
        assert isinstance(g["promotion_rate"], int) and 10 <= g["promotion_rate"] <= 300
        assert SALES_TIP_RE.match(g["sales_tip"]), g["sales_tip"]
        assert g["goods_image_url"] == f"http://{{host}}/img/pdd-{g['goods_sign']}.png"
        assert re.fullmatch(r"[A-Za-z0-9]{20}_J[A-Za-z0-9]{16}", g["goods_sign"])
    assert len({g["goods_sign"] for g in goods}) == len(goods)


def test_sales_tip_uses_every_wording() -> None:
    assert [sales_tip(n) for n in (250_000, 12_345, 20_000, 3_456, 856)] == [
        "10万+", "1.2万", "2万", "3000+", "856",
    ]  # fmt: skip


def test_coupon_cases_cover_valid_expired_not_started_and_exhausted(
    goods: list[dict[str, Any]],
) -> None:
    coupons = [g for g in goods if g["has_coupon"]]
    assert all(not ({"coupon_start_time"} & set(g)) for g in goods if not g["has_coupon"])
    ends, starts = DAY_START, DAY_START + 86400
    assert any(c["coupon_end_time"] < ends for c in coupons)  # expired
    assert any(c["coupon_start_time"] >= starts for c in coupons)  # not started
    assert any(c["coupon_remain_quantity"] == 0 for c in coupons)  # exhausted
    assert any(c["coupon_min_order_amount"] > c["min_group_price"] for c in coupons)
    assert any(c["coupon_min_order_amount"] == 0 for c in coupons)  # 无门槛
    valid = [
        c for c in coupons
        if c["coupon_start_time"] <= ends and c["coupon_end_time"] >= starts
        and c["coupon_remain_quantity"] > 0 and c["coupon_min_order_amount"] <= c["min_group_price"]
    ]  # fmt: skip
    assert len(valid) > len(coupons) / 2
    assert all(c["coupon_discount"] < c["min_group_price"] for c in valid)


def test_deterministic_prefix_and_spoiled_rows() -> None:
    big = pdd_goods(seed=3, size=120, today=TODAY)
    assert pdd_goods(seed=3, size=40, today=TODAY) == big[:40]
    assert pdd_goods(seed=4, size=40, today=TODAY) != big[:40]
    spoiled = pdd_goods(seed=3, size=120, today=TODAY, bad_every=10)
    differing = [i for i, (a, b) in enumerate(zip(big, spoiled, strict=True)) if a != b]
    assert differing == list(range(9, 120, 10))
    assert len({json.dumps(spoiled[i], sort_keys=True) for i in differing}) == len(differing)
    assert len(DEFECTS) == 5


def test_signed_requests_page_to_the_end(client: TestClient) -> None:
    expected = [g["goods_sign"] for g in client.app.state.catalogs.pdd.get().goods]
    seen: list[str] = []
    list_id = None
    for page in range(1, 10):
        extra = {"page": page, "page_size": 100} | ({"list_id": list_id} if list_id else {})
        body = call(client, **extra)["goods_search_response"]
        assert body["total_count"] == CONFIG.pdd_items and body["search_id"]
        assert list_id in (None, body["list_id"])  # echoed once issued
        list_id = body["list_id"]
        if not body["goods_list"]:
            break
        seen += [g["goods_sign"] for g in body["goods_list"]]
    assert page == 4 and seen == expected


def test_post_form_and_filters(client: TestClient) -> None:
    feed = client.app.state.catalogs.pdd.get()
    response = client.post(GATEWAY, data=pdd_params(page=2, page_size=5))
    signs = [g["goods_sign"] for g in response.json()["goods_search_response"]["goods_list"]]
    assert signs == [g["goods_sign"] for g in feed.goods[5:10]]
    pets = call(client, opt_id=1917, page_size=100)["goods_search_response"]
    assert pets["total_count"] == sum(1 for g in feed.goods if g.get("opt_id") == 1917) > 0
    assert {g["opt_id"] for g in pets["goods_list"]} == {1917}
    nothing = call(client, keyword="不存在的商品")["goods_search_response"]
    assert nothing["total_count"] == 0 and nothing["goods_list"] == []


def test_urls_point_back_at_the_sandbox(client: TestClient) -> None:
    record = call(client, page_size=1)["goods_search_response"]["goods_list"][0]
    assert record["goods_image_url"].startswith(f"http://{HOST}/img/pdd-")
    # Appended by hand: httpx's params= would replace the URL's own query.
    page = client.get(record["mobile_url"] + "&sid=%3Cx%3E")
    assert page.status_code == 200 and "&lt;x&gt;" in page.text and "<x>" not in page.text
    assert client.get("/pdd/goods.html", params={"goods_sign": "nope"}).status_code == 404


@pytest.mark.parametrize(
    ("extra", "code", "sub_msg"),
    [
        ({"secret": "wrong"}, 20004, "sign 校验失败"),
        ({"client_id": "someone"}, 10000, "client_id 不存在"),
        ({"timestamp": "1700000000"}, 10000, "timestamp 与服务器时间相差超过10分钟"),
        ({"type": "pdd.ddk.goods.detail"}, 10001, "type 不存在: pdd.ddk.goods.detail"),
        ({"page_size": 101}, 10000, "page_size 应为 1 到 100 之间的整数"),
        ({"page": 0}, 10000, "page 应为 1 到 1000000 之间的整数"),
        ({"sign": "<drop>"}, 10000, "sign 不能为空"),
    ],
)
def test_bad_calls_get_the_error_envelope(
    client: TestClient, extra: dict[str, Any], code: int, sub_msg: str
) -> None:
    params = pdd_params(**{k: v for k, v in extra.items() if k != "sign"})
    if "sign" in extra:
        del params["sign"]
    error = client.get(GATEWAY, params=params).json()["error_response"]
    assert (error["error_code"], error["sub_msg"]) == (code, sub_msg)
    assert error["error_msg"] and error["sub_code"] == str(code)
