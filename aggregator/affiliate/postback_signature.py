"""Signed postbacks: ``Daogou-Signature: t=UNIX,v1=HEX`` (DESIGN.md, JSON API).

``HEX`` is HMAC-SHA256 under the partner's postback secret of ``f"{t}.{raw body}"``. The
timestamp is inside the MAC, so a captured request cannot be replayed later with a fresh
``t``; one older (or further in the future) than ``max_age`` seconds is refused, and the
same body replayed inside that window is harmless because order reports are idempotent.
Several ``v1=`` entries may be sent (a secret being rotated): any one matching is enough.

Used by the sandbox (crawlers) to sign and by the site (web) to verify; both may import
the aggregator, never each other.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

HEADER = "Daogou-Signature"
SCHEME = "v1"
MAX_AGE = 300  # seconds


@dataclass(frozen=True, slots=True)
class ParsedSignature:
    timestamp: int
    signatures: tuple[str, ...]  # lower-case hex digests


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode() if isinstance(body, str) else body


def digest(secret: str, timestamp: int, body: bytes | str) -> str:
    """The hex HMAC-SHA256 of ``f"{timestamp}.{body}"`` under ``secret``."""
    message = f"{timestamp}.".encode() + _as_bytes(body)
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, timestamp: int, body: bytes | str) -> str:
    """The ``Daogou-Signature`` header value for ``body`` sent at ``timestamp``."""
    return f"t={timestamp},{SCHEME}={digest(secret, timestamp, body)}"


def parse_header(header: str | None) -> ParsedSignature | None:
    """``t=…,v1=…[,v1=…]`` → its parts; None when it is not that shape at all."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in (header or "").split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            return None
        if name == "t":
            if timestamp is not None or not value.isascii() or not value.isdigit():
                return None
            timestamp = int(value)
        elif name == SCHEME and value:
            signatures.append(value.lower())
        # Unknown schemes are ignored, so a future v2 can be sent beside v1.
    if timestamp is None or not signatures:
        return None
    return ParsedSignature(timestamp, tuple(signatures))


def verify(secret: str, header: str | None, body: bytes | str, now: datetime | float,
           max_age: int = MAX_AGE) -> bool:
    """True when ``header`` signs ``body`` under ``secret`` within ``max_age`` of ``now``.

    ``now`` is an aware datetime or unix seconds. An empty secret never verifies: a
    partner without a configured postback secret accepts no postbacks.
    """
    parsed = parse_header(header)
    if parsed is None or not secret:
        return False
    current = now.timestamp() if isinstance(now, datetime) else float(now)
    if abs(current - parsed.timestamp) > max_age:
        return False
    expected = digest(secret, parsed.timestamp, body)
    # Compare every candidate (no early exit on the first match): constant work per header.
    wanted = expected.encode()
    matches = [hmac.compare_digest(wanted, given.encode()) for given in parsed.signatures]
    return any(matches)
