"""Text on share posters: the CJK font, line wrapping that suits Chinese, ellipsis.

Pillow draws with the font it is given and falls back to nothing: without a CJK font every
Chinese character would come out as an empty box. The font is Debian's Noto Sans CJK
(``fonts-noto-cjk``, installed by ``scripts/install-cjk-font``; ``make run`` and
``make test`` call it) or WenQuanYi, found by path.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FreeTypeFont = ImageFont.FreeTypeFont

# (path, face index): the .ttc collections hold JP, KR, SC, TC, HK faces; SC is index 2.
REGULAR_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
)
BOLD_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    *REGULAR_FONTS,
)
ELLIPSIS = "…"
# A line may not start with closing punctuation (禁则): it hangs at the end of the line.
_CLOSING = set("，。、；：？！）】」』》〉”’,.;:?!)]}%")
# A run of Latin letters or digits (with its trailing spaces) stays whole; anything else
# (each CJK character, punctuation, a space) is a unit on its own.
_UNITS = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.\-+/&]*\s*|\s+|.", re.S)


class FontMissing(RuntimeError):
    """No CJK font on this machine."""


def _first_present(candidates: tuple[tuple[str, int], ...]) -> tuple[str, int]:
    for path, index in candidates:
        if Path(path).is_file():
            return path, index
    looked = ", ".join(path for path, _ in candidates)
    raise FontMissing(f"no CJK font found for posters (looked for {looked}); install "
                      "Debian's fonts-noto-cjk: scripts/install-cjk-font (make run and "
                      "make test run it)")


@lru_cache(maxsize=32)
def font(size: int, *, bold: bool = False) -> FreeTypeFont:
    path, index = _first_present(BOLD_FONTS if bold else REGULAR_FONTS)
    return ImageFont.truetype(path, size, index=index)


def drawable(text: str) -> str:
    """``text`` on one line, without what a CJK font cannot draw: characters outside the
    Basic Multilingual Plane (emoji mostly), variation selectors and controls."""
    kept = []
    for ch in text:
        code = ord(ch)
        if code > 0xFFFF or 0xFE00 <= code <= 0xFE0F or code < 0x20 or code == 0x7F:
            kept.append(" " if ch in "\t\n\r" else "")
        else:
            kept.append(ch)
    return re.sub(r"\s+", " ", "".join(kept)).strip()


def width(text: str, face: FreeTypeFont) -> float:
    return face.getlength(text)


def _split_long(unit: str, face: FreeTypeFont, limit: float) -> list[str]:
    """A word wider than a whole line, broken character by character."""
    parts, current = [], ""
    for ch in unit:
        if current and width(current + ch, face) > limit:
            parts.append(current)
            current = ch
        else:
            current += ch
    return [*parts, current] if current else parts


def wrap(text: str, face: FreeTypeFont, limit: float) -> list[str]:
    """Greedy lines no wider than ``limit`` pixels; Chinese breaks between any two
    characters, Latin words only at spaces (or inside, when one word fills a line)."""
    lines: list[str] = []
    line = ""
    for unit in _UNITS.findall(drawable(text)):
        if width((line + unit).rstrip(), face) <= limit:
            line += unit
        elif unit in _CLOSING and line:
            line += unit  # hanging punctuation: slightly over beats a line starting with "，"
        elif unit.isspace():
            lines.append(line.rstrip())
            line = ""
        else:
            if line.strip():
                lines.append(line.rstrip())
            *full, line = _split_long(unit, face, limit)
            lines.extend(full)
    if line.strip():
        lines.append(line.rstrip())
    return lines


def ellipsize(line: str, face: FreeTypeFont, limit: float) -> str:
    """``line`` cut so that it and an ellipsis fit in ``limit`` pixels."""
    while line and width(line.rstrip() + ELLIPSIS, face) > limit:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


def fit_lines(text: str, face: FreeTypeFont, limit: float, max_lines: int) -> list[str]:
    """``text`` wrapped to at most ``max_lines`` lines, the last ellipsized if cut."""
    lines = wrap(text, face, limit)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    kept[-1] = ellipsize(kept[-1], face, limit)
    return kept


def fit_line(text: str, face: FreeTypeFont, limit: float) -> str:
    """``text`` on one line, ellipsized if wider than ``limit``."""
    flat = drawable(text)
    return flat if width(flat, face) <= limit else ellipsize(flat, face, limit)
