"""Every network's catalog, each generated on first use and kept.

``--awin-items 100000`` costs seconds to generate; nobody should wait for it
when they only crawl PDD, so each network is a separate ``Lazy``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from crawlers.sandbox.awin import COLUMNS as AWIN_COLUMNS
from crawlers.sandbox.awin import awin_products, malformed_rows, to_csv
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
            rows = malformed_rows(rows, spoiled_awin_row, defects)
        return to_csv(AWIN_COLUMNS, rows)

    def promotions_csv(self, malformed: bool) -> bytes:
        rows = self.promotions.get()
        if malformed:
            rows = malformed_rows(rows, spoiled_promotion, ("date_garbled", "short_row"))
        return to_csv(PROMOTION_COLUMNS, rows)

    def gmc_xml(self, malformed: bool) -> bytes:
        return to_xml(self._gmc_items(malformed))

    def gmc_tsv(self, malformed: bool) -> bytes:
        return to_tsv(self._gmc_items(malformed))

    def _gmc_items(self, malformed: bool) -> Rows:
        items = self.gmc.get().rows
        if malformed:
            items = malformed_rows(items, spoiled_gmc_item, ("price_not_a_number", "id_missing"))
        return items


def build_catalogs(config: SandboxConfig, today: dt.date) -> Catalogs:
    seed, bad = config.seed, config.bad_every

    def awin() -> RowIndex:
        rows = awin_products(seed=seed, size=config.awin_items, today=today, bad_every=bad)
        return RowIndex(rows, "aw_product_id")

    def gmc() -> RowIndex:
        items = gmc_items(seed=seed, size=config.gmc_items, today=today, bad_every=bad)
        return RowIndex(items, "g:id")

    return Catalogs(
        pdd=Lazy(
            lambda: PddFeed(pdd_goods(seed=seed, size=config.pdd_items, today=today, bad_every=bad))
        ),
        jd=Lazy(
            lambda: JdFeed(jd_goods(seed=seed, size=config.jd_items, today=today, bad_every=bad))
        ),
        awin=Lazy(awin),
        promotions=Lazy(
            lambda: awin_promotions(
                seed=seed, size=config.awin_promotions, today=today, bad_every=bad
            )
        ),
        gmc=Lazy(gmc),
        shop=Lazy(
            lambda: shop_products(seed=seed, size=config.shop_items, today=today, bad_every=bad)
        ),
    )


MERCHANT_NAMES = {str(merchant_id): name for name, merchant_id, _, _ in MERCHANTS}
