"""A realistic generated catalog of any size, written straight into the database.

For search and listing benchmarks (10k to 1M offers) and for demos: the demo partners
of data/partners.toml, Chinese titles on CNY partners and English ones on GBP
partners, real brands, taxonomy categories, products listed by 1-4 partners, 满减
coupons, vouchers with codes and 3-8 price observations per offer, every stored price
column as ingest would have written it. Deterministic for a seed and a size.

Images point at the sandbox partner server (``/img/…`` on DAOGOU_SANDBOX_HOST/PORT),
which draws a picture for any name: run ``daogou sandbox`` to see them.

The benchmark terms below are chosen so that at 1M offers the common ones match
tens of thousands of titles and the rare one a fixed handful at any size.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from aggregator.models import Partner
from aggregator.partners import PartnerConfig, load_partner_configs, sync_partners
from aggregator.seeding.coupons import merchant_vouchers
from aggregator.seeding.lines import RARE_LINES
from aggregator.seeding.maintenance import (
    analyze,
    bulk_load_engine,
    has_offers,
    reset_catalog,
)
from aggregator.seeding.pipeline import ProducedBatches
from aggregator.seeding.rows import BatchRows, SeedSpec, row_batches
from aggregator.seeding.shops import ADVERTISERS, VOUCHER_NETWORK, Shop
from aggregator.seeding.store import (
    SeedCounts,
    ensure_merchants,
    seller_merchants,
    sellers_of,
    write_rows,
    write_vouchers,
)
from aggregator.seeding.texts import voucher_url
from aggregator.settings import get_settings

__all__ = ["BATCH_OFFERS", "COMMON_TERM_EN", "COMMON_TERM_ZH", "RARE_TERM", "RARE_TERMS",
           "TWO_CHAR_TERM", "SeedCounts", "SeedPlan", "bulk_load_engine", "finish_seed",
           "has_offers", "prepare_seed", "reset_catalog", "seed_catalog", "write_batch"]

COMMON_TERM_ZH = "运动鞋"  # the most listed Chinese line: ~19% of all offers
COMMON_TERM_EN = "headphones"  # the most listed English line: ~6% of all offers
TWO_CHAR_TERM = "口红"  # a two-character word (a trigram index cannot find it): ~6%
RARE_TERM = "X2D"  # one camera line: exactly RARE_TERMS[RARE_TERM] offers from 400 up
RARE_TERMS: dict[str, int] = {line.term: line.fixed
                              for lines in RARE_LINES.values() for line in lines}
BATCH_OFFERS = 5000  # offers per transaction
BACKGROUND_FROM = 20_000  # offers from which a producer process builds the rows


@dataclass
class SeedPlan:
    """What prepare_seed set up: what to generate, and the voucher partners."""

    spec: SeedSpec
    voucher_partner_ids: list[int] = field(default_factory=list)

    def batches(self, size: int = BATCH_OFFERS, *,
                background: bool | None = None) -> Iterable[BatchRows]:
        """Row batches of about ``size`` offers. Large seeds (``background`` None: from
        BACKGROUND_FROM offers) start a producer process now, which builds them while
        the caller writes (see aggregator.seeding.pipeline)."""
        if background is None:
            background = self.spec.offers >= BACKGROUND_FROM
        if background:
            return ProducedBatches(self.spec, size)
        return row_batches(self.spec, size)


def prepare_seed(session: Session, *, offers: int, now: datetime, seed: int = 1,
                 configs: dict[str, PartnerConfig] | None = None,
                 sandbox: str | None = None) -> SeedPlan:
    """Partner rows from the config and their shops. Does not commit."""
    if offers < 1:
        raise ValueError("offers must be at least 1")
    partners = sync_partners(session, configs=load_partner_configs() if configs is None
                             else configs)
    sellers = sellers_of(partners)
    if not sellers:
        raise ValueError("no enabled partner has a catalog network to seed")
    partner_ids = {p.slug: p.id for p in partners}
    settings = get_settings()
    spec = SeedSpec(
        seed=seed, offers=offers, now=now, sellers=tuple(sellers), partner_ids=partner_ids,
        sandbox=sandbox or f"http://{settings.sandbox_host}:{settings.sandbox_port}",
        merchant_ids=seller_merchants(session, sellers=sellers, partner_ids=partner_ids))
    vouchers = [p.id for p in partners if p.enabled and p.network == VOUCHER_NETWORK]
    return SeedPlan(spec=spec, voucher_partner_ids=vouchers)


def write_batch(session: Session, *, rows: BatchRows) -> SeedCounts:
    """One batch of products with everything hanging off them. Does not commit."""
    return write_rows(session, rows=rows)


def _seed_vouchers(session: Session, *, plan: SeedPlan) -> int:
    written = 0
    for partner_id in plan.voucher_partner_ids:
        partner = session.get_one(Partner, partner_id)
        shops = [Shop(ext, name, None) for ext, name in ADVERTISERS]
        merchants = ensure_merchants(session, partner_id=partner.id, shops=shops)
        spec = plan.spec
        rng = random.Random(f"daogou-seed:{spec.seed}:vouchers:{partner.slug}")
        drafts = merchant_vouchers(rng, [ext for ext, _ in ADVERTISERS], spec.now)
        written += write_vouchers(
            session, partner=partner, vouchers=drafts, merchant_ids=merchants,
            url=voucher_url(tuple(partner.allowed_hosts or ()), spec.sandbox), now=spec.now)
    return written


def finish_seed(session: Session, *, plan: SeedPlan) -> SeedCounts:
    """Merchant-wide vouchers, then planner statistics. Does not commit."""
    counts = SeedCounts(vouchers=_seed_vouchers(session, plan=plan))
    analyze(session)
    return counts


def seed_catalog(session: Session, *, offers: int, now: datetime, seed: int = 1,
                 configs: dict[str, PartnerConfig] | None = None,
                 batch: int = BATCH_OFFERS) -> SeedCounts:
    """The whole seed in the caller's transaction (tests, small demos); does not commit.

    The command line commits batch by batch instead (see aggregator.cli.seed).
    """
    plan = prepare_seed(session, offers=offers, now=now, seed=seed, configs=configs)
    counts = SeedCounts()
    for rows in plan.batches(batch, background=False):
        counts.add(write_batch(session, rows=rows))
    counts.add(finish_seed(session, plan=plan))
    return counts
