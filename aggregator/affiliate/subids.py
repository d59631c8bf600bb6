"""The sub-id: the per-click tag every network carries back on its order reports.

A click's sub-id is ``dg`` + its id. Each network takes it in its own URL parameter
(DESIGN.md glossary); PDD wants it inside a JSON object.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

PREFIX = "dg"
_SUB_ID = re.compile(r"dg([1-9][0-9]{0,17})")

# network -> the query parameter its click URLs carry the sub-id in
PARAMS: dict[str, str] = {
    "taobao": "external_id",
    "pdd": "custom_parameters",
    "jd": "subUnionId",
    "awin": "clickref",
}
DEFAULT_PARAM = "sub_id"  # feeds with no affiliate network (gmc, html shops)


def sub_id_for(click_id: int) -> str:
    return f"{PREFIX}{click_id}"


def click_id_from(sub_id: str | None) -> int | None:
    """The click a reported sub-id names, or None for anything we did not issue."""
    match = _SUB_ID.fullmatch((sub_id or "").strip())
    return int(match.group(1)) if match else None


def param_value(network: str, sub_id: str) -> str:
    return json.dumps({"sid": sub_id}, separators=(",", ":")) if network == "pdd" else sub_id


def tagged_url(url: str, *, network: str, sub_id: str) -> str:
    """``url`` with the network's sub-id parameter set (replacing any already there)."""
    name = PARAMS.get(network, DEFAULT_PARAM)
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    query.append((name, param_value(network, sub_id)))
    return urlunsplit(parts._replace(query=urlencode(query)))
