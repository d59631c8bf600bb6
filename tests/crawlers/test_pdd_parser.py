"""Table-driven tests of the Pinduoduo parser on the real-format samples and every variant."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aggregator.pricing import best_coupon
from aggregator.records import OfferRecord, RejectRecord
from crawlers.parsers.common import ParseError, PartnerAPIError, manjian_title
from crawlers.parsers.pdd import (
    parse_goods,
    parse_goods_page,
    parse_promotion_rate,
    parse_sales_tip,
)
from tests.conftest import FEEDS, FIXED_NOW
from tests.crawlers.parser_support import coupon_terms, rejected, utc

BASE = "https://gw-api.pinduoduo.com/api/router"
PID = "1000000_100000"
SAMPLES = FEEDS / "pdd"


def load(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def page_of(*rows: Any, **payload: Any) -> dict[str, Any]:
    return {"goods_search_response": {"goods_list": list(rows), **payload}}


@pytest.fixture(scope="module")
def sample() -> dict[str, OfferRecord | RejectRecord]:
    page = parse_goods_page(load("goods_search.json"), partner="pdd", base_url=BASE, pid=PID)
    assert (page.total, page.list_id, page.is_last) == (3, "list_abc", False)
    return {r.external_id or "": r for r in page.records}


# external_id, price, list_price, final_price, commission_bp, sales, category, shop
SAMPLE_OFFERS = [
    ("Y9X2zdPFqAxJ8vQ3", 1990, 2590, 1490, 2000, 100000, "日用百货/纸品湿巾", "心相印官方旗舰店"),
    ("E1q8LpzT7nWc", 12900, 14900, 12900, 850, 12000, "美妆/彩妆", "花西子旗舰店"),
    ("Kd9x", 990, 1290, 990, 1500, 3000, "鞋包/拖鞋", "样例店"),  # coupon expired in 2023
]


@pytest.mark.parametrize(
    ("external_id", "price", "list_price", "final", "bp", "sales", "category", "shop"),
    SAMPLE_OFFERS)
def test_sample_offers(sample: dict[str, Any], external_id: str, price: int, list_price: int,
                       final: int, bp: int, sales: int, category: str, shop: str) -> None:
    record = sample[external_id]
    assert isinstance(record, OfferRecord)
    assert (record.price, record.list_price, record.commission_bp) == (price, list_price, bp)
    assert (record.sales, record.category, record.shop_name) == (sales, category, shop)
    assert (record.currency, record.platform, record.shop_id) == ("CNY", "拼多多", None)
    assert best_coupon(record.coupons, record.price, FIXED_NOW)[1] == final
    assert record.url == ("https://mobile.yangkeduo.com/duo_coupon_landing.html"
                          f"?goods_sign={external_id}&pid={PID}")
    assert record.image_url and record.image_url.startswith("https://img.pddpic.com/goods/")
    assert record.raw["goods_sign"] == external_id


def test_sample_coupons(sample: dict[str, Any]) -> None:
    (tissue,) = sample["Y9X2zdPFqAxJ8vQ3"].coupons
    assert (tissue.kind, tissue.amount, tissue.min_spend) == ("amount_off", 500, 1500)
    assert (tissue.remaining, tissue.total, tissue.title) == (8200, 10000, "满15元减5元")
    assert (tissue.starts_at, tissue.ends_at) == (utc(2025, 11, 19, 16),
                                                  utc(2030, 12, 31, 23, 59, 59))
    assert tissue.url is None  # PDD has no coupon link: the landing page shows it
    assert tissue.raw["coupon_discount"] == 500 and "goods_name" not in tissue.raw
    (slipper,) = sample["Kd9x"].coupons
    assert (slipper.amount, slipper.min_spend, slipper.total) == (300, 900, None)
    assert slipper.ends_at == utc(2023, 7, 27, 23, 20)
    assert sample["E1q8LpzT7nWc"].coupons == ()  # has_coupon false


@pytest.mark.parametrize("payload", [
    {"total_count": 3, "list_id": "list_abc"},
    {"goods_list": None},
    {"goods_list": []},
], ids=["missing goods_list", "null goods_list", "empty goods_list"])
def test_empty_page_ends_paging(payload: dict[str, Any]) -> None:
    page = parse_goods_page({"goods_search_response": payload}, partner="pdd", base_url=BASE)
    assert page.records == [] and page.is_last


def test_empty_envelope_is_an_empty_page() -> None:
    page = parse_goods_page({"goods_search_response": None}, partner="pdd", base_url=BASE)
    assert (page.records, page.total, page.list_id) == ([], None, None)


def test_error_envelope_raises() -> None:
    with pytest.raises(PartnerAPIError) as err:
        parse_goods_page(load("error_response.json"), partner="pdd", base_url=BASE)
    assert (err.value.code, err.value.sub_code) == ("10000", "10000")
    assert err.value.message == "参数错误: client_id 不存在"


@pytest.mark.parametrize(("body", "code"), [
    ({"error_response": {"error_code": 52001, "error_msg": "签名错误"}}, "52001"),
    ({"error_response": None}, "?"),
    ({"something_else": {}}, "envelope"),
])
def test_other_errors_raise(body: dict[str, Any], code: str) -> None:
    with pytest.raises(PartnerAPIError) as err:
        parse_goods_page(body, partner="pdd", base_url=BASE)
    assert err.value.code == code


@pytest.mark.parametrize(("tip", "sales"), [
    ("10万+", 100000), ("1.2万", 12000), ("3000+", 3000), ("3000", 3000), (3000, 3000),
    ("1.25万", 12500), ("1亿+", 100000000), ("已拼10万+件", 100000), ("1,234", 1234),
    ("0", 0), ("", None), (None, None), ("热销中", None), (True, None), (-5, None),
])
def test_sales_tip(tip: object, sales: int | None) -> None:
    assert parse_sales_tip(tip) == sales


@pytest.mark.parametrize(("rate", "bp"), [
    (200, 2000), ("85", 850), (150, 1500), (0, 0), ("12.5", 125), (None, None), ("", None)])
def test_promotion_rate_per_mille(rate: object, bp: int | None) -> None:
    assert parse_promotion_rate(rate) == bp


def test_garbage_promotion_rate_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="promotion_rate"):
        parse_promotion_rate("20%")


@pytest.mark.parametrize(("minimum", "amount", "title"), [
    (1500, 500, "满15元减5元"), (0, 1000, "10元无门槛券"), (9990, 550, "满99.9元减5.5元")])
def test_coupon_title(minimum: int, amount: int, title: str) -> None:
    assert manjian_title(minimum, amount) == title


BASE_GOODS: dict[str, Any] = {
    "goods_sign": "G1", "goods_name": "测试 商品", "goods_image_url": "https://img.pddpic.com/g.jpg",
    "mall_name": "店", "min_group_price": 10000, "min_normal_price": 12000, "has_coupon": False,
    "promotion_rate": 100, "sales_tip": "100+", "category_name": "百货",
}
COUPON = {"has_coupon": True, "coupon_discount": 1000, "coupon_min_order_amount": 5000}

# overrides, expected coupons [(amount, min_spend, starts_at, ends_at)] or a reject reason
VARIANTS: list[tuple[str, dict[str, Any], Any]] = [
    ("coupon", COUPON, [(1000, 5000, None, None)]),
    ("no threshold", {**COUPON, "coupon_min_order_amount": 0}, [(1000, 0, None, None)]),
    ("has_coupon absent", {**COUPON, "has_coupon": None}, [(1000, 5000, None, None)]),
    ("has_coupon false wins", {**COUPON, "has_coupon": False}, []),
    ("zero discount", {**COUPON, "coupon_discount": 0}, []),
    ("window", {**COUPON, "coupon_start_time": 1763596800, "coupon_end_time": "1764518399"},
     [(1000, 5000, utc(2025, 11, 20), utc(2025, 11, 30, 15, 59, 59))]),
    ("zero times are no bound", {**COUPON, "coupon_start_time": 0, "coupon_end_time": 0},
     [(1000, 5000, None, None)]),
    ("coupon without minimum", {**COUPON, "coupon_min_order_amount": None},
     "coupon without coupon_min_order_amount"),
    ("bad coupon time", {**COUPON, "coupon_end_time": "soon"}, "bad coupon_end_time"),
    ("window backwards", {**COUPON, "coupon_start_time": 1764518399,
                          "coupon_end_time": 1763596800}, "ends before it starts"),
    ("fractional discount", {**COUPON, "coupon_discount": "5.5"}, "coupon_discount"),
    ("unparseable price", {"min_group_price": "abc"}, "unparseable min_group_price"),
    ("price in yuan", {"min_group_price": "19.9"}, "not a whole number of fen"),
    ("zero price", {"min_group_price": 0}, "non-positive min_group_price"),
    ("negative price", {"min_group_price": -100}, "non-positive min_group_price"),
    ("missing price", {"min_group_price": None}, "unparseable min_group_price"),
    ("boolean price", {"min_group_price": True}, "unparseable min_group_price"),
    ("missing title", {"goods_name": " "}, "missing goods_name"),
    ("missing ids", {"goods_sign": ""}, "missing goods_sign and goods_id"),
    ("garbage commission", {"promotion_rate": "n/a"}, "promotion_rate"),
    ("javascript click url", {"url": "javascript:alert(1)"}, "unsupported url"),
]


@pytest.mark.parametrize(("case", "overrides", "expected"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_goods_variants(case: str, overrides: dict[str, Any], expected: Any) -> None:
    raw = {**BASE_GOODS, **overrides}
    (record,) = parse_goods_page(page_of(raw), partner="pdd", base_url=BASE).records
    if isinstance(expected, str):
        reject = rejected(record, expected, case)
        assert reject.raw == raw and reject.external_id == (raw["goods_sign"] or None)
    else:
        assert coupon_terms(record, case) == expected


LANDING = "https://mobile.yangkeduo.com/duo_coupon_landing.html"


@pytest.mark.parametrize(("overrides", "field", "value"), [
    ({"goods_sign": None, "goods_id": 640123456789}, "external_id", "640123456789"),
    ({"goods_sign": None, "goods_id": 64}, "url", f"{LANDING}?goods_id=64&pid={PID}"),
    ({"mobile_url": "//mobile.yangkeduo.com/app.html?x=1"}, "url",
     "https://mobile.yangkeduo.com/app.html?x=1"),
    ({"url": "http://127.0.0.1:8900/pdd/goods/G1"}, "url", "http://127.0.0.1:8900/pdd/goods/G1"),
    ({"mall_id": 987654}, "shop_id", "987654"),
    ({"brand_name": "维达"}, "brand", "维达"),
    ({"min_normal_price": "abc"}, "list_price", None),  # garbage list price is dropped
    ({"min_normal_price": 0}, "list_price", None),
    ({"goods_image_url": "", "goods_thumbnail_url": "//img.pddpic.com/t.jpg"}, "image_url",
     "https://img.pddpic.com/t.jpg"),
    ({"opt_name": "纸品"}, "category", "百货/纸品"),
    ({"opt_name": "百货"}, "category", "百货"),
    ({"category_name": "", "opt_name": "拖鞋"}, "category", "拖鞋"),
    ({"category_name": None}, "category", None),
    ({"sales_tip": "火爆"}, "sales", None),  # unreadable sales never reject an offer
    ({"min_group_price": "1990"}, "price", 1990),
])
def test_field_variants(overrides: dict[str, Any], field: str, value: Any) -> None:
    record = parse_goods({**BASE_GOODS, **overrides}, partner="pdd", base_url=BASE, pid=PID)
    assert getattr(record, field) == value


def test_landing_url_without_pid() -> None:
    record = parse_goods(BASE_GOODS, partner="pdd", base_url=BASE)
    assert record.url == f"{LANDING}?goods_sign=G1"


def test_non_object_entry_is_rejected_and_the_page_goes_on() -> None:
    page = parse_goods_page(page_of("oops", BASE_GOODS), partner="pdd", base_url=BASE)
    bad, good = page.records
    assert isinstance(bad, RejectRecord) and bad.raw == {"value": "oops"}
    assert isinstance(good, OfferRecord) and good.external_id == "G1"


def test_garbage_total_only_loses_the_estimate() -> None:
    page = parse_goods_page(page_of(BASE_GOODS, total_count="many"), partner="pdd",
                            base_url=BASE)
    assert page.total is None and len(page.records) == 1
