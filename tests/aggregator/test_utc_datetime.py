"""UTCDateTime: aware UTC in and out on both databases, however values repeat in a batch."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from aggregator.bulk import insert_rows
from aggregator.ingest import ingest_offers
from aggregator.models import Offer, Partner, PriceObservation
from tests.aggregator.factories import offer as offer_record
from tests.aggregator.factories import offer_row

UTC = dt.UTC
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _offer(session: Session, partner: Partner) -> Offer:
    ingest_offers(session, partner=partner, records=[offer_record()],
                  now=dt.datetime(2026, 11, 1, tzinfo=UTC))
    return offer_row(session, "1001")


def test_batch_binds_each_value_not_the_last_one(session: Session, partner: Partner) -> None:
    offer = _offer(session, partner)
    now = dt.datetime(2026, 11, 23, 12, tzinfo=UTC)
    earlier = dt.datetime(2026, 11, 23, 20, tzinfo=SHANGHAI)  # 12:00 UTC, same instant
    later = dt.datetime(2026, 11, 24, 1, 2, 3, 456789, tzinfo=UTC)
    # The same object repeated, other objects, an equal instant in another zone, the first.
    times = [now, now, later, earlier, now, later]
    insert_rows(session, PriceObservation, [
        {"offer_id": offer.id, "observed_at": at, "currency": "CNY", "price": i,
         "final_price": i} for i, at in enumerate(times)])
    stored = session.execute(select(PriceObservation.price, PriceObservation.observed_at)
                             .where(PriceObservation.offer_id == offer.id,
                                    PriceObservation.price < len(times))
                             .order_by(PriceObservation.price)).all()
    assert [at for _, at in stored] == times
    assert all(at.tzinfo is not None and at.utcoffset() == dt.timedelta(0)
               for _, at in stored)


def test_naive_datetimes_are_refused(session: Session, partner: Partner) -> None:
    offer = _offer(session, partner)
    with pytest.raises(StatementError, match="naive datetime"):
        insert_rows(session, PriceObservation, [
            {"offer_id": offer.id, "observed_at": dt.datetime(2026, 11, 23), "currency": "CNY",
             "price": 1, "final_price": 1}])
