"""Deterministic sandbox rows of an Awin product feed (CSV, often gzip).

Rows are dicts in ``COLUMNS`` order, values exactly as the CSV holds them:
decimal GBP strings, ``in_stock`` "1"/"0", an ``ean`` printed in its native
length, padded to 13 or 14 digits, or left empty. Titles and descriptions carry
commas and double quotes, so the CSV needs proper quoting. ``aw_deep_link``
points at the sandbox's ``/awin/click`` (``{host}`` is filled in per request);
``merchant_deep_link`` names the shop's own site under the reserved ``.example``
domain, since nothing fetches it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
from typing import Any

from crawlers.sandbox.draws import between, pick
from crawlers.sandbox.records import HOST_PLACEHOLDER as HOST
from crawlers.sandbox.records import generate
from crawlers.sandbox.uk import UkProduct, identity, pounds, title
from crawlers.sandbox.uk_taxonomy import MERCHANTS_BY_GROUP

PUBLISHER_ID = "123456"  # data/partners.toml: partners.awin.publisher_id
FEED = "awin"  # the identity namespace GMC mirrors
COLUMNS = (
    "aw_deep_link", "product_name", "aw_product_id", "merchant_product_id",
    "merchant_image_url", "description", "merchant_category", "search_price",
    "store_price", "rrp_price", "currency", "delivery_cost", "merchant_deep_link",
    "brand_name", "ean", "in_stock", "merchant_name", "merchant_id", "last_updated",
)  # fmt: skip
DELIVERY_COSTS = ("0", "0.00", "2.99", "3.99", "3.99", "4.95", "")
DEFECTS = ("price_empty", "price_text", "name_missing", "short_row")
SHORT_ROW_DROPS = 6  # trailing fields missing from a "short_row"
# (share of titles up to this form, form); GMC words its titles differently.
TITLES = (
    (0.4, "{brand} {model} {noun} - {variant}"),
    (0.6, '{noun} "{model}", {variant}'),
    (0.8, "{brand} {noun} {model}, {variant}"),
    (1.0, "{brand} {model} {noun} ({variant})"),
)

# Sentences per merchant group; some carry commas and quotes on purpose.
DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "outdoor": (
        "Lightweight, breathable and built for long days on the fells.",
        'Rated "Best Buy" by Trail Weekly.',
        "Fully taped seams, recycled fabrics.",
        "Tested in the Lake District, all year round.",
    ),
    "electricals": (
        "2-year manufacturer's warranty.",
        "Includes a USB-C cable; plug sold separately.",
        'Winner of "Best Value" at the Home Tech Awards.',
        "Energy-efficient, quiet and easy to clean.",
    ),
    "home": (
        "Machine washable at 40°C.",
        'Part of our "Heritage" collection, designed in Yorkshire.',
        "Dishwasher safe, oven safe to 200°C.",
        "Soft, durable and made to last.",
    ),
    "beauty": (
        "Dermatologically tested, suitable for sensitive skin.",
        'Vegan, cruelty-free and "Leaping Bunny" approved.',
        "Fragrance notes: citrus, cedar, musk.",
        "Recyclable packaging.",
    ),
    "pets": (
        "Complete, balanced nutrition for every life stage.",
        'Vet-approved, "no nasties" recipe.',
        "Low dust, long lasting, easy to scoop.",
        "Removable, washable cover.",
    ),
    "sports": (
        "Non-slip, sweat-resistant finish.",
        'Chosen by "Runner\'s Digest" as a top pick.',
        "Adjustable fit, lightweight shell.",
        "Ideal for home workouts, gyms and studios.",
    ),
    "baby": (
        "BPA free, easy to clean.",
        '99% water, "kind to skin" formula.',
        "Suitable from birth.",
        "Fits most standard steriliser units.",
    ),
    "food": (
        "Roasted in small batches in Bristol.",
        'Rainforest Alliance certified, "smooth and rich".',
        "Resealable bag keeps it fresh.",
        "Great with milk, or without.",
    ),
}


def awin_products(
    *, seed: int, size: int, today: dt.date, bad_every: int = 0
) -> list[dict[str, str]]:
    """``size`` feed rows; a smaller feed is a prefix of a larger one (same seed)."""
    rng = random.Random(f"awin:{seed}")
    base = _id_base(seed)

    def row(index: int) -> dict[str, str]:
        product = identity(seed, FEED, index)
        return _row(rng, product, aw_id=base + index * 7 + between(rng, 0, 6), today=today)

    return generate(size, row, spoil=spoiled, defects=DEFECTS, bad_every=bad_every)


def _id_base(seed: int) -> int:
    digest = hashlib.blake2b(f"awin-id:{seed}".encode(), digest_size=4).digest()
    return 30_000_000_000 + int.from_bytes(digest) % 9_000 * 1_000_000


def _row(rng: random.Random, product: UkProduct, *, aw_id: int, today: dt.date) -> dict[str, str]:
    line = product.line
    merchant, merchant_id, _, stem = pick(rng, MERCHANTS_BY_GROUP[line.group])
    search, store, rrp = _prices(rng, product.pence)
    updated = (today - dt.timedelta(days=between(rng, 0, 6))).isoformat()
    sku = product.sku
    return {
        "aw_deep_link": f"http://{HOST}/awin/click?p={aw_id}&a={PUBLISHER_ID}&m={merchant_id}",
        "product_name": title(rng, product, TITLES),
        "aw_product_id": str(aw_id),
        "merchant_product_id": sku,
        "merchant_image_url": f"http://{HOST}/img/uk-{product.gtin14}.png",
        "description": _description(rng, line.group),
        "merchant_category": line.awin_category,
        "search_price": pounds(search),
        "store_price": pounds(store),
        "rrp_price": pounds(rrp) if rrp else "",
        "currency": "GBP",
        "delivery_cost": pick(rng, DELIVERY_COSTS),
        "merchant_deep_link": f"https://www.{stem}.example/p/{sku.lower()}",
        "brand_name": line.brand,
        "ean": _ean(rng, product),
        "in_stock": "1" if rng.random() < 0.88 else "0",
        "merchant_name": merchant,
        "merchant_id": str(merchant_id),
        "last_updated": f"{updated} {between(rng, 6, 22):02d}:{between(rng, 0, 59):02d}:00",
    }


def _prices(rng: random.Random, list_pence: int) -> tuple[int, int, int | None]:
    """(search_price, store_price, rrp_price or None), search <= store <= rrp."""
    search = list_pence
    if rng.random() < 0.4:  # on sale
        search = max(99, int(list_pence * rng.uniform(0.65, 0.95)) // 100 * 100 - 1)
    store = search if rng.random() < 0.7 else list_pence
    roll = rng.random()
    if roll < 0.45:
        return search, store, None
    rrp = list_pence if roll < 0.85 else list_pence + max(100, list_pence // 1000 * 100)
    return search, store, max(rrp, store)


def _description(rng: random.Random, group: str) -> str:
    if rng.random() < 0.05:
        return ""
    options = DESCRIPTIONS[group]
    first = int(rng.random() * len(options))
    if rng.random() < 0.5:
        return options[first]
    return f"{options[first]} {options[(first + 1) % len(options)]}"


def _ean(rng: random.Random, product: UkProduct) -> str:
    roll = rng.random()
    if roll < 0.1:
        return ""
    if roll < 0.25:
        return product.gtin14
    if roll < 0.35:
        return product.gtin.zfill(13)
    return product.gtin


def spoiled(row: dict[str, str], defect: str) -> dict[str, str]:
    """A copy of ``row`` broken the way ``defect`` says."""
    bad = dict(row)
    if defect == "price_empty":
        bad.update(search_price="", store_price="", rrp_price="")
    elif defect == "price_text":
        bad["search_price"] = "N/A"
    elif defect == "name_missing":
        bad["product_name"] = ""
    else:  # short_row: the trailing fields are missing altogether
        for column in COLUMNS[-SHORT_ROW_DROPS:]:
            del bad[column]
    return bad


def to_csv(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> bytes:
    """The CSV file: a header, then each row's values in order (short rows stay short)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(row.values() for row in rows)
    return buffer.getvalue().encode()
