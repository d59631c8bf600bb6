"""What a friend opens: the shared deal's landing page /s/{code} and its poster PNG.

The landing page is light on purpose (phones on mobile data, chat in-app browsers): one
HTML response, the product image and two small stylesheets, no script of its own. Its
Open Graph and Twitter tags make the chat preview show the deal and its poster.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from aggregator.affiliate.share_links import SharedOffer, shared_offer
from aggregator.money import from_minor
from aggregator.settings import get_settings
from web import i18n, poster_cache
from web.deps import NowDep, SessionDep
from web.poster import HEIGHT, WIDTH, draw_poster
from web.poster_images import fetch_image
from web.sharing import coupon_label, headline, poster_content, share_text, share_urls, sharer_line
from web.templating import VARY, add_vary, templates
from web.urls import web_url

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
POSTER_MAX_AGE = 600  # seconds; a price change gives a new ETag anyway


def _shared_or_404(session: Session, code: str, now: datetime) -> SharedOffer:
    shared = shared_offer(session, code=code, now=now)
    if shared is None:
        raise HTTPException(404)
    return shared


# HEAD too: chat apps check a link and its preview image before they fetch them.
@router.api_route("/s/{code}", methods=["GET", "HEAD"], name="share_page")
def share_page(request: Request, code: str, session: SessionDep, now: NowDep) -> Response:
    shared = _shared_or_404(session, code, now)
    view = shared.view
    urls = share_urls(shared.link.code)
    with i18n.use_locale(i18n.request_locale(request)):
        texts = {"headline": headline(view), "sharer": sharer_line(shared.sharer_nickname),
                 "share_text": share_text(view, share_url=urls.share_url),
                 "coupon_text": coupon_label(view.coupon, view.offer.currency)
                 if view.coupon else ""}
    return templates.TemplateResponse(request, "share.html", {
        "shared": shared, "offer": view, "o": view.offer, "urls": urls,
        "go_path": f"/go/{shared.link.code}", "image": web_url(view.offer.image_url),
        "price_amount": str(from_minor(view.final_price, view.offer.currency)),
        "poster_size": (WIDTH, HEIGHT), **texts,
    })


@router.api_route("/s/{code}/poster.png", methods=["GET", "HEAD"], name="share_poster")
def share_poster(request: Request, code: str, session: SessionDep, now: NowDep) -> Response:
    """The poster in the request's language; drawn once per content, then from disk.

    Its ETag is the content key, so a chat app or browser asking again gets a 304.
    """
    shared = _shared_or_404(session, code, now)
    locale = i18n.request_locale(request)
    with i18n.use_locale(locale):
        content = poster_content(shared)
    key = content.cache_key()
    headers = {"ETag": f'"{key}"', "Cache-Control": f"public, max-age={POSTER_MAX_AGE}"}
    if f'"{key}"' in request.headers.get("if-none-match", ""):
        response = Response(status_code=304, headers=headers)
        add_vary(response.headers, *VARY)
        return response
    directory = get_settings().poster_cache_dir
    link_code = shared.link.code
    png = poster_cache.read_cached(directory, code=link_code, locale=locale, key=key)
    if png is None:
        image = fetch_image(content.image_url)
        png = draw_poster(content, image)
        if image is not None or web_url(content.image_url) is None:
            poster_cache.store(directory, code=link_code, locale=locale, key=key, png=png)
        else:  # the picture failed this time: draw again next time rather than keep a blank
            headers.update({"ETag": f'"{key}-placeholder"', "Cache-Control": "no-cache"})
    response = Response(png, media_type="image/png", headers=headers)
    add_vary(response.headers, *VARY)
    return response
