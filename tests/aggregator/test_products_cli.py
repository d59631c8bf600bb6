"""`daogou products …` against a committed catalog."""

from __future__ import annotations

from sqlalchemy import Engine, select
from typer.testing import CliRunner

from aggregator.cli.main import app
from aggregator.db import session_scope
from aggregator.ingest import ingest_offers
from aggregator.models import Offer, Partner, Product, ProductPin
from tests.aggregator.factories import offer
from tests.conftest import FIXED_NOW

RUNNER = CliRunner()


def _catalog(engine: Engine) -> dict[str, Offer]:
    with session_scope(engine) as session:
        partner = Partner(slug="taobao", network="taobao", name="淘宝", currency="CNY",
                          allowed_hosts=[])
        session.add(partner)
        session.flush()
        ingest_offers(session, partner=partner, now=FIXED_NOW, records=[
            offer("a", title="小米 充电宝 10000毫安 白色", brand="小米"),
            offer("b", title="华为 蓝牙耳机 FreeBuds 5 白色", brand="华为"),
        ])
        return {o.external_id: o for o in session.scalars(select(Offer))}


def test_show_merge_split_and_rematch(committed: Engine) -> None:
    offers = _catalog(committed)
    a, b = offers["a"], offers["b"]
    assert a.product_id != b.product_id

    matched = RUNNER.invoke(app, ["products", "match"])
    assert matched.exit_code == 0, matched.output
    assert "matched 2 new products: 0 joined an existing product" in matched.output

    shown = RUNNER.invoke(app, ["products", "show", str(a.product_id)])
    assert shown.exit_code == 0, shown.output
    assert "小米 充电宝" in shown.output and "taobao" in shown.output

    merged = RUNNER.invoke(app, ["products", "merge", str(a.product_id), str(b.product_id),
                                 "--note", "same bundle"])
    assert merged.exit_code == 0, merged.output
    assert f"merged #{b.product_id} into #{a.product_id}: 1 offers moved" in merged.output

    rematched = RUNNER.invoke(app, ["products", "rematch"])
    assert rematched.exit_code == 0, rematched.output
    assert "2 offers → 1 products" in rematched.output
    with session_scope(committed) as session:
        assert session.get(Offer, b.id).product_id == a.product_id  # type: ignore[union-attr]
        gone = session.get(Product, b.product_id)
        assert gone is not None and gone.merged_into_id == a.product_id

    split = RUNNER.invoke(app, ["products", "split", str(b.id)])
    assert split.exit_code == 0, split.output
    with session_scope(committed) as session:
        moved = session.get(Offer, b.id)
        assert moved is not None and moved.product_id not in (a.product_id, b.product_id)
        pin = session.scalar(select(ProductPin).where(ProductPin.offer_id == b.id))
        assert pin is not None and pin.decision == "split"


def test_bad_ids_exit_non_zero_with_a_message(committed: Engine) -> None:
    offers = _catalog(committed)
    product_id = offers["a"].product_id
    for args, message in (
        (["products", "show", "999999"], "no product 999999"),
        (["products", "merge", str(product_id), str(product_id)], "cannot be merged into itself"),
        (["products", "merge", str(product_id), "999999"], "no product 999999"),
        (["products", "split", "999999"], "no offer 999999"),
    ):
        result = RUNNER.invoke(app, args)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, (args, result.output)
