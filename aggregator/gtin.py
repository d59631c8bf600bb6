"""GTINs (EAN-8, UPC-A, EAN-13, GTIN-14): one 14-digit form with a verified check digit."""

from __future__ import annotations


def check_digit(body: str) -> int:
    """GS1 check digit of the digits before it (weights 3,1,3,… from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def normalize_gtin(value: str | None) -> str | None:
    """GTIN-14 of a GTIN-8/12/13/14 (spaces and dashes allowed), or None.

    None for anything that is not 8 to 14 digits, is all zeros, or fails its check
    digit: a wrong GTIN would merge two different products.
    """
    if not value:
        return None
    digits = value.strip().replace(" ", "").replace("-", "")
    if not (digits.isascii() and digits.isdigit() and 8 <= len(digits) <= 14):
        return None
    if not digits.strip("0"):
        return None
    padded = digits.zfill(14)
    return padded if check_digit(padded[:13]) == int(padded[13]) else None
