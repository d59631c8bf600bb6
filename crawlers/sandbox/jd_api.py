"""Sandbox JD open-platform gateway (``/routerjson``) serving ``jd.union.open.goods.query``.

Parameters come from the query string or a urlencoded POST body: ``method``,
``app_key``, ``timestamp`` ("YYYY-MM-DD HH:MM:SS" in UTC+8, within 10 minutes),
``format=json``, ``v=1.0``, ``sign_method=md5``, ``sign`` and ``360buy_param_json``,
a JSON string ``{"goodsReqDTO": {"keyword"?, "pageIndex", "pageSize"}}``.

Answers use both envelopes JD is known for, chosen by page parity so every
crawl of two pages or more meets both: odd pages get
``jd_union_open_goods_query_response.result``, even pages the misspelt
``jd_union_open_goods_query_responce.queryResult``; the payload is a JSON string.
Gateway errors come as ``error_response`` (code, zh_desc, en_desc), a bad
signature as ``errorResponse`` (code, msg); a bad page request is a business
error inside the payload (``code`` 400), as JD Union reports them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from crawlers.sandbox.api import (
    Clock,
    Endpoint,
    GatewayError,
    fresh_wall_clock,
    json_gateway,
    malformed_page,
    page_slice,
    positive_int,
    signature_ok,
)
from crawlers.sandbox.faults import FaultBook
from crawlers.sandbox.jd import DEFECTS, spoiled
from crawlers.sandbox.lazy import Lazy

METHOD = "jd.union.open.goods.query"
PARAM_JSON = "360buy_param_json"
ENVELOPES = (  # (envelope, payload key) for odd and even pages
    ("jd_union_open_goods_query_response", "result"),
    ("jd_union_open_goods_query_responce", "queryResult"),
)
MAX_PAGE_SIZE = 30  # goods.query answers at most 30 items a page
DEFAULT_PAGE_SIZE = 20
_REQUIRED = ("method", "app_key", "timestamp", "v", "sign", PARAM_JSON)


class JdGatewayError(GatewayError):
    """A router-level error; ``legacy`` ones use the ``errorResponse`` shape."""

    def __init__(self, code: str, zh_desc: str, en_desc: str, *, legacy: bool = False) -> None:
        super().__init__(f"{code} {en_desc}")
        self.code, self.zh_desc, self.en_desc, self.legacy = code, zh_desc, en_desc, legacy

    def body(self) -> bytes:
        if self.legacy:
            return orjson.dumps({"errorResponse": {"code": self.code, "msg": self.en_desc}})
        error = {"code": self.code, "zh_desc": self.zh_desc, "en_desc": self.en_desc}
        return orjson.dumps({"error_response": error})


@dataclass(frozen=True, slots=True)
class GoodsRequest:
    page_index: int
    page_size: int
    keyword: str
    problem: str = ""  # a business error, reported inside the payload


class JdFeed:
    def __init__(self, goods: list[dict[str, Any]]) -> None:
        self.goods = goods
        self.by_sku = {str(g.get("skuId")): g for g in goods}

    def select(self, request: GoodsRequest) -> tuple[int, list[dict[str, Any]]]:
        hits = self.goods
        if request.keyword:
            hits = [g for g in hits if request.keyword in str(g.get("skuName") or "")]
        return len(hits), hits[page_slice(len(hits), request.page_index, request.page_size)]


def check_request(
    params: Mapping[str, str], *, app_key: str, secret: str, now: dt.datetime
) -> GoodsRequest:
    """The goods request of a valid call; raises JdGatewayError in the router's order."""
    check_call(params, app_key=app_key, secret=secret, now=now, method=METHOD)
    return goods_request(params[PARAM_JSON])


def check_call(
    params: Mapping[str, str], *, app_key: str, secret: str, now: dt.datetime, method: str
) -> None:
    """What every router call must pass: fields, app key, time, signature, method."""
    for name in _REQUIRED:
        if not params.get(name):
            raise JdGatewayError("12", f"缺少必选参数: {name}", f"Missing parameter: {name}")
    if params["app_key"] != app_key:
        raise JdGatewayError("19", "无效的app_key", "Invalid app_key")
    if not fresh_wall_clock(params["timestamp"], now):
        raise JdGatewayError("18", "时间戳错误或已过期", "Invalid or expired timestamp")
    if params.get("format", "json") != "json" or params["v"] != "1.0":
        raise JdGatewayError("21", "不支持的格式或版本", "Unsupported format or version")
    if params.get("sign_method", "md5") != "md5":
        raise JdGatewayError("22", "不支持的签名方法", "Unsupported sign_method")
    # The signature covers every parameter except sign and access_token.
    if not signature_ok(params, secret):
        raise JdGatewayError("1000", "签名无效", "sign invalid", legacy=True)
    if params["method"] != method:
        raise JdGatewayError("20", "无效的方法名", f"Invalid method: {params['method']}")


def goods_request(param_json: str) -> GoodsRequest:
    """Decode ``360buy_param_json``; a bad page number is a business error, not a raise."""
    try:
        dto = orjson.loads(param_json).get("goodsReqDTO")
    except (orjson.JSONDecodeError, AttributeError):
        dto = None
    if not isinstance(dto, dict):
        raise JdGatewayError("60", "360buy_param_json 格式错误", "Invalid 360buy_param_json")
    keyword = str(dto.get("keyword") or "")
    index = positive_int(dto.get("pageIndex", 1))
    size = positive_int(dto.get("pageSize", DEFAULT_PAGE_SIZE))
    if index is None:
        return GoodsRequest(1, DEFAULT_PAGE_SIZE, keyword, "pageIndex 应为正整数")
    if size is None or size > MAX_PAGE_SIZE:
        problem = f"pageSize 应为 1 到 {MAX_PAGE_SIZE} 之间的整数"
        return GoodsRequest(index, DEFAULT_PAGE_SIZE, keyword, problem)
    return GoodsRequest(index, size, keyword)


def page_index_of(params: Mapping[str, str]) -> int | None:
    """The requested page, best effort (for fault_page), before any validation."""
    try:
        dto = orjson.loads(params.get(PARAM_JSON, "")).get("goodsReqDTO") or {}
        return positive_int(dto.get("pageIndex", 1))
    except (orjson.JSONDecodeError, AttributeError):
        return None


def success_body(feed: JdFeed, request: GoodsRequest, *, malformed: bool = False) -> bytes:
    request_id = uuid.uuid4().hex
    if request.problem:
        inner: dict[str, Any] = {"code": 400, "message": request.problem, "requestId": request_id}
    else:
        total, goods = feed.select(request)
        if malformed:
            goods = malformed_page(goods, spoiled, DEFECTS)
        inner = {
            "code": 200,
            "message": "success",
            "requestId": request_id,
            "totalCount": total,
            "data": goods,
        }
    envelope, payload_key = ENVELOPES[(request.page_index + 1) % 2]
    payload = orjson.dumps(inner).decode()
    return orjson.dumps({envelope: {"code": "0", payload_key: payload}})


def gateway(
    feed: Lazy[JdFeed],
    faults: FaultBook,
    *,
    app_key: str,
    secret: str,
    clock: Clock | None = None,
) -> Endpoint:
    """The ``/jd/routerjson`` endpoint."""
    return json_gateway(
        feed,
        faults,
        page_of=page_index_of,
        check=lambda params, now: check_request(params, app_key=app_key, secret=secret, now=now),
        answer=lambda jd, goods, malformed: success_body(jd, goods, malformed=malformed),
        clock=clock,
    )
