"""Which product an offer belongs to: GTIN, then brand + part number, then careful titles.

``same_product`` is the rule for one pair (and what the labelled pairs measure);
``Matcher`` applies it against an in-memory index of products, so a crawl's new offers
are matched against the candidates a few indexed queries bring back, and a rebuild
streams the whole catalog through the same index. Both are deterministic: the same
offers in the same order give the same products.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from aggregator.matching.keys import MatchKeys

Reason = Literal["gtin", "model", "title"]
# Title similarity at or above which two offers of the same brand and the same variant
# signature are one product; chosen on the labelled pairs. token_sort_ratio compares
# whole titles; when the signature names a model number, capacity or memory (a specific
# item), token_set_ratio lets one title carry extra selling points (Taobao's do).
TITLE_THRESHOLD = 90.0
SPECIFIC_TITLE_THRESHOLD = 85.0


def _conflict(a: MatchKeys, b: MatchKeys) -> bool:
    """Keys that prove two offers are different products."""
    if a.gtin and b.gtin and a.gtin != b.gtin:
        return True
    if a.model and b.model and a.model != b.model:
        return True
    return bool(a.taxonomy_id and b.taxonomy_id and a.taxonomy_id != b.taxonomy_id)


# A part number often names a style, not a variant: a colour or size named on one side
# only may be a different variant, so these must be named alike on both.
_BOTH_OR_NEITHER = ("colour", "size")


def _dims(variant: str, model: str | None) -> dict[str, str]:
    """Variant dimensions, with the part number itself left out of the model numbers."""
    dims = dict(part.split("=", 1) for part in variant.split(";") if part)
    if model and "model" in dims:
        rest = [t for t in dims["model"].split(",") if t.upper() != model]
        if rest:
            dims["model"] = ",".join(rest)
        else:
            del dims["model"]
    return dims


def _variants_agree(a: MatchKeys, b: MatchKeys) -> bool:
    """Every variant dimension both name has the same values; colour and size must be
    named by both or neither."""
    if a.variant == b.variant:
        return True
    left, right = _dims(a.variant, a.model), _dims(b.variant, b.model)
    if any((dim in left) != (dim in right) for dim in _BOTH_OR_NEITHER):
        return False
    return all(left[dim] == right[dim] for dim in left.keys() & right.keys())


def titles_match(a: str, b: str, variant: str) -> bool:
    if not (a and b):
        return False
    if fuzz.token_sort_ratio(a, b) >= TITLE_THRESHOLD:
        return True
    return _specific(variant) and fuzz.token_set_ratio(a, b) >= SPECIFIC_TITLE_THRESHOLD


def _specific(variant: str) -> bool:
    """A capacity, memory or a real model number ("k70", "4090"; not a bare size "43")."""
    dims = _dims(variant, None)
    if "storage" in dims or "ramrom" in dims:
        return True
    return any(not t.isdigit() or len(t) >= 3 for t in dims.get("model", "").split(",") if t)


def same_product(a: MatchKeys, b: MatchKeys) -> Reason | None:
    if a.gtin and a.gtin == b.gtin:
        return "gtin"
    if _conflict(a, b):
        return None
    if a.brand and a.brand == b.brand and a.model and a.model == b.model:
        return "model" if _variants_agree(a, b) else None
    if (a.brand and a.brand == b.brand and a.variant == b.variant
            and titles_match(a.title, b.title, a.variant)):
        return "title"
    return None


@dataclass
class _Block:
    ids: list[int] = field(default_factory=list)
    keys: list[MatchKeys] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)


class Matcher:
    """Products indexed by GTIN, by brand + part number and by fuzzy block."""

    def __init__(self) -> None:
        self._gtin: dict[str, int] = {}
        self._model: dict[tuple[str, str], list[tuple[int, MatchKeys]]] = {}
        self._blocks: dict[str, _Block] = {}

    def __len__(self) -> int:
        return sum(len(b.ids) for b in self._blocks.values())

    def add(self, product_id: int, keys: MatchKeys) -> None:
        """Index a product by the keys of an offer it holds (its founder's, usually)."""
        if keys.gtin:
            self._gtin.setdefault(keys.gtin, product_id)
        if keys.brand and keys.model:
            self._model.setdefault((keys.brand, keys.model), []).append((product_id, keys))
        if (block := keys.block) is not None:
            entry = self._blocks.setdefault(block, _Block())
            entry.ids.append(product_id)
            entry.keys.append(keys)
            entry.titles.append(keys.title)

    def find(self, keys: MatchKeys) -> tuple[int, Reason] | None:
        if keys.gtin and (pid := self._gtin.get(keys.gtin)) is not None:
            return pid, "gtin"
        if keys.brand and keys.model:
            for pid, other in self._model.get((keys.brand, keys.model), ()):
                if same_product(keys, other) == "model":
                    return pid, "model"
        block = self._blocks.get(keys.block) if keys.block else None
        if block is None or not keys.title:
            return None
        # token_set_ratio is never below token_sort_ratio: a cheap first cut for both rules.
        hits = process.extract(keys.title, block.titles, scorer=fuzz.token_set_ratio,
                               score_cutoff=min(TITLE_THRESHOLD, SPECIFIC_TITLE_THRESHOLD),
                               limit=None)
        # Best score first, then the oldest product: deterministic whatever the order.
        for _title, _score, at in sorted(hits, key=lambda h: (-h[1], block.ids[h[2]])):
            if same_product(keys, block.keys[at]) is not None:
                return block.ids[at], "title"
        return None
