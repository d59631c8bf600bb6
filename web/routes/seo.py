"""robots.txt and sitemaps: what search engines may crawl, and every live product page."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import PlainTextResponse, Response

from aggregator.sitemap import product_ids, sitemap_files
from aggregator.taxonomy import load_taxonomy
from web.deps import SessionDep
from web.templating import templates
from web.urls import site_url

router = APIRouter(include_in_schema=False)
XML = "application/xml"


@router.get("/robots.txt", name="robots", response_class=PlainTextResponse)
def robots(request: Request) -> str:
    # Redirects and the API are for people and apps, not for indexing.
    return "\n".join([
        "User-agent: *", "Disallow: /go/", "Disallow: /api/", "Disallow: /admin",
        "Disallow: /lang/", "Allow: /", f"Sitemap: {site_url(request, 'sitemap_index')}", "",
    ])


@router.get("/sitemap.xml", name="sitemap_index")
def sitemap_index(request: Request, session: SessionDep) -> Response:
    files = [site_url(request, "sitemap_pages")] + [
        site_url(request, "sitemap_products", file_no=n) for n in range(sitemap_files(session))]
    return templates.TemplateResponse(request, "sitemap_index.xml", {"files": files},
                                      media_type=XML)


@router.get("/sitemaps/pages.xml", name="sitemap_pages")
def sitemap_pages(request: Request) -> Response:
    """The home page, the coupons page and every category page."""
    urls = [site_url(request, "home"), site_url(request, "coupons_page")] + [
        site_url(request, "category_page", taxonomy_id=node_id)
        for node_id in sorted(load_taxonomy().nodes)]
    return templates.TemplateResponse(request, "sitemap.xml", {"urls": urls}, media_type=XML)


@router.get("/sitemaps/products-{file_no:int}.xml", name="sitemap_products")
def sitemap_products(request: Request, file_no: int, session: SessionDep) -> Response:
    if file_no >= sitemap_files(session):
        raise HTTPException(404)
    urls = [site_url(request, "product_page", product_id=pid)
            for pid in product_ids(session, file_no=file_no)]
    return templates.TemplateResponse(request, "sitemap.xml", {"urls": urls}, media_type=XML)
