"""The sandbox's order APIs: the same signing checks as the catalog calls, the networks'
window limits, paging, Awin's token, and faults."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from aggregator.records import OrderRecord, RejectRecord
from crawlers.sandbox import create_sandbox_app
from tests.crawlers.sandbox.conftest import CONFIG, HOST, jd_params, pdd_params, top_params
from tests.crawlers.sandbox.orders_support import (
    AWIN_PATH,
    JD_ORDERS,
    NETWORKS,
    PDD_ORDERS,
    TAOBAO_ORDERS,
    buy,
    buyable,
    order_answer,
    parsed,
    wall,
)

ORDERS_EACH = 12


@pytest.fixture(scope="module")
def api() -> Iterator[TestClient]:
    """A sandbox holding ORDERS_EACH orders on every network."""
    with TestClient(create_sandbox_app(CONFIG), base_url=f"http://{HOST}") as client:
        for network in NETWORKS:
            item = buyable(client.app, network)  # type: ignore[arg-type]
            for n in range(ORDERS_EACH):
                buy(client, network, item, f"dg{n + 1}")
        yield client


def order_ids(network: str, body: Any) -> list[str]:
    return [r.order_id for r in parsed(network, body).records if isinstance(r, OrderRecord)]


@pytest.mark.parametrize("network", NETWORKS)
def test_every_order_is_reported_once_with_its_sub_id(api: TestClient, network: str) -> None:
    page = parsed(network, order_answer(api, network))
    assert len(page.records) == ORDERS_EACH and page.has_next in (None, False)
    assert {r.sub_id for r in page.records if isinstance(r, OrderRecord)} == {
        f"dg{n + 1}" for n in range(ORDERS_EACH)}


def test_taobao_pages_by_position_index(api: TestClient) -> None:
    seen: list[str] = []
    first = order_answer(api, "taobao", page_size=5)
    data = first["tbk_order_details_get_response"]["data"]
    assert (data["has_next"], data["has_pre"]) == (True, False)
    seen += order_ids("taobao", first)
    page, cursor = 1, data["position_index"]
    while data["has_next"]:
        page += 1
        body = order_answer(api, "taobao", page=page, page_size=5, position_index=cursor,
                            jump_type=1)
        data = body["tbk_order_details_get_response"]["data"]
        seen += order_ids("taobao", body)
        cursor = data["position_index"]
    assert page == 3 and len(seen) == len(set(seen)) == ORDERS_EACH


def test_pdd_pages_and_counts(api: TestClient) -> None:
    first, second = (order_answer(api, "pdd", page=n, page_size=10) for n in (1, 2))
    assert first["order_list_get_response"]["total_count"] == ORDERS_EACH
    assert len(order_ids("pdd", first)) == 10 and len(order_ids("pdd", second)) == 2
    counted = order_answer(api, "pdd", page_size=10, return_count="false")
    assert "total_count" not in counted["order_list_get_response"]


def test_jd_pages_with_has_more_in_both_envelopes(api: TestClient) -> None:
    first, second = (order_answer(api, "jd", page=n, page_size=7) for n in (1, 2))
    assert set(first) == {"jd_union_open_order_row_query_response"}
    assert set(second) == {"jd_union_open_order_row_query_responce"}
    assert (parsed("jd", first).has_next, parsed("jd", second).has_next) == (True, False)
    assert len(order_ids("jd", first) + order_ids("jd", second)) == ORDERS_EACH


def test_awin_answers_by_transaction_or_validation_date(api: TestClient) -> None:
    assert len(order_ids("awin", order_answer(api, "awin", dateType="transaction"))) == \
        ORDERS_EACH
    assert order_answer(api, "awin", dateType="validation") == []  # none validated yet
    assert order_answer(api, "awin", status="approved") == []


def jd_json(value: object) -> dict[str, Any]:
    return {"360buy_param_json": json.dumps(value)}


def hours_ago(hours: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)


@pytest.mark.parametrize(("network", "params", "error"), [
    ("taobao", top_params(method=TAOBAO_ORDERS, start_time=wall(hours_ago(4)),
                          end_time=wall(hours_ago(0))), "isv.invalid-parameter:end_time"),
    ("taobao", top_params(method=TAOBAO_ORDERS, secret="wrong", start_time=wall(hours_ago(1)),
                          end_time=wall(hours_ago(0))), "isv.invalid-signature"),
    ("taobao", top_params(method=TAOBAO_ORDERS, start_time=wall(hours_ago(1)),
                          end_time=wall(hours_ago(0)), jump_type=1, position_index="x"),
     "isv.invalid-parameter:position_index"),
    ("pdd", pdd_params(type=PDD_ORDERS, start_update_time=int(hours_ago(25).timestamp()),
                       end_update_time=int(hours_ago(0).timestamp())), "24小时"),
    ("pdd", pdd_params(type=PDD_ORDERS, secret="wrong", start_update_time=1,
                       end_update_time=2), "sign"),
    ("pdd", pdd_params(type=PDD_ORDERS, start_update_time=1, end_update_time=2, page_size=5),
     "page_size"),
    ("jd", jd_params(method=JD_ORDERS, secret="wrong", **jd_json({})), "sign invalid"),
    ("jd", jd_params(method=JD_ORDERS, **jd_json({"orderReq": {
        "startTime": wall(hours_ago(2)), "endTime": wall(hours_ago(0)), "type": 3}})),
     "1小时"),
])
def test_gateway_refusals(api: TestClient, network: str, params: dict[str, str],
                          error: str) -> None:
    path = {"taobao": "/taobao/router/rest", "pdd": "/pdd/api/router", "jd": "/jd/routerjson"}
    response = api.post(path[network], data=params)
    assert response.status_code == 200 and error in response.text


def test_the_catalog_calls_still_answer_on_the_same_gateways(api: TestClient) -> None:
    catalog = api.get("/taobao/router/rest", params=top_params(page_size=2)).json()
    assert "tbk_dg_material_optional_response" in catalog
    unknown = api.get("/taobao/router/rest", params=top_params(method="taobao.nope")).json()
    assert unknown["error_response"]["code"] == 22


@pytest.mark.parametrize(("headers", "query", "status"), [
    ({}, {}, 401),
    ({"Authorization": "Bearer wrong"}, {}, 401),
    ({}, {"accessToken": CONFIG.awin_api_token}, 200),
    ({"Authorization": f"Bearer {CONFIG.awin_api_token}"}, {"endDate": "2026-12-31T00:00:00"},
     400),
    ({"Authorization": f"Bearer {CONFIG.awin_api_token}"}, {"timezone": "Europe/London"}, 400),
    ({"Authorization": f"Bearer {CONFIG.awin_api_token}"}, {"dateType": "click"}, 400),
])
def test_awin_token_and_range(api: TestClient, headers: dict[str, str], query: dict[str, str],
                              status: int) -> None:
    params = {"startDate": "2026-11-01T00:00:00", "endDate": "2026-11-02T00:00:00", **query}
    response = api.get(AWIN_PATH, params=params, headers=headers)
    assert response.status_code == status
    if status != 200:
        assert set(response.json()) == {"error", "description"}
    other = api.get("/awin/publishers/999/transactions/", params=params,
                    headers={"Authorization": f"Bearer {CONFIG.awin_api_token}"})
    assert other.status_code == 403


@pytest.mark.parametrize("network", NETWORKS)
def test_malformed_rows_are_rejected_and_the_rest_read(api: TestClient, network: str) -> None:
    page = parsed(network, order_answer(api, network, fault="malformed"))
    rejects = [r for r in page.records if isinstance(r, RejectRecord)]
    assert len(rejects) == 3 and len(page.records) == ORDERS_EACH  # rows 3, 7 and 11
