"""What a seeded offer says, written the way each network writes it.

Titles: Taobao sellers lead with shop talk (【官方正品】) and no brand field, PDD adds
【百亿补贴】, JD writes "华为HUAWEI …" with brandName "华为（HUAWEI）", shop pages and
English feeds are plainer. Categories are the strings each parser stores (a Taobao-like
"唇妆/口红", a Merchant Center Google path, an Awin merchant category), mapped to the
taxonomy by ``aggregator.taxonomy`` exactly as ingest maps them.
"""

from __future__ import annotations

import random
from functools import lru_cache
from urllib.parse import urlsplit

from aggregator.seeding.brands import Brand
from aggregator.seeding.lines import CN
from aggregator.taxonomy import Taxonomy

_TAOBAO_PREFIXES = ("【官方正品】", "【顺丰速发】", "【旗舰店】", "2025新款")
_SUFFIXES = ("包邮", "正品保障", "官方旗舰", "现货速发")
_PDD_PREFIX = "【百亿补贴】"
# Where each network's item pages live; the first whose host the partner allows wins,
# else the sandbox's own item pages (the demo partners allow 127.0.0.1).
_ITEM_URLS = {
    "taobao": ("https://uland.taobao.com/item/edetail?id={ext}",
               "https://s.click.taobao.com/t?e=seed-{ext}"),
    "pdd": ("https://mobile.yangkeduo.com/goods.html?goods_id={ext}",),
    "jd": ("https://item.jd.com/{ext}.html",),
    "awin": ("https://www.awin1.com/pclick.php?p={ext}&a=123456&m={shop}",),
}
_SANDBOX_PATHS = {"taobao": "/click?e={ext}", "pdd": "/pdd/goods.html?goods_sign={ext}",
                  "jd": "/jd/item/{ext}.html", "awin": "/awin/click?p={ext}",
                  "gmc": "/gmc/item/{ext}", "html": "/shop/item/{ext}"}
_COUPON_URLS = {
    "taobao": "https://uland.taobao.com/coupon/edetail?itemId={ext}",
    "pdd": "https://mobile.yangkeduo.com/duo_coupon_landing.html?goods_id={ext}",
    "jd": "https://coupon.m.jd.com/coupons/show.action?key={ext}",
}
# External id number ranges, one per network, so ids look like that network's.
_ID_BASES = {"taobao": 600_000_000_000, "pdd": 300_000_000_000, "jd": 100_000_000_000,
             "awin": 30_000_000_000}


Parts = tuple[str, ...]  # a title is its parts joined by single spaces


def _parts(*parts: str) -> Parts:
    return tuple(p for p in parts if p)


def _maybe(rng: random.Random, share: float, choices: tuple[str, ...]) -> str:
    return rng.choice(choices) if rng.random() < share else ""


def chinese_title(rng: random.Random, network: str, brand: Brand,
                  core: tuple[str, ...], attribute: str) -> tuple[Parts, str | None]:
    """(title parts, brand field) of a Chinese offer; ``core``: model, noun, variant, colour."""
    if network == "taobao":
        lead = brand.taobao_name() if rng.random() < 0.4 else brand.zh
        return _parts(_maybe(rng, 0.35, _TAOBAO_PREFIXES), lead, *core, attribute,
                      _maybe(rng, 0.3, _SUFFIXES)), None
    if network == "pdd":
        return _parts(_maybe(rng, 0.45, (_PDD_PREFIX,)), brand.zh, *core, attribute), brand.zh
    if network == "jd":
        lead = brand.zh + brand.en if brand.bilingual else brand.zh
        return _parts(lead, *core, attribute), brand.jd_name()
    return _parts(brand.zh, *core), brand.zh


def english_title(network: str, brand: Brand, *, model: str, noun: str, variant: str,
                  colour: str, attribute: str) -> tuple[Parts, str]:
    """(title parts, brand field) of an English offer."""
    if network == "gmc":  # "Sony Headphones WH-1000XM5, Black, 128GB"
        tail = _parts(model, colour, variant)
        return (brand.en, noun, *(p + "," for p in tail[:-1]), tail[-1]), brand.en
    return _parts(brand.en, model, noun, variant, "-" if colour else "", colour,
                  f"({attribute})" if attribute else ""), brand.en


def category_text(taxonomy: Taxonomy, node_id: int, network: str, market: str) -> str:
    """The category string the network's parser would store for this node."""
    path = taxonomy.path(node_id)
    if network == "gmc":
        return " > ".join(n.name_en for n in path)
    if market != CN:
        return path[-1].name_en
    if network == "jd":
        return "/".join(n.name_zh for n in path[-3:])
    if network == "html":
        return " > ".join(n.name_zh for n in path)
    return "/".join(n.name_zh for n in path[-2:])


def external_id(network: str, seq: int) -> str:
    if network in _ID_BASES:
        return str(_ID_BASES[network] + seq)
    return f"SKU-{seq:08d}" if network == "gmc" else str(100_000 + seq)


def _allowed(template: str, hosts: tuple[str, ...]) -> bool:
    return (urlsplit(template).hostname or "") in hosts


@lru_cache(maxsize=64)
def item_url_template(network: str, hosts: tuple[str, ...], sandbox: str) -> str:
    """The partner's item pages ("{ext}", "{shop}" to fill): on one of the partner's
    allowed hosts when it can be."""
    for template in _ITEM_URLS.get(network, ()):
        if _allowed(template, hosts):
            return template
    path = _SANDBOX_PATHS.get(network, "/item/{ext}")
    if _allowed(sandbox, hosts) or not hosts:
        return sandbox + path
    return f"https://{hosts[0]}{path}"


@lru_cache(maxsize=64)
def coupon_url_template(network: str, hosts: tuple[str, ...]) -> str | None:
    """The partner's coupon pages ("{ext}" to fill), if it has them on an allowed host."""
    template = _COUPON_URLS.get(network)
    return template if template and _allowed(template, hosts) else None


def image_url(sandbox: str, *, code: str, seed: int, product: int) -> str:
    """A picture the sandbox draws (any unknown name gets one; it shows the name's first
    two letters, here the brand's code)."""
    return f"{sandbox}/img/{code}-{seed}-{product}.png"


def money_text(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def raw_record(network: str, *, ext: str, title: str, price: int, seed: int) -> dict[str, str]:
    """A small stand-in for the partner's record, marked as seeded."""
    keys = {"taobao": ("item_id", "title", "zk_final_price"),
            "pdd": ("goods_sign", "goods_name", "min_group_price"),
            "jd": ("skuId", "skuName", "price"),
            "awin": ("aw_product_id", "product_name", "search_price"),
            "gmc": ("id", "title", "price")}.get(network, ("id", "name", "price"))
    return {keys[0]: ext, keys[1]: title, keys[2]: money_text(price), "seeded": str(seed)}


def voucher_url(hosts: tuple[str, ...], sandbox: str) -> str | None:
    """Awin's tracked link to an advertiser ("{merchant}" is filled per voucher)."""
    template = "https://www.awin1.com/cread.php?awinmid={merchant}&awinaffid=123456"
    if _allowed(template, hosts):
        return template
    return sandbox + "/awin/click?m={merchant}" if _allowed(sandbox, hosts) else None
