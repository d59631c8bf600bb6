"""Absolute site URLs from ``DAOGOU_BASE_URL``, and guards for partner-supplied URLs.

Canonical links, Open Graph tags and the API's ``url`` field name the public site, not
whatever host a request happened to arrive on (a proxy, 127.0.0.1, a test client).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request

from aggregator.catalog import BIGINT_MAX
from aggregator.settings import get_settings

# Largest id a BIGINT column holds; larger path ids cannot exist and would overflow drivers.
MAX_ID = BIGINT_MAX


def site_url(request: Request, name: str, /, **path_params: object) -> str:
    path = request.app.url_path_for(name, **path_params)
    return get_settings().base_url.rstrip("/") + str(path)


def product_page_url(request: Request, product_id: int) -> str:
    return site_url(request, "product_page", product_id=product_id)


def web_url(value: str | None) -> str | None:
    """``value`` if it is an http(s) URL, else None.

    Escaping does not stop a ``javascript:`` link, so partner URLs are checked before
    they become an href or src.
    """
    if not value:
        return None
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return None
    return value.strip() if scheme in ("http", "https") else None
