"""`daogou seed`: a generated catalog that is deterministic, honest and renders.

One catalog is seeded per module in a transaction rolled back at the end (seeding is
the slow part); every database test here reads it through that one session, so no
second connection waits on its locks.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from aggregator.cli.main import app as cli
from aggregator.db import get_engine
from aggregator.history import WINDOW
from aggregator.matching.keys import match_keys
from aggregator.models import Coupon, Offer, Partner, PriceObservation, Product
from aggregator.pricing import best_coupon
from aggregator.seed import (
    COMMON_TERM_EN,
    COMMON_TERM_ZH,
    RARE_TERM,
    RARE_TERMS,
    TWO_CHAR_TERM,
    SeedCounts,
    bulk_load_engine,
    has_offers,
    prepare_seed,
    reset_catalog,
    seed_catalog,
)
from aggregator.seeding.lines import CN, LINES, RARE_LINES, UK, term_share
from aggregator.seeding.pipeline import ProducedBatches
from aggregator.seeding.rows import row_batches
from aggregator.settings import get_settings
from aggregator.taxonomy import load_taxonomy
from tests.conftest import FIXED_NOW
from web.app import create_app
from web.deps import get_now, get_session

OFFERS = 1500
Seeded = tuple[Session, SeedCounts]


@pytest.fixture(scope="module")
def seeded(engine: Engine) -> Iterator[Seeded]:
    with engine.connect() as conn:
        outer = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint",
                          expire_on_commit=False)
        try:
            counts = seed_catalog(session, offers=OFFERS, now=FIXED_NOW, batch=400)
            session.flush()
            yield session, counts
        finally:
            session.close()
            outer.rollback()


def _offers(session: Session) -> list[Offer]:
    return list(session.scalars(select(Offer).order_by(Offer.id)))


def test_counts(seeded: Seeded) -> None:
    session, counts = seeded
    assert counts.offers == OFFERS == session.scalar(select(func.count(Offer.id)))
    assert counts.products == session.scalar(select(func.count(Product.id)))
    assert OFFERS / 4 < counts.products < OFFERS
    assert 3 * OFFERS <= counts.observations <= 8 * OFFERS
    assert counts.coupons > OFFERS / 3 and counts.vouchers > 10
    assert counts.observations == session.scalar(select(func.count(PriceObservation.id)))


def test_same_seed_same_catalog(seeded: Seeded) -> None:
    session, _ = seeded
    spec = prepare_seed(session, offers=OFFERS, now=FIXED_NOW).spec
    rows = [r for batch in row_batches(spec, 500) for r in batch.offers]
    stored = _offers(session)
    assert [(r["title"], r["price"], r["final_price"]) for r in rows] == [
        (o.title, o.price, o.final_price) for o in stored]
    other = prepare_seed(session, offers=OFFERS, now=FIXED_NOW, seed=2).spec
    titles = [r["title"] for batch in row_batches(other, 500) for r in batch.offers]
    assert len(titles) == OFFERS and titles != [o.title for o in stored]


def test_producer_process_builds_the_same_rows(seeded: Seeded) -> None:
    spec = prepare_seed(seeded[0], offers=120, now=FIXED_NOW, seed=7).spec
    assert list(ProducedBatches(spec, 50)) == list(row_batches(spec, 50))


def test_final_prices_are_what_live_coupons_give(seeded: Seeded) -> None:
    session, _ = seeded
    coupons: dict[int, list[Coupon]] = defaultdict(list)
    for c in session.scalars(select(Coupon).where(Coupon.offer_id.is_not(None),
                                                  Coupon.retired_at.is_(None))):
        coupons[c.offer_id or 0].append(c)
    discounted = 0
    for o in _offers(session):
        assert 0 <= o.final_price <= o.price
        assert best_coupon(coupons[o.id], o.price, FIXED_NOW)[1] == o.final_price
        discounted += o.final_price < o.price
    assert discounted > OFFERS / 3


def test_money_is_integer_minor_units(seeded: Seeded) -> None:
    session, _ = seeded
    for o in _offers(session):
        for value in (o.price, o.final_price, o.list_price, o.ref_price, o.prior_low_30d,
                      o.prior_low_all, o.commission_bp):
            assert value is None or type(value) is int
    for c in session.scalars(select(Coupon)):
        assert all(v is None or type(v) is int
                   for v in (c.amount, c.percent_bp, c.min_spend, c.remaining, c.total))
    for price, final in session.execute(select(PriceObservation.price,
                                               PriceObservation.final_price)):
        assert type(price) is int and type(final) is int


def test_times_are_utc_and_recent(seeded: Seeded) -> None:
    session, _ = seeded
    oldest = FIXED_NOW - timedelta(days=90)
    for o in _offers(session):
        for moment in (o.first_seen_at, o.updated_at):
            assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)
            assert oldest <= moment <= FIXED_NOW
        assert o.first_seen_at <= o.updated_at and o.last_run_id is None
    for c in session.scalars(select(Coupon)):
        assert c.ends_at is not None and c.ends_at.tzinfo == UTC


def test_history_backs_the_honest_price_columns(seeded: Seeded) -> None:
    """3-8 observations, the last one the current price; the reference price is the
    lowest price in force in the 30 days before it, as aggregator.history defines."""
    session, _ = seeded
    history = defaultdict(list)
    for row in session.execute(select(PriceObservation).order_by(
            PriceObservation.offer_id, PriceObservation.observed_at)).scalars():
        history[row.offer_id].append(row)
    lows = 0
    for o in _offers(session):
        seen = history[o.id]
        assert 3 <= len(seen) <= 8 and seen[0].observed_at == o.first_seen_at
        last, before = seen[-1], seen[:-1]
        assert (last.price, last.final_price, last.observed_at) == (
            o.price, o.final_price, o.updated_at)
        start = last.observed_at - WINDOW
        held = [s for s in before if s.observed_at <= start][-1:] + [
            s for s in before if s.observed_at > start]
        assert o.ref_price == min(s.price for s in held)
        assert o.prior_low_all == min(s.final_price for s in before)
        lows += o.prior_low_30d is not None and o.final_price <= o.prior_low_30d
    assert lows > OFFERS / 10  # the low_30d badge is earned, and not by everyone
    assert lows < OFFERS * 0.9


def test_products_compare_partners_and_are_keyed_like_the_matcher(seeded: Seeded) -> None:
    session, _ = seeded
    offers: dict[int, list[Offer]] = defaultdict(list)
    for o in _offers(session):
        offers[o.product_id].append(o)
    partners = Counter(len({o.partner_id for o in group}) for group in offers.values())
    assert set(partners) <= {1, 2, 3, 4} and partners[1] < len(offers) * 0.7
    assert partners[3] + partners[4] > len(offers) / 20
    for product in session.scalars(select(Product)):
        group = offers[product.id]
        assert len({o.partner_id for o in group}) == len(group)  # one offer per partner
        assert len({o.currency for o in group}) == 1
        founder = group[0]
        keys = match_keys(title=founder.title, brand=founder.brand, mpn=founder.mpn,
                          gtin=founder.gtin)
        assert (product.title, product.match_pending, product.merged_into_id) == (
            founder.title, False, None)
        assert (product.brand_key, product.model_key, product.variant or "",
                product.title_key or "", product.block_key) == (
            keys.brand, keys.model, keys.variant, keys.title, keys.block)
        assert product.taxonomy_id == founder.taxonomy_id is not None


def _share(session: Session, term: str, currency: str) -> float:
    titles = session.scalars(select(Offer.title).where(Offer.currency == currency)).all()
    return sum(term.casefold() in t.casefold() for t in titles) / len(titles)


@pytest.mark.parametrize(("term", "market", "currency"), [
    (COMMON_TERM_ZH, CN, "CNY"), (TWO_CHAR_TERM, CN, "CNY"), ("手机", CN, "CNY"),
    (COMMON_TERM_EN, UK, "GBP"), ("lipstick", UK, "GBP"),
])
def test_search_terms_follow_their_zipf_shares(seeded: Seeded, term: str, market: str,
                                               currency: str) -> None:
    expected = term_share(term, market)
    assert expected > 0.05
    assert abs(_share(seeded[0], term, currency) - expected) < max(0.3 * expected, 0.02)


def test_benchmark_terms(seeded: Seeded) -> None:
    session, _ = seeded
    titles = session.scalars(select(Offer.title)).all()
    assert len(TWO_CHAR_TERM) == 2 and RARE_TERM in RARE_TERMS
    for term, count in RARE_TERMS.items():  # a fixed handful at any size from 400 offers
        assert sum(term.casefold() in t.casefold() for t in titles) == count
    assert term_share(COMMON_TERM_ZH, CN) == max(term_share(line.term, CN)
                                                 for line in LINES[CN])


def test_lines_hold_no_other_lines_terms() -> None:
    """Only nouns carry search terms, so each term's share is what the weights say."""
    lines = [*LINES[CN], *LINES[UK], *RARE_LINES[CN], *RARE_LINES[UK]]
    for line in lines:
        words = " ".join((*line.series, *line.variants, *line.colours, *line.attributes))
        for other in lines:
            if other is not line:
                assert other.term.casefold() not in words.casefold(), (line.term, other.term)
        if not line.fixed:  # a rare line's term may be its model or brand: counted exactly
            assert all(line.term.casefold() in noun.casefold() for noun in line.nouns)


def test_categories_links_and_shops(seeded: Seeded) -> None:
    session, _ = seeded
    taxonomy = load_taxonomy()
    partners = {p.id: p for p in session.scalars(select(Partner))}
    for o in _offers(session):
        partner = partners[o.partner_id]
        assert o.taxonomy_id is not None
        assert taxonomy.map(partner.network, o.category) == o.taxonomy_id
        assert urlsplit(o.url).hostname in partner.allowed_hosts
        assert (o.image_url or "").startswith("http://")
        assert (o.merchant_id is None) == (partner.network in ("gmc", "html"))
        assert bool(o.gtin) <= (partner.network in ("jd", "html", "awin", "gmc"))
        assert o.raw["seeded"] == "1" and len(o.content_hash) == 32
    assert sum(not o.in_stock for o in _offers(session)) < OFFERS / 10


def test_coupons_and_vouchers(seeded: Seeded) -> None:
    session, _ = seeded
    offer_coupons = session.scalars(select(Coupon).where(Coupon.offer_id.is_not(None))).all()
    assert {c.currency for c in offer_coupons} == {"CNY"}
    chinese = session.scalar(select(func.count(Offer.id)).where(Offer.currency == "CNY")) or 1
    live = {c.offer_id for c in offer_coupons
            if c.retired_at is None and c.ends_at and c.ends_at > FIXED_NOW}
    assert 0.5 < len(live) / chinese < 0.7
    assert any(c.min_spend == 0 for c in offer_coupons)  # 无门槛
    assert any(c.title.startswith("满") for c in offer_coupons)  # 满减
    soon = [c for c in offer_coupons if c.ends_at and
            FIXED_NOW < c.ends_at <= FIXED_NOW + timedelta(hours=48)]
    expired = [c for c in offer_coupons if c.ends_at and c.ends_at < FIXED_NOW]
    assert soon and expired and any(c.retired_at for c in offer_coupons)
    vouchers = session.scalars(select(Coupon).where(Coupon.offer_id.is_(None))).all()
    assert vouchers and all(v.merchant_id and v.currency == "GBP" for v in vouchers)
    assert sum(v.code is not None for v in vouchers) > len(vouchers) / 2


def test_reset_empties_the_catalog_and_keeps_partners(seeded: Seeded) -> None:
    session, _ = seeded
    partners = session.scalar(select(func.count(Partner.id)))
    savepoint = session.begin_nested()
    reset_catalog(session)
    assert not has_offers(session)
    assert session.scalar(select(func.count(Product.id))) == 0
    assert session.scalar(select(func.count(Partner.id))) == partners
    savepoint.rollback()
    assert has_offers(session)


def test_the_seeded_catalog_renders(seeded: Seeded) -> None:
    session, _ = seeded
    web = create_app()

    def _session() -> Iterator[Session]:
        yield session

    web.dependency_overrides[get_session] = _session
    web.dependency_overrides[get_now] = lambda: FIXED_NOW
    compared = session.scalars(select(Offer.product_id).group_by(Offer.product_id)
                               .having(func.count(Offer.partner_id.distinct()) >= 3)).all()
    english = session.scalar(select(Offer.product_id).where(Offer.currency == "GBP"))
    with TestClient(web) as client:
        assert client.get("/").status_code == 200
        for product_id in (compared[0], english):
            page = client.get(f"/products/{product_id}")
            assert page.status_code == 200, page.text
            assert session.get_one(Product, product_id).brand in page.text


def test_bulk_load_engine_trades_durability_for_speed(database_url: str) -> None:
    bulk = bulk_load_engine(database_url)
    try:
        with bulk.connect() as conn:
            if bulk.dialect.name == "postgresql":
                assert conn.scalar(text("SHOW synchronous_commit")) == "off"
            else:
                assert conn.scalar(text("PRAGMA synchronous")) == 0
                assert conn.scalar(text("PRAGMA cache_size")) < -100_000
    finally:
        bulk.dispose()


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The command line against its own SQLite file, whatever the suite runs on."""
    url = f"sqlite:///{tmp_path / 'seed.db'}"
    monkeypatch.setenv("DAOGOU_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield url
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def test_cli_refuses_to_seed_over_a_catalog_without_reset(cli_database: str) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["seed", "--offers", "60", "--seed", "3"])
    assert first.exit_code == 0, first.output
    assert "Seeded catalog" in first.output and "60" in first.output
    again = runner.invoke(cli, ["seed", "--offers", "60"])
    assert again.exit_code == 1
    assert "already has offers" in again.output and "--reset" in again.output
    reset = runner.invoke(cli, ["seed", "--offers", "40", "--reset"])
    assert reset.exit_code == 0, reset.output
    with get_engine().connect() as conn:
        assert conn.scalar(select(func.count(Offer.id))) == 40
        assert conn.scalar(select(func.count(Partner.id))) == 7
