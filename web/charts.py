"""Geometry for the small price-history chart drawn as inline SVG (no JS, no images).

Prices hold until the next observation, so each partner's series is a step line that
runs on to ``now``; the template only places the computed points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aggregator.timeutil import as_utc

WIDTH, HEIGHT, PAD = 320, 120, 8


@dataclass(frozen=True)
class Series:
    partner: str
    points: str  # "x,y x,y ..." for <polyline points>


@dataclass(frozen=True)
class PriceChart:
    series: list[Series]
    low: int
    high: int
    start: datetime
    end: datetime
    width: int = WIDTH
    height: int = HEIGHT


def _steps(history: Sequence[dict[str, Any]], end: datetime) -> list[tuple[datetime, int]]:
    """(time, final price) corners of one partner's step line, ending at ``end``."""
    corners: list[tuple[datetime, int]] = []
    for point in history:
        at = as_utc(point["at"])
        if corners:
            corners.append((at, corners[-1][1]))  # the old price held until now
        corners.append((at, point["final_price"]))
    corners.append((max(end, corners[-1][0]), corners[-1][1]))
    return corners


def price_chart(history: Sequence[dict[str, Any]], *, now: datetime) -> PriceChart | None:
    """Chart of final prices per partner, or None when there is nothing to draw."""
    if not history:
        return None
    by_partner: dict[str, list[dict[str, Any]]] = {}
    for point in history:
        by_partner.setdefault(point["partner"], []).append(point)
    lines = {p: _steps(h, as_utc(now)) for p, h in by_partner.items()}
    corners = [c for line in lines.values() for c in line]
    start, end = min(c[0] for c in corners), max(c[0] for c in corners)
    low, high = min(c[1] for c in corners), max(c[1] for c in corners)
    span_t = max((end - start).total_seconds(), 1.0)
    span_p = max(high - low, 1)

    def xy(at: datetime, price: int) -> str:
        x = PAD + (at - start).total_seconds() / span_t * (WIDTH - 2 * PAD)
        # A flat history sits mid-height rather than on the bottom edge.
        ratio = (price - low) / span_p if high > low else 0.5
        y = HEIGHT - PAD - ratio * (HEIGHT - 2 * PAD)
        return f"{x:.1f},{y:.1f}"

    series = [Series(p, " ".join(xy(at, price) for at, price in line))
              for p, line in lines.items()]
    return PriceChart(series=series, low=low, high=high, start=start, end=end)
