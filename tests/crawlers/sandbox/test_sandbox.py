"""The sandbox partner server, driven in-process through Starlette's TestClient."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from crawlers.sandbox import SandboxConfig, create_sandbox_app
from crawlers.sandbox.__main__ import parse_args
from crawlers.sandbox.catalog import click_token, taobao_items
from crawlers.sandbox.images import product_png
from tests.crawlers.sandbox.conftest import HOST, TODAY, png_size, top_params, utc8_wall_clock

GATEWAY = "/taobao/router/rest"
# A bigger Taobao catalog than the package's app, so paging spans several pages.
TAOBAO = SandboxConfig(seed=42, taobao_items=250, today=TODAY, bad_every=97)
RESPONSE_KEY = "tbk_dg_material_optional_response"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_sandbox_app(TAOBAO), base_url=f"http://{HOST}") as test_client:
        yield test_client


def call(client: TestClient, **extra: Any) -> dict[str, Any]:
    response = client.get(GATEWAY, params=top_params(**extra))
    assert response.status_code == 200  # TOP answers errors with 200 too
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def test_signed_requests_page_through_every_item_then_get_the_empty_envelope(
    client: TestClient,
) -> None:
    expected = [str(item["item_id"]) for item in client.app.state.taobao_feed.items]
    seen: list[str] = []
    for page_no in range(1, 10):
        body = call(client, page_no=page_no, page_size=100)[RESPONSE_KEY]
        assert body["total_results"] == TAOBAO.taobao_items and body["request_id"]
        if "result_list" not in body:
            break
        seen += [str(record["item_id"]) for record in body["result_list"]["map_data"]]
    assert page_no == 4
    assert seen == expected
    assert set(body) == {"total_results", "request_id"}


def test_default_page_size_is_twenty(client: TestClient) -> None:
    body = call(client)[RESPONSE_KEY]
    assert len(body["result_list"]["map_data"]) == 20


def test_post_with_a_form_body_works_like_get(client: TestClient) -> None:
    response = client.post(GATEWAY, data=top_params(page_no=2, page_size=5))
    records = response.json()[RESPONSE_KEY]["result_list"]["map_data"]
    assert [r["item_id"] for r in records] == [
        item["item_id"] for item in client.app.state.taobao_feed.items[5:10]
    ]


def test_q_filters_titles_by_substring(client: TestClient) -> None:
    items = client.app.state.taobao_feed.items
    wanted = [i["item_id"] for i in items if "猫" in i.get("title", "")]
    body = call(client, q="猫", page_size=100)[RESPONSE_KEY]
    assert wanted and body["total_results"] == len(wanted)
    assert [r["item_id"] for r in body["result_list"]["map_data"]] == wanted[:100]
    nothing = call(client, q="不存在的商品")[RESPONSE_KEY]
    assert nothing["total_results"] == 0 and "result_list" not in nothing


def test_host_placeholder_is_replaced_with_the_request_host(client: TestClient) -> None:
    response = client.get(GATEWAY, params=top_params(page_size=100))
    assert "{host}" not in response.text
    record = response.json()[RESPONSE_KEY]["result_list"]["map_data"][0]
    assert record["pict_url"] == f"//{HOST}/img/{record['item_id']}.png"
    assert record["url"].startswith(f"//{HOST}/click?e=")


def test_a_hostile_host_header_never_reaches_the_json(client: TestClient) -> None:
    response = client.get(GATEWAY, params=top_params(), headers={"host": 'x"}],"a'})
    record = response.json()[RESPONSE_KEY]["result_list"]["map_data"][0]
    assert record["pict_url"].startswith("//127.0.0.1/img/")


def stale_timestamp() -> str:
    return utc8_wall_clock(ago=dt.timedelta(minutes=11))


@pytest.mark.parametrize(
    ("extra", "code", "msg", "sub_code"),
    [
        ({"secret": "not-the-secret"}, 25, "Invalid signature", "isv.invalid-signature"),
        ({"app_key": "someone-else"}, 29, "Invalid app Key", "isv.appkey-not-exists"),
        ({"adzone_id": "<drop>"}, 41, "Invalid arguments", "isv.missing-parameter:adzone_id"),
        ({"timestamp": stale_timestamp()}, 31, "Invalid timestamp", "isv.invalid-timestamp"),
        ({"timestamp": "1700000000"}, 31, "Invalid timestamp", "isv.invalid-timestamp"),
        ({"method": "taobao.tbk.item.get"}, 22, "Invalid method", "isv.invalid-method"),
        ({"method": "<drop>"}, 21, "Missing method", "isv.missing-parameter:method"),
        ({"format": "xml"}, 23, "Invalid format", "isv.invalid-parameter:format"),
        ({"v": "1.0"}, 34, "Unsupported version", "isv.invalid-parameter:v"),
        ({"sign_method": "hmac"}, 41, "Invalid arguments", "isv.invalid-parameter:sign_method"),
        ({"page_size": 101}, 41, "Invalid arguments", "isv.invalid-parameter:page_size"),
        ({"page_no": 0}, 41, "Invalid arguments", "isv.invalid-parameter:page_no"),
        ({"adzone_id": "mm_1_2_3"}, 41, "Invalid arguments", "isv.invalid-parameter:adzone_id"),
    ],
)
def test_bad_requests_get_the_matching_error_response(
    client: TestClient, extra: dict[str, Any], code: int, msg: str, sub_code: str
) -> None:
    body = call(client, **extra)
    assert set(body) == {"error_response"}
    error = body["error_response"]
    assert (error["code"], error["msg"], error["sub_code"]) == (code, msg, sub_code)
    assert error["sub_msg"] and error["request_id"]


def test_missing_signature_is_rejected(client: TestClient) -> None:
    params = top_params()
    del params["sign"]
    error = client.get(GATEWAY, params=params).json()["error_response"]
    assert (error["code"], error["msg"]) == (24, "Missing signature")


def test_tampering_after_signing_breaks_the_signature(client: TestClient) -> None:
    params = top_params(page_no=1)
    params["page_no"] = "2"
    assert client.get(GATEWAY, params=params).json()["error_response"]["code"] == 25


def test_same_seed_same_catalog_different_seed_different() -> None:
    def first_page(seed: int) -> list[dict[str, Any]]:
        app = create_sandbox_app(SandboxConfig(seed=seed, taobao_items=30, today=TAOBAO.today))
        with TestClient(app, base_url=f"http://{HOST}") as test_client:
            return call(test_client, page_size=30)[RESPONSE_KEY]["result_list"]["map_data"]

    assert first_page(5) == first_page(5)
    assert first_page(5) != first_page(6)


def test_app_serves_the_generated_catalog(client: TestClient) -> None:
    expected = taobao_items(seed=42, size=250, today=TAOBAO.today, bad_every=97)
    assert client.app.state.taobao_feed.items == expected


def test_images_are_valid_cacheable_pngs(client: TestClient) -> None:
    item_id = client.app.state.taobao_feed.items[0]["item_id"]
    response = client.get(f"/img/{item_id}.png")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["cache-control"].startswith("public")
    assert png_size(response.content) == (400, 400)
    extra = client.get(f"/img/{item_id}.1.png")
    assert png_size(extra.content) == (400, 400) and extra.content != response.content
    assert client.get(f"/img/{item_id}.png").content == response.content


def test_unknown_image_ids_get_a_generic_image_and_bad_names_404(client: TestClient) -> None:
    assert png_size(client.get("/img/unknown123.png").content) == (400, 400)
    assert client.get("/img/a%20b.png").status_code == 404
    assert client.get("/img/" + "x" * 65 + ".png").status_code == 404


def test_product_png_is_deterministic_and_draws_every_category() -> None:
    first = product_png("abc", category="pets", initials="AC", caption="ACANA")
    product_png.cache_clear()
    assert product_png("abc", category="pets", initials="AC", caption="ACANA") == first
    for category in ("beauty", "digital", "snacks", "apparel", "home", "baby", "nope"):
        assert png_size(product_png("abc", category=category)) == (400, 400)


@pytest.mark.parametrize("path", ["click", "coupon"])
def test_click_and_coupon_links_land_on_the_partner_item_page(
    client: TestClient, path: str
) -> None:
    item = next(i for i in client.app.state.taobao_feed.items if i.get("coupon_info"))
    token = click_token(item["item_id"])
    response = client.get(f"/{path}", params={"e": token, "external_id": "<b>c_1</b>"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert item["title"] in response.text and item["coupon_info"] in response.text
    assert "&lt;b&gt;c_1&lt;/b&gt;" in response.text and "<b>c_1</b>" not in response.text


def test_unknown_click_tokens_404(client: TestClient) -> None:
    assert client.get("/click", params={"e": click_token("nope")}).status_code == 404
    assert client.get("/coupon").status_code == 404


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")


def test_command_line_arguments() -> None:
    args = parse_args(
        [
            "--port",
            "8901",
            "--seed",
            "7",
            "--taobao-items",
            "1000",
            "--bad-every",
            "0",
            "--today",
            "2026-11-20",
        ]
    )
    assert (args.host, args.port, args.seed, args.taobao_items, args.bad_every) == (
        "127.0.0.1",
        8901,
        7,
        1000,
        0,
    )
    assert args.today == dt.date(2026, 11, 20)
