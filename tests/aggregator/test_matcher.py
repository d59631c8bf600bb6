"""same_product (the rule for one pair) and Matcher (the rule against an index of products)."""

from __future__ import annotations

import pytest

from aggregator.matching.keys import MatchKeys, match_keys
from aggregator.matching.matcher import Matcher, same_product, titles_match

G1 = "05012345678900"
G2 = "04006381333931"


def mk(*, gtin: str | None = None, brand: str | None = "sony", model: str | None = None,
       variant: str = "colour=black", title: str = "noise cancelling headphones",
       taxonomy_id: int | None = None) -> MatchKeys:
    return MatchKeys(gtin=gtin, brand=brand, model=model, variant=variant, title=title,
                     taxonomy_id=taxonomy_id)


S24 = "model=s24;storage=256"

# (why, a, b, expected reason)
PAIRS: list[tuple[str, MatchKeys, MatchKeys, str | None]] = [
    # GTIN decides, whatever the rest says
    ("equal gtin, different titles", mk(gtin=G1, title="headphones"),
     mk(gtin=G1, title="kopfhörer mit geräuschunterdrückung"), "gtin"),
    ("equal gtin, different brands", mk(gtin=G1, brand="sony"),
     mk(gtin=G1, brand="sonyeurope"), "gtin"),
    ("equal gtin, no brand", mk(gtin=G1, brand=None), mk(gtin=G1, brand=None), "gtin"),
    ("equal gtin, disagreeing variants", mk(gtin=G1, variant="colour=black"),
     mk(gtin=G1, variant="colour=silver"), "gtin"),
    ("equal gtin, different taxonomy", mk(gtin=G1, taxonomy_id=1),
     mk(gtin=G1, taxonomy_id=2), "gtin"),
    ("different gtins, identical everything else", mk(gtin=G1), mk(gtin=G2), None),
    ("different gtins, same brand and part number", mk(gtin=G1, model="WH1000XM5"),
     mk(gtin=G2, model="WH1000XM5"), None),
    # brand + part number
    ("brand and part number", mk(model="WH1000XM5", title="headphones"),
     mk(model="WH1000XM5", title="无线 降噪 耳机"), "model"),
    ("part number, one side has a gtin", mk(gtin=G1, model="WH1000XM5"),
     mk(model="WH1000XM5", title="耳机"), "model"),
    ("part number, the part number itself in the title",
     mk(model="WH1000XM5", variant="colour=black;model=wh1000xm5"),
     mk(model="WH1000XM5", variant="colour=black", title="x"), "model"),
    ("part number, storage named on one side only", mk(model="SMS921B", variant=S24),
     mk(model="SMS921B", variant="model=s24", title="x"), "model"),
    ("part number, disagreeing storage", mk(model="SMS921B", variant=S24),
     mk(model="SMS921B", variant="model=s24;storage=512"), None),
    ("part number, disagreeing colour", mk(model="WH1000XM5", variant="colour=black"),
     mk(model="WH1000XM5", variant="colour=silver"), None),
    ("part number, colour named on one side only", mk(model="WH1000XM5", variant=""),
     mk(model="WH1000XM5", variant="colour=black"), None),
    ("part number, size named on one side only", mk(model="CW2288111", variant="size=42"),
     mk(model="CW2288111", variant=""), None),
    ("part number, different brands", mk(brand="sony", model="WH1000XM5", title="a"),
     mk(brand="bose", model="WH1000XM5", title="b"), None),
    ("part number, no brand", mk(brand=None, model="WH1000XM5", title="a"),
     mk(brand=None, model="WH1000XM5", title="b"), None),
    ("different part numbers, identical titles", mk(model="WH1000XM5"),
     mk(model="WH1000XM4"), None),
    ("part number, different taxonomy", mk(model="WH1000XM5", taxonomy_id=1),
     mk(model="WH1000XM5", taxonomy_id=2), None),
    # careful titles
    ("same brand, same variant, same title", mk(), mk(), "title"),
    ("title words in another order", mk(title="noise cancelling headphones"),
     mk(title="headphones noise cancelling"), "title"),
    ("title one letter off", mk(title="noise cancelling headphones"),
     mk(title="noise cancelling headphone"), "title"),
    ("title too different", mk(title="toilet roll"), mk(title="toilet roll soft"), None),
    ("title too different, no variant at all", mk(variant="", title="toilet roll"),
     mk(variant="", title="toilet roll soft"), None),
    ("specific item: one title carries extra selling points",
     mk(variant=S24, title="galaxy"), mk(variant=S24, title="galaxy ai smartphone"), "title"),
    ("specific item: titles share too little",
     mk(variant=S24, title="galaxy"), mk(variant=S24, title="tab"), None),
    ("same title, different brands", mk(brand="sony"), mk(brand="bose"), None),
    ("same title, no brand on either", mk(brand=None), mk(brand=None), None),
    ("same title, brand on one side only", mk(), mk(brand=None), None),
    ("same title, variant adds a storage", mk(variant="colour=black"),
     mk(variant="colour=black;storage=256"), None),
    ("same title, different colour", mk(variant="colour=black"),
     mk(variant="colour=silver"), None),
    ("same title, different edition", mk(variant="edition=pro"),
     mk(variant="edition=max,pro"), None),
    ("same title, different taxonomy", mk(taxonomy_id=1), mk(taxonomy_id=2), None),
    ("same title, taxonomy on one side only", mk(taxonomy_id=1), mk(), "title"),
    ("same title, one part number only", mk(model="WH1000XM5"), mk(), "title"),
    ("empty titles", mk(title=""), mk(title=""), None),
]


@pytest.mark.parametrize(("why", "a", "b", "expected"), PAIRS, ids=[p[0] for p in PAIRS])
def test_same_product(why: str, a: MatchKeys, b: MatchKeys, expected: str | None) -> None:
    assert same_product(a, b) == expected, why
    assert same_product(b, a) == expected, f"{why} (reversed)"


def zh(title: str, brand: str | None, **kw: str | None) -> MatchKeys:
    return match_keys(title=title, brand=brand, **kw)  # type: ignore[arg-type]


# Real titles through match_keys, then same_product.
REAL: list[tuple[str, MatchKeys, MatchKeys, str | None]] = [
    ("taobao noise vs jd regional code",
     zh("【官方正品】Apple/苹果 iPhone 15 256G 黑色 5G手机 国行正品", "Apple/苹果"),
     zh("Apple iPhone 15 (A3092) 256GB 黑色 支持移动联通电信5G 双卡双待手机", "Apple"), "title"),
    ("english vs chinese colour",
     zh("Apple iPhone 15 256GB Black", "Apple"), zh("苹果 iPhone15 256G 黑色", "苹果"), "title"),
    ("iphone 15 vs 16",
     zh("Apple iPhone 15 256GB 黑色", "Apple"), zh("Apple iPhone 16 256GB 黑色", "Apple"), None),
    ("256 vs 512",
     zh("Apple iPhone 15 256GB 黑色", "Apple"), zh("Apple iPhone 15 512GB 黑色", "Apple"), None),
    ("phone vs case",
     zh("Apple iPhone 15 黑色", "Apple"), zh("Apple iPhone 15 手机壳 黑色", "Apple"), None),
    ("5.4kg vs 2kg",
     zh("Whiskas 伟嘉 成猫猫粮 海洋鱼味 5.4kg", "Whiskas"),
     zh("Whiskas 伟嘉 成猫猫粮 海洋鱼味 2kg", "Whiskas"), None),
    ("same part number, different capacity",
     zh("Samsung Galaxy S24 256GB Black", "Samsung", mpn="SM-S921B"),
     zh("Samsung Galaxy S24 512GB", "Samsung", mpn="SM-S921B"), None),
    ("same part number, different words",
     zh("Sony WH-1000XM5 Wireless Noise Cancelling Headphones", "Sony", mpn="WH-1000XM5"),
     zh("索尼 WH-1000XM5 头戴式无线降噪耳机", "索尼", mpn="WH1000XM5"), "model"),
    ("gtin of 13 and of 14 digits",
     zh("Sony WH-1000XM5 Headphones", "Sony", gtin="5012345678900"),
     zh("WH1000XM5 kabellose Kopfhörer", None, gtin="05012345678900"), "gtin"),
]


@pytest.mark.parametrize(("why", "a", "b", "expected"), REAL, ids=[r[0] for r in REAL])
def test_same_product_on_real_titles(why: str, a: MatchKeys, b: MatchKeys,
                                     expected: str | None) -> None:
    assert same_product(a, b) == expected, (why, a, b)


def test_bracketed_capacities_are_different_products() -> None:
    a = zh("Samsung Galaxy S24 (256GB) Onyx Black", "Samsung")
    b = zh("Samsung Galaxy S24 (512GB) Onyx Black", "Samsung")
    assert same_product(a, b) is None


def test_titles_match() -> None:
    assert not titles_match("", "x", "")
    assert not titles_match("x", "", "model=15")
    assert titles_match("a b", "b a", "")
    assert not titles_match("toilet roll", "toilet roll soft", "colour=white")
    # a model number, capacity or memory makes the item specific: extra words are fine
    for specific in ("model=k70", "model=4090", "storage=256", "ramrom=12+256"):
        assert titles_match("toilet roll", "toilet roll soft", specific), specific
    # a bare one- or two-digit number may be a shoe size ("篮球鞋 43"): not specific
    for vague in ("model=15", "model=43,7"):
        assert not titles_match("篮球鞋 实战", "篮球鞋 实战 高帮", vague), vague


# ---- Matcher.find ----

def test_find_in_an_empty_index() -> None:
    assert Matcher().find(mk()) is None
    assert len(Matcher()) == 0


def test_find_by_each_key() -> None:
    m = Matcher()
    m.add(1, mk(gtin=G1, title="headphones"))
    m.add(2, mk(model="WH1000XM4", variant="colour=black;model=wh1000xm4", title="earphones"))
    m.add(3, mk(brand="bose", variant="model=700", title="noise cancelling headphones"))
    assert len(m) == 3
    assert m.find(mk(gtin=G1, brand=None, title="kopfhörer")) == (1, "gtin")
    assert m.find(mk(model="WH1000XM4", variant="colour=black;model=wh1000xm4",
                     title="something else")) == (2, "model")
    assert m.find(mk(brand="bose", variant="model=700",
                     title="headphones noise cancelling")) == (3, "title")
    # a part number that disagrees on the variant is no match, and its block is empty
    assert m.find(mk(model="WH1000XM4", variant="colour=silver;model=wh1000xm4")) is None
    assert m.find(mk(brand="bose", variant="model=700", title="earbuds")) is None
    # a title twin with another gtin is another product; a product without one matches
    assert m.find(mk(gtin=G2, title="headphones")) is None
    assert m.find(mk(gtin=G2, brand="bose", variant="model=700")) == (3, "title")


def test_find_prefers_gtin_then_part_number_then_title() -> None:
    m = Matcher()
    m.add(1, mk())  # title twin
    m.add(2, mk(model="WH1000XM5", title="other words entirely"))
    m.add(3, mk(gtin=G1, brand="x", title="y"))
    assert m.find(mk(gtin=G1, model="WH1000XM5")) == (3, "gtin")
    assert m.find(mk(model="WH1000XM5")) == (2, "model")
    assert m.find(mk()) == (1, "title")


def test_find_title_tie_goes_to_the_oldest_product() -> None:
    k = zh("Apple iPhone 15 256GB 黑色", "Apple")
    for order in ([5, 3, 9], [9, 5, 3], [3, 9, 5]):
        m = Matcher()
        for pid in order:
            m.add(pid, k)
        assert m.find(k) == (3, "title"), order


def test_find_best_score_beats_older_product() -> None:
    m = Matcher()
    m.add(1, mk(title="noise cancelling headphone black"))
    m.add(2, mk(title="noise cancelling headphones black edition"))
    m.add(3, mk(title="noise cancelling headphones black"))
    assert m.find(mk(title="noise cancelling headphones black")) == (3, "title")


def test_find_gtin_and_part_number_keep_the_first_indexed_product() -> None:
    m = Matcher()
    m.add(7, mk(gtin=G1, model="WH1000XM5"))
    m.add(3, mk(gtin=G1, model="WH1000XM5"))
    assert m.find(mk(gtin=G1)) == (7, "gtin")
    assert m.find(mk(model="WH1000XM5", title="x")) == (7, "model")


REALISTIC = [
    zh("Apple iPhone 15 256GB 黑色", "Apple"),
    zh("Apple iPhone 15 512GB 黑色", "Apple"),
    zh("Apple iPhone 15 256GB Black", "Apple"),
    zh("苹果 iPhone 15 256G 黑色 官方正品", "苹果"),
    zh("Sony WH-1000XM5 Headphones", "Sony", gtin="5012345678900"),
    zh("索尼 WH1000XM5 耳机", "索尼", gtin="05012345678900"),
    zh("Samsung Galaxy S24 256GB Black", "Samsung", mpn="SM-S921B"),
    zh("三星 Galaxy S24 256G 曜石黑", "三星", mpn="SM-S921B"),
    zh("Samsung Galaxy S24 512GB", "Samsung", mpn="SM-S921B"),
    zh("五常大米 2斤", None),
    zh("五常大米 1000g", None),
]


def cluster(all_keys: list[MatchKeys], first_id: int = 100) -> list[int]:
    """Assign products as the store does: a match joins, a miss founds a product."""
    m, ids, next_id = Matcher(), [], first_id
    for k in all_keys:
        hit = m.find(k)
        if hit is None:
            m.add(next_id, k)
            ids.append(next_id)
            next_id += 1
        else:
            ids.append(hit[0])
    return ids


def test_clustering_is_deterministic_and_right() -> None:
    first = cluster(REALISTIC)
    assert all(cluster(REALISTIC) == first for _ in range(5))
    assert first == [100, 101, 100, 100, 102, 102, 103, 103, 104, 105, 106]


def test_find_title_tie_goes_to_the_oldest_product_among_many() -> None:
    k = zh("Apple iPhone 15 256GB 黑色", "Apple")
    m = Matcher()
    for pid in [*range(20, 10, -1), 1]:
        m.add(pid, k)
    assert m.find(k) == (1, "title")
