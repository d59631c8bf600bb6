"""Matching against the database: new offers join products, a rebuild redoes them all.

Incremental: a batch of new offers loads only the products that could match it (by
GTIN, by brand + part number, by fuzzy block: three indexed queries) and creates
products for the rest. Offers pinned by a person (``product_pins``) never move.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, true, tuple_, update
from sqlalchemy.orm import Session

from aggregator.bulk import insert_ids, update_by_id
from aggregator.gtin import normalize_gtin
from aggregator.matching.keys import MatchKeys, match_keys
from aggregator.matching.matcher import Matcher
from aggregator.models import Offer, Product, ProductPin
from aggregator.taxonomy import load_taxonomy
from aggregator.text import clip

_PRODUCT_KEY_COLUMNS = (Product.id, Product.gtin, Product.brand_key, Product.model_key,
                        Product.variant, Product.title_key, Product.taxonomy_id,
                        Product.merged_into_id)


@dataclass(frozen=True, slots=True)
class OfferFacts:
    """What matching reads of an offer (a crawled record or a stored row)."""

    title: str
    brand: str | None
    category: str | None
    image_url: str | None
    gtin: str | None
    mpn: str | None
    taxonomy_id: int | None

    def keys(self) -> MatchKeys:
        return match_keys(title=self.title, brand=self.brand, mpn=self.mpn, gtin=self.gtin,
                          taxonomy_id=taxonomy_root(self.taxonomy_id))


def taxonomy_root(node_id: int | None) -> int | None:
    taxonomy = load_taxonomy()
    return taxonomy.top(node_id) if node_id in taxonomy.nodes else None


def _stored_keys(row: Any) -> MatchKeys:
    return MatchKeys(gtin=row.gtin, brand=row.brand_key, model=row.model_key,
                     variant=row.variant or "", title=row.title_key or "",
                     taxonomy_id=taxonomy_root(row.taxonomy_id))


def _described(facts: OfferFacts, now: datetime) -> dict[str, Any]:
    """A new product's descriptive columns, taken from the offer that founds it."""
    return {"title": clip(facts.title, 500), "brand": clip(facts.brand, 120),
            "category": clip(facts.category, 255), "image_url": facts.image_url,
            "taxonomy_id": facts.taxonomy_id, "created_at": now, "updated_at": now}


def product_row(facts: OfferFacts, keys: MatchKeys, now: datetime) -> dict[str, Any]:
    """A new, matched product: described by its founding offer, keyed by its keys."""
    return {**_described(facts, now), **_key_values(keys, now)}


def _candidates(session: Session, keys: Sequence[MatchKeys], *,
                matched_only: bool = False) -> tuple[Matcher, set[int]]:
    """The products these keys could match, and which of them have no GTIN yet."""
    gtins = {k.gtin for k in keys if k.gtin}
    models = {(k.brand, k.model) for k in keys if k.brand and k.model}
    blocks = {b for k in keys if (b := k.block)}
    rows: dict[int, Any] = {}
    settled = Product.match_pending.is_(False) if matched_only else true()
    if gtins:
        for row in session.execute(select(*_PRODUCT_KEY_COLUMNS)
                                   .where(Product.gtin.in_(gtins), settled)):
            rows[row.id] = row
    if models:
        for row in session.execute(
                select(*_PRODUCT_KEY_COLUMNS)
                .where(tuple_(Product.brand_key, Product.model_key).in_(models), settled)):
            rows[row.id] = row
    if blocks:
        for row in session.execute(select(*_PRODUCT_KEY_COLUMNS)
                                   .where(Product.block_key.in_(blocks), settled)):
            rows[row.id] = row
    matcher = Matcher()
    for product_id in sorted(rows):  # oldest first, as a rebuild would have added them
        # A merged-away product's keys now lead to the product that absorbed it.
        row = rows[product_id]
        matcher.add(row.merged_into_id or product_id, _stored_keys(row))
    return matcher, {pid for pid, row in rows.items()
                     if row.gtin is None and row.merged_into_id is None}


def place_new_offers(session: Session, *, offers: Sequence[OfferFacts],
                     now: datetime) -> list[int]:
    """A product id for each new offer, in order, as cheaply as a crawl needs it.

    An offer whose GTIN a product already has joins it; every other offer gets a new
    product marked ``match_pending``, which ``match_pending`` then matches by part
    number and title (GTINs are exact; titles need keys, which cost more than the
    rest of ingest together).
    """
    gtins = [normalize_gtin(o.gtin) for o in offers]
    known: dict[str, int] = {}
    wanted = {g for g in gtins if g}
    if wanted:
        for product_id, gtin, merged_into in session.execute(
                select(Product.id, Product.gtin, Product.merged_into_id)
                .where(Product.gtin.in_(wanted)).order_by(Product.id)):
            if gtin is not None:
                known.setdefault(gtin, merged_into or product_id)
    founders: list[int] = []
    assigned: list[int] = []  # product id, or -(position of the founding offer + 1)
    for at, gtin in enumerate(gtins):
        if gtin and gtin in known:
            assigned.append(known[gtin])
            continue
        founders.append(at)
        assigned.append(-(at + 1))
        if gtin:
            known[gtin] = -(at + 1)
    rows = [{**_described(offers[i], now), "gtin": gtins[i], "match_pending": True}
            for i in founders]
    real = dict(zip((-(i + 1) for i in founders), insert_ids(session, Product, rows),
                    strict=True))
    return [real.get(pid, pid) for pid in assigned]


@dataclass
class PendingResult:
    products: int = 0  # pending products looked at
    merged: int = 0  # folded into an existing (or earlier pending) product
    offers_moved: int = 0


def match_pending(session: Session, *, now: datetime, batch: int = 500) -> PendingResult:
    """Match products that crawls created since the last run, oldest first.

    Each is compared (by its first offer's keys) with the matched catalog and with the
    pending products before it; a hit folds it into that product (its offers move, its
    URL redirects), a miss makes it a matched product with its own keys. Does not
    commit; deterministic for the same catalog.
    """
    result = PendingResult()
    last_id = 0
    while True:
        pending = list(session.execute(
            select(Product.id, Product.gtin).where(Product.match_pending.is_(True),
                                                   Product.id > last_id)
            .order_by(Product.id).limit(batch)))
        if not pending:
            return result
        last_id = pending[-1].id
        facts = _founding_offers(session, [p.id for p in pending])
        keyed = [(p.id, p.gtin, facts[p.id].keys()) for p in pending if p.id in facts]
        matcher, lacking_gtin = _candidates(session, [k for _, _, k in keyed],
                                            matched_only=True)
        settled: dict[int, dict[str, Any]] = {}  # pending product -> its key columns
        folded: list[dict[str, Any]] = []
        learned: dict[int, str] = {}  # product -> the GTIN a folded product brought it
        for product_id, gtin, keys in keyed:
            hit = matcher.find(keys)
            if hit is None:
                matcher.add(product_id, keys)
                settled[product_id] = {"id": product_id, **_key_values(keys, now),
                                       "gtin": gtin, "match_pending": False}
                if gtin is None:
                    lacking_gtin.add(product_id)
                continue
            target = hit[0]
            folded.append({"id": product_id, "merged_into_id": target,
                           "match_pending": False, "updated_at": now})
            result.offers_moved += _move_offers(session, product_id, target)
            if gtin and target in lacking_gtin:
                lacking_gtin.discard(target)
                learned[target] = gtin
                matcher.add(target, MatchKeys(gtin=gtin, brand=None, model=None,
                                              variant="", title=""))
        for target, gtin in learned.items():
            if target in settled:
                settled[target]["gtin"] = gtin
        update_by_id(session, Product, list(settled.values()))
        update_by_id(session, Product, [{"id": pid, "gtin": gtin, "updated_at": now}
                                        for pid, gtin in learned.items() if pid not in settled])
        # Products without offers (all retired before matching) just stop being pending.
        orphans = [{"id": p.id, "match_pending": False} for p in pending if p.id not in facts]
        update_by_id(session, Product, folded)
        update_by_id(session, Product, orphans)
        result.products += len(pending)
        result.merged += len(folded)


def _founding_offers(session: Session, product_ids: list[int]) -> dict[int, OfferFacts]:
    """Each product's oldest offer, whose keys the product takes."""
    found: dict[int, OfferFacts] = {}
    for row in session.execute(
            select(Offer.product_id, Offer.title, Offer.brand, Offer.category,
                   Offer.image_url, Offer.gtin, Offer.mpn, Offer.taxonomy_id)
            .where(Offer.product_id.in_(product_ids)).order_by(Offer.id)):
        found.setdefault(row.product_id, OfferFacts(
            title=row.title, brand=row.brand, category=row.category,
            image_url=row.image_url, gtin=row.gtin, mpn=row.mpn,
            taxonomy_id=row.taxonomy_id))
    return found


def _move_offers(session: Session, source: int, target: int) -> int:
    moved = session.execute(update(Offer).where(Offer.product_id == source)
                            .values(product_id=target),
                            execution_options={"synchronize_session": False})
    return int(getattr(moved, "rowcount", 0) or 0)


# ---- rebuild ----

@dataclass
class RebuildResult:
    offers: int = 0
    products: int = 0
    moved: int = 0
    created: int = 0
    retired_products: int = 0


def _stored_offers(session: Session, batch: int) -> Iterator[tuple[int, int, OfferFacts]]:
    stmt = (select(Offer.id, Offer.product_id, Offer.title, Offer.brand, Offer.category,
                   Offer.image_url, Offer.gtin, Offer.mpn, Offer.taxonomy_id)
            .order_by(Offer.id).execution_options(yield_per=batch))
    for row in session.execute(stmt):
        yield row.id, row.product_id, OfferFacts(
            title=row.title, brand=row.brand, category=row.category, image_url=row.image_url,
            gtin=row.gtin, mpn=row.mpn, taxonomy_id=row.taxonomy_id)


def rebuild(session: Session, *, now: datetime, batch: int = 5000) -> RebuildResult:
    """Match the whole catalog from scratch, oldest offer first; a person's word is kept.

    A cluster keeps the product id its oldest offer had (so product URLs stay), the
    keys of that offer become the product's; products left without offers point to
    where their offers went. Pinned offers stay where they were pinned, a product a
    person merged into keeps its own offers, and a split-off offer's keys draw nothing
    to it.
    """
    pins = {offer_id: (product_id, decision) for offer_id, product_id, decision in
            session.execute(select(ProductPin.offer_id, ProductPin.product_id,
                                   ProductPin.decision))}
    merge_targets = {pid for pid, decision in pins.values() if decision == "merge"}
    matcher = Matcher()
    claimed: set[int] = set()
    result = RebuildResult()
    moves: list[dict[str, Any]] = []
    founders: dict[int, dict[str, Any]] = {}  # claimed product -> its new key columns
    new_products: list[tuple[OfferFacts, MatchKeys]] = []
    learned: dict[int, str] = {}  # product -> a GTIN one of its later offers brought
    went_to: dict[int, int] = {}  # old product -> a product that took one of its offers

    def found(target: int, keys: MatchKeys, facts: OfferFacts) -> None:
        claimed.add(target)
        matcher.add(target, keys)
        founders[target] = {**_key_values(keys, now), "taxonomy_id": facts.taxonomy_id}

    for offer_id, old_product, facts in _stored_offers(session, batch):
        result.offers += 1
        keys = facts.keys()
        if offer_id in pins:
            target, decision = pins[offer_id]
            if target not in claimed:
                claimed.add(target)
                if decision == "merge":
                    matcher.add(target, keys)
        elif old_product in merge_targets:
            target = old_product
            if target not in claimed:
                found(target, keys, facts)
        elif (hit := matcher.find(keys)) is not None:
            target = hit[0]
            if keys.gtin and hit[1] != "gtin":
                matcher.add(target, MatchKeys(gtin=keys.gtin, brand=None, model=None,
                                              variant="", title=""))
                learned.setdefault(target, keys.gtin)
        elif old_product not in claimed:
            target = old_product
            found(target, keys, facts)
        else:
            target = -(len(new_products) + 1)
            new_products.append((facts, keys))
            claimed.add(target)
            matcher.add(target, keys)
        went_to.setdefault(old_product, target)
        if target != old_product:
            moves.append({"id": offer_id, "product_id": target})
    rows = [product_row(f, k, now) for f, k in new_products]
    for at, row in enumerate(rows):
        if row["gtin"] is None and -(at + 1) in learned:
            row["gtin"] = learned[-(at + 1)]
    ids = insert_ids(session, Product, rows)
    real = {-(i + 1): pid for i, pid in enumerate(ids)}
    for move in moves:
        move["product_id"] = real.get(move["product_id"], move["product_id"])
    for pid, values in founders.items():
        if values["gtin"] is None and pid in learned:
            values["gtin"] = learned[pid]
    update_by_id(session, Product, [{"id": pid, **values} for pid, values in founders.items()])
    update_by_id(session, Offer, moves)
    emptied = [{"id": old, "merged_into_id": real.get(new, new), "match_pending": False,
                "updated_at": now}
               for old, new in went_to.items() if old not in claimed]
    update_by_id(session, Product, emptied)
    claimed_existing = {pid for pid in claimed if pid > 0}
    result.products, result.moved = len(claimed_existing) + len(ids), len(moves)
    result.created, result.retired_products = len(ids), len(emptied)
    return result


def _key_values(keys: MatchKeys, now: datetime) -> dict[str, Any]:
    return {"gtin": keys.gtin, "brand_key": keys.brand, "model_key": keys.model,
            "variant": keys.variant or None, "block_key": keys.block,
            "title_key": keys.title or None, "merged_into_id": None, "match_pending": False,
            "updated_at": now}
