"""Helpers shared by the pure parsers: errors, API pages, URLs, numbers, coupon text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

from aggregator.money import MoneyError, from_minor, to_decimal
from aggregator.records import OfferRecord, OrderRecord, RejectRecord
from aggregator.timeutil import TimeParseError, parse_wall_clock

Amount = TypeVar("Amount", int, Decimal)
Parsed = TypeVar("Parsed")


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


def unexpected_envelope(body: dict[str, Any]) -> PartnerAPIError:
    """Neither the data envelope nor an error envelope: something else answered."""
    return PartnerAPIError("envelope", f"unexpected response keys: {sorted(body)[:5]}")


def envelope_object(body: dict[str, Any], key: str) -> dict[str, Any]:
    """The object under ``key`` of an answer whose error envelope was already checked:
    ``{}`` for null, PartnerAPIError when it is missing or not an object."""
    if key not in body:
        raise unexpected_envelope(body)
    payload = body[key]
    if payload is None:
        return {}
    if not isinstance(payload, dict):
        raise PartnerAPIError("envelope", f"{key} is not an object")
    return payload


@dataclass(frozen=True)
class ApiPage:
    """One page of a signed API (Taobao, PDD, JD): good records, rejects, the total."""

    records: Sequence[OfferRecord | OrderRecord | RejectRecord]
    total: int | None

    @property
    def is_last(self) -> bool:
        """A page with no entries (its list empty, null or missing) ends the paging."""
        return not self.records


def parse_rows(rows: Iterable[object], parse: Callable[[dict[str, Any]], Parsed], *,
               partner: str, id_fields: tuple[str, ...]) -> list[Parsed | RejectRecord]:
    """Each entry of a page → its record, or a reject saying why: one bad row never costs
    the page. ``id_fields`` name the entry's id, first set one wins (for the reject row)."""
    records: list[Parsed | RejectRecord] = []
    for raw in rows:
        if not isinstance(raw, dict):
            records.append(RejectRecord(partner=partner, reason="entry is not an object",
                                        raw={"value": raw}))
            continue
        try:
            records.append(parse(raw))
        except (ParseError, ValueError) as exc:  # ValueError: a record's own invariants
            records.append(RejectRecord(partner=partner, reason=str(exc), raw=raw,
                                        external_id=_entry_id(raw, id_fields)))
    return records


def _entry_id(raw: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    key: object = None
    for name in fields:  # ``raw.get(a) or raw.get(b)``
        key = raw.get(name)
        if key:
            break
    return str(key) if key not in (None, "") else None


def page_total(value: object) -> int | None:
    """A page's total; missing or garbage there only loses the progress estimate."""
    if value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


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


def optional_amount(read: Callable[..., Amount | None], raw: dict[str, Any],
                    name: str) -> Amount | None:
    """A list price that is missing or garbage is dropped, not fatal: the price is what sells.

    ``read`` is the field reader for the feed's units (``decimal_field``, PDD's fen).
    """
    try:
        value = read(raw, name, required=False)
    except ParseError:
        return None
    return value if value is not None and value > 0 else None


def required_text(value: object, *, name: str) -> str:
    """An id or a title the record cannot do without."""
    text = str(value or "").strip()
    if not text:
        raise ParseError(f"missing {name}")
    return text


def optional_text(value: object) -> str | None:
    return str(value or "").strip() or None


def optional_id(value: object) -> str | None:
    """A shop or seller id; 0 is the networks' "none"."""
    return str(value) if value not in (None, "", 0) else None


def epoch_time(value: object, *, name: str) -> datetime | None:
    """An epoch (seconds or milliseconds, told apart by size) in UTC.

    0 is "not set": no bound, not 1970.
    """
    if value in (None, "", 0, "0"):
        return None
    try:
        return parse_wall_clock(value)
    except TimeParseError as exc:
        raise ParseError(f"bad {name}: {exc}") from exc


def coupon_id(item: str, minimum: int, amount: int, starts: object, ends: object) -> str:
    """The terms and window identify a coupon across crawls; links may carry per-request
    tracking and are too long for the id column."""
    return f"{item}:{minimum}:{amount}:{starts or ''}:{ends or ''}"


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
