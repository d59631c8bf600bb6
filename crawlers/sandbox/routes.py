"""Routes of the networks besides Taobao: PDD, JD, Awin, GMC and the web shop.

  GET|POST /pdd/api/router                 PDD gateway (pdd.ddk.goods.search, and
                                           pdd.ddk.order.list.increment.get)
  GET      /pdd/goods.html?goods_sign=…    PDD goods page (behind ``mobile_url``)
  GET|POST /jd/routerjson                  JD gateway (jd.union.open.goods.query, and
                                           jd.union.open.order.row.query)
  GET      /jd/item/<skuId>.html           JD item page (``materialUrl``; ``?coupon=`` links)
  GET      /awin/datafeed/products.csv     Awin product feed, plain
  GET      /awin/datafeed/products.csv.gz  the same feed as a gzip file
  GET      /awin/promotions.csv            Awin promotions / vouchers export
  GET      /awin/click?p=…&a=…&m=…         Awin click landing (also ?awinmid=…&ued=…)
  GET      /awin/publishers/<id>/transactions/  Awin publisher API: transactions
  GET      /gmc/feed.xml, /gmc/feed.tsv    Merchant Center feed, RSS 2.0 or TSV
  GET      /gmc/item/<g:id>                the store's product page (the feed's ``link``)
  GET      /shop/, /shop/?page=N           shop listing pages (rel="next" pagination)
  GET      /shop/item/<id>                 shop product page (JSON-LD, microdata or OG)

The file feeds and shop pages answer the ``fault=`` parameters (faults.py); so do
the gateways and the Awin API. Product pages of the four affiliate networks carry a
"buy" button (order_routes.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from aggregator.affiliate.subids import PARAMS
from crawlers.sandbox import awin_transactions, jd_api, order_apis, partner_pages, pdd_api
from crawlers.sandbox.api import by_param, positive_int, request_host
from crawlers.sandbox.catalog_registry import MERCHANT_NAMES, Catalogs
from crawlers.sandbox.config import SandboxConfig
from crawlers.sandbox.faults import CONTROL_PARAMS, FaultBook
from crawlers.sandbox.feeds import CSV_TYPE, TSV_TYPE, XML_TYPE, FeedFiles
from crawlers.sandbox.order_products import product_of
from crawlers.sandbox.orders import OrderBook
from crawlers.sandbox.shop_pages import PAGE_SIZE, item_page, listing_page

HTML_TYPE = "text/html; charset=utf-8"
Endpoint = Callable[[Request], Awaitable[Response]]


def network_routes(
    config: SandboxConfig,
    catalogs: Catalogs,
    faults: FaultBook,
    files: FeedFiles,
    orders: OrderBook,
) -> list[Route]:
    return [
        *_api_routes(config, catalogs, faults, orders),
        Route(
            "/awin/publishers/{publisher_id}/transactions/",
            awin_transactions.transactions(orders, faults, token=config.awin_api_token),
        ),
        Route("/awin/datafeed/products.csv", files.endpoint("awin", catalogs.awin_csv, CSV_TYPE)),
        Route(
            "/awin/datafeed/products.csv.gz",
            files.endpoint("awin", catalogs.awin_csv, CSV_TYPE, gz=True),
        ),
        Route(
            "/awin/promotions.csv",
            files.endpoint("awin_promotions", catalogs.promotions_csv, CSV_TYPE),
        ),
        Route("/awin/click", _awin_click(catalogs)),
        Route("/gmc/feed.xml", files.endpoint("gmc_xml", catalogs.gmc_xml, XML_TYPE)),
        Route("/gmc/feed.tsv", files.endpoint("gmc_tsv", catalogs.gmc_tsv, TSV_TYPE)),
        Route("/gmc/item/{gid}", _gmc_item(catalogs)),
        Route("/shop/", _shop_listing(catalogs, faults)),
        Route("/shop/item/{product_id:int}", _shop_item(catalogs, faults)),
    ]


def _api_routes(
    config: SandboxConfig, catalogs: Catalogs, faults: FaultBook, orders: OrderBook
) -> list[Route]:
    """Each gateway URL serves the catalog call and, told apart by method, the orders."""
    pdd_goods = pdd_api.gateway(
        catalogs.pdd, faults, client_id=config.pdd_client_id, secret=config.pdd_client_secret
    )
    pdd_orders = order_apis.pdd_orders(config, orders, faults, pid=config.pdd_pid)
    pdd = by_param("type", {order_apis.PDD_METHOD: pdd_orders}, default=pdd_goods)
    jd_goods = jd_api.gateway(
        catalogs.jd, faults, app_key=config.jd_app_key, secret=config.jd_app_secret
    )
    jd_orders = order_apis.jd_orders(config, orders, faults, position_id=config.jd_position_id)
    jd = by_param("method", {order_apis.JD_METHOD: jd_orders}, default=jd_goods)
    return [
        Route("/pdd/api/router", pdd, methods=["GET", "POST"]),
        Route("/pdd/goods.html", _pdd_goods(catalogs)),
        Route("/jd/routerjson", jd, methods=["GET", "POST"]),
        Route("/jd/item/{sku:int}.html", _jd_item(catalogs)),
    ]


def landing_page(
    view: partner_pages.Page,
    request: Request,
    *identifying: str,
    buy: tuple[str, Mapping[str, Any]] | None = None,
) -> Response:
    """``view`` with the tracking parameters the click carried (all but ``identifying``).

    ``buy`` is (network, raw record): a product that can be bought gets a "buy" button
    carrying the sub-id from this page's own URL (the network's parameter, subids.PARAMS).
    """
    tracking = {k: v for k, v in request.query_params.items() if k not in identifying}
    form = None
    if buy is not None and (product := product_of(*buy)) is not None:
        network = buy[0]
        carried = request.query_params.get(PARAMS[network], "")
        form = partner_pages.BuyForm(f"/{network}/buy", product.item_id, carried)
    return HTMLResponse(partner_pages.render(view, tracking, form))


def _pdd_goods(catalogs: Catalogs) -> Endpoint:
    async def page(request: Request) -> Response:
        sign = request.query_params.get("goods_sign", "")
        goods = (await catalogs.pdd.aget()).by_sign.get(sign)
        if goods is None:
            return HTMLResponse(partner_pages.not_found("拼多多"), status_code=404)
        view = partner_pages.pdd_page(goods, host=request_host(request))
        return landing_page(view, request, "goods_sign", buy=("pdd", goods))

    return page


def _jd_item(catalogs: Catalogs) -> Endpoint:
    async def page(request: Request) -> Response:
        goods = (await catalogs.jd.aget()).by_sku.get(str(request.path_params["sku"]))
        if goods is None:
            return HTMLResponse(partner_pages.not_found("京东"), status_code=404)
        coupon = request.query_params.get("coupon", "")
        view = partner_pages.jd_page(goods, host=request_host(request), coupon_key=coupon)
        return landing_page(view, request, "coupon", buy=("jd", goods))

    return page


def _awin_click(catalogs: Catalogs) -> Endpoint:
    async def click(request: Request) -> Response:
        params = request.query_params
        merchant = MERCHANT_NAMES.get(params.get("m") or params.get("awinmid") or "")
        row = (await catalogs.awin.aget()).find(params["p"]) if params.get("p") else None
        if row is None and merchant is None:
            return HTMLResponse(
                partner_pages.not_found("Awin", "Unknown link", lang="en-GB"), status_code=404
            )
        view = partner_pages.awin_page(row, merchant=merchant or "", host=request_host(request))
        return landing_page(view, request, "p", buy=("awin", row) if row else None)

    return click


def _gmc_item(catalogs: Catalogs) -> Endpoint:
    async def page(request: Request) -> Response:
        item = (await catalogs.gmc.aget()).find(request.path_params["gid"])
        if item is None:
            return HTMLResponse(
                partner_pages.not_found("Shop", "Not found", lang="en-GB"), status_code=404
            )
        view = partner_pages.gmc_page(item, host=request_host(request))
        return landing_page(view, request)

    return page


def _carried(request: Request) -> str:
    """The fault parameters, to carry into the page's links (faults span the site)."""
    return urlencode([(k, v) for k, v in request.query_params.items() if k in CONTROL_PARAMS])


def _shop_listing(catalogs: Catalogs, faults: FaultBook) -> Endpoint:
    async def listing(request: Request) -> Response:
        page = positive_int(request.query_params.get("page", "1"))
        fault = faults.take(request.url.path, request.query_params, page=page)
        if (refusal := fault.refusal()) is not None:
            return refusal
        products = await catalogs.shop.aget()
        pages = max(1, -(-len(products) // PAGE_SIZE))
        if page is None or page > pages:
            return HTMLResponse(partner_pages.not_found("好物小铺", "没有这一页"), status_code=404)
        shown = products[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        html = listing_page(
            shown, page=page, pages=pages, carry=_carried(request), malformed=fault.malformed
        )
        return fault.respond(html.encode(), media_type=HTML_TYPE)

    return listing


def _shop_item(catalogs: Catalogs, faults: FaultBook) -> Endpoint:
    async def item(request: Request) -> Response:
        fault = faults.take(request.url.path, request.query_params)
        if (refusal := fault.refusal()) is not None:
            return refusal
        await catalogs.shop.aget()
        product = catalogs.shop_product(request.path_params["product_id"])
        if product is None:
            return HTMLResponse(partner_pages.not_found("好物小铺"), status_code=404)
        html = item_page(product, host=request_host(request), malformed=fault.malformed)
        return fault.respond(html.encode(), media_type=HTML_TYPE)

    return item
