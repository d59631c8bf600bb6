"""Shared by the sandbox order tests: buyable products, buying, and reading the order APIs
back through the real order parsers."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from starlette.applications import Starlette
from starlette.testclient import TestClient

from crawlers.parsers.awin_transactions import parse_transactions
from crawlers.parsers.jd_orders import parse_order_page as parse_jd
from crawlers.parsers.orders import OrderPage
from crawlers.parsers.pdd_orders import parse_order_page as parse_pdd
from crawlers.parsers.taobao_orders import parse_order_page as parse_taobao
from crawlers.sandbox.order_products import product_of
from tests.crawlers.sandbox.conftest import CONFIG, jd_params, pdd_params, top_params

NETWORKS = ("taobao", "pdd", "jd", "awin")
UTC8 = dt.timezone(dt.timedelta(hours=8))
TAOBAO_ORDERS = "taobao.tbk.order.details.get"
PDD_ORDERS = "pdd.ddk.order.list.increment.get"
JD_ORDERS = "jd.union.open.order.row.query"
AWIN_PATH = "/awin/publishers/123456/transactions/"
JSON_ACCEPT = {"Accept": "application/json"}


def records(app: Starlette, network: str) -> list[dict[str, Any]]:
    """The raw catalog records of ``network``, as its product pages show them."""
    catalogs = app.state.catalogs
    if network == "taobao":
        rows: list[dict[str, Any]] = app.state.taobao_feed.items
    elif network == "pdd":
        rows = catalogs.pdd.get().goods
    elif network == "jd":
        rows = catalogs.jd.get().goods
    else:
        rows = catalogs.awin.get().rows
    return rows


def buyable(app: Starlette, network: str, nth: int = 0) -> str:
    """The item id of the ``nth`` product of ``network`` that can be bought."""
    items = [p.item_id for r in records(app, network) if (p := product_of(network, r))]
    return items[nth]


def buy(client: TestClient, network: str, item: str, tracking: str = "") -> dict[str, Any]:
    response = client.post(f"/{network}/buy", data={"item": item, "tracking": tracking},
                           headers=JSON_ACCEPT)
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


def move(client: TestClient, order: dict[str, Any], action: str) -> dict[str, Any]:
    response = client.post(f"/_orders/{order['network']}/{order['order_id']}/{action}",
                           headers=JSON_ACCEPT)
    assert response.status_code == 200, response.text
    moved: dict[str, Any] = response.json()
    return moved


def wall(moment: dt.datetime) -> str:
    return moment.astimezone(UTC8).strftime("%Y-%m-%d %H:%M:%S")


def order_answer(client: TestClient, network: str, *, page: int = 1, page_size: int = 100,
                 **extra: Any) -> Any:
    """One page of ``network``'s order API over the hour around now, decoded."""
    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(minutes=30), now + dt.timedelta(minutes=30)
    if network == "taobao":
        params = top_params(method=TAOBAO_ORDERS, start_time=wall(start), end_time=wall(end),
                            query_type=4, page_no=page, page_size=page_size, **extra)
        return client.get("/taobao/router/rest", params=params).json()
    if network == "pdd":
        params = pdd_params(type=PDD_ORDERS, start_update_time=int(start.timestamp()),
                            end_update_time=int(end.timestamp()), page=page,
                            page_size=page_size, **extra)
        return client.post("/pdd/api/router", data=params).json()
    if network == "jd":
        req = {"pageIndex": page, "pageSize": page_size, "type": 3,
               "startTime": wall(start), "endTime": wall(end)}
        param_json: dict[str, Any] = {"360buy_param_json": json.dumps({"orderReq": req})}
        params = jd_params(method=JD_ORDERS, **param_json, **extra)
        return client.post("/jd/routerjson", data=params).json()
    iso = "%Y-%m-%dT%H:%M:%S"
    query = {"startDate": start.strftime(iso), "endDate": end.strftime(iso), "timezone": "UTC",
             **extra}
    headers = {"Authorization": f"Bearer {CONFIG.awin_api_token}"}
    return client.get(AWIN_PATH, params=query, headers=headers).json()


def parsed(network: str, body: Any) -> OrderPage:
    if network == "taobao":
        return parse_taobao(body, partner="taobao")
    if network == "pdd":
        return parse_pdd(body, partner="pdd")
    if network == "jd":
        return parse_jd(body, partner="jd")
    return parse_transactions(body, partner="awin")


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A stand-in site: records every POST and answers ``status``."""

    url: str = ""
    status: int = 200
    posts: list[Received] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)


@contextmanager
def postback_receiver() -> Iterator[Receiver]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            receiver.posts.append(Received(self.path, dict(self.headers.items()), body))
            receiver.arrived.set()
            self.send_response(receiver.status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
