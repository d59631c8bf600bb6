"""Web fixtures: an app whose session and clock are the test's own, and seed helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from aggregator.ingest import ingest_offers
from aggregator.models import Partner
from aggregator.records import OfferRecord
from aggregator.search import index_pending
from web.app import create_app
from web.deps import get_now, get_session

Seed = Callable[..., None]


@pytest.fixture
def pdd(session: Session) -> Partner:
    row = Partner(slug="pdd", network="pdd", name="多多进宝", currency="CNY",
                  allowed_hosts=["mobile.yangkeduo.com"])
    session.add(row)
    session.flush()
    return row


@pytest.fixture
def seed(session: Session, partner: Partner, now: datetime) -> Seed:
    """seed(records, partner=..., at=...): ingest and index as after a crawl."""
    def _seed(records: Sequence[OfferRecord], *, to: Partner | None = None,
              at: datetime | None = None) -> None:
        ingest_offers(session, partner=to or partner, records=list(records), now=at or now)
        index_pending(session)  # what follows every crawl
        session.flush()
        # Ingest updates rows in bulk, which leaves ORM objects already loaded in this
        # shared session stale; a real request would start with a fresh session.
        session.expire_all()
    return _seed


@pytest.fixture
def app(session: Session, now: datetime) -> FastAPI:
    application = create_app()

    def _session() -> Iterator[Session]:
        yield session

    application.dependency_overrides[get_session] = _session
    application.dependency_overrides[get_now] = lambda: now
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def english(client: TestClient) -> None:
    """The client asks for English pages (zh-CN is the default)."""
    client.headers["Accept-Language"] = "en"
