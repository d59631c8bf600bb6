"""Deterministic rows of an Awin promotions / vouchers export (CSV).

The header is the export's own; a Voucher has a code, a Promotion has none.
Dates are ``dd/mm/yyyy HH:MM`` wall-clock times in the account time zone
(Europe/London); windows are placed around ``today`` so that most offers are
live, some have ended and a few have not started. The advertisers are the same
merchants the product feed names, so vouchers can be joined to their products.
"""

from __future__ import annotations

import datetime as dt
import random
from urllib.parse import quote

from crawlers.sandbox.awin import PUBLISHER_ID
from crawlers.sandbox.draws import AHEAD, ENDED, LIVE, WindowDays, between, pick, weighted, window
from crawlers.sandbox.records import HOST_PLACEHOLDER as HOST
from crawlers.sandbox.records import generate
from crawlers.sandbox.uk_taxonomy import LINES, MERCHANTS

COLUMNS = (
    "Promotion ID", "Advertiser", "Advertiser ID", "Type", "Code", "Title", "Description",
    "Starts", "Ends", "Categories", "Regions", "Terms", "Deeplink Tracking", "Deeplink",
    "Commission Groups", "Commission", "Exclusive", "Date Added",
)  # fmt: skip
DATE_FORMAT = "%d/%m/%Y %H:%M"
DEFECTS = ("date_garbled", "type_unknown", "title_missing", "short_row")

# (code stem or "", title, description, terms): "{n}"/"{m}" are filled per row.
# fmt: off
VOUCHERS = (
    ("SAVE{n}", "{n}% off everything", "{n}% off full-price items", "Excludes sale items"),
    ("TAKE{n}", "{n}% off your first order", "New customers only", "One use per customer"),
    ("EXTRA{n}", "Extra {n}% off sale", "An extra {n}% off sale lines", ""),
    ("FIVEOFF", "£5 off orders over £{m}", "", "Min spend £{m}"),
    ("TENOFF{m}", "£10 off when you spend £{m}", "£10 off when you spend £{m} or more",
     "Min spend £{m}"),
    ("SHIPFREE", "Free delivery", "Free standard delivery on all orders", ""),
    ("FREEDEL{m}", "Free delivery on orders over £{m}", "", "Min spend £{m}"),
)
PROMOTIONS = (
    ("", "Up to 50% off in the winter sale", "Selected lines, while stocks last", ""),
    ("", "Free delivery this weekend", "Free standard delivery", ""),
    ("", "3 for 2 on selected items", "Cheapest item free", "Selected lines only"),
    ("", "Extra {n}% off sale", "Price shown at checkout", ""),
)
# fmt: on
PERCENTS = (10, 10, 15, 20, 25)
MINIMUMS = (30, 40, 50, 50, 75, 100)
# When the offer runs relative to today: mostly live, some over, a few ahead.
STATES = weighted(((LIVE, 70), (ENDED, 18), (AHEAD, 12)))
WINDOW_DAYS = WindowDays(
    ended=((1, 400), (2, 30)), ahead=((1, 30), (3, 60)), live=((0, 40), (1, 1500))
)


def awin_promotions(
    *, seed: int, size: int, today: dt.date, bad_every: int = 0
) -> list[dict[str, str]]:
    """``size`` export rows; a smaller export is a prefix of a larger one (same seed)."""
    rng = random.Random(f"awin-promotions:{seed}")

    def row(index: int) -> dict[str, str]:
        return _row(rng, promotion_id=700_000 + index * 3 + between(rng, 0, 2), today=today)

    return generate(size, row, spoil=spoiled, defects=DEFECTS, bad_every=bad_every)


def _row(rng: random.Random, *, promotion_id: int, today: dt.date) -> dict[str, str]:
    merchant, merchant_id, groups, stem = pick(rng, MERCHANTS)
    is_voucher = rng.random() < 0.65
    code, title, description, terms = _wording(rng, VOUCHERS if is_voucher else PROMOTIONS)
    starts, ends = _window(rng, today)
    added = starts - dt.timedelta(days=between(rng, 1, 10), minutes=between(rng, 0, 1439))
    deeplink = f"https://www.{stem}.example/"
    categories = [line.awin_category.split(" > ")[0] for line in LINES if line.group in groups]
    return {
        "Promotion ID": str(promotion_id),
        "Advertiser": merchant,
        "Advertiser ID": str(merchant_id),
        "Type": "Voucher" if is_voucher else "Promotion",
        "Code": code,
        "Title": title,
        "Description": description,
        "Starts": starts.strftime(DATE_FORMAT),
        "Ends": ends.strftime(DATE_FORMAT),
        "Categories": pick(rng, categories) if rng.random() < 0.5 else "",
        "Regions": "United Kingdom",
        "Terms": terms,
        "Deeplink Tracking": f"http://{HOST}/awin/click?awinmid={merchant_id}"
        f"&awinaffid={PUBLISHER_ID}&ued={quote(deeplink, safe='')}",
        "Deeplink": deeplink,
        "Commission Groups": "DEFAULT",
        "Commission": "",
        "Exclusive": "Yes" if rng.random() < 0.2 else "No",
        "Date Added": added.strftime(DATE_FORMAT),
    }


def _wording(
    rng: random.Random, table: tuple[tuple[str, str, str, str], ...]
) -> tuple[str, str, str, str]:
    n, m = pick(rng, PERCENTS), pick(rng, MINIMUMS)
    return tuple(text.format(n=n, m=m) for text in pick(rng, table))  # type: ignore[return-value]


def _window(rng: random.Random, today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Start and end as London wall-clock times (naive, as the export prints them)."""
    start, end = window(rng, today, pick(rng, STATES), WINDOW_DAYS)
    if rng.random() < 0.8:  # most run from midnight to 23:59; some start mid-morning
        return start, end + dt.timedelta(hours=23, minutes=59)
    return start + dt.timedelta(hours=between(rng, 8, 11)), end + dt.timedelta(hours=18)


def spoiled(row: dict[str, str], defect: str) -> dict[str, str]:
    """A copy of ``row`` broken the way ``defect`` says."""
    bad = dict(row)
    if defect == "date_garbled":
        bad["Starts"] = "31/02/2026 25:00"
    elif defect == "type_unknown":
        bad["Type"] = "Offer"
    elif defect == "title_missing":
        bad["Title"] = ""
    else:  # short_row
        for column in COLUMNS[-6:]:
            del bad[column]
    return bad
