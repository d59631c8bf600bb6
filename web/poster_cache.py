"""Posters on disk: drawn once per (code, locale, content), served from the file after.

A file is named ``{code}-{locale}-{key}.png`` where the key hashes everything drawn
(``PosterContent.cache_key``): a new price or coupon gives a new key, and writing it
removes that link's older poster in the same language. Writes go through a temporary
file and a rename, so a reader never sees half a PNG.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

_SAFE = re.compile(r"[A-Za-z0-9_]+")


def _name(code: str, locale: str, key: str) -> str:
    for part in (code, locale, key):
        if not _SAFE.fullmatch(part):  # never a path separator or ".." in a file name
            raise ValueError(f"unsafe poster cache name part {part!r}")
    return f"{code}-{locale}-{key}.png"


def read_cached(directory: Path, *, code: str, locale: str, key: str) -> bytes | None:
    try:
        return (directory / _name(code, locale, key)).read_bytes()
    except FileNotFoundError:
        return None


def store(directory: Path, *, code: str, locale: str, key: str, png: bytes) -> None:
    """Keep ``png`` for later requests; a full or read-only disk only costs a redraw."""
    name = _name(code, locale, key)
    tmp: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".poster-", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(png)
        os.replace(tmp, directory / name)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return
    for old in directory.glob(f"{code}-{locale}-*.png"):
        if old.name != name:
            with contextlib.suppress(OSError):
                old.unlink()
