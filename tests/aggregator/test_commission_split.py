"""The split: parts always add up to the commission, rounding never creates a fen."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aggregator.affiliate.split import Beneficiaries, Rates, split

DEFAULT = Rates(5000, 1000, 500)
ALL = Beneficiaries(1, 2, 3)


@pytest.mark.parametrize(("commission", "to", "expected"), [
    (1000, ALL, {("sharer", 1): 500, ("level1", 2): 100, ("level2", 3): 50,
                 ("platform", None): 350}),
    (1, ALL, {("platform", None): 1}),  # every share rounds down to 0: platform keeps it
    (3, ALL, {("sharer", 1): 1, ("platform", None): 2}),
    (999, ALL, {("sharer", 1): 499, ("level1", 2): 99, ("level2", 3): 49,
                ("platform", None): 352}),
    (1000, Beneficiaries(1), {("sharer", 1): 500, ("platform", None): 500}),
    (1000, Beneficiaries(1, 2), {("sharer", 1): 500, ("level1", 2): 100,
                                 ("platform", None): 400}),
    (1000, Beneficiaries(None), {("platform", None): 1000}),  # unattributed order
    (0, ALL, {}),
])
def test_split_table(commission: int, to: Beneficiaries, expected: dict) -> None:
    assert split(commission, to=to, rates=DEFAULT) == expected


@given(commission=st.integers(0, 10**12), sharer=st.integers(0, 10_000),
       level1=st.integers(0, 10_000), level2=st.integers(0, 10_000))
def test_parts_sum_to_the_commission(commission: int, sharer: int, level1: int,
                                     level2: int) -> None:
    if sharer + level1 + level2 > 10_000:
        with pytest.raises(ValueError):
            Rates(sharer, level1, level2)
        return
    parts = split(commission, to=ALL, rates=Rates(sharer, level1, level2))
    assert sum(parts.values()) == commission
    assert all(v > 0 for v in parts.values())
    assert parts.get(("sharer", 1), 0) == commission * sharer // 10_000


def test_negative_commission_is_refused() -> None:
    with pytest.raises(ValueError):
        split(-1, to=ALL, rates=DEFAULT)
