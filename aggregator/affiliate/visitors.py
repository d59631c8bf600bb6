"""Who opened a /go link: the flag a click gets from its request, and the keyed IP hash.

Flags say why a click is probably not a person choosing to visit the partner; flagged
clicks are stored all the same (the sharer's dashboard shows humans and flagged apart):

- ``head``: a HEAD request (link checkers; browsers never send one for a tap).
- ``preview``: a chat app's link-preview fetcher, or a browser prefetching the link.
- ``bot``: a crawler per CrawlerDetect's maintained user-agent list, or no user agent.
- ``duplicate``: set later, by :mod:`aggregator.affiliate.clicks` (it needs the database).

WeChat's and QQ's in-app browsers (``MicroMessenger``, ``QQ/``, ``MQQBrowser``) are how
most friends open a shared link in China: they are people, not previews.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache

from crawlerdetect import CrawlerDetect

HEAD, PREVIEW, BOT, DUPLICATE = "head", "preview", "bot", "duplicate"
# Stored user agents are cut to the column's size; checks run on the same cut string,
# which also bounds the regex work an attacker can ask for.
MAX_USER_AGENT = 500

# Link-preview (unfurl) fetchers of chat apps and social sites. They fetch a shared link
# when it is pasted or posted, before (and whether or not) anyone taps it.
_PREVIEW_AGENTS = re.compile(
    r"facebookexternalhit|facebot|meta-externalfetcher"  # Facebook, Messenger
    r"|twitterbot"  # X / Twitter cards
    r"|slackbot|slack-imgproxy"  # Slack unfurls
    r"|telegrambot"
    r"|whatsapp/"  # WhatsApp has no in-app browser: its agent is only the fetcher
    r"|discordbot"
    r"|wechatshareextension"  # WeChat's share sheet building the card
    r"|qq-url-manager"  # QQ's link checker and card fetcher
    r"|dingtalkbot"
    r"|linkedinbot|skypeuripreview|redditbot|embedly|iframely|vkshare"
    r"|snap url preview|pinterestbot|bitlybot|google-pagerenderer",
    re.IGNORECASE,
)
# Browsers announce speculative loads in one of these headers (Chrome Sec-Purpose and
# Purpose, Safari X-Purpose, Firefox X-Moz), as ASGI spells header names.
PURPOSE_HEADERS = frozenset((b"sec-purpose", b"purpose", b"x-purpose", b"x-moz"))
_SPECULATIVE = re.compile(r"prefetch|prerender|preview", re.IGNORECASE)

_detector = CrawlerDetect()


def clip_user_agent(user_agent: str | None) -> str:
    return (user_agent or "").strip()[:MAX_USER_AGENT]


@lru_cache(maxsize=16_384)
def agent_flag(user_agent: str) -> str | None:
    """``preview``, ``bot`` or None for one (clipped) user agent. Cached: the crawler list
    is ~1,500 patterns and costs 0.1–1 ms per new string, while a click flood repeats
    the same few agents."""
    if not user_agent:
        return BOT  # every browser and chat app sends one
    if _PREVIEW_AGENTS.search(user_agent):
        return PREVIEW
    return BOT if _detector.is_crawler(user_agent) else None


def request_flag(*, method: str, user_agent: str, purpose: str | None) -> str | None:
    """The flag a request earns before the database is asked about repeats. ``purpose``
    is the value of whichever of PURPOSE_HEADERS the request sent, if any."""
    if method == "HEAD":
        return HEAD
    if purpose and _SPECULATIVE.search(purpose):
        return PREVIEW
    return agent_flag(user_agent)


def ip_key(secret: str) -> bytes:
    """The IP-hash key: derived from the site secret, so the secret itself never keys
    anything else and rotating it (which breaks repeat detection across the change) is
    the only way to unlink stored hashes from addresses."""
    return hmac.new(secret.encode(), b"daogou/clicks/ip-hash/v1", hashlib.sha256).digest()


class IpHasher:
    """HMAC-SHA256 of addresses under one key, 64 hex characters. Keyed, so nobody
    without the secret can hash the 2^32 IPv4 addresses to reverse a stored value.
    Copies a keyed HMAC per address (half the cost of keying one afresh)."""

    def __init__(self, key: bytes) -> None:
        self._keyed = hmac.new(key, digestmod=hashlib.sha256)

    def __call__(self, ip: str) -> str:
        mac = self._keyed.copy()
        mac.update(ip.strip().lower().encode())
        return mac.hexdigest()


def ip_hash(ip: str, *, key: bytes) -> str:
    return IpHasher(key)(ip)
