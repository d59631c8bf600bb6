"""Free text as stored: cut to its column."""

from __future__ import annotations


def clip(text: str | None, size: int) -> str | None:
    """Free text cut to its column: one long partner title must not fail a whole batch."""
    return text[:size] if text is not None and len(text) > size else text
