"""The shopper site in Chinese and English: negotiation, the switcher, formatting, pages,
and catalogs that cover every marked string."""

from __future__ import annotations

import copy
import pickle
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.models import Offer, Partner
from tests.web.conftest import Seed
from tests.web.factories import coupon, offer, set_clock
from web import i18n
from web.templating import (
    BADGE_LABELS,
    PARTNER_LABELS,
    SORT_LABELS,
    local_time,
    money,
    percent_off_label,
    templates,
)

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
EN = {"accept-language": "en-GB,en;q=0.9"}
ZH = {"accept-language": "zh-CN,zh;q=0.9"}


# --- choosing the language ------------------------------------------------------------

@pytest.mark.parametrize(("cookie", "header", "expected"), [
    (None, None, "zh_CN"),
    (None, "", "zh_CN"),
    (None, "en", "en"),
    (None, "en-US,en;q=0.9", "en"),
    (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh_CN"),
    (None, "zh-TW", "zh_CN"),
    (None, "zh-Hant-HK;q=0.9, en;q=0.5", "zh_CN"),
    (None, "en;q=0.5, zh-CN;q=0.8", "zh_CN"),   # q-values, not order, decide
    (None, "zh-CN;q=0.2, en;q=0.9", "en"),
    (None, "en;q=0, zh;q=0.1", "zh_CN"),        # q=0: "not English"
    (None, "en;q=0", "zh_CN"),
    (None, "fr-FR, de;q=0.9", "zh_CN"),          # nothing we speak: the default
    (None, "fr-FR, de;q=0.9, en;q=0.1", "en"),  # the first language we do speak
    (None, "*", "zh_CN"),
    (None, "en;q=abc, zh", "zh_CN"),            # a broken q is no preference
    (None, ";;;,,, =", "zh_CN"),
    ("en", "zh-CN", "en"),                      # the switcher's cookie wins
    ("zh_CN", "en-US,en", "zh_CN"),
    ("zh-CN", "en", "zh_CN"),
    ("fr", "en", "en"),                         # a cookie we cannot use is ignored
    ("", "en", "en"),
    ("<script>", None, "zh_CN"),
])
def test_negotiation(cookie: str | None, header: str | None, expected: str) -> None:
    assert i18n.negotiate(cookie=cookie, accept_language=header) == expected


def test_accept_language_order() -> None:
    assert i18n.accept_language_tags("de;q=0.3, en-GB, fr;q=0.7, ja;q=0, es") == [
        "en-GB", "es", "fr", "de"]
    assert i18n.accept_language_tags(",".join(["fr"] * 1000) + ",en") == ["fr"] * 32


@pytest.mark.parametrize(("target", "expected"), [
    ("/", "/"),
    ("/products/12", "/products/12"),
    ("/?q=口红&sort=price", "/?q=口红&sort=price"),
    ("/%2F%2Fevil.example", "/%2F%2Fevil.example"),  # a path on this site
    (None, "/"),
    ("", "/"),
    ("https://evil.example/", "/"),
    ("http:evil.example", "/"),
    ("//evil.example", "/"),
    ("///evil.example", "/"),
    ("/\\evil.example", "/"),
    ("\\\\evil.example", "/"),
    ("/\\/evil.example", "/"),
    ("/\t/evil.example", "/"),
    ("/\n/evil.example", "/"),
    ("/\r\nSet-Cookie: x=1", "/"),
    ("javascript:alert(1)", "/"),
    ("evil.example", "/"),
    ("products/12", "/"),
    ("/" + "a" * 3000, "/"),
])
def test_redirect_guard(target: str | None, expected: str) -> None:
    assert i18n.safe_next(target) == expected


def test_switcher_sets_the_cookie_and_goes_back(client: TestClient) -> None:
    response = client.get("/lang/en", params={"next": "/products/7?x=1"},
                          follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/products/7?x=1"
    assert response.headers["cache-control"] == "no-store"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("lang=en;") and "Max-Age=31536000" in cookie
    assert "SameSite=lax" in cookie and "Path=/" in cookie and "HttpOnly" not in cookie
    back = client.get("/lang/zh-CN", follow_redirects=False)
    assert back.headers["location"] == "/" and "lang=zh_CN;" in back.headers["set-cookie"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "/\\evil.example", "/\t/evil.example",
                                    "javascript:alert(1)", "%2F%2Fevil.example"])
def test_switcher_never_leaves_the_site(client: TestClient, target: str) -> None:
    response = client.get("/lang/en", params={"next": target}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_switcher_rejects_unknown_languages(client: TestClient) -> None:
    response = client.get("/lang/fr", follow_redirects=False)
    assert response.status_code == 404 and "set-cookie" not in response.headers


def test_cookie_beats_accept_language_on_pages(client: TestClient) -> None:
    client.cookies.set("lang", "zh_CN")
    assert '<html lang="zh-CN">' in client.get("/", headers=EN).text
    client.cookies.set("lang", "en")
    assert '<html lang="en">' in client.get("/", headers=ZH).text


# --- formatting -----------------------------------------------------------------------

@pytest.mark.parametrize(("minor", "currency", "locale", "compact", "expected"), [
    (9900, "CNY", "zh_CN", False, "¥99.00"),
    (9900, "CNY", "en", False, "CN¥99.00"),
    (1250, "GBP", "zh_CN", False, "£12.50"),
    (1250, "GBP", "en", False, "£12.50"),
    (123456789, "CNY", "zh_CN", False, "¥1,234,567.89"),
    (123456789, "GBP", "en", False, "£1,234,567.89"),
    (2000, "CNY", "zh_CN", True, "¥20"),
    (2000, "CNY", "en", True, "CN¥20"),
    (1990, "GBP", "en", True, "£19.9"),
    (1234, "USD", "en", False, "$12.34"),
    (1234, "USD", "zh_CN", False, "US$12.34"),
    (None, "GBP", "en", False, ""),
])
def test_money_per_currency_and_locale(minor: int | None, currency: str, locale: str,
                                       compact: bool, expected: str) -> None:
    assert money(minor, currency, compact, locale=locale) == expected
    with i18n.use_locale(locale):  # the locale being rendered, when none is given
        assert money(minor, currency, compact) == expected


@pytest.mark.parametrize(("bp", "locale", "expected"), [
    (1500, "zh_CN", "8.5折"), (1500, "en", "15% off"),
    (1250, "zh_CN", "8.75折"), (1250, "en", "12.5% off"),
    (None, "en", ""),
])
def test_percent_off_label(bp: int | None, locale: str, expected: str) -> None:
    assert percent_off_label(bp, locale=locale) == expected


def test_times_are_beijing_time_written_per_locale() -> None:
    moment = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)  # 08:00 in Beijing
    assert local_time(moment, locale="zh_CN") == "2026年11月26日 08:00"
    assert local_time(moment, locale="en") == "Nov 26, 2026, 8:00\u202fAM"  # CLDR's space
    assert local_time(moment, "date", locale="en") == "Nov 26, 2026"
    assert local_time(moment, "%Y-%m-%d %H:%M", locale="en") == "2026-11-26 08:00"
    assert local_time(None) == ""


def test_labels_answer_in_the_current_locale() -> None:
    assert PARTNER_LABELS["taobao"] == "淘宝" and SORT_LABELS["final_price"] == "券后价"
    with i18n.use_locale("en"):
        assert PARTNER_LABELS["taobao"] == "Taobao" and PARTNER_LABELS["awin"] == "Awin"
        assert dict(SORT_LABELS)["sales"] == "Best selling"
        assert BADGE_LABELS["all_time_low"] == "All-time low"
    assert BADGE_LABELS["all_time_low"] == "历史最低价"


def test_lazy_text_is_english_until_shown() -> None:
    text = i18n.lazy_gettext("%(field)s is out of range: %(value)s",
                             field=i18n.lazy_gettext("Min price"), value="<b>9</b>")
    assert str(text) == "Min price is out of range: <b>9</b>"  # logs and the JSON API
    assert text.__html__() == "最低价超出范围：&lt;b&gt;9&lt;/b&gt;"
    with i18n.use_locale("en"):
        assert text.__html__() == "Min price is out of range: &lt;b&gt;9&lt;/b&gt;"
    copied = pickle.loads(pickle.dumps(copy.copy(text)))  # noqa: S301 - our own bytes
    assert copied == text and copied.__html__() == text.__html__()


def test_one_environment_renders_two_languages_at_once(client: TestClient) -> None:
    def title(headers: dict[str, str]) -> str:
        html = client.get("/no/such/page", headers=headers).text
        return re.search(r"<h1>(.*?)</h1>", html).group(1)  # type: ignore[union-attr]

    with ThreadPoolExecutor(8) as pool:
        titles = list(pool.map(title, [EN, ZH] * 20))
    assert titles == ["We cannot find this page", "找不到这个页面"] * 20


def test_scraped_text_stays_escaped_inside_translations() -> None:
    template = templates.env.from_string(
        '{{ _("Deals on %(query)s", query=q) }}|{{ _("Price history") }}')
    with i18n.use_locale("en"):
        assert template.render(q="<script>") == "Deals on &lt;script&gt;|Price history"
    assert template.render(q='"x"') == "&#34;x&#34; 的优惠|价格走势"


def test_template_authors_have_every_gettext_form() -> None:
    template = templates.env.from_string(
        '{{ gettext("Price") }}|{{ ngettext("%(num)d platform sells it, lowest %(price)s", '
        '"%(num)d platforms sell it, lowest %(price)s", n, price="¥1") }}|'
        '{{ pgettext("logo", "daogou") }}|{% trans %}  Price\n  history {% endtrans %}|'
        '{{ 9900|money("CNY") }}')
    assert template.render(n=3) == "价格|3 个平台在售，最低 ¥1|导购|价格走势|¥99.00"
    with i18n.use_locale("en"):  # constant filter arguments are not frozen at compile time
        assert template.render(n=1) == (
            "Price|1 platform sells it, lowest ¥1|daogou|Price history|CN¥99.00")


# --- pages in both languages ----------------------------------------------------------

def english_catalog(seed: Seed, session: Session, pdd: Partner, now: datetime) -> int:
    """Products whose scraped text is all English, so any CJK on a page is ours."""
    seed([offer("bank", title="Anker power bank", brand="Anker", category="Electronics",
                price=12900, list_price=15900, platform=None, shop_name="Anker Store",
                coupons=(coupon("c", amount=3000, min_spend=9900, title="",
                                starts_at=now - timedelta(days=1),
                                ends_at=now + timedelta(days=3)),)),
          offer("tee", title="Cotton tee", category="Clothing", price=10000, platform=None,
                shop_name="", in_stock=False,
                coupons=(coupon("p", kind="percent_off", amount=None, percent_bp=1500,
                                min_spend=0, title=""),))])
    seed([offer("pd", partner="pdd", title="Anker power bank", price=11900, platform=None,
                shop_name="Anker PDD", category="Electronics")], to=pdd)
    bank = session.scalar(select(Offer).where(Offer.external_id == "bank"))
    other = session.scalar(select(Offer).where(Offer.external_id == "pd"))
    assert bank is not None and other is not None
    other.product_id = bank.product_id
    session.flush()
    return bank.product_id


def pages(product_id: int) -> list[tuple[str, int]]:
    return [("/", 200), ("/?q=Anker&sort=price&has_coupon=1", 200),
            (f"/products/{product_id}", 200), ("/products/999999", 404),
            ("/?sort=bogus", 400), ("/?cursor=garbage!!", 400), ("/?min_price=x", 400)]


def test_every_page_in_english_has_no_chinese_chrome(
        app: FastAPI, client: TestClient, seed: Seed, session: Session, pdd: Partner,
        now: datetime) -> None:
    product_id = english_catalog(seed, session, pdd, now)
    set_clock(app, now + timedelta(hours=1))
    for url, status in pages(product_id):
        response = client.get(url, headers=EN)
        assert response.status_code == status, url
        html = response.text
        assert '<html lang="en">' in html and 'content="en_US"' in html, url
        assert response.headers["content-language"] == "en"
        assert {"Accept-Language", "Cookie"} <= set(response.headers["vary"].split(", "))
        # The switcher names Chinese in Chinese; nothing else on the page is Chinese.
        leaked = CJK.findall(html.replace(">中文</a>", ">x</a>"))
        assert not leaked, f"{url}: {''.join(leaked)}"


def test_server_error_page_in_english(app: FastAPI) -> None:
    def boom() -> None:
        raise RuntimeError("kaput")

    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/boom", headers=EN)
    assert page.status_code == 500 and "<h1>Something went wrong</h1>" in page.text
    assert not CJK.findall(page.text.replace(">中文</a>", ">x</a>"))


def test_english_pages_read_in_english(app: FastAPI, client: TestClient, seed: Seed,
                                       session: Session, pdd: Partner,
                                       now: datetime) -> None:
    product_id = english_catalog(seed, session, pdd, now)
    set_clock(app, now + timedelta(hours=1))
    home = client.get("/", headers=EN).text
    assert "<title>daogou · Real coupons and prices after coupon</title>" in home
    assert "With coupon only" in home and "Search products and brands" in home
    assert "CN¥30 coupon" in home and "15% off coupon" in home and "Out of stock" in home
    assert ">Taobao</span>" in home and "2 platforms sell it, lowest CN¥99.00" in home
    assert '<option value="final_price">Price after coupon</option>' in home
    product = client.get(f"/products/{product_id}", headers=EN).text
    assert "Min. spend CN¥99.00" in product and "Get coupon and buy</a>" in product
    assert "Valid <time" in product and ">Nov 26, 2026, 8:00\u202fAM</time>" in product
    assert "Lowest price after coupon in the last 30 days: <strong>CN¥99.00</strong>" in product
    assert 'About commissions: "Get coupon and buy" links are affiliate links.' in product
    assert "Anker power bank: CN¥99.00 after coupon" in product
    bad = client.get("/?min_price=abc", headers=EN).text
    assert "Min price is not a valid amount: abc" in bad


def test_pages_are_one_url_in_every_language(client: TestClient) -> None:
    canonical = re.compile(r'<link rel="canonical" href="([^"]+)">')
    zh, en = (client.get("/", headers=h).text for h in (ZH, EN))
    assert canonical.findall(zh) == canonical.findall(en) == ["http://127.0.0.1:8000/"]
    assert '<meta property="og:locale" content="zh_CN">' in zh
    assert '<meta property="og:locale:alternate" content="en_US">' in zh
    assert '<meta property="og:locale" content="en_US">' in en


def test_header_switcher_links(client: TestClient) -> None:
    html = client.get("/?q=a&sort=price", headers=ZH).text
    links = re.findall(r'<a href="([^"]+)" lang="([^"]+)" hreflang="[^"]+" rel="nofollow"'
                       r'( aria-current="true")?>([^<]+)</a>', html)
    assert links == [
        ("http://testserver/lang/zh-CN?next=%2F%3Fq%3Da%26sort%3Dprice", "zh-CN",
         ' aria-current="true"', "中文"),
        ("http://testserver/lang/en?next=%2F%3Fq%3Da%26sort%3Dprice", "en", "", "English"),
    ]


def test_chinese_pages_show_no_english_msgid(
        app: FastAPI, client: TestClient, seed: Seed, session: Session, pdd: Partner,
        now: datetime) -> None:
    """Every translated string of the pages, not its English msgid, in Chinese."""
    product_id = english_catalog(seed, session, pdd, now)
    set_clock(app, now + timedelta(hours=1))
    catalog = load("zh_CN")
    chinese = " ".join(str(m.string) for m in catalog)  # "daogou" is Chinese too: 导购 daogou
    msgids = [m.id for m in catalog if isinstance(m.id, str) and m.id
              and "%" not in m.id and m.id not in chinese and len(m.id) > 4]
    for url, _status in pages(product_id):
        html = client.get(url, headers=ZH).text
        assert '<html lang="zh-CN">' in html
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", html, flags=re.S))
        shown = [m for m in msgids if re.search(rf"(?<![\w-]){re.escape(m)}(?![\w-])", text)]
        assert not shown, f"{url}: {shown}"


# --- catalogs -------------------------------------------------------------------------

def load(locale: str) -> Catalog:
    with i18n.catalog_path(locale).open("rb") as po:
        return read_po(po, locale=locale, domain=i18n.DOMAIN)


def extracted() -> dict[tuple[str, str | None], str]:
    """Every marked string of web/, found by Babel as `make messages` finds it."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
    found: dict[tuple[str, str | None], str] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        msgid = message[0] if isinstance(message, tuple) else message
        found[(msgid, context)] = f"{filename}:{lineno}"
    return found


@pytest.fixture(scope="module")
def marked() -> dict[tuple[str, str | None], str]:
    found = extracted()
    assert len(found) > 50 and ("Price history", None) in found
    assert ("Taobao", None) in found and ("Min price", None) in found  # N_, lazy_gettext
    assert ("daogou", "logo") in found  # pgettext
    return found


def test_msgids_are_english(marked: dict[tuple[str, str | None], str]) -> None:
    chinese = {where: msgid for (msgid, _), where in marked.items() if CJK.search(msgid)}
    assert not chinese, "msgids are English; the Chinese goes into the zh_CN catalog"


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_catalog_is_complete(locale: str, marked: dict[tuple[str, str | None], str]) -> None:
    catalog = load(locale)
    missing = [f"{msgid!r} ({where})" for (msgid, context), where in marked.items()
               if catalog.get(msgid, context=context) is None]
    assert not missing, f"run `make messages` and translate: {missing}"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    empty = [m.id for m in catalog
             if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])]
    assert not fuzzy and not empty, f"fuzzy: {fuzzy}; untranslated: {empty}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems, problems  # placeholders that the translation does not match


def test_template_file_lists_every_marked_string(
        marked: dict[tuple[str, str | None], str]) -> None:
    with (i18n.TRANSLATIONS_DIR / "messages.pot").open("rb") as pot:
        template = read_po(pot)
    stale = [msgid for msgid, context in marked if template.get(msgid, context=context) is None]
    assert not stale, f"run `make messages`: {stale}"


def test_templates_hold_no_unmarked_chinese() -> None:
    """Shopper text in templates is marked; Chinese lives in the zh_CN catalog only.

    (Top-level templates: the shopper site. A sub-folder may hold pages for staff.)
    """
    found = []
    for path in sorted((ROOT / "web" / "templates").glob("*")):
        if path.is_file():
            source = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
            found += [f"{path.name}: {line.strip()}" for line in source.splitlines()
                      if CJK.search(line)]
    assert not found, found


def test_catalogs_compile_from_the_po_files() -> None:
    assert i18n.translations("zh_CN").gettext("Price history") == "价格走势"
    assert i18n.translations("en").gettext("Price history") == "Price history"
    assert i18n.translations("zh_CN").ngettext(
        "%(num)d platform sells it, lowest %(price)s",
        "%(num)d platforms sell it, lowest %(price)s", 5) == "%(num)d 个平台在售，最低 %(price)s"
