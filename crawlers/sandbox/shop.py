"""A deterministic Chinese web shop for the ``html`` spider (no feed, just pages).

Each product records what its page shows and how the page marks it up:
JSON-LD ``Product`` (most), microdata only, or Open Graph only. Some pages show
a coupon in the text ("满39减5", "店铺券：满39元减5元", "领券立减5元"). Prices
are CNY decimal strings; ``gtin13`` uses GS1 China's 69 prefix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any

from crawlers.sandbox.catalog import PRODUCT_LINES, price_fen, zh_title
from crawlers.sandbox.coupons import NICE_MINIMUMS
from crawlers.sandbox.draws import between, pick, weighted
from crawlers.sandbox.records import HOST_PLACEHOLDER as HOST
from crawlers.sandbox.records import generate
from crawlers.sandbox.uk import with_check_digit

SHOP_NAME = "好物小铺"
FIRST_ID = 1001
JSON_LD = "jsonld"
MICRODATA = "microdata"
OPEN_GRAPH = "og"
MARKUPS = weighted(((JSON_LD, 55), (MICRODATA, 25), (OPEN_GRAPH, 20)))
AVAILABILITY = weighted((("InStock", 17), ("OutOfStock", 2), ("PreOrder", 1)))
COUPON_AMOUNTS = (3, 5, 10, 20, 30, 50)
DEFECTS = ("price_text", "price_missing", "name_missing", "jsonld_broken")


def shop_products(
    *, seed: int, size: int, today: dt.date, bad_every: int = 0
) -> list[dict[str, Any]]:
    """``size`` products with ids from 1001; a smaller shop is a prefix of a larger one."""
    rng = random.Random(f"shop:{seed}")
    gtin_offset = int.from_bytes(hashlib.blake2b(f"shop:{seed}".encode(), digest_size=5).digest())

    def product(index: int) -> dict[str, Any]:
        record = _product(rng, FIRST_ID + index, today=today)
        if rng.random() < 0.9:
            body = (index * 7_919_393 + gtin_offset) % 10**10
            record["gtin13"] = with_check_digit(f"69{body:010d}")
        return record

    return generate(size, product, spoil=spoiled, defects=DEFECTS, bad_every=bad_every)


def _product(rng: random.Random, product_id: int, *, today: dt.date) -> dict[str, Any]:
    category, brand, line = pick(rng, PRODUCT_LINES)
    price = price_fen(rng, line)
    was = price + between(rng, 1, 8) * 1000 if rng.random() < 0.5 else None
    valid_until = today + dt.timedelta(days=between(rng, 30, 400))
    return {
        "id": product_id,
        "name": zh_title(rng, brand, line, prefix_share=0.0),
        "brand": brand.name,
        "category": category.key,
        "category_name": category.name,
        "sku": f"HW-{category.key[:3].upper()}-{product_id}",
        "gtin13": "",
        "price": _yuan(price),
        "list_price": _yuan(was) if was else "",
        "currency": "CNY",
        "availability": pick(rng, AVAILABILITY),
        "price_valid_until": valid_until.isoformat() if rng.random() < 0.7 else "",
        "markup": pick(rng, MARKUPS),
        "coupon": _coupon_text(rng, price // 100),
        "description": f"{brand.name}{line.noun}，{pick(rng, line.attributes)}，{SHOP_NAME}精选。",
        "image": f"http://{HOST}/img/shop-{product_id}.png",
        "url": f"http://{HOST}/shop/item/{product_id}",
    }


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _coupon_text(rng: random.Random, price_yuan: int) -> str:
    roll = rng.random()
    if roll >= 0.4:
        return ""
    amount = pick(rng, [a for a in COUPON_AMOUNTS if a * 4 <= price_yuan] or [1])
    if roll < 0.1:
        return f"领券立减{amount}元"
    under = [m for m in NICE_MINIMUMS if amount < m <= price_yuan] or [max(price_yuan, amount + 1)]
    minimum = under[-1] if rng.random() < 0.6 else pick(rng, under)
    return f"满{minimum}减{amount}" if roll < 0.25 else f"店铺券：满{minimum}元减{amount}元"


def spoiled(product: dict[str, Any], defect: str) -> dict[str, Any]:
    """A copy of ``product`` whose page is broken the way ``defect`` says."""
    bad = dict(product)
    if defect == "price_text":
        bad["price"] = "面议"
    elif defect == "price_missing":
        bad["price"] = ""
    elif defect == "name_missing":
        bad["name"] = ""
    else:  # jsonld_broken: the script block is cut off mid-object
        bad["markup"] = JSON_LD
        bad["broken_jsonld"] = True
    return bad
