"""The sharer's pages and API: share from a product page, the dashboard, withdrawals
(a bad amount re-renders the form with the message), share-links and earnings JSON."""

from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.affiliate.conversions import record_orders, release_due
from aggregator.affiliate.subids import sub_id_for
from aggregator.models import Click, Partner, ShareLink, User
from tests.aggregator.factories import offer, offer_row
from tests.aggregator.money_support import POLICY, later, order
from tests.web.auth_support import PASSWORD, csrf_of, errors_in, register
from tests.web.conftest import Seed


def signed_up(client: TestClient, session: Session, email: str = "sharer@example.com") -> User:
    assert register(client, email).status_code == 303
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


def token(client: TestClient, email: str = "sharer@example.com") -> dict[str, str]:
    got = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {got.json()['access_token']}"}


def test_share_button_makes_one_link_and_opens_it(client: TestClient, session: Session,
                                                  seed: Seed) -> None:
    seed([offer("1001", title="兰蔻口红")])
    target = offer_row(session, "1001")
    anonymous = client.get(f"/products/{target.product_id}")
    assert 'class="share" href="/login?next=' in anonymous.text
    signed_up(client, session)
    page = client.get(f"/products/{target.product_id}")
    assert '/share" class' in page.text or 'share-form' in page.text
    for _ in range(2):
        shared = client.post("/share", data={"csrf_token": csrf_of(page.text),
                                             "offer_id": str(target.id)},
                             follow_redirects=False)
        assert shared.status_code == 303
        assert shared.headers["location"].startswith("http://testserver/s/")
    assert len(session.scalars(select(ShareLink)).all()) == 1
    no_csrf = client.post("/share", data={"offer_id": str(target.id)}, follow_redirects=False)
    assert no_csrf.status_code == 403


def test_dashboard_and_withdrawal_form(client: TestClient, session: Session, seed: Seed,
                                       partner: Partner, english: None) -> None:
    seed([offer("1001")])
    user = signed_up(client, session)
    assert client.get("/me").status_code == 200
    link = ShareLink(code="abcdefgh", user_id=user.id, offer_id=offer_row(session, "1001").id)
    session.add(link)
    session.flush()
    click = Click(share_link_id=link.id, ip_hash="x", user_agent="ua")
    session.add(click)
    session.flush()
    record_orders(session, partner=partner, source="sync", now=later(0), policy=POLICY,
                  records=[order(sub=click, status="confirmed", commission=6000)])
    release_due(session, now=later(8), policy=POLICY)
    page = client.get("/me")
    assert "CN¥30.00" in page.text  # available: half of ¥60
    token_ = csrf_of(page.text)
    for amount, message in (("abc", "Enter an amount"), ("5", "below the smallest"),
                            ("31", "more than your available")):
        bad = client.post("/me/withdrawals", data={"csrf_token": token_, "amount": amount,
                                                   "currency": "CNY"})
        assert bad.status_code == 422
        assert any(message in e for e in errors_in(bad.text)), errors_in(bad.text)
        assert f'value="{amount}"' in bad.text  # what was typed is kept
    ok = client.post("/me/withdrawals", data={"csrf_token": token_, "amount": "25.50",
                                              "currency": "CNY"}, follow_redirects=False)
    assert ok.status_code == 303
    after = client.get("/me").text
    assert "CN¥4.50" in after and "CN¥25.50" in after


def test_api_share_links_and_earnings(client: TestClient, session: Session, seed: Seed,
                                      partner: Partner, now: datetime) -> None:
    seed([offer("1001", title="Lancôme lipstick")])
    user = signed_up(client, session)
    auth = token(client)
    assert client.post("/api/v1/share-links", json={"offer_id": 1}).status_code == 401
    made = client.post("/api/v1/share-links", headers=auth,
                       json={"offer_id": offer_row(session, "1001").id})
    assert made.status_code == 201, made.text
    body = made.json()
    assert set(body) == {"code", "share_url", "go_url", "poster_url", "share_text"}
    assert body["go_url"].endswith(f"/go/{body['code']}")
    assert client.post("/api/v1/share-links", headers=auth,
                       json={"offer_id": 10**9}).status_code == 404
    assert client.post("/api/v1/share-links", headers=auth,
                       json={"offer_id": "x"}).status_code == 422
    link = session.scalar(select(ShareLink).where(ShareLink.code == body["code"]))
    click = Click(share_link_id=link.id, ip_hash="x", user_agent="ua")
    session.add(click)
    session.flush()
    record_orders(session, partner=partner, source="postback", now=now, policy=POLICY,
                  records=[order("T-9", sub=sub_id_for(click.id), commission=999)])
    earnings = client.get("/api/v1/me/earnings", headers=auth).json()
    assert earnings["balances"] == [{"currency": "CNY", "pending": 499, "available": 0,
                                     "paid": 0, "withdrawing": 0, "owed": 0}]
    assert [(c["order_id"], c["role"], c["commission"], c["status"])
            for c in earnings["conversions"]] == [("T-9", "sharer", 499, "pending")]
    assert user.id
    assert client.get("/api/v1/me/earnings").status_code == 401
