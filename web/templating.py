"""The Jinja2 environment: autoescaping on, money and time filters, site-URL helpers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from babel.numbers import format_currency
from starlette.templating import Jinja2Templates

from aggregator.money import from_minor
from aggregator.timeutil import SHANGHAI, as_utc, iso_z
from web import urls

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
LOCALE = "zh_CN"
SITE_NAME = "导购 daogou"
# Shown when a shop carries no marketplace name of its own.
PARTNER_LABELS = {"taobao": "淘宝", "tmall": "天猫", "pdd": "拼多多", "jd": "京东",
                  "awin": "Awin", "awin_vouchers": "Awin", "gmc": "Google", "html": "网店"}
SORT_LABELS = {"score": "综合", "final_price": "券后价", "price": "价格", "discount": "折扣",
               "newest": "最新", "sales": "销量"}


def money(minor: int | None, currency: str | None, compact: bool = False) -> str:
    """``9900, "CNY"`` → ``¥99.00``; ``compact`` drops a zero fraction (``¥20``) for badges."""
    if minor is None or not currency:
        return ""
    amount = from_minor(minor, currency)
    if compact:
        return format_currency(amount, currency, format="¤#,##0.##", locale=LOCALE,
                               currency_digits=False)
    return format_currency(amount, currency, locale=LOCALE)


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Shoppers read Beijing time; storage is UTC."""
    if value is None:
        return ""
    return as_utc(value).astimezone(SHANGHAI).strftime(fmt)


BADGE_LABELS = {
    "low_30d": "30天最低价",
    "all_time_low": "历史最低价",
    "price_dropped": "刚刚降价",
    "coupon_ends_soon": "券即将过期",
    "inflated_list_price": "划线价未经核实",
}


def percent_off_label(percent_bp: int | None) -> str:
    """1500 bp off → ``8.5折``, the way Chinese shops name percentage discounts."""
    if not percent_bp:
        return ""
    tenths = (10000 - percent_bp) / 1000
    return f"{tenths:g}折"


@jinja2.pass_context
def _site_url(context: Any, name: str, /, **path_params: object) -> str:
    return urls.site_url(context["request"], name, **path_params)


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,  # every template: partner text is never trusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=money, local_time=local_time, iso_z=iso_z,
                       web_url=urls.web_url, percent_off=percent_off_label)
    env.globals.update(site_url=_site_url, site_name=SITE_NAME,
                       partner_labels=PARTNER_LABELS, sort_labels=SORT_LABELS,
                       badge_labels=BADGE_LABELS)
    return Jinja2Templates(env=env)


templates = make_templates()
