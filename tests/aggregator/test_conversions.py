"""Orders in, commissions out: attribution, status merging, the ledger at every step."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aggregator.affiliate.conversions import record_orders, release_due
from aggregator.affiliate.ledger import Balance, balances
from aggregator.affiliate.withdrawals import request_withdrawal
from aggregator.models import Conversion, LedgerTransaction, Partner, User
from tests.aggregator.money_support import (
    POLICY,
    assert_books_balance,
    click,
    later,
    order,
    user,
)
from tests.conftest import FIXED_NOW


@pytest.fixture
def family(session: Session) -> tuple[User, User, User]:
    """level-2 inviter <- level-1 inviter <- sharer"""
    top = user(session, name="top")
    mid = user(session, inviter=top, name="mid")
    return user(session, inviter=mid, name="sharer"), mid, top


def record(session: Session, partner: Partner, *reports, at=FIXED_NOW):  # type: ignore[no-untyped-def]
    counts = record_orders(session, partner=partner, records=list(reports), source="sync",
                           now=at, policy=POLICY)
    assert_books_balance(session)
    return counts


def bal(session: Session, who: User) -> Balance:
    found = balances(session, user_id=who.id)
    return found[0] if found else Balance("CNY")


def txns(session: Session) -> list[str]:
    return list(session.scalars(select(LedgerTransaction.kind).order_by(LedgerTransaction.id)))


def test_a_pending_order_credits_three_levels_as_pending(session, partner, family) -> None:
    sharer, mid, top = family
    c = click(session, sharer=sharer, partner=partner)
    counts = record(session, partner, order(sub=c, commission=1000))
    assert (counts.new, counts.attributed) == (1, 1)
    assert bal(session, sharer) == Balance("CNY", pending=500)
    assert bal(session, mid) == Balance("CNY", pending=100)
    assert bal(session, top) == Balance("CNY", pending=50)
    conv = session.scalars(select(Conversion)).one()
    assert (conv.user_id, conv.click_id, conv.status) == (sharer.id, c.id, "pending")


def test_replays_and_reorders_credit_once(session, partner, family) -> None:
    sharer = family[0]
    c = click(session, sharer=sharer, partner=partner)
    pending, confirmed = order(sub=c), order(sub=c, status="confirmed", at=later(1))
    record(session, partner, pending, pending)
    record(session, partner, confirmed, pending, confirmed, at=later(1))
    counts = record(session, partner, pending, at=later(2))
    assert counts.stale == 1
    assert session.scalar(select(Conversion.status)) == "confirmed"
    assert txns(session) == ["accrual"]
    assert bal(session, sharer).pending == 500


def test_settled_commission_replaces_the_estimate(session, partner, family) -> None:
    sharer, mid, _ = family
    c = click(session, sharer=sharer, partner=partner)
    record(session, partner, order(sub=c, commission=1000))
    record(session, partner, order(sub=c, commission=801, status="confirmed", at=later(1)),
           at=later(1))
    assert bal(session, sharer).pending == 400
    assert bal(session, mid).pending == 80
    assert txns(session) == ["accrual", "adjustment"]


def test_confirmed_commission_becomes_available_after_the_hold(session, partner, family) -> None:
    sharer = family[0]
    c = click(session, sharer=sharer, partner=partner)
    record(session, partner, order(sub=c, status="confirmed"))
    assert release_due(session, now=later(6.9), policy=POLICY) == 0
    assert bal(session, sharer) == Balance("CNY", pending=500)
    assert release_due(session, now=later(7), policy=POLICY) == 1
    assert bal(session, sharer) == Balance("CNY", available=500)
    assert release_due(session, now=later(8), policy=POLICY) == 0
    assert_books_balance(session)


def test_a_report_after_the_hold_releases_at_once(session, partner, family) -> None:
    sharer = family[0]
    c = click(session, sharer=sharer, partner=partner)
    record(session, partner, order(sub=c, status="confirmed"))
    record(session, partner, order(sub=c, status="confirmed"), at=later(8))
    assert bal(session, sharer) == Balance("CNY", available=500)


def test_reversal_before_release_takes_everything_back(session, partner, family) -> None:
    sharer = family[0]
    c = click(session, sharer=sharer, partner=partner)
    record(session, partner, order(sub=c))
    record(session, partner, order(sub=c, status="reversed", at=later(1)), at=later(1))
    for who in family:
        assert bal(session, who) == Balance("CNY")
    assert txns(session) == ["accrual", "reversal"]
    # a reversal is final: a late "pending" report changes nothing
    assert record(session, partner, order(sub=c, at=later(2)), at=later(2)).stale == 1


def test_clawback_after_release_never_goes_below_zero(session, partner, family) -> None:
    sharer = family[0]
    first = click(session, sharer=sharer, partner=partner)
    record(session, partner, order("o1", sub=first, status="confirmed", commission=4000))
    release_due(session, now=later(7), policy=POLICY)
    request_withdrawal(session, user_id=sharer.id, currency="CNY", amount=1500, now=later(7),
                       minimum=100)
    assert bal(session, sharer) == Balance("CNY", available=500, withdrawing=1500)
    record(session, partner, order("o1", sub=first, status="reversed", commission=4000,
                                   at=later(8)), at=later(8))
    assert bal(session, sharer) == Balance("CNY", withdrawing=1500, owed=1500)
    # the next released commission repays the debt first
    record(session, partner, order("o2", sub=first, status="confirmed", commission=2000,
                                   at=later(9)), at=later(9))
    release_due(session, now=later(16), policy=POLICY)
    assert bal(session, sharer) == Balance("CNY", withdrawing=1500, owed=500)
    assert txns(session)[-2:] == ["release", "repayment"]


def test_only_this_partners_clicks_attribute(session, partner, family) -> None:
    other = Partner(slug="other", network="jd", name="x", currency="CNY", allowed_hosts=[])
    session.add(other)
    session.flush()
    c = click(session, sharer=family[0], partner=other)
    counts = record(session, partner, order("o1", sub=c), order("o2", sub="dg999999"),
                    order("o3", sub="not-ours"), order("o4"))
    assert (counts.new, counts.attributed) == (4, 0)
    assert all(bal(session, who) == Balance("CNY") for who in family)
    platform = session.scalar(select(func.count()).select_from(Conversion)
                              .where(Conversion.user_id.is_(None)))
    assert platform == 4
    assert_books_balance(session)


def test_a_sharer_without_inviters_leaves_their_shares_to_the_platform(session, partner) -> None:
    alone = user(session)
    record(session, partner, order(sub=click(session, sharer=alone, partner=partner)))
    assert bal(session, alone) == Balance("CNY", pending=500)
