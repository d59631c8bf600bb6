"""Taobao Union ``taobao.tbk.dg.material.optional``: raw JSON → typed records.

Pure functions; every field variant in partner-formats.md is handled here and
covered by tests/crawlers/test_taobao_parser.py.
"""

from __future__ import annotations

from typing import Any

from aggregator.money import percent_to_bp, to_minor
from aggregator.records import CouponRecord, OfferRecord
from aggregator.timeutil import TimeParseError, parse_wall_clock
from crawlers.parsers.common import (
    ApiPage,
    ParseError,
    PartnerAPIError,
    absolute_url,
    coupon_id,
    decimal_field,
    envelope_object,
    int_field,
    manjian_title,
    optional_amount,
    optional_id,
    optional_text,
    parse_manjian,
    parse_rows,
    required_text,
)

RESPONSE_KEY = "tbk_dg_material_optional_response"
PLATFORMS = {0: "淘宝", 1: "天猫"}


def parse_material_page(body: dict[str, Any], *, partner: str, base_url: str,
                        currency: str = "CNY") -> ApiPage:
    """One API response → records (good ones and rejects). Raises PartnerAPIError.

    An empty page (or a missing result_list) means there are no more pages.
    """
    payload = top_payload(body, RESPONSE_KEY)
    rows = ((payload.get("result_list") or {}).get("map_data")) or []
    records = parse_rows(
        rows, lambda raw: parse_item(raw, partner=partner, base_url=base_url, currency=currency),
        partner=partner, id_fields=("item_id",))
    total = payload.get("total_results")
    return ApiPage(records=records, total=int(total) if total is not None else None)


def top_payload(body: dict[str, Any], key: str) -> dict[str, Any]:
    """The ``key`` envelope of a TOP answer; its ``error_response`` raises PartnerAPIError."""
    if "error_response" in body:
        err = body["error_response"] or {}
        raise PartnerAPIError(str(err.get("code", "?")), str(err.get("msg", "")),
                              err.get("sub_code") or err.get("sub_msg"))
    return envelope_object(body, key)


def parse_commission(value: object) -> int | None:
    """``"780"`` (units of 1/10000) → 780 bp; a decimal ``"7.80"`` is a percent → 780 bp."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        return percent_to_bp(text) if "." in text else int(text)
    except ValueError as exc:
        raise ParseError(f"unparseable commission_rate: {value!r}") from exc


def parse_item(raw: dict[str, Any], *, partner: str, base_url: str,
               currency: str = "CNY") -> OfferRecord:
    item_id = required_text(raw.get("item_id"), name="item_id")
    title = required_text(raw.get("title"), name="title")
    price = decimal_field(raw, "zk_final_price")
    assert price is not None
    if price <= 0:
        raise ParseError(f"non-positive price: {raw.get('zk_final_price')!r}")
    reserve = optional_amount(decimal_field, raw, "reserve_price")
    image = raw.get("pict_url") or next(iter((raw.get("small_images") or {}).get("string") or []),
                                        None)
    price_minor = to_minor(price, currency)
    return OfferRecord(
        partner=partner,
        external_id=item_id,
        title=title,
        url=absolute_url(raw.get("url"), base_url, required=True) or "",
        currency=currency,
        price=price_minor,
        list_price=to_minor(reserve, currency) if reserve is not None else None,
        image_url=absolute_url(image, base_url),
        shop_id=optional_id(raw.get("seller_id")),
        shop_name=optional_text(raw.get("shop_title")),
        platform=PLATFORMS.get(_int_or_none(raw.get("user_type")) or 0),
        category=optional_text(raw.get("category_name")),
        commission_bp=parse_commission(raw.get("commission_rate")),
        sales=int_field(raw, "volume") or 0,
        coupons=_coupons(raw, item_id=item_id, base_url=base_url, currency=currency),
        raw=raw,
    )


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _coupons(raw: dict[str, Any], *, item_id: str, base_url: str,
             currency: str) -> tuple[CouponRecord, ...]:
    info = str(raw.get("coupon_info") or "").strip()
    amount = decimal_field(raw, "coupon_amount", required=False)
    if not info and amount is None:
        return ()
    parsed = parse_manjian(info) if info else None
    minimum = decimal_field(raw, "coupon_start_fee", required=False)
    if amount is None or minimum is None:
        if parsed is None:
            raise ParseError(f"unreadable coupon_info: {info!r}")
        minimum = parsed[0] if minimum is None else minimum
        amount = parsed[1] if amount is None else amount
    if amount <= 0:
        return ()  # "0元" placeholders carry no discount
    starts, ends = _window(raw)
    min_spend, off = to_minor(minimum, currency), to_minor(amount, currency)
    return (CouponRecord(
        external_id=coupon_id(item_id, min_spend, off, raw.get("coupon_start_time"),
                              raw.get("coupon_end_time")),
        kind="amount_off",
        currency=currency,
        title=info or manjian_title(min_spend, off, currency),
        amount=off,
        min_spend=min_spend,
        url=absolute_url(raw.get("coupon_share_url") or raw.get("coupon_click_url"), base_url),
        starts_at=starts,
        ends_at=ends,
        remaining=int_field(raw, "coupon_remain_count"),
        total=int_field(raw, "coupon_total_count"),
        raw={k: v for k, v in raw.items() if k.startswith("coupon")},
    ),)


def _window(raw: dict[str, Any]) -> tuple[Any, Any]:
    """Coupon window in UTC: dates, UTC+8 wall clock, or millisecond epochs."""
    start, end = raw.get("coupon_start_time"), raw.get("coupon_end_time")
    try:
        starts = parse_wall_clock(start) if start not in (None, "") else None
        ends = parse_wall_clock(end, date_is_end=True) if end not in (None, "") else None
    except TimeParseError as exc:
        raise ParseError(f"bad coupon time: {exc}") from exc
    return starts, ends
