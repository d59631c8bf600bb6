"""Shared by the table-driven parser tests.

A table row expects either a good record or a reject; ``rejected`` and ``accepted`` check
which one a parser produced and hand it back for the row's own comparisons.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from aggregator.records import OfferRecord, RejectRecord

Good = TypeVar("Good")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0,
        second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def rejected(record: object, reason: str, case: str) -> RejectRecord:
    """``record`` must be a reject whose reason contains ``reason``."""
    assert isinstance(record, RejectRecord), case
    assert reason in record.reason
    return record


def accepted(record: object, kind: type[Good], case: str) -> Good:
    """``record`` must be a good ``kind``; a reject fails the row with its reason."""
    assert isinstance(record, kind), getattr(record, "reason", case)
    return record


def fields(record: object, expected: dict[str, Any]) -> dict[str, Any]:
    """The record's values of the fields ``expected`` names, to compare with it."""
    return {name: getattr(record, name) for name in expected}


def coupon_terms(record: object, case: str) -> list[tuple[Any, ...]]:
    """A good offer's coupons as (amount, min_spend, starts_at, ends_at)."""
    offer = accepted(record, OfferRecord, case)
    return [(c.amount, c.min_spend, c.starts_at, c.ends_at) for c in offer.coupons]
