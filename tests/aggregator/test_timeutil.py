"""Partner times → aware UTC; UTC → the API's ISO 8601 with ``Z``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from aggregator.pricing import is_active
from aggregator.records import CouponRecord
from aggregator.timeutil import (
    SHANGHAI,
    TimeParseError,
    as_utc,
    days_ago,
    from_epoch,
    iso_z,
    parse_wall_clock,
    shanghai_timestamp,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# 2023-04-29 00:00:00 in Shanghai is 2023-04-28 16:00:00 UTC = epoch 1682697600.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-04-29 00:00:00", utc(2023, 4, 28, 16)),
        ("2023-04-29 08:30:15", utc(2023, 4, 29, 0, 30, 15)),
        ("  2023-04-29 00:00:00  ", utc(2023, 4, 28, 16)),
        ("2023/04/29 00:00:00", utc(2023, 4, 28, 16)),
        ("2023-04-29T00:00:00", utc(2023, 4, 28, 16)),
        ("2023-04-29", utc(2023, 4, 28, 16)),  # a bare date starts the day (Shanghai)
        ("2023-04-29T08:00:00+08:00", utc(2023, 4, 29)),
        ("2023-04-29T00:00:00+00:00", utc(2023, 4, 29)),
        ("2023-04-29T00:00:00Z", utc(2023, 4, 29)),
        ("2023-04-28T20:00:00-04:00", utc(2023, 4, 29)),
        ("1682697600", utc(2023, 4, 28, 16)),  # seconds as str
        (1682697600, utc(2023, 4, 28, 16)),  # seconds as int
        ("1682697600000", utc(2023, 4, 28, 16)),  # milliseconds as str
        (1682697600000, utc(2023, 4, 28, 16)),  # milliseconds as int
        (1682697600.5, datetime(2023, 4, 28, 16, 0, 0, 500000, tzinfo=UTC)),
        ("1682697600500", datetime(2023, 4, 28, 16, 0, 0, 500000, tzinfo=UTC)),
        ("0", utc(1970, 1, 1)),
    ],
)
def test_parse_wall_clock(value: object, expected: datetime) -> None:
    result = parse_wall_clock(value)
    assert result == expected
    assert result.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("value", "date_is_end", "expected"),
    [
        ("2030-01-31", False, utc(2030, 1, 30, 16)),
        ("2030-01-31", True, utc(2030, 1, 31, 15, 59, 59)),
        # date_is_end only concerns bare dates
        ("2030-01-31 12:00:00", True, utc(2030, 1, 31, 4)),
        ("1682697600", True, utc(2023, 4, 28, 16)),
    ],
)
def test_parse_wall_clock_date_is_end(value: str, date_is_end: bool, expected: datetime) -> None:
    assert parse_wall_clock(value, date_is_end=date_is_end) == expected


def test_parse_wall_clock_other_zone() -> None:
    london = ZoneInfo("Europe/London")
    assert parse_wall_clock("2023-07-01 12:00:00", london) == utc(2023, 7, 1, 11)
    assert parse_wall_clock("2023-01-01", london) == utc(2023, 1, 1)


@pytest.mark.parametrize(
    "value",
    ["", "   ", None, "abc", "yesterday", "2023-13-01", "2023-02-30", "2023-04-29 25:00:00",
     "29/04/2023", "1e5", "12:00", "2023-04-29 00:00:00 UTC+8"],
)
def test_parse_wall_clock_rejects_garbage(value: object) -> None:
    with pytest.raises(TimeParseError):
        parse_wall_clock(value)


@pytest.mark.parametrize(
    "value", ["99999999999999999999", "-99999999999999999999", 10**25, float("inf"),
              float("-inf"), float("nan"), 1e300],
)
def test_parse_wall_clock_out_of_range_epoch_is_a_parse_error(value: object) -> None:
    # Parsers catch TimeParseError to reject one record; anything else aborts the page.
    with pytest.raises(TimeParseError):
        parse_wall_clock(value)


@pytest.mark.parametrize(
    ("moment", "active"),
    [
        (datetime(2030, 1, 31, 0, 0, 0, tzinfo=SHANGHAI), True),
        (datetime(2030, 1, 31, 23, 59, 59, tzinfo=SHANGHAI), True),
        (datetime(2030, 1, 31, 23, 59, 59, 999999, tzinfo=SHANGHAI), True),
        (datetime(2030, 2, 1, 0, 0, 0, tzinfo=SHANGHAI), False),
    ],
)
def test_coupon_valid_through_a_day_lives_through_its_last_second(moment: datetime,
                                                                  active: bool) -> None:
    ends = parse_wall_clock("2030-01-31", date_is_end=True)
    coupon = CouponRecord(external_id="c", kind="amount_off", currency="CNY", title="t",
                          amount=100, ends_at=ends)
    assert is_active(coupon, moment) is active


def test_from_epoch_threshold() -> None:
    # 99_999_999_999 s is year 5138; one more and the value is read as milliseconds.
    assert from_epoch(99_999_999_999).year == 5138
    assert from_epoch(100_000_000_000) == utc(1973, 3, 3, 9, 46, 40)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (utc(2026, 11, 23), "2026-11-23T00:00:00Z"),
        (utc(2026, 11, 23, 8, 5, 9), "2026-11-23T08:05:09Z"),
        (datetime(2026, 11, 23, 8, tzinfo=SHANGHAI), "2026-11-23T00:00:00Z"),
        (datetime(2026, 11, 23, 1, tzinfo=timezone(timedelta(hours=-5))), "2026-11-23T06:00:00Z"),
        (datetime(2026, 11, 23, 12), "2026-11-23T12:00:00Z"),  # naive read as UTC
        (datetime(2026, 11, 23, 0, 0, 0, 123456, tzinfo=UTC), "2026-11-23T00:00:00.123456Z"),
        (None, None),
    ],
)
def test_iso_z(value: datetime | None, expected: str | None) -> None:
    assert iso_z(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 11, 23, 12, 30), utc(2026, 11, 23, 12, 30)),
        (datetime(2026, 11, 23, 20, 30, tzinfo=SHANGHAI), utc(2026, 11, 23, 12, 30)),
        (utc(2026, 11, 23, 12, 30), utc(2026, 11, 23, 12, 30)),
    ],
)
def test_as_utc(value: datetime, expected: datetime) -> None:
    result = as_utc(value)
    assert result == expected
    assert result.tzinfo is UTC


def test_shanghai_timestamp() -> None:
    assert shanghai_timestamp(utc(2023, 4, 28, 16)) == "2023-04-29 00:00:00"


def test_days_ago() -> None:
    assert days_ago(30, utc(2026, 11, 23)) == utc(2026, 10, 24)
