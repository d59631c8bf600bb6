"""JD Union ``jd.union.open.goods.query``: raw JSON → typed records.

Pure functions; the variants in partner-formats.md are covered by
tests/crawlers/test_jd_parser.py.

- Both envelopes occur (``…_response/result`` and the misspelt
  ``…_responce/queryResult``); the payload inside is a JSON *string*, decoded a
  second time here. An inner ``code`` other than 200 is an API error.
- Money is float yuan: read through ``Decimal(str(x))`` (``to_minor`` does) so
  299.0 becomes exactly 29900 fen. ``commissionShare`` is a percent. Times are
  millisecond epochs. The network only deals in CNY, so the currency is fixed.
- ``list_price`` is always None: goods.query has no list (划线) price.
  ``lowestPrice`` and ``lowestCouponPrice`` are *lower* than ``price`` (a
  promotion or 拼购 low, a low after coupons); showing either as the "was"
  price would invent a discount. They stay in ``raw``.
- Every coupon in ``couponList`` is emitted: choosing the best one is pricing's
  job (it depends on "now" and on the minimum spend). ``isBest`` stays in raw.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from aggregator.money import MoneyError, percent_to_bp, to_minor
from aggregator.records import CouponRecord, OfferRecord
from crawlers.parsers.common import (
    ApiPage,
    ParseError,
    PartnerAPIError,
    absolute_url,
    coupon_id,
    epoch_time,
    int_field,
    manjian_title,
    optional_id,
    optional_text,
    page_total,
    parse_rows,
    required_text,
    unexpected_envelope,
)

# (envelope key, payload key): JD serves both spellings.
ENVELOPES = (
    ("jd_union_open_goods_query_response", "result"),
    ("jd_union_open_goods_query_responce", "queryResult"),
)
ERROR_KEYS = ("errorResponse", "error_response")
CURRENCY = "CNY"
OWNERS = {"g": "京东自营", "p": "京东"}  # owner: g = JD's own stock, p = a POP shop
_HOST_PATH = re.compile(r"^[\w.-]+\.[\w-]+(?::\d+)?(?:[/?#]|$)")


def parse_goods_page(body: dict[str, Any], *, partner: str, base_url: str) -> ApiPage:
    """One API response → records (good ones and rejects). Raises PartnerAPIError.

    An empty ``data`` list means there are no more pages.
    """
    inner = decode_payload(body)
    records = parse_rows(inner.get("data") or [],
                         lambda raw: parse_goods(raw, partner=partner, base_url=base_url),
                         partner=partner, id_fields=("skuId", "itemId"))
    return ApiPage(records=records, total=page_total(inner.get("totalCount")))


def decode_payload(body: dict[str, Any],
                   envelopes: tuple[tuple[str, str], ...] = ENVELOPES) -> dict[str, Any]:
    """The inner result object of either envelope; error envelopes raise PartnerAPIError."""
    for key in ERROR_KEYS:
        if key in body:
            err = body[key] or {}
            message = err.get("msg") or err.get("zh_desc") or err.get("en_desc") or ""
            raise PartnerAPIError(str(err.get("code", "?")), str(message),
                                  err.get("sub_code") or None)
    for envelope, payload_key in envelopes:
        if envelope in body:
            return _inner(body[envelope] or {}, envelope, payload_key)
    raise unexpected_envelope(body)


def _inner(outer: dict[str, Any], envelope: str, payload_key: str) -> dict[str, Any]:
    if str(outer.get("code", "0")) != "0":  # gateway-level failure, no payload
        raise PartnerAPIError(str(outer["code"]),
                              str(outer.get("errorMessage") or outer.get("msg") or envelope))
    # Tolerate the other spelling's payload key too: it costs nothing.
    payload = outer.get(payload_key, outer.get("result", outer.get("queryResult")))
    if payload is None:
        raise PartnerAPIError("envelope", f"{envelope} has no {payload_key}")
    if isinstance(payload, str | bytes):
        try:
            payload = orjson.loads(payload)
        except orjson.JSONDecodeError as exc:
            raise PartnerAPIError("payload", f"{payload_key} is not JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise PartnerAPIError("payload", f"{payload_key} is not an object")
    code = payload.get("code", 200)
    if str(code) != "200":
        raise PartnerAPIError(str(code), str(payload.get("message") or ""))
    return payload


def parse_goods(raw: dict[str, Any], *, partner: str, base_url: str) -> OfferRecord:
    sku = required_text(raw.get("skuId") or raw.get("itemId"), name="skuId")
    title = required_text(raw.get("skuName"), name="skuName")
    prices = _section(raw, "priceInfo")
    price = _yuan(prices, "price", "priceInfo.price")
    if price is None:
        raise ParseError("missing priceInfo.price")
    if price <= 0:
        raise ParseError(f"non-positive priceInfo.price: {prices.get('price')!r}")
    shop = _section(raw, "shopInfo")
    commission = _section(raw, "commissionInfo").get("commissionShare")
    return OfferRecord(
        partner=partner,
        external_id=sku,
        title=title,
        url=material_url(raw.get("materialUrl"), base_url, required=True) or "",
        currency=CURRENCY,
        price=price,
        list_price=None,  # see the module docstring: JD sends no list price
        image_url=_image(raw, base_url),
        shop_id=optional_id(shop.get("shopId")),
        shop_name=optional_text(shop.get("shopName")),
        platform=OWNERS.get(str(raw.get("owner") or ""), "京东"),
        brand=optional_text(raw.get("brandName")),
        category=_category(_section(raw, "categoryInfo")),
        commission_bp=parse_commission_share(commission),
        sales=int_field(raw, "inOrderCount30Days"),
        coupons=_coupons(raw, sku=sku, base_url=base_url),
        raw=raw,
    )


def material_url(value: object, base_url: str, *, required: bool = False) -> str | None:
    """``item.jd.com/1.html`` (JD drops the scheme) → ``https://item.jd.com/1.html``.

    Anything else goes through ``absolute_url`` (``//host`` takes the feed's scheme;
    ``javascript:`` and friends are refused).
    """
    text = str(value or "").strip()
    if _HOST_PATH.match(text):
        return f"https://{text}"
    return absolute_url(text, base_url, required=required)


def parse_commission_share(value: object) -> int | None:
    """``15.0`` (percent) → 1500 bp."""
    if value in (None, ""):
        return None
    try:
        return percent_to_bp(value)
    except MoneyError as exc:
        raise ParseError(f"unparseable commissionShare: {value!r}") from exc


def _section(raw: dict[str, Any], name: str) -> dict[str, Any]:
    value = raw.get(name)
    return value if isinstance(value, dict) else {}


def _yuan(section: dict[str, Any], name: str, label: str) -> int | None:
    """Float yuan → fen, exactly: to_minor reads ``Decimal(str(x))``, never the float."""
    value = section.get(name)
    if value in (None, ""):
        return None
    try:
        return to_minor(value, CURRENCY)
    except MoneyError as exc:
        raise ParseError(f"unparseable {label}: {value!r}") from exc


def _image(raw: dict[str, Any], base_url: str) -> str | None:
    images = _section(raw, "imageInfo").get("imageList") or []
    first = images[0] if images and isinstance(images[0], dict) else {}
    return material_url(first.get("url") or raw.get("whiteImage"), base_url)


def _category(info: dict[str, Any]) -> str | None:
    """``cid1Name/cid2Name/cid3Name``, skipping levels JD left empty."""
    parts = [str(info.get(f"cid{level}Name") or "").strip() for level in (1, 2, 3)]
    return "/".join(p for p in parts if p) or None


def _coupons(raw: dict[str, Any], *, sku: str, base_url: str) -> tuple[CouponRecord, ...]:
    coupons: dict[str, CouponRecord] = {}
    for entry in _section(raw, "couponInfo").get("couponList") or []:
        if not isinstance(entry, dict):
            raise ParseError("coupon entry is not an object")
        coupon = _coupon(entry, sku=sku, base_url=base_url)
        # The same terms listed twice would break (offer, coupon id) uniqueness; one is enough.
        if coupon is not None and coupon.external_id not in coupons:
            coupons[coupon.external_id] = coupon
    return tuple(coupons.values())


def _coupon(entry: dict[str, Any], *, sku: str, base_url: str) -> CouponRecord | None:
    amount = _yuan(entry, "discount", "coupon discount")
    if amount is None or amount <= 0:
        return None  # a zero coupon carries no discount
    minimum = _yuan(entry, "quota", "coupon quota")
    if minimum is None:
        # Guessing 0 could understate 券后价: keep the record for review instead.
        raise ParseError("coupon without quota")
    start, end = entry.get("useStartTime"), entry.get("useEndTime")
    return CouponRecord(
        external_id=coupon_id(sku, minimum, amount, start, end),
        kind="amount_off",
        currency=CURRENCY,
        title=manjian_title(minimum, amount),
        amount=amount,
        min_spend=minimum,
        url=material_url(entry.get("link"), base_url),
        starts_at=epoch_time(start, name="coupon useStartTime"),
        ends_at=epoch_time(end, name="coupon useEndTime"),
        raw=entry,
    )

