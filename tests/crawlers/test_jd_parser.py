"""Table-driven tests of the JD Union parser on the real-format samples and every variant."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aggregator.pricing import best_coupon, price_after
from aggregator.records import OfferRecord, RejectRecord
from crawlers.parsers.common import ParseError, PartnerAPIError
from crawlers.parsers.jd import (
    decode_payload,
    material_url,
    parse_commission_share,
    parse_goods,
    parse_goods_page,
)
from tests.conftest import FEEDS, FIXED_NOW
from tests.crawlers.parser_support import coupon_terms, rejected, utc

BASE = "https://api.jd.com/routerjson"
SAMPLES = FEEDS / "jd"
CHAIR, AIRPODS = "100012043978", "100038004389"


def load(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def sample_inner() -> dict[str, Any]:
    inner: dict[str, Any] = json.loads(
        load("goods_query_response.json")["jd_union_open_goods_query_response"]["result"])
    return inner


def response(inner: dict[str, Any], *, old_spelling: bool = False) -> dict[str, Any]:
    """Wrap an inner result the way JD does: as a JSON string in one of two envelopes."""
    if old_spelling:
        return {"jd_union_open_goods_query_responce": {"code": "0",
                                                       "queryResult": json.dumps(inner)}}
    return {"jd_union_open_goods_query_response": {"code": "0", "result": json.dumps(inner)}}


def page_of(*rows: Any, **extra: Any) -> dict[str, Any]:
    return response({"code": 200, "message": "success", "data": list(rows), **extra})


@pytest.fixture(scope="module")
def sample() -> dict[str, OfferRecord | RejectRecord]:
    page = parse_goods_page(load("goods_query_response.json"), partner="jd", base_url=BASE)
    assert (page.total, page.is_last) == (2, False)
    return {r.external_id or "": r for r in page.records}


# external_id, price, final_price, commission_bp, sales, category, shop, brand
SAMPLE_OFFERS = [
    (CHAIR, 29900, 26900, 1500, 12000, "家具/办公家具/电脑椅", "京东京造官方旗舰店", "京东京造"),
    (AIRPODS, 189900, 189900, 100, 50000, "数码/影音娱乐/耳机/耳麦",
     "Apple产品京东自营旗舰店", "Apple"),
]


@pytest.mark.parametrize(
    ("external_id", "price", "final", "bp", "sales", "category", "shop", "brand"),
    SAMPLE_OFFERS)
def test_sample_offers(sample: dict[str, Any], external_id: str, price: int, final: int,
                       bp: int, sales: int, category: str, shop: str, brand: str) -> None:
    record = sample[external_id]
    assert isinstance(record, OfferRecord)
    assert (record.price, record.commission_bp, record.sales) == (price, bp, sales)
    assert (record.category, record.shop_name, record.brand) == (category, shop, brand)
    assert record.list_price is None  # lowestPrice is a low, not a "was" price
    assert record.currency == "CNY"
    assert best_coupon(record.coupons, record.price, FIXED_NOW)[1] == final
    assert record.url == f"https://item.jd.com/{external_id}.html"
    assert record.image_url and record.image_url.startswith("https://img14.360buyimg.com/")
    assert record.raw["skuId"] == int(external_id)


def test_every_coupon_is_emitted(sample: dict[str, Any]) -> None:
    chair = sample[CHAIR]
    threshold, no_threshold = chair.coupons
    assert (threshold.amount, threshold.min_spend, threshold.title) == (3000, 27900,
                                                                        "满279元减30元")
    assert (no_threshold.amount, no_threshold.min_spend) == (1000, 0)
    assert no_threshold.title == "10元无门槛券"
    for coupon in chair.coupons:
        assert coupon.kind == "amount_off"
        assert (coupon.starts_at, coupon.ends_at) == (utc(2025, 11, 19, 16),
                                                      utc(2030, 12, 31, 23, 59, 59))
        assert coupon.url and coupon.url.startswith("https://coupon.m.jd.com/coupons/")
        assert coupon.raw["discount"] in (30.0, 10.0)
    assert price_after(no_threshold, chair.price) == 28900  # valid, just not the best
    assert threshold.external_id != no_threshold.external_id
    assert best_coupon(chair.coupons, chair.price, FIXED_NOW)[0] is threshold
    assert sample[AIRPODS].coupons == ()


def test_both_envelopes_give_the_same_records() -> None:
    new = parse_goods_page(response(sample_inner()), partner="jd", base_url=BASE)
    old = parse_goods_page(response(sample_inner(), old_spelling=True), partner="jd",
                           base_url=BASE)
    assert old.records == new.records and old.total == new.total == 2


def test_payload_already_decoded_is_accepted() -> None:
    body = {"jd_union_open_goods_query_response": {"code": "0", "result": sample_inner()}}
    assert len(parse_goods_page(body, partner="jd", base_url=BASE).records) == 2


@pytest.mark.parametrize("inner", [
    {"code": 200, "message": "success", "totalCount": 0, "data": []},
    {"code": 200, "message": "success", "totalCount": 0},
    {"code": 200, "message": "success", "data": None},
], ids=["empty data", "missing data", "null data"])
@pytest.mark.parametrize("old_spelling", [False, True])
def test_empty_page_ends_paging(inner: dict[str, Any], old_spelling: bool) -> None:
    page = parse_goods_page(response(inner, old_spelling=old_spelling), partner="jd",
                            base_url=BASE)
    assert page.records == [] and page.is_last


def test_error_envelope_raises() -> None:
    with pytest.raises(PartnerAPIError) as err:
        parse_goods_page(load("error_response.json"), partner="jd", base_url=BASE)
    assert (err.value.code, err.value.message) == ("1000", "sign invalid")


# body, expected error code, message fragment
ERRORS: list[tuple[str, dict[str, Any], str, str]] = [
    ("error_response", {"error_response": {"code": "19", "zh_desc": "无效的app_key",
                                           "en_desc": "Invalid app_key"}}, "19", "app_key"),
    ("inner code", response({"code": 403, "message": "无权限"}), "403", "无权限"),
    ("inner code, old spelling", response({"code": "500", "message": "服务异常"},
                                          old_spelling=True), "500", "服务异常"),
    ("outer code", {"jd_union_open_goods_query_response": {"code": "3", "errorMessage": "限流"}},
     "3", "限流"),
    ("payload not JSON", {"jd_union_open_goods_query_response": {"code": "0", "result": "{oops"}},
     "payload", "not JSON"),
    ("payload not an object", {"jd_union_open_goods_query_response": {"code": "0",
                                                                      "result": "[1]"}},
     "payload", "not an object"),
    ("no payload", {"jd_union_open_goods_query_responce": {"code": "0"}}, "envelope",
     "queryResult"),
    ("unknown envelope", {"something_else": {}}, "envelope", "unexpected"),
]


@pytest.mark.parametrize(("case", "body", "code", "fragment"), ERRORS,
                         ids=[e[0] for e in ERRORS])
def test_error_variants_raise(case: str, body: dict[str, Any], code: str, fragment: str) -> None:
    with pytest.raises(PartnerAPIError) as err:
        decode_payload(body)
    assert err.value.code == code, case
    assert fragment in err.value.message


BASE_SKU: dict[str, Any] = {
    "skuId": 1, "skuName": "测试 商品", "materialUrl": "item.jd.com/1.html",
    "priceInfo": {"price": 100.0}, "commissionInfo": {"commissionShare": 5.0},
    "shopInfo": {"shopName": "店", "shopId": 9}, "inOrderCount30Days": 7,
}
START_MS, END_MS = 1763596800000, 1764518399000


def coupons(*entries: Any) -> dict[str, Any]:
    return {"couponInfo": {"couponList": list(entries)}}


def coupon(discount: Any = 20.0, quota: Any = 99.0, **extra: Any) -> dict[str, Any]:
    return {"discount": discount, "quota": quota, "link": "https://coupon.m.jd.com/x?key=k",
            "useStartTime": START_MS, "useEndTime": END_MS, **extra}


WINDOW = (utc(2025, 11, 20), utc(2025, 11, 30, 15, 59, 59))

# overrides, expected [(amount, min_spend, starts_at, ends_at)] or a reject-reason fragment
VARIANTS: list[tuple[str, dict[str, Any], Any]] = [
    ("coupon", coupons(coupon()), [(2000, 9900, *WINDOW)]),
    ("no coupons", coupons(), []),
    ("no couponInfo", {"couponInfo": None}, []),
    ("two coupons kept", coupons(coupon(), coupon(5.0, 0.0)),
     [(2000, 9900, *WINDOW), (500, 0, *WINDOW)]),
    ("duplicate listed once", coupons(coupon(), coupon(isBest=0)), [(2000, 9900, *WINDOW)]),
    ("zero discount skipped", coupons(coupon(0.0)), []),
    ("float noise", coupons(coupon(0.1 + 0.2, 19.9)), [(30, 1990, *WINDOW)]),
    ("second epochs", coupons(coupon(useStartTime=START_MS // 1000,
                                     useEndTime=str(END_MS // 1000))), [(2000, 9900, *WINDOW)]),
    ("open window", coupons(coupon(useStartTime=0, useEndTime=None)),
     [(2000, 9900, None, None)]),
    ("quota missing", coupons(coupon(quota=None)), "coupon without quota"),
    ("discount garbage", coupons(coupon("二十")), "unparseable coupon discount"),
    ("bad coupon time", coupons(coupon(useEndTime="soon")), "bad coupon useEndTime"),
    ("window backwards", coupons(coupon(useStartTime=END_MS, useEndTime=START_MS)),
     "ends before it starts"),
    ("coupon not an object", coupons("x"), "coupon entry is not an object"),
    ("unparseable price", {"priceInfo": {"price": "abc"}}, "unparseable priceInfo.price"),
    ("zero price", {"priceInfo": {"price": 0.0}}, "non-positive priceInfo.price"),
    ("negative price", {"priceInfo": {"price": -1.5}}, "non-positive priceInfo.price"),
    ("missing price", {"priceInfo": {"lowestPrice": 9.9}}, "missing priceInfo.price"),
    ("missing priceInfo", {"priceInfo": None}, "missing priceInfo.price"),
    ("boolean price", {"priceInfo": {"price": True}}, "unparseable priceInfo.price"),
    ("missing title", {"skuName": ""}, "missing skuName"),
    ("missing url", {"materialUrl": ""}, "missing url"),
    ("javascript url", {"materialUrl": "javascript:alert(1)"}, "unsupported url"),
    ("garbage commission", {"commissionInfo": {"commissionShare": "高"}}, "commissionShare"),
    ("garbage sales", {"inOrderCount30Days": "很多"}, "inOrderCount30Days"),
]


@pytest.mark.parametrize(("case", "overrides", "expected"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_sku_variants(case: str, overrides: dict[str, Any], expected: Any) -> None:
    raw = {**BASE_SKU, **overrides}
    (record,) = parse_goods_page(page_of(raw), partner="jd", base_url=BASE).records
    if isinstance(expected, str):
        reject = rejected(record, expected, case)
        assert (reject.raw, reject.external_id) == (raw, "1")
    else:
        assert coupon_terms(record, case) == expected


@pytest.mark.parametrize(("overrides", "field", "value"), [
    ({"priceInfo": {"price": 19.9}}, "price", 1990),
    ({"priceInfo": {"price": 0.1 + 0.2}}, "price", 30),  # str() keeps the float's shortest repr
    ({"priceInfo": {"price": "1899.00", "lowestPrice": 1799.0}}, "list_price", None),
    ({"skuId": None, "itemId": "Zx9_opaque"}, "external_id", "Zx9_opaque"),
    ({"materialUrl": "https://item.jd.com/1.html"}, "url", "https://item.jd.com/1.html"),
    ({"materialUrl": "//item.jd.com/1.html"}, "url", "https://item.jd.com/1.html"),
    ({"materialUrl": "127.0.0.1:8900/jd/item/1"}, "url", "https://127.0.0.1:8900/jd/item/1"),
    ({"imageInfo": {"imageList": []}, "whiteImage": "img14.360buyimg.com/w.jpg"}, "image_url",
     "https://img14.360buyimg.com/w.jpg"),
    ({"imageInfo": None}, "image_url", None),
    ({"categoryInfo": {"cid1Name": "家电", "cid2Name": "", "cid3Name": "冰箱"}}, "category",
     "家电/冰箱"),
    ({"categoryInfo": None}, "category", None),
    ({"shopInfo": None}, "shop_id", None),
    ({"owner": "g"}, "platform", "京东自营"),
    ({"owner": "p"}, "platform", "京东"),
    ({"commissionInfo": {"commissionShare": "20"}}, "commission_bp", 2000),
    ({"commissionInfo": None}, "commission_bp", None),
    ({"inOrderCount30Days": None}, "sales", None),
    ({"brandName": " "}, "brand", None),
])
def test_field_variants(overrides: dict[str, Any], field: str, value: Any) -> None:
    record = parse_goods({**BASE_SKU, **overrides}, partner="jd", base_url=BASE)
    assert getattr(record, field) == value


@pytest.mark.parametrize(("value", "bp"), [
    (15.0, 1500), (1.0, 100), ("0.5", 50), (12.345, 1235), (None, None), ("", None)])
def test_commission_share_percent(value: object, bp: int | None) -> None:
    assert parse_commission_share(value) == bp


def test_garbage_commission_share_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_commission_share("n/a")


@pytest.mark.parametrize(("value", "url"), [
    ("item.jd.com/1.html", "https://item.jd.com/1.html"),
    ("item.jd.com", "https://item.jd.com"),
    ("u.jd.com/abc?x=1", "https://u.jd.com/abc?x=1"),
    ("http://127.0.0.1:8900/jd/1", "http://127.0.0.1:8900/jd/1"),
    ("//coupon.m.jd.com/x", "http://coupon.m.jd.com/x"),  # scheme-relative: the feed's scheme
    ("", None),
])
def test_material_url(value: str, url: str | None) -> None:
    assert material_url(value, "http://127.0.0.1:8900/jd/routerjson") == url


def test_non_object_entry_is_rejected_and_the_page_goes_on() -> None:
    page = parse_goods_page(page_of(7, BASE_SKU), partner="jd", base_url=BASE)
    bad, good = page.records
    assert isinstance(bad, RejectRecord) and bad.raw == {"value": 7}
    assert isinstance(good, OfferRecord) and good.external_id == "1"


def test_garbage_total_only_loses_the_estimate() -> None:
    page = parse_goods_page(page_of(BASE_SKU, totalCount="many"), partner="jd", base_url=BASE)
    assert page.total is None and len(page.records) == 1
