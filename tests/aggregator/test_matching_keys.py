"""Matching keys: brand and part-number spellings, and the variant signature of real titles.

Two offers whose variant signatures differ are never one product, so every fact that
tells variants apart must read the same however a partner spells it, and nothing that
is not such a fact (shop talk, a network generation, a regional code) may enter it.
"""

from __future__ import annotations

import pytest

from aggregator.matching.keys import MatchKeys, brand_key, match_keys, model_key


def keys(title: str, brand: str | None = None, **extra: str | None) -> MatchKeys:
    return match_keys(title=title, brand=brand, **extra)  # type: ignore[arg-type]


def variant(title: str, brand: str | None = None) -> str:
    return keys(title, brand).variant


# ---- brand_key ----

BRANDS: list[tuple[str | None, str | None]] = [
    ("Apple", "apple"),
    ("APPLE", "apple"),
    ("apple", "apple"),
    ("  Apple  ", "apple"),
    ("苹果", "apple"),
    ("Apple/苹果", "apple"),
    ("苹果/Apple", "apple"),
    ("Apple（苹果）", "apple"),
    ("Apple | 苹果", "apple"),
    ("Ａｐｐｌｅ", "apple"),  # full-width latin
    ("Sony/索尼", "sony"),
    ("索尼", "sony"),
    ("华为", "huawei"),
    ("HUAWEI/华为", "huawei"),
    ("Oral-B", "oralb"),
    ("ORAL-B", "oralb"),
    ("欧乐B", "oralb"),
    ("欧乐-B", "oralb"),
    ("L'Oréal", "loreal"),
    ("巴黎欧莱雅", "loreal"),
    ("Levi's", "levis"),
    ("李维斯", "levis"),
    ("Coca-Cola", "cocacola"),
    ("SK-II", "skii"),
    ("Dr. Martens", "drmartens"),
    ("马丁博士", "drmartens"),
    ("Le Creuset", "lecreuset"),
    ("酷彩", "lecreuset"),
    ("New Balance", "newbalance"),
    ("新百伦", "newbalance"),
    ("Andrex", "andrex"),  # not in the alias table: its own latin spelling
    ("安德斯/Andrex", "andrex"),  # the latin part of an unknown pair
    ("五常", "五常"),  # unknown and Chinese only: kept as written
    (None, None),
    ("", None),
    ("   ", None),
    ("///", None),
    ("()", None),
]


@pytest.mark.parametrize(("brand", "expected"), BRANDS, ids=[repr(b) for b, _ in BRANDS])
def test_brand_key(brand: str | None, expected: str | None) -> None:
    assert brand_key(brand) == expected


def test_brand_key_is_clipped() -> None:
    assert brand_key("x" * 300) == "x" * 120


# ---- model_key ----

MODELS: list[tuple[str | None, str | None]] = [
    ("WH-1000XM5", "WH1000XM5"),
    ("wh-1000xm5", "WH1000XM5"),
    ("WH1000XM5", "WH1000XM5"),
    ("WH-1000XM5/B", "WH1000XM5B"),
    (" wh 1000 xm5 ", "WH1000XM5"),
    ("SM-S921B", "SMS921B"),
    ("MTP03CH/A", "MTP03CHA"),
    ("ＭＴＰ０３ＣＨ／Ａ", "MTP03CHA"),  # full-width
    ("A3092", "A3092"),
    ("1234", "1234"),
    ("A12", None),  # too short to say anything
    ("A-1-2", None),
    ("BLACK", None),  # no digit: a word, not a part number
    ("Large", None),
    ("----", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("mpn", "expected"), MODELS, ids=[repr(m) for m, _ in MODELS])
def test_model_key(mpn: str | None, expected: str | None) -> None:
    assert model_key(mpn) == expected


def test_model_key_is_clipped() -> None:
    assert model_key("A1" * 100) == ("A1" * 100)[:120]


# ---- variant signatures, exactly ----

SIGNATURES: list[tuple[str, str | None, str]] = [
    ("Apple iPhone 15 Pro 256GB 黑色", "Apple", "colour=black;edition=pro;model=15;storage=256"),
    ("Apple iPhone 15 Pro Max 1TB Natural Titanium", "Apple",
     "colour=natural;edition=max,pro;model=15;storage=1024"),
    ("小米14 12+256G 黑色 5G手机", "小米", "colour=black;model=14;ramrom=12+256"),
    ("Redmi Note 13 Pro 8+256GB", "红米", "edition=note,pro;model=13;ramrom=8+256"),
    ("Samsung Galaxy S24 Ultra 5G 256GB", "Samsung", "edition=ultra;model=s24;storage=256"),
    ("Whiskas 成猫猫粮 海洋鱼味 5.4kg", "Whiskas", "weight=5400"),
    ("五常大米 2斤", None, "weight=1000"),
    ("咖啡豆 500g", None, "weight=500"),
    ("农夫山泉 饮用天然水 1.5L", "农夫山泉", "volume=1500"),
    ("维达 抽纸 3层100抽*24包", "维达", "count=24;ply=3;sheets=100"),
    ("Andrex Toilet Roll Pack of 4", "Andrex", "count=4"),
    ("Nike Air Max 90 42码", "Nike", "edition=air,max;model=90;size=42"),
    ("Nike Air Max 90 UK 8", "Nike", "edition=air,max;model=90;size=uk8"),
    ("Uniqlo T-shirt size M", "Uniqlo", "size=m"),
    ("优衣库 男款 T恤 XL", "优衣库", "edition=men;size=xl"),
    ("帮宝适 纸尿裤 L码 52片", "帮宝适", "count=52;size=l"),
    ("华为 Mate 60 青春版", "华为", "edition=youth;model=60"),
    ("Apple iPhone 15 手机壳", "Apple", "edition=case;model=15"),
    ("Apple iPhone 15 钢化膜", "Apple", "edition=protector;model=15"),
    ("Sony WH-1000XM5 Wireless Headphones", "Sony", "edition=wireless;model=wh1000xm5"),
    ("Anker 20000mAh Power Bank", "Anker", "mah=20000"),
    ("Apple MacBook Air 13.6英寸 M3", "Apple", "edition=air;inch=13.6;model=m3"),
    ("Huawei 5G手机", "Huawei", ""),
    ("纯棉毛巾", None, ""),
]


@pytest.mark.parametrize(("title", "brand", "expected"), SIGNATURES,
                         ids=[t for t, _, _ in SIGNATURES])
def test_variant_signature(title: str, brand: str | None, expected: str) -> None:
    assert variant(title, brand) == expected


# ---- spellings of one variant give one signature ----

SAME: list[tuple[str, str | None, list[str]]] = [
    ("storage GB/G/space/case", "Apple", [
        "Apple iPhone 15 256GB", "Apple iPhone 15 256G", "Apple iPhone 15 256 GB",
        "APPLE IPHONE 15 256gb", "Ａｐｐｌｅ ｉＰｈｏｎｅ １５ ２５６ＧＢ"]),
    ("1TB is 1024GB", "Apple", [
        "iPhone 15 Pro 1TB", "iPhone 15 Pro 1T", "iPhone 15 Pro 1 TB", "iPhone 15 Pro 1024GB",
        "iPhone 15 Pro 1024G"]),
    ("RAM+ROM", "Xiaomi", [
        "小米14 12+256G", "Xiaomi 14 12GB+256GB", "小米14 12G+256G", "小米 14 12 + 256GB",
        "小米14 12GB+256G 5G手机"]),
    ("RAM+ROM with a terabyte", "Lenovo", [
        "ThinkPad 32GB+1TB", "ThinkPad 32G+1T", "ThinkPad 32+1024G"]),
    ("5.4kg", "Whiskas", [
        "Whiskas 猫粮 5.4kg", "Whiskas 猫粮 5400g", "Whiskas 猫粮 5.4千克", "Whiskas 猫粮 5.4公斤",
        "Whiskas 猫粮 5.4 KG"]),
    ("2斤 is 1000 g", None, ["五常大米 2斤", "五常大米 1000g", "五常大米 1kg", "五常大米 1公斤",
                            "五常大米 1000克"]),
    ("10斤 is 5kg", None, ["五常大米 10斤", "五常大米 5kg", "五常大米 5000g"]),
    ("1.5L is 1500ml", "农夫山泉", [
        "农夫山泉 1.5L", "农夫山泉 1500ml", "农夫山泉 1.5升", "农夫山泉 1500毫升",
        "农夫山泉 1.5 l"]),
    ("packs", "Andrex", [
        "Andrex Toilet Roll Pack of 4", "Andrex Toilet Roll x4", "Andrex Toilet Roll ×4",
        "Andrex Toilet Roll * 4", "Andrex Toilet Roll 4 Pack", "Andrex Toilet Roll 4-Pack",
        "Andrex Toilet Roll X 4"]),
    ("tissue sheets and packs", "维达", [
        "维达 抽纸 100抽*24包", "维达 抽纸 100抽 24包", "维达 抽纸 24包 100抽",
        "维达 抽纸 100抽×24包"]),
    ("UK shoe size", "Nike", ["Nike Air Max 90 UK 8", "Nike Air Max 90 uk8",
                              "Nike Air Max 90 UK8"]),
    ("Chinese shoe size", "Nike", ["Nike Air Max 90 42码", "Nike Air Max 90 42 码"]),
    ("letter size", "Uniqlo", ["Uniqlo Tee XL", "Uniqlo Tee xl", "Uniqlo Tee XL码"]),
    ("black", "Apple", ["Apple iPhone 15 黑色", "Apple iPhone 15 Black",
                        "Apple iPhone 15 BLACK", "Apple iPhone 15 曜石黑"]),
    ("grey", "Apple", ["Apple iPhone 15 深空灰", "Apple iPhone 15 Space Grey",
                       "Apple iPhone 15 Space Gray", "Apple iPhone 15 灰色"]),
    ("white", "Apple", ["Apple Watch 表带 白色", "Apple Watch Strap White"]),
    ("Pro Max in any order", "Apple", ["iPhone 15 Pro Max", "iPhone 15 Max Pro"]),
    ("Plus", "Apple", ["Apple iPhone 15 Plus", "Apple iPhone 15+版"]),
    ("phone case", "Apple", ["Apple iPhone 15 手机壳", "Apple iPhone 15 保护壳",
                             "Apple iPhone 15 Case", "Apple iPhone 15 Cover"]),
    ("model number glued to the name", "Apple", ["iPhone15", "iPhone 15", "iphone-15"]),
    ("part number with and without dash", "Sony", [
        "Sony WH-1000XM5 Headphones", "Sony WH1000XM5 Headphones", "索尼 wh-1000xm5 耳机"]),
    ("generation glued to the name", "Samsung", ["Galaxy S24", "Galaxy s24", "GALAXY S24"]),
    ("year and shop noise", "Apple", [
        "Apple iPhone 15 256GB 黑色", "【官方正品】Apple iPhone 15 256GB 黑色",
        "Apple iPhone 15 256GB 黑色 2024新款", "2024新款 包邮 Apple iPhone 15 256GB 黑色",
        "Apple iPhone 15 256GB 黑色 包邮", "【顺丰速发】【赠壳膜】Apple iPhone 15 256GB 黑色"]),
    ("JD regional code", "Apple", [
        "Apple iPhone 15 256GB 黑色", "Apple iPhone 15 (A3092) 256GB 黑色",
        "Apple iPhone 15 （A3092） 256GB 黑色",
        "Apple/苹果 iPhone 15 (A3092) 256GB 黑色 支持移动联通电信5G 双卡双待手机"]),
    ("network generation is not a weight", "Xiaomi", [
        "小米14 12+256G", "小米14 5G手机 12+256G", "小米14 12+256G 5G", "小米14 5G 12+256G",
        "小米14 12+256G 5G全网通", "小米14 12+256G 4G网络", "小米14 5G，12+256G",
        "Xiaomi 14 5G, 12GB+256GB"]),
]


@pytest.mark.parametrize(("why", "brand", "titles"), SAME, ids=[s[0] for s in SAME])
def test_spellings_of_one_variant_agree(why: str, brand: str | None, titles: list[str]) -> None:
    signatures = {t: variant(t, brand) for t in titles}
    assert len(set(signatures.values())) == 1, (why, signatures)
    assert next(iter(signatures.values())), why  # and the signature says something


def test_noise_and_regional_code_leave_the_whole_key_unchanged() -> None:
    plain = keys("Apple iPhone 15 256GB 黑色", "Apple")
    for title in ("【官方正品】Apple iPhone 15 256GB 黑色 2024新款 包邮",
                  "Apple/苹果 iPhone 15 (A3092) 256GB 黑色 支持移动联通电信5G 双卡双待手机"):
        assert keys(title, "Apple/苹果") == plain, title


# ---- different variants give different signatures ----

DIFFERENT: list[tuple[str, str | None, str, str]] = [
    ("model generation", "Apple", "Apple iPhone 15 256GB", "Apple iPhone 16 256GB"),
    ("storage", "Apple", "Apple iPhone 15 256GB", "Apple iPhone 15 512GB"),
    ("1TB is not 1GB", "Apple", "Apple iPhone 15 1TB", "Apple iPhone 15 1GB"),
    ("RAM", "Xiaomi", "小米14 12+256G", "小米14 16+256G"),
    ("ROM", "Xiaomi", "小米14 12+256G", "小米14 12+512G"),
    ("weight", "Whiskas", "Whiskas 猫粮 5.4kg", "Whiskas 猫粮 2kg"),
    ("jin vs kg", None, "五常大米 2斤", "五常大米 2kg"),
    ("volume", "农夫山泉", "农夫山泉 1.5L", "农夫山泉 550ml"),
    ("pack count", "Andrex", "Andrex Toilet Roll Pack of 4", "Andrex Toilet Roll Pack of 9"),
    ("pack or not", "Andrex", "Andrex Toilet Roll Pack of 4", "Andrex Toilet Roll"),
    ("sheets", "维达", "维达 抽纸 100抽*24包", "维达 抽纸 120抽*24包"),
    ("shoe size", "Nike", "Nike Air Max 90 42码", "Nike Air Max 90 43码"),
    ("UK size", "Nike", "Nike Air Max 90 UK 8", "Nike Air Max 90 UK 9"),
    ("half size", "Nike", "Nike Air Max 90 UK 8", "Nike Air Max 90 UK 8.5"),
    ("letter size", "Uniqlo", "Uniqlo Tee XL", "Uniqlo Tee XXL"),
    ("colour", "Apple", "Apple iPhone 15 黑色", "Apple iPhone 15 白色"),
    ("colour zh vs en", "Apple", "Apple iPhone 15 Black", "Apple iPhone 15 白色"),
    ("Pro", "Apple", "Apple iPhone 15", "Apple iPhone 15 Pro"),
    ("Pro vs Pro Max", "Apple", "Apple iPhone 15 Pro", "Apple iPhone 15 Pro Max"),
    ("youth edition", "华为", "华为 Mate 60", "华为 Mate 60 青春版"),
    ("phone vs its case", "Apple", "Apple iPhone 15", "Apple iPhone 15 手机壳"),
    ("case vs screen protector", "Apple", "Apple iPhone 15 Case", "Apple iPhone 15 钢化膜"),
    ("gift set", "Lancome", "兰蔻 小黑瓶 精华 50ml", "兰蔻 小黑瓶 精华 50ml 礼盒"),
    ("sample size", "Lancome", "兰蔻 小黑瓶 精华", "兰蔻 小黑瓶 精华 小样"),
    ("refurbished", "Apple", "Apple iPhone 15", "Apple iPhone 15 二手"),
    ("part number", "Sony", "Sony WH-1000XM5", "Sony WH-1000XM4"),
    ("wired vs wireless", "Sony", "Sony 耳机 无线", "Sony 耳机 有线"),
    ("screen size", "Apple", "MacBook Air 13英寸", "MacBook Air 15英寸"),
    ("battery", "Anker", "Anker Power Bank 10000mAh", "Anker Power Bank 20000mAh"),
    ("wattage", "Anker", "Anker 充电器 20W", "Anker 充电器 65W"),
]


@pytest.mark.parametrize(("why", "brand", "a", "b"), DIFFERENT, ids=[d[0] for d in DIFFERENT])
def test_different_variants_disagree(why: str, brand: str | None, a: str, b: str) -> None:
    assert variant(a, brand) != variant(b, brand), why


# ---- the title key ----

TITLE_KEYS: list[tuple[str, str | None, str]] = [
    ("Apple iPhone 15 256GB 黑色", "Apple", "iphone"),
    ("苹果 iPhone 15 256GB 黑色", "苹果", "iphone"),
    ("Apple/苹果 iPhone 15 256GB", "Apple/苹果", "iphone"),
    ("苹果 Apple iPhone 15", "Apple", "iphone"),  # every spelling of the brand goes
    ("APPLE iPhone 15", "apple", "iphone"),
    ("【官方正品】包邮 Apple iPhone 15 2024新款", "Apple", "iphone"),
    ("Sony WH-1000XM5 Wireless Headphones Black", "Sony", "headphones"),
    ("Andrex Toilet Roll Pack of 4", "Andrex", "toilet roll"),
    ("The Official Andrex Toilet Roll, Free Delivery", "Andrex", "toilet roll"),
    ("Uniqlo T-shirt size M", "Uniqlo", "t shirt"),
]


@pytest.mark.parametrize(("title", "brand", "expected"), TITLE_KEYS,
                         ids=[t for t, _, _ in TITLE_KEYS])
def test_title_key(title: str, brand: str | None, expected: str) -> None:
    assert keys(title, brand).title == expected


def test_chinese_title_key_drops_brand_noise_and_variant() -> None:
    title = keys("【官方正品】索尼 WH-1000XM5 无线降噪耳机 黑色 包邮 2024新款", "Sony/索尼").title
    tokens = title.split()
    assert tokens, title
    for gone in ("索尼", "sony", "包邮", "官方", "正品", "新款", "2024", "黑色", "无线",
                 "wh1000xm5", "1000", "xm5"):
        assert gone not in tokens, (gone, title)
    assert "耳机" in "".join(tokens)


# Taobao sends no brand field: a known brand leading the title stands in for it.
BRAND_FROM_TITLE: list[tuple[str, str | None, str]] = [
    ("Apple iPhone 15", "apple", "iphone"),
    ("苹果 iPhone 15", "apple", "iphone"),
    ("苹果iPhone 15", "apple", "iphone"),
    ("【官方正品】Apple iPhone 15", "apple", "iphone"),
    ("iPhone 15 Apple", None, "iphone apple"),  # only a leading brand counts
    ("五常大米 2斤", None, "五常 大米"),  # an unknown first word is no brand
]


@pytest.mark.parametrize(("title", "brand", "title_key"), BRAND_FROM_TITLE,
                         ids=[t for t, _, _ in BRAND_FROM_TITLE])
def test_brand_read_from_a_title_without_brand(title: str, brand: str | None,
                                               title_key: str) -> None:
    k = keys(title, None)
    assert (k.brand, k.title) == (brand, title_key)


def test_brand_field_wins_over_the_title() -> None:
    assert keys("Apple iPhone 15 Case", "Spigen").brand == "spigen"


# ---- the rest of MatchKeys ----

def test_gtin_and_part_number_are_normalized() -> None:
    k = keys("Sony WH-1000XM5", "Sony", gtin="4548736132610", mpn="WH-1000XM5/B")
    assert (k.gtin, k.brand, k.model) == ("04548736132610", "sony", "WH1000XM5B")
    bad = keys("Sony WH-1000XM5", "Sony", gtin="4548736132611", mpn="BLACK")
    assert (bad.gtin, bad.model) == (None, None)


def test_block_needs_a_brand_and_follows_brand_and_variant() -> None:
    assert keys("iPhone 15 256GB", None).block is None
    a = keys("Apple iPhone 15 256GB 黑色", "Apple").block
    assert a is not None and len(a) == 32
    assert keys("苹果 iPhone15 256G 黑色 官方正品", "苹果").block == a
    assert keys("Apple iPhone 15 512GB 黑色", "Apple").block != a
    assert keys("Apple iPhone 15 256GB 黑色", "Samsung").block != a


def test_keys_are_deterministic() -> None:
    title = "【京东自营】Apple/苹果 iPhone 15 Pro (A3104) 256GB 原色钛金属 支持移动联通电信5G"
    assert len({keys(title, "Apple/苹果") for _ in range(5)}) == 1


# ---- bugs: each test states what should hold and fails today ----

def test_free_shipping_after_a_number_is_noise() -> None:
    assert variant("Apple iPhone 15 包邮", "Apple") == variant("Apple iPhone 15", "Apple")


def dims(signature: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in signature.split(";") if part)


@pytest.mark.parametrize("title", [
    "小米14 5G版 12+256G", "小米14 12+256G 全网通5G版", "小米14 4G版 12+256G",
    "小米14 5G，12+256G", "Xiaomi 14 5G, 12GB+256GB", "Xiaomi 14 (5G) 12GB+256GB",
])
def test_network_generation_is_never_a_weight_or_a_capacity(title: str) -> None:
    found = dims(variant(title, "Xiaomi"))
    assert "weight" not in found and "storage" not in found, found
    assert found["ramrom"] == "12+256"


@pytest.mark.parametrize(("a", "b"), [
    ("Samsung Galaxy S24 (256GB) Onyx Black", "Samsung Galaxy S24 (512GB) Onyx Black"),
    ("Samsung Galaxy S24 （256GB） 黑色", "Samsung Galaxy S24 （512GB） 黑色"),
    ("Evian 矿泉水 (500ml)", "Evian 矿泉水 (1500ml)"),
])
def test_bracketed_quantities_are_variants(a: str, b: str) -> None:
    assert variant(a, "Samsung") != variant(b, "Samsung")


def test_jian_zhuang_is_a_pack() -> None:
    assert variant("Dove 沐浴露 100ml 3件装", "Dove") == variant("Dove 沐浴露 100ml x3", "Dove")


def test_chinese_unit_followed_by_x() -> None:
    assert variant("维达 抽纸 100抽x24包", "维达") == variant("维达 抽纸 100抽*24包", "维达")


def test_thousands_separator() -> None:
    assert variant("Anker Power Bank 20,000mAh", "Anker") == "mah=20000"


@pytest.mark.parametrize(("title", "brand", "expected"), [
    ("New Balance 574 复古跑鞋", "New Balance", "复古 跑鞋"),
    ("Levi's 501 jeans", "Levi's", "jeans"),
    ("Oral-B iO9 电动牙刷", "Oral-B", "电动牙刷"),
    ("Le Creuset 铸铁锅 24cm", "Le Creuset", "铸铁 锅"),
])
def test_multi_word_brand_leaves_the_title_key(title: str, brand: str, expected: str) -> None:
    assert keys(title, brand).title == expected
