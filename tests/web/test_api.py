"""JSON API v1: offers listing (filters, sorts, cursors), product detail, error shape."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from aggregator.catalog import SORTS, encode_cursor
from aggregator.models import Offer, Partner
from tests.web.conftest import Seed
from tests.web.factories import coupon, offer, set_clock
from web.deps import get_session

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
OFFER_FIELDS = {"id", "product_id", "partner", "external_id", "title", "brand", "shop",
                "category", "image_url", "url", "currency", "price", "list_price",
                "final_price", "coupon", "commission_bp", "sales", "in_stock", "updated_at",
                # beyond DESIGN.md: honest discount, badges, partners selling the product
                "real_discount_bp", "badges", "partner_count"}
COUPON_FIELDS = {"id", "partner", "merchant", "kind", "amount", "percent_bp", "min_spend",
                 "code", "title", "starts_at", "ends_at", "remaining"}


def get_items(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/offers", params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def by_ext(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["external_id"]: item for item in items}


def raw_cursor(payload: str) -> str:
    """A hand-made cursor, as a client tampering with one would send."""
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@pytest.fixture
def catalog(seed: Seed, pdd: Partner, now: datetime) -> None:
    """A small mixed catalog on two partners."""
    seed([
        offer("bank", title="小米 充电宝 10000mAh", price=9900, list_price=12900, sales=500,
              brand="小米", coupons=(coupon("c-bank"),)),
        offer("shoe", title="耐克 Air 运动鞋", price=39900, category="运动", sales=50),
        offer("tee", title="优衣库 T恤", price=7900, category="服饰", sales=5000,
              coupons=(coupon("c-tee", kind="percent_off", amount=None, percent_bp=1000,
                              min_spend=0, title="9折券"),)),
    ])
    seed([offer("pdd-bank", partner="pdd", title="小米 充电宝 拼团", price=8900,
                 platform=None, shop_name="拼多多小店", sales=20000,
                 url="https://mobile.yangkeduo.com/goods.html?goods_id=1")], to=pdd)


def test_offer_shape_and_fields(client: TestClient, catalog: None) -> None:
    response = client.get("/api/v1/offers")
    body = response.json()
    assert set(body) == {"items", "next_cursor"} and body["next_cursor"] is None
    items = by_ext(body["items"])
    assert len(items) == 4
    bank = items["bank"]
    assert set(bank) == OFFER_FIELDS
    assert bank["partner"] == "taobao" and bank["shop"] == "示例旗舰店"
    assert (bank["price"], bank["list_price"], bank["final_price"]) == (9900, 12900, 7900)
    assert bank["url"] == f"http://127.0.0.1:8000/products/{bank['product_id']}"
    assert ISO_Z.match(bank["updated_at"])
    # DESIGN.md's coupon fields, plus the currency of its amounts and the partner's coupon page
    assert set(bank["coupon"]) == COUPON_FIELDS | {"currency", "url"}
    assert bank["coupon"] | {"id": 0} == {
        "id": 0, "partner": "taobao", "merchant": "示例旗舰店", "kind": "amount_off",
        "amount": 2000, "percent_bp": None, "min_spend": 9900, "code": None,
        "title": "满99减20", "starts_at": None, "ends_at": None, "remaining": None,
        "currency": "CNY", "url": None}
    tee = items["tee"]
    assert tee["final_price"] == 7110 and tee["coupon"]["percent_bp"] == 1000
    assert items["shoe"]["coupon"] is None and items["shoe"]["final_price"] == 39900


def test_coupon_times_are_utc_z(client: TestClient, seed: Seed, now: datetime) -> None:
    seed([offer("a", coupons=(coupon("c", starts_at=now - timedelta(days=1),
                                     ends_at=now + timedelta(hours=5)),))])
    found = get_items(client)[0]["coupon"]
    assert found["starts_at"] == "2026-11-22T00:00:00Z"
    assert found["ends_at"] == "2026-11-23T05:00:00Z"


@pytest.mark.parametrize(("params", "expected"), [
    ({"partner": "pdd"}, {"pdd-bank"}),
    ({"partner": "taobao"}, {"bank", "shoe", "tee"}),
    ({"partner": "nobody"}, set()),
    ({"category": "运动"}, {"shoe"}),
    ({"q": "充电宝"}, {"bank", "pdd-bank"}),
    ({"q": "AIR"}, {"shoe"}),  # case-insensitive
    ({"q": "10000"}, {"bank"}),  # words match by prefix: 10000mAh
    ({"q": "%_*"}, {"bank", "pdd-bank", "shoe", "tee"}),  # no word in it: nothing filtered
    ({"min_price": 7900, "max_price": 8900}, {"bank", "pdd-bank"}),  # bounds inclusive
    ({"max_price": 7200}, {"tee"}),  # on 券后价, not the pre-coupon price
    ({"has_coupon": "true"}, {"bank", "tee"}),
    ({"has_coupon": "false"}, {"shoe", "pdd-bank"}),
    ({"partner": "taobao", "has_coupon": "true", "category": "服饰"}, {"tee"}),
])
def test_filters(client: TestClient, catalog: None, params: dict[str, Any],
                 expected: set[str]) -> None:
    assert set(by_ext(get_items(client, **params))) == expected


def _expected_order(session: Session, sort: str) -> list[int]:
    column, desc = {"score": ("score", True), "price": ("price", False),
                    "final_price": ("final_price", False), "discount": ("discount_bp", True),
                    "newest": ("first_seen_at", True), "sales": ("sales", True)}[sort]
    rows = list(session.scalars(select(Offer)))
    rows.sort(key=lambda o: (getattr(o, column), o.id), reverse=desc)
    return [o.id for o in rows]


@pytest.mark.parametrize("sort", SORTS)
def test_every_sort_orders_by_its_key_then_id(client: TestClient, session: Session,
                                              catalog: None, seed: Seed, now: datetime,
                                              sort: str) -> None:
    # A later, cheaper arrival with sales tied to another offer: exercises ties and "newest".
    seed([offer("late", price=5000, sales=50)], at=now + timedelta(hours=1))
    ids = [item["id"] for item in get_items(client, sort=sort)]
    assert ids == _expected_order(session, sort)
    if sort == "newest":
        assert get_items(client, sort=sort)[0]["external_id"] == "late"


@pytest.mark.parametrize("sort", SORTS)
def test_cursor_pages_cover_every_offer_once(client: TestClient, seed: Seed,
                                             now: datetime, sort: str) -> None:
    records = [offer(f"o{i}", price=1000 + (i % 4) * 100, sales=i % 3,
                     coupons=(coupon(f"c{i}", min_spend=0, amount=50 * (i % 5 + 1)),)
                     if i % 2 else ()) for i in range(23)]
    seed(records[:12])
    seed(records[12:], at=now + timedelta(minutes=5))
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params = {"sort": sort, "limit": 5} | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/v1/offers", params=params).json()
        assert len(body["items"]) <= 5
        seen += [item["external_id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 23


def test_limit_default_and_bounds(client: TestClient, seed: Seed) -> None:
    seed([offer(f"o{i}") for i in range(30)])
    body = client.get("/api/v1/offers").json()
    assert len(body["items"]) == 24 and body["next_cursor"]
    assert len(get_items(client, limit=100)) == 30
    assert len(get_items(client, limit=1)) == 1
    for bad in ("0", "101", "-5", "many"):
        error = assert_error(client.get("/api/v1/offers", params={"limit": bad}), 422,
                             "validation_error")
        assert error["details"][0]["loc"] == ["query", "limit"]


@pytest.mark.parametrize("params", [
    {"sort": "bogus"}, {"min_price": "-1"}, {"max_price": "cheap"},
    {"has_coupon": "maybe"}, {"q": "x" * 201}, {"q": "a\x00b"},
    {"min_price": str(2**63)},
])
def test_bad_parameters_are_422(client: TestClient, params: dict[str, str]) -> None:
    error = assert_error(client.get("/api/v1/offers", params=params), 422, "validation_error")
    assert error["details"] and {"loc", "msg", "type"} <= set(error["details"][0])


@pytest.mark.parametrize(("sort", "cursor"), [
    ("score", "not-a-cursor!!"), ("score", "e30"), ("score", encode_cursor("price", 100, 1)),
    ("score", raw_cursor(f'["score", {2**64 - 1}, 1]')),
    ("score", raw_cursor('["score", 1e400, 1]')),
    ("score", raw_cursor(f'["score", 1, {2**63}]')), ("score", raw_cursor('["score", 1, -1]')),
    ("newest", encode_cursor("newest", "2026-01-01T00:00:00", 1)),
    ("newest", encode_cursor("newest", "soon", 1)), ("sales", encode_cursor("sales", "1", 1)),
])
def test_bad_cursor_is_400(client: TestClient, catalog: None, sort: str, cursor: str) -> None:
    response = client.get("/api/v1/offers", params={"sort": sort, "cursor": cursor})
    assert_error(response, 400, "bad_cursor")


@pytest.mark.parametrize("bad_coupon", [
    coupon("expired", min_spend=0, ends_at=datetime(2026, 11, 22, 23, 59, tzinfo=UTC)),
    coupon("exhausted", min_spend=0, remaining=0),
    coupon("threshold", min_spend=10000),  # 满100减20 on a 99.00 item
    coupon("not-yet", min_spend=0, starts_at=datetime(2026, 11, 24, tzinfo=UTC)),
], ids=lambda c: c.external_id)
def test_invalid_coupons_never_lower_final_price(client: TestClient, seed: Seed,
                                                bad_coupon: Any) -> None:
    seed([offer("item", price=9900, coupons=(bad_coupon,))])
    [item] = get_items(client)
    assert item["final_price"] == 9900 and item["coupon"] is None
    assert get_items(client, has_coupon="true") == []


def test_coupon_expiring_after_ingest_stops_counting(app: FastAPI, client: TestClient,
                                                     seed: Seed, now: datetime) -> None:
    seed([offer("item", price=9900,
                coupons=(coupon("c", min_spend=0, ends_at=now + timedelta(hours=1)),))])
    assert get_items(client)[0]["final_price"] == 7900
    set_clock(app, now + timedelta(hours=2))
    [item] = get_items(client)
    assert item["final_price"] == 9900 and item["coupon"] is None


def test_best_of_several_coupons_wins(client: TestClient, seed: Seed) -> None:
    seed([offer("item", price=20000, coupons=(
        coupon("small", min_spend=0, amount=500, title="无门槛5元"),
        coupon("big", min_spend=19900, amount=5000, title="满199减50"),
        coupon("too-big", min_spend=30000, amount=10000, title="满300减100"),
    ))])
    [item] = get_items(client)
    assert item["final_price"] == 15000 and item["coupon"]["title"] == "满199减50"


def test_product_detail_with_offers_history_and_30_day_low(
        app: FastAPI, client: TestClient, session: Session, seed: Seed, pdd: Partner,
        now: datetime) -> None:
    seed([offer("tb", price=9900, brand="小米", gtin="6934177700002")])
    seed([offer("pd", partner="pdd", price=9500, coupons=(coupon("c", min_spend=0),))], to=pdd)
    tb, pd = (session.scalar(select(Offer).where(Offer.external_id == e)) for e in ("tb", "pd"))
    assert tb is not None and pd is not None
    pd.product_id = tb.product_id  # as cross-partner matching would
    session.flush()
    later = now + timedelta(days=2)
    seed([offer("tb", price=8800, brand="小米", gtin="6934177700002")], at=later)
    seed([offer("pd", partner="pdd", price=9900)], to=pdd, at=later)  # coupon gone
    set_clock(app, later + timedelta(hours=1))

    body = client.get(f"/api/v1/products/{tb.product_id}").json()
    assert {k: body[k] for k in ("id", "brand", "gtin", "currency")} == {
        "id": tb.product_id, "brand": "小米", "gtin": "06934177700002", "currency": "CNY"}
    assert [(o["external_id"], o["final_price"]) for o in body["offers"]] == [
        ("tb", 8800), ("pd", 9900)]
    assert all(set(o) == OFFER_FIELDS for o in body["offers"])
    history = [(h["partner"], h["price"], h["final_price"]) for h in body["price_history"]]
    assert sorted(history) == sorted([("taobao", 9900, 9900), ("pdd", 9500, 7500),
                                      ("taobao", 8800, 8800), ("pdd", 9900, 9900)])
    assert all(ISO_Z.match(h["at"]) for h in body["price_history"])
    assert body["lowest_30d"] == 7500


def test_lowest_30d_forgets_old_lows(app: FastAPI, client: TestClient, session: Session,
                                     seed: Seed, now: datetime) -> None:
    seed([offer("tb", price=5000)])
    seed([offer("tb", price=9900)], at=now + timedelta(days=5))
    set_clock(app, now + timedelta(days=60))
    product_id = get_items(client)[0]["product_id"]
    body = client.get(f"/api/v1/products/{product_id}").json()
    assert len(body["price_history"]) == 2 and body["lowest_30d"] == 9900


@pytest.mark.parametrize("path", ["/api/v1/products/999999", "/api/v1/products/abc",
                                  f"/api/v1/products/{2**64}", "/api/v1/nothing-here"])
def test_unknown_things_are_404_json(client: TestClient, path: str) -> None:
    assert_error(client.get(path), 404, "not_found")


def test_wrong_method_is_json_405(client: TestClient) -> None:
    assert_error(client.post("/api/v1/offers"), 405, "method_not_allowed")


def test_health_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_503_when_database_unreachable(app: FastAPI, tmp_path: Path) -> None:
    dead = create_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite'}")

    def _dead_session() -> Iterator[Session]:
        with Session(dead) as db:
            yield db

    app.dependency_overrides[get_session] = _dead_session
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
