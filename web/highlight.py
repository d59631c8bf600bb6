"""Search-term highlighting in scraped titles: the text stays escaped, only <mark> is ours."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from markupsafe import Markup, escape


@lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    usable = sorted({w for w in words if w}, key=len, reverse=True)
    if not usable:
        return None
    return re.compile("|".join(re.escape(w) for w in usable), re.IGNORECASE)


def highlight(text: str | None, words: Sequence[str]) -> Markup:
    """``text`` escaped, with each occurrence of a search word wrapped in <mark>."""
    if not text:
        return Markup("")
    pattern = _pattern(tuple(words))
    if pattern is None:
        return escape(text)
    out, at = [], 0
    for found in pattern.finditer(text):
        out.append(escape(text[at:found.start()]))
        out.append(Markup("<mark>%s</mark>") % found.group(0))
        at = found.end()
    out.append(escape(text[at:]))
    return Markup("").join(out)
