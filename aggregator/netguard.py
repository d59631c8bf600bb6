"""Outbound fetches of URLs that came from outside (a partner feed's image, an
admin-entered feed URL): http or https only, and never to this machine or the private
network behind it (SSRF), unless a development setting allows it (the sandbox serves
from 127.0.0.1).

The host is resolved here and every address it resolves to must be public. A name that
resolves differently a moment later (DNS rebinding) is not caught by this check alone.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeURL(ValueError):
    """Not a URL this server may fetch, with the reason."""


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_fetchable(url: str, *, allow_private: bool = False) -> str:
    """``url`` if it may be fetched; raises UnsafeURL otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL(f"only http and https URLs may be fetched, not {parts.scheme!r}")
    host = parts.hostname
    if not host:
        raise UnsafeURL("the URL has no host")
    if parts.username or parts.password:
        raise UnsafeURL("URLs with a user name or password are not fetched")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as exc:
        raise UnsafeURL(f"cannot resolve {host}: {exc}") from exc
    addresses = {str(info[4][0]) for info in found}
    if not addresses:
        raise UnsafeURL(f"{host} resolves to no address")
    if not allow_private and not all(_public(a) for a in addresses):
        raise UnsafeURL(f"{host} resolves to a private, loopback or link-local address")
    return url
