"""Deal score: one integer that orders listings by how good a deal is right now.

A pure function so it can be tested by table and recomputed anywhere. Parts, each
capped so no single signal dominates:
  - real discount depth (final vs. current selling price): up to 500 points;
  - coupon value relative to price is already inside the discount; an active coupon
    adds a flat 100 because shoppers act on coupons;
  - popularity: log10 of recent sales, up to 300 points (10 sales = 62, 100k+ = 300);
  - stock: out-of-stock offers lose 1000 so they sink below every buyable one.
"""

from __future__ import annotations

import math


def deal_score(*, discount_bp: int, has_coupon: bool, sales: int, in_stock: bool) -> int:
    depth = min(discount_bp, 5000) // 10
    coupon = 100 if has_coupon else 0
    popularity = min(300, round(60 * math.log10(sales + 1))) if sales > 0 else 0
    stock = 0 if in_stock else -1000
    return depth + coupon + popularity + stock
