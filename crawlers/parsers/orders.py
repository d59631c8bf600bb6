"""Shared by the order parsers (Taobao, PDD, JD, Awin): pages, skips, times and money.

Every network's order row becomes an ``OrderRecord`` (aggregator/records.py), a
``RejectRecord`` (the row cannot be read: kept for review, the crawl goes on) or a
``SkippedOrder``: a row the network lists that is not an order yet (unpaid), which is
neither stored nor reviewed, only counted and logged.

Each parser maps its network's statuses to ours in a table beside its parse function:
``pending`` (the network may still pay), ``confirmed`` (settled: the commission is
final) and ``reversed`` (cancelled, refunded, invalid: nothing is owed, and whatever
was credited is clawed back). The commission is the network's estimate while pending
and its settled figure once settled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aggregator.money import MoneyError, to_minor
from aggregator.records import OrderRecord, RejectRecord
from aggregator.timeutil import SHANGHAI, TimeParseError, parse_wall_clock
from crawlers.parsers.common import ApiPage, ParseError

TITLE_MAX = 500  # conversions.title; a longer title is cut, never a reason to reject


@dataclass(frozen=True, slots=True)
class SkippedOrder:
    """A listed row that is not an order we report (yet): unpaid, awaiting payment."""

    order_id: str | None
    reason: str


@dataclass(frozen=True)
class OrderPage(ApiPage):
    """One page of an order API. ``has_next`` None: the network does not say (the spider
    decides from the page's size and the total); ``cursor``: what the next page needs."""

    skipped: Sequence[SkippedOrder] = field(default_factory=tuple)
    has_next: bool | None = None
    cursor: str | None = None

    @property
    def is_last(self) -> bool:
        if self.has_next is not None:
            return not self.has_next
        return not self.records and not self.skipped

    @property
    def rows(self) -> int:
        return len(self.records) + len(self.skipped)


def order_page(parsed: Iterable[OrderRecord | SkippedOrder | RejectRecord], *,
               total: int | None = None, has_next: bool | None = None,
               cursor: str | None = None) -> OrderPage:
    """A page from ``parse_rows``' results, with the skipped rows set apart."""
    records: list[OrderRecord | RejectRecord] = []
    skipped: list[SkippedOrder] = []
    for item in parsed:
        if isinstance(item, SkippedOrder):
            skipped.append(item)
        else:
            records.append(item)
    return OrderPage(records=records, total=total, skipped=tuple(skipped), has_next=has_next,
                     cursor=cursor)


def order_time(raw: dict[str, Any], name: str, *, tz: ZoneInfo = SHANGHAI) -> datetime | None:
    """A wall-clock time in ``tz`` (UTC+8 for the Chinese networks) or an epoch, in UTC.

    Empty, missing, 0 and "0" are "not yet" (a settle time of an unsettled order).
    """
    value = raw.get(name)
    if value in (None, "", 0, "0"):
        return None
    try:
        return parse_wall_clock(value, tz)
    except TimeParseError as exc:
        raise ParseError(f"bad {name}: {exc}") from exc


def first_time(raw: dict[str, Any], *names: str, tz: ZoneInfo = SHANGHAI) -> datetime:
    """The first of ``names`` that is set; a row with none of them cannot be placed in time."""
    for name in names:
        moment = order_time(raw, name, tz=tz)
        if moment is not None:
            return moment
    raise ParseError(f"missing {' and '.join(names)}")


def latest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return max(known) if known else None


def money(raw: dict[str, Any], name: str, currency: str, *, default: int | None = None) -> int:
    """A decimal amount (string or number) in minor units; negative amounts are refused.

    ``default`` is used when the field is missing or empty; without one that is an error.
    """
    value = raw.get(name)
    if value in (None, ""):
        if default is None:
            raise ParseError(f"missing {name}")
        return default
    try:
        amount = to_minor(value, currency)
    except MoneyError as exc:
        raise ParseError(f"unparseable {name}: {value!r}") from exc
    if amount < 0:
        raise ParseError(f"negative {name}: {value!r}")
    return amount


def status_code(raw: dict[str, Any], name: str) -> int:
    """A numeric status (``12``, ``"12"``, ``-1``); anything else is unreadable."""
    value = raw.get(name)
    text = str(value).strip() if value is not None and not isinstance(value, bool) else ""
    if not text.lstrip("-").isdigit():
        raise ParseError(f"unreadable {name}: {value!r}")
    return int(text)


def title_of(value: object) -> str | None:
    text = " ".join(str(value or "").split())
    return text[:TITLE_MAX] or None


def sub_id_text(value: object) -> str | None:
    """A sub-id as the network echoed it; empty and "0" mean none."""
    text = str(value).strip() if value is not None else ""
    return text if text not in ("", "0") else None
