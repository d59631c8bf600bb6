"""Signed postbacks from the sandbox networks to the site (DESIGN.md, JSON API).

``POST {site_url}/api/v1/postbacks/{partner}`` with the JSON body
``{order_id, sub_id, status, order_amount, commission_amount, currency, occurred_at}``
and ``Daogou-Signature: t=UNIX,v1=HEX`` signed with the partner's postback secret
(``aggregator.affiliate.postback_signature``). ``order_id`` is the id the network's
order API reports, so a postback and an order sync meet on the same conversion.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from aggregator.affiliate.postback_signature import HEADER, sign
from aggregator.timeutil import iso_z
from crawlers.parsers.pdd_orders import sub_id_from_custom_parameters
from crawlers.sandbox.config import SandboxConfig
from crawlers.sandbox.orders import SandboxOrder

PATH = "/api/v1/postbacks/{partner}"
TIMEOUT = 10.0
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Postback:
    url: str
    body: bytes
    signature: str

    @property
    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = orjson.loads(self.body)
        return data


@dataclass(frozen=True, slots=True)
class Delivery:
    postback: Postback
    status_code: int | None  # None: no answer (connection refused, timeout)
    answer: str


def reported_sub_id(order: SandboxOrder) -> str | None:
    """The sub-id the click carried, as the network reads it back (PDD: from its JSON)."""
    if order.network == "pdd":
        return sub_id_from_custom_parameters(order.tracking)
    return order.tracking.strip() or None


def postback_body(order: SandboxOrder) -> bytes:
    return orjson.dumps({
        "order_id": order.order_id,
        "sub_id": reported_sub_id(order),
        "status": order.reported_status,
        "order_amount": order.amount,
        "commission_amount": order.commission,
        "currency": order.product.currency,
        "occurred_at": iso_z(order.created_at),
    })


def build_postback(order: SandboxOrder, config: SandboxConfig,
                   timestamp: int | None = None) -> Postback:
    """The postback of ``order``'s current state; raises ValueError without a site URL."""
    if not config.site_url:
        raise ValueError("no site_url configured: the sandbox does not know where to post")
    body = postback_body(order)
    secret = config.postback_secret(order.network)
    url = config.site_url.rstrip("/") + PATH.format(partner=order.network)
    return Postback(url, body, sign(secret, timestamp or int(time.time()), body))


async def deliver(postback: Postback) -> Delivery:
    """Send ``postback`` once; any answer (even a 401) is reported, not raised."""
    headers = {"Content-Type": "application/json", HEADER: postback.signature}
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT) as client:
            response = await client.post(postback.url, content=postback.body, headers=headers)
    except httpx.HTTPError as exc:
        log.warning("postback to %s failed: %s", postback.url, exc)
        return Delivery(postback, None, f"{type(exc).__name__}: {exc}")
    return Delivery(postback, response.status_code, response.text[:2000])


async def deliver_quietly(postback: Postback) -> None:
    """The automatic postback after a buy or a status change (``auto_postback``), sent
    after the answer; built (and its time signed) when the change happened, so it can
    never carry a later time than the next change's."""
    delivery = await deliver(postback)
    log.info("postback to %s -> %s", postback.url, delivery.status_code or delivery.answer)
