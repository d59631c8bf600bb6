"""How one commission is shared: sharer, their inviter (level 1), the inviter's inviter
(level 2), and the platform, which keeps the remainder.

Each share is rounded down to the minor unit and the platform takes what is left, so the
parts always add up to the commission exactly: no fen is created or lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from aggregator.settings import Settings, get_settings

BP = 10_000


@dataclass(frozen=True, slots=True)
class Rates:
    sharer_bp: int
    level1_bp: int
    level2_bp: int

    def __post_init__(self) -> None:
        parts = (self.sharer_bp, self.level1_bp, self.level2_bp)
        if min(parts) < 0 or sum(parts) > BP:
            raise ValueError(f"share rates must be ≥ 0 and add up to at most {BP} bp: {parts}")

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Rates:
        s = settings or get_settings()
        return cls(s.share_sharer_bp, s.share_level1_bp, s.share_level2_bp)


@dataclass(frozen=True, slots=True)
class Beneficiaries:
    sharer: int | None  # user ids; None: nobody in that role
    level1: int | None = None
    level2: int | None = None


def split(commission: int, *, to: Beneficiaries, rates: Rates) -> dict[tuple[str, int | None], int]:
    """``{(role, user_id): amount}`` for every non-zero part; the platform's key is
    ``("platform", None)``. A missing beneficiary's part stays with the platform."""
    if commission < 0:
        raise ValueError("a commission cannot be negative")
    parts: dict[tuple[str, int | None], int] = {}
    for role, user_id, bp in (("sharer", to.sharer, rates.sharer_bp),
                              ("level1", to.level1, rates.level1_bp),
                              ("level2", to.level2, rates.level2_bp)):
        amount = commission * bp // BP
        if user_id is not None and amount:
            parts[(role, user_id)] = amount
    remainder = commission - sum(parts.values())
    if remainder:
        parts[("platform", None)] = remainder
    return parts
