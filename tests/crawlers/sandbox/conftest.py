"""One sandbox app for the network tests, and signed-request and parsing helpers."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from PIL import Image
from starlette.testclient import TestClient

from crawlers.sandbox import SandboxConfig, create_sandbox_app
from crawlers.signing import md5_sign

UTC8 = dt.timezone(dt.timedelta(hours=8))
HOST = "sandbox.test:8900"
TODAY = dt.date(2026, 11, 20)
G = "{http://base.google.com/ns/1.0}"
FEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "feeds"
CONFIG = SandboxConfig(
    seed=42,
    taobao_items=50,
    today=TODAY,
    bad_every=97,
    pdd_items=230,
    jd_items=130,
    awin_items=400,
    awin_promotions=80,
    gmc_items=240,
    shop_items=60,
)


@pytest.fixture(scope="package")
def client() -> Iterator[TestClient]:
    with TestClient(create_sandbox_app(CONFIG), base_url=f"http://{HOST}") as test_client:
        yield test_client


@pytest.fixture(autouse=True)
def _fresh_fault_counts(request: pytest.FixtureRequest) -> None:
    if "client" in request.fixturenames:
        request.getfixturevalue("client").post("/_faults/reset")


def top_params(*, secret: str = CONFIG.taobao_app_secret, **extra: Any) -> dict[str, str]:
    """A signed taobao.tbk.dg.material.optional call; ``extra`` as in ``pdd_params``."""
    params = {
        "method": "taobao.tbk.dg.material.optional",
        "app_key": CONFIG.taobao_app_key,
        "timestamp": utc8_wall_clock(),
        "format": "json",
        "v": "2.0",
        "sign_method": "md5",
        "adzone_id": "109836000284",
    }
    return _signed(params, secret, extra)


def pdd_params(*, secret: str = CONFIG.pdd_client_secret, **extra: Any) -> dict[str, str]:
    """A signed pdd.ddk.goods.search call; ``extra`` adds or overrides ("<drop>" removes)."""
    params = {
        "type": "pdd.ddk.goods.search",
        "client_id": CONFIG.pdd_client_id,
        "timestamp": str(int(time.time())),
        "data_type": "JSON",
    }
    return _signed(params, secret, extra)


def jd_params(
    *, secret: str = CONFIG.jd_app_secret, dto: dict[str, Any] | None = None, **extra: Any
) -> dict[str, str]:
    """A signed jd.union.open.goods.query call with ``dto`` as its goodsReqDTO."""
    params = {
        "method": "jd.union.open.goods.query",
        "app_key": CONFIG.jd_app_key,
        "timestamp": utc8_wall_clock(),
        "format": "json",
        "v": "1.0",
        "sign_method": "md5",
        "360buy_param_json": json.dumps({"goodsReqDTO": dto or {"pageIndex": 1}}),
    }
    return _signed(params, secret, extra)


def utc8_wall_clock(ago: dt.timedelta = dt.timedelta()) -> str:
    """Now (less ``ago``) as Taobao and JD timestamps read: UTC+8 "YYYY-MM-DD HH:MM:SS"."""
    return (dt.datetime.now(UTC8) - ago).strftime("%Y-%m-%d %H:%M:%S")


def _signed(params: dict[str, str], secret: str, extra: dict[str, Any]) -> dict[str, str]:
    params.update({name: str(value) for name, value in extra.items()})
    params = {name: value for name, value in params.items() if value != "<drop>"}
    params["sign"] = md5_sign(params, secret)
    return params


def jd_payload(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(envelope key, decoded inner payload) of a JD success answer."""
    ((envelope, outer),) = body.items()
    assert outer["code"] == "0"
    raw = outer.get("result", outer.get("queryResult"))
    assert isinstance(raw, str)  # a JSON string inside the JSON
    return envelope, json.loads(raw)


# GMC feeds are our own, but parsed the safe way all the same.
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def tags_of(item: etree._Element) -> dict[str, str]:
    return {child.tag.replace(G, "g:"): child.text or "" for child in item}


def parse_xml(body: bytes) -> list[dict[str, str]]:
    root = etree.fromstring(body, XML_PARSER)
    assert root.tag == "rss" and root.attrib["version"] == "2.0"
    return [tags_of(item) for item in root.iter("item")]


def png_size(data: bytes) -> tuple[int, int]:
    """The size of a PNG that Pillow can open and verify."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        return image.size
