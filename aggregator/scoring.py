"""Deal score: one integer that orders listings by how good a deal is right now.

A pure function, so it can be tested by table and recomputed anywhere. Parts, each
capped so no single signal dominates:
  - real discount depth, against the lowest price of the previous 30 days
    (``aggregator.history``), never against a partner's list price: up to 500 points
    (10% = 100, 50% or more = 500);
  - coupon value, the coupon's saving as a share of the price: up to 200 points
    (15% = 100, 30% or more = 200), because shoppers act on coupons;
  - popularity: log10 of recent sales, up to 300 points (10 sales = 62, 100k+ = 300);
  - freshness: a price that just dropped or an offer just listed gets 100 points,
    losing 7 a day (nothing after two weeks);
  - partner reliability: the sum is scaled by the share of the partner's last crawl
    that was valid (a feed with 20% broken rows scores its deals 20% lower);
  - stock: out-of-stock offers lose 2000 so they sink below every buyable one.
"""

from __future__ import annotations

import math

FRESH_POINTS = 100
FRESH_DECAY_PER_DAY = 7
OUT_OF_STOCK = -2000  # more than the best buyable score (1100), so sold-out sinks


def deal_score(*, discount_bp: int, coupon_bp: int = 0, sales: int = 0, in_stock: bool = True,
               fresh_days: float | None = None, reliability_bp: int = 10000) -> int:
    depth = min(max(discount_bp, 0), 5000) // 10
    coupon = min(max(coupon_bp, 0), 3000) * 200 // 3000
    popularity = min(300, round(60 * math.log10(sales + 1))) if sales > 0 else 0
    freshness = 0
    if fresh_days is not None:
        freshness = max(0, FRESH_POINTS - int(FRESH_DECAY_PER_DAY * max(fresh_days, 0.0)))
    reliability = min(max(reliability_bp, 0), 10000)
    total = (depth + coupon + popularity + freshness) * reliability // 10000
    return total + (0 if in_stock else OUT_OF_STOCK)
