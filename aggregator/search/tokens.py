"""Pure tokenization for search: the same words for documents and queries.

Chinese has no spaces: jieba's search mode cuts each run into words and the shorter
words inside them ("洗发水" → "洗发", "洗发水"), so a two-character query such as 口红,
耳机 or 纸巾 finds every title that contains it as a word. Latin text is split on
anything that is not a letter or digit and matched by prefix ("headph" finds
"headphones"). Everything is NFKC-folded and lower-cased first, so full-width letters
and capitals match their plain forms.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jieba

from aggregator.matching.keys import brand_key
from aggregator.matching.vocabulary import BRAND_ALIASES

jieba.setLogLevel(logging.WARNING)

MAX_QUERY_TERMS = 8
_WORD_RUNS = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Words too common in titles to narrow a search; queries drop them, documents keep them.
_STOP = frozenset({"的", "和", "与", "及", "a", "an", "the", "of", "for", "and", "with"})


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@lru_cache(maxsize=100_000)
def _run_words(run: str) -> tuple[str, ...]:
    """The words of one letter/digit run: jieba's search cut if it holds Chinese."""
    if not _CJK.search(run):
        return (run,)
    return tuple(w for w in jieba.cut_for_search(run) if w.strip())


def words(text: str) -> list[str]:
    return [w for run in _WORD_RUNS.findall(fold(text)) for w in _run_words(run)]


def _brand_spellings(brand: str | None) -> set[str]:
    """"苹果" and "Apple" find each other: every known spelling of the brand."""
    canon = brand_key(brand)
    if not canon:
        return set()
    return {canon, *(alias for alias, target in BRAND_ALIASES.items() if target == canon)}


def document(*, title: str, brand: str | None = None, shop: str | None = None,
             category: str | None = None) -> str:
    """Space-separated distinct tokens of an offer, in first-seen order."""
    seen: dict[str, None] = {}
    for part in (title, brand or "", shop or "", category or ""):
        for word in words(part):
            seen.setdefault(word)
    for spelling in _brand_spellings(brand):
        for word in words(spelling):
            seen.setdefault(word)
    return " ".join(seen)


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool  # Latin words and lone characters match as prefixes; Chinese words whole


def _finest(cut: list[str]) -> list[str]:
    """Drop words that merely join shorter words of the same cut: AND-ing the short
    ones finds every title the long one would, and titles that spell it apart too."""
    kept = []
    for word in cut:
        inner = [w for w in cut if w != word and len(w) > 1 and w in word]
        if not (len(word) > 2 and sum(len(w) for w in inner) >= len(word)):
            kept.append(word)
    return kept


def query_terms(q: str) -> list[Term]:
    """The terms a query must all match, at most MAX_QUERY_TERMS, in query order."""
    terms: dict[str, Term] = {}
    for run in _WORD_RUNS.findall(fold(q)):
        if _CJK.search(run):
            for word in _finest(list(_run_words(run))):
                if word not in _STOP:  # a lone character is a word's start: 贵 finds 贵货
                    terms.setdefault(word, Term(word, prefix=len(word) == 1))
        elif run not in _STOP:
            terms.setdefault(run, Term(run, prefix=True))
    return list(terms.values())[:MAX_QUERY_TERMS]


def warm_up() -> None:
    """Load jieba's dictionary now (about a second) rather than in the first search."""
    jieba.initialize()
