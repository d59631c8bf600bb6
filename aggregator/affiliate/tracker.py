"""One /go visit, start to end, for an async web route: look the code up (cached for a
few seconds per process), flag the request, store the click through the group-commit
writer and say where to send the visitor.

Kept free of any web framework: the route passes plain values in and gets a ``Visit``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from aggregator.affiliate.click_writer import ClickWriter
from aggregator.affiliate.clicks import NewClick, Target, find_target, partner_url
from aggregator.affiliate.visitors import IpHasher, clip_user_agent, ip_key, request_flag
from aggregator.db import get_engine
from aggregator.settings import get_settings
from aggregator.timeutil import utcnow

log = logging.getLogger(__name__)
# A share link's offer URL changes when a crawl changes it, and a partner's hosts when
# an admin edits them: seconds of staleness are harmless, a query per click is not.
TARGET_SECONDS = 30.0
MISSING_SECONDS = 5.0  # an unknown code may be a link being created right now
CACHE_SIZE = 10_000


@dataclass(frozen=True, slots=True)
class Visit:
    """Where to send the visitor. No click id: the code is unknown (send them home).
    A click id but no partner URL: the offer cannot be followed (its product page)."""

    click_id: int | None = None
    partner_url: str | None = None
    product_id: int | None = None


class TargetCache:
    """code -> Target | None for a few seconds, loaded on a worker thread when missing."""

    def __init__(self, load: Callable[[str], Target | None], *, seconds: float = TARGET_SECONDS,
                 size: int = CACHE_SIZE) -> None:
        self._load = load
        self._seconds = seconds
        self._size = size
        self._entries: dict[str, tuple[float, Target | None]] = {}

    async def get(self, code: str) -> Target | None:
        now = time.monotonic()
        entry = self._entries.get(code)
        if entry is not None and entry[0] > now:
            return entry[1]
        target = await asyncio.to_thread(self._load, code)
        if target is not None and not target.followable:
            log.warning("share link %s: offer URL %r is not on its partner's allowed hosts "
                        "(%s), or the offer is gone: sending visitors to the product page",
                        code, target.url, ", ".join(target.allowed_hosts) or "none")
        if len(self._entries) >= self._size and code not in self._entries:
            del self._entries[next(iter(self._entries))]  # the oldest entry
        self._entries[code] = (now + (self._seconds if target else MISSING_SECONDS), target)
        return target

    def clear(self) -> None:
        self._entries.clear()


class ClickTracker:
    """Per process (one per app): the target cache, the IP-hash key and the writer.
    ``engine`` and ``secret`` default to the settings' when first needed."""

    def __init__(self, engine: Engine | None = None, *, secret: str | None = None,
                 clock: Callable[[], datetime] = utcnow,
                 cache_seconds: float = TARGET_SECONDS) -> None:
        self._engine = engine
        self._secret = secret
        self._hasher: IpHasher | None = None
        self._writer: ClickWriter | None = None
        self._sessions: sessionmaker[Session] | None = None
        self.clock = clock
        self.targets = TargetCache(self._find, seconds=cache_seconds)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = get_engine()
        return self._engine

    @property
    def writer(self) -> ClickWriter:
        if self._writer is None:
            self._writer = ClickWriter(self.engine)
        return self._writer

    def _find(self, code: str) -> Target | None:
        if self._sessions is None:
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        with self._sessions.begin() as session:
            return find_target(session, code=code)

    def _ip_hash(self, ip: str) -> str:
        if self._hasher is None:
            secret = self._secret or get_settings().secret_key.get_secret_value()
            self._hasher = IpHasher(ip_key(secret))
        return self._hasher(ip)

    async def visit(self, *, code: str, method: str, ip: str, user_agent: str | None,
                    purpose: str | None = None) -> Visit:
        """Store the click (committed before this returns) and say where to go.
        Raises ClickNotStored when the database would not take it."""
        target = await self.targets.get(code)
        if target is None:
            return Visit()
        agent = clip_user_agent(user_agent)
        click = NewClick(share_link_id=target.share_link_id, created_at=self.clock(),
                         ip_hash=self._ip_hash(ip), user_agent=agent,
                         flag=request_flag(method=method, user_agent=agent, purpose=purpose))
        click_id = await self.writer.write(click)
        return Visit(click_id=click_id, partner_url=partner_url(target, click_id=click_id),
                     product_id=target.product_id)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
