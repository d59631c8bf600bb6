"""Conditional GET bookkeeping for file feeds: a 304 costs one request and nothing else.

Validators are saved only after a complete crawl, so a feed that failed half-way is
fetched in full next time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.models import FeedState, Partner


@dataclass(frozen=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def _state(session: Session, partner_slug: str, url: str) -> FeedState | None:
    return session.scalar(
        select(FeedState).join(Partner, Partner.id == FeedState.partner_id)
        .where(Partner.slug == partner_slug, FeedState.url == url)
    )


def get_validators(session: Session, *, partner_slug: str, url: str) -> Validators:
    state = _state(session, partner_slug, url)
    return Validators(state.etag, state.last_modified) if state else Validators()


def save_validators(session: Session, *, partner_id: int, partner_slug: str, url: str,
                    validators: Validators, now: datetime) -> None:
    state = _state(session, partner_slug, url)
    if state is None:
        state = FeedState(partner_id=partner_id, url=url, updated_at=now)
        session.add(state)
    state.etag, state.last_modified = validators.etag, validators.last_modified
    state.updated_at = now
    session.flush()
