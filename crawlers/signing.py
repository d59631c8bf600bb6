"""Request signing shared by Taobao TOP, Pinduoduo and JD Union.

All three sort the parameters by name, concatenate ``name + value``, wrap the
string in the app secret on both sides and take the upper-case MD5 hex digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlsplit

from w3lib.url import add_or_replace_parameters

UNSIGNED_PARAMS = frozenset({"sign", "access_token"})


def md5_sign(params: Mapping[str, object], secret: str) -> str:
    """Return the upper-case MD5 signature of ``params`` under ``secret``."""
    body = "".join(
        f"{name}{params[name]}" for name in sorted(params) if name not in UNSIGNED_PARAMS
    )
    digest = hashlib.md5(f"{secret}{body}{secret}".encode(), usedforsecurity=False)
    return digest.hexdigest().upper()


def verify_md5_sign(params: Mapping[str, object], secret: str) -> bool:
    """True when ``params['sign']`` matches the signature of the other params."""
    given = str(params.get("sign", ""))
    return bool(given) and given.upper() == md5_sign(params, secret)


def signed_url(feed_url: str, params: Mapping[str, object], secret: str) -> str:
    """``feed_url`` with ``params`` and their ``sign`` added, keeping its own query.

    Parameters already in the feed URL (a tenant, a gateway version, a sandbox fault
    switch) reach the gateway too, and it signs every parameter it receives.
    """
    given = dict(parse_qsl(urlsplit(feed_url).query, keep_blank_values=True))
    values = {**given, **{k: str(v) for k, v in params.items()}}
    values.pop("sign", None)  # a stale sign in the configured URL must not survive
    values["sign"] = md5_sign(values, secret)
    return add_or_replace_parameters(feed_url, {k: values[k] for k in (*params, "sign")})
