"""What a sharer sees of their own business: links with clicks (human and flagged),
orders with their share of each, and withdrawals. Balances: aggregator.affiliate.ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from aggregator.models import (
    Click,
    Conversion,
    LedgerEntry,
    LedgerTransaction,
    Offer,
    Partner,
    ShareLink,
    Withdrawal,
)

EARNING_ACCOUNTS = ("pending", "available", "owed")


@dataclass(frozen=True)
class LinkStats:
    code: str
    offer_id: int
    title: str
    created_at: datetime
    human_clicks: int
    flagged_clicks: int
    orders: int


@dataclass(frozen=True)
class Earning:
    """One order that pays this user: as its sharer or as an inviter (level 1 or 2)."""
    conversion_id: int
    order_id: str
    partner: str
    title: str | None
    status: str
    currency: str
    order_amount: int
    role: str  # sharer | level1 | level2
    share: int  # what this order gives the user now (0 once reversed)
    occurred_at: datetime


def my_links(session: Session, *, user_id: int, limit: int = 50) -> list[LinkStats]:
    clicks = (select(Click.share_link_id,
                     func.count().filter(Click.flag.is_(None)).label("human"),
                     func.count().filter(Click.flag.is_not(None)).label("flagged"))
              .group_by(Click.share_link_id).subquery())
    orders = (select(Click.share_link_id, func.count(Conversion.id).label("orders"))
              .join(Conversion, Conversion.click_id == Click.id)
              .group_by(Click.share_link_id).subquery())
    rows = session.execute(
        select(ShareLink.code, ShareLink.offer_id, Offer.title, ShareLink.created_at,
               func.coalesce(clicks.c.human, 0), func.coalesce(clicks.c.flagged, 0),
               func.coalesce(orders.c.orders, 0))
        .join(Offer, Offer.id == ShareLink.offer_id)
        .outerjoin(clicks, clicks.c.share_link_id == ShareLink.id)
        .outerjoin(orders, orders.c.share_link_id == ShareLink.id)
        .where(ShareLink.user_id == user_id)
        .order_by(ShareLink.created_at.desc(), ShareLink.id.desc()).limit(limit))
    return [LinkStats(*row) for row in rows]


def my_earnings(session: Session, *, user_id: int, limit: int = 100) -> list[Earning]:
    """Newest orders first, each with the user's role and current share."""
    role_rank = case((LedgerEntry.role == "sharer", 0), (LedgerEntry.role == "level1", 1),
                     else_=2)
    mine = (select(LedgerTransaction.conversion_id.label("conversion_id"),
                   func.min(role_rank).label("rank"),
                   func.sum(case((LedgerEntry.account.in_(EARNING_ACCOUNTS),
                                  LedgerEntry.amount), else_=0)).label("share"))
            .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
            .where(LedgerEntry.user_id == user_id,
                   LedgerEntry.role.in_(("sharer", "level1", "level2")),
                   LedgerTransaction.conversion_id.is_not(None))
            .group_by(LedgerTransaction.conversion_id).subquery())
    rows = session.execute(
        select(Conversion, Partner.slug, mine.c.rank, mine.c.share)
        .join(mine, mine.c.conversion_id == Conversion.id)
        .join(Partner, Partner.id == Conversion.partner_id)
        .order_by(Conversion.occurred_at.desc(), Conversion.id.desc()).limit(limit))
    roles = ("sharer", "level1", "level2")
    return [Earning(conversion_id=c.id, order_id=c.order_id, partner=slug, title=c.title,
                    status=c.status, currency=c.currency, order_amount=c.order_amount,
                    role=roles[int(rank)], share=int(share), occurred_at=c.occurred_at)
            for c, slug, rank, share in rows]


def my_withdrawals(session: Session, *, user_id: int, limit: int = 50) -> list[Withdrawal]:
    return list(session.scalars(select(Withdrawal).where(Withdrawal.user_id == user_id)
                                .order_by(Withdrawal.requested_at.desc(), Withdrawal.id.desc())
                                .limit(limit)))
