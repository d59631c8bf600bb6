"""Withdrawals: minimum, available only, approve → paid, reject gives the money back,
each decision once."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from aggregator.affiliate.conversions import record_orders, release_due
from aggregator.affiliate.ledger import Balance, balances
from aggregator.affiliate.withdrawals import (
    WithdrawalError,
    approve,
    mark_paid,
    reject,
    request_withdrawal,
)
from aggregator.models import Partner, User
from tests.aggregator.money_support import POLICY, assert_books_balance, click, later, order, user
from tests.conftest import FIXED_NOW

NOW = later(8)


@pytest.fixture
def rich(session: Session, partner: Partner) -> User:
    """A sharer with 2,500 available (a released 5,000 commission at 50%)."""
    sharer = user(session)
    record_orders(session, partner=partner, now=FIXED_NOW, source="sync", policy=POLICY,
                  records=[order(sub=click(session, sharer=sharer, partner=partner),
                                 status="confirmed", commission=5000)])
    release_due(session, now=later(7), policy=POLICY)
    return sharer


def ask(session: Session, who: User, amount: int) -> int:
    return request_withdrawal(session, user_id=who.id, currency="CNY", amount=amount, now=NOW,
                              minimum=1000).id


def test_request_approve_pay(session, rich) -> None:
    admin = user(session, name="admin")
    wid = ask(session, rich, 2000)
    assert balances(session, user_id=rich.id) == [Balance("CNY", available=500, withdrawing=2000)]
    approve(session, withdrawal_id=wid, admin_id=admin.id, now=NOW)
    assert mark_paid(session, withdrawal_id=wid, admin_id=admin.id, now=NOW).status == "paid"
    assert balances(session, user_id=rich.id) == [Balance("CNY", available=500, paid=2000)]
    assert_books_balance(session)


def test_reject_gives_the_money_back(session, rich) -> None:
    admin = user(session, name="admin")
    wid = ask(session, rich, 2500)
    row = reject(session, withdrawal_id=wid, admin_id=admin.id, now=NOW, note="bank details")
    assert (row.status, row.note) == ("rejected", "bank details")
    assert balances(session, user_id=rich.id) == [Balance("CNY", available=2500)]
    assert_books_balance(session)


@pytest.mark.parametrize(("amount", "message"), [
    (999, "smallest withdrawal"),
    (2501, "only 2500"),
    (0, "smallest withdrawal"),
    (-5, "smallest withdrawal"),
])
def test_refused_requests(session, rich, amount: int, message: str) -> None:
    with pytest.raises(WithdrawalError, match=message):
        ask(session, rich, amount)
    assert balances(session, user_id=rich.id) == [Balance("CNY", available=2500)]


def test_each_decision_happens_once(session, rich) -> None:
    admin = user(session, name="admin")
    wid = ask(session, rich, 1000)
    with pytest.raises(WithdrawalError, match="requested, not approved"):
        mark_paid(session, withdrawal_id=wid, admin_id=admin.id, now=NOW)
    approve(session, withdrawal_id=wid, admin_id=admin.id, now=NOW)
    for decide in (approve, reject):
        with pytest.raises(WithdrawalError, match="approved, not requested"):
            decide(session, withdrawal_id=wid, admin_id=admin.id, now=NOW)
    mark_paid(session, withdrawal_id=wid, admin_id=admin.id, now=NOW)
    with pytest.raises(WithdrawalError, match="paid, not approved"):
        mark_paid(session, withdrawal_id=wid, admin_id=admin.id, now=NOW)
    with pytest.raises(WithdrawalError, match="no such"):
        approve(session, withdrawal_id=10**9, admin_id=admin.id, now=NOW)
    assert balances(session, user_id=rich.id) == [Balance("CNY", available=1500, paid=1000)]
