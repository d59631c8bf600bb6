"""Table-driven tests of the Awin promotions / vouchers parser: wording, types, times."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from aggregator.pricing import best_coupon
from aggregator.records import RejectRecord, VoucherRecord
from crawlers.parsers.awin_vouchers import (
    LONDON,
    iter_promotions,
    parse_awin_time,
    read_terms,
)
from crawlers.parsers.common import FeedFormatError, ParseError, TruncatedFeed
from tests.conftest import FEEDS, FIXED_NOW
from tests.crawlers.parser_support import accepted, rejected, utc

SAMPLE = (FEEDS / "awin" / "promotions.csv").read_bytes()


def parse(body: bytes, currency: str = "GBP",
          tz: ZoneInfo = LONDON) -> list[VoucherRecord | RejectRecord]:
    return list(iter_promotions(body, partner="awin_vouchers", currency=currency, tz=tz))


def export(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture(scope="module")
def sample() -> dict[str, VoucherRecord]:
    records = parse(SAMPLE)
    assert all(isinstance(r, VoucherRecord) for r in records)
    return {r.coupon.external_id: r for r in records if isinstance(r, VoucherRecord)}


# Promotion ID, kind, amount, percent_bp, min_spend, code, starts_at, ends_at
SAMPLE_VOUCHERS = [
    ("987654", "percent_off", None, 1000, 0, "SAVE10", utc(2026, 11, 1),
     utc(2030, 12, 31, 23, 59, 59)),
    ("987655", "amount_off", 500, None, 5000, "FIVEOFF", utc(2026, 11, 1),
     utc(2030, 12, 31, 23, 59, 59)),
    ("987656", "free_shipping", None, None, 0, None, utc(2024, 1, 1),
     utc(2024, 1, 3, 23, 59, 59)),
]


@pytest.mark.parametrize(("promotion_id", "kind", "amount", "bp", "min_spend", "code",
                          "starts", "ends"), SAMPLE_VOUCHERS)
def test_sample_vouchers(sample: dict[str, VoucherRecord], promotion_id: str, kind: str,
                         amount: int | None, bp: int | None, min_spend: int, code: str | None,
                         starts: datetime, ends: datetime) -> None:
    record = sample[promotion_id]
    coupon = record.coupon
    assert (coupon.kind, coupon.amount, coupon.percent_bp, coupon.min_spend, coupon.code) == (
        kind, amount, bp, min_spend, code)
    assert (coupon.starts_at, coupon.ends_at, coupon.currency) == (starts, ends, "GBP")
    assert (record.merchant_id, record.merchant_name) == ("4567", "Acme UK")
    assert record.url and record.url.startswith("https://www.awin1.com/cread.php?awinmid=4567")
    assert coupon.url == record.url
    assert record.raw["Promotion ID"] == promotion_id == coupon.raw["Promotion ID"]


def test_sample_prices_after_vouchers(sample: dict[str, VoucherRecord]) -> None:
    save10, fiveoff = sample["987654"].coupon, sample["987655"].coupon
    assert best_coupon([fiveoff], 6000, FIXED_NOW) == (fiveoff, 5500)
    assert best_coupon([fiveoff], 4000, FIXED_NOW) == (None, 4000)  # £50 not met
    assert best_coupon([save10, fiveoff], 6000, FIXED_NOW) == (save10, 5400)
    expired = sample["987656"].coupon
    assert expired.ends_at is not None and expired.ends_at < FIXED_NOW


def pct(bp: int, min_spend: int = 0) -> tuple[Any, ...]:
    return ("percent_off", "GBP", None, bp, min_spend)


def off(amount: int, min_spend: int = 0, currency: str = "GBP") -> tuple[Any, ...]:
    return ("amount_off", currency, amount, None, min_spend)


def free(min_spend: int = 0) -> tuple[Any, ...]:
    return ("free_shipping", "GBP", None, None, min_spend)


def wording(title: str, expected: tuple[Any, ...] | str, *, description: str = "",
            terms: str = "", currency: str = "GBP") -> Any:
    """A promotion's texts and partner currency → (kind, currency, amount, bp, min) or the
    reason it is rejected for. Most promotions have only a title, in a GBP account."""
    return pytest.param(title, description, terms, currency, expected,
                        id=title + (" / " + terms if terms else ""))


WORDINGS = [
    wording("10% off", pct(1000)),
    wording("Save 15% on jackets", pct(1500)),
    wording("12.5% off", pct(1250)),
    wording("15% discount", pct(1500)),
    wording("20% off", pct(2000, 4000), terms="Minimum spend of £40"),
    wording("£5 off orders over £50", off(500, 5000)),
    wording("£5 off £50", off(500, 5000)),
    wording("£5 off £50+", off(500, 5000)),
    wording("Save £5 when you spend £50", off(500, 5000)),
    wording("£5 off when you spend £50 or more", off(500, 5000)),
    wording("Spend £50, get £10 off", off(1000, 5000)),
    wording("£10 discount on your order", off(1000, 6000), terms="Min. order £60"),
    wording("£7.50 off", off(750)),
    wording("£1,000 off orders over £10,000", off(100000, 1000000)),
    wording("£5 OFF ORDERS OVER £50", off(500, 5000)),
    wording("€5 off €50", off(500, 5000, "EUR")),
    wording("$10 off", off(1000, currency="USD"), currency="USD"),
    wording("Free delivery", free()),
    wording("FREE SHIPPING on all orders", free()),
    wording("Free next day delivery", free()),
    wording("Free UK delivery on orders over £30", free(3000)),
    wording("10% off and free delivery", pct(1000)),
    # The title names the offer; the description is only read when the title does not.
    wording("10% off", pct(1000), description="£5 off everything"),
    wording("Black Friday", pct(1500), description="15% off sitewide"),
    wording("Black Friday", off(500, 2500), terms="Save £5 on orders over £25"),
    wording("Up to 50% off", "'up to' discount"),
    wording("Save up to £20", "unreadable offer"),
    wording("Buy one get one free", "unreadable offer"),
    wording("Free gift with every order", "unreadable offer"),
    wording("Exclusive deal", "unreadable offer"),
    wording("£5 off £50 or £10 off £80", "several discounts"),
    wording("10% off or £5 off", "several discounts"),
    wording("€5,50 off", "unreadable offer", currency="EUR"),
    wording("£5 off orders over €50", "mixed currencies"),
    wording("£5 off £50", "conflicting minimum spends", terms="Min spend £60"),
    wording("$10 off", "ambiguous"),
    wording("0% off", "bad percentage"),
    wording("150% off", "bad percentage"),
    wording("1000% off", "unreadable offer"),  # not read as "000%"
]


@pytest.mark.parametrize(("title", "description", "terms", "currency", "expected"), WORDINGS)
def test_wordings(title: str, description: str, terms: str, currency: str,
                  expected: tuple[Any, ...] | str) -> None:
    if isinstance(expected, str):
        with pytest.raises(ParseError, match=expected):
            read_terms(title, description, terms, currency=currency)
        return
    found = read_terms(title, description, terms, currency=currency)
    assert (found.kind, found.currency, found.amount, found.percent_bp, found.min_spend) == (
        expected)


BASE_ROW = {
    "Promotion ID": "1", "Advertiser": "Acme UK", "Advertiser ID": "4567", "Type": "Voucher",
    "Code": "TEN", "Title": "10% off", "Description": "", "Starts": "01/11/2026 00:00",
    "Ends": "31/12/2026 23:59", "Terms": "", "Deeplink Tracking": "", "Deeplink":
    "https://www.example-shop.co.uk/", "Exclusive": "No",
}

# BASE_ROW's Deeplink, and its window in UTC (Europe/London is on GMT then)
LINK, STARTS, ENDS = "https://www.example-shop.co.uk/", utc(2026, 11, 1), utc(2026, 12, 31,
                                                                             23, 59, 59)

# overrides of BASE_ROW → expected (code, url, starts_at, ends_at) or a reject reason
ROWS: list[tuple[str, dict[str, str], tuple[Any, ...] | str]] = [
    ("Deeplink fallback", {}, ("TEN", LINK, STARTS, ENDS)),
    ("lower-case type", {"Type": "voucher"}, ("TEN", LINK, STARTS, ENDS)),
    ("promotion without code", {"Type": "Promotion", "Code": ""}, (None, LINK, STARTS, ENDS)),
    ("open-ended", {"Starts": "", "Ends": ""}, ("TEN", LINK, None, None)),
    ("no link at all", {"Deeplink": ""}, ("TEN", None, STARTS, ENDS)),
    ("voucher without code", {"Code": ""}, "voucher without a Code"),
    ("unknown type", {"Type": "Deal"}, "unknown Type"),
    ("missing promotion id", {"Promotion ID": ""}, "missing Promotion ID"),
    ("missing advertiser id", {"Advertiser ID": ""}, "missing merchant id"),
    ("missing title", {"Title": "", "Description": ""}, "missing Title"),
    ("unreadable offer", {"Title": "Great deals"}, "unreadable offer"),
    ("US date order", {"Ends": "12/31/2026 23:59"}, "unreadable Ends"),
    ("ends before it starts", {"Ends": "01/10/2026 00:00"}, "ends before it starts"),
]


@pytest.mark.parametrize(("case", "overrides", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_rows(case: str, overrides: dict[str, str], expected: tuple[Any, ...] | str) -> None:
    (record,) = parse(export([{**BASE_ROW, **overrides}]))
    if isinstance(expected, str):
        assert rejected(record, expected, case).raw["Exclusive"] == "No"
        return
    voucher = accepted(record, VoucherRecord, case)
    coupon = voucher.coupon
    assert (coupon.code, voucher.url, coupon.starts_at, coupon.ends_at) == expected


# text, start or end, zone → UTC instant (None: empty) or a reject
TIMES: list[tuple[str, str, bool, str, datetime | str | None]] = [
    ("GMT start", "01/11/2026 00:00", False, "Europe/London", utc(2026, 11, 1)),
    ("Ends is the last valid minute", "31/12/2030 23:59", True, "Europe/London",
     utc(2030, 12, 31, 23, 59, 59)),
    ("BST start", "01/07/2026 00:00", False, "Europe/London", utc(2026, 6, 30, 23)),
    ("BST end", "30/06/2026 23:59", True, "Europe/London", utc(2026, 6, 30, 22, 59, 59)),
    ("last GMT minute before BST", "29/03/2026 00:59", True, "Europe/London",
     utc(2026, 3, 29, 0, 59, 59)),
    # 01:30 on 25 Oct 2026 happens twice (BST, then GMT): take the narrower window.
    ("ambiguous start: later", "25/10/2026 01:30", False, "Europe/London",
     utc(2026, 10, 25, 1, 30)),
    ("ambiguous end: earlier", "25/10/2026 01:30", True, "Europe/London",
     utc(2026, 10, 25, 0, 30, 59)),
    # 01:30 on 29 Mar 2026 never happens (clocks jump 01:00 → 02:00).
    ("nonexistent start", "29/03/2026 01:30", False, "Europe/London", utc(2026, 3, 29, 1, 30)),
    ("nonexistent end", "29/03/2026 01:30", True, "Europe/London", utc(2026, 3, 29, 0, 30, 59)),
    ("date-only start", "01/11/2026", False, "Europe/London", utc(2026, 11, 1)),
    ("date-only end", "31/12/2030", True, "Europe/London", utc(2030, 12, 31, 23, 59, 59)),
    ("seconds given", "31/12/2030 23:59:30", True, "Europe/London",
     utc(2030, 12, 31, 23, 59, 30)),
    ("ISO from the API", "2026-07-01T00:00:00", False, "Europe/London", utc(2026, 6, 30, 23)),
    ("another account zone", "01/11/2026 08:00", False, "Asia/Shanghai", utc(2026, 11, 1)),
    ("empty", "", True, "Europe/London", None),
    ("US order", "12/31/2030 23:59", True, "Europe/London", "unreadable Ends"),
    ("words", "soon", False, "Europe/London", "unreadable Starts"),
]


@pytest.mark.parametrize(("case", "text", "end", "zone", "expected"), TIMES,
                         ids=[t[0] for t in TIMES])
def test_times(case: str, text: str, end: bool, zone: str,
               expected: datetime | str | None) -> None:
    if isinstance(expected, str):
        with pytest.raises(ParseError, match=expected):
            parse_awin_time(text, ZoneInfo(zone), end=end)
        return
    assert parse_awin_time(text, ZoneInfo(zone), end=end) == expected


def test_account_zone_reaches_the_coupon() -> None:
    (record,) = parse(export([BASE_ROW]), tz=ZoneInfo("Asia/Shanghai"))
    assert isinstance(record, VoucherRecord)
    assert record.coupon.starts_at == utc(2026, 10, 31, 16)


def test_feed_level_problems() -> None:
    with pytest.raises(FeedFormatError):
        parse((FEEDS / "awin" / "products.csv").read_bytes())
    records: list[VoucherRecord | RejectRecord] = []
    with pytest.raises(TruncatedFeed):
        records.extend(iter_promotions(SAMPLE[:SAMPLE.index(b"987656") + 20],
                                       partner="awin_vouchers", currency="GBP"))
    assert [r.coupon.code for r in records if isinstance(r, VoucherRecord)] == [
        "SAVE10", "FIVEOFF"]
