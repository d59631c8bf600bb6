"""Home shelves, category counts and the sitemap's product ranges."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from aggregator import sections, sitemap
from aggregator.category_counts import counts_cache
from aggregator.ingest import ingest_offers
from aggregator.matching.manual import merge_products
from aggregator.models import Offer, Partner
from aggregator.taxonomy import load_taxonomy
from tests.aggregator.factories import coupon, offer, offer_row
from tests.conftest import FIXED_NOW as NOW

HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    counts_cache.clear()


def ids(views: list[sections.OfferView]) -> list[str]:
    return [v.offer.external_id for v in views]


def test_hot_deals_by_score_in_stock_only(session: Session, partner: Partner) -> None:
    ingest_offers(session, partner=partner, now=NOW, records=[
        offer("a"), offer("b"), offer("c", in_stock=False)])
    session.execute(update(Offer).where(Offer.external_id == "a").values(score=10))
    session.execute(update(Offer).where(Offer.external_id == "b").values(score=900))
    assert ids(sections.shelves(session, now=NOW).hot) == ["b", "a"]


def test_just_dropped_newest_drop_first(session: Session, partner: Partner) -> None:
    ingest_offers(session, partner=partner, now=NOW - 10 * HOUR,
                  records=[offer("a", price=5000), offer("b", price=5000), offer("c")])
    ingest_offers(session, partner=partner, now=NOW - 5 * HOUR, records=[offer("a", price=4000)])
    ingest_offers(session, partner=partner, now=NOW - HOUR, records=[offer("b", price=4500)])
    ingest_offers(session, partner=partner, now=NOW - HOUR, records=[offer("c", price=20000)])
    assert ids(sections.shelves(session, now=NOW).dropped) == ["b", "a"]
    assert sections.shelves(session, now=NOW + timedelta(days=4)).dropped == []


def test_coupons_ending_soon(session: Session, partner: Partner) -> None:
    ingest_offers(session, partner=partner, now=NOW, records=[
        offer("soon", coupons=(coupon("c1", min_spend=0, ends_at=NOW + 5 * HOUR),)),
        offer("sooner", coupons=(coupon("c2", min_spend=0, ends_at=NOW + 2 * HOUR),)),
        offer("later", coupons=(coupon("c3", min_spend=0, ends_at=NOW + 72 * HOUR),)),
        offer("spend", price=1000, coupons=(coupon("c4", min_spend=5000,
                                                   ends_at=NOW + HOUR),)),
        offer("plain"),
    ])
    ending = sections.shelves(session, now=NOW).ending
    assert ids(ending) == ["sooner", "soon"]  # a coupon that cannot apply is not a deal
    assert all(v.coupon is not None for v in ending)


def test_top_categories_count_whole_subtrees(session: Session, partner: Partner) -> None:
    taxonomy = load_taxonomy()
    root = taxonomy.roots()[0]
    child = taxonomy.children(root.id)[0]
    ingest_offers(session, partner=partner, now=NOW, records=[offer("a"), offer("b"),
                                                              offer("c")])
    session.execute(update(Offer).where(Offer.external_id.in_(["a", "b"]))
                    .values(taxonomy_id=child.id))
    session.execute(update(Offer).where(Offer.external_id == "c").values(taxonomy_id=root.id))
    counts = sections.top_categories(session)
    assert [(c.taxonomy_id, c.offers) for c in counts] == [(root.id, 3)]
    # cached: a change shows after the cache's lifetime, not on every request
    session.execute(update(Offer).where(Offer.external_id == "c").values(retired_at=NOW))
    assert sections.top_categories(session)[0].offers == 3
    counts_cache.clear()
    assert sections.top_categories(session)[0].offers == 2


def test_sitemap_lists_live_unmerged_products(session: Session, partner: Partner) -> None:
    ingest_offers(session, partner=partner, now=NOW, records=[offer("a"), offer("b"),
                                                              offer("gone")])
    a, b, gone = (offer_row(session, e) for e in ("a", "b", "gone"))
    session.execute(update(Offer).where(Offer.id == gone.id).values(retired_at=NOW))
    merge_products(session, keep_id=a.product_id, other_id=b.product_id, now=NOW)
    assert sitemap.sitemap_files(session) == 1
    assert sitemap.product_ids(session, file_no=0) == [a.product_id]
    assert sitemap.product_ids(session, file_no=5) == []
