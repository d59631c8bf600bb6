"""The Jinja2 environment: autoescaping on, gettext, locale-aware money and time filters.

Every ``templates.TemplateResponse`` renders in the request's language (``web.i18n``):
templates mark text with ``{{ _("English text") }}`` and pass scraped values as keywords,
``{{ _("Deals on %(q)s", q=form.q) }}``, so they are escaped inside the translation.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel.core import Locale
from babel.dates import format_skeleton, format_time
from babel.numbers import format_currency, format_percent
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.routing import NoMatchFound
from starlette.templating import Jinja2Templates, _TemplateResponse

from aggregator.money import from_minor
from aggregator.timeutil import SHANGHAI, as_utc, iso_z
from web import i18n, urls
from web.auth.template_globals import AUTH_GLOBALS
from web.categories import category_name, category_roots
from web.highlight import highlight
from web.i18n import N_, Labels

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
LOCALE = i18n.DEFAULT_LOCALE  # the locale of formatting outside any request
SITE_NAME = "导购 daogou"  # the Chinese brand, for Python callers; pages use _("daogou")
# Shown when a shop carries no marketplace name of its own; brand names stay as they are.
PARTNER_LABELS = Labels({"taobao": N_("Taobao"), "tmall": N_("Tmall"), "pdd": N_("Pinduoduo"),
                         "jd": N_("JD.com"), "awin": "Awin", "awin_vouchers": "Awin",
                         "gmc": "Google", "html": N_("Online shop")})
SORT_LABELS = Labels({"score": N_("Best match"), "final_price": N_("Price after coupon"),
                      "price": N_("Price"), "discount": N_("Discount"),
                      "newest": N_("Newest"), "sales": N_("Best selling")})
BADGE_LABELS = Labels({
    "low_30d": N_("Lowest in 30 days"),
    "all_time_low": N_("All-time low"),
    "price_dropped": N_("Price just dropped"),
    "coupon_ends_soon": N_("Coupon ends soon"),
    "inflated_list_price": N_("List price unverified"),
})
# Dates name the month (Nov 26, 2026 / 2026年11月26日): 11/12/2026 reads two ways.
_DATE_SKELETON = "yMMMd"
VARY = ("Accept-Language", "Cookie")


def money(minor: int | None, currency: str | None, compact: bool = False,
          locale: str | None = None) -> str:
    """``9900, "CNY"`` → ``¥99.00`` (``CN¥99.00`` in English); ``compact`` drops a zero
    fraction (``¥20``) for badges. The locale is the one being rendered unless given."""
    if minor is None or not currency:
        return ""
    return _formatted(minor, currency, compact, locale or i18n.current_locale())


@lru_cache(maxsize=16384)
def _formatted(minor: int, currency: str, compact: bool, locale: str) -> str:
    """Babel's formatting costs ~50 µs a call and a page shows dozens of prices, most of
    them repeated across pages: each (amount, currency, style, locale) is formatted once."""
    amount = from_minor(minor, currency)
    if compact:
        return format_currency(amount, currency, format="¤#,##0.##", locale=locale,
                               currency_digits=False)
    return format_currency(amount, currency, locale=locale)


def local_time(value: datetime | None, fmt: str = "datetime", locale: str | None = None) -> str:
    """Shoppers read Beijing time (storage is UTC), written their language's way.

    ``fmt``: ``"datetime"`` (2026年11月26日 08:00 / Nov 26, 2026, 8:00 AM), ``"date"``, or
    a strftime pattern such as ``"%Y-%m-%d"`` for the same digits in every language.
    """
    if value is None:
        return ""
    moment = as_utc(value).astimezone(SHANGHAI)
    if "%" in fmt:
        return moment.strftime(fmt)
    locale = locale or i18n.current_locale()
    day = format_skeleton(_DATE_SKELETON, moment, tzinfo=SHANGHAI, locale=locale)
    if fmt == "date":
        return day
    if fmt != "datetime":
        raise ValueError(f"unknown time format {fmt!r}")
    pattern = Locale.parse(locale).datetime_formats["medium"]  # "{1} {0}" / "{1}, {0}"
    clock = format_time(moment, "short", tzinfo=SHANGHAI, locale=locale)
    return str(pattern).replace("{1}", day).replace("{0}", clock)


def percent_off_label(percent_bp: int | None, locale: str | None = None) -> str:
    """1500 bp off → ``8.5折`` in Chinese (shops name the share paid, in tenths) and
    ``15% off`` in English. That convention is the locale's, like a currency sign."""
    if not percent_bp:
        return ""
    locale = locale or i18n.current_locale()
    if locale.startswith("zh"):
        tenths = (10000 - percent_bp) / 1000
        return f"{tenths:g}折"
    with i18n.use_locale(locale):
        share = format_percent(Decimal(percent_bp) / 10000, format="#,##0.##%", locale=locale)
        return i18n.gettext("%(percent)s off", percent=share)


@jinja2.pass_context
def _site_url(context: Any, name: str, /, **path_params: object) -> str:
    return urls.site_url(context["request"], name, **path_params)


# The filters take the template context only so Jinja never folds a call with constant
# arguments at compile time, which would freeze the language of the first render.
@jinja2.pass_context
def _money_filter(_context: Any, minor: int | None, currency: str | None,
                  compact: bool = False) -> str:
    return money(minor, currency, compact)


@jinja2.pass_context
def _local_time_filter(_context: Any, value: datetime | None, fmt: str = "datetime") -> str:
    return local_time(value, fmt)


@jinja2.pass_context
def _percent_off_filter(_context: Any, percent_bp: int | None) -> str:
    return percent_off_label(percent_bp)


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def i18n_context(request: Request) -> dict[str, Any]:
    """What base.html needs to speak the request's language and to switch it."""
    locale = i18n.current_locale()
    here = _here(request)
    try:
        links = [{"lang": i18n.HTML_LANG[code], "name": i18n.LANGUAGE_NAMES[code],
                  "current": code == locale,
                  "url": str(request.url_for("set_language", code=i18n.HTML_LANG[code])
                             .include_query_params(next=here))}
                 for code in i18n.LOCALES]
    except NoMatchFound:  # an app built without web.routes.locale: no switcher
        links = []
    return {"locale": locale, "html_lang": i18n.HTML_LANG[locale],
            "og_locale": i18n.OG_LOCALE[locale],
            "og_locale_alternates": [i18n.OG_LOCALE[c] for c in i18n.LOCALES if c != locale],
            "language_links": links, "site_name": i18n.gettext("daogou")}


def add_vary(headers: Any, *names: str) -> None:
    """Append ``names`` to a response's Vary header, keeping what is there."""
    present = [v.strip() for v in headers.get("vary", "").split(",") if v.strip()]
    missing = [n for n in names if n.lower() not in {p.lower() for p in present}]
    if missing:
        headers["vary"] = ", ".join(present + missing)


class LocalizedTemplates(Jinja2Templates):
    """Renders each response in its request's locale and says that the page varies by it.

    Canonical URLs stay language-neutral: one URL per page, whose language follows the
    ``lang`` cookie or Accept-Language, hence ``Vary: Accept-Language, Cookie``.
    """

    def TemplateResponse(
        self, request: Request, name: str, context: dict[str, Any] | None = None,
        status_code: int = 200, headers: Mapping[str, str] | None = None,
        media_type: str | None = None, background: BackgroundTask | None = None,
    ) -> _TemplateResponse:
        locale = i18n.request_locale(request)
        with i18n.use_locale(locale):
            response = super().TemplateResponse(request, name, context, status_code,
                                                headers, media_type, background)
        add_vary(response.headers, *VARY)
        response.headers["content-language"] = i18n.HTML_LANG[locale]
        return response


def make_templates() -> LocalizedTemplates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,  # every template: partner text is never trusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates ship with the code: checking every file's mtime on every include
        # (a card per offer, its badges…) was an eighth of a listing's time.
        auto_reload=False,
        cache_size=-1,  # keep every template compiled
    )
    i18n.install_jinja(env)
    env.filters.update(money=_money_filter, local_time=_local_time_filter, iso_z=iso_z,
                       web_url=urls.web_url, percent_off=_percent_off_filter,
                       highlight=highlight)
    env.globals.update(site_url=_site_url, site_name=SITE_NAME,
                       partner_labels=PARTNER_LABELS, sort_labels=SORT_LABELS,
                       badge_labels=BADGE_LABELS, category_name=category_name,
                       category_roots=category_roots)
    env.globals.update(AUTH_GLOBALS)  # csrf_field(), signed_in(), …
    return LocalizedTemplates(env=env, context_processors=[i18n_context])


templates = make_templates()
