"""Matching keys of a seeded product, as ``match_keys`` gives them for its founding title.

``match_keys`` costs ~150 µs a title (some twenty regex passes and jieba): more than
all the rest of a seeded offer. A seeded title is a few parts joined by spaces (brand,
model, noun, variant, colour, shop talk), and no variant pattern reaches across the
parts of these titles, so the keys of the whole title are those of its parts put
together: variant facts united, title tokens concatenated. Parts repeat across
thousands of products, so each part's keys are computed once.
(tests/aggregator/test_seed.py checks the result against ``match_keys`` itself.)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from aggregator.gtin import normalize_gtin
from aggregator.matching.keys import MatchKeys, match_keys, model_key, signature


@lru_cache(maxsize=200_000)
def _part(part: str, brand: str | None) -> MatchKeys:
    return match_keys(title=part, brand=brand)


@lru_cache(maxsize=50_000)
def _facts(variant: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A variant signature ("dim=a,b;dim2=c") back into its facts."""
    pairs = (item.split("=", 1) for item in variant.split(";") if item)
    return tuple((dim, tuple(values.split(","))) for dim, values in pairs)


def _title_brand(parts: Sequence[str], brand: str | None) -> str | None:
    """The brand key: from the brand field, else a known brand leading the title once
    the shop talk before it is gone (as match_keys reads a Taobao title)."""
    for part in parts:
        keys = _part(part, brand)
        if keys.brand or brand or keys.title or keys.variant:
            return keys.brand
    return None


def title_keys(parts: Sequence[str], *, brand: str | None, mpn: str | None,
               gtin: str | None, taxonomy_id: int | None) -> MatchKeys:
    """``match_keys(title=" ".join(parts), ...)``, part by part."""
    brand_k = _title_brand(parts, brand)
    # Each part is read with the brand the whole title has, so its spellings go too.
    spelled = brand if brand else brand_k
    facts: dict[str, set[str]] = {}
    tokens = []
    for part in parts:
        keys = _part(part, spelled)
        for dim, values in _facts(keys.variant):
            facts.setdefault(dim, set()).update(values)
        if keys.title:
            tokens.append(keys.title)
    return MatchKeys(gtin=normalize_gtin(gtin), brand=brand_k, model=model_key(mpn),
                     variant=signature(facts)[:255], title=" ".join(tokens)[:500],
                     taxonomy_id=taxonomy_id)
