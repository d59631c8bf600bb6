"""UTC everywhere inside; partner wall-clock times and epochs converted at the edge."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
_DIGITS = re.compile(r"^-?\d+(\.\d+)?$")
# Epochs above this are milliseconds: 1e11 seconds is the year 5138.
_MS_THRESHOLD = 100_000_000_000


class TimeParseError(ValueError):
    """A partner time value in none of the known forms."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def from_epoch(value: float | int | str) -> datetime:
    """Seconds or milliseconds since the epoch (detected by magnitude) → aware UTC."""
    try:
        number = float(value)
        if abs(number) >= _MS_THRESHOLD:
            number /= 1000
        return datetime.fromtimestamp(number, UTC)
    except (ValueError, OverflowError, OSError) as exc:  # nan, inf, beyond year 9999
        raise TimeParseError(f"epoch out of range: {value!r}") from exc


def parse_wall_clock(
    value: object, tz: ZoneInfo = SHANGHAI, *, date_is_end: bool = False
) -> datetime:
    """Parse a partner time: an epoch (s or ms), ``YYYY-MM-DD HH:MM:SS`` or ``YYYY-MM-DD``.

    Wall-clock forms are in ``tz``. A bare date means the start of that day, or, with
    ``date_is_end``, its last second (a coupon "valid through 2030-01-31").
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_epoch(value)
    text = str(value or "").strip()
    if not text:
        raise TimeParseError("empty time")
    if _DIGITS.match(text):
        return from_epoch(text)
    try:
        text = text.replace("/", "-")
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = time(23, 59, 59) if date_is_end else time(0, 0, 0)
            local = datetime.combine(day, moment, tzinfo=tz)
        else:
            local = datetime.fromisoformat(text)
            if local.tzinfo is None:
                local = local.replace(tzinfo=tz)
    except ValueError as exc:
        raise TimeParseError(f"unrecognised time {text!r}") from exc
    return local.astimezone(UTC)


def as_utc(value: datetime) -> datetime:
    """Aware UTC from a datetime; naive values (SQLite round-trips) are taken as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def iso_z(value: datetime | None) -> str | None:
    """ISO 8601 with a ``Z`` suffix, as the API returns times."""
    if value is None:
        return None
    return as_utc(value).isoformat().replace("+00:00", "Z")


def shanghai_timestamp(moment: datetime | None = None) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in UTC+8, as Taobao and JD gateways expect."""
    return (moment or utcnow()).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def days_ago(days: int, now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(days=days)
