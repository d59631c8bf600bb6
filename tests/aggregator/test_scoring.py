"""Deal score: exact values by part, and the ordering they give."""

from __future__ import annotations

import pytest

from aggregator.scoring import deal_score


# (discount_bp, has_coupon, sales, in_stock) → score, computed by hand:
#   depth = min(bp, 5000) // 10; coupon = 100; popularity = min(300, round(60·log10(sales+1)));
#   out of stock = -1000.
@pytest.mark.parametrize(
    ("discount_bp", "has_coupon", "sales", "in_stock", "expected"),
    [
        (0, False, 0, True, 0),
        (2500, False, 0, True, 250),
        (2509, False, 0, True, 250),  # depth is floored to whole points
        (5000, False, 0, True, 500),
        (9000, False, 0, True, 500),  # depth capped at 500
        (0, True, 0, True, 100),
        (0, False, 1, True, 18),  # 60·log10(2) = 18.06
        (0, False, 9, True, 60),  # 60·log10(10) = 60
        (0, False, 10, True, 62),  # 60·log10(11) = 62.48
        (0, False, 100, True, 120),  # 60·log10(101) = 120.26
        (0, False, 99_999, True, 300),  # 60·log10(100000) = 300
        (0, False, 10_000_000, True, 300),  # popularity capped at 300
        (0, False, -5, True, 0),  # nonsense sales count nothing
        (2500, True, 100, True, 470),
        (5000, True, 10_000_000, True, 900),  # the best possible
        (0, False, 0, False, -1000),
        (5000, True, 10_000_000, False, -100),  # the best out-of-stock deal
    ],
)
def test_deal_score(discount_bp: int, has_coupon: bool, sales: int, in_stock: bool,
                    expected: int) -> None:
    result = deal_score(discount_bp=discount_bp, has_coupon=has_coupon, sales=sales,
                        in_stock=in_stock)
    assert result == expected
    assert type(result) is int


DEALS = {
    "deep coupon, popular": {"discount_bp": 3000, "has_coupon": True, "sales": 5000},
    "deep discount, no coupon": {"discount_bp": 3000, "has_coupon": False, "sales": 5000},
    "small coupon, very popular": {"discount_bp": 500, "has_coupon": True, "sales": 1_000_000},
    "no discount, popular": {"discount_bp": 0, "has_coupon": False, "sales": 100_000},
    "no discount, unknown": {"discount_bp": 0, "has_coupon": False, "sales": 0},
}


def test_deal_score_ordering() -> None:
    scores = {name: deal_score(in_stock=True, **deal) for name, deal in DEALS.items()}
    assert sorted(scores, key=scores.__getitem__, reverse=True) == [
        "deep coupon, popular",  # 300 + 100 + 222
        "deep discount, no coupon",  # 300 + 222
        "small coupon, very popular",  # 50 + 100 + 300
        "no discount, popular",  # 300
        "no discount, unknown",  # 0
    ]


@pytest.mark.parametrize("deal", list(DEALS), ids=list(DEALS))
def test_out_of_stock_sinks_below_every_buyable_offer(deal: str) -> None:
    best_sold_out = deal_score(discount_bp=10000, has_coupon=True, sales=10**9, in_stock=False)
    worst_buyable = deal_score(discount_bp=0, has_coupon=False, sales=0, in_stock=True)
    assert best_sold_out < worst_buyable
    sold_out = deal_score(in_stock=False, **DEALS[deal])
    buyable = deal_score(in_stock=True, **DEALS[deal])
    assert buyable - sold_out == 1000
    assert sold_out < worst_buyable
