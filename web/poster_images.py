"""Fetching an offer's product image for its poster: bounded in time, size and pixels.

The URL comes from a partner feed, so it is treated as hostile: http(s) only, never to
this machine or a private network (aggregator.netguard; the sandbox demo allows it), no
redirects (a redirect could point the server anywhere; only the offer's own image URL is
fetched), a few seconds in all, a few megabytes at most, and a pixel cap before decoding
so a tiny file cannot unpack into gigabytes. Any failure means "no image": the poster
draws its placeholder instead.
"""

from __future__ import annotations

import logging
import time
from io import BytesIO

import httpx
from PIL import Image, UnidentifiedImageError

from aggregator.netguard import UnsafeURL, check_fetchable
from aggregator.settings import get_settings
from web.urls import web_url

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 4096 * 4096
TIMEOUT_S = 3.0
DRAFT_SIZE = (800, 800)  # JPEGs decode at a reduced scale close to what the poster needs
USER_AGENT = "daogou-poster/1"


def fetch_image(url: str | None, *, timeout: float = TIMEOUT_S,
                max_bytes: int = MAX_BYTES) -> Image.Image | None:
    """The picture at ``url`` as RGB, or None if it cannot be had safely and quickly."""
    checked = web_url(url)
    if checked is None:
        return None
    try:
        check_fetchable(checked, allow_private=get_settings().allow_private_fetch)
    except UnsafeURL as exc:
        log.warning("poster image %s not fetched: %s", checked, exc)
        return None
    data = _download(checked, timeout=timeout, max_bytes=max_bytes)
    return decode_image(data) if data is not None else None


def _download(url: str, *, timeout: float, max_bytes: int) -> bytes | None:
    deadline = time.monotonic() + timeout
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False,
                          headers={"User-Agent": USER_AGENT}) as client, \
                client.stream("GET", url) as response:
            if response.status_code != 200:
                log.info("poster image %s: HTTP %s", url, response.status_code)
                return None
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                return None
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes or time.monotonic() > deadline:
                    log.info("poster image %s: too big or too slow", url)
                    return None
            return bytes(body)
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        log.info("poster image %s: %s", url, exc)
        return None


def decode_image(data: bytes) -> Image.Image | None:
    try:
        with Image.open(BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                return None
            image.draft("RGB", DRAFT_SIZE)
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                # Transparent parts would turn black: lay the picture on white instead.
                rgba = image.convert("RGBA")
                flat = Image.new("RGB", rgba.size, (255, 255, 255))
                flat.paste(rgba, mask=rgba.getchannel("A"))
                return flat
            return image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
