"""Pinduoduo (多多进宝) ``pdd.ddk.goods.search``: raw JSON → typed records.

Pure functions; the field variants in partner-formats.md are covered by
tests/crawlers/test_pdd_parser.py.

Units: every amount is already in fen, so nothing goes through a float or a
decimal point; ``promotion_rate`` is per mille (200 = 20% = 2000 bp); coupon
windows are unix seconds. The network only deals in CNY, so the currency is
fixed here rather than taken from config: fen read as another currency's minor
unit would be wrong, and the validation pipeline rejects a mismatch anyway.

Offer URL: the search API returns no click URL (that takes a second call,
``pdd.ddk.goods.promotion.url.generate``, per item). So:

1. if the item carries ``mobile_url`` or ``url`` (the names the promotion-URL
   API uses; the sandbox may send one pointing at its own pages), that is used;
2. otherwise we build the documented 多多进宝 landing page for the goods,
   ``https://mobile.yangkeduo.com/duo_coupon_landing.html?goods_sign=…&pid=…``
   (``goods_id=`` for old feeds without a goods_sign). It shows the goods with
   its coupon and credits the 推广位 ``pid``; the redirect adds the click's
   sub-id as ``customParameters``. Its host is in the partner's allowed_hosts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from aggregator.money import MoneyError, to_decimal
from aggregator.records import CouponRecord, OfferRecord
from crawlers.parsers.common import (
    ApiPage,
    ParseError,
    PartnerAPIError,
    absolute_url,
    coupon_id,
    decimal_field,
    envelope_object,
    epoch_time,
    int_field,
    manjian_title,
    optional_amount,
    optional_id,
    optional_text,
    page_total,
    parse_rows,
    required_text,
)

RESPONSE_KEY = "goods_search_response"
CURRENCY = "CNY"
PLATFORM = "拼多多"
LANDING_URL = "https://mobile.yangkeduo.com/duo_coupon_landing.html"
CLICK_URL_FIELDS = ("mobile_url", "url")

_SALES = re.compile(r"(\d+(?:\.\d+)?)\s*(万|亿)?")
_SALES_UNITS = {"": 1, "万": 10_000, "亿": 100_000_000}


@dataclass(frozen=True)
class GoodsPage(ApiPage):
    """An empty goods_list means there are no more pages."""

    list_id: str | None  # send back with the next page so PDD keeps one result list


def parse_goods_page(body: dict[str, Any], *, partner: str, base_url: str,
                     pid: str | None = None) -> GoodsPage:
    """One API response → records (good ones and rejects). Raises PartnerAPIError."""
    payload = response_payload(body, RESPONSE_KEY)
    records = parse_rows(payload.get("goods_list") or [],
                         lambda raw: parse_goods(raw, partner=partner, base_url=base_url,
                                                 pid=pid),
                         partner=partner, id_fields=("goods_sign", "goods_id"))
    list_id = payload.get("list_id")
    return GoodsPage(records=records, total=page_total(payload.get("total_count")),
                     list_id=str(list_id) if list_id not in (None, "") else None)


def response_payload(body: dict[str, Any], key: str) -> dict[str, Any]:
    """The ``key`` envelope of a PDD answer; its ``error_response`` raises PartnerAPIError."""
    if "error_response" in body:
        err = body["error_response"] or {}
        message = str(err.get("error_msg", ""))
        if err.get("sub_msg"):  # the sub message says what is wrong ("client_id 不存在")
            message = f"{message}: {err['sub_msg']}" if message else str(err["sub_msg"])
        raise PartnerAPIError(str(err.get("error_code", "?")), message,
                              str(err["sub_code"]) if err.get("sub_code") else None)
    return envelope_object(body, key)


def parse_goods(raw: dict[str, Any], *, partner: str, base_url: str,
                pid: str | None = None) -> OfferRecord:
    key = goods_key(raw)
    title = required_text(raw.get("goods_name"), name="goods_name")
    price = fen_field(raw, "min_group_price")
    assert price is not None
    if price <= 0:
        raise ParseError(f"non-positive min_group_price: {raw.get('min_group_price')!r}")
    return OfferRecord(
        partner=partner,
        external_id=key,
        title=title,
        url=goods_url(raw, base_url=base_url, pid=pid),
        currency=CURRENCY,
        price=price,
        list_price=optional_amount(fen_field, raw, "min_normal_price"),
        image_url=absolute_url(raw.get("goods_image_url") or raw.get("goods_thumbnail_url"),
                               base_url),
        shop_id=optional_id(raw.get("mall_id")),
        shop_name=optional_text(raw.get("mall_name")),
        platform=PLATFORM,
        brand=optional_text(raw.get("brand_name")),
        category=_category(raw),
        commission_bp=parse_promotion_rate(raw.get("promotion_rate")),
        sales=parse_sales_tip(raw.get("sales_tip")),
        coupons=_coupons(raw, key=key),
        raw=raw,
    )


def goods_key(raw: dict[str, Any]) -> str:
    """``goods_sign`` (the id PDD requires since 2020), else the old numeric ``goods_id``."""
    return required_text(raw.get("goods_sign") or raw.get("goods_id"),
                         name="goods_sign and goods_id")


def goods_url(raw: dict[str, Any], *, base_url: str, pid: str | None) -> str:
    """The item's click URL if it has one, else the 多多进宝 landing page (see module doc)."""
    for name in CLICK_URL_FIELDS:
        if raw.get(name):
            return absolute_url(raw[name], base_url, required=True) or ""
    sign = str(raw.get("goods_sign") or "").strip()
    params = {"goods_sign": sign} if sign else {"goods_id": str(raw.get("goods_id") or "")}
    if pid:
        params["pid"] = pid
    return f"{LANDING_URL}?{urlencode(params)}"


def fen_field(raw: dict[str, Any], name: str, *, required: bool = True) -> int | None:
    """A whole number of fen; ``"19.9"`` is refused rather than guessed at (yuan? fen?)."""
    value = decimal_field(raw, name, required=required)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise ParseError(f"unparseable {name}: {raw.get(name)!r} is not a whole number of fen")
    return int(value)


def parse_promotion_rate(value: object) -> int | None:
    """Per mille → basis points: ``200`` (20.0%) → ``2000``."""
    if value in (None, ""):
        return None
    try:
        return int((to_decimal(value) * 10).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except MoneyError as exc:
        raise ParseError(f"unparseable promotion_rate: {value!r}") from exc


def parse_sales_tip(value: object) -> int | None:
    """``"10万+"`` → 100000, ``"1.2万"`` → 12000, ``"3000+"`` → 3000, ``"3000"`` → 3000.

    "+" means "at least", so the lower bound is kept. Text with no number (or a
    missing tip) gives None: sales only rank offers, so they never reject one.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    match = _SALES.search(str(value).replace(",", ""))
    if match is None:
        return None
    return int(Decimal(match.group(1)) * _SALES_UNITS[match.group(2) or ""])


def _category(raw: dict[str, Any]) -> str | None:
    """``category_name`` (top level) then ``opt_name`` (PDD's finer tag) as one path."""
    parts = [str(raw.get(name) or "").strip() for name in ("category_name", "opt_name")]
    path = list(dict.fromkeys(p for p in parts if p))  # opt_name may repeat the top level
    return "/".join(path) or None


def _coupons(raw: dict[str, Any], *, key: str) -> tuple[CouponRecord, ...]:
    if raw.get("has_coupon") is False:
        return ()  # the flag wins over leftover coupon_* fields
    amount = fen_field(raw, "coupon_discount", required=False)
    if amount is None or amount <= 0:
        return ()
    minimum = fen_field(raw, "coupon_min_order_amount", required=False)
    if minimum is None:
        # Guessing 0 could understate 券后价: keep the record for review instead.
        raise ParseError("coupon without coupon_min_order_amount")
    start, end = raw.get("coupon_start_time"), raw.get("coupon_end_time")
    starts = epoch_time(start, name="coupon_start_time")
    ends = epoch_time(end, name="coupon_end_time")
    return (CouponRecord(
        external_id=coupon_id(key, minimum, amount, start, end),
        kind="amount_off",
        currency=CURRENCY,
        title=manjian_title(minimum, amount),
        amount=amount,
        min_spend=minimum,
        starts_at=starts,
        ends_at=ends,
        remaining=int_field(raw, "coupon_remain_quantity"),
        total=int_field(raw, "coupon_total_quantity"),
        raw={k: v for k, v in raw.items() if k.startswith("coupon") or k == "has_coupon"},
    ),)

