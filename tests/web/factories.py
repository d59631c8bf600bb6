"""Record builders and helpers shared by the web tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import FastAPI

from aggregator.records import CouponRecord, OfferRecord
from web.deps import get_now


def offer(external_id: str, **fields: Any) -> OfferRecord:
    """An OfferRecord with sensible defaults; override any field."""
    values: dict[str, Any] = {
        "partner": "taobao", "external_id": external_id, "title": f"商品 {external_id}",
        "url": f"https://uland.taobao.com/item?id={external_id}", "currency": "CNY",
        "price": 9900, "image_url": f"https://img.example.com/{external_id}.jpg",
        "shop_name": "示例旗舰店", "platform": "天猫", "category": "数码", "sales": 10,
    }
    values.update(fields)
    return OfferRecord(**values)


def coupon(external_id: str, **fields: Any) -> CouponRecord:
    values: dict[str, Any] = {"external_id": external_id, "kind": "amount_off",
                              "currency": "CNY", "title": "满99减20", "amount": 2000,
                              "min_spend": 9900}
    values.update(fields)
    return CouponRecord(**values)


def set_clock(app: FastAPI, moment: datetime) -> None:
    """Serve the following requests as of ``moment``."""
    app.dependency_overrides[get_now] = lambda: moment
