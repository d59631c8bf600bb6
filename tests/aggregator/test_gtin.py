"""normalize_gtin: every GTIN length to one verified 14-digit form, anything doubtful to None."""

from __future__ import annotations

import pytest

from aggregator.gtin import check_digit, normalize_gtin

# (input, GTIN-14 or None, why)
CASES: list[tuple[str | None, str | None, str]] = [
    # the four GS1 lengths, each with a correct check digit
    ("96385074", "00000096385074", "EAN-8"),
    ("036000291452", "00036000291452", "UPC-A (12)"),
    ("5012345678900", "05012345678900", "EAN-13"),
    ("4006381333931", "04006381333931", "EAN-13, another prefix"),
    ("05012345678900", "05012345678900", "GTIN-14 of an EAN-13 (leading 0)"),
    ("10012345678902", "10012345678902", "GTIN-14 with a packaging indicator"),
    # separators partners put in
    ("5012 3456 78900", "05012345678900", "spaces inside"),
    ("501-2345-678900", "05012345678900", "dashes inside"),
    ("  5012345678900  ", "05012345678900", "surrounding blanks"),
    ("0 36000 29145 2", "00036000291452", "UPC printed in groups"),
    ("5012345678900\n", "05012345678900", "trailing newline from a CSV cell"),
    # wrong check digits: a typo must never merge two products
    ("5012345678901", None, "EAN-13, check digit off by one"),
    ("5012345678909", None, "EAN-13, wrong check digit"),
    ("96385075", None, "EAN-8, wrong check digit"),
    ("036000291453", None, "UPC-A, wrong check digit"),
    ("10012345678903", None, "GTIN-14, wrong check digit"),
    ("5012345687900", None, "EAN-13 with two digits swapped"),
    # placeholders
    ("00000000", None, "all zeros, 8"),
    ("0000000000000", None, "all zeros, 13"),
    ("00000000000000", None, "all zeros, 14"),
    ("0000-0000", None, "all zeros with a dash"),
    # not digits
    ("501234567890A", None, "a letter"),
    ("ABCDEFGHIJKLM", None, "letters only"),
    ("5012345678900.0", None, "a spreadsheet float"),
    ("5.01234567890E+12", None, "scientific notation"),
    ("５０１２３４５６７８９００", None, "full-width digits are not ASCII"),
    # lengths
    ("1234565", None, "7 digits: too short"),
    ("123", None, "3 digits"),
    ("123456789012345", None, "15 digits: too long"),
    ("005012345678900", None, "EAN-13 padded to 15"),
    # nothing
    (None, None, "None"),
    ("", None, "empty"),
    ("   ", None, "blank"),
    ("--", None, "only dashes"),
]


@pytest.mark.parametrize(("value", "expected", "why"), CASES, ids=[c[2] for c in CASES])
def test_normalize_gtin(value: str | None, expected: str | None, why: str) -> None:
    assert normalize_gtin(value) == expected, why


@pytest.mark.parametrize("code", ["96385074", "036000291452", "5012345678900", "10012345678902"])
def test_every_length_gives_14_digits_and_is_idempotent(code: str) -> None:
    once = normalize_gtin(code)
    assert once is not None and len(once) == 14 and once.isdigit()
    assert normalize_gtin(once) == once
    assert once.lstrip("0") == code.lstrip("0")


@pytest.mark.parametrize(("short", "long"), [
    ("5012345678900", "05012345678900"),
    ("036000291452", "0036000291452"),
    ("036000291452", "00036000291452"),
    ("96385074", "00000096385074"),
])
def test_the_same_code_at_any_length_is_one_gtin(short: str, long: str) -> None:
    assert normalize_gtin(short) == normalize_gtin(long) is not None


@pytest.mark.parametrize(("body", "digit"), [
    ("501234567890", 0), ("03600029145", 2), ("9638507", 4), ("400638133393", 1),
    ("1001234567890", 2), ("0", 0), ("1", 7),
])
def test_check_digit(body: str, digit: int) -> None:
    assert check_digit(body) == digit


def test_every_wrong_check_digit_is_refused() -> None:
    body = "501234567890"
    good = check_digit(body)
    for wrong in (d for d in range(10) if d != good):
        assert normalize_gtin(f"{body}{wrong}") is None
    assert normalize_gtin(f"{body}{good}") == f"0{body}{good}"
