"""Cheap random draws for the catalog generators, and offer windows around a date.

``random.randint`` and ``random.choices`` cost 0.5–1.5 µs each on the target
machines; a 100k-item catalog makes millions of draws, so these helpers use a
single ``rng.random()`` call per draw instead. Same seed, same sequence.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
Days = tuple[int, int]  # a range of whole days, both ends included

# Where an offer's window lies relative to today.
ENDED = "ended"
LIVE = "live"
AHEAD = "ahead"


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """One element of ``options``, uniformly."""
    return options[int(rng.random() * len(options))]


def between(rng: random.Random, low: int, high: int) -> int:
    """An int in ``[low, high]``, both ends included."""
    return low + int(rng.random() * (high - low + 1))


def weighted(choices: Sequence[tuple[T, int]]) -> tuple[T, ...]:
    """A lookup table for ``pick``: each choice repeated by its integer weight."""
    return tuple(value for value, weight in choices for _ in range(weight))


@dataclass(frozen=True, slots=True)
class WindowDays:
    """How far an offer's window lies from today, per state: two ``Days`` each."""

    ended: tuple[Days, Days]  # days since it ended, days it ran
    ahead: tuple[Days, Days]  # days until it starts, days it runs
    live: tuple[Days, Days]  # days since it started, days until it ends


def window(
    rng: random.Random, today: dt.date, state: str, days: WindowDays
) -> tuple[dt.datetime, dt.datetime]:
    """Start and end midnights (naive wall-clock) of an offer ENDED, AHEAD or LIVE."""
    midnight = dt.datetime.combine(today, dt.time())
    if state == ENDED:
        end = midnight - dt.timedelta(days=between(rng, *days.ended[0]))
        return end - dt.timedelta(days=between(rng, *days.ended[1])), end
    if state == AHEAD:
        start = midnight + dt.timedelta(days=between(rng, *days.ahead[0]))
        return start, start + dt.timedelta(days=between(rng, *days.ahead[1]))
    start = midnight - dt.timedelta(days=between(rng, *days.live[0]))
    return start, midnight + dt.timedelta(days=between(rng, *days.live[1]))
