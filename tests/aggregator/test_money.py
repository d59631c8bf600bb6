"""Money at the edge: partner amounts → integer minor units, percents → basis points."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aggregator.money import (
    MoneyError,
    apply_percent,
    exponent,
    from_minor,
    percent_to_bp,
    to_decimal,
    to_minor,
)


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        ("599.00", "CNY", 59900),
        ("567.0", "CNY", 56700),
        ("59.9", "CNY", 5990),
        ("0.01", "CNY", 1),
        ("0", "CNY", 0),
        (299.0, "CNY", 29900),  # JD sends floats
        (19.99, "USD", 1999),
        (0.1, "CNY", 10),
        (1.005, "CNY", 101),  # float read through str(): no binary noise (Decimal(1.005) < 1.005)
        (42, "CNY", 4200),
        (Decimal("12.34"), "EUR", 1234),
        (Decimal("0.125"), "CNY", 13),  # a Decimal already read is used as it is
        ("1,299.50", "CNY", 129950),
        ("1,234,567.89", "USD", 123456789),
        ("  88.8 ", "CNY", 8880),
        ("1e3", "CNY", 100000),
        ("1299", "JPY", 1299),
        ("1299.5", "JPY", 1300),
        ("1299.4", "JPY", 1299),
        ("1299.5", "jpy", 1300),  # currency codes are case-insensitive
        ("1.2345", "KWD", 1235),  # three-decimal currency
        # half up at the currency's precision
        ("0.005", "CNY", 1),
        ("0.004", "CNY", 0),
        ("0.015", "CNY", 2),
        ("0.025", "CNY", 3),  # half up, not banker's rounding (which gives 2)
        ("2.675", "GBP", 268),
        ("-0.005", "CNY", -1),  # half away from zero
    ],
)
def test_to_minor(value: object, currency: str, expected: int) -> None:
    result = to_minor(value, currency)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    "value",
    ["", "   ", "abc", "¥59.9", "59.9元", None, True, False, "NaN", "nan", "sNaN", "Infinity",
     "-inf", float("nan"), float("inf"), "1.2.3", [], {}, "1e30", "-1e40", 1e300,
     Decimal("NaN"), Decimal("Infinity"), Decimal("1e30")],
)
def test_to_minor_rejects(value: object) -> None:
    with pytest.raises(MoneyError):
        to_minor(value, "CNY")


def test_money_error_is_a_value_error() -> None:
    assert issubclass(MoneyError, ValueError)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("59.90", Decimal("59.90")), (299.0, Decimal("299.0")), ("1,000", Decimal("1000")),
     (7, Decimal("7"))],
)
def test_to_decimal(value: object, expected: Decimal) -> None:
    result = to_decimal(value)
    assert isinstance(result, Decimal)
    assert result == expected


@pytest.mark.parametrize(
    ("currency", "expected"),
    [("CNY", 2), ("USD", 2), ("GBP", 2), ("JPY", 0), ("KRW", 0), ("KWD", 3), ("xyz", 2)],
)
def test_exponent(currency: str, expected: int) -> None:
    assert exponent(currency) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [(5990, "CNY", Decimal("59.90")), (1299, "JPY", Decimal("1299")), (1, "USD", Decimal("0.01")),
     (12345, "KWD", Decimal("12.345"))],
)
def test_from_minor(amount: int, currency: str, expected: Decimal) -> None:
    assert from_minor(amount, currency) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (15.0, 1500),  # JD commissionShare
        ("15.50", 1550),
        (20, 2000),
        ("0.01", 1),
        ("0.005", 1),  # half up
        ("0.004", 0),
        ("100", 10000),
        ("0", 0),
    ],
)
def test_percent_to_bp(value: object, expected: int) -> None:
    result = percent_to_bp(value)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize("value", ["", "abc", None, True, "NaN"])
def test_percent_to_bp_rejects(value: object) -> None:
    with pytest.raises(MoneyError):
        percent_to_bp(value)


@pytest.mark.parametrize(
    ("amount", "bp", "expected"),
    [
        (10000, 1500, 1500),
        (10000, 0, 0),
        (10000, 10000, 10000),
        (999, 1550, 155),  # 154.845 → 155
        (999, 1000, 100),  # 99.9 → 100
        (101, 5000, 51),  # 50.5 → 51: half up
        (1, 4999, 0),  # 0.4999 → 0
        (1, 5000, 1),  # 0.5 → 1
        (0, 1500, 0),
    ],
)
def test_apply_percent(amount: int, bp: int, expected: int) -> None:
    result = apply_percent(amount, bp)
    assert result == expected
    assert type(result) is int
