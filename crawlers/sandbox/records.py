"""How every network's generator builds its record list, and spoils some records.

Records name the sandbox itself in their URLs through ``HOST_PLACEHOLDER``;
the server replaces it per request, so one catalog works behind any host and
port. Each generator (Taobao, PDD, JD, Awin products and promotions, GMC, the web
shop) draws its records one after another from one RNG, so a smaller catalog is
a prefix of a larger one with the same seed. ``generate`` runs that loop: it
pauses the garbage collector and spoils every ``bad_every``-th record with the
network's defects in turn. ``spoil_some`` makes the spoiled copies that a
``fault=malformed`` response serves; the catalog itself is never touched.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

HOST_PLACEHOLDER = "{host}"  # replaced by the server with the request's Host
R = TypeVar("R")
Spoil = Callable[[R, str], R]  # (record, defect) -> a spoiled copy


@contextmanager
def gc_paused() -> Iterator[None]:
    # Millions of fresh dicts trigger repeated full collections that scan the
    # growing list (about a third of the run time at 100k items); none of it is garbage.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def generate(
    size: int,
    make: Callable[[int], R],
    *,
    spoil: Spoil[R],
    defects: Sequence[str],
    bad_every: int,
) -> list[R]:
    """``make(index)`` for each index below ``size``, every ``bad_every``-th spoiled.

    ``bad_every`` 0 spoils nothing. Spoiling draws nothing from the RNG, so the
    good records do not depend on ``bad_every``.
    """
    records = []
    with gc_paused():
        for index in range(size):
            record = make(index)
            if bad_every > 0 and (index + 1) % bad_every == 0:
                record = spoil(record, defects[(index // bad_every) % len(defects)])
            records.append(record)
    return records


def spoil_some(
    records: list[R], spoil: Spoil[R], defects: Sequence[str], *, every: int, first: int
) -> list[R]:
    """A copy of ``records`` with the one at index ``first`` and every ``every``-th
    after it spoiled, cycling through ``defects``."""
    out = list(records)
    for n, index in enumerate(range(first, len(out), every)):
        out[index] = spoil(out[index], defects[n % len(defects)])
    return out
