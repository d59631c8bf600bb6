"""The 淘口令-style share text and the share link's URLs: per language, per currency, with
and without a coupon; and what the JSON API is to answer for a new share link."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from aggregator.affiliate.share_links import OfferNotShareable
from aggregator.catalog import OfferView
from aggregator.models import Coupon, Offer, Partner
from aggregator.settings import get_settings
from tests.aggregator.test_share_links import make_user
from tests.web.conftest import Seed
from tests.web.factories import coupon, offer
from web import i18n
from web.sharing import clean_title, coupon_label, share_payload, share_text, share_urls

URL = "http://127.0.0.1:8000/s/Ab3dEf9h"


def view(*, title: str = "兰蔻小黑瓶精华 50ml", price: int = 9900, currency: str = "CNY",
         deal: Coupon | None = None, final: int | None = None) -> OfferView:
    row = Offer(title=title, price=price, currency=currency, url="https://x.example/1")
    return OfferView(offer=row, partner="taobao", shop=None, platform=None, coupon=deal,
                     final_price=price if final is None else final)


def amount_off(amount: int = 2000, *, currency: str = "CNY", title: str = "满99减20",
               min_spend: int = 9900) -> Coupon:
    return Coupon(kind="amount_off", amount=amount, currency=currency, title=title,
                  min_spend=min_spend)


def test_chinese_text_with_a_coupon() -> None:
    text = share_text(view(deal=amount_off(), final=7900), share_url=URL, locale="zh_CN")
    first, second, last = text.split("\n")
    assert "¥79" in first and "兰蔻小黑瓶精华 50ml" in first and "CN¥" not in text
    assert second == "原价 ¥99 | 券 ¥20 满99减20"  # the catalog's Chinese for both parts
    assert last.endswith(URL)


def test_english_text_with_a_coupon() -> None:
    text = share_text(view(deal=amount_off(), final=7900), share_url=URL, locale="en")
    assert text.split("\n") == [
        "[CN¥79 after coupon] 兰蔻小黑瓶精华 50ml",
        "Before coupon CN¥99 | CN¥20 coupon 满99减20",
        f"Get the coupon and buy: {URL}",
    ]


def test_without_a_coupon_there_is_no_coupon_line() -> None:
    for locale in i18n.LOCALES:
        text = share_text(view(price=4590), share_url=URL, locale=locale)
        lines = text.split("\n")
        assert len(lines) == 2 and lines[-1].endswith(URL)
        assert ("¥45.9" if locale == "zh_CN" else "CN¥45.9") in lines[0]
    assert share_text(view(price=4590), share_url=URL, locale="en").startswith(
        "[Now CN¥45.9] ")


@pytest.mark.parametrize(("currency", "locale", "price", "final"), [
    ("GBP", "en", "£25", "£19.99"),
    ("GBP", "zh_CN", "£25", "£19.99"),
    ("USD", "en", "$25", "$19.99"),
    ("USD", "zh_CN", "US$25", "US$19.99"),
    ("JPY", "en", "¥2,500", "¥1,999"),  # no minor unit: 2500 is ¥2,500
])
def test_money_is_formatted_per_currency(currency: str, locale: str, price: str,
                                         final: str) -> None:
    row = view(title="Trainers", price=2500, currency=currency,
               deal=amount_off(501, currency=currency, title=""), final=1999)
    headline, before, _link = share_text(row, share_url=URL, locale=locale).split("\n")
    assert final in headline and price in before


def test_percent_and_free_shipping_coupons_read_as_on_the_site() -> None:
    with i18n.use_locale("zh_CN"):
        assert coupon_label(Coupon(kind="percent_off", percent_bp=1500, title="",
                                   min_spend=0), "CNY") == "8.5折券"
        assert coupon_label(Coupon(kind="free_shipping", title="", min_spend=0),
                            "CNY") == "包邮券"
        assert coupon_label(amount_off(title=""), "CNY") == "券 ¥20 满¥99可用"
    with i18n.use_locale("en"):
        assert coupon_label(Coupon(kind="percent_off", percent_bp=1500, title="",
                                   min_spend=0), "CNY") == "15% off coupon"


def test_the_text_defaults_to_the_locale_being_rendered() -> None:
    with i18n.use_locale("en"):
        assert share_text(view(), share_url=URL).startswith("[Now CN¥99]")
    with i18n.use_locale("zh_CN"):
        assert "CN¥" not in share_text(view(), share_url=URL)


def test_titles_become_one_short_line() -> None:
    assert clean_title("  新款\n连衣裙\t 夏季  ") == "新款 连衣裙 夏季"
    long = clean_title("字" * 200)
    assert len(long) == 80 and long.endswith("…")
    text = share_text(view(title="a\nb" + "x" * 300), share_url=URL, locale="en")
    assert len(text.split("\n")) == 2


def test_share_urls_name_the_public_site() -> None:
    base = get_settings().base_url.rstrip("/")
    urls = share_urls("Ab3dEf9h")
    assert urls.share_url == f"{base}/s/Ab3dEf9h"
    assert urls.go_url == f"{base}/go/Ab3dEf9h"
    assert urls.poster_url == f"{base}/s/Ab3dEf9h/poster.png"


def test_share_payload_is_what_the_api_answers(session: Session, seed: Seed, partner: Partner,
                                               now: datetime) -> None:
    seed([offer("s1", price=9900, coupons=(coupon("c1"),))])
    user = make_user(session, "Lily")
    offer_id = session.query(Offer.id).filter_by(external_id="s1").scalar()
    payload = share_payload(session, user_id=user.id, offer_id=offer_id, now=now,
                            locale="en")
    assert set(payload) == {"code", "share_url", "go_url", "poster_url", "share_text"}
    assert payload["share_url"].endswith(f"/s/{payload['code']}")
    assert payload["share_text"].startswith("[CN¥79 after coupon] 商品 s1")
    assert payload["share_text"].endswith(payload["share_url"])
    again = share_payload(session, user_id=user.id, offer_id=offer_id, now=now)
    assert again["code"] == payload["code"]
    with pytest.raises(OfferNotShareable):
        share_payload(session, user_id=user.id, offer_id=10**12, now=now)
