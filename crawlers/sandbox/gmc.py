"""Deterministic Google Merchant Center feed items (RSS 2.0 XML, or TSV) for one UK store.

Items are dicts keyed by their XML tag (``g:id``, ``title`` or ``g:title``, …),
so both spellings the spec allows occur; TSV uses the same names without
``g:``. For product matching, item ``j`` relates to Awin row ``j``
(``relation(j)``): every fourth item is the *same* product (same GTIN and
brand, reworded title, different price) and every twentieth, offset by ten, a
*near variant* (same model in another size, colour or capacity, so another
GTIN). The rest are the store's own products.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from crawlers.sandbox.draws import AHEAD, ENDED, LIVE, WindowDays, pick, weighted, window
from crawlers.sandbox.records import HOST_PLACEHOLDER as HOST
from crawlers.sandbox.records import generate
from crawlers.sandbox.uk import UkProduct, identity, pounds, title
from crawlers.sandbox.uk_taxonomy import GMC_STORE

SAME = "same"
VARIANT = "variant"
OWN = "own"
LONDON = ZoneInfo("Europe/London")
PACIFIC = dt.timezone(dt.timedelta(hours=-7))  # some merchants' tools write -0700
AVAILABILITY = weighted(
    (("in_stock", 14), ("in stock", 2), ("out_of_stock", 2), ("preorder", 1), ("backorder", 1))
)
NO_WINDOW = "none"  # the sale price always applies
SALE_WINDOWS = weighted(((NO_WINDOW, 20), (ENDED, 25), (LIVE, 40), (AHEAD, 15)))
SALE_DAYS = WindowDays(
    ended=((1, 700), (3, 30)), ahead=((1, 30), (3, 30)), live=((0, 30), (2, 1500))
)
# (share of titles up to this form, form); Awin words its titles differently.
TITLES = (
    (0.5, "{brand} {model} {noun} - {variant}"),
    (0.8, "{brand} {noun} {model} {variant}"),
    (1.0, "{model} {noun} by {brand}, {variant}"),
)
TSV_COLUMNS = (
    "id", "title", "description", "link", "image_link", "price", "sale_price",
    "sale_price_effective_date", "availability", "gtin", "mpn", "brand", "condition",
    "google_product_category", "product_type",
)  # fmt: skip
DEFECTS = ("price_not_a_number", "id_missing", "title_missing", "sale_window_garbled")


def relation(index: int) -> str:
    """How GMC item ``index`` relates to Awin row ``index``."""
    if index % 4 == 0:
        return SAME
    if index % 20 == 10:
        return VARIANT
    return OWN


def product_of(seed: int, index: int) -> UkProduct:
    kind = relation(index)
    if kind == SAME:
        return identity(seed, "awin", index)
    if kind == VARIANT:
        return identity(seed, "awin", index).sibling()
    return identity(seed, "gmc", index)


def gmc_items(*, seed: int, size: int, today: dt.date, bad_every: int = 0) -> list[dict[str, str]]:
    """``size`` feed items; a smaller feed is a prefix of a larger one (same seed)."""
    rng = random.Random(f"gmc:{seed}")
    seen_ids: set[str] = set()

    def item(index: int) -> dict[str, str]:
        record = _item(rng, product_of(seed, index), today=today, same=relation(index) == SAME)
        if record["g:id"] in seen_ids:  # the store lists some products twice
            record["g:id"] = f"{record['g:id']}-{index}"
        seen_ids.add(record["g:id"])
        return record

    return generate(size, item, spoil=spoiled, defects=DEFECTS, bad_every=bad_every)


def _item(rng: random.Random, product: UkProduct, *, today: dt.date, same: bool) -> dict[str, str]:
    line, gid = product.line, product.sku
    price = _store_price(rng, product.pence)
    item = {"g:id": gid, _either(rng, "title"): title(rng, product, TITLES)}
    if rng.random() < 0.85:
        noun, variant = line.noun.lower(), product.variant_name
        item["description"] = f"{line.brand} {product.model} {noun}, {variant}."
    item[_either(rng, "link")] = f"http://{HOST}/gmc/item/{gid}"
    item["g:image_link"] = f"http://{HOST}/img/uk-{product.gtin14}.png"
    item["g:price"] = f"{pounds(price)} GBP"
    if rng.random() < 0.35:
        item.update(_sale(rng, price, today))
    item["g:availability"] = pick(rng, AVAILABILITY)
    if same or rng.random() < 0.8:  # shared products always carry their GTIN
        item["g:gtin"] = product.gtin14 if rng.random() < 0.5 else product.gtin
    if rng.random() < 0.6:
        item["g:mpn"] = f"{product.sku.split('-')[0]}{product.key % 100_000:05d}"
    if rng.random() < 0.97:
        item["g:brand"] = line.brand
    if rng.random() < 0.8:
        item["g:condition"] = "new"
    item["g:google_product_category"] = line.google_id if rng.random() < 0.5 else line.google_path
    if rng.random() < 0.6:
        item["g:product_type"] = f"{line.awin_category} > {line.noun}"
    return item


def _either(rng: random.Random, name: str) -> str:
    # RSS's own <title>/<link> mostly; some feeds use the g: namespaced form.
    return name if rng.random() < 0.85 else f"g:{name}"


def _store_price(rng: random.Random, list_pence: int) -> int:
    """The store's own price: near the list price but never equal to it."""
    pence = int(list_pence * rng.uniform(0.88, 1.12)) // 100 * 100 + pick(rng, (99, 0, 49))
    return pence + 100 if pence == list_pence else max(pence, 99)


def _sale(rng: random.Random, price: int, today: dt.date) -> dict[str, str]:
    sale = max(99, int(price * rng.uniform(0.6, 0.9)) // 100 * 100 - 1)
    fields = {"g:sale_price": f"{pounds(sale)} GBP"}
    state = pick(rng, SALE_WINDOWS)
    if state == NO_WINDOW:
        return fields
    start, end = window(rng, today, state, SALE_DAYS)
    zone: dt.tzinfo = PACIFIC if rng.random() < 0.1 else LONDON
    span = f"{_stamp(start, zone)}/{_stamp(end + dt.timedelta(hours=23, minutes=59), zone)}"
    fields["g:sale_price_effective_date"] = span
    return fields


def _stamp(wall: dt.datetime, zone: dt.tzinfo) -> str:
    return wall.replace(tzinfo=zone).strftime("%Y-%m-%dT%H:%M%z")


def spoiled(item: dict[str, str], defect: str) -> dict[str, str]:
    """A copy of ``item`` broken the way ``defect`` says."""
    bad = dict(item)
    if defect == "price_not_a_number":
        bad["g:price"] = "abc GBP"
    elif defect == "id_missing":
        del bad["g:id"]
    elif defect == "title_missing":
        bad.pop("title", None)
        bad.pop("g:title", None)
    else:  # sale_window_garbled
        bad["g:sale_price"] = bad.get("g:sale_price") or bad["g:price"]
        bad["g:sale_price_effective_date"] = "soon/later"
    return bad


def to_xml(items: list[dict[str, Any]]) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">\n<channel>\n'
        f"<title>{_escape(GMC_STORE)}</title>\n<link>http://{HOST}/gmc/</link>\n"
        "<description>Product feed</description>\n"
    ]
    for item in items:
        fields = "".join(f"<{tag}>{_escape(value)}</{tag}>\n" for tag, value in item.items())
        parts.append(f"<item>\n{fields}</item>\n")
    parts.append("</channel>\n</rss>\n")
    return "".join(parts).encode()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_tsv(items: list[dict[str, Any]]) -> bytes:
    """Header of TSV_COLUMNS, one line per item; values never hold tabs or newlines."""
    lines = ["\t".join(TSV_COLUMNS)]
    for item in items:
        lines.append("\t".join(item.get(f"g:{c}", item.get(c, "")) for c in TSV_COLUMNS))
    return ("\n".join(lines) + "\n").encode()
