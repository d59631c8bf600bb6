"""The generated Taobao catalog: every shape the real feed uses, deterministically."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest

from crawlers.sandbox.catalog import DEFECTS, click_token, item_id_from_token, taobao_items

UTC8 = dt.timezone(dt.timedelta(hours=8))
TODAY = dt.date(2026, 11, 20)
DAY_START = dt.datetime(2026, 11, 20, tzinfo=UTC8)
DAY_END = DAY_START + dt.timedelta(days=1)

THRESHOLD_RE = re.compile(r"^满(\d+)元减(\d+)元$")
THRESHOLD_DECIMAL_RE = re.compile(r"^满(\d+\.\d)元减(\d+\.\d)元$")
NO_THRESHOLD_RE = re.compile(r"^(\d+)元无条件券$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WALL_CLOCK_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
EPOCH_MS_RE = re.compile(r"^\d{13}$")


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    return taobao_items(seed=42, size=600, today=TODAY)


@pytest.fixture(scope="module")
def coupons(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for item in items if item.get("coupon_info")]


def coupon_time(text: str, *, end: bool) -> dt.datetime:
    """Parse the three coupon time forms the way a spider must (UTC+8 wall clock)."""
    if EPOCH_MS_RE.match(text):
        return dt.datetime.fromtimestamp(int(text) / 1000, tz=dt.UTC)
    if DATE_RE.match(text):
        day = dt.datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC8)
        return day + dt.timedelta(days=1) if end else day  # a date covers the whole day
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC8)


def coupon_minimum(item: dict[str, Any]) -> Decimal:
    info = item["coupon_info"]
    match = THRESHOLD_RE.match(info) or THRESHOLD_DECIMAL_RE.match(info)
    return Decimal(match.group(1)) if match else Decimal(0)


def price(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def test_same_arguments_give_identical_items() -> None:
    first = taobao_items(seed=7, size=300, today=TODAY, bad_every=13)
    assert first == taobao_items(seed=7, size=300, today=TODAY, bad_every=13)


def test_different_seed_gives_different_items() -> None:
    first = taobao_items(seed=7, size=50, today=TODAY)
    other = taobao_items(seed=8, size=50, today=TODAY)
    assert {str(i["item_id"]) for i in first}.isdisjoint(str(i["item_id"]) for i in other)
    assert [i.get("title") for i in first] != [i.get("title") for i in other]


def test_smaller_catalog_is_a_prefix_and_bad_rows_do_not_shift_good_ones() -> None:
    big = taobao_items(seed=3, size=200, today=TODAY)
    assert taobao_items(seed=3, size=50, today=TODAY) == big[:50]
    spoiled = taobao_items(seed=3, size=200, today=TODAY, bad_every=10)
    differing = [i for i, (a, b) in enumerate(zip(big, spoiled, strict=True)) if a != b]
    assert differing == list(range(9, 200, 10))


def test_item_ids_are_unique_opaque_strings_or_old_numbers(items: list[dict[str, Any]]) -> None:
    ids = [item["item_id"] for item in items]
    assert len({str(i) for i in ids}) == len(ids)
    numbers = [i for i in ids if isinstance(i, int)]
    opaque = [i for i in ids if isinstance(i, str)]
    assert 0.04 < len(numbers) / len(ids) < 0.2
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{30,}", i) for i in opaque)


def test_records_have_the_taobao_shape(items: list[dict[str, Any]]) -> None:
    for item in items:
        assert item["title"] and item["shop_title"] and item["category_name"]
        assert item["commission_rate"].isdigit()
        assert item["user_type"] in (0, 1) and isinstance(item["volume"], int)
        assert isinstance(item.get("seller_id", 0), int)
        assert Decimal(item["reserve_price"]) >= Decimal(item["zk_final_price"]) > 0
        host_root = "//{host}/"
        assert item["pict_url"] == f"{host_root}img/{item['item_id']}.png"
        assert item["url"] == f"{host_root}click?e={click_token(item['item_id'])}"
        assert ("coupon_share_url" in item) == bool(item.get("coupon_info"))
        for url in item.get("small_images", {}).get("string", []):
            assert url.startswith(f"{host_root}img/")
    assert {item["user_type"] for item in items} == {0, 1}
    assert any("seller_id" not in item for item in items)
    assert any(item["shop_title"].endswith("官方旗舰店") for item in items)
    assert any("small_images" not in item for item in items)
    assert len({item["category_name"] for item in items}) >= 12


def test_prices_mix_decimal_forms(items: list[dict[str, Any]]) -> None:
    texts = [item[key] for item in items for key in ("reserve_price", "zk_final_price")]
    assert any(re.fullmatch(r"\d+\.00", t) for t in texts)  # "599.00"
    assert any(re.fullmatch(r"\d+\.0", t) for t in texts)  # "567.0"
    assert any(re.fullmatch(r"\d+\.[1-9]0", t) for t in texts)  # "89.90"
    assert any(re.fullmatch(r"\d+\.[1-9]", t) for t in texts)  # "59.9"


def test_every_coupon_wording_occurs(items: list[dict[str, Any]]) -> None:
    with_fields = [i for i in items if THRESHOLD_RE.match(i.get("coupon_info", ""))]
    assert with_fields and all(
        i["coupon_amount"].isdigit() and i["coupon_start_fee"].isdigit() for i in with_fields
    )
    text_only = [i for i in items if THRESHOLD_DECIMAL_RE.match(i.get("coupon_info", ""))]
    assert text_only and all("coupon_amount" not in i for i in text_only)
    assert any(NO_THRESHOLD_RE.match(i.get("coupon_info", "")) for i in items)
    assert any(i.get("coupon_info") == "" for i in items)
    assert any("coupon_info" not in i for i in items)


def test_every_coupon_time_form_occurs(coupons: list[dict[str, Any]]) -> None:
    for pattern in (DATE_RE, WALL_CLOCK_RE, EPOCH_MS_RE):
        assert any(pattern.match(c["coupon_start_time"]) for c in coupons)
        assert any(pattern.match(c["coupon_end_time"]) for c in coupons)
    for c in coupons:
        assert coupon_time(c["coupon_start_time"], end=False) < coupon_time(
            c["coupon_end_time"], end=True
        )


def test_coupons_that_cannot_apply_today_occur(coupons: list[dict[str, Any]]) -> None:
    assert any(coupon_time(c["coupon_end_time"], end=True) <= DAY_START for c in coupons)
    assert any(coupon_time(c["coupon_start_time"], end=False) >= DAY_END for c in coupons)
    assert any(c["coupon_remain_count"] == 0 for c in coupons)
    assert any(coupon_minimum(c) > Decimal(c["zk_final_price"]) for c in coupons)


def test_valid_coupons_mostly_end_well_after_today(coupons: list[dict[str, Any]]) -> None:
    valid = [
        c
        for c in coupons
        if coupon_time(c["coupon_start_time"], end=False) <= DAY_START
        and coupon_time(c["coupon_end_time"], end=True) >= DAY_END
        and c["coupon_remain_count"] > 0
        and coupon_minimum(c) <= Decimal(c["zk_final_price"])
    ]
    assert len(valid) > len(coupons) / 2
    two_weeks_on = DAY_END + dt.timedelta(days=14)
    far = [c for c in valid if coupon_time(c["coupon_end_time"], end=True) > two_weeks_on]
    assert len(far) > 0.8 * len(valid)


def test_bad_every_spoils_rows_in_each_realistic_way() -> None:
    items = taobao_items(seed=42, size=97 * 8, today=TODAY, bad_every=97)
    bad = [items[i] for i in range(96, len(items), 97)]
    assert len(bad) == 8 == 2 * len(DEFECTS)
    prices = [b["zk_final_price"] for b in bad]
    assert "abc" in prices and "" in prices
    assert any(price(p) is not None and price(p) < 0 for p in prices)
    assert any("title" not in b for b in bad)
    good = [item for i, item in enumerate(items) if (i + 1) % 97]
    assert all(item.get("title") and price(item["zk_final_price"]) for item in good)


def test_click_tokens_round_trip() -> None:
    for item_id in ("nJp20jwiMtOamMdHAMbc0tP-MwP4rkSVpzP5BjYTRb", 520000000123):
        assert item_id_from_token(click_token(item_id)) == str(item_id)
    assert item_id_from_token("%%%") is None


def test_hundred_thousand_items_build() -> None:
    items = taobao_items(seed=1, size=100_000, today=TODAY, bad_every=97)
    assert len(items) == 100_000
    assert len({str(item["item_id"]) for item in items}) == 100_000
