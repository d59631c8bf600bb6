"""The record loop every generator shares, and the copies fault=malformed serves."""

from __future__ import annotations

from crawlers.sandbox.records import generate, spoil_some


def spoil(record: str, defect: str) -> str:
    return f"{record}:{defect}"


def test_generate_spoils_every_nth_record_cycling_the_defects() -> None:
    made: list[int] = []

    def make(index: int) -> str:
        made.append(index)
        return f"r{index}"

    records = generate(7, make, spoil=spoil, defects=("x", "y"), bad_every=2)
    assert made == list(range(7))
    assert records == ["r0", "r1:x", "r2", "r3:y", "r4", "r5:x", "r6"]


def test_generate_without_bad_every_spoils_nothing() -> None:
    assert generate(3, str, spoil=spoil, defects=("x",), bad_every=0) == ["0", "1", "2"]


def test_spoil_some_copies_and_spoils_from_first_every_nth() -> None:
    records = [str(n) for n in range(10)]
    spoiled = spoil_some(records, spoil, ("x", "y"), every=4, first=2)
    assert spoiled == ["0", "1", "2:x", "3", "4", "5", "6:y", "7", "8", "9"]
    assert records == [str(n) for n in range(10)]  # the catalog itself is never touched
