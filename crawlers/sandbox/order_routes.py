"""Buying on the sandbox networks, and the admin actions that move an order on.

  POST /{network}/buy                             form ``item``, ``tracking``: the product
                                                  page's button; creates a paid order
  GET  /_orders[?network=…]                       every order the sandbox holds (JSON)
  GET  /_orders/{network}/{order_id}              the order page (JSON with Accept: json)
  POST /_orders/{network}/{order_id}/settle       the network settles: pending → confirmed
  POST /_orders/{network}/{order_id}/refund       refunded: → reversed (also after settling)
  POST /_orders/{network}/{order_id}/postback     send a signed postback of its state now

A form post (a browser) is answered with a redirect to the order page; anything else
gets JSON: the order (``201`` for a buy), ``404`` for an unknown order or product,
``409`` for a move the order's state does not allow. With ``auto_postback`` (and a
``site_url``) every buy, settle and refund also sends a postback in the background.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from crawlers.sandbox.config import SandboxConfig
from crawlers.sandbox.order_pages import order_page, order_view
from crawlers.sandbox.order_products import product_of
from crawlers.sandbox.orders import NETWORKS, OrderBook, OrderStateError, SandboxOrder
from crawlers.sandbox.partner_pages import not_found
from crawlers.sandbox.postbacks import build_postback, deliver, deliver_quietly

ProductLookup = Callable[[str, str], Awaitable[Mapping[str, Any] | None]]
FORM_TYPE = "application/x-www-form-urlencoded"
MOVES = {"settle": OrderBook.settle, "refund": OrderBook.refund}


def order_routes(config: SandboxConfig, book: OrderBook, lookup: ProductLookup) -> list[Route]:
    handlers = _Handlers(config, book, lookup)
    return [
        Route("/{network}/buy", handlers.buy, methods=["POST"]),
        Route("/_orders", handlers.listing),
        Route("/_orders/{network}/{order_id}", handlers.detail),
        Route("/_orders/{network}/{order_id}/{action}", handlers.act, methods=["POST"]),
    ]


def _from_form(request: Request) -> bool:
    """A browser's form post (answered with a redirect), not an API call (JSON)."""
    accept = request.headers.get("accept", "")
    if "application/json" in accept:
        return False
    return "text/html" in accept or request.headers.get("content-type", "").startswith(FORM_TYPE)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


class _Handlers:
    def __init__(self, config: SandboxConfig, book: OrderBook, lookup: ProductLookup) -> None:
        self.config, self.book, self.lookup = config, book, lookup

    def _background(self, order: SandboxOrder) -> BackgroundTask | None:
        if self.config.auto_postback and self.config.site_url:
            return BackgroundTask(deliver_quietly, build_postback(order, self.config))
        return None

    def _answer(self, request: Request, order: SandboxOrder, *, status: int = 200,
                notice: str = "") -> Response:
        if request.method == "GET":
            if "application/json" in request.headers.get("accept", ""):
                return JSONResponse(order_view(order))
            return HTMLResponse(order_page(order, notice=notice))
        task = self._background(order)
        if _from_form(request):
            url = f"/_orders/{order.network}/{order.order_id}"
            return RedirectResponse(url, status_code=303, background=task)
        return JSONResponse(order_view(order), status_code=status, background=task)

    async def buy(self, request: Request) -> Response:
        network = request.path_params["network"]
        if network not in NETWORKS:
            return HTMLResponse(not_found("daogou sandbox", "Not found"), status_code=404)
        form = dict(parse_qsl((await request.body()).decode("utf-8", errors="replace")))
        product = product_of(network, await self.lookup(network, form.get("item", "")))
        if product is None:
            return _error(404, f"no {network} product {form.get('item', '')!r} for sale")
        order = self.book.buy(network, product, form.get("tracking", "").strip())
        return self._answer(request, order, status=201)

    async def listing(self, request: Request) -> Response:
        network = request.query_params.get("network") or None
        orders = sorted(self.book.orders(network), key=lambda o: o.serial)
        return JSONResponse({"orders": [order_view(o) for o in orders]})

    def _order(self, request: Request) -> SandboxOrder | None:
        return self.book.get(request.path_params["network"], request.path_params["order_id"])

    async def detail(self, request: Request) -> Response:
        order = self._order(request)
        if order is None:
            return _error(404, "no such order")
        return self._answer(request, order, notice=request.query_params.get("notice", ""))

    async def act(self, request: Request) -> Response:
        order, action = self._order(request), request.path_params["action"]
        if order is None:
            return _error(404, "no such order")
        if action == "postback":
            return await self._postback(request, order)
        if action not in MOVES:
            return _error(404, f"unknown action {action!r}")
        await asyncio.sleep(self.book.wait_before_move(order.network, order.order_id))
        try:
            moved = MOVES[action](self.book, order.network, order.order_id)
        except OrderStateError as exc:
            return _error(409, str(exc))
        return self._answer(request, moved)

    async def _postback(self, request: Request, order: SandboxOrder) -> Response:
        try:
            postback = build_postback(order, self.config)
        except ValueError as exc:
            return _error(409, str(exc))
        delivery = await deliver(postback)
        if _from_form(request):
            notice = f"postback → {delivery.status_code or delivery.answer}"
            url = f"/_orders/{order.network}/{order.order_id}?{urlencode({'notice': notice})}"
            return RedirectResponse(url, status_code=303)
        return JSONResponse({
            "url": postback.url, "payload": postback.payload, "signature": postback.signature,
            "status_code": delivery.status_code, "answer": delivery.answer,
        }, status_code=200 if delivery.status_code is not None else 502)
