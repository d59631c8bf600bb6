"""Sharing a deal: the share link's public URLs and the 淘口令-style text to paste in a chat.

The text lives on the web side, not in ``aggregator.affiliate.share_links``, because it is
shopper-facing copy: it speaks the shopper's language through the site's catalogs and
formats money the way the pages do (``web.templating.money``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from aggregator.affiliate.share_links import SharedOffer, share_link_for
from aggregator.catalog import OfferView, get_offer
from aggregator.models import Coupon
from aggregator.settings import get_settings
from web import i18n
from web.i18n import gettext
from web.poster import PosterContent
from web.templating import money, percent_off_label

TITLE_MAX = 80  # characters of the title in a chat message; the landing page has it whole
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ShareUrls:
    share_url: str  # the landing page /s/{code}
    go_url: str  # /go/{code}: records the click, 302 to the partner
    poster_url: str  # /s/{code}/poster.png


def share_urls(code: str) -> ShareUrls:
    """Absolute URLs on the public site (``DAOGOU_BASE_URL``), whatever host asked."""
    base = get_settings().base_url.rstrip("/")
    return ShareUrls(share_url=f"{base}/s/{code}", go_url=f"{base}/go/{code}",
                     poster_url=f"{base}/s/{code}/poster.png")


def clean_title(title: str, limit: int = TITLE_MAX) -> str:
    """One line (a title's line breaks would split the pasted text), at most ``limit``."""
    flat = _SPACE.sub(" ", title).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def coupon_label(coupon: Coupon, currency: str) -> str:
    """The coupon as shoppers read it (as ``_coupon_badge.html``): ``券 ¥20 满99减20``."""
    if coupon.kind == "amount_off":
        badge = gettext("%(amount)s coupon", amount=money(coupon.amount, currency, True))
    elif coupon.kind == "percent_off":
        badge = gettext("%(discount)s coupon", discount=percent_off_label(coupon.percent_bp))
    else:
        badge = gettext("Free shipping coupon")
    terms = clean_title(coupon.title, 40) if coupon.title else ""
    if not terms and coupon.min_spend:
        terms = gettext("Spend %(amount)s to use",
                        amount=money(coupon.min_spend, currency, True))
    return f"{badge} {terms}".strip()


def headline(view: OfferView, *, limit: int = TITLE_MAX) -> str:
    """``[¥59.9 after coupon] title``: the first line of the text and the page's title."""
    o = view.offer
    price = money(view.final_price, o.currency, True)
    title = clean_title(o.title, limit)
    if view.coupon is not None:
        # Translators: the first line of a 淘口令-style share text, as 【券后%(price)s】%(title)s
        return gettext("[%(price)s after coupon] %(title)s", price=price, title=title)
    # Translators: a share text's first line when no coupon applies: 【到手价%(price)s】%(title)s
    return gettext("[Now %(price)s] %(title)s", price=price, title=title)


def share_text(view: OfferView, *, share_url: str, locale: str | None = None) -> str:
    """The copyable text: headline, the price before the coupon and the coupon, the link.

    ``locale`` defaults to the one being rendered (the request's, inside a page).
    """
    with i18n.use_locale(locale or i18n.current_locale()):
        o = view.offer
        lines = [headline(view)]
        if view.coupon is not None:
            before = gettext("Before coupon %(price)s", price=money(o.price, o.currency, True))
            lines.append(f"{before} | {coupon_label(view.coupon, o.currency)}")
        # Translators: the last line of a share text, before the link: 领券购买：%(url)s
        lines.append(gettext("Get the coupon and buy: %(url)s", url=share_url))
    return "\n".join(lines)


def share_payload(session: Session, *, user_id: int, offer_id: int, now: datetime,
                  locale: str | None = None) -> dict[str, Any]:
    """What ``POST /api/v1/share-links`` answers: ``{code, share_url, go_url, poster_url,
    share_text}``. Raises ``OfferNotShareable`` / ``SharerNotFound`` (both
    ``ShareLinkError``, a ValueError) for an offer or user that cannot share."""
    link = share_link_for(session, user_id=user_id, offer_id=offer_id)
    view = get_offer(session, offer_id=offer_id, now=now)
    assert view is not None  # share_link_for checked the offer exists
    urls = share_urls(link.code)
    return {"code": link.code, "share_url": urls.share_url, "go_url": urls.go_url,
            "poster_url": urls.poster_url,
            "share_text": share_text(view, share_url=urls.share_url, locale=locale)}


def sharer_line(nickname: str) -> str:
    if nickname.strip():
        return gettext("%(name)s shares this deal with you", name=nickname.strip())
    return gettext("A friend shares this deal with you")


def poster_content(shared: SharedOffer) -> PosterContent:
    """What the poster of ``shared`` shows, in the locale being rendered."""
    view, o = shared.view, shared.view.offer
    coupon = view.coupon
    return PosterContent(
        title=o.title,
        final_label=gettext("After coupon") if coupon else gettext("Now"),
        final_price=money(view.final_price, o.currency, True),
        before_price=gettext("Before coupon %(price)s", price=money(o.price, o.currency, True))
        if coupon else None,
        coupon=coupon_label(coupon, o.currency) if coupon else None,
        sharer=sharer_line(shared.sharer_nickname),
        scan_hint=gettext("Scan or long-press the QR code to get the coupon"),
        site_name=gettext("daogou"),
        share_url=share_urls(shared.link.code).share_url,
        image_url=o.image_url,
    )
