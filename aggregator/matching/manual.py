"""A person's corrections: merge two products, split an offer off into its own product.

Each moved offer is pinned (``product_pins``) so neither a re-crawl nor a rebuild undoes
the decision. A merged-away product keeps its row with ``merged_into_id`` set, so its
old page redirects to the product that absorbed it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from aggregator.bulk import insert_ids
from aggregator.matching.store import OfferFacts, product_row
from aggregator.models import Offer, Product, ProductPin


class MatchingError(ValueError):
    """A merge or split that cannot be done (unknown ids, merging a product into itself)."""


def _pin(session: Session, offer_ids: list[int], product_id: int, decision: str,
         note: str | None, now: datetime) -> None:
    existing = dict(session.execute(
        select(ProductPin.offer_id, ProductPin.id).where(ProductPin.offer_id.in_(offer_ids))
    ).all()) if offer_ids else {}
    for offer_id in offer_ids:
        values = {"product_id": product_id, "decision": decision, "note": note,
                  "created_at": now}
        if offer_id in existing:
            session.execute(update(ProductPin).where(ProductPin.id == existing[offer_id])
                            .values(**values))
        else:
            session.add(ProductPin(offer_id=offer_id, **values))
    session.flush()


def live_product(session: Session, product_id: int) -> Product | None:
    """The product an id stands for now, following merges."""
    product = session.get(Product, product_id)
    seen: set[int] = set()
    while product is not None and product.merged_into_id is not None:
        if product.id in seen:  # a cycle would be a bug; stop rather than loop
            break
        seen.add(product.id)
        product = session.get(Product, product.merged_into_id)
    return product


def merge_products(session: Session, *, keep_id: int, other_id: int, now: datetime,
                   note: str | None = None) -> int:
    """Move every offer of ``other_id`` to ``keep_id``; returns how many moved."""
    keep, other = live_product(session, keep_id), live_product(session, other_id)
    if keep is None or other is None:
        raise MatchingError(f"no product {keep_id if keep is None else other_id}")
    if keep.id == other.id:
        raise MatchingError("a product cannot be merged into itself")
    offer_ids = list(session.scalars(select(Offer.id).where(Offer.product_id == other.id)))
    session.execute(update(Offer).where(Offer.product_id == other.id)
                    .values(product_id=keep.id), execution_options={"synchronize_session": False})
    _pin(session, offer_ids, keep.id, "merge", note, now)
    session.execute(update(Product).where(Product.merged_into_id == other.id)
                    .values(merged_into_id=keep.id))
    other.merged_into_id, other.updated_at = keep.id, now
    if keep.gtin is None and other.gtin is not None:
        keep.gtin = other.gtin
    keep.updated_at = now
    session.flush()
    return len(offer_ids)


def split_offer(session: Session, *, offer_id: int, now: datetime,
                note: str | None = None) -> int:
    """Give one offer a product of its own; returns the new product's id."""
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise MatchingError(f"no offer {offer_id}")
    facts = OfferFacts(title=offer.title, brand=offer.brand, category=offer.category,
                       image_url=offer.image_url, gtin=offer.gtin, mpn=offer.mpn,
                       taxonomy_id=offer.taxonomy_id)
    keys = facts.keys()
    # The new product stands alone: no key of it draws other offers (a GTIN shared
    # with the product the offer left stays with that product).
    row = product_row(facts, keys, now) | {"gtin": None, "block_key": None,
                                           "model_key": None}
    (product_id,) = insert_ids(session, Product, [row])
    offer.product_id = product_id
    _pin(session, [offer_id], product_id, "split", note, now)
    return product_id
