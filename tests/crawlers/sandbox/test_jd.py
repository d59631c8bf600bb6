"""JD Union: generated goods in the real shape, both envelopes, the signed gateway."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from starlette.testclient import TestClient

from crawlers.sandbox.jd import jd_goods
from tests.crawlers.sandbox.conftest import CONFIG, FEEDS, HOST, TODAY, jd_params, jd_payload

GATEWAY = "/jd/routerjson"
NOW_MS = dt.datetime(2026, 11, 20, 12, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp() * 1000
RESPONSE = "jd_union_open_goods_query_response"
RESPONCE = "jd_union_open_goods_query_responce"


@pytest.fixture(scope="module")
def goods() -> list[dict[str, Any]]:
    return jd_goods(seed=42, size=500, today=TODAY)


def sample() -> dict[str, Any]:
    body = json.loads((FEEDS / "jd" / "goods_query_response.json").read_text())
    return jd_payload(body)[1]["data"][0]


def test_goods_have_the_keys_of_the_real_sample(goods: list[dict[str, Any]]) -> None:
    real = sample()
    for record in goods:
        assert set(real) <= set(record) <= set(real) | {"owner"}
        for part in ("categoryInfo", "commissionInfo", "shopInfo"):
            assert set(record[part]) == set(real[part])
        for coupon in record["couponInfo"]["couponList"]:
            assert set(coupon) == set(real["couponInfo"]["couponList"][0])
    assert any(set(g["priceInfo"]) == set(real["priceInfo"]) for g in goods)
    assert any(set(g["priceInfo"]) == {"price"} for g in goods)


def test_values_have_jd_types(goods: list[dict[str, Any]]) -> None:
    for g in goods:
        assert isinstance(g["skuId"], int) and len(str(g["skuId"])) == 12
        assert g["materialUrl"] == f"{{host}}/jd/item/{g['skuId']}.html"  # no scheme
        price = g["priceInfo"]
        assert isinstance(price["price"], float) and price["price"] > 0
        yuan = Decimal(str(price["price"]))
        assert yuan == yuan.quantize(Decimal("0.01"))  # whole fen once read via str()
        assert price.get("lowestPrice", price["price"]) <= price["price"]
        assert price.get("lowestCouponPrice", 0) <= price.get("lowestPrice", price["price"])
        assert isinstance(g["commissionInfo"]["commissionShare"], float)
        assert g["owner"] in ("g", "p") and isinstance(g["inOrderCount30Days"], int)
        assert g["imageInfo"]["imageList"][0]["url"].startswith("http://{host}/img/jd-")
    assert len({g["skuId"] for g in goods}) == len(goods)


def _usable(coupon: dict[str, Any], price: float) -> bool:
    return coupon["useStartTime"] <= NOW_MS <= coupon["useEndTime"] and coupon["quota"] <= price


def test_coupon_lists_hold_several_coupons_and_one_best(goods: list[dict[str, Any]]) -> None:
    lists = [(g["couponInfo"]["couponList"], g["priceInfo"]["price"]) for g in goods]
    assert any(not coupons for coupons, _ in lists)
    assert any(len(coupons) == 3 for coupons, _ in lists)
    assert any(c["quota"] == 0.0 for coupons, _ in lists for c in coupons)  # no threshold
    assert any(c["useEndTime"] < NOW_MS for coupons, _ in lists for c in coupons)  # expired
    for coupons, price in lists:
        best = [c for c in coupons if c["isBest"] == 1]
        assert len(best) <= 1
        usable = [c for c in coupons if _usable(c, price)]
        if best:
            assert best[0]["discount"] == max(c["discount"] for c in usable)
        assert all(str(c["useStartTime"]).endswith("000") for c in coupons)  # ms epochs


def test_deterministic_prefix() -> None:
    assert jd_goods(seed=5, size=30, today=TODAY) == jd_goods(seed=5, size=90, today=TODAY)[:30]
    assert jd_goods(seed=5, size=30, today=TODAY) != jd_goods(seed=6, size=30, today=TODAY)


def test_signed_calls_page_to_the_end_through_both_envelopes(client: TestClient) -> None:
    expected = [g["skuId"] for g in client.app.state.catalogs.jd.get().goods]
    seen, envelopes = [], []
    for index in range(1, 10):
        response = client.get(GATEWAY, params=jd_params(dto={"pageIndex": index, "pageSize": 30}))
        envelope, payload = jd_payload(response.json())
        envelopes.append(envelope)
        assert payload["code"] == 200 and payload["totalCount"] == CONFIG.jd_items
        if not payload["data"]:
            break
        seen += [g["skuId"] for g in payload["data"]]
    assert seen == expected and index == 6
    assert envelopes[:4] == [RESPONSE, RESPONCE, RESPONSE, RESPONCE]
    body = client.get(GATEWAY, params=jd_params(dto={"pageIndex": 2})).json()
    assert set(body[RESPONCE]) == {"code", "queryResult"}


def test_post_keyword_and_host(client: TestClient) -> None:
    dto = {"keyword": "耳机", "pageIndex": 1, "pageSize": 30}
    _, payload = jd_payload(client.post(GATEWAY, data=jd_params(dto=dto)).json())
    assert payload["data"] and all("耳机" in g["skuName"] for g in payload["data"])
    record = payload["data"][0]
    assert record["materialUrl"] == f"{HOST}/jd/item/{record['skuId']}.html"
    page = client.get(f"/jd/item/{record['skuId']}.html", params={"subUnionId": "<s>"})
    assert page.status_code == 200 and record["skuName"] in page.text and "&lt;s&gt;" in page.text
    assert client.get("/jd/item/1.html").status_code == 404


def test_bad_signature_gets_the_error_response_envelope(client: TestClient) -> None:
    body = client.get(GATEWAY, params=jd_params(secret="wrong")).json()
    assert body == {"errorResponse": {"code": "1000", "msg": "sign invalid"}}


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"app_key": "someone"}, "19"),
        ({"timestamp": "2020-01-01 00:00:00"}, "18"),
        ({"method": "jd.union.open.order.query"}, "20"),
        ({"360buy_param_json": "not json"}, "60"),
        ({"360buy_param_json": "<drop>"}, "12"),
    ],
)
def test_gateway_errors_use_error_response(
    client: TestClient, extra: dict[str, Any], code: str
) -> None:
    error = client.get(GATEWAY, params=jd_params(**extra)).json()["error_response"]
    assert error["code"] == code and error["zh_desc"] and error["en_desc"]


def test_a_bad_page_request_is_a_business_error_inside_the_payload(client: TestClient) -> None:
    body = client.get(GATEWAY, params=jd_params(dto={"pageIndex": 1, "pageSize": 31})).json()
    _, payload = jd_payload(body)
    assert payload["code"] == 400 and "pageSize" in payload["message"] and "data" not in payload
