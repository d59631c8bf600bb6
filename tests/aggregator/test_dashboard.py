"""A sharer's own figures: clicks human vs flagged per link, orders with their share."""

from __future__ import annotations

from sqlalchemy.orm import Session

from aggregator.affiliate.conversions import record_orders
from aggregator.affiliate.dashboard import my_earnings, my_links, my_withdrawals
from aggregator.models import Click, Partner
from tests.aggregator.money_support import POLICY, click, later, order, user
from tests.conftest import FIXED_NOW


def test_links_count_human_and_flagged_clicks_and_orders(session: Session,
                                                         partner: Partner) -> None:
    sharer = user(session)
    first = click(session, sharer=sharer, partner=partner)
    session.add_all([Click(share_link_id=first.share_link_id, ip_hash="b", user_agent="bot",
                           flag="bot", created_at=FIXED_NOW),
                     Click(share_link_id=first.share_link_id, ip_hash="c", user_agent="ua",
                           created_at=FIXED_NOW)])
    click(session, sharer=sharer, partner=partner, external_id="2002")
    record_orders(session, partner=partner, records=[order(sub=first)], source="sync",
                  now=FIXED_NOW, policy=POLICY)
    links = {s.offer_id: (s.human_clicks, s.flagged_clicks, s.orders)
             for s in my_links(session, user_id=sharer.id)}
    assert sorted(links.values()) == [(1, 0, 0), (2, 1, 1)]
    assert my_links(session, user_id=user(session).id) == []


def test_earnings_show_each_role_and_the_share_now(session: Session, partner: Partner) -> None:
    top = user(session)
    sharer = user(session, inviter=top)
    c = click(session, sharer=sharer, partner=partner)
    record_orders(session, partner=partner, source="sync", now=FIXED_NOW, policy=POLICY,
                  records=[order("o1", sub=c, commission=1000),
                           order("o2", sub=c, commission=2000)])
    record_orders(session, partner=partner, source="sync", now=later(1), policy=POLICY,
                  records=[order("o2", sub=c, status="reversed", at=later(1))])
    mine = {e.order_id: (e.role, e.share, e.status) for e in my_earnings(session,
                                                                         user_id=sharer.id)}
    assert mine == {"o1": ("sharer", 500, "pending"), "o2": ("sharer", 0, "reversed")}
    theirs = {e.order_id: (e.role, e.share) for e in my_earnings(session, user_id=top.id)}
    assert theirs == {"o1": ("level1", 100), "o2": ("level1", 0)}
    assert my_withdrawals(session, user_id=sharer.id) == []
