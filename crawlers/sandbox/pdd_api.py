"""Sandbox Pinduoduo open-platform gateway serving ``pdd.ddk.goods.search``.

Parameters come from the query string or a urlencoded POST body: ``type``,
``client_id``, ``timestamp`` (unix seconds, within 10 minutes), ``data_type=JSON``,
``sign`` (the shared MD5 recipe), ``page`` (from 1), ``page_size`` (1–100),
optional ``keyword`` (title substring), ``opt_id`` (0 = every tag) and ``list_id``
(echoed; issued when absent). Past the last page ``goods_list`` is empty.
Errors come as ``error_response`` with HTTP 200, like the real gateway; the codes
follow the shape of the real ones (10000 参数错误 with a sub message, 20004 for a
bad signature) without claiming to be PDD's complete table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from crawlers.sandbox.api import (
    Clock,
    Endpoint,
    GatewayError,
    bounded_int,
    fresh_epoch,
    json_gateway,
    malformed_page,
    page_slice,
    positive_int,
    signature_ok,
)
from crawlers.sandbox.faults import FaultBook
from crawlers.sandbox.lazy import Lazy
from crawlers.sandbox.pdd import DEFECTS, spoiled

METHOD = "pdd.ddk.goods.search"
RESPONSE_KEY = "goods_search_response"
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 100
_REQUIRED = ("type", "client_id", "timestamp", "sign")


class PddError(GatewayError):
    def __init__(self, sub_msg: str, *, code: int = 10000, msg: str = "参数错误") -> None:
        super().__init__(f"{code} {msg}: {sub_msg}")
        self.code, self.msg, self.sub_msg = code, msg, sub_msg

    def body(self) -> bytes:
        response = {
            "error_code": self.code,
            "error_msg": self.msg,
            "sub_code": str(self.code),
            "sub_msg": self.sub_msg,
            "request_id": uuid.uuid4().hex[:20],
        }
        return orjson.dumps({"error_response": response})


@dataclass(frozen=True, slots=True)
class GoodsQuery:
    page: int
    page_size: int
    keyword: str
    opt_id: int  # 0: every tag
    list_id: str


class PddFeed:
    """The goods, indexed for paging, keyword and opt_id filters and lookups."""

    def __init__(self, goods: list[dict[str, Any]]) -> None:
        self.goods = goods
        self.by_sign = {str(g.get("goods_sign")): g for g in goods}

    def select(self, query: GoodsQuery) -> tuple[int, list[dict[str, Any]]]:
        if not query.keyword and not query.opt_id:
            hits = self.goods
        else:
            hits = [g for g in self.goods if _matches(g, query)]
        return len(hits), hits[page_slice(len(hits), query.page, query.page_size)]


def _matches(goods: Mapping[str, Any], query: GoodsQuery) -> bool:
    if query.opt_id and goods.get("opt_id") != query.opt_id:
        return False
    return query.keyword in str(goods.get("goods_name") or "")


def check_request(
    params: Mapping[str, str], *, client_id: str, secret: str, now: dt.datetime
) -> GoodsQuery:
    """The query of a valid call; raises PddError in the order the gateway checks."""
    check_call(params, client_id=client_id, secret=secret, now=now, method=METHOD)
    return _goods_query(params)


def check_call(
    params: Mapping[str, str], *, client_id: str, secret: str, now: dt.datetime, method: str
) -> None:
    """What every call must pass: required fields, client, time, signature, ``type``."""
    for name in _REQUIRED:
        if not params.get(name):
            raise PddError(f"{name} 不能为空")
    if params["client_id"] != client_id:
        raise PddError("client_id 不存在")
    if not fresh_epoch(params["timestamp"], now):
        raise PddError("timestamp 与服务器时间相差超过10分钟")
    if params.get("data_type", "JSON").upper() != "JSON":
        raise PddError("data_type 仅支持 JSON")
    if not signature_ok(params, secret):
        raise PddError("sign 校验失败", code=20004, msg="签名错误")
    if params["type"] != method:
        raise PddError(f"type 不存在: {params['type']}", code=10001, msg="接口不存在")


def _goods_query(params: Mapping[str, str]) -> GoodsQuery:
    page = _number(params, "page", default=1, high=1_000_000)
    page_size = _number(params, "page_size", default=DEFAULT_PAGE_SIZE, high=MAX_PAGE_SIZE)
    opt_id = params.get("opt_id", "") or "0"
    if not opt_id.isdigit():
        raise PddError("opt_id 应为整数")
    keyword = params.get("keyword", "")
    list_id = params.get("list_id") or _issued_list_id(keyword, opt_id)
    return GoodsQuery(page, page_size, keyword, int(opt_id), list_id)


def _number(params: Mapping[str, str], name: str, *, default: int, high: int) -> int:
    value = bounded_int(params, name, default=default, high=high)
    if value is None:
        raise PddError(f"{name} 应为 1 到 {high} 之间的整数")
    return value


def _issued_list_id(keyword: str, opt_id: str) -> str:
    # The same search gets the same list, so a restarted crawl pages the same order.
    return hashlib.blake2b(f"{keyword}|{opt_id}".encode(), digest_size=8).hexdigest()


def success_body(feed: PddFeed, query: GoodsQuery, *, malformed: bool = False) -> bytes:
    total, goods = feed.select(query)
    if malformed:
        goods = malformed_page(goods, spoiled, DEFECTS)
    search_id = hashlib.blake2b(f"{query.list_id}:{query.page}".encode(), digest_size=8)
    body = {
        "total_count": total,
        "list_id": query.list_id,
        "search_id": search_id.hexdigest(),
        "goods_list": goods,
    }
    return orjson.dumps({RESPONSE_KEY: body})


def gateway(
    feed: Lazy[PddFeed],
    faults: FaultBook,
    *,
    client_id: str,
    secret: str,
    clock: Clock | None = None,
) -> Endpoint:
    """The ``/pdd/api/router`` endpoint."""
    return json_gateway(
        feed,
        faults,
        page_of=lambda params: positive_int(params.get("page", "1")),
        check=lambda params, now: check_request(
            params, client_id=client_id, secret=secret, now=now
        ),
        answer=lambda pdd, query, malformed: success_body(pdd, query, malformed=malformed),
        clock=clock,
    )
