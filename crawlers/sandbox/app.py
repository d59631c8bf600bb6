"""The sandbox partner server: one Starlette app for the demo and the tests.

Routes:
  GET|POST /taobao/router/rest   Taobao TOP gateway (taobao.tbk.dg.material.optional)
  GET      /click?e=...          Taobao partner item page (partner_pages.py) behind an item's `url`
  GET      /coupon?e=...         Taobao partner coupon page behind `coupon_share_url`
  (TOP also answers taobao.tbk.order.details.get; buying and the order admin actions
  are in order_routes.py, the order APIs in order_apis.py and awin_transactions.py)
  ...                            PDD, JD, Awin, GMC and shop routes: see routes.py
  GET      /img/{name}.png       drawn product images (image_labels.py picks what images.py draws)
  GET      /_faults              fault counters; POST /_faults/reset clears them
  GET      /healthz              "ok"

Every gateway, file feed and shop page answers the ``fault=`` query parameters
described in faults.py. Taobao's catalog is built with the app; the other
networks' on their first request.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from crawlers.sandbox.api import by_param
from crawlers.sandbox.catalog import item_id_from_token, taobao_items
from crawlers.sandbox.catalog_registry import Catalogs, build_catalogs
from crawlers.sandbox.config import SandboxConfig
from crawlers.sandbox.faults import FaultBook
from crawlers.sandbox.feeds import FeedFiles, catalog_instant
from crawlers.sandbox.image_labels import image_labels
from crawlers.sandbox.images import product_png
from crawlers.sandbox.order_apis import TAOBAO_METHOD, taobao_orders
from crawlers.sandbox.order_routes import ProductLookup, order_routes
from crawlers.sandbox.orders import OrderBook
from crawlers.sandbox.partner_pages import CLICK_PAGE, COUPON_PAGE, not_found, taobao_page
from crawlers.sandbox.routes import landing_page, network_routes
from crawlers.sandbox.taobao import UTC8, TaobaoFeed, gateway

__all__ = ["SandboxConfig", "create_sandbox_app"]

# item_id (base64url or digits) or "<network>-<id>", optionally ".N" for extra images.
_IMAGE_NAME_RE = re.compile(r"^([A-Za-z0-9_-]{1,64})(?:\.([1-9]))?$")
_IMAGE_CACHE = "public, max-age=86400"
_TAOBAO_GONE = "很抱歉，您查看的宝贝不存在，可能已下架或者被转移。"


def create_sandbox_app(config: SandboxConfig | None = None) -> Starlette:
    """Build the Taobao catalog now, the others lazily, and serve them all."""
    config = config or SandboxConfig()
    today = config.today or dt.datetime.now(UTC8).date()
    feed = TaobaoFeed(
        taobao_items(
            seed=config.seed, size=config.taobao_items, today=today, bad_every=config.bad_every
        )
    )
    faults = FaultBook()
    catalogs = build_catalogs(config, today)
    files = FeedFiles(faults, catalog_instant(today))
    router_rest = gateway(
        feed, app_key=config.taobao_app_key, app_secret=config.taobao_app_secret, faults=faults
    )
    orders = OrderBook()
    top = by_param(
        "method",
        {TAOBAO_METHOD: taobao_orders(config, orders, faults, adzone_id=config.taobao_adzone_id)},
        default=router_rest,
    )
    routes = [
        Route("/taobao/router/rest", top, methods=["GET", "POST"]),
        *network_routes(config, catalogs, faults, files, orders),
        *order_routes(config, orders, _product_lookup(feed.by_id, catalogs)),
        Route("/img/{name}.png", _image_endpoint(feed.by_id, catalogs)),
        Route("/click", _item_page_endpoint(feed.by_id, kind=CLICK_PAGE)),
        Route("/coupon", _item_page_endpoint(feed.by_id, kind=COUPON_PAGE)),
        Route("/_faults", _fault_counts(faults)),
        Route("/_faults/reset", _fault_reset(faults), methods=["POST"]),
        Route("/healthz", _healthz),
    ]
    app = Starlette(routes=routes)
    app.state.config = config
    app.state.today = today
    app.state.taobao_feed = feed
    app.state.catalogs = catalogs
    app.state.faults = faults
    app.state.orders = orders
    return app


def _product_lookup(taobao: Mapping[str, dict[str, Any]], catalogs: Catalogs) -> ProductLookup:
    """The raw catalog record of ``item`` on ``network`` (what a buy is for), or None."""

    async def lookup(network: str, item: str) -> Mapping[str, Any] | None:
        if network == "taobao":
            return taobao.get(item)
        if network == "pdd":
            return (await catalogs.pdd.aget()).by_sign.get(item)
        if network == "jd":
            return (await catalogs.jd.aget()).by_sku.get(item)
        if network == "awin":
            return (await catalogs.awin.aget()).find(item)
        return None

    return lookup


async def _healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


def _fault_counts(faults: FaultBook) -> Callable[[Request], Awaitable[Response]]:
    async def counts(request: Request) -> Response:
        return JSONResponse({"faults": faults.snapshot()})

    return counts


def _fault_reset(faults: FaultBook) -> Callable[[Request], Awaitable[Response]]:
    async def reset(request: Request) -> Response:
        return JSONResponse({"reset": faults.reset()})

    return reset


def _image_endpoint(
    taobao: Mapping[str, dict[str, Any]], catalogs: Catalogs
) -> Callable[[Request], Response]:
    # A plain (sync) endpoint: Starlette runs it in a thread, so drawing with
    # Pillow (or a first catalog build) never blocks the event loop.
    def image(request: Request) -> Response:
        match = _IMAGE_NAME_RE.match(request.path_params["name"])
        if match is None:
            return PlainTextResponse("not found", status_code=404)
        name, variant = match.group(1), int(match.group(2) or 0)
        labels = image_labels(name, catalogs=catalogs, taobao=taobao)
        png = product_png(name, variant=variant, **labels)
        return Response(png, media_type="image/png", headers={"Cache-Control": _IMAGE_CACHE})

    return image


def _item_page_endpoint(
    items: Mapping[str, dict[str, Any]], *, kind: str
) -> Callable[[Request], Awaitable[Response]]:
    async def page(request: Request) -> Response:
        item_id = item_id_from_token(request.query_params.get("e", ""))
        item = items.get(item_id) if item_id else None
        if item is None:
            return HTMLResponse(not_found("淘宝 (沙盒)", _TAOBAO_GONE), status_code=404)
        return landing_page(taobao_page(item, kind=kind), request, "e", buy=("taobao", item))

    return page
