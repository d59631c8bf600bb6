"""Helpers shared by the pure parsers: errors, URLs, numbers, Chinese coupon text."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urljoin, urlsplit

from aggregator.money import MoneyError, from_minor, to_decimal


class ParseError(ValueError):
    """A raw record that cannot be normalized; the message is the reject reason."""


class FeedError(ParseError):
    """The file as a whole is not usable to the end: the crawl cannot be complete."""


class TruncatedFeed(FeedError):
    """The file ends mid-record (or turns unreadable): the records before it are good."""


class FeedFormatError(FeedError):
    """Not the expected kind of file at all (an HTML error page, a different export)."""


class PartnerAPIError(Exception):
    """The partner answered with its error envelope instead of data."""

    def __init__(self, code: str, message: str, sub_code: str | None = None) -> None:
        self.code, self.message, self.sub_code = code, message, sub_code
        detail = f" ({sub_code})" if sub_code else ""
        super().__init__(f"partner error {code}: {message}{detail}")


def absolute_url(value: object, base_url: str, *, required: bool = False) -> str | None:
    """Resolve scheme-relative ``//host/path`` (and relative) URLs against the feed's URL."""
    text = str(value or "").strip()
    if not text:
        if required:
            raise ParseError("missing url")
        return None
    if text.startswith(("https://", "http://")):
        return text
    if text.startswith("//"):  # the common case in Chinese feeds: take the feed's scheme
        return f"{base_url.split(':', 1)[0]}:{text}"
    url = urljoin(base_url, text)
    if urlsplit(url).scheme not in ("http", "https"):
        raise ParseError(f"unsupported url {text[:80]!r}")
    return url


def decimal_field(raw: dict[str, object], name: str, *, required: bool = True) -> Decimal | None:
    value = raw.get(name)
    if value in (None, "") and not required:
        return None
    try:
        return to_decimal(value)
    except MoneyError as exc:
        raise ParseError(f"unparseable {name}: {value!r}") from exc


def int_field(raw: dict[str, object], name: str) -> int | None:
    value = raw.get(name)
    if value in (None, ""):
        return None
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise ParseError(f"unparseable {name}: {value!r}") from exc


_NUM = r"(\d+(?:\.\d+)?)"
_MANJIAN = re.compile(rf"满\s*{_NUM}\s*元?\s*(?:可用)?\s*[减立]\s*减?\s*{_NUM}\s*元?")
_NO_THRESHOLD = re.compile(rf"{_NUM}\s*元\s*无(?:条件|门槛)")
_NO_THRESHOLD_PREFIX = re.compile(rf"无(?:条件|门槛)\s*{_NUM}\s*元?")


def parse_manjian(text: str) -> tuple[Decimal, Decimal] | None:
    """Coupon text → (minimum spend, amount off) in major units, or None if unreadable.

    "满500元减199元" → (500, 199); "满98.0元减5.0元" → (98.0, 5.0);
    "20元无条件券" / "无门槛5元" → (0, 20) / (0, 5).
    """
    text = text.strip()
    if match := _MANJIAN.search(text):
        return Decimal(match.group(1)), Decimal(match.group(2))
    if match := _NO_THRESHOLD.search(text) or _NO_THRESHOLD_PREFIX.search(text):
        return Decimal(0), Decimal(match.group(1))
    return None


def manjian_title(minimum: int, amount: int, currency: str = "CNY") -> str:
    """The usual Chinese wording from minor units: 满15元减5元, or 5元无门槛券."""
    off = f"{from_minor(amount, currency).normalize():f}"
    if minimum <= 0:
        return f"{off}元无门槛券"
    return f"满{from_minor(minimum, currency).normalize():f}元减{off}元"


def clean_text(text: str | None) -> str:
    """Whitespace runs become one space; nothing else about scraped text is changed."""
    return " ".join((text or "").split())


_NOT_NUMBER = re.compile(r"[^\d.,-]")


def shown_amount(shown: str) -> Decimal:
    """A price as shops write it: "39.90", "¥39.90", "1,299.00", "1.299,00", "12,99"."""
    text = _NOT_NUMBER.sub("", shown)
    if re.fullmatch(r"-?\d+,\d{1,2}", text):
        text = text.replace(",", ".")  # a decimal comma; "1,299" stays a thousands comma
    elif "," in text and "." in text and text.rindex(",") > text.rindex("."):
        text = text.replace(".", "").replace(",", ".")
    try:
        return to_decimal(text)
    except MoneyError as exc:
        raise ParseError(f"unparseable price: {shown[:80]!r}") from exc
