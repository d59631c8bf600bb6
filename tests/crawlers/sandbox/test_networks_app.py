"""App-wide behaviour of the networks: lazy catalogs, images, the command line, scale."""

from __future__ import annotations

import datetime as dt
import gzip
from typing import Any

import pytest
from starlette.testclient import TestClient

from crawlers.sandbox import SandboxConfig, catalog_registry, create_sandbox_app
from crawlers.sandbox.__main__ import config_from_args, parse_args
from crawlers.sandbox.catalog import click_token
from crawlers.sandbox.images import product_png
from crawlers.sandbox.pdd import pdd_goods
from tests.crawlers.sandbox.conftest import HOST, TODAY, pdd_params, png_size

NETWORKS = ("pdd", "jd", "awin", "promotions", "gmc", "shop")


def test_catalogs_are_built_on_first_request_only() -> None:
    app = create_sandbox_app(SandboxConfig(today=TODAY, taobao_items=10, awin_items=20))
    catalogs = app.state.catalogs
    with TestClient(app, base_url=f"http://{HOST}") as client:
        assert not any(getattr(catalogs, name).ready for name in NETWORKS)
        assert client.get("/healthz").text == "ok"
        client.get("/awin/datafeed/products.csv.gz")
        assert [getattr(catalogs, name).ready for name in NETWORKS] == [
            False, False, True, False, False, False,
        ]  # fmt: skip
        client.get("/pdd/api/router", params=pdd_params())
        assert catalogs.pdd.ready and not catalogs.jd.ready


def test_same_config_serves_the_same_bytes() -> None:
    def feeds(seed: int) -> list[bytes]:
        app = create_sandbox_app(SandboxConfig(seed=seed, today=TODAY, taobao_items=5))
        with TestClient(app, base_url=f"http://{HOST}") as client:
            paths = ("/awin/datafeed/products.csv.gz", "/awin/promotions.csv", "/gmc/feed.xml")
            return [client.get(path).content for path in paths]

    assert feeds(1) == feeds(1)
    assert all(a != b for a, b in zip(feeds(1), feeds(2), strict=True))


def test_images_for_every_network(client: TestClient) -> None:
    catalogs = client.app.state.catalogs
    names = [
        f"pdd-{catalogs.pdd.get().goods[0]['goods_sign']}",
        f"jd-{catalogs.jd.get().goods[0]['skuId']}.1",
        f"uk-{catalogs.awin.get().rows[0]['merchant_image_url'].split('uk-')[1][:-4]}",
        "shop-1001",
    ]
    for name in names:
        response = client.get(f"/img/{name}.png")
        assert response.status_code == 200 and response.content.startswith(b"\x89PNG"), name
    generic = client.get("/img/pdd-unknown.png")
    assert generic.status_code == 200


def test_command_line_sizes_and_credentials() -> None:
    args = parse_args(
        ["--awin-items", "100000", "--pdd-items", "7", "--shop-items", "3", "--today", "2026-11-20"]
    )
    config = config_from_args(args)
    assert (config.awin_items, config.pdd_items, config.shop_items) == (100_000, 7, 3)
    assert (config.jd_items, config.gmc_items, config.awin_promotions) == (300, 300, 60)
    assert config.today == dt.date(2026, 11, 20)
    assert (config.pdd_client_id, config.pdd_client_secret) == ("sandbox-pdd", "sandbox-pdd-secret")
    assert (config.jd_app_key, config.jd_app_secret) == ("sandbox-jd", "sandbox-jd-secret")


def test_hundred_thousand_awin_rows_are_served_whole_and_stable() -> None:
    app = create_sandbox_app(SandboxConfig(today=TODAY, taobao_items=1, awin_items=100_000))
    with TestClient(app, base_url=f"http://{HOST}") as client:
        first = client.get("/awin/datafeed/products.csv.gz")
        again = client.get("/awin/datafeed/products.csv.gz")
    lines = gzip.decompress(first.content).count(b"\n")
    assert lines == 100_001 and again.content == first.content


def test_each_catalog_is_built_once_and_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    builds: list[int] = []

    def counted_pdd_goods(**kwargs: Any) -> list[dict[str, Any]]:
        builds.append(kwargs["size"])
        return pdd_goods(**kwargs)

    monkeypatch.setattr(catalog_registry, "pdd_goods", counted_pdd_goods)
    app = create_sandbox_app(SandboxConfig(today=TODAY, taobao_items=5, pdd_items=40))
    with TestClient(app, base_url=f"http://{HOST}") as client:
        assert builds == []
        first = client.get("/pdd/api/router", params=pdd_params(page_size=10)).json()
        feed = app.state.catalogs.pdd.get()
        sign = first["goods_search_response"]["goods_list"][0]["goods_sign"]
        assert client.get("/pdd/goods.html", params={"goods_sign": sign}).status_code == 200
        assert client.get(f"/img/pdd-{sign}.png").status_code == 200
        again = client.get("/pdd/api/router", params=pdd_params(page_size=10)).json()
        assert (
            again["goods_search_response"]["goods_list"]
            == (first["goods_search_response"]["goods_list"])
        )
        assert app.state.catalogs.pdd.get() is feed
    assert builds == [40]


IMAGE_NAMES = ("pdd-{pdd}", "jd-{jd}", "jd-{jd}.2", "uk-{uk}", "shop-1001", "{taobao}", "nobody")


def test_images_are_valid_pngs_and_the_same_from_a_fresh_app() -> None:
    def images() -> list[bytes]:
        product_png.cache_clear()  # draw every picture again, not from the cache
        app = create_sandbox_app(SandboxConfig(today=TODAY, taobao_items=5, shop_items=3))
        catalogs = app.state.catalogs
        ids = {
            "pdd": catalogs.pdd.get().goods[0]["goods_sign"],
            "jd": catalogs.jd.get().goods[0]["skuId"],
            "uk": catalogs.awin.get().rows[0]["merchant_image_url"].split("uk-")[1][:-4],
            "taobao": app.state.taobao_feed.items[0]["item_id"],
        }
        with TestClient(app, base_url=f"http://{HOST}") as client:
            responses = [client.get(f"/img/{name.format(**ids)}.png") for name in IMAGE_NAMES]
        assert all(r.status_code == 200 for r in responses)
        assert all(r.headers["content-type"] == "image/png" for r in responses)
        return [r.content for r in responses]

    first = images()
    assert all(png_size(png) == (400, 400) for png in first)
    assert len(set(first)) == len(first)  # every product, and each extra view, differs
    assert images() == first


@pytest.mark.parametrize(
    "path",
    [
        f"/click?e={click_token('no-such-item')}",
        "/coupon?e=not*a*token",
        "/pdd/goods.html?goods_sign=nope&custom_parameters=u1",
        "/jd/item/1.html?subUnionId=u1",
        "/awin/click?p=1&clickref=u1",
        "/gmc/item/NOPE",
        "/shop/item/1",
    ],
)
def test_every_landing_page_404s_for_an_unknown_item(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<!doctype html>") and "<table>" not in response.text


def test_a_coupon_link_to_an_item_without_coupon_says_so(client: TestClient) -> None:
    item = next(i for i in client.app.state.taobao_feed.items if not i.get("coupon_info"))
    page = client.get("/coupon", params={"e": click_token(item["item_id"]), "relation_id": "7"})
    assert page.status_code == 200 and "此商品暂无优惠券" in page.text
    assert "<caption>推广参数</caption>" in page.text and "relation_id" in page.text


def test_no_command_line_arguments_give_the_default_config() -> None:
    args = parse_args([])
    assert (args.host, args.port) == ("127.0.0.1", 8900)
    assert config_from_args(args) == SandboxConfig()


def test_every_size_flag_sets_its_own_catalog() -> None:
    sizes = {
        "taobao_items": 11,
        "pdd_items": 12,
        "jd_items": 13,
        "awin_items": 14,
        "awin_promotions": 15,
        "gmc_items": 16,
        "shop_items": 17,
    }
    argv = [part for field, size in sizes.items() for part in (_flag(field), str(size))]
    argv += ["--seed", "9", "--bad-every", "0", "--jd-app-secret", "s3cret"]
    config = config_from_args(parse_args(argv))
    assert {field: getattr(config, field) for field in sizes} == sizes
    assert (config.seed, config.bad_every, config.jd_app_secret) == (9, 0, "s3cret")
    assert config.today is None  # today in UTC+8, decided when the app is built


def _flag(field: str) -> str:
    return "--" + field.replace("_", "-")


@pytest.mark.parametrize(
    "argv", [["--today", "20/11/2026"], ["--port", "http"], ["--pdd-items", "many"], ["--nope"]]
)
def test_bad_command_lines_are_refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)
    assert exit_info.value.code == 2
    assert "error" in capsys.readouterr().err
