"""Shopper-site languages: catalogs, the request's locale, lazy messages, safe redirects.

Source strings are English msgids; ``translations/zh_CN`` holds the Chinese the site has
always shown, ``translations/en`` the English. Catalogs are compiled in memory from the
committed ``.po`` files on first use, so a fresh clone needs no ``pybabel compile``.

The locale of the text being rendered lives in a context variable: every request runs in
its own task (and sync routes in a copied context), so one shared Jinja environment serves
concurrent requests in different languages. ``web.templating`` sets it around each render.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel.core import parse_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment
from markupsafe import Markup, escape
from starlette.requests import Request

LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
DOMAIN = "messages"
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
COOKIE_NAME = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
# BCP 47 tags for <html lang>, Content-Language and the switcher's URLs.
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}
OG_LOCALE = {"zh_CN": "zh_CN", "en": "en_US"}
# Each language named in itself (endonyms): never translated.
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}
# Any Chinese variant reads the Chinese site rather than the English one.
_BY_LANGUAGE = {"zh": "zh_CN", "en": "en"}
_MAX_ACCEPT_ITEMS = 32
_MAX_NEXT_LEN = 2000

_current: ContextVar[str] = ContextVar("daogou_locale", default=DEFAULT_LOCALE)


# --- catalogs and gettext -------------------------------------------------------------

def catalog_path(locale: str) -> Path:
    return TRANSLATIONS_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(locale: str) -> Translations:
    """The compiled catalog of ``locale`` (fuzzy entries are left out, as pybabel does)."""
    with catalog_path(locale).open("rb") as po:
        catalog = read_po(po, locale=locale, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def current_locale() -> str:
    return _current.get()


@contextmanager
def use_locale(locale: str) -> Iterator[str]:
    """Render or format in ``locale`` inside the block."""
    token = _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def _format(text: str, params: Mapping[str, Any]) -> str:
    # Always a %-format, as newstyle gettext does in templates: a literal % is "%%".
    return text % {k: translate(v) for k, v in params.items()}


def gettext(msgid: str, /, **params: Any) -> str:
    """``msgid`` in the current locale, %-formatted with ``params``."""
    return _format(translations(current_locale()).gettext(msgid), params)


def ngettext(singular: str, plural: str, num: int, /, **params: Any) -> str:
    params.setdefault("num", num)
    return _format(translations(current_locale()).ngettext(singular, plural, num), params)


def pgettext(context: str, msgid: str, /, **params: Any) -> str:
    return _format(translations(current_locale()).pgettext(context, msgid), params)


def npgettext(context: str, singular: str, plural: str, num: int, /, **params: Any) -> str:
    params.setdefault("num", num)
    text = translations(current_locale()).npgettext(context, singular, plural, num)
    return _format(text, params)


def N_(msgid: str) -> str:
    """Marks ``msgid`` for extraction; it is translated later, where it is shown."""
    return msgid


def install_jinja(env: Environment) -> None:
    """``_``, ``gettext``, ``ngettext``, ``pgettext``, ``npgettext`` in templates.

    Newstyle: the template passes variables as keywords and Jinja %-formats the
    translation, escaping each variable, so scraped text stays escaped inside a message.
    """
    def raw(method: str) -> Callable[..., str]:
        def call(*args: Any) -> str:
            return str(getattr(translations(current_locale()), method)(*args))
        return call

    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True  # {% trans %} blocks: whitespace folded
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=raw("gettext"), ngettext=raw("ngettext"), newstyle=True,
        pgettext=raw("pgettext"), npgettext=raw("npgettext"))


class LazyText(str):
    """A message made before the shopper's language is known, translated where it is shown.

    Its ``str`` value is the English text (logs, the JSON API); a template's ``{{ x }}``
    goes through ``__html__`` and shows it translated and escaped in the page's locale.
    """

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> LazyText:
        self = super().__new__(cls, msgid % params)
        self.msgid, self.params = msgid, params
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:  # copy and pickle
        return (self.msgid,), self.params

    def translated(self) -> str:
        return gettext(self.msgid, **self.params)

    def __html__(self) -> Markup:
        return escape(self.translated())


def lazy_gettext(msgid: str, /, **params: Any) -> LazyText:
    return LazyText(msgid, **params)


def translate(value: Any) -> Any:
    """A LazyText in the current locale; anything else unchanged."""
    return value.translated() if isinstance(value, LazyText) else value


class Labels(Mapping[str, str]):
    """A read-only ``{key: msgid}`` table whose lookups answer in the current locale."""

    def __init__(self, msgids: Mapping[str, str]) -> None:
        self._msgids = dict(msgids)

    def __getitem__(self, key: str) -> str:
        return gettext(self._msgids[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._msgids)

    def __len__(self) -> int:
        return len(self._msgids)

    def __repr__(self) -> str:
        return f"Labels({self._msgids!r})"


# --- choosing the shopper's locale ----------------------------------------------------

def locale_from_tag(tag: str | None) -> str | None:
    """``"en-GB"`` → ``"en"``, ``"zh-Hant-TW"`` / ``"zh_CN"`` → ``"zh_CN"``; else None."""
    if not tag:
        return None
    try:
        language = parse_locale(tag.strip().replace("_", "-"), sep="-")[0]
    except ValueError:
        return None
    return _BY_LANGUAGE.get(language.lower())


def accept_language_tags(header: str | None) -> list[str]:
    """Language tags of an Accept-Language header, most wanted first; q=0 means "not"."""
    weighted: list[tuple[float, int, str]] = []
    for index, item in enumerate((header or "").split(",")[:_MAX_ACCEPT_ITEMS]):
        tag, _, params = item.partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag.strip() and 0 < quality <= 1:
            weighted.append((-quality, index, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(*, cookie: str | None, accept_language: str | None) -> str:
    """The switcher's cookie wins; then the browser's languages; then Chinese."""
    chosen = locale_from_tag(cookie)
    if chosen:
        return chosen
    for tag in accept_language_tags(accept_language):
        chosen = locale_from_tag(tag)
        if chosen:
            return chosen
    return DEFAULT_LOCALE


def request_locale(request: Request) -> str:
    """The locale of ``request``, negotiated once and kept on ``request.state``."""
    locale = getattr(request.state, "locale", None)
    if locale not in LOCALES:
        locale = negotiate(cookie=request.cookies.get(COOKIE_NAME),
                           accept_language=request.headers.get("accept-language"))
        request.state.locale = locale
    return locale


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site, else ``/``: never an open redirect.

    Browsers read ``//host``, ``/\\host`` and ``/<tab>/host`` as other hosts, so only a
    single leading slash with no backslash or control character passes.
    """
    if not target or len(target) > _MAX_NEXT_LEN:
        return "/"
    if not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return "/"
    try:
        parts = urlsplit(target)
    except ValueError:
        return "/"
    return "/" if parts.scheme or parts.netloc else target


# --- catalog upkeep (make messages) ---------------------------------------------------

def fill_source_catalog(locale: str = "en") -> int:
    """Give every empty entry of the English catalog its msgid as translation.

    msgids are English already; a new string only needs a human look when its English
    text should differ from the msgid. Returns how many entries were filled.
    """
    from babel.messages.pofile import write_po

    path = catalog_path(locale)
    with path.open("rb") as po:
        catalog = read_po(po, locale=locale, domain=DOMAIN)
    filled = 0
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string or ()):
                message.string = (message.id[0], message.id[1])
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
    with path.open("wb") as po:
        write_po(po, catalog, width=0, include_previous=False)  # as pybabel --no-wrap
    return filled


if __name__ == "__main__":
    print(f"filled {fill_source_catalog()} English entries from their msgids")
