"""What a "buy" on a sandbox product page costs: the product read from its catalog record.

The commission rate is the one the catalog advertises (Taobao ``commission_rate`` in
1/10000, PDD ``promotion_rate`` per mille, JD ``commissionShare`` percent); Awin's feed
carries none, so its merchants pay a flat ``AWIN_RATE_BP``. A record the catalog spoiled
on purpose (no price, no title) cannot be bought: ``product_of`` gives None and the
page shows no button.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from crawlers.sandbox.orders import Product

AWIN_RATE_BP = 500  # 5%: a common Awin commission group


def product_of(network: str, raw: Mapping[str, Any] | None) -> Product | None:
    if raw is None or network not in _READERS:
        return None
    try:
        return _READERS[network](raw)
    except (InvalidOperation, KeyError, TypeError, ValueError, AttributeError):
        return None


def _checked(product: Product) -> Product:
    if not product.item_id or not product.title or product.price <= 0:
        raise ValueError("not for sale")
    if not 0 <= product.rate_bp <= 10_000:
        raise ValueError("bad commission rate")
    return product


def _minor(value: object) -> int:
    return int((Decimal(str(value)) * 100).to_integral_value())


def _taobao(raw: Mapping[str, Any]) -> Product:
    return _checked(Product(str(raw["item_id"]), str(raw["title"]),
                            _minor(raw["zk_final_price"]), int(raw["commission_rate"]), "CNY"))


def _pdd(raw: Mapping[str, Any]) -> Product:
    return _checked(Product(str(raw["goods_sign"]), str(raw["goods_name"]),
                            int(raw["min_group_price"]), int(raw["promotion_rate"]) * 10, "CNY"))


def _jd(raw: Mapping[str, Any]) -> Product:
    share = Decimal(str(raw["commissionInfo"]["commissionShare"]))
    return _checked(Product(str(raw["skuId"]), str(raw["skuName"]),
                            _minor(raw["priceInfo"]["price"]), int(share * 100), "CNY"))


def _awin(raw: Mapping[str, Any]) -> Product:
    return _checked(Product(str(raw["aw_product_id"]), str(raw["product_name"]),
                            _minor(raw["search_price"]), AWIN_RATE_BP,
                            str(raw.get("currency") or "GBP")))


_READERS = {"taobao": _taobao, "pdd": _pdd, "jd": _jd, "awin": _awin}
