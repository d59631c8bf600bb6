"""The seeded catalog as a deterministic stream of products, each with its offers.

Pure: the same seed, size, sellers and ``now`` give the same drafts. A product is a
brand + model + variant + colour of one line, listed by 1-4 partners of one market
(as the matcher would group them); its first offer founds it, so the cleanest
title (JD, shop pages, Merchant Center) names the product. Rare lines are slotted in
at evenly spaced positions so they appear a fixed number of times at any size.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate
from typing import Generic, TypeVar

from aggregator.gtin import check_digit
from aggregator.history import Observation
from aggregator.seeding import texts
from aggregator.seeding.brands import BRANDS, Brand
from aggregator.seeding.coupons import offer_coupons
from aggregator.seeding.lines import CN, LINES, RARE_LINES, UK, Line, zipf_weights
from aggregator.seeding.prices import (
    CouponDraft,
    history_times,
    list_price_for,
    log_uniform,
    nice_price,
    observations,
    price_walk,
)
from aggregator.seeding.shops import FLAGSHIP_SHARE, Seller, ShopBook, shop_book
from aggregator.taxonomy import Taxonomy

T = TypeVar("T")

PARTNER_COUNTS = {CN: (45, 27, 17, 11), UK: (65, 35)}  # weights of 1, 2, ... partners
CN_PRODUCT_SHARE = 0.67  # of products; Chinese ones have more partners: ~75% of offers
GTIN_SHARE = {CN: 0.7, UK: 0.95}
GTIN_PREFIX = {CN: "69", UK: "50"}  # GS1 China, GS1 UK
GTIN_NETWORKS = frozenset({"jd", "html", "awin", "gmc"})
MPN_NETWORKS = frozenset({"jd", "awin", "gmc"})
LIST_PRICE_SHARE = {CN: 0.45, UK: 0.35}
OUT_OF_STOCK_SHARE = 0.03
FOUNDER_ORDER = ("jd", "html", "gmc", "taobao", "pdd", "awin")
PRICE_SPREAD = {"taobao": (0.95, 1.05), "pdd": (0.85, 0.98), "jd": (1.0, 1.05),
                "html": (0.95, 1.1), "awin": (0.95, 1.05), "gmc": (0.97, 1.08)}
COMMISSION_BP = {"taobao": (100, 3000), "pdd": (200, 5000), "jd": (100, 2000),
                 "awin": (300, 1200)}
SALES_DECADES = {"taobao": 5.3, "pdd": 5.5, "jd": 5.0}  # others report no sales
RARE_SPACING = 20  # a rare line needs this many offers per appearance in small catalogs


def _founding_order(seller: Seller) -> tuple[int, str]:
    order = FOUNDER_ORDER.index(seller.network) if seller.network in FOUNDER_ORDER else 99
    return order, seller.slug


class Picker(Generic[T]):
    """Weighted choice by bisection (``random.choices`` rebuilds its table each call)."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(accumulate(weights))

    def pick(self, rng: random.Random) -> T:
        return self.items[self.index(rng)]

    def index(self, rng: random.Random) -> int:
        return bisect_right(self.cumulative, rng.random() * self.cumulative[-1])


@dataclass(slots=True)
class OfferDraft:
    seller: Seller
    external_id: str
    parts: tuple[str, ...]  # the title's parts (see aggregator.seeding.keys)
    title: str
    brand: str | None
    category: str
    url: str
    list_price: int | None
    commission_bp: int | None
    sales: int
    in_stock: bool
    gtin: str | None
    mpn: str | None
    shop: str | None  # the shop's external id
    coupons: list[CouponDraft]
    history: list[Observation]  # oldest first; the last is the current price
    raw: dict[str, str]

    @property
    def price(self) -> int:
        return self.history[-1].price

    @property
    def first_seen_at(self) -> datetime:
        return self.history[0].at

    @property
    def updated_at(self) -> datetime:
        return self.history[-1].at


@dataclass(slots=True)
class ProductDraft:
    line: Line
    market: str
    brand_key: str
    model: str
    noun: str
    variant: str
    colour: str
    gtin: str | None
    mpn: str
    image_url: str
    offers: list[OfferDraft]

    @property
    def brand(self) -> Brand:
        return BRANDS[self.brand_key]


@dataclass
class _Rare:
    line: Line
    market: str
    count: int
    done: int = 0

    def due(self, emitted: int, total: int) -> bool:
        return self.done < self.count and (self.done + 0.5) * total / self.count <= emitted


class CatalogGenerator:
    def __init__(self, *, seed: int, offers: int, sellers: Sequence[Seller], now: datetime,
                 sandbox: str, taxonomy: Taxonomy) -> None:
        self.seed, self.total, self.now, self.sandbox = seed, offers, now, sandbox
        self.taxonomy = taxonomy
        self.rng = random.Random(f"daogou-seed:{seed}")
        self.sellers = {m: [s for s in sellers if s.market == m] for m in (CN, UK)}
        markets = [m for m in (CN, UK) if self.sellers[m]]
        if not markets:
            raise ValueError("no partner sells anything: none has a catalog network")
        share = {CN: CN_PRODUCT_SHARE, UK: 1 - CN_PRODUCT_SHARE}
        self.markets = Picker(markets, [share[m] for m in markets])
        self.lines = {m: Picker(LINES[m], zipf_weights(len(LINES[m]))) for m in markets}
        self.rare = [_Rare(line, m, min(line.fixed, offers // RARE_SPACING))
                     for m in markets for line in RARE_LINES[m]]
        self.shops: dict[str, ShopBook] = {s.network: shop_book(s.network) for s in sellers}
        counts = {m: PARTNER_COUNTS[m][:len(self.sellers[m])] for m in markets}
        self.partner_counts = {m: Picker(range(1, len(counts[m]) + 1), counts[m])
                               for m in markets}
        self.categories: dict[tuple[int, str, str], str] = {}
        self.brand_pickers: dict[int, Picker[str]] = {}
        self.offer_seq = 0
        self.product_seq = 0

    def batches(self, size: int) -> Iterator[list[ProductDraft]]:
        """Products in groups of about ``size`` offers (a product never straddles two)."""
        batch: list[ProductDraft] = []
        offers = 0
        for product in self.products():
            batch.append(product)
            offers += len(product.offers)
            if offers >= size:
                yield batch
                batch, offers = [], 0
        if batch:
            yield batch

    def products(self) -> Iterator[ProductDraft]:
        """Exactly ``offers`` offers, rare lines at their slots, the rest drawn by Zipf."""
        emitted = 0
        while emitted < self.total:
            pending = sum(r.count - r.done for r in self.rare)
            rare = next((r for r in self.rare if r.due(emitted, self.total)), None)
            room = self.total - emitted - pending
            if rare is None and room > 0:
                market = self.markets.pick(self.rng)
                product = self._product(self.lines[market].pick(self.rng), market, cap=room)
            else:
                rare = rare or next(r for r in self.rare if r.done < r.count)
                product = self._product(rare.line, rare.market, cap=rare.count - rare.done)
                rare.done += len(product.offers)
            emitted += len(product.offers)
            yield product

    def _gtin(self, market: str) -> str | None:
        if self.rng.random() >= GTIN_SHARE[market]:
            return None
        body = f"{GTIN_PREFIX[market]}{self.rng.randrange(10**10):010d}"  # EAN-13 less its check
        return f"0{body}{check_digit(body)}"  # stored as GTIN-14

    def _product(self, line: Line, market: str, *, cap: int) -> ProductDraft:
        rng = self.rng
        brand_at = self._brand_picker(line).index(rng)
        brand_key = line.brands[brand_at]
        series_at = brand_at if len(line.series) == len(line.brands) else (
            rng.randrange(len(line.series)))
        number = rng.randint(*line.numbers)
        model = line.series[series_at].format(n=number)
        edition_at, variant_at, colour_at = (rng.randrange(len(line.editions)),
                                             rng.randrange(len(line.variants)),
                                             rng.randrange(len(line.colours)))
        self.product_seq += 1
        brand = BRANDS[brand_key]
        product = ProductDraft(
            line=line, market=market, brand_key=brand_key,
            model=f"{model} {line.editions[edition_at]}".strip(), noun=rng.choice(line.nouns),
            variant=line.variants[variant_at], colour=line.colours[colour_at],
            gtin=self._gtin(market),
            mpn=f"{brand.code}{series_at}{number:03d}-{edition_at}{variant_at}{colour_at}",
            image_url=texts.image_url(self.sandbox, code=brand.code, seed=self.seed,
                                      product=self.product_seq),
            offers=[])
        base = int(log_uniform(rng, *line.price) * 100)
        for seller in self._sellers(market, cap):
            product.offers.append(self._offer(product, seller, base))
        return product

    def _brand_picker(self, line: Line) -> Picker[str]:
        """A line's brands, the first most sold (one picker per line, made once)."""
        picker = self.brand_pickers.get(id(line))
        if picker is None:
            picker = self.brand_pickers[id(line)] = Picker(line.brands,
                                                           zipf_weights(len(line.brands)))
        return picker

    def _sellers(self, market: str, cap: int) -> list[Seller]:
        """1-4 distinct partners (weighted), in founding order."""
        pool = list(self.sellers[market])
        wanted = min(self.partner_counts[market].pick(self.rng), cap)
        chosen: list[Seller] = []
        while len(chosen) < wanted:
            draw = self.rng.random() * sum(s.weight for s in pool)
            at = 0
            while draw >= pool[at].weight and at < len(pool) - 1:
                draw -= pool[at].weight
                at += 1
            chosen.append(pool.pop(at))
        return sorted(chosen, key=_founding_order)

    def _category(self, line: Line, seller: Seller) -> str:
        key = (line.taxonomy_id, seller.network, seller.market)
        if key not in self.categories:
            self.categories[key] = texts.category_text(self.taxonomy, line.taxonomy_id,
                                                       seller.network, seller.market)
        return self.categories[key]

    def _shop(self, seller: Seller, brand_key: str) -> str | None:
        book = self.shops[seller.network]
        flagship = book.flagships.get(brand_key)
        if flagship is not None and self.rng.random() < FLAGSHIP_SHARE:
            return flagship.external_id
        return self.rng.choice(book.resellers).external_id if book.resellers else None

    def _title(self, product: ProductDraft,
               seller: Seller) -> tuple[tuple[str, ...], str | None]:
        attribute = self.rng.choice(product.line.attributes)
        if seller.market == CN:
            core = (product.model, product.noun, product.variant, product.colour)
            return texts.chinese_title(self.rng, seller.network, product.brand, core, attribute)
        return texts.english_title(seller.network, product.brand, model=product.model,
                                   noun=product.noun, variant=product.variant,
                                   colour=product.colour, attribute=attribute)

    def _offer(self, product: ProductDraft, seller: Seller, base: int) -> OfferDraft:
        rng, network = self.rng, seller.network
        self.offer_seq += 1
        ext = texts.external_id(network, self.offer_seq)
        low, high = PRICE_SPREAD.get(network, (0.95, 1.05))
        count = rng.randint(3, 8)
        times = history_times(rng, self.now, count)
        prices = price_walk(rng, nice_price(int(base * rng.uniform(low, high)), seller.currency),
                            count, seller.currency)
        coupons = (offer_coupons(rng, external_id=ext, price=prices[-1], times=times,
                                 now=self.now) if seller.market == CN else [])
        shop = self._shop(seller, product.brand_key)
        parts, brand = self._title(product, seller)
        title = " ".join(parts)
        commission = COMMISSION_BP.get(network)
        return OfferDraft(
            seller=seller, external_id=ext, parts=parts, title=title, brand=brand,
            category=self._category(product.line, seller),
            url=texts.item_url_template(network, seller.hosts, self.sandbox).format(
                ext=ext, shop=shop or ""),
            list_price=list_price_for(rng, prices, seller.currency,
                                      LIST_PRICE_SHARE[seller.market]),
            commission_bp=rng.randrange(commission[0], commission[1] + 1, 10)
            if commission else None,
            sales=int(10 ** rng.uniform(0.3, SALES_DECADES[network]))
            if network in SALES_DECADES else 0,
            in_stock=rng.random() >= OUT_OF_STOCK_SHARE,
            gtin=product.gtin if network in GTIN_NETWORKS else None,
            mpn=product.mpn if network in MPN_NETWORKS else None,
            shop=shop, coupons=coupons, history=observations(prices, times, coupons),
            raw=texts.raw_record(network, ext=ext, title=title, price=prices[-1],
                                 seed=self.seed))
