"""Deterministic sandbox goods in the raw JD Union ``jd.union.open.goods.query`` format.

Each record is one ``data[]`` entry as JD sends it: integer ``skuId``, float
yuan prices, a scheme-less ``materialUrl``, ms-epoch coupon windows and a
percent ``commissionShare``. Most items with coupons carry several: a threshold
coupon, often a small no-threshold one and sometimes an expired one; ``isBest``
marks the largest discount usable today, as JD does. One extra key real records
have: ``owner`` ("g" JD's own stock, "p" a POP shop). URLs carry ``{host}``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from functools import lru_cache
from typing import Any

from crawlers.sandbox.catalog import PRODUCT_LINES, price_fen, zh_title
from crawlers.sandbox.coupons import (
    EXPIRED,
    MIN_ABOVE_PRICE,
    NICE_MINIMUMS,
    NOT_STARTED,
    STATE_TABLE,
    VALID,
    day_epoch,
    window_days,
)
from crawlers.sandbox.draws import between, pick
from crawlers.sandbox.records import HOST_PLACEHOLDER as HOST
from crawlers.sandbox.records import generate
from crawlers.sandbox.taxonomy import Brand

# Category key → (cid1Name, cid2Name); cid3Name is the product's own noun.
JD_CATEGORIES: dict[str, tuple[str, str]] = {
    "beauty": ("美妆护肤", "香水彩妆"),
    "skincare": ("美妆护肤", "面部护肤"),
    "digital": ("手机通讯", "手机配件"),
    "snacks": ("食品饮料", "休闲食品"),
    "cleaning": ("家庭清洁/纸品", "纸品湿巾"),
    "pets": ("宠物生活", "宠物主粮"),
    "apparel": ("服饰内衣", "女装"),
    "sports": ("运动户外", "运动鞋包"),
    "home": ("家纺", "床品套件"),
    "baby": ("母婴", "尿裤湿巾"),
    "appliances": ("家用电器", "厨房小电"),
    "drinks": ("食品饮料", "冲调饮品"),
}
CATEGORY_BY_CIDS = {names: key for key, names in JD_CATEGORIES.items()}
NO_THRESHOLD_DISCOUNTS = (2, 3, 5, 10, 20)  # yuan
POP_SUFFIXES = ("旗舰店", "专卖店", "京东自营专区")

DEFECTS = (
    "price_not_a_number",
    "price_missing",
    "name_missing",
    "price_negative",
    "coupon_quota_missing",
)


def jd_goods(*, seed: int, size: int, today: dt.date, bad_every: int = 0) -> list[dict[str, Any]]:
    """``size`` raw goods; a smaller catalog is a prefix of a larger one (same seed)."""
    rng = random.Random(f"jd:{seed}")
    base = _sku_base(seed)

    def goods(index: int) -> dict[str, Any]:
        return _goods(rng, sku=base + index * 10 + between(rng, 0, 9), today=today)

    return generate(size, goods, spoil=spoiled, defects=DEFECTS, bad_every=bad_every)


def _sku_base(seed: int) -> int:
    digest = hashlib.blake2b(f"jd-sku:{seed}".encode(), digest_size=4).digest()
    return 100_000_000_000 + int.from_bytes(digest) % 80_000 * 10_000_000


def _goods(rng: random.Random, *, sku: int, today: dt.date) -> dict[str, Any]:
    category, brand, product = pick(rng, PRODUCT_LINES)
    price = price_fen(rng, product)
    coupons = _coupons(rng, sku=sku, price=price, today=today)
    cid1, cid2 = JD_CATEGORIES[category.key]
    low, high = category.commission
    share = between(rng, low, high) // 10 / 10  # 1/10000 → percent with one decimal
    images = range(between(rng, 1, 3))
    return {
        "skuId": sku,
        "skuName": zh_title(rng, brand, product, prefix_share=0.0),
        "materialUrl": f"{HOST}/jd/item/{sku}.html",
        "brandName": brand.name,
        "categoryInfo": {"cid1Name": cid1, "cid2Name": cid2, "cid3Name": product.noun},
        "imageInfo": {"imageList": [{"url": _image(sku, n)} for n in images]},
        "priceInfo": _price_info(rng, price, coupons),
        "couponInfo": {"couponList": coupons},
        "commissionInfo": {
            "commission": round(price * share / 10_000, 2),
            "commissionShare": share,
        },
        **_shop_fields(rng, brand),
        "inOrderCount30Days": int(10 ** rng.uniform(0.3, 5.5)),
    }


def _image(sku: int, n: int) -> str:
    return f"http://{HOST}/img/jd-{sku}.png" if n == 0 else f"http://{HOST}/img/jd-{sku}.{n}.png"


def _price_info(rng: random.Random, price: int, coupons: list[dict[str, Any]]) -> dict[str, float]:
    if rng.random() < 0.3:
        return {"price": price / 100}
    lowest = price if rng.random() < 0.6 else price - max(100, price // 1000 * 50)
    best = next((c for c in coupons if c["isBest"]), None)
    after = lowest
    if best and best["quota"] * 100 <= lowest:
        after -= round(best["discount"] * 100)
    return {"price": price / 100, "lowestPrice": lowest / 100, "lowestCouponPrice": after / 100}


def _coupons(rng: random.Random, *, sku: int, price: int, today: dt.date) -> list[dict[str, Any]]:
    if rng.random() < 0.35:
        return []
    price_yuan = price // 100
    state = pick(rng, STATE_TABLE)
    quota = _quota(rng, price_yuan, above=state == MIN_ABOVE_PRICE)
    discount = max(1, min(quota - 1, round(quota * rng.uniform(0.05, 0.3))))
    coupons = [_coupon(rng, sku, quota, discount, state=state, today=today)]
    if rng.random() < 0.5:
        small = pick(rng, NO_THRESHOLD_DISCOUNTS[: max(1, price_yuan // 20)])
        coupons.append(_coupon(rng, sku, 0, small, state=VALID, today=today))
    if rng.random() < 0.3:
        coupons.append(_coupon(rng, sku, quota, discount * 2, state=EXPIRED, today=today))
    usable = [c for c in coupons if c.pop("_usable") and c["quota"] <= price_yuan]
    if usable:
        max(usable, key=lambda c: c["discount"])["isBest"] = 1
    return coupons


def _quota(rng: random.Random, price_yuan: int, *, above: bool) -> int:
    under = [m for m in NICE_MINIMUMS if m <= price_yuan]
    if above:
        return next((m for m in NICE_MINIMUMS if m > price_yuan), price_yuan * 2)
    if not under:
        return max(price_yuan, 2)
    return under[-1] if rng.random() < 0.7 else pick(rng, under)


def _coupon(
    rng: random.Random, sku: int, quota: int, discount: int, *, state: str, today: dt.date
) -> dict[str, Any]:
    start, end = window_days(rng, state=state, today=today)
    key = hashlib.blake2b(f"{sku}:{quota}:{discount}:{start}".encode(), digest_size=6).hexdigest()
    return {
        "discount": float(discount),
        "quota": float(quota),
        "link": f"http://{HOST}/jd/item/{sku}.html?coupon={key}",
        "useStartTime": day_epoch(start, end_of_day=False) * 1000,
        "useEndTime": day_epoch(end, end_of_day=True) * 1000,
        "isBest": 0,
        # JD sends no remaining count, so an "exhausted" coupon is indistinguishable
        # from a valid one: only the window decides.
        "_usable": state not in (EXPIRED, NOT_STARTED),
    }


def _shop_fields(rng: random.Random, brand: Brand) -> dict[str, Any]:
    if rng.random() < 0.4:
        shop, owner = f"{brand.name}京东自营旗舰店", "g"
    else:
        shop, owner = brand.name + pick(rng, POP_SUFFIXES), "p"
    return {"shopInfo": {"shopName": shop, "shopId": _shop_id(shop)}, "owner": owner}


@lru_cache(maxsize=4096)
def _shop_id(shop: str) -> int:
    digest = hashlib.blake2b(shop.encode(), digest_size=5).digest()
    return 1_000_000_000 + int.from_bytes(digest) % 100_000_000


def spoiled(record: dict[str, Any], defect: str) -> dict[str, Any]:
    """A copy of ``record`` broken the way ``defect`` says (nested parts copied too)."""
    bad = dict(record)
    price_info = dict(record.get("priceInfo") or {})
    if defect == "price_not_a_number":
        bad["priceInfo"] = {**price_info, "price": "abc"}
    elif defect == "price_missing":
        bad.pop("priceInfo", None)
    elif defect == "name_missing":
        bad.pop("skuName", None)
    elif defect == "price_negative":
        bad["priceInfo"] = {**price_info, "price": -float(price_info.get("price") or 1.0)}
    else:  # coupon_quota_missing
        coupons = [dict(c) for c in (record.get("couponInfo") or {}).get("couponList") or []]
        if not coupons:
            coupons = [{"discount": 5.0, "useStartTime": 0, "useEndTime": 0, "isBest": 0}]
        coupons[0].pop("quota", None)
        bad["couponInfo"] = {"couponList": coupons}
    return bad
