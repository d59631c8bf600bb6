"""Matching in the database: ingest joins offers across partners, rebuild, manual decisions."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.ingest import ingest_offers
from aggregator.matching.manual import MatchingError, live_product, merge_products, split_offer
from aggregator.matching.store import match_pending, rebuild
from aggregator.models import Offer, Partner, Product, ProductPin
from aggregator.records import OfferRecord
from tests.aggregator.factories import fresh, offer
from tests.conftest import FIXED_NOW

NOW = FIXED_NOW
DAY = timedelta(days=1)
EAN13 = "5012345678900"
GTIN14 = "05012345678900"  # the same code as a GTIN-14 (GMC sends 14 digits)


@pytest.fixture
def awin(session: Session) -> Partner:
    return _partner(session, "awin", "Awin")


@pytest.fixture
def gmc(session: Session) -> Partner:
    return _partner(session, "gmc", "Google Merchant Center")


def _partner(session: Session, slug: str, name: str) -> Partner:
    row = Partner(slug=slug, network=slug, name=name, currency="GBP",
                  allowed_hosts=[f"{slug}.example.com"])
    session.add(row)
    session.flush()
    return row


def rec(partner: Partner, external_id: str, title: str, **fields: Any) -> OfferRecord:
    """A record as ``partner`` would send it (currency and URL of that partner)."""
    values: dict[str, Any] = {"partner": partner.slug, "title": title,
                              "url": f"https://{partner.slug}.example.com/p/{external_id}",
                              "currency": partner.currency, "price": 9900}
    values.update(fields)
    return offer(external_id, **values)


def ingest(session: Session, partner: Partner, records: list[OfferRecord],
           now: datetime = NOW) -> None:
    """A crawl's ingest, then the matching that follows every crawl."""
    ingest_offers(session, partner=partner, records=records, now=now)
    match_pending(session, now=now)
    fresh(session)


def product_ids(session: Session) -> dict[str, int]:
    """external id → product id of every offer (external ids are unique in these tests)."""
    fresh(session)
    return dict(session.execute(select(Offer.external_id, Offer.product_id)).all())


def groups(session: Session) -> set[frozenset[str]]:
    """The partition of offers into products, by external id."""
    by_product: dict[int, set[str]] = {}
    for ext, pid in product_ids(session).items():
        by_product.setdefault(pid, set()).add(ext)
    return {frozenset(g) for g in by_product.values()}


def product(session: Session, product_id: int) -> Product:
    fresh(session)
    row = session.get(Product, product_id)
    assert row is not None
    return row


def pins(session: Session) -> dict[str, tuple[int, str]]:
    """external id → (pinned product id, decision)."""
    fresh(session)
    rows = session.execute(select(Offer.external_id, ProductPin.product_id, ProductPin.decision)
                           .join(Offer, Offer.id == ProductPin.offer_id)).all()
    return {ext: (pid, decision) for ext, pid, decision in rows}


def offer_id(session: Session, external_id: str) -> int:
    found = session.scalar(select(Offer.id).where(Offer.external_id == external_id))
    assert found is not None
    return found


# ---- across partners ----

def test_ean13_and_gtin14_of_one_product_are_one_product(
        session: Session, awin: Partner, gmc: Partner) -> None:
    ingest(session, awin, [rec(awin, "aw-1", "Sony WH-1000XM5 Wireless Noise Cancelling "
                                             "Headphones - Black", brand="Sony", gtin=EAN13)])
    ingest(session, gmc, [rec(gmc, "gm-1", "WH1000XM5 kabellose Kopfhörer", brand=None,
                              gtin=GTIN14, price=31900)], now=NOW + DAY)

    ids = product_ids(session)
    assert ids["aw-1"] == ids["gm-1"]
    assert session.query(Product).count() == 1
    row = product(session, ids["aw-1"])
    assert row.gtin == GTIN14
    offers = session.scalars(select(Offer).where(Offer.product_id == row.id)).all()
    assert sorted(o.partner_id for o in offers) == sorted([awin.id, gmc.id])
    assert {o.gtin for o in offers} == {GTIN14}  # both offers store the 14-digit form


def test_a_wrong_check_digit_does_not_join(session: Session, awin: Partner,
                                           gmc: Partner) -> None:
    ingest(session, awin, [rec(awin, "aw-1", "Sony WH-1000XM5", brand="Sony", gtin=EAN13)])
    ingest(session, gmc, [rec(gmc, "gm-1", "Kopfhörer", gtin="05012345678901")])
    ids = product_ids(session)
    assert ids["aw-1"] != ids["gm-1"]


def test_same_phone_in_two_capacities_stays_apart(session: Session, partner: Partner,
                                                  awin: Partner) -> None:
    ingest(session, partner, [
        rec(partner, "tb-256", "三星 Samsung Galaxy S24 256GB 曜石黑", brand="Samsung"),
        rec(partner, "tb-512", "三星 Samsung Galaxy S24 512GB 曜石黑", brand="Samsung"),
    ])
    ingest(session, awin, [
        rec(awin, "aw-256", "Samsung Galaxy S24 256GB Black", brand="Samsung"),
        rec(awin, "aw-512", "Samsung Galaxy S24 512GB Black", brand="Samsung"),
        # one part number for both capacities: the variant still tells them apart
        rec(awin, "aw-512-mpn", "Samsung Galaxy S24 Smartphone 512GB", brand="Samsung",
            mpn="SM-S921B"),
        rec(awin, "aw-256-mpn", "Samsung Galaxy S24 Smartphone 256GB", brand="Samsung",
            mpn="SM-S921B"),
    ], now=NOW + DAY)

    ids = product_ids(session)
    assert ids["tb-256"] != ids["tb-512"]
    assert ids["aw-256"] == ids["tb-256"]
    assert ids["aw-512"] == ids["tb-512"]
    assert ids["aw-512-mpn"] != ids["aw-256-mpn"]
    assert ids["aw-512-mpn"] != ids["tb-256"]
    assert ids["aw-256-mpn"] != ids["tb-512"]


def test_same_food_in_two_weights_stays_apart(session: Session, partner: Partner,
                                              awin: Partner) -> None:
    ingest(session, partner, [
        rec(partner, "tb-5.4", "Whiskas 伟嘉 成猫猫粮 海洋鱼味 5.4kg", brand="Whiskas/伟嘉"),
        rec(partner, "tb-2", "Whiskas 伟嘉 成猫猫粮 海洋鱼味 2kg", brand="Whiskas/伟嘉"),
    ])
    ingest(session, awin, [
        rec(awin, "aw-5400g", "Whiskas 成猫猫粮 海洋鱼味 5400g", brand="Whiskas"),
        rec(awin, "aw-4斤", "Whiskas 成猫猫粮 海洋鱼味 4斤", brand="Whiskas"),
    ], now=NOW + DAY)

    ids = product_ids(session)
    assert ids["tb-5.4"] != ids["tb-2"]
    assert ids["aw-5400g"] == ids["tb-5.4"]
    assert ids["aw-4斤"] == ids["tb-2"]


def test_product_found_by_title_learns_its_gtin(session: Session, partner: Partner,
                                               awin: Partner, gmc: Partner) -> None:
    ingest(session, partner, [rec(partner, "tb-1", "Sony WH-1000XM5 Wireless Noise "
                                                   "Cancelling Headphones Black", brand="Sony")])
    pid = product_ids(session)["tb-1"]
    assert product(session, pid).gtin is None

    ingest(session, awin, [rec(awin, "aw-1", "Sony WH1000XM5 Wireless Noise Cancelling "
                                             "Headphones, Black", brand="Sony", gtin=EAN13)],
           now=NOW + DAY)
    assert product_ids(session)["aw-1"] == pid
    assert product(session, pid).gtin == GTIN14
    assert product(session, pid).updated_at == NOW + DAY

    # now the GTIN alone finds it, whatever the title says
    ingest(session, gmc, [rec(gmc, "gm-1", "WH1000XM5 Kopfhörer", gtin=GTIN14)],
           now=NOW + 2 * DAY)
    assert product_ids(session)["gm-1"] == pid
    # the Awin offer's own product, made at ingest, was folded into it
    assert session.query(Product).filter(Product.merged_into_id.is_(None)).count() == 1


def test_offers_of_one_batch_match_each_other(session: Session, awin: Partner) -> None:
    ingest(session, awin, [
        rec(awin, "a", "Apple iPhone 15 256GB Black", brand="Apple"),
        rec(awin, "b", "Apple iPhone 15 256GB Black", brand="Apple/苹果"),
        rec(awin, "c", "Apple iPhone 16 256GB Black", brand="Apple"),
    ])
    ids = product_ids(session)
    assert ids["a"] == ids["b"] != ids["c"]


# ---- incremental ingest and rebuild ----

def _catalog(session: Session, taobao: Partner, awin: Partner, gmc: Partner) -> None:
    ingest(session, taobao, [
        rec(taobao, "tb-1", "Apple iPhone 15 256GB 黑色", brand="Apple"),
        rec(taobao, "tb-2", "【官方正品】Apple/苹果 iPhone 15 512GB 黑色", brand="Apple/苹果"),
        rec(taobao, "tb-3", "Whiskas 伟嘉 成猫猫粮 海洋鱼味 5.4kg", brand="Whiskas/伟嘉"),
        rec(taobao, "tb-4", "Whiskas 伟嘉 成猫猫粮 海洋鱼味 2kg", brand="Whiskas/伟嘉"),
        rec(taobao, "tb-5", "Samsung Galaxy S24 256GB Onyx Black", brand="Samsung",
            mpn="SM-S921B"),
    ])
    ingest(session, awin, [
        rec(awin, "aw-1", "Apple iPhone 15 256GB Black", brand="Apple"),
        rec(awin, "aw-2", "Apple iPhone 15 128GB Black", brand="Apple"),
        rec(awin, "aw-3", "Samsung Galaxy S24 Smartphone 256GB Black", brand="Samsung",
            mpn="SM-S921B"),
        rec(awin, "aw-4", "Sony WH-1000XM5 Headphones", brand="Sony", gtin=EAN13),
        rec(awin, "aw-5", "Whiskas 成猫猫粮 海洋鱼味 5400g", brand="Whiskas"),
    ], now=NOW + DAY)
    ingest(session, gmc, [
        rec(gmc, "gm-1", "WH1000XM5 Over-Ear", gtin=GTIN14),
        rec(gmc, "gm-2", "Apple iPhone 15 512GB Black", brand="Apple"),
    ], now=NOW + 2 * DAY)


CATALOG_GROUPS = {
    frozenset({"tb-1", "aw-1"}), frozenset({"tb-2", "gm-2"}), frozenset({"tb-3", "aw-5"}),
    frozenset({"tb-4"}), frozenset({"tb-5", "aw-3"}), frozenset({"aw-2"}),
    frozenset({"aw-4", "gm-1"}),
}


def test_incremental_batches_keep_earlier_product_ids(session: Session, partner: Partner,
                                                      awin: Partner, gmc: Partner) -> None:
    ingest(session, partner, [
        rec(partner, "tb-1", "Apple iPhone 15 256GB 黑色", brand="Apple"),
        rec(partner, "tb-2", "Apple iPhone 15 512GB 黑色", brand="Apple"),
    ])
    first = product_ids(session)
    first_products = {p.id: (p.title, p.variant) for p in session.scalars(select(Product))}

    ingest(session, awin, [
        rec(awin, "aw-1", "Apple iPhone 15 512GB Black", brand="Apple"),
        rec(awin, "aw-2", "Apple iPhone 15 1TB Black", brand="Apple"),
    ], now=NOW + DAY)
    # and the first partner's offers again, with new prices: they stay where they were
    ingest(session, partner, [
        rec(partner, "tb-1", "Apple iPhone 15 256GB 黑色", brand="Apple", price=8999),
        rec(partner, "tb-2", "Apple iPhone 15 512GB 黑色", brand="Apple", price=9999),
    ], now=NOW + DAY)

    now_ids = product_ids(session)
    assert {ext: now_ids[ext] for ext in first} == first
    assert now_ids["aw-1"] == first["tb-2"]
    assert now_ids["aw-2"] not in first.values()
    for pid, (title, variant) in first_products.items():
        row = product(session, pid)
        assert (row.title, row.variant, row.merged_into_id) == (title, variant, None)


def test_catalog_groups(session: Session, partner: Partner, awin: Partner,
                        gmc: Partner) -> None:
    _catalog(session, partner, awin, gmc)
    assert groups(session) == CATALOG_GROUPS


def test_rebuild_gives_the_incremental_grouping_and_is_idempotent(
        session: Session, partner: Partner, awin: Partner, gmc: Partner) -> None:
    _catalog(session, partner, awin, gmc)
    before = product_ids(session)

    first = rebuild(session, now=NOW + 3 * DAY)
    assert groups(session) == CATALOG_GROUPS
    assert product_ids(session) == before  # a cluster keeps its product id
    assert (first.offers, first.products, first.moved, first.created) == (12, 7, 0, 0)

    second = rebuild(session, now=NOW + 4 * DAY)
    assert (second.moved, second.created, second.retired_products) == (0, 0, 0)
    assert product_ids(session) == before


def test_rebuild_regroups_a_scrambled_catalog(session: Session, partner: Partner,
                                              awin: Partner, gmc: Partner) -> None:
    _catalog(session, partner, awin, gmc)
    before = product_ids(session)
    # scramble: every offer to the product of tb-4 (as a bad matcher version might)
    target = before["tb-4"]
    session.execute(Offer.__table__.update().values(product_id=target))
    fresh(session)

    result = rebuild(session, now=NOW + 3 * DAY)
    assert groups(session) == CATALOG_GROUPS
    assert result.moved > 0
    assert rebuild(session, now=NOW + 4 * DAY).moved == 0
    for pid in set(product_ids(session).values()):
        assert product(session, pid).merged_into_id is None


def test_rebuild_keeps_a_learned_gtin(session: Session, partner: Partner, awin: Partner,
                                      gmc: Partner) -> None:
    ingest(session, partner, [rec(partner, "tb-1", "Sony WH-1000XM5 Wireless Noise "
                                                   "Cancelling Headphones Black", brand="Sony")])
    ingest(session, awin, [rec(awin, "aw-1", "Sony WH1000XM5 Wireless Noise Cancelling "
                                             "Headphones, Black", brand="Sony", gtin=EAN13)],
           now=NOW + DAY)
    ingest(session, gmc, [rec(gmc, "gm-1", "WH1000XM5 Kopfhörer", gtin=GTIN14)],
           now=NOW + 2 * DAY)
    before = product_ids(session)
    assert len(set(before.values())) == 1

    rebuild(session, now=NOW + 3 * DAY)
    assert product_ids(session) == before
    assert product(session, before["tb-1"]).gtin == GTIN14


# ---- manual decisions ----

TB_TITLE = "iPhone15 256G 黑色 国行正品 全新未激活"
AW_TITLE = "Apple iPhone 15 Smartphone 256GB Black"


def _two_products(session: Session, taobao: Partner, awin: Partner) -> tuple[int, int]:
    """Two products a person knows are one (Taobao names no brand: nothing to block on)."""
    ingest(session, taobao, [rec(taobao, "tb-1", TB_TITLE)])
    ingest(session, awin, [rec(awin, "aw-1", AW_TITLE, brand="Apple")], now=NOW + DAY)
    ids = product_ids(session)
    assert ids["tb-1"] != ids["aw-1"]
    return ids["tb-1"], ids["aw-1"]


def _recrawl_with_new_prices(session: Session, taobao: Partner, awin: Partner,
                             when: datetime) -> None:
    ingest(session, taobao, [rec(taobao, "tb-1", TB_TITLE, price=5999)], now=when)
    ingest(session, awin, [rec(awin, "aw-1", AW_TITLE, brand="Apple", price=69900)], now=when)


def test_merge_moves_offers_and_pins_them(session: Session, partner: Partner,
                                          awin: Partner) -> None:
    keep, other = _two_products(session, partner, awin)

    moved = merge_products(session, keep_id=keep, other_id=other, now=NOW + 2 * DAY,
                           note="same phone")
    assert moved == 1
    assert product_ids(session) == {"tb-1": keep, "aw-1": keep}
    assert product(session, other).merged_into_id == keep
    assert product(session, keep).merged_into_id is None
    assert pins(session) == {"aw-1": (keep, "merge")}
    pin = session.scalar(select(ProductPin))
    assert pin is not None and pin.note == "same phone"
    live = live_product(session, other)
    assert live is not None and live.id == keep


def test_merge_survives_a_recrawl_and_a_rebuild(session: Session, partner: Partner,
                                                awin: Partner) -> None:
    keep, other = _two_products(session, partner, awin)
    merge_products(session, keep_id=keep, other_id=other, now=NOW + 2 * DAY)

    _recrawl_with_new_prices(session, partner, awin, NOW + 3 * DAY)
    assert product_ids(session) == {"tb-1": keep, "aw-1": keep}
    rebuild(session, now=NOW + 4 * DAY)
    assert product_ids(session) == {"tb-1": keep, "aw-1": keep}
    assert product(session, other).merged_into_id == keep
    assert product(session, keep).merged_into_id is None
    assert rebuild(session, now=NOW + 5 * DAY).moved == 0


def test_merge_into_the_newer_product_survives_a_rebuild(
        session: Session, partner: Partner, awin: Partner) -> None:
    older, newer = _two_products(session, partner, awin)
    merge_products(session, keep_id=newer, other_id=older, now=NOW + 2 * DAY)
    assert product_ids(session) == {"tb-1": newer, "aw-1": newer}

    rebuild(session, now=NOW + 3 * DAY)
    assert product_ids(session) == {"tb-1": newer, "aw-1": newer}


def test_split_gives_the_offer_its_own_product(session: Session, awin: Partner,
                                               gmc: Partner) -> None:
    ingest(session, awin, [rec(awin, "aw-1", "Sony WH-1000XM5 Headphones", brand="Sony",
                               gtin=EAN13)])
    ingest(session, gmc, [rec(gmc, "gm-1", "Sony WH-1000XM5 Headphones (refurb)",
                              brand="Sony", gtin=GTIN14)], now=NOW + DAY)
    shared = product_ids(session)["aw-1"]
    assert product_ids(session)["gm-1"] == shared

    new = split_offer(session, offer_id=offer_id(session, "gm-1"), now=NOW + 2 * DAY,
                      note="refurbished")
    assert new != shared
    assert product_ids(session) == {"aw-1": shared, "gm-1": new}
    assert pins(session) == {"gm-1": (new, "split")}
    assert product(session, new).gtin is None  # the GTIN stays with the product it left
    assert product(session, shared).gtin == GTIN14

    # a re-crawl with new prices, a rebuild, and a new offer with the GTIN
    ingest(session, awin, [rec(awin, "aw-1", "Sony WH-1000XM5 Headphones", brand="Sony",
                               gtin=EAN13, price=27900)], now=NOW + 3 * DAY)
    ingest(session, gmc, [rec(gmc, "gm-1", "Sony WH-1000XM5 Headphones (refurb)",
                              brand="Sony", gtin=GTIN14, price=19900)], now=NOW + 3 * DAY)
    assert product_ids(session) == {"aw-1": shared, "gm-1": new}
    rebuild(session, now=NOW + 4 * DAY)
    assert product_ids(session) == {"aw-1": shared, "gm-1": new}
    assert rebuild(session, now=NOW + 5 * DAY).moved == 0
    ingest(session, gmc, [rec(gmc, "gm-2", "WH1000XM5", gtin=GTIN14)], now=NOW + 6 * DAY)
    assert product_ids(session)["gm-2"] == shared


def test_splitting_the_older_offer_survives_a_rebuild(session: Session, awin: Partner,
                                                      gmc: Partner) -> None:
    ingest(session, awin, [rec(awin, "aw-1", "Sony WH-1000XM5 Headphones (refurb)",
                               brand="Sony", gtin=EAN13)])
    ingest(session, gmc, [rec(gmc, "gm-1", "Sony WH-1000XM5 Headphones", brand="Sony",
                              gtin=GTIN14)], now=NOW + DAY)
    shared = product_ids(session)["aw-1"]
    new = split_offer(session, offer_id=offer_id(session, "aw-1"), now=NOW + 2 * DAY)
    assert product_ids(session) == {"aw-1": new, "gm-1": shared}

    rebuild(session, now=NOW + 3 * DAY)
    assert product_ids(session) == {"aw-1": new, "gm-1": shared}


def test_a_new_twin_of_a_merged_offer_joins_the_merge(session: Session, partner: Partner,
                                                      awin: Partner, gmc: Partner) -> None:
    keep, other = _two_products(session, partner, awin)
    merge_products(session, keep_id=keep, other_id=other, now=NOW + 2 * DAY)
    ingest(session, gmc, [rec(gmc, "gm-1", AW_TITLE, brand="Apple")], now=NOW + 3 * DAY)
    assert product_ids(session)["gm-1"] == keep


def test_merge_errors(session: Session, partner: Partner, awin: Partner) -> None:
    keep, other = _two_products(session, partner, awin)
    with pytest.raises(MatchingError):
        merge_products(session, keep_id=keep, other_id=keep, now=NOW)
    with pytest.raises(MatchingError):
        merge_products(session, keep_id=keep, other_id=10**9, now=NOW)
    with pytest.raises(MatchingError):
        merge_products(session, keep_id=10**9, other_id=keep, now=NOW)
    merge_products(session, keep_id=keep, other_id=other, now=NOW)
    with pytest.raises(MatchingError):  # other now lives on as keep: the same product
        merge_products(session, keep_id=keep, other_id=other, now=NOW)
    with pytest.raises(MatchingError):
        split_offer(session, offer_id=10**9, now=NOW)
    assert product_ids(session) == {"tb-1": keep, "aw-1": keep}


def test_live_product_follows_merges(session: Session, partner: Partner, awin: Partner,
                                     gmc: Partner) -> None:
    a, b = _two_products(session, partner, awin)
    ingest(session, gmc, [rec(gmc, "gm-1", "Samsung Galaxy S24 256GB", brand="Samsung")])
    c = product_ids(session)["gm-1"]

    merge_products(session, keep_id=a, other_id=b, now=NOW + DAY)  # b -> a
    merge_products(session, keep_id=c, other_id=b, now=NOW + 2 * DAY)  # b lives as a: a -> c
    fresh(session)
    for pid in (a, b, c):
        live = live_product(session, pid)
        assert live is not None and live.id == c, pid
    assert product(session, a).merged_into_id == c
    assert product(session, b).merged_into_id == c  # re-pointed, no chain to walk
    assert set(product_ids(session).values()) == {c}
    assert live_product(session, 10**9) is None


def test_ingest_matches_by_gtin_only_and_leaves_titles_to_match_pending(
        session: Session, partner: Partner, awin: Partner, gmc: Partner) -> None:
    ingest_offers(session, partner=partner, now=NOW, records=[
        rec(partner, "tb", "Sony WH-1000XM5 Wireless Headphones Black", brand="Sony")])
    ingest_offers(session, partner=awin, now=NOW, records=[
        rec(awin, "aw", "Sony WH-1000XM5 Wireless Headphones, Black", brand="Sony",
            gtin=EAN13)])
    ingest_offers(session, partner=gmc, now=NOW, records=[
        rec(gmc, "gm", "WH1000XM5 Kopfhörer", gtin=GTIN14)])
    fresh(session)
    ids = product_ids(session)
    assert ids["aw"] == ids["gm"] != ids["tb"]  # the GTIN joined them at once
    assert all(product(session, pid).match_pending for pid in ids.values())

    result = match_pending(session, now=NOW + DAY)
    fresh(session)
    assert (result.products, result.merged, result.offers_moved) == (2, 1, 2)
    ids = product_ids(session)
    assert len(set(ids.values())) == 1
    kept = product(session, ids["tb"])
    assert not kept.match_pending and kept.gtin == GTIN14 and kept.brand_key == "sony"
    assert match_pending(session, now=NOW + DAY).products == 0  # nothing left to do
