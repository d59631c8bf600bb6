"""Money as integer minor units plus an ISO 4217 code. Decimal at the edges, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Minor-unit exponents for the currencies partners send; ISO 4217 default is 2.
_EXPONENTS = {"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "HUF": 2, "KWD": 3, "BHD": 3}


_SCALES = {code: Decimal(10) ** places for code, places in _EXPONENTS.items()} | {
    code: Decimal(100) for code in ("CNY", "USD", "EUR", "GBP", "HKD")}


class MoneyError(ValueError):
    """A value that cannot be read as an amount of money."""


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency.upper(), 2)


def to_decimal(value: object) -> Decimal:
    """Read a decimal amount from a string, int or (partner-sent) float without binary noise."""
    if isinstance(value, Decimal):  # already read (parsers hand on what they checked)
        if not value.is_finite():
            raise MoneyError(f"not an amount: {value!r}")
        return value
    if isinstance(value, bool) or value is None:
        raise MoneyError(f"not an amount: {value!r}")
    text = str(value).strip().replace(",", "")
    if not text:
        raise MoneyError("empty amount")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise MoneyError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise MoneyError(f"not an amount: {value!r}")
    return amount


def to_minor(value: object, currency: str) -> int:
    """``"59.9", "CNY"`` → ``5990``. Rounds half up at the currency's precision."""
    scale = _SCALES.get(currency) or Decimal(10) ** exponent(currency)
    try:
        return int((to_decimal(value) * scale).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except InvalidOperation as exc:  # "1e30" overflows the decimal context's precision
        raise MoneyError(f"amount out of range: {value!r}") from exc


def from_minor(amount: int, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-exponent(currency))


def percent_to_bp(value: object) -> int:
    """``15.0`` (percent) → ``1500`` basis points."""
    return int((to_decimal(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def apply_percent(amount: int, bp: int) -> int:
    """``amount`` × ``bp``/10000, rounded half up, in minor units."""
    return int((Decimal(amount) * bp / 10000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
