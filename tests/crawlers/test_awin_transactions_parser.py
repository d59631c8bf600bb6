"""Table-driven tests of the Awin transactions parser on real-format samples."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aggregator.records import OrderRecord
from crawlers.parsers.awin_transactions import parse_transaction, parse_transactions
from crawlers.parsers.common import PartnerAPIError
from tests.conftest import FEEDS
from tests.crawlers.order_support import by_id, load, reason_of, summary, utc

SAMPLE: list[dict[str, Any]] = load("awin_transactions.json")
BASE_ROW = SAMPLE[0]


def test_the_sample_maps_every_status() -> None:
    page = parse_transactions(SAMPLE, partner="awin")
    assert (page.is_last, page.total) == (True, 6)
    rows = by_id(page)
    assert summary(rows["1591984035"]) == (
        "pending", 4256, 426, utc("2026-11-20 21:10:00"), utc("2026-11-20 21:10:00"), "dg4001")
    assert summary(rows["1591984036"]) == (  # approved: validated
        "confirmed", 12500, 1250, utc("2026-10-30 10:20:00"), utc("2026-11-20 09:00:00"),
        "dg4002")
    assert summary(rows["1591984037"]) == (
        "reversed", 3000, 300, utc("2026-11-01 10:05:00"), utc("2026-11-20 09:30:00"), "dg4003")
    deleted = rows["1591984038"]
    assert summary(deleted) == (  # no validation date, no click refs
        "reversed", 1990, 199, utc("2026-11-10 11:00:00"), utc("2026-11-10 11:00:00"), None)
    assert isinstance(deleted, OrderRecord) and deleted.currency == "EUR"
    assert reason_of(rows["1591984039"]) == "unknown commissionStatus 'open'"
    assert reason_of(rows["1591984040"]) == "saleAmount in EUR, commissionAmount in GBP"


def test_the_shared_sample() -> None:
    body = json.loads((FEEDS / "awin" / "transactions.json").read_text("utf-8"))
    (record,) = parse_transactions(body, partner="awin").records
    assert summary(record) == (
        "pending", 4256, 426, utc("2026-11-20 21:10:00"), utc("2026-11-20 21:10:00"), "c_42aa")
    assert isinstance(record, OrderRecord)
    assert (record.currency, record.title, record.raw["orderRef"]) == ("GBP", None, "ORD-99439")


def row(**changes: Any) -> dict[str, Any]:
    values = {**BASE_ROW, **changes}
    return {k: v for k, v in values.items() if v != "<drop>"}


def money(amount: object, currency: str = "GBP") -> dict[str, object]:
    return {"amount": amount, "currency": currency}


# (case, changes, expected (status, sale, commission, status time) or a reject reason)
CASES: list[tuple[str, dict[str, Any], tuple[Any, ...] | str]] = [
    ("status in capitals", {"commissionStatus": "Approved",
                            "validationDate": "2026-11-21T08:00:00"},
     ("confirmed", 4256, 426, utc("2026-11-21 08:00:00"))),
    ("approved without a validation date", {"commissionStatus": "approved"},
     ("confirmed", 4256, 426, utc("2026-11-20 21:10:00"))),
    ("a pending row's validation date is ignored", {"validationDate": "2026-11-25T00:00:00"},
     ("pending", 4256, 426, utc("2026-11-20 21:10:00"))),
    ("amounts as strings", {"commissionAmount": money("4.26"), "saleAmount": money("42.56")},
     ("pending", 4256, 426, utc("2026-11-20 21:10:00"))),
    ("time with an offset", {"transactionDate": "2026-11-20T21:10:00+01:00"},
     ("pending", 4256, 426, utc("2026-11-20 20:10:00"))),
    ("time with Z", {"transactionDate": "2026-11-20T21:10:00Z"},
     ("pending", 4256, 426, utc("2026-11-20 21:10:00"))),
    ("zero commission", {"commissionAmount": money(0)},
     ("pending", 4256, 0, utc("2026-11-20 21:10:00"))),
    ("no status", {"commissionStatus": "<drop>"}, "unknown commissionStatus None"),
    ("no id", {"id": "<drop>"}, "missing id"),
    ("no commission", {"commissionAmount": "<drop>"}, "missing commissionAmount"),
    ("no amount", {"commissionAmount": {"currency": "GBP"}}, "commissionAmount: missing amount"),
    ("negative commission", {"commissionAmount": money(-4.26)}, "negative amount"),
    ("bad currency", {"saleAmount": money(1, "pounds")}, "bad saleAmount.currency"),
    ("no transaction date", {"transactionDate": None}, "missing transactionDate"),
    ("garbled date", {"transactionDate": "20/11/2026 21:10"}, "bad transactionDate"),
]


@pytest.mark.parametrize(("case", "changes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_row_variants(case: str, changes: dict[str, Any], expected: tuple[Any, ...] | str
                      ) -> None:
    (record,) = parse_transactions([row(**changes)], partner="awin").records
    if isinstance(expected, str):
        assert expected in reason_of(record), case
    else:
        status, sale, commission, _, status_at, _ = summary(record)
        assert (status, sale, commission, status_at) == expected, case


def test_click_refs_variants() -> None:
    assert parse_transaction(row(clickRefs={})).sub_id is None
    assert parse_transaction(row(clickRefs={"clickRef": ""})).sub_id is None
    assert parse_transaction(row(clickRefs="dg1")).sub_id is None  # not the documented shape


@pytest.mark.parametrize("body", [
    {"error": "unauthorized", "description": "Invalid access token"},
    {"code": 400, "message": "date range is larger than 31 days"},
    "not json at all",
])
def test_error_answers_raise(body: object) -> None:
    with pytest.raises(PartnerAPIError):
        parse_transactions(body, partner="awin")


def test_an_entry_that_is_not_an_object_is_rejected() -> None:
    (record,) = parse_transactions([42], partner="awin").records
    assert reason_of(record) == "entry is not an object"
