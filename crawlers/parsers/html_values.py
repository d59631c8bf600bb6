"""Reading schema.org values and bs4 tag attributes as plain text, for the html_* parsers.

Scraped text is data: whitespace is normalised and the text is kept; it is never unescaped,
evaluated or rendered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bs4 import Tag

from crawlers.parsers.common import clean_text

Node = dict[str, Any]

# Column size of the catalog's URLs: a longer link is not followed or stored.
URL_MAX = 2000
# How deep a schema.org value (or a microdata item) is read; hostile markup may nest forever.
MAX_DEPTH = 6


def node_text(value: object, depth: int = 0) -> str | None:
    """A schema.org value as text: strings, numbers, {"name"}/{"@value"} objects, first of lists."""
    if isinstance(value, list | dict) and depth >= MAX_DEPTH:
        return None
    if isinstance(value, list):
        return next((t for v in value if (t := node_text(v, depth + 1))), None)
    if isinstance(value, dict):
        return node_text(value.get("@value", value.get("name")), depth + 1)
    if value is None or isinstance(value, bool):
        return None
    return clean_text(str(value)) or None


def first_text(nodes: Iterable[Node], key: str) -> str | None:
    return next((t for node in nodes if (t := node_text(node.get(key)))), None)


def short_name(value: str) -> str:
    """``https://schema.org/InStock`` / ``schema:InStock`` → ``InStock``."""
    return re.split(r"[/:#]", value.strip().rstrip("/"))[-1]


def as_list(value: object) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def tag_attr(tag: object, name: str) -> str:
    """An attribute as one string (bs4 gives class and rel as lists)."""
    if not isinstance(tag, Tag):
        return ""
    value = tag.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return value or ""


def tag_tokens(tag: Tag, *names: str) -> set[str]:
    return {t.lower() for name in names for t in tag_attr(tag, name).split()}
