"""The registry of built catalogs: every network's but Taobao's, each generated on first use.

The generators live in one module per network (pdd.py, jd.py, awin.py,
awin_vouchers.py, gmc.py, shop.py; Taobao's in catalog.py, built with the app).
``--awin-items 100000`` costs seconds to generate; nobody should wait for it
when they only crawl PDD, so each network is a separate ``Lazy``. ``Catalogs``
also renders the file feeds (CSV, XML, TSV) from the rows it holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from crawlers.sandbox.awin import COLUMNS as AWIN_COLUMNS
from crawlers.sandbox.awin import awin_products, to_csv
from crawlers.sandbox.awin import spoiled as spoiled_awin_row
from crawlers.sandbox.awin_vouchers import COLUMNS as PROMOTION_COLUMNS
from crawlers.sandbox.awin_vouchers import awin_promotions
from crawlers.sandbox.awin_vouchers import spoiled as spoiled_promotion
from crawlers.sandbox.config import SandboxConfig
from crawlers.sandbox.gmc import gmc_items, to_tsv, to_xml
from crawlers.sandbox.gmc import spoiled as spoiled_gmc_item
from crawlers.sandbox.jd import jd_goods
from crawlers.sandbox.jd_api import JdFeed
from crawlers.sandbox.lazy import Lazy
from crawlers.sandbox.pdd import pdd_goods
from crawlers.sandbox.pdd_api import PddFeed
from crawlers.sandbox.records import Spoil, spoil_some
from crawlers.sandbox.shop import FIRST_ID, shop_products
from crawlers.sandbox.uk_taxonomy import MERCHANTS

Rows = list[dict[str, Any]]


class RowIndex:
    """Rows plus a lookup by one column, built on the first lookup only."""

    def __init__(self, rows: Rows, key: str) -> None:
        self.rows = rows
        self._key = key

    @cached_property
    def _by_key(self) -> dict[str, dict[str, Any]]:
        return {str(row.get(self._key)): row for row in self.rows}

    def find(self, value: str) -> dict[str, Any] | None:
        return self._by_key.get(value)


@dataclass(frozen=True, slots=True)
class Catalogs:
    pdd: Lazy[PddFeed]
    jd: Lazy[JdFeed]
    awin: Lazy[RowIndex]  # by aw_product_id
    promotions: Lazy[Rows]
    gmc: Lazy[RowIndex]  # by g:id
    shop: Lazy[Rows]

    def shop_product(self, product_id: int) -> dict[str, Any] | None:
        products = self.shop.get()
        index = product_id - FIRST_ID
        return products[index] if 0 <= index < len(products) else None

    # File templates ({host} still in them); ``malformed`` spoils every fifth record.
    def awin_csv(self, malformed: bool) -> bytes:
        rows = self.awin.get().rows
        if malformed:
            defects = ("price_text", "short_row", "price_empty")
            rows = _malformed_file(rows, spoiled_awin_row, defects)
        return to_csv(AWIN_COLUMNS, rows)

    def promotions_csv(self, malformed: bool) -> bytes:
        rows = self.promotions.get()
        if malformed:
            rows = _malformed_file(rows, spoiled_promotion, ("date_garbled", "short_row"))
        return to_csv(PROMOTION_COLUMNS, rows)

    def gmc_xml(self, malformed: bool) -> bytes:
        return to_xml(self._gmc_items(malformed))

    def gmc_tsv(self, malformed: bool) -> bytes:
        return to_tsv(self._gmc_items(malformed))

    def _gmc_items(self, malformed: bool) -> Rows:
        items = self.gmc.get().rows
        if malformed:
            items = _malformed_file(items, spoiled_gmc_item, ("price_not_a_number", "id_missing"))
        return items


def _malformed_file(rows: Rows, spoil: Spoil[dict[str, Any]], defects: tuple[str, ...]) -> Rows:
    """The rows of a ``fault=malformed`` file: every fifth one spoiled."""
    return spoil_some(rows, spoil, defects, every=5, first=4)


def build_catalogs(config: SandboxConfig, today: dt.date) -> Catalogs:
    def records(generator: Callable[..., Rows], size: int) -> Rows:
        return generator(seed=config.seed, size=size, today=today, bad_every=config.bad_every)

    return Catalogs(
        pdd=Lazy(lambda: PddFeed(records(pdd_goods, config.pdd_items))),
        jd=Lazy(lambda: JdFeed(records(jd_goods, config.jd_items))),
        awin=Lazy(lambda: RowIndex(records(awin_products, config.awin_items), "aw_product_id")),
        promotions=Lazy(lambda: records(awin_promotions, config.awin_promotions)),
        gmc=Lazy(lambda: RowIndex(records(gmc_items, config.gmc_items), "g:id")),
        shop=Lazy(lambda: records(shop_products, config.shop_items)),
    )


MERCHANT_NAMES = {str(merchant_id): name for name, merchant_id, _, _ in MERCHANTS}
