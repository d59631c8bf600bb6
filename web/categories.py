"""Category names in the language being rendered (Jinja global ``category_name``)."""

from __future__ import annotations

from aggregator.taxonomy import load_taxonomy
from web.i18n import current_locale


def category_name(taxonomy_id: int) -> str:
    taxonomy = load_taxonomy()
    if taxonomy_id not in taxonomy.nodes:
        return ""
    return taxonomy.name(taxonomy_id, current_locale())


def category_roots() -> list[int]:
    return [n.id for n in load_taxonomy().roots()]
