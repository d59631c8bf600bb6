"""Search: tokens (pure, table-driven) and the index on both databases, with filters,
sorts, keyset pages and both query plans."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from aggregator import catalog_walk
from aggregator.catalog import OfferFilters, list_offers
from aggregator.ingest import ingest_offers
from aggregator.models import Offer, Partner
from aggregator.search import index_pending, parse_query
from aggregator.search import query as search_query
from aggregator.search.tokens import document, query_terms
from tests.aggregator.factories import coupon, offer
from tests.conftest import FIXED_NOW as NOW


@pytest.mark.parametrize(
    ("title", "must_hold"),
    [
        ("完美日记口红哑光唇膏", {"口红", "唇膏"}),
        ("维达抽纸纸巾 3层120抽", {"纸巾", "抽纸"}),
        ("华为无线蓝牙耳机 降噪", {"耳机", "蓝牙", "无线"}),
        ("ＡＰＰＬＥ iPhone 15", {"apple", "iphone", "15"}),  # full-width folded
        ("Sony WH-1000XM5 Wireless Headphones", {"sony", "1000xm5", "headphones"}),
        ("海飞丝洗发水", {"洗发水", "洗发"}),
    ],
)
def test_document_holds_the_words_shoppers_type(title: str, must_hold: set[str]) -> None:
    assert must_hold <= set(document(title=title).split())


def test_document_adds_brand_spellings_and_shop() -> None:
    words = set(document(title="iPhone 15 256GB", brand="Apple", shop="Apple Store",
                         category="手机").split())
    assert {"苹果", "apple", "store", "手机"} <= words


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("口红", [("口红", False)]),
        ("  耳机 ", [("耳机", False)]),
        ("无线耳机", [("无线", False), ("耳机", False)]),
        ("headph", [("headph", True)]),
        ("贵", [("贵", True)]),  # a lone character finds words that start with it
        ("Sony the headphones", [("sony", True), ("headphones", True)]),
        ("iPhone 15", [("iphone", True), ("15", True)]),
        ("口红 口红", [("口红", False)]),
        ("<script>alert(1)</script>", [("script", True), ("alert", True), ("1", True)]),
        ("\"' OR 1=1 --", [("or", True), ("1", True)]),
        ("   ", []),
        ("!!!", []),
    ],
)
def test_query_terms(q: str, expected: list[tuple[str, bool]]) -> None:
    assert [(t.text, t.prefix) for t in query_terms(q)] == expected


def test_queries_are_capped() -> None:
    assert len(query_terms(" ".join(f"w{i}" for i in range(30)))) == 8


TITLES = {
    "1": "完美日记口红哑光唇膏 正品",
    "2": "迪奥烈艳蓝金口红999",
    "3": "维达抽纸纸巾 3层 24包",
    "4": "华为FreeBuds 无线蓝牙耳机",
    "5": "Sony WH-1000XM5 Wireless Headphones",
    "6": "Apple iPhone 15 Pro 256GB",
    "7": "心相印纸巾 湿巾",
}


@pytest.fixture
def catalog(session: Session, partner: Partner) -> Session:
    prices = {"1": 8900, "2": 32000, "3": 3990, "4": 59900, "5": 27900, "6": 799900,
              "7": 1990}
    records = [offer(ext, title=title, price=prices[ext],
                     brand="Apple" if ext == "6" else None,
                     coupons=(coupon(f"c{ext}", amount=1000, min_spend=0),)
                     if ext in {"1", "3"} else ())
               for ext, title in TITLES.items()]
    ingest_offers(session, partner=partner, records=records, now=NOW)
    while index_pending(session, batch=3):
        pass
    return session


def found(session: Session, q: str, **filters: object) -> list[str]:
    page = list_offers(session, filters=OfferFilters(q=q, **filters), now=NOW)  # type: ignore[arg-type]
    return [v.offer.external_id for v in page.items]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("口红", {"1", "2"}),
        ("纸巾", {"3", "7"}),
        ("耳机", {"4"}),
        ("蓝牙耳机", {"4"}),
        ("headph", {"5"}),
        ("HEADPHONES", {"5"}),
        ("苹果", {"6"}),  # the brand's Chinese name finds the English title
        ("iphone 256", {"6"}),
        ("口红 纸巾", set()),  # every word must match
        ("不存在的东西", set()),
        ("\"' OR 1=1 --", set()),
    ],
)
def test_search_finds(catalog: Session, q: str, expected: set[str]) -> None:
    assert set(found(catalog, q)) == expected


@pytest.fixture(params=["few", "many", "many-probed"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every query plan answers the same: the id list (few hits), the walk of a sort index
    against the hits' bitmap, and that walk giving way to probing the index row by row."""
    if request.param != "few":
        monkeypatch.setattr(search_query, "FEW", 0)
    if request.param == "many-probed":
        monkeypatch.setattr(catalog_walk, "WALK_ROWS", 1)
        monkeypatch.setattr(catalog_walk, "FIRST_CHUNK", 1)
    return str(request.param)


def test_search_combines_with_filters_and_sorts(catalog: Session, plan: str) -> None:
    assert found(catalog, "纸巾", sort="final_price") == ["7", "3"]
    assert found(catalog, "纸巾", sort="price", max_price=2000) == ["7"]
    assert found(catalog, "纸巾", has_coupon=True) == ["3"]
    assert found(catalog, "口红", sort="price") == ["1", "2"]


def test_search_pages_by_keyset(catalog: Session, plan: str) -> None:
    first = list_offers(catalog, filters=OfferFilters(q="纸巾", sort="price", limit=1), now=NOW)
    assert [v.offer.external_id for v in first.items] == ["7"]
    assert first.next_cursor
    second = list_offers(catalog, filters=OfferFilters(q="纸巾", sort="price", limit=1,
                                                       cursor=first.next_cursor), now=NOW)
    assert [v.offer.external_id for v in second.items] == ["3"]
    assert second.next_cursor is None


def test_changed_titles_are_indexed_again(catalog: Session, partner: Partner,
                                          plan: str) -> None:
    assert set(found(catalog, "纸巾")) == {"3", "7"}  # cached, for the "many" plans
    ingest_offers(catalog, partner=partner, records=[offer("3", title="清风卷纸 卫生纸")],
                  now=NOW)
    assert catalog.scalar(select(Offer.search_pending).where(Offer.external_id == "3"))
    assert index_pending(catalog) == 1
    assert found(catalog, "纸巾") == ["7"]
    assert found(catalog, "卷纸") == ["3"]


def test_retired_offers_are_not_found(catalog: Session, plan: str) -> None:
    catalog.execute(update(Offer).where(Offer.external_id == "1").values(retired_at=NOW))
    assert found(catalog, "口红") == ["2"]


def test_a_query_without_words_filters_nothing(catalog: Session) -> None:
    assert parse_query("!!!") is None
    assert len(found(catalog, "!!!")) == len(TITLES)
