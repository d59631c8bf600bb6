"""schema.org Product data for a product page (JSON-LD), built from the compared offers."""

from __future__ import annotations

from typing import Any

from aggregator.catalog import ProductView
from aggregator.money import from_minor
from web.urls import web_url


def product_json_ld(view: ProductView, *, page_url: str) -> dict[str, Any]:
    """Rendered with Jinja's ``tojson``, which escapes <, > and & inside the script tag."""
    p = view.product
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Product",
                            "name": p.title, "url": page_url}
    if p.brand:
        data["brand"] = {"@type": "Brand", "name": p.brand}
    if web_url(p.image_url):
        data["image"] = web_url(p.image_url)
    if p.gtin:
        data["gtin14"] = p.gtin
    same = [v for v in view.offers if v.offer.currency == view.currency]
    if same and view.currency:
        finals = [v.final_price for v in same]
        data["offers"] = {
            "@type": "AggregateOffer", "priceCurrency": view.currency,
            "lowPrice": str(from_minor(min(finals), view.currency)),
            "highPrice": str(from_minor(max(finals), view.currency)),
            "offerCount": len(same),
            "availability": "https://schema.org/InStock" if any(v.offer.in_stock for v in same)
            else "https://schema.org/OutOfStock",
        }
    return data
