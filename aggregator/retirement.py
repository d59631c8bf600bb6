"""Retire what a complete crawl no longer lists. Never delete; never after a partial crawl.

The crawl tracks which external ids it saw (a set: 100k ids is a few MB), so unchanged
offers need no write during the crawl; this one pass at the end finds the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from aggregator.models import Coupon, Offer

CHUNK = 1000


def _retire(session: Session, column_owner: type[Offer] | type[Coupon], ids: Sequence[int],
            now: datetime) -> None:
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        session.execute(update(column_owner).where(column_owner.id.in_(chunk))
                        .values(retired_at=now))


def retire_unseen_offers(session: Session, *, partner_id: int, seen: Iterable[str],
                         now: datetime) -> int:
    """Retire the partner's live offers whose external id is not in ``seen``."""
    seen_ids = set(seen)
    live = session.execute(
        Offer.__table__.select().with_only_columns(Offer.id, Offer.external_id)
        .where(Offer.partner_id == partner_id, Offer.retired_at.is_(None))
    )
    gone = [row.id for row in live if row.external_id not in seen_ids]
    _retire(session, Offer, gone, now)
    return len(gone)


def retire_unseen_vouchers(session: Session, *, partner_id: int, seen: Iterable[str],
                           now: datetime) -> int:
    """Retire the partner's live merchant-wide vouchers not in ``seen``."""
    seen_ids = set(seen)
    live = session.execute(
        Coupon.__table__.select().with_only_columns(Coupon.id, Coupon.external_id)
        .where(Coupon.partner_id == partner_id, Coupon.offer_id.is_(None),
               Coupon.retired_at.is_(None))
    )
    gone = [row.id for row in live if row.external_id not in seen_ids]
    _retire(session, Coupon, gone, now)
    return len(gone)
