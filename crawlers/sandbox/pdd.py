"""Deterministic sandbox goods in the raw Pinduoduo ``pdd.ddk.goods.search`` format.

Records carry the fields of ``goods_list`` entries as PDD sends them: fen
integers, per-mille ``promotion_rate``, unix-second coupon windows and the
"10万+" style ``sales_tip``. Three extra keys real responses also have or that
the parser reads when present: ``opt_id``, ``mall_id`` and ``mobile_url`` (a
click URL pointing at the sandbox's own goods page, so demo clicks stay local).
URLs carry the ``{host}`` placeholder the server fills in per request.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import hashlib
import random
from functools import lru_cache
from typing import Any

from crawlers.sandbox.catalog import PRODUCT_LINES, price_fen, zh_title
from crawlers.sandbox.coupons import (
    EXHAUSTED,
    MIN_ABOVE_PRICE,
    NICE_MINIMUMS,
    STATE_TABLE,
    TOTAL_COUNTS,
    day_epoch,
    window_days,
)
from crawlers.sandbox.draws import between, pick
from crawlers.sandbox.records import HOST_PLACEHOLDER as HOST
from crawlers.sandbox.records import generate
from crawlers.sandbox.taxonomy import SHOP_NICKS, Brand, Category

# Category key → (category_name, opt_name, opt_id): PDD's own top-level names and tags.
PDD_TAGS: dict[str, tuple[str, str, int]] = {
    "beauty": ("美妆", "彩妆", 16),
    "skincare": ("美妆", "护肤", 1469),
    "digital": ("数码", "手机配件", 1543),
    "snacks": ("食品", "休闲零食", 1),
    "cleaning": ("日用百货", "纸品湿巾", 15),
    "pets": ("宠物", "宠物用品", 1917),
    "apparel": ("女装", "女装", 14),
    "sports": ("运动户外", "运动鞋服", 1451),
    "home": ("家纺", "床上用品", 818),
    "baby": ("母婴", "尿裤湿巾", 4),
    "appliances": ("电器", "厨房电器", 18),
    "drinks": ("食品", "咖啡冲调", 3279),
}
CATEGORY_BY_OPT_ID = {opt_id: key for key, (_, _, opt_id) in PDD_TAGS.items()}
TITLE_PREFIXES = ("【百亿补贴】", "【拼团价】", "【券后】", "【官方正品】", "【顺丰包邮】")
MALL_SUFFIXES = ("旗舰店", "专营店", "品牌店")
SMALL_MALL_SUFFIXES = ("的小店", "百货", "优选", "生活馆")
COUPON_AMOUNTS = (2, 3, 5, 10, 15, 20, 30, 50, 100)  # yuan
GROUP_TAILS = (90, 90, 90, 80, 50, 0, 99)  # fen: "19.9" is the classic PDD price

# Broken records a partner really sends now and then, cycled in this order.
DEFECTS = (
    "price_not_a_number",
    "price_in_yuan",
    "name_missing",
    "price_negative",
    "coupon_min_missing",
)

# base64 without its two symbols: PDD signs are letters and digits (and "_J").
_ALNUM = bytes.maketrans(b"+/", b"eK")


def pdd_goods(*, seed: int, size: int, today: dt.date, bad_every: int = 0) -> list[dict[str, Any]]:
    """``size`` raw goods; a smaller catalog is a prefix of a larger one (same seed).

    Every ``bad_every``-th record (when > 0) is spoiled with one of ``DEFECTS``;
    spoiling draws nothing from the RNG, so good records never depend on it.
    """
    rng = random.Random(f"pdd:{seed}")

    def goods(index: int) -> dict[str, Any]:
        return _goods(rng, today=today)

    return generate(size, goods, spoil=spoiled, defects=DEFECTS, bad_every=bad_every)


def _goods(rng: random.Random, *, today: dt.date) -> dict[str, Any]:
    category, brand, product = pick(rng, PRODUCT_LINES)
    sign = goods_sign(rng)
    group = _group_price(rng, price_fen(rng, product))
    normal = group + max(100, round(group * rng.uniform(0.1, 0.6) / 100) * 100)
    mall = _mall_name(rng, brand, category)
    category_name, opt_name, opt_id = PDD_TAGS[category.key]
    record: dict[str, Any] = {
        "goods_sign": sign,
        "goods_name": zh_title(rng, brand, product, prefixes=TITLE_PREFIXES, prefix_share=0.2),
        "goods_image_url": f"http://{HOST}/img/pdd-{sign}.png",
        "mall_name": mall,
        "min_group_price": group,
        "min_normal_price": normal,
    }
    record.update(_coupon(rng, group_price=group, today=today))
    low, high = category.commission
    record["promotion_rate"] = between(rng, low // 10, high // 10)
    record["sales_tip"] = sales_tip(int(10 ** rng.uniform(0.5, 5.9)))
    record.update(category_name=category_name, opt_name=opt_name, opt_id=opt_id)
    record["mall_id"] = _mall_id(mall)
    record["mobile_url"] = f"http://{HOST}/pdd/goods.html?goods_sign={sign}"
    return record


def goods_sign(rng: random.Random) -> str:
    """An opaque id like PDD's ``goods_sign``: two alphanumeric runs joined by ``_J``."""
    head = base64.b64encode(rng.getrandbits(120).to_bytes(15, "big")).translate(_ALNUM)
    tail = base64.b64encode(rng.getrandbits(96).to_bytes(12, "big")).translate(_ALNUM)
    return f"{head.decode()}_J{tail.decode()}"


def _group_price(rng: random.Random, shelf_fen: int) -> int:
    # PDD group-buy prices sit well under the Tmall shelf price.
    yuan = max(1, round(shelf_fen / 100 * rng.uniform(0.45, 0.85)))
    return max(1, yuan - 1) * 100 + pick(rng, GROUP_TAILS)


def _mall_name(rng: random.Random, brand: Brand, category: Category) -> str:
    roll = rng.random()
    if roll < 0.45:
        return f"{brand.name}官方旗舰店"
    if roll < 0.65:
        return brand.name + pick(rng, MALL_SUFFIXES)
    return pick(rng, SHOP_NICKS) + category.shop_word + pick(rng, SMALL_MALL_SUFFIXES)


@lru_cache(maxsize=4096)
def _mall_id(mall: str) -> int:
    digest = hashlib.blake2b(mall.encode(), digest_size=5).digest()
    return 100_000_000 + int.from_bytes(digest) % 900_000_000


def _coupon(rng: random.Random, *, group_price: int, today: dt.date) -> dict[str, Any]:
    if rng.random() >= 0.6:
        return {"has_coupon": False, "coupon_discount": 0, "coupon_min_order_amount": 0}
    state = pick(rng, STATE_TABLE)
    price_yuan = group_price // 100
    fitting = bisect.bisect_right(COUPON_AMOUNTS, price_yuan // 3)
    discount = COUPON_AMOUNTS[int(rng.random() * fitting)] if fitting else 1
    minimum = _minimum(rng, price_yuan, discount, above=state == MIN_ABOVE_PRICE)
    start, end = window_days(rng, state=state, today=today)
    total = pick(rng, TOTAL_COUNTS)
    return {
        "has_coupon": True,
        "coupon_discount": discount * 100,
        "coupon_min_order_amount": minimum * 100,
        "coupon_start_time": day_epoch(start, end_of_day=False),
        "coupon_end_time": day_epoch(end, end_of_day=True),
        "coupon_remain_quantity": 0 if state == EXHAUSTED else between(rng, 1, total),
        "coupon_total_quantity": total,
    }


def _minimum(rng: random.Random, price_yuan: int, discount: int, *, above: bool) -> int:
    if above:
        first_above = bisect.bisect_right(NICE_MINIMUMS, price_yuan)
        return NICE_MINIMUMS[first_above] if first_above < len(NICE_MINIMUMS) else price_yuan * 2
    if rng.random() < 0.2:
        return 0  # 无门槛
    low = bisect.bisect_right(NICE_MINIMUMS, discount)  # first minimum above the discount
    high = bisect.bisect_right(NICE_MINIMUMS, price_yuan)  # past the last one <= the price
    return NICE_MINIMUMS[low + int(rng.random() * (high - low))] if high > low else 0


def sales_tip(sold: int) -> str:
    """PDD's wording of a sales count: "10万+", "1.2万", "3000+" or the plain number."""
    if sold >= 100_000:
        return "10万+"
    if sold >= 10_000:
        return f"{sold / 10_000:.1f}".removesuffix(".0") + "万"
    if sold >= 1_000:
        return f"{sold // 1000 * 1000}+"
    return str(sold)


def spoiled(record: dict[str, Any], defect: str) -> dict[str, Any]:
    """A copy of ``record`` broken the way ``defect`` says."""
    bad = dict(record)
    if defect == "price_not_a_number":
        bad["min_group_price"] = "abc"
    elif defect == "price_in_yuan":
        bad["min_group_price"] = f"{record['min_group_price'] / 100:.1f}"
    elif defect == "name_missing":
        del bad["goods_name"]
    elif defect == "price_negative":
        bad["min_group_price"] = -record["min_group_price"]
    else:  # coupon_min_missing: a coupon whose minimum spend is unknown
        bad.update(has_coupon=True, coupon_discount=bad["coupon_discount"] or 300)
        bad.pop("coupon_min_order_amount", None)
    return bad
