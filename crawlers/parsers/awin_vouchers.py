"""Awin promotions / vouchers export (CSV): rows → VoucherRecord or RejectRecord.

The discount is read from the words of Title, Description and Terms ("10% off",
"£5 off orders over £50", "Free delivery"). Text that does not say plainly what the
shopper saves is rejected for review, never guessed: a misread voucher shows a false
券后价 on every offer of the merchant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from aggregator.money import to_minor
from aggregator.records import CouponKind, CouponRecord, RejectRecord, VoucherRecord
from crawlers.parsers.awin import (
    ID_MAX,
    NAME_MAX,
    TITLE_MAX,
    clip,
    first,
    http_url,
    iter_csv_rows,
    parse_amount,
)
from crawlers.parsers.common import ParseError

LONDON = ZoneInfo("Europe/London")
REQUIRED_COLUMNS = (("Promotion ID",), ("Advertiser ID",), ("Type",), ("Title",))
CODE_MAX = 100
_SYMBOLS = {"£": "GBP", "€": "EUR"}
_DOLLARS = {"USD", "AUD", "CAD", "NZD", "SGD", "HKD"}

# A money figure: symbol, whole number (thousands commas allowed), optional pence. The
# look-ahead refuses "€5,50" rather than reading it as €5.
_MONEY = r"([£€$])\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?(?![\d.,]\d)"
_PERCENT = r"(?<![\d.])(\d{1,3}(?:\.\d{1,2})?)\s?%"
_AMOUNT_OFF = re.compile(rf"{_MONEY}\s+(?:off|discount)\b|\bsave\s+{_MONEY}", re.I)
_PERCENT_OFF = re.compile(rf"{_PERCENT}\s+(?:off|discount)\b|\bsave\s+{_PERCENT}", re.I)
_FREE_SHIPPING = re.compile(
    r"\bfree\s+(?:[\w-]+\s+){0,2}(?:delivery|shipping|postage|p\s?&\s?p)\b", re.I)
_MIN_SPEND = re.compile(
    rf"\b(?:orders?|spend(?:ing)?|baskets?|purchases?)\s+(?:of\s+)?(?:over\s+|above\s+)?"
    rf"{_MONEY}|\bmin(?:imum)?\.?\s+(?:spend|order)(?:\s+value)?(?:\s+of)?\s*:?\s*{_MONEY}"
    rf"|\boff\s+{_MONEY}", re.I)
_UP_TO = re.compile(r"\bup\s+to\s*$", re.I)
# Accepted time forms, each with what an end in that form adds to reach its last second.
_TIME_FORMATS = (
    ("%d/%m/%Y %H:%M", timedelta(seconds=59)),
    ("%d/%m/%Y %H:%M:%S", timedelta()),
    ("%d/%m/%Y", timedelta(hours=23, minutes=59, seconds=59)),
    ("%Y-%m-%dT%H:%M:%S", timedelta()),  # the promotions API's form of the same times
)


@dataclass(frozen=True, slots=True)
class Terms:
    """What a voucher gives, in minor units of ``currency``."""

    kind: CouponKind
    currency: str
    amount: int | None = None
    percent_bp: int | None = None
    min_spend: int = 0


def iter_promotions(body: bytes, *, partner: str, currency: str,
                    tz: ZoneInfo = LONDON) -> Iterator[VoucherRecord | RejectRecord]:
    """Every row of the export, in file order. Raises FeedError (see parsers.awin)."""
    for row in iter_csv_rows(body, required=REQUIRED_COLUMNS):
        try:
            if row.problem:
                raise ParseError(row.problem)
            yield parse_promotion(row.values, partner=partner, currency=currency, tz=tz)
        except ValueError as exc:  # ParseError and the records' own checks
            yield RejectRecord(partner=partner, reason=str(exc), raw=row.values,
                               external_id=first(row.values, "Promotion ID")[:ID_MAX] or None)


def parse_promotion(row: dict[str, str], *, partner: str, currency: str,
                    tz: ZoneInfo = LONDON) -> VoucherRecord:
    promotion_id = first(row, "Promotion ID")
    if not promotion_id or len(promotion_id) > ID_MAX:
        raise ParseError("missing Promotion ID" if not promotion_id else "Promotion ID too long")
    title = first(row, "Title", "Description")
    if not title:
        raise ParseError("missing Title")
    code = _code(row)
    terms = read_terms(first(row, "Title"), first(row, "Description"), first(row, "Terms"),
                       currency=currency)
    url = http_url(first(row, "Deeplink Tracking", "Deeplink"), "Deeplink")
    coupon = CouponRecord(
        external_id=promotion_id, kind=terms.kind, currency=terms.currency,
        title=title[:TITLE_MAX], amount=terms.amount, percent_bp=terms.percent_bp,
        min_spend=terms.min_spend, code=code, url=url,
        starts_at=parse_awin_time(first(row, "Starts"), tz, end=False),
        ends_at=parse_awin_time(first(row, "Ends"), tz, end=True), raw=row,
    )
    return VoucherRecord(partner=partner, merchant_id=first(row, "Advertiser ID")[:ID_MAX],
                         merchant_name=clip(first(row, "Advertiser"), NAME_MAX) or "",
                         coupon=coupon, url=url, raw=row)


def _code(row: Mapping[str, str]) -> str | None:
    """A Voucher is used with its code; a Promotion applies without one."""
    kind, code = first(row, "Type").lower(), first(row, "Code")
    if kind not in ("voucher", "promotion"):
        raise ParseError(f"unknown Type {first(row, 'Type')[:40]!r}")
    if kind == "voucher" and not code:
        raise ParseError("voucher without a Code")
    if len(code) > CODE_MAX:
        raise ParseError("Code too long")
    return code or None


def read_terms(*texts: str, currency: str) -> Terms:
    """The discount from the first text that names one; the minimum spend from any text."""
    for text in texts:
        found = _discount(text, currency)
        if found is None:
            continue
        kind, value, value_currency = found
        spend_currency, min_spend = _min_spend(texts, currency)
        money = {c for c in (value_currency, spend_currency) if c}
        if len(money) > 1:
            raise ParseError(f"mixed currencies in {text[:80]!r}")
        code = money.pop() if money else currency
        minor = to_minor(min_spend, code)
        if kind == "percent_off":
            return Terms(kind, code, percent_bp=int(value * 100), min_spend=minor)
        if kind == "amount_off":
            return Terms(kind, code, amount=to_minor(value, code), min_spend=minor)
        return Terms(kind, code, min_spend=minor)
    raise ParseError(f"unreadable offer: {' / '.join(t for t in texts if t)[:120]!r}")


def _discount(text: str, currency: str) -> tuple[CouponKind, Decimal, str | None] | None:
    """(kind, amount or percent, currency of the amount) named in ``text``, or None."""
    amounts = {_money(m, currency, offset=0 if m.group(1) else 3)
               for m in _plain(_AMOUNT_OFF.finditer(text))}
    percents = {Decimal(m.group(1) or m.group(2)) for m in _plain(_PERCENT_OFF.finditer(text))}
    if len(amounts) + len(percents) > 1:  # "£5 off £50 or £10 off £80": tiers are not one value
        raise ParseError(f"several discounts in {text[:80]!r}")
    if amounts:
        value_currency, amount = amounts.pop()
        return "amount_off", amount, value_currency
    if percents:
        percent = percents.pop()
        if not 0 < percent <= 100:
            raise ParseError(f"bad percentage in {text[:80]!r}")
        return "percent_off", percent, None
    # Free delivery next to a discount is a bonus; pricing models the item price only.
    return ("free_shipping", Decimal(0), None) if _FREE_SHIPPING.search(text) else None


def _plain(matches: Iterator[re.Match[str]]) -> Iterator[re.Match[str]]:
    """Matches not preceded by "up to": "up to 50% off" promises no particular discount."""
    for match in matches:
        if _UP_TO.search(match.string[:match.start()]):
            raise ParseError(f"'up to' discount: {match.string[:80]!r}")
        yield match


def _money(match: re.Match[str], currency: str, *, offset: int) -> tuple[str, Decimal]:
    """(currency, major units) of the money groups starting at group ``offset + 1``."""
    symbol, whole, cents = match.group(offset + 1, offset + 2, offset + 3)
    code = _SYMBOLS.get(symbol) or (currency if currency in _DOLLARS else "")
    if not code:  # "$" names a dozen currencies; only a dollar account says which
        raise ParseError(f"ambiguous '$' amount for a {currency} account")
    return code, parse_amount(whole + (cents or ""), "amount")


def _min_spend(texts: tuple[str, ...], currency: str) -> tuple[str | None, Decimal]:
    found = set()
    for text in texts:
        for match in _MIN_SPEND.finditer(text):
            offset = next(i for i in (0, 3, 6) if match.group(i + 1))
            found.add(_money(match, currency, offset=offset))
    if len(found) > 1:
        raise ParseError(f"conflicting minimum spends: {sorted(str(v) for _, v in found)}")
    return found.pop() if found else (None, Decimal(0))


def parse_awin_time(text: str, tz: ZoneInfo, *, end: bool) -> datetime | None:
    """``dd/mm/yyyy HH:MM`` (or a bare date) in the account time zone → aware UTC.

    An end names its last valid minute (or day), so it runs to that minute's last second.
    Around a clock change a wall time may mean two instants (or none): the window keeps
    the narrower reading, so an expired voucher is never shown as valid.
    """
    if not text:
        return None
    for fmt, last_second in _TIME_FORMATS:
        try:
            local = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if end:
            local += last_second
        readings = [local.replace(tzinfo=tz, fold=fold).astimezone(UTC) for fold in (0, 1)]
        return min(readings) if end else max(readings)
    raise ParseError(f"unreadable {'Ends' if end else 'Starts'}: {text[:40]!r}")
