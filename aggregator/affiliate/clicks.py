"""Clicks on /go/{code}: what a share code points at, storing clicks, where to send them.

The web route (web.routes.go) answers only after the transaction holding its click has
committed; :mod:`aggregator.affiliate.click_writer` owns that transaction and commits
many clicks at once. These functions never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from aggregator.affiliate.click_sql import click_sql
from aggregator.affiliate.redirects import allowed_url
from aggregator.affiliate.subids import sub_id_for, tagged_url
from aggregator.affiliate.visitors import DUPLICATE
from aggregator.models import Offer, Partner, ShareLink

# A click repeating one from the same address hash, user agent and link this recently
# is a duplicate: one friend tapping twice, or a page reloading.
DUPLICATE_WINDOW = timedelta(hours=1)
MAX_CODE = 16  # share_links.code


@dataclass(frozen=True, slots=True)
class Target:
    """What a share code leads to, as /go needs it (cached per process for seconds)."""

    share_link_id: int
    product_id: int
    url: str  # the partner's URL for the offer, untagged
    network: str
    allowed_hosts: tuple[str, ...]
    # The tagged partner URL around its sub-id: (before, after). None when the visitor
    # must go to the site's product page instead: the offer is retired, its partner
    # disabled, or its URL not on the partner's allowed hosts.
    template: tuple[str, str] | None

    @property
    def followable(self) -> bool:
        return self.template is not None


@dataclass(frozen=True, slots=True)
class NewClick:
    share_link_id: int
    created_at: datetime
    ip_hash: str
    user_agent: str
    flag: str | None  # head, preview or bot from the request; duplicates are found here


def find_target(session: Session, *, code: str) -> Target | None:
    """The share link ``code`` names, with its offer and partner; None if unknown."""
    if not code or len(code) > MAX_CODE:
        return None
    row = session.execute(
        select(ShareLink.id, Offer.product_id, Offer.url, Offer.retired_at, Partner.network,
               Partner.allowed_hosts, Partner.enabled)
        .join(Offer, Offer.id == ShareLink.offer_id)
        .join(Partner, Partner.id == Offer.partner_id)
        .where(ShareLink.code == code)
    ).first()
    if row is None:
        return None
    hosts = tuple(str(h) for h in row.allowed_hosts or ())
    live = row.retired_at is None and row.enabled
    return Target(share_link_id=row.id, product_id=row.product_id, url=row.url,
                  network=row.network, allowed_hosts=hosts,
                  template=url_template(row.url, network=row.network, allowed_hosts=hosts)
                  if live else None)


# Stands for the sub-id while the URL is tagged once per target: letters only, so URL
# encoding leaves it (and the real sub-id, "dg" + digits) as it is.
_MARKER = "dgSUBIDdg"


def url_template(url: str, *, network: str,
                 allowed_hosts: tuple[str, ...]) -> tuple[str, str] | None:
    """``tagged_url`` with the sub-id left out, split where it goes; None when the URL
    may not be followed. Tagging a click is then two concatenations, and the URL checked
    against the allowed hosts is the one sent but for the sub-id's digits."""
    try:
        tagged = tagged_url(url, network=network, sub_id=_MARKER)
    except ValueError:
        return None
    if tagged.count(_MARKER) != 1 or not allowed_url(tagged, allowed_hosts):
        return None
    before, after = tagged.split(_MARKER)
    return before, after


def partner_url(target: Target, *, click_id: int) -> str | None:
    """The partner URL carrying the click's sub-id, or None when it must not be followed
    (the same as ``tagged_url`` of the offer's URL)."""
    if target.template is None:
        return None
    before, after = target.template
    return before + sub_id_for(click_id) + after


Visitor = tuple[int, str, str]  # share link, IP hash, user agent


class CountedClicks:
    """When each visitor's last counted click (unflagged or duplicate) was stored, as
    far as this process has seen, so a flood of one visitor is flagged without a query.
    Forgetting is safe (the database is asked); the size bounds the memory."""

    def __init__(self, size: int = 100_000) -> None:
        self.size = size
        self._times: dict[Visitor, datetime] = {}

    def get(self, visitor: Visitor) -> datetime | None:
        return self._times.get(visitor)

    def remember(self, clicks: Sequence[NewClick], flags: Sequence[str | None]) -> None:
        """Call once their transaction has committed."""
        for click, flag in zip(clicks, flags, strict=True):
            if flag is None or flag == DUPLICATE:
                visitor = (click.share_link_id, click.ip_hash, click.user_agent)
                self._times.pop(visitor, None)  # re-insert: the newest go last
                self._times[visitor] = click.created_at
        while len(self._times) > self.size:
            del self._times[next(iter(self._times))]


def record_clicks(session: Session | Connection, *, clicks: Sequence[NewClick]) -> list[int]:
    """Insert ``clicks`` (in order, duplicates flagged) and return their ids."""
    flags = duplicate_flags(session, clicks=clicks)
    return insert_clicks(session, clicks=clicks, flags=flags)


def insert_clicks(session: Session | Connection, *, clicks: Sequence[NewClick],
                  flags: Sequence[str | None]) -> list[int]:
    """Insert ``clicks`` with ``flags`` in one statement; their ids, in order.

    Takes a Session, or a Connection (the click writer's: a Session's own begin and
    commit cost more than storing a small batch of clicks)."""
    if not clicks:
        return []
    connection = session.connection() if isinstance(session, Session) else session
    sql = click_sql(connection.dialect)
    return sql.insert(connection, [
        (c.share_link_id, sql.time(c.created_at), c.ip_hash, c.user_agent, flag)
        for c, flag in zip(clicks, flags, strict=True)])


def duplicate_flags(session: Session | Connection, *, clicks: Sequence[NewClick],
                    counted: CountedClicks | None = None) -> list[str | None]:
    """Each click's flag, ``duplicate`` for a repeat of a counted click (unflagged, or a
    duplicate itself) within the window, earlier in ``clicks``, in ``counted`` or
    already stored. Clicks flagged by their request keep that flag; HEAD checks and
    link previews do not make the friend's real tap that follows a duplicate. At most
    one query per distinct visitor in the batch, none for one ``counted`` remembers."""
    connection = session.connection() if isinstance(session, Session) else session
    sql = click_sql(connection.dialect)
    last_counted: dict[Visitor, datetime | None] = {}
    flags: list[str | None] = []
    for click in clicks:
        if click.flag is not None:
            flags.append(click.flag)
            continue
        visitor = (click.share_link_id, click.ip_hash, click.user_agent)
        if visitor not in last_counted:
            known = counted.get(visitor) if counted is not None else None
            if known is not None and click.created_at - known < DUPLICATE_WINDOW:
                last_counted[visitor] = known
            else:
                stored = sql.counted_since(connection, link=click.share_link_id,
                                           ip_hash=click.ip_hash, agent=click.user_agent,
                                           since=click.created_at - DUPLICATE_WINDOW,
                                           until=click.created_at)
                # any moment inside the window will do: only "within the window" matters
                last_counted[visitor] = click.created_at if stored else None
        earlier = last_counted[visitor]
        repeat = earlier is not None and click.created_at - earlier < DUPLICATE_WINDOW
        flags.append(DUPLICATE if repeat else None)
        last_counted[visitor] = click.created_at
    return flags
