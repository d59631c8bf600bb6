"""GET /api/v1/coupons: offer coupons and merchant-wide vouchers."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from aggregator.models import Partner
from aggregator.records import VoucherRecord
from aggregator.vouchers import ingest_vouchers
from tests.web.conftest import Seed
from tests.web.factories import coupon, offer


def _voucher(ext: str, merchant: str, **fields: object) -> VoucherRecord:
    values: dict[str, object] = {"currency": "GBP", "title": "10% off", "kind": "percent_off",
                                 "percent_bp": 1000, "amount": None, "min_spend": 0}
    values.update(fields)
    return VoucherRecord(partner="awin_vouchers", merchant_id=merchant,
                         merchant_name=f"Shop {merchant}", coupon=coupon(ext, **values),
                         url=f"https://www.awin1.com/cread.php?id={ext}")


def _seed(session: Session, seed: Seed, now: datetime) -> None:
    seed([offer("1", coupons=(coupon("c1", ends_at=now + timedelta(days=3)),)),
          offer("2", coupons=(coupon("c2", ends_at=now - timedelta(days=3)),))])
    awin = Partner(slug="awin_vouchers", network="awin_vouchers", name="Awin", currency="GBP",
                   allowed_hosts=[])
    session.add(awin)
    session.flush()
    ingest_vouchers(session, partner=awin, now=now, records=[
        _voucher("SAVE10", "77", code="SAVE10"),
        _voucher("FIVEOFF", "78", kind="amount_off", amount=500, percent_bp=None,
                 min_spend=5000, title="£5 off orders over £50",
                 ends_at=now + timedelta(days=1)),
        _voucher("OLD", "78", ends_at=now - timedelta(days=400)),
    ])


def test_lists_every_listed_coupon_newest_first(client: TestClient, session: Session,
                                                seed: Seed, now: datetime) -> None:
    _seed(session, seed, now)
    items = client.get("/api/v1/coupons").json()["items"]
    assert [i["title"] for i in items][:1] == ["10% off"]  # OLD was inserted last
    assert len(items) == 5
    assert [i["id"] for i in items] == sorted((i["id"] for i in items), reverse=True)
    five = next(i for i in items if i["code"] is None and i["kind"] == "amount_off"
                and i["partner"] == "awin_vouchers")
    assert (five["amount"], five["min_spend"], five["currency"]) == (500, 5000, "GBP")
    assert five["merchant"] == "Shop 78" and five["url"].startswith("https://www.awin1.com/")


def test_filters(client: TestClient, session: Session, seed: Seed, now: datetime) -> None:
    _seed(session, seed, now)

    def codes(**params: object) -> set[str]:
        body = client.get("/api/v1/coupons", params=params).json()
        return {i["code"] or i["title"] for i in body["items"]}

    assert codes(partner="awin_vouchers", active="true") == {"SAVE10",
                                                             "£5 off orders over £50"}
    assert codes(partner="awin_vouchers", active="false") == {"10% off"}  # the old one
    assert codes(merchant="77") == {"SAVE10"}
    assert codes(merchant="Shop 78", active="true") == {"£5 off orders over £50"}
    assert len(codes(partner="taobao", active="true")) == 1
    assert codes(vouchers_only="true", partner="taobao") == set()


def test_cursor_pages_through_everything_once(client: TestClient, session: Session,
                                              seed: Seed, now: datetime) -> None:
    _seed(session, seed, now)
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, object] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/coupons", params=params).json()
        seen += [i["id"] for i in body["items"]]
        if not (cursor := body["next_cursor"]):
            break
    assert len(seen) == len(set(seen)) == 5


def test_bad_parameters_are_4xx_json(client: TestClient) -> None:
    assert client.get("/api/v1/coupons", params={"limit": 0}).status_code == 422
    assert client.get("/api/v1/coupons", params={"active": "maybe"}).status_code == 422
    bad = client.get("/api/v1/coupons", params={"cursor": "nope"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_cursor"
    other_sort = client.get("/api/v1/offers", params={"limit": 1}).json()["next_cursor"]
    assert other_sort is None or client.get(
        "/api/v1/coupons", params={"cursor": other_sort}).status_code == 400
