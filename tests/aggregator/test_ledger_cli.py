"""`daogou ledger`: release due commissions, decide withdrawals, print the books."""

from __future__ import annotations

from sqlalchemy import Engine
from typer.testing import CliRunner

from aggregator.affiliate.conversions import record_orders
from aggregator.affiliate.withdrawals import request_withdrawal
from aggregator.cli.main import app
from aggregator.db import session_scope
from aggregator.models import Partner
from aggregator.timeutil import utcnow
from tests.aggregator.money_support import POLICY, click, order, user

RUNNER = CliRunner()


def test_release_then_decide_withdrawals(committed: Engine) -> None:
    with session_scope(committed) as s:
        partner = Partner(slug="taobao", network="taobao", name="t", currency="CNY",
                          allowed_hosts=[])
        s.add(partner)
        s.flush()
        sharer = user(s)
        admin = user(s, name="boss")
        admin.is_admin = True
        record_orders(s, partner=partner, source="sync", now=utcnow() - POLICY.hold * 2,
                      policy=POLICY, records=[order(sub=click(s, sharer=sharer,
                                                              partner=partner),
                                                    status="confirmed", commission=10000)])
        sharer_id, admin_email, sharer_email = sharer.id, admin.email, sharer.email
    released = RUNNER.invoke(app, ["ledger", "release"])
    assert released.exit_code == 0 and "released 1 commissions" in released.output
    with session_scope(committed) as s:
        first = request_withdrawal(s, user_id=sharer_id, currency="CNY", amount=3000,
                                   now=utcnow()).id
        second = request_withdrawal(s, user_id=sharer_id, currency="CNY", amount=2000,
                                    now=utcnow()).id
    listed = RUNNER.invoke(app, ["ledger", "withdrawals"])
    assert sharer_email in listed.output and "30.00" in listed.output
    assert RUNNER.invoke(app, ["ledger", "approve", str(first), "--by", sharer_email]
                         ).exit_code != 0  # not an admin
    for args in (["approve", str(first)], ["paid", str(first)],
                 ["reject", str(second), "--note", "wrong account"]):
        done = RUNNER.invoke(app, ["ledger", *args, "--by", admin_email])
        assert done.exit_code == 0, done.output
    again = RUNNER.invoke(app, ["ledger", "paid", str(first), "--by", admin_email])
    assert again.exit_code == 1 and "paid, not approved" in again.output
    books = RUNNER.invoke(app, ["ledger", "totals"])
    assert books.exit_code == 0 and "available" in books.output and "paid" in books.output
