"""Cheap random draws for the catalog generator.

``random.randint`` and ``random.choices`` cost 0.5–1.5 µs each on the target
machines; a 100k-item catalog makes millions of draws, so these helpers use a
single ``rng.random()`` call per draw instead. Same seed, same sequence.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """One element of ``options``, uniformly."""
    return options[int(rng.random() * len(options))]


def between(rng: random.Random, low: int, high: int) -> int:
    """An int in ``[low, high]``, both ends included."""
    return low + int(rng.random() * (high - low + 1))


def weighted(choices: Sequence[tuple[T, int]]) -> tuple[T, ...]:
    """A lookup table for ``pick``: each choice repeated by its integer weight."""
    return tuple(value for value, weight in choices for _ in range(weight))
