"""Where /go may send a visitor: only to a host the partner's ``allowed_hosts`` names.

The rule, chosen to be exact and boring:

- An entry ``host`` matches that host only (``s.click.taobao.com`` lets nothing else
  through, not even ``x.s.click.taobao.com``). Entries in partners.toml name the hosts
  a network's click URLs use, so exact is what they mean.
- An entry with a leading dot, ``.taobao.com``, matches ``taobao.com`` and any host
  ending in ``.taobao.com`` (label boundary: never ``eviltaobao.com``). Opt-in, for a
  network that spreads its links over many subdomains.
- Ports are ignored (the sandbox serves on 127.0.0.1:PORT); hosts compare lower-cased
  with a trailing dot dropped.

The URL itself must be plain http(s) with a host, no user-info (``allowed.com@evil.com``)
and nothing browsers parse differently from Python: backslashes (WHATWG reads
``https://evil.com\\@allowed.com`` as host evil.com), whitespace or control characters
(browsers strip tabs and newlines before parsing). A URL that fails is not followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

_SCHEMES = ("http", "https")
_UNSAFE = re.compile(r"[\\\x00-\x20\x7f]")


def url_host(url: str) -> str | None:
    """The lower-case host a browser would visit for ``url``, or None when ``url`` is
    not a plain http(s) URL both we and browsers read the same way."""
    if _UNSAFE.search(url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in _SCHEMES or not host:
        return None
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return None
    return host.rstrip(".") or None


def host_allowed(host: str, allowed_hosts: Iterable[str]) -> bool:
    for entry in allowed_hosts:
        entry = entry.strip().lower().rstrip(".")
        if not entry or entry == ".":
            continue
        if entry.startswith("."):
            if host == entry[1:] or host.endswith(entry):
                return True
        elif host == entry:
            return True
    return False


def allowed_url(url: str, allowed_hosts: Iterable[str]) -> bool:
    """True when a browser sent to ``url`` lands on one of ``allowed_hosts``."""
    host = url_host(url)
    return host is not None and host_allowed(host, allowed_hosts)
