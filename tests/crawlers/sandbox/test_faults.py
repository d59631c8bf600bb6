"""Faults asked for in the URL: 429, 503, truncated and cut bodies, malformed records."""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib
from urllib.parse import urlencode

import pytest
from starlette.testclient import TestClient

from tests.crawlers.sandbox.conftest import jd_params, jd_payload, parse_xml, pdd_params, top_params

FILES = [
    "/awin/datafeed/products.csv",
    "/awin/datafeed/products.csv.gz",
    "/awin/promotions.csv",
    "/gmc/feed.xml",
    "/gmc/feed.tsv",
    "/shop/",
    "/shop/item/1001",
]
PDD = "/pdd/api/router"
JD = "/jd/routerjson"


@pytest.mark.parametrize("path", [*FILES, "api"])
def test_429_and_503(client: TestClient, path: str) -> None:
    url = f"{PDD}?{urlencode(pdd_params())}" if path == "api" else path
    joiner = "&" if "?" in url else "?"
    limited = client.get(f"{url}{joiner}fault=429")
    assert limited.status_code == 429 and limited.headers["retry-after"] == "1"
    assert client.get(f"{url}{joiner}fault=503").status_code == 503


@pytest.mark.parametrize("path", FILES)
def test_truncate_promises_more_than_it_sends_and_cut_sends_half(
    client: TestClient, path: str
) -> None:
    full = client.get(path).content
    joiner = "&" if "?" in path else "?"
    truncated = client.get(f"{path}{joiner}fault=truncate")
    assert truncated.status_code == 200
    promised = int(truncated.headers["content-length"])
    assert len(truncated.content) == promised // 2
    cut = client.get(f"{path}{joiner}fault=cut")
    assert int(cut.headers["content-length"]) == len(cut.content)
    if path != "/shop/":  # the listing's links carry the fault, so its body differs
        assert promised == len(full) and truncated.content == full[: len(full) // 2]
        assert cut.content == full[: len(full) // 2]


def test_a_cut_gzip_file_cannot_be_decompressed(client: TestClient) -> None:
    cut = client.get("/awin/datafeed/products.csv.gz?fault=cut").content
    with pytest.raises((EOFError, zlib.error)):
        gzip.decompress(cut)


def test_api_bodies_can_be_cut_or_truncated(client: TestClient) -> None:
    for fault in ("cut", "truncate"):
        response = client.get(PDD, params=pdd_params(fault=fault))
        with pytest.raises(json.JSONDecodeError):
            json.loads(response.content)


def test_fault_times_counts_down_per_path_and_reset_restarts_it(client: TestClient) -> None:
    url = "/awin/promotions.csv?fault=503&fault_times=2"
    assert [client.get(url).status_code for _ in range(3)] == [503, 503, 200]
    # Another path (and another fault) counts on its own.
    assert client.get("/gmc/feed.tsv?fault=503&fault_times=1").status_code == 503
    assert client.get(url.replace("503", "429")).status_code == 429
    counts = client.get("/_faults").json()["faults"]
    assert {"path": "/awin/promotions.csv", "fault": "503", "fault_page": None, "requests": 3} in (
        counts
    )
    assert client.post("/_faults/reset").json() == {"reset": 3}
    assert client.get(url).status_code == 503


def test_fault_page_hits_only_that_page_of_a_paged_feed(client: TestClient) -> None:
    hits = [
        client.get(PDD, params=pdd_params(page=page, fault=429, fault_page=2, fault_times=1))
        for page in (1, 2, 2, 3)
    ]
    assert [r.status_code for r in hits] == [200, 429, 200, 200]
    jd = [
        client.get(JD, params=jd_params(dto={"pageIndex": i}, fault=503, fault_page=3))
        for i in (1, 3)
    ]
    assert [r.status_code for r in jd] == [200, 503]
    # A file has no pages: fault_page spares it.
    assert client.get("/gmc/feed.xml?fault=503&fault_page=1").status_code == 200


def test_fault_parameters_may_be_left_out_of_the_signature(client: TestClient) -> None:
    params = pdd_params(page_size=3)  # signed without the fault parameters
    response = client.get(f"{PDD}?{urlencode(params)}&fault=malformed")
    goods = response.json()["goods_search_response"]["goods_list"]
    assert len(goods) == 3
    signed = pdd_params(page_size=3, fault="malformed")  # and signed with them
    assert client.get(PDD, params=signed).json()["goods_search_response"]["goods_list"] == goods


def test_malformed_api_pages_spoil_some_records(client: TestClient) -> None:
    clean = client.get(PDD, params=pdd_params(page_size=20)).json()
    bad = client.get(PDD, params=pdd_params(page_size=20, fault="malformed")).json()
    pairs = zip(
        clean["goods_search_response"]["goods_list"],
        bad["goods_search_response"]["goods_list"],
        strict=True,
    )
    assert sum(a != b for a, b in pairs) == 5
    _, payload = jd_payload(client.get(JD, params=jd_params(fault="malformed")).json())
    assert any("skuName" not in g or "priceInfo" not in g for g in payload["data"])
    # Taobao answers the fault parameters too.
    assert client.get("/taobao/router/rest?fault=429").status_code == 429
    top = top_params(page_size=20, fault="malformed")
    records = client.get("/taobao/router/rest", params=top).json()
    spoiled = records["tbk_dg_material_optional_response"]["result_list"]["map_data"]
    assert spoiled != client.app.state.taobao_feed.items[:20]


def test_malformed_files_are_separate_files_with_bad_rows(client: TestClient) -> None:
    clean = client.get("/awin/datafeed/products.csv")
    bad = client.get("/awin/datafeed/products.csv?fault=malformed")
    assert bad.headers["etag"] != clean.headers["etag"]
    rows = list(csv.reader(io.StringIO(bad.text)))
    header = rows[0]
    assert any(len(r) < len(header) for r in rows[1:])
    assert any("N/A" in r for r in rows[1:])
    items = parse_xml(client.get("/gmc/feed.xml?fault=malformed").content)
    assert "abc GBP" in [item.get("g:price") for item in items]
    assert any("g:id" not in item for item in items)
    products = client.app.state.catalogs.shop.get()
    with_json_ld = next(p["id"] for p in products if p["markup"] == "jsonld")
    page = client.get(f"/shop/item/{with_json_ld}?fault=malformed").text
    script = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    with pytest.raises(json.JSONDecodeError):
        json.loads(script)


def test_shop_links_carry_the_fault_along(client: TestClient) -> None:
    listing = client.get("/shop/?fault=malformed&fault_times=5").text
    assert 'href="/shop/item/1001?fault=malformed&amp;fault_times=5"' in listing
    assert 'rel="next" href="/shop/?page=2&amp;fault=malformed&amp;fault_times=5"' in listing
    assert "/shop/item/999999999" in listing  # a dead link, as half-migrated shops have


@pytest.mark.parametrize(
    "query", ["fault=418", "fault=503&fault_times=0", "fault=503&fault_page=x", "fault_times=2"]
)
def test_bad_fault_requests_are_refused_loudly(client: TestClient, query: str) -> None:
    response = client.get(f"/gmc/feed.xml?{query}")
    assert response.status_code == 400 and response.text
