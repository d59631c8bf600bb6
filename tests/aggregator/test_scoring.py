"""Deal score: exact values by part, and the ordering they give."""

from __future__ import annotations

from typing import Any

import pytest

from aggregator.scoring import deal_score


# keyword arguments → score, computed by hand from the parts in aggregator/scoring.py:
#   depth = min(bp, 5000) // 10; coupon = min(coupon_bp, 3000) * 200 // 3000;
#   popularity = min(300, round(60·log10(sales+1))); freshness = 100 - 7 per day;
#   the sum scaled by reliability_bp / 10000; out of stock = -2000.
@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"discount_bp": 0}, 0),
        ({"discount_bp": 2500}, 250),
        ({"discount_bp": 2509}, 250),  # depth is floored to whole points
        ({"discount_bp": 5000}, 500),
        ({"discount_bp": 9000}, 500),  # depth capped at 500
        ({"discount_bp": -300}, 0),  # a price above its reference is no discount
        ({"discount_bp": 0, "coupon_bp": 1500}, 100),
        ({"discount_bp": 0, "coupon_bp": 3000}, 200),
        ({"discount_bp": 0, "coupon_bp": 9000}, 200),  # coupon capped at 200
        ({"discount_bp": 0, "sales": 1}, 18),  # 60·log10(2) = 18.06
        ({"discount_bp": 0, "sales": 9}, 60),  # 60·log10(10) = 60
        ({"discount_bp": 0, "sales": 10}, 62),  # 60·log10(11) = 62.48
        ({"discount_bp": 0, "sales": 100}, 120),  # 60·log10(101) = 120.26
        ({"discount_bp": 0, "sales": 99_999}, 300),  # 60·log10(100000) = 300
        ({"discount_bp": 0, "sales": 10_000_000}, 300),  # popularity capped at 300
        ({"discount_bp": 0, "sales": -5}, 0),  # nonsense sales count nothing
        ({"discount_bp": 0, "fresh_days": 0}, 100),
        ({"discount_bp": 0, "fresh_days": 1.5}, 90),  # 100 - int(10.5)
        ({"discount_bp": 0, "fresh_days": 14}, 2),
        ({"discount_bp": 0, "fresh_days": 15}, 0),  # nothing after two weeks
        ({"discount_bp": 0, "fresh_days": -1}, 100),  # clock skew is not extra fresh
        ({"discount_bp": 2500, "coupon_bp": 1500, "sales": 100}, 470),
        ({"discount_bp": 2500, "coupon_bp": 1500, "sales": 100, "reliability_bp": 5000}, 235),
        ({"discount_bp": 2500, "reliability_bp": 0}, 0),
        ({"discount_bp": 2500, "reliability_bp": 20000}, 250),  # capped at 100%
        ({"discount_bp": 5000, "coupon_bp": 3000, "sales": 10**7, "fresh_days": 0}, 1100),
        ({"discount_bp": 0, "in_stock": False}, -2000),
        ({"discount_bp": 5000, "coupon_bp": 3000, "sales": 10**7, "fresh_days": 0,
          "in_stock": False}, -900),  # the best out-of-stock deal
    ],
)
def test_deal_score(kwargs: dict[str, Any], expected: int) -> None:
    result = deal_score(**kwargs)
    assert result == expected
    assert type(result) is int


DEALS: dict[str, dict[str, Any]] = {
    "real drop with coupon, popular": {"discount_bp": 3000, "coupon_bp": 1500, "sales": 5000},
    "real drop, no coupon": {"discount_bp": 3000, "sales": 5000},
    "small coupon, very popular": {"discount_bp": 500, "coupon_bp": 500, "sales": 1_000_000},
    "no discount, popular": {"discount_bp": 0, "sales": 100_000},
    "no discount, unknown": {"discount_bp": 0},
}


def test_deal_score_ordering() -> None:
    scores = {name: deal_score(**deal) for name, deal in DEALS.items()}
    assert sorted(scores, key=scores.__getitem__, reverse=True) == [
        "real drop with coupon, popular",  # 300 + 100 + 222
        "real drop, no coupon",  # 300 + 222
        "small coupon, very popular",  # 50 + 33 + 300
        "no discount, popular",  # 300
        "no discount, unknown",  # 0
    ]


def test_an_unreliable_feed_ranks_the_same_deal_lower() -> None:
    deal = DEALS["real drop, no coupon"]
    assert deal_score(**deal, reliability_bp=8000) < deal_score(**deal)


@pytest.mark.parametrize("deal", list(DEALS), ids=list(DEALS))
def test_out_of_stock_sinks_below_every_buyable_offer(deal: str) -> None:
    best_sold_out = deal_score(discount_bp=10000, coupon_bp=10000, sales=10**9, fresh_days=0,
                               in_stock=False)
    worst_buyable = deal_score(discount_bp=0)
    assert best_sold_out < worst_buyable
    assert deal_score(**DEALS[deal]) - deal_score(**DEALS[deal], in_stock=False) == 2000
