"""Matching keys of an offer: GTIN-14, brand, part number, variant signature, title tokens.

Pure functions of what a partner says about an offer. The variant signature holds every
fact that tells two variants of one product apart (capacities, weights, volumes, sizes,
counts, colours, editions, model numbers): two offers with different signatures are
never the same product, however alike their titles are.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jieba

from aggregator.gtin import normalize_gtin
from aggregator.matching.vocabulary import (
    BRAND_ALIASES,
    COLOURS,
    EDITIONS,
    NOISE_PATTERNS,
    NOISE_WORDS,
)

jieba.setLogLevel(logging.WARNING)


@dataclass(frozen=True, slots=True)
class MatchKeys:
    gtin: str | None  # GTIN-14
    brand: str | None  # canonical brand
    model: str | None  # manufacturer part number, letters and digits only
    variant: str  # canonical variant signature ("" when the title names none)
    title: str  # normalized title tokens joined by spaces, brand and variant removed
    # The top-level taxonomy node (aggregator.taxonomy): two offers under different roots
    # (a phone and a phone case's "Accessories") are never one product.
    taxonomy_id: int | None = None

    @property
    def block(self) -> str | None:
        """Fuzzy matching only compares offers of one brand and one variant signature."""
        if not self.brand:
            return None
        digest = hashlib.blake2b(f"{self.brand}|{self.variant}".encode(), digest_size=16)
        return digest.hexdigest()


def fold(text: str) -> str:
    """Full-width to half-width, compatibility forms unified, lower case."""
    return unicodedata.normalize("NFKC", text).casefold()


_BRAND_SPLIT = re.compile(r"[/|｜()（）]+")
_NOT_WORD = re.compile(r"[^\w]+")


def brand_key(brand: str | None) -> str | None:
    """One spelling per brand: "Apple/苹果", "APPLE" and "苹果" all give "apple"."""
    if not brand:
        return None
    parts = [_NOT_WORD.sub("", p) for p in _BRAND_SPLIT.split(fold(brand))]
    parts = [p for p in parts if p]
    if not parts:
        return None
    for part in parts:
        if part in BRAND_ALIASES:
            return BRAND_ALIASES[part]
    latin = [p for p in parts if p.isascii()]
    return (latin or parts)[0][:120]


def model_key(mpn: str | None) -> str | None:
    """A part number in letters and digits only ("WH-1000XM5/B" → "WH1000XM5B")."""
    if not mpn:
        return None
    key = re.sub(r"[^0-9A-Z]", "", fold(mpn).upper())
    # A part number with no digit ("BLACK") or a very short one says too little.
    return key[:120] if len(key) >= 4 and any(c.isdigit() for c in key) else None


# ---- variants ----

_NUMBER = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"  # 20,000 or 1.5
# unit -> (dimension, factor to the dimension's base unit)
_UNITS: dict[str, tuple[str, float]] = {
    "tb": ("storage", 1024), "t": ("storage", 1024), "gb": ("storage", 1), "g": ("g", 1),
    "kg": ("weight", 1000), "千克": ("weight", 1000), "公斤": ("weight", 1000),
    "克": ("weight", 1), "斤": ("weight", 500), "lb": ("weight", 453.6), "lbs": ("weight", 453.6),
    "oz": ("oz", 1),
    "ml": ("volume", 1), "毫升": ("volume", 1), "l": ("volume", 1000), "升": ("volume", 1000),
    "litre": ("volume", 1000), "litres": ("volume", 1000), "liter": ("volume", 1000),
    "英寸": ("inch", 1), "寸": ("inch", 1), "inch": ("inch", 1), "in": ("inch", 1),
    '"': ("inch", 1), "cm": ("cm", 1), "厘米": ("cm", 1), "mm": ("cm", 0.1),
    "层": ("ply", 1), "ply": ("ply", 1), "mah": ("mah", 1), "毫安": ("mah", 1),
    "w": ("watt", 1), "瓦": ("watt", 1),
    "码": ("size", 1), "抽": ("sheets", 1), "片": ("count", 1), "粒": ("count", 1),
    "个": ("count", 1), "支": ("count", 1), "包": ("count", 1), "袋": ("count", 1),
    "件装": ("count", 1), "只装": ("count", 1), "支装": ("count", 1), "片装": ("count", 1),
    "瓶": ("count", 1), "盒": ("count", 1), "罐": ("count", 1), "听": ("count", 1),
    "卷": ("count", 1), "双": ("count", 1), "只": ("count", 1), "条": ("count", 1),
    "枚": ("count", 1), "件": ("count", 1), "台": ("count", 1), "套": ("count", 1),
    "pcs": ("count", 1), "pc": ("count", 1), "pieces": ("count", 1), "count": ("count", 1),
    "ct": ("count", 1), "pack": ("count", 1), "packs": ("count", 1), "rolls": ("count", 1),
    "capsules": ("count", 1), "tablets": ("count", 1), "sheets": ("sheets", 1),
}
_LATIN_UNITS = "|".join(sorted((re.escape(u) for u in _UNITS if u.isascii()), key=len,
                               reverse=True))
_CJK_UNITS = "|".join(sorted((re.escape(u) for u in _UNITS if not u.isascii()), key=len,
                             reverse=True))
# A latin unit ends where the word ends ("5 pack", not "5 packets"); "100抽x24" is fine.
_QUANTITY = re.compile(rf"{_NUMBER}\s*(?:({_LATIN_UNITS})(?![a-z])|({_CJK_UNITS}))")
_RAM_ROM = re.compile(
    r"(\d{1,2})\s*g?b?\s*\+\s*(\d+)\s*(gb|g|tb|t)(?![a-z])"
    r"|(\d{1,2})\s*\+\s*(64|128|256|512|1024)(?![\d.])")
_TIMES = re.compile(r"(?:(?<![a-z])[x×*]\s*(\d+)(?![\d.]))|(?:pack\s+of\s+(\d+))|(?:(\d+)\s*件装)")
_UK_SIZE = re.compile(r"\b(uk|eu|us)\s*(\d+(?:\.5)?)\b")
_LETTER_SIZE = re.compile(r"(?<![a-z])(xxs|xs|xxl|xxxl|[2-6]xl|xl)(?![a-z])")
_SMALL_SIZE = re.compile(r"(?:size|尺码|码数)\s*[:：]?\s*(s|m|l)(?![a-z])|(?<![a-z])(s|m|l)\s*码"
                         r"|(?<![a-z0-9'’.&-])(s|m|l)(?![a-z0-9'’.&-])")
# A Chinese edition: "活力版", "NFC版", "青春版" (the table names the common ones).
_EDITION_PHRASE = re.compile(r"(?:[\u4e00-\u9fff]{1,3}|[a-z0-9]{1,6})版")
# A Chinese colour name: "黑色", "曜石黑色", "紫红色" (a colour of its own, not red).
_COLOUR_PHRASE = re.compile(r"[\u4e00-\u9fff]{1,4}色")
_COLOUR_CHARS = set("紫红蓝绿黑白灰金银粉黄橙棕青米咖")
_NETWORK = re.compile(r"(?<![\d.])([45])g(?![a-z0-9])")  # 5G phones, not five grams
# JD appends the maker's regional code: "iPhone 15 (A3092)" is the phone sold everywhere.
_PAREN_CODE = re.compile(r"[(（]\s*[a-z]{1,3}\d{3,}[a-z0-9-]*\s*[)）]")
_YEAR = re.compile(r"20[12]\d\s*(?:年|新款|款|新品|春|夏|秋|冬|new|edition)")
_DIGITS = re.compile(r"[a-z]*\d[a-z0-9]*")
_POWERS_OF_TWO = {4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}


def _words(table: list[tuple[str, str]]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for a whole word table (longest first): a latin word matches whole,
    a Chinese one anywhere; and the value of each word."""
    parts = [rf"(?<![a-z]){re.escape(w)}(?![a-z])" if w.isascii() else re.escape(w)
             for w, _ in table]
    return re.compile("|".join(parts)), dict(table)


_COLOUR_WORDS = _words(COLOURS)
_EDITION_WORDS = _words(EDITIONS)
# "wh-1000xm5" is "wh1000xm5"; "iphone15" is "iphone 15" (a long word, then its number).
_JOINED = re.compile(r"(?<=[a-z])-(?=\d)|(?<=\d)-(?=[a-z])")
_WORD_NUMBER = re.compile(r"(?<![a-z])([a-z]{3,})(?=\d)")
_NUMBER_WORD = re.compile(r"(?<=\d)(?=(?:pro|max|plus|mini|ultra|lite)(?![a-z]))")


def _colour_name(phrase: str) -> str:
    """The table's name for a phrase ending in a known colour word, else the phrase."""
    for word, colour in COLOURS:
        if word.isascii() or not phrase.endswith(word):
            continue
        rest = phrase[: -len(word)]
        if not rest or rest[-1] not in _COLOUR_CHARS:  # 手机白色 is white; 紫红色 is not red
            return colour
    return phrase


def _number(value: str, factor: float) -> str:
    amount = round(float(value.replace(",", "")) * factor, 1)
    return str(int(amount)) if amount == int(amount) else str(amount)


def variant_parts(text: str) -> tuple[dict[str, set[str]], str]:
    """The variant facts in a folded title, and the title with them removed."""
    facts: dict[str, set[str]] = {}

    def add(dim: str, value: str) -> None:
        facts.setdefault(dim, set()).add(value)

    def ram_rom(m: re.Match[str]) -> str:
        if m.group(4):  # "12+512": the phone shorthand without units
            add("ramrom", f"{m.group(4)}+{m.group(5)}")
            return " "
        factor = 1024 if m.group(3) in ("tb", "t") else 1
        add("ramrom", f"{m.group(1)}+{_number(m.group(2), factor)}")
        return " "

    def colour_phrase(m: re.Match[str]) -> str:
        add("colour", _colour_name(m.group(0)))
        return " "

    def edition_phrase(m: re.Match[str]) -> str:
        phrase = m.group(0)
        add("edition", next((e for w, e in EDITIONS if w == phrase), phrase))
        return " "

    def quantity(m: re.Match[str]) -> str:
        dim, factor = _UNITS[m.group(2) or m.group(3)]
        if dim == "g":  # bare "g": 256g of storage or 500g of tea
            dim, factor = ("storage", 1) if float(m.group(1)) in _POWERS_OF_TWO else ("weight", 1)
        add(dim, _number(m.group(1), factor))
        return " "

    def times(m: re.Match[str]) -> str:
        add("count", next(g for g in m.groups() if g))
        return " "

    text = _YEAR.sub(" ", text)
    text = _WORD_NUMBER.sub(r"\1 ", _JOINED.sub("", text))
    text = _NUMBER_WORD.sub(" ", text)
    text = _COLOUR_PHRASE.sub(colour_phrase, text)
    text = _EDITION_PHRASE.sub(edition_phrase, text)
    text = _RAM_ROM.sub(ram_rom, text)
    text = _NETWORK.sub(" ", _PAREN_CODE.sub(" ", text))
    text = _QUANTITY.sub(quantity, text)
    text = _TIMES.sub(times, text)
    def size(m: re.Match[str]) -> str:
        add("size", "".join(g for g in m.groups() if g))
        return " "

    for pattern in (_UK_SIZE, _LETTER_SIZE, _SMALL_SIZE):
        text = pattern.sub(size, text)
    for dim, (pattern, values) in (("colour", _COLOUR_WORDS), ("edition", _EDITION_WORDS)):
        for word in pattern.findall(text):
            add(dim, values[word])
        text = pattern.sub(" ", text)
    # Whatever carries a digit now is a model number or generation ("15", "s24", "xm5").
    for token in _DIGITS.findall(text):
        add("model", token)
    text = _DIGITS.sub(" ", text)
    return facts, text


def signature(facts: dict[str, set[str]]) -> str:
    return ";".join(f"{dim}={','.join(sorted(values))}" for dim, values in sorted(facts.items()))


@lru_cache(maxsize=4096)
def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


@lru_cache(maxsize=200_000)
def _cut(chunk: str) -> tuple[str, ...]:
    """jieba's words of one space-free run (titles repeat their runs across a feed)."""
    if not any(_is_cjk(c) for c in chunk):
        return (chunk,)
    return tuple(t for t in jieba.lcut(chunk) if t.strip())


def title_tokens(text: str) -> list[str]:
    """Words of a folded title: jieba for Chinese runs, whitespace for the rest."""
    return [t for chunk in _NOT_WORD.sub(" ", text).split() for t in _cut(chunk)
            if t not in NOISE_WORDS]


_LEADING_BRAND = re.compile("|".join(
    rf"{re.escape(name)}(?![a-z])" if name.isascii() else re.escape(name)
    for name in sorted(set(BRAND_ALIASES) | set(BRAND_ALIASES.values()), key=len, reverse=True)
))


def _brand_in_title(text: str) -> str | None:
    """Taobao sends no brand field: a known brand leading the title stands in for it."""
    found = _LEADING_BRAND.match(text.lstrip(" /|·"))
    if found is None:
        return None
    return BRAND_ALIASES.get(found.group(0), found.group(0))


def match_keys(*, title: str, brand: str | None, mpn: str | None = None,
               gtin: str | None = None, taxonomy_id: int | None = None) -> MatchKeys:
    text = fold(title)
    for pattern in NOISE_PATTERNS:
        text = pattern.sub(" ", text)
    facts, rest = variant_parts(text)
    brand_k = brand_key(brand) or _brand_in_title(text)
    if brand_k:
        spellings = {brand_k, *(alias for alias, canon in BRAND_ALIASES.items()
                                if canon == brand_k)}
        spellings |= {p.strip() for p in _BRAND_SPLIT.split(fold(brand or "")) if p.strip()}
        for spelling in sorted(spellings, key=len, reverse=True):  # "new balance", "levi's"
            rest = _words([(spelling, "")])[0].sub(" ", rest)
    tokens = title_tokens(rest)
    return MatchKeys(
        gtin=normalize_gtin(gtin), brand=brand_k, model=model_key(mpn),
        variant=signature(facts)[:255], title=" ".join(tokens)[:500], taxonomy_id=taxonomy_id,
    )
