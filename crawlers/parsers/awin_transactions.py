"""Awin publisher transactions (``GET /publishers/{id}/transactions/``): JSON → orders.

Pure functions; covered by tests/crawlers/test_awin_transactions_parser.py.

The answer is a bare JSON list of transactions; errors come as an object
(``{"error": …, "description": …}`` or ``{"message": …}``). Amounts are decimal numbers
with their own currency (``commissionAmount.currency``); times are ISO 8601 in the time
zone the request asked for: the spider asks for UTC, so a time without an offset is UTC.

Statuses (``commissionStatus``): ``pending`` → pending, ``approved`` → confirmed,
``declined`` and ``deleted`` → reversed. Awin quotes one commission figure, revised in
place; it is final once approved.

``status_at``: ``validationDate`` once the advertiser has validated (approved or
declined), else ``transactionDate``, which is also ``occurred_at``. The order id is the
transaction ``id`` (``orderRef``, the merchant's own reference, stays in raw); the
sub-id is ``clickRefs.clickRef``. Awin names no item, so the title is the advertiser's
name when the answer carries one.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aggregator.records import OrderRecord, OrderStatus
from crawlers.parsers.common import ParseError, PartnerAPIError, parse_rows, required_text
from crawlers.parsers.orders import (
    OrderPage,
    first_time,
    latest,
    money,
    order_page,
    order_time,
    sub_id_text,
    title_of,
)

UTC = ZoneInfo("UTC")
STATUSES: dict[str, OrderStatus] = {"pending": "pending", "approved": "confirmed",
                                    "declined": "reversed", "deleted": "reversed"}


def parse_transactions(body: object, *, partner: str) -> OrderPage:
    """One API response → order records and rejects. Raises PartnerAPIError."""
    if isinstance(body, dict):
        code = body.get("error") or body.get("code") or "error"
        message = body.get("description") or body.get("message") or body.get("error") or ""
        raise PartnerAPIError(str(code), str(message))
    if not isinstance(body, list):
        raise PartnerAPIError("envelope", f"expected a list of transactions, got "
                              f"{type(body).__name__}")
    parsed = parse_rows(body, parse_transaction, partner=partner, id_fields=("id",))
    return order_page(parsed, total=len(body), has_next=False)


def parse_transaction(raw: dict[str, Any]) -> OrderRecord:
    order_id = required_text(raw.get("id"), name="id")
    status = STATUSES.get(str(raw.get("commissionStatus") or "").strip().lower())
    if status is None:
        raise ParseError(f"unknown commissionStatus {raw.get('commissionStatus')!r}")
    commission, currency = _amount(raw, "commissionAmount")
    sale, sale_currency = _amount(raw, "saleAmount")
    if sale_currency != currency:
        raise ParseError(f"saleAmount in {sale_currency}, commissionAmount in {currency}")
    occurred = first_time(raw, "transactionDate", tz=UTC)
    validated = order_time(raw, "validationDate", tz=UTC) if status != "pending" else None
    clicks = raw.get("clickRefs")
    return OrderRecord(
        order_id=order_id,
        status=status,
        currency=currency,
        order_amount=sale,
        commission_amount=commission,
        occurred_at=occurred,
        status_at=latest(validated, occurred) or occurred,
        sub_id=sub_id_text(clicks.get("clickRef")) if isinstance(clicks, dict) else None,
        title=title_of(raw.get("advertiserName")),  # not always sent; Awin has no item title
        raw=raw,
    )


def _amount(raw: dict[str, Any], name: str) -> tuple[int, str]:
    """``{"amount": 4.26, "currency": "GBP"}`` → (426, "GBP")."""
    value = raw.get(name)
    if not isinstance(value, dict):
        raise ParseError(f"missing {name}")
    currency = str(value.get("currency") or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ParseError(f"bad {name}.currency: {value.get('currency')!r}")
    try:
        return money(value, "amount", currency), currency
    except ParseError as exc:
        raise ParseError(f"{name}: {exc}") from exc
