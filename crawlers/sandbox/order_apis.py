"""The order APIs of the signed gateways, over the orders the sandbox holds (orders.py).

  taobao.tbk.order.details.get       on /taobao/router/rest (method=…)
  pdd.ddk.order.list.increment.get   on /pdd/api/router (type=…)
  jd.union.open.order.row.query      on /jd/routerjson (method=…)

Each is checked like the catalog call beside it (app key, time, MD5 signature) and
answers the real envelope. The query windows are the networks' limits: Taobao 3 hours
(paged by ``position_index`` + ``jump_type``), PDD 24 hours (paged by ``page``), JD one
hour (paged by ``pageIndex``, with ``hasMore``). ``fault=malformed`` spoils the amount
of the third row and every fourth after it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from crawlers.sandbox import jd_api, pdd_api, taobao
from crawlers.sandbox.api import (
    UTC8,
    Endpoint,
    GatewayError,
    bounded_int,
    json_gateway,
    malformed_page,
    positive_int,
)
from crawlers.sandbox.config import SandboxConfig
from crawlers.sandbox.faults import FaultBook
from crawlers.sandbox.lazy import Lazy
from crawlers.sandbox.order_rows import (
    JD_TIMES,
    TAOBAO_TIMES,
    epoch,
    jd_row,
    pdd_row,
    taobao_row,
)
from crawlers.sandbox.orders import OrderBook, SandboxOrder
from crawlers.sandbox.records import Spoil

TAOBAO_METHOD = "taobao.tbk.order.details.get"
PDD_METHOD = "pdd.ddk.order.list.increment.get"
JD_METHOD = "jd.union.open.order.row.query"
TAOBAO_SPAN = dt.timedelta(hours=3)
PDD_SPAN = dt.timedelta(hours=24)
JD_SPAN = dt.timedelta(hours=1)
JD_ENVELOPES = (("jd_union_open_order_row_query_response", "result"),
                ("jd_union_open_order_row_query_responce", "queryResult"))


@dataclass(frozen=True, slots=True)
class OrderQuery:
    field: str  # the SandboxOrder time the window applies to
    start: dt.datetime
    end: dt.datetime
    page: int
    page_size: int
    cursor: tuple[int, str] | None = None  # Taobao's position_index (with jump_type=1)
    count: bool = True  # PDD's return_count
    problem: str = ""  # a JD business error, answered inside the payload


def window_orders(book: OrderBook, network: str, query: OrderQuery) -> list[SandboxOrder]:
    """The network's orders whose ``query.field`` time is in the window, oldest first."""
    hits = [o for o in book.orders(network)
            if (at := getattr(o, query.field)) is not None and query.start <= at <= query.end]
    return sorted(hits, key=lambda o: (getattr(o, query.field), o.serial))


def spoil_amount(field: str) -> Spoil[dict[str, Any]]:
    """For ``fault=malformed``: a row whose ``field`` (an amount) is not a number."""

    def spoil(row: dict[str, Any], defect: str) -> dict[str, Any]:
        return {**row, field: "abc"}

    return spoil


def wall_clock(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC8)
    except ValueError:
        return None


# Taobao ------------------------------------------------------------------------------


class TopCallError(GatewayError):
    def __init__(self, error: taobao.TopError) -> None:
        super().__init__(str(error))
        self.error = error

    def body(self) -> bytes:
        return taobao.error_body(self.error, uuid.uuid4().hex[:13])


def taobao_query(params: Mapping[str, str]) -> OrderQuery:
    start, end = (wall_clock(params.get(name, "")) for name in ("start_time", "end_time"))
    if start is None or end is None:
        raise taobao.invalid_argument("start_time", "时间格式为 yyyy-MM-dd HH:mm:ss")
    if not start < end <= start + TAOBAO_SPAN:
        raise taobao.invalid_argument("end_time", "结束时间须晚于开始时间，跨度不超过3小时")
    query_type = taobao.int_param(params, "query_type", default=1, high=4)
    return OrderQuery(
        field=TAOBAO_TIMES[query_type], start=start, end=end,
        page=taobao.int_param(params, "page_no", default=1, high=1_000_000),
        page_size=taobao.int_param(params, "page_size", default=20, high=100),
        cursor=_position(params) if params.get("jump_type") == "1" else None)


def _position(params: Mapping[str, str]) -> tuple[int, str]:
    """``position_index`` as this sandbox writes it: ``<epoch>_<trade_id>`` of a row."""
    at, _, trade_id = params.get("position_index", "").partition("_")
    if not at.isdigit() or not trade_id:
        raise taobao.invalid_argument("position_index", "position_index 无效，请原样传回")
    return int(at), trade_id


def taobao_body(book: OrderBook, query: OrderQuery, adzone_id: str, malformed: bool) -> bytes:
    hits = window_orders(book, "taobao", query)
    keys = [(epoch(getattr(o, query.field)), o.order_id) for o in hits]
    # The cursor names the last row of the page before; without one, pages count from 1.
    cursor = query.cursor
    first = sum(1 for key in keys if key <= cursor) if cursor else \
        (query.page - 1) * query.page_size
    shown = hits[first : first + query.page_size]
    rows = [taobao_row(o, adzone_id=adzone_id) for o in shown]
    if malformed:
        rows = malformed_page(rows, spoil_amount("alipay_total_price"), ("amount",))
    last = keys[first + len(shown) - 1] if shown else cursor
    data: dict[str, Any] = {
        "has_next": first + len(shown) < len(hits), "has_pre": first > 0,
        "page_no": query.page, "page_size": query.page_size,
        "results": {"publisher_order_dto": rows} if rows else {},
    }
    if last:
        data["position_index"] = f"{last[0]}_{last[1]}"
    return orjson.dumps({"tbk_order_details_get_response": {
        "data": data, "request_id": uuid.uuid4().hex[:13]}})


def taobao_orders(config: SandboxConfig, book: OrderBook, faults: FaultBook,
                  *, adzone_id: str) -> Endpoint:
    def check(params: Mapping[str, str], now: dt.datetime) -> OrderQuery:
        try:
            taobao.check_call(params, app_key=config.taobao_app_key,
                              app_secret=config.taobao_app_secret, now=now, method=TAOBAO_METHOD)
            return taobao_query(params)
        except taobao.TopError as error:
            raise TopCallError(error) from error

    return json_gateway(
        Lazy(lambda: book), faults,
        page_of=lambda params: positive_int(params.get("page_no", "1")), check=check,
        answer=lambda orders, query, malformed: taobao_body(orders, query, adzone_id, malformed))


# PDD ---------------------------------------------------------------------------------


def pdd_query(params: Mapping[str, str]) -> OrderQuery:
    start, end = (params.get(name, "") for name in ("start_update_time", "end_update_time"))
    if not (start.isdigit() and end.isdigit()):
        raise pdd_api.PddError("start_update_time/end_update_time 应为时间戳(秒)")
    since, until = (dt.datetime.fromtimestamp(int(v), dt.UTC) for v in (start, end))
    if not since < until <= since + PDD_SPAN:
        raise pdd_api.PddError("end_update_time 与 start_update_time 相差不能超过24小时")
    page = bounded_int(params, "page", default=1, high=10_000)
    size = bounded_int(params, "page_size", default=100, high=100)
    if page is None or size is None or size < 10:
        raise pdd_api.PddError("page 应为 1 到 10000，page_size 应为 10 到 100 之间的整数")
    return OrderQuery("modified_at", since, until, page, size,
                      count=params.get("return_count", "true").lower() != "false")


def pdd_body(book: OrderBook, query: OrderQuery, pid: str, malformed: bool) -> bytes:
    hits = window_orders(book, "pdd", query)
    first = (query.page - 1) * query.page_size
    rows = [pdd_row(o, pid=pid) for o in hits[first : first + query.page_size]]
    if malformed:
        rows = malformed_page(rows, spoil_amount("order_amount"), ("amount",))
    payload: dict[str, Any] = {"order_list": rows, "request_id": uuid.uuid4().hex[:20]}
    if query.count:
        payload["total_count"] = len(hits)
    return orjson.dumps({"order_list_get_response": payload})


def pdd_orders(config: SandboxConfig, book: OrderBook, faults: FaultBook, *,
               pid: str) -> Endpoint:
    def check(params: Mapping[str, str], now: dt.datetime) -> OrderQuery:
        pdd_api.check_call(params, client_id=config.pdd_client_id,
                           secret=config.pdd_client_secret, now=now, method=PDD_METHOD)
        return pdd_query(params)

    return json_gateway(
        Lazy(lambda: book), faults,
        page_of=lambda params: positive_int(params.get("page", "1")), check=check,
        answer=lambda orders, query, malformed: pdd_body(orders, query, pid, malformed))


# JD ----------------------------------------------------------------------------------


def jd_query(param_json: str) -> OrderQuery:
    try:
        req = orjson.loads(param_json).get("orderReq")
    except (orjson.JSONDecodeError, AttributeError):
        req = None
    if not isinstance(req, dict):
        raise jd_api.JdGatewayError("60", "360buy_param_json 格式错误", "Invalid 360buy_param_json")
    start, end = (wall_clock(str(req.get(name) or "")) for name in ("startTime", "endTime"))
    index, size = positive_int(req.get("pageIndex", 1)), positive_int(req.get("pageSize", 20))
    kind = req.get("type", 1)
    field = JD_TIMES.get(kind) if isinstance(kind, int) else None
    now = dt.datetime.now(dt.UTC)
    if index is None or size is None or size > 200 or field is None:
        return OrderQuery("created_at", now, now, 1, 20, problem="pageIndex/pageSize/type 不正确")
    if start is None or end is None or not start < end <= start + JD_SPAN:
        return OrderQuery(field, now, now, index, size, problem="查询时间跨度不能超过1小时")
    return OrderQuery(field, start, end, index, size)


def jd_body(book: OrderBook, query: OrderQuery, position_id: str, malformed: bool) -> bytes:
    inner: dict[str, Any] = {"code": 200, "message": "success", "requestId": uuid.uuid4().hex}
    if query.problem:
        inner.update(code=400, message=query.problem)
    else:
        hits = window_orders(book, "jd", query)
        first = (query.page - 1) * query.page_size
        rows = [jd_row(o, position_id=position_id) for o in hits[first : first + query.page_size]]
        if malformed:
            rows = malformed_page(rows, spoil_amount("estimateFee"), ("amount",))
        inner["hasMore"] = first + len(rows) < len(hits)
        if rows:
            inner["data"] = rows
    envelope, payload_key = JD_ENVELOPES[(query.page + 1) % 2]
    return orjson.dumps({envelope: {"code": "0", payload_key: orjson.dumps(inner).decode()}})


def jd_orders(config: SandboxConfig, book: OrderBook, faults: FaultBook, *,
              position_id: str) -> Endpoint:
    def check(params: Mapping[str, str], now: dt.datetime) -> OrderQuery:
        jd_api.check_call(params, app_key=config.jd_app_key, secret=config.jd_app_secret,
                          now=now, method=JD_METHOD)
        return jd_query(params[jd_api.PARAM_JSON])

    def page_of(params: Mapping[str, str]) -> int | None:
        try:
            return positive_int((orjson.loads(params.get(jd_api.PARAM_JSON, "")).get(
                "orderReq") or {}).get("pageIndex", 1))
        except (orjson.JSONDecodeError, AttributeError):
            return None

    return json_gateway(
        Lazy(lambda: book), faults, page_of=page_of, check=check,
        answer=lambda orders, query, malformed: jd_body(orders, query, position_id, malformed))
