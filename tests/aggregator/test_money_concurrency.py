"""Many processes at once: 50 identical reports credit once; withdrawals never overspend.
Each worker has its own connection and transaction, as web workers and spiders do."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from aggregator.affiliate.conversions import record_orders, release_due
from aggregator.affiliate.ledger import balances
from aggregator.affiliate.withdrawals import WithdrawalError, request_withdrawal
from aggregator.db import session_scope
from aggregator.models import Conversion, LedgerTransaction, Partner, Withdrawal
from tests.aggregator.money_support import POLICY, assert_books_balance, click, later, order, user
from tests.conftest import FIXED_NOW


def _at_once(n: int, work: Callable[[], Any]) -> list[Any]:
    def guarded() -> Any:
        try:
            return work()
        except WithdrawalError as exc:
            return exc
    with ThreadPoolExecutor(max_workers=n) as pool:
        return [f.result() for f in [pool.submit(guarded) for _ in range(n)]]


def _setup(engine: Engine) -> tuple[int, int, int]:
    with session_scope(engine) as s:
        partner = Partner(slug="taobao", network="taobao", name="t", currency="CNY",
                          allowed_hosts=[])
        s.add(partner)
        s.flush()
        sharer = user(s, inviter=user(s, inviter=user(s)))
        c = click(s, sharer=sharer, partner=partner)
        return partner.id, sharer.id, c.id


def test_fifty_identical_postbacks_credit_once(committed: Engine) -> None:
    partner_id, sharer_id, click_id = _setup(committed)

    def report(status: str, days: float) -> Callable[[], None]:
        def run() -> None:
            with session_scope(committed) as s:
                record_orders(s, partner=s.get(Partner, partner_id),  # type: ignore[arg-type]
                              records=[order(sub=f"dg{click_id}", status=status,
                                             at=later(days))],
                              source="postback", now=FIXED_NOW, policy=POLICY)
        return run

    _at_once(50, report("pending", 0))
    _at_once(20, report("confirmed", 1))
    with Session(committed) as s:
        assert s.scalar(select(func.count()).select_from(Conversion)) == 1
        assert list(s.scalars(select(LedgerTransaction.kind))) == ["accrual"]
        assert balances(s, user_id=sharer_id)[0].pending == 500
        assert release_due(s, now=later(8), policy=POLICY) == 1
        assert balances(s, user_id=sharer_id)[0].available == 500
        assert_books_balance(s)


def test_concurrent_withdrawals_never_overspend(committed: Engine) -> None:
    partner_id, sharer_id, click_id = _setup(committed)
    with session_scope(committed) as s:
        record_orders(s, partner=s.get(Partner, partner_id),  # type: ignore[arg-type]
                      records=[order(sub=f"dg{click_id}", status="confirmed", commission=2000)],
                      source="sync", now=FIXED_NOW, policy=POLICY)
        release_due(s, now=later(7), policy=POLICY)  # sharer: 1000 available

    def ask() -> Any:
        with session_scope(committed) as s:
            return request_withdrawal(s, user_id=sharer_id, currency="CNY", amount=300,
                                      now=later(7), minimum=100).id

    results = _at_once(10, ask)
    granted = [r for r in results if isinstance(r, int)]
    assert len(granted) == 3  # 3 × 300 ≤ 1000 < 4 × 300
    assert all(isinstance(r, WithdrawalError) for r in results if not isinstance(r, int))
    with Session(committed) as s:
        balance = balances(s, user_id=sharer_id)[0]
        assert (balance.available, balance.withdrawing) == (100, 900)
        assert s.scalar(select(func.count()).select_from(Withdrawal)) == 3
        assert_books_balance(s)
