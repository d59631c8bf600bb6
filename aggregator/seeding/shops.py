"""Who sells the seeded offers: which partners take part, their shops and advertisers.

Chinese partners (CNY) sell through brand flagship stores and small shops; Awin
sells through UK advertisers, which also publish merchant-wide vouchers. Merchant
Center feeds and shop pages name no shop, as their parsers do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aggregator.seeding.brands import BRANDS
from aggregator.seeding.lines import CN, LINES, RARE_LINES, UK

# Share of a market's offers each network lists (relative weights).
NETWORK_WEIGHTS = {"taobao": 40, "pdd": 25, "jd": 25, "html": 10, "awin": 70, "gmc": 30}
VOUCHER_NETWORK = "awin_vouchers"
FLAGSHIP_SHARE = 0.45  # offers sold by the brand's own store rather than a reseller

_FLAGSHIP = {"taobao": ("{}官方旗舰店", "天猫"), "pdd": ("{}官方旗舰店", "拼多多"),
             "jd": ("{}京东自营官方旗舰店", "京东自营")}
_RESELLER_PLATFORM = {"taobao": "淘宝", "pdd": "拼多多", "jd": "京东"}
_ID_BASE = {"taobao": 2_200_000_000, "pdd": 600_000, "jd": 1_000_000}
_SHOP_NAMES = ("小鹿", "橙子", "北极星", "木棉", "青柠", "星河", "云朵", "麦田")
_SHOP_KINDS = ("数码专营店", "美妆小铺", "百货店", "生活馆", "母婴专营店", "运动户外店")
ADVERTISERS: tuple[tuple[str, str], ...] = (
    ("1599", "Currys"), ("2547", "Argos"), ("2041", "Boots"), ("1203", "John Lewis"),
    ("3412", "AO.com"), ("3090", "Very"), ("4019", "JD Sports"), ("2082", "Lookfantastic"),
    ("2685", "Superdrug"), ("5133", "Sports Direct"), ("6218", "Selfridges"),
    ("7301", "Richer Sounds"),
)


@dataclass(frozen=True, slots=True)
class Shop:
    external_id: str
    name: str
    platform: str | None


@dataclass(frozen=True, slots=True)
class Seller:
    """A partner that lists seeded offers."""

    slug: str
    network: str
    currency: str
    market: str
    weight: int
    reliability_bp: int
    hosts: tuple[str, ...]


@dataclass(frozen=True)
class ShopBook:
    """One network's shops: the brands' flagship stores and a pool of resellers."""

    flagships: dict[str, Shop] = field(default_factory=dict)  # brand key -> shop
    resellers: tuple[Shop, ...] = ()

    def all(self) -> list[Shop]:
        return [*self.flagships.values(), *self.resellers]


def market_of(currency: str) -> str:
    return CN if currency.upper() == "CNY" else UK


def _market_brands(market: str) -> list[str]:
    keys = {b for line in (*LINES[market], *RARE_LINES[market]) for b in line.brands}
    return sorted(keys)


def shop_book(network: str) -> ShopBook:
    """The shops a network's seeded offers name (none for feeds that name no shop)."""
    if network == "awin":
        return ShopBook(resellers=tuple(Shop(ext, name, None) for ext, name in ADVERTISERS))
    if network not in _FLAGSHIP:
        return ShopBook()
    pattern, platform = _FLAGSHIP[network]
    base = _ID_BASE[network]
    flagships = {key: Shop(str(base + i), pattern.format(BRANDS[key].zh), platform)
                 for i, key in enumerate(_market_brands(CN), start=1)}
    names = [a + b for b in _SHOP_KINDS for a in _SHOP_NAMES]
    resellers = tuple(Shop(str(base + 500 + i), name, _RESELLER_PLATFORM[network])
                      for i, name in enumerate(names, start=1))
    return ShopBook(flagships=flagships, resellers=resellers)
