"""UK products shared by the Awin and GMC feeds: identities, GTINs, prices, titles.

A product's identity is a number; its GTIN is a bijection of that number, so
two rows with the same GTIN are the same product and ``product_from_gtin``
recovers the product (the image endpoint uses it to draw the right picture).
Row ``i`` of a feed draws its identity from a hash of (seed, feed, i): no RNG
stream is involved, so the GMC feed can name the very products Awin row ``i``
carries without generating the Awin feed.
"""

from __future__ import annotations

import bisect
import hashlib
import random
from functools import lru_cache
from typing import NamedTuple

from aggregator.gtin import check_digit
from crawlers.sandbox.uk_taxonomy import EAN_8, EAN_8_LINES, LINES, UPC_A, Line

# Identity layout: line | word (6 bits) | suffix (3) | generation (3) | variant (4).
_LOCAL_BITS = 16
_GTIN_MULTIPLIER = 7_919_393  # coprime with 10**10: a bijection on 10-digit numbers
_GTIN_OFFSET = 3_141_592_653
_GTIN_SPACE = 10**10
_GTIN_INVERSE = pow(_GTIN_MULTIPLIER, -1, _GTIN_SPACE)
_PENCE_TAILS = (99, 99, 0, 49, 95, 50)


def _line_size(line: Line) -> int:
    return len(line.words) * len(line.suffixes) * len(line.generations) * len(line.variants)


# Cumulative product counts, so identities are uniform over products, not lines.
_STARTS: tuple[int, ...] = tuple(
    sum(_line_size(line) for line in LINES[:i]) for i in range(len(LINES))
)
PRODUCT_COUNT = _STARTS[-1] + _line_size(LINES[-1])


class UkProduct(NamedTuple):  # a tuple: built 100k times per feed, cheaper than a dataclass
    line_index: int
    word: int
    suffix: int
    generation: int
    variant: int

    @property
    def line(self) -> Line:
        return LINES[self.line_index]

    @property
    def key(self) -> int:
        local = ((self.word * 8 + self.suffix) * 8 + self.generation) * 16 + self.variant
        return self.line_index << _LOCAL_BITS | local

    @property
    def model(self) -> str:
        """ "Ridge GTX 3": the model name without brand, noun or variant."""
        line = self.line
        generation = line.generations[self.generation]
        name = line.words[self.word] + line.suffixes[self.suffix]
        return f"{name} {generation}" if generation else name

    @property
    def variant_name(self) -> str:
        return self.line.variants[self.variant]

    @property
    def gtin(self) -> str:
        """The GTIN in its native length: 12 (UPC-A), 13 (EAN-13) or 8 (EAN-8) digits."""
        return _gtin(self.key, self.line_index)

    @property
    def gtin14(self) -> str:
        return self.gtin.zfill(14)

    @property
    def pence(self) -> int:
        """The manufacturer's list price; the same model costs the same in every colour."""
        line = self.line
        model_key = self.key >> 4
        spread = (model_key * 2_654_435_761) % 4_294_967_296 / 4_294_967_296
        pounds = line.low + int(spread * (line.high - line.low + 1)) + self.variant * line.step
        return pounds * 100 - 100 + _PENCE_TAILS[model_key % len(_PENCE_TAILS)] or 99

    @property
    def sku(self) -> str:
        """A merchant-style SKU: "ACM-RIDGEGTX3-0007"."""
        code = _model_code(self.line_index, self.word, self.suffix, self.generation)
        return f"{code}-{self.line_index:02d}{self.variant:02d}"

    def sibling(self) -> UkProduct:
        """The same model in the next size, colour or capacity (a different GTIN)."""
        variants = len(self.line.variants)
        return UkProduct(
            self.line_index, self.word, self.suffix, self.generation, (self.variant + 1) % variants
        )


def identity(seed: int, feed: str, index: int) -> UkProduct:
    """The product behind row ``index`` of ``feed`` (uniform over all products)."""
    digest = hashlib.blake2b(f"{seed}|{feed}|{index}".encode(), digest_size=8).digest()
    number = int.from_bytes(digest) % PRODUCT_COUNT
    line_index = bisect.bisect_right(_STARTS, number) - 1
    local = number - _STARTS[line_index]
    line = LINES[line_index]
    local, variant = divmod(local, len(line.variants))
    local, generation = divmod(local, len(line.generations))
    word, suffix = divmod(local, len(line.suffixes))
    return UkProduct(line_index, word, suffix, generation, variant)


@lru_cache(maxsize=65536)
def _gtin(key: int, line_index: int) -> str:
    kind = LINES[line_index].gtin
    if kind == EAN_8:
        rank = EAN_8_LINES.index(line_index)
        local = key & ((1 << _LOCAL_BITS) - 1)
        return with_check_digit(f"5{rank << _LOCAL_BITS | local:06d}")
    body = f"{(key * _GTIN_MULTIPLIER + _GTIN_OFFSET) % _GTIN_SPACE:010d}"
    return with_check_digit(("8" if kind == UPC_A else "50") + body)


@lru_cache(maxsize=8192)
def _model_code(line_index: int, word: int, suffix: int, generation: int) -> str:
    product = UkProduct(line_index, word, suffix, generation, 0)
    brand = "".join(ch for ch in product.line.brand.upper() if ch.isalpha())[:3]
    model = "".join(ch for ch in product.model.upper() if ch.isalnum())[:10]
    return f"{brand}-{model}"


def with_check_digit(digits: str) -> str:
    """``digits`` plus their GS1 mod-10 check digit (weights 3,1,3,… from the right)."""
    return digits + str(check_digit(digits))


def product_from_gtin(gtin: str) -> UkProduct | None:
    """The sandbox product with this GTIN (any padding), or None."""
    digits = gtin.lstrip("0")
    if not digits.isdigit() or with_check_digit(digits[:-1]) != digits:
        return None
    if len(digits) == 8:
        rank, local = divmod(int(digits[1:7]), 1 << _LOCAL_BITS)
        if rank >= len(EAN_8_LINES):
            return None
        key = EAN_8_LINES[rank] << _LOCAL_BITS | local
    elif (len(digits), digits[:1]) in ((12, "8"), (13, "5")):
        body = int(digits[-11:-1])
        key = (body - _GTIN_OFFSET) * _GTIN_INVERSE % _GTIN_SPACE
    else:
        return None
    return _decode(key, gtin=digits)


def _decode(key: int, *, gtin: str) -> UkProduct | None:
    line_index, local = divmod(key, 1 << _LOCAL_BITS)
    if line_index >= len(LINES):
        return None
    rest, variant = divmod(local, 16)
    rest, generation = divmod(rest, 8)
    word, suffix = divmod(rest, 8)
    line = LINES[line_index]
    if not (
        word < len(line.words)
        and suffix < len(line.suffixes)
        and generation < len(line.generations)
        and variant < len(line.variants)
    ):
        return None
    product = UkProduct(line_index, word, suffix, generation, variant)
    return product if product.gtin == gtin else None


def pounds(pence: int) -> str:
    """Pence as the decimal text feeds use: 5999 → "59.99"."""
    return f"{pence // 100}.{pence % 100:02d}"


def title(rng: random.Random, product: UkProduct, forms: tuple[tuple[float, str], ...]) -> str:
    """``product``'s title in one of ``forms``: (cumulative share up to 1.0, template
    with ``{brand}``, ``{model}``, ``{noun}`` and ``{variant}``)."""
    roll = rng.random()
    template = next((form for share, form in forms if roll < share), forms[-1][1])
    line = product.line
    return template.format(
        brand=line.brand, model=product.model, noun=line.noun, variant=product.variant_name
    )
