"""The Taobao catalog generator, and the Chinese product draws PDD, JD and the shop share.

``taobao_items`` returns records exactly as ``taobao.tbk.dg.material.optional``
sends them (strings where Taobao sends strings, keys missing where Taobao
leaves them out), so spiders and parsers are exercised against the real shape.
URLs carry the placeholder ``{host}``; the server replaces it per request so
the same catalog works behind any host and port.

``PRODUCT_LINES``, ``zh_title`` and ``price_fen`` turn taxonomy.py's brands and
products into a seller's title and shelf price; the PDD, JD and shop generators
(pdd.py, jd.py, shop.py) draw theirs with them too. The UK networks have their
own generators (awin.py, awin_vouchers.py, gmc.py). catalog_registry.py holds
the built catalogs of the networks besides Taobao.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
import re
from functools import lru_cache
from typing import Any

from crawlers.sandbox.coupons import coupon_fields
from crawlers.sandbox.draws import between, pick
from crawlers.sandbox.records import HOST_PLACEHOLDER, generate
from crawlers.sandbox.taxonomy import (
    CATEGORIES,
    SHOP_NICKS,
    TITLE_PREFIXES,
    TMALL_SHOP_SUFFIXES,
    Brand,
    Category,
    Product,
)

# Malformed records a partner really sends now and then, cycled in this order.
DEFECTS = ("price_not_a_number", "price_empty", "title_missing", "price_negative")

# Cent tails of Chinese shelf prices: mostly whole yuan or ".90".
_PRICE_TAILS = (0, 0, 0, 90, 90, 80, 50, 99)
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{2,120}")
_NUMERIC_ID_SHARE = 0.1  # older feeds send a plain number as item_id

# Every (category, brand, product line): one draw instead of three per item.
PRODUCT_LINES: tuple[tuple[Category, Brand, Product], ...] = tuple(
    (category, brand, product)
    for category in CATEGORIES
    for brand in category.brands
    for product in category.products
)


def taobao_items(
    *, seed: int, size: int, today: dt.date, bad_every: int = 0
) -> list[dict[str, Any]]:
    """``size`` raw Taobao records; the same arguments always give the same list.

    Records are drawn one after another from one RNG, so a smaller catalog is a
    prefix of a larger one with the same seed. When ``bad_every`` > 0 every
    ``bad_every``-th record is spoiled (see ``DEFECTS``); spoiling draws nothing
    from the RNG, so the good records do not depend on ``bad_every``.
    """
    rng = random.Random(seed)
    numeric_base = _numeric_id_base(seed)

    def item(index: int) -> dict[str, Any]:
        return _item(rng, index=index, numeric_base=numeric_base, today=today)

    return generate(size, item, spoil=spoiled, defects=DEFECTS, bad_every=bad_every)


def click_token(item_id: str | int) -> str:
    """The opaque ``e=`` value of an item's click and coupon URLs."""
    return base64.urlsafe_b64encode(str(item_id).encode()).decode().rstrip("=")


def item_id_from_token(token: str) -> str | None:
    """Reverse of ``click_token``; None when ``token`` is not one of ours."""
    # b64decode silently skips foreign characters, so check the alphabet first.
    if not _TOKEN_RE.fullmatch(token):
        return None
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def _item(rng: random.Random, *, index: int, numeric_base: int, today: dt.date) -> dict[str, Any]:
    category, brand, product = pick(rng, PRODUCT_LINES)
    item_id = _item_id(rng, index=index, numeric_base=numeric_base)
    price = price_fen(rng, product)
    reserve = _reserve_fen(rng, price)
    record: dict[str, Any] = {
        "item_id": item_id,
        "title": zh_title(rng, brand, product),
        "pict_url": f"//{HOST_PLACEHOLDER}/img/{item_id}.png",
    }
    if rng.random() < 0.8:
        extra = range(1, between(rng, 2, 4))
        record["small_images"] = {
            "string": [f"//{HOST_PLACEHOLDER}/img/{item_id}.{n}.png" for n in extra]
        }
    record["reserve_price"] = _price_text(rng, reserve)
    record["zk_final_price"] = _price_text(rng, price)
    record.update(coupon_fields(rng, price_yuan=price // 100, today=today))
    record.update(_seller_fields(rng, category, brand))
    token = click_token(item_id)
    record["url"] = f"//{HOST_PLACEHOLDER}/click?e={token}"
    if record.get("coupon_info"):
        record["coupon_share_url"] = f"//{HOST_PLACEHOLDER}/coupon?e={token}"
    return record


def _numeric_id_base(seed: int) -> int:
    digest = hashlib.blake2b(f"numeric:{seed}".encode(), digest_size=4).digest()
    return 520_000_000_000 + int.from_bytes(digest) % 50_000 * 1_000_000


def _item_id(rng: random.Random, *, index: int, numeric_base: int) -> str | int:
    if rng.random() < _NUMERIC_ID_SHARE:
        # index * 7 + [0, 6] never collides within one catalog.
        return numeric_base + index * 7 + between(rng, 0, 6)
    # 248 random bits: collisions are out of reach even for millions of items.
    raw = rng.getrandbits(248).to_bytes(31, "big")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def zh_title(
    rng: random.Random,
    brand: Brand,
    product: Product,
    *,
    prefixes: tuple[str, ...] = TITLE_PREFIXES,
    prefix_share: float = 0.06,
) -> str:
    """A seller's title: brand, product noun, one or two attributes and a spec."""
    words = [product.noun, *pick_attributes(rng, product.attributes), pick(rng, product.specs)]
    # Most sellers space the words; some run them together.
    title = f"{brand.name} {' '.join(words)}" if rng.random() < 0.8 else brand.name + "".join(words)
    if rng.random() < prefix_share:
        title = pick(rng, prefixes) + title
    return title


def pick_attributes(rng: random.Random, options: tuple[str, ...]) -> tuple[str, ...]:
    # One or two distinct attributes; cheaper than rng.sample on the hot path.
    first = int(rng.random() * len(options))
    if len(options) < 2 or rng.random() < 0.5:
        return (options[first],)
    second = (first + 1 + int(rng.random() * (len(options) - 1))) % len(options)
    return options[first], options[second]


def price_fen(rng: random.Random, product: Product) -> int:
    return between(rng, product.low, product.high) * 100 + pick(rng, _PRICE_TAILS)


def _reserve_fen(rng: random.Random, price: int) -> int:
    if rng.random() < 0.2:
        return price  # no markdown: list price equals the sale price
    marked_up = price * (1 + rng.uniform(0.05, 0.8))
    return int(marked_up // 100 + 1) * 100 + pick(rng, (0, 0, 90))


def _price_text(rng: random.Random, fen: int) -> str:
    yuan, cents = divmod(fen, 100)
    # Taobao mixes "567.0" and "567.00" even within one record.
    if cents % 10 == 0 and rng.random() < 0.35:
        return f"{yuan}.{cents // 10}"
    return f"{yuan}.{cents:02d}"


def _seller_fields(rng: random.Random, category: Category, brand: Brand) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.5:
        shop, user_type = f"{brand.name}官方旗舰店", 1
    elif roll < 0.7:
        shop, user_type = brand.name + pick(rng, TMALL_SHOP_SUFFIXES), 1
    else:
        shop, user_type = pick(rng, SHOP_NICKS) + category.shop_word, 0
    low, high = category.commission
    rate = between(rng, low, high)
    volume = 0 if rng.random() < 0.03 else int(10 ** rng.uniform(0, 5.2))
    fields: dict[str, Any] = {
        "commission_rate": str(rate - rate % 10),
        "user_type": user_type,
        "volume": volume,
        "shop_title": shop,
    }
    if rng.random() < 0.92:  # seller_id is missing from some records
        fields["seller_id"] = _seller_id(shop)
    fields["category_name"] = category.taobao_name
    return fields


@lru_cache(maxsize=4096)
def _seller_id(shop: str) -> int:
    # One id per shop name, so the same shop keeps its id across items.
    digest = hashlib.blake2b(shop.encode(), digest_size=6).digest()
    return 2_000_000_000_000_000 + int.from_bytes(digest) % 200_000_000_000_000


def spoiled(item: dict[str, Any], defect: str) -> dict[str, Any]:
    """A copy of ``item`` broken the way ``defect`` says."""
    bad = dict(item)
    if defect == "price_not_a_number":
        bad["zk_final_price"] = "abc"
    elif defect == "price_empty":
        bad["zk_final_price"] = ""
        bad["reserve_price"] = ""
    elif defect == "title_missing":
        del bad["title"]
    else:  # price_negative
        bad["zk_final_price"] = f"-{bad['zk_final_price']}"
    return bad
