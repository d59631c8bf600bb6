"""Which picture to draw for an ``/img/<name>.png`` request; images.py draws it.

Names are ``<id>`` for Taobao items and ``<network>-<id>`` for the others
(``pdd-``, ``jd-``, ``shop-``, ``uk-<gtin14>`` for Awin and GMC products, so the
same product gets the same picture in both feeds). The category picks the
shape; the brand gives the badge and caption. Unknown ids get a generic image.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from crawlers.sandbox.catalog_registry import Catalogs
from crawlers.sandbox.jd import CATEGORY_BY_CIDS
from crawlers.sandbox.pdd import CATEGORY_BY_OPT_ID
from crawlers.sandbox.taxonomy import (
    CATEGORIES,
    CATEGORY_BY_TAOBAO_NAME,
    Brand,
    Category,
    find_brand,
)
from crawlers.sandbox.uk import product_from_gtin

Labels = dict[str, str]
_BY_KEY = {category.key: category for category in CATEGORIES}


def image_labels(name: str, *, catalogs: Catalogs, taobao: Mapping[str, dict[str, Any]]) -> Labels:
    prefix, _, rest = name.partition("-")
    finder = _FINDERS.get(prefix) if rest else None
    if finder is not None:
        return finder(rest, catalogs)
    item = taobao.get(name)
    if item is None:
        return {}
    category = CATEGORY_BY_TAOBAO_NAME.get(str(item.get("category_name", "")))
    return _labels(category, str(item.get("title") or ""))


def _labels(category: Category | None, title: str) -> Labels:
    brand = find_brand(category, title)
    labels = {"category": category.key} if category else {}
    if brand:
        labels.update(initials=brand.initials, caption=brand.latin)
    return labels


def _pdd(sign: str, catalogs: Catalogs) -> Labels:
    goods = catalogs.pdd.get().by_sign.get(sign)
    if goods is None:
        return {}
    category = _BY_KEY.get(CATEGORY_BY_OPT_ID.get(goods.get("opt_id"), ""))  # type: ignore[arg-type]
    return _labels(category, str(goods.get("goods_name") or ""))


def _jd(sku: str, catalogs: Catalogs) -> Labels:
    goods = catalogs.jd.get().by_sku.get(sku)
    if goods is None:
        return {}
    info = goods.get("categoryInfo") or {}
    key = CATEGORY_BY_CIDS.get((str(info.get("cid1Name")), str(info.get("cid2Name"))), "")
    return _labels(_BY_KEY.get(key), str(goods.get("skuName") or ""))


def _shop(product_id: str, catalogs: Catalogs) -> Labels:
    product = catalogs.shop_product(int(product_id)) if product_id.isdigit() else None
    if product is None:
        return {}
    return _labels(_BY_KEY.get(product["category"]), str(product["name"]))


def _uk(gtin: str, catalogs: Catalogs) -> Labels:
    product = product_from_gtin(gtin)
    if product is None:
        return {}
    brand = Brand(product.line.brand, product.line.brand)
    return {"category": product.line.shape, "initials": brand.initials, "caption": brand.latin}


_FINDERS: dict[str, Callable[[str, Catalogs], Labels]] = {
    "pdd": _pdd,
    "jd": _jd,
    "shop": _shop,
    "uk": _uk,
}
