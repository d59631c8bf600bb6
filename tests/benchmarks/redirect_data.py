"""Share links to click on, for the /go tests and the redirect benchmark: a partner, an
offer ingested as a crawl would, a sharer (made directly: accounts are not needed here)
and the link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from aggregator.db import session_scope
from aggregator.ingest import ingest_offers
from aggregator.models import Click, Offer, Partner, ShareLink, User
from aggregator.records import OfferRecord
from aggregator.timeutil import utcnow

BROWSER = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
           "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")


def partner_row(session: Session, *, slug: str = "taobao", network: str = "taobao",
                hosts: tuple[str, ...] = ("uland.taobao.com", "s.click.taobao.com")) -> Partner:
    row = session.scalar(select(Partner).where(Partner.slug == slug))
    if row is None:
        row = Partner(slug=slug, network=network, name=slug, currency="CNY",
                      allowed_hosts=list(hosts))
        session.add(row)
        session.flush()
    return row


def share_link(session: Session, *, partner: Partner, code: str, url: str,
               now: datetime | None = None) -> ShareLink:
    """A sharer's link ``code`` to a new offer of ``partner`` whose URL is ``url``."""
    external_id = f"go-{code}"
    record = OfferRecord(partner=partner.slug, external_id=external_id, title=f"商品 {code}",
                         url=url, currency="CNY", price=9900, shop_name="小店")
    ingest_offers(session, partner=partner, records=[record], now=now or utcnow())
    offer_id = session.scalar(select(Offer.id).where(Offer.partner_id == partner.id,
                                                     Offer.external_id == external_id))
    assert offer_id is not None
    user = User(email=f"{code.lower()}@example.com", password_hash="x", nickname=code,
                invite_code=f"i{code}")
    session.add(user)
    session.flush()
    link = ShareLink(code=code, user_id=user.id, offer_id=offer_id)
    session.add(link)
    session.flush()
    return link


def seed_link(engine: Engine, *, code: str, url: str, slug: str = "taobao",
              network: str = "taobao", hosts: tuple[str, ...] = ("uland.taobao.com",)) -> int:
    """Commit a share link (for a server in another process); returns its id."""
    with session_scope(engine) as session:
        partner = partner_row(session, slug=slug, network=network, hosts=hosts)
        return share_link(session, partner=partner, code=code, url=url).id


def stored_clicks(engine: Engine, share_link_id: int | None = None) -> int:
    with session_scope(engine) as session:
        query = select(func.count()).select_from(Click)
        if share_link_id is not None:
            query = query.where(Click.share_link_id == share_link_id)
        return session.scalar(query) or 0
