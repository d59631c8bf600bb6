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
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from aggregator.money import MoneyError, percent_to_bp, to_minor
from aggregator.records import CouponRecord, OfferRecord, RejectRecord
from aggregator.timeutil import TimeParseError, parse_wall_clock
from crawlers.parsers.common import (
    ParseError,
    PartnerAPIError,
    absolute_url,
    int_field,
    manjian_title,
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


@dataclass(frozen=True)
class GoodsPage:
    records: list[OfferRecord | RejectRecord]
    total: int | None

    @property
    def is_last(self) -> bool:
        """An empty ``data`` list means there are no more pages."""
        return not self.records


def parse_goods_page(body: dict[str, Any], *, partner: str, base_url: str) -> GoodsPage:
    """One API response → records (good ones and rejects). Raises PartnerAPIError."""
    inner = decode_payload(body)
    records: list[OfferRecord | RejectRecord] = []
    for raw in inner.get("data") or []:
        if not isinstance(raw, dict):
            records.append(RejectRecord(partner=partner, reason="goods entry is not an object",
                                        raw={"value": raw}))
            continue
        try:
            records.append(parse_goods(raw, partner=partner, base_url=base_url))
        except (ParseError, ValueError) as exc:  # ValueError: a record's own invariants
            key = raw.get("skuId") or raw.get("itemId")
            records.append(RejectRecord(
                partner=partner, reason=str(exc), raw=raw,
                external_id=str(key) if key not in (None, "") else None))
    total = inner.get("totalCount")
    return GoodsPage(records=records, total=_count(total) if total not in (None, "") else None)


def _count(value: object) -> int | None:
    """A page's total; garbage there only loses the progress estimate, never the page."""
    try:
        return int(str(value))
    except ValueError:
        return None


def decode_payload(body: dict[str, Any]) -> dict[str, Any]:
    """The inner result object of either envelope; error envelopes raise PartnerAPIError."""
    for key in ERROR_KEYS:
        if key in body:
            err = body[key] or {}
            message = err.get("msg") or err.get("zh_desc") or err.get("en_desc") or ""
            raise PartnerAPIError(str(err.get("code", "?")), str(message),
                                  err.get("sub_code") or None)
    for envelope, payload_key in ENVELOPES:
        if envelope in body:
            return _inner(body[envelope] or {}, envelope, payload_key)
    raise PartnerAPIError("envelope", f"unexpected response keys: {sorted(body)[:5]}")


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
    sku = str(raw.get("skuId") or raw.get("itemId") or "").strip()
    if not sku:
        raise ParseError("missing skuId")
    title = str(raw.get("skuName") or "").strip()
    if not title:
        raise ParseError("missing skuName")
    prices = _section(raw, "priceInfo")
    price = _yuan(prices, "price", "priceInfo.price")
    if price is None:
        raise ParseError("missing priceInfo.price")
    if price <= 0:
        raise ParseError(f"non-positive priceInfo.price: {prices.get('price')!r}")
    shop = _section(raw, "shopInfo")
    shop_id = shop.get("shopId")
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
        shop_id=str(shop_id) if shop_id not in (None, "", 0) else None,
        shop_name=str(shop.get("shopName") or "").strip() or None,
        platform=OWNERS.get(str(raw.get("owner") or ""), "京东"),
        brand=str(raw.get("brandName") or "").strip() or None,
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
        # The terms and window identify a coupon across crawls; links may carry
        # per-request tracking and are too long for the id column.
        external_id=f"{sku}:{minimum}:{amount}:{start or ''}:{end or ''}",
        kind="amount_off",
        currency=CURRENCY,
        title=manjian_title(minimum, amount),
        amount=amount,
        min_spend=minimum,
        url=material_url(entry.get("link"), base_url),
        starts_at=_ms(start, "useStartTime"),
        ends_at=_ms(end, "useEndTime"),
        raw=entry,
    )


def _ms(value: object, name: str) -> datetime | None:
    if value in (None, "", 0, "0"):  # 0 is "not set", not 1970
        return None
    try:
        return parse_wall_clock(value)  # epochs in s or ms are told apart by size
    except TimeParseError as exc:
        raise ParseError(f"bad coupon {name}: {exc}") from exc

