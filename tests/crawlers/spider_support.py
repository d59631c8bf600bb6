"""Shared by the spider tests: a stand-in signed gateway and what a crawl left in the database.

The spiders run as real ``scrapy crawl`` processes; these helpers read the run rows and
offers they committed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from aggregator.models import CrawlRun, Offer, RejectedRecord
from crawlers.signing import verify_md5_sign

JSON = {"Content-Type": "application/json;charset=UTF-8"}
Reply = tuple[int, dict[str, str], bytes]


class SignedGateway:
    """Another server speaking a network's signed API (not our sandbox).

    It records every request's parameters, answers a bad signature with the network's
    own error envelope (``refusal``), and otherwise whatever ``answer`` says.
    """

    def __init__(self, secret: str, refusal: dict[str, Any]) -> None:
        self.secret, self.refusal = secret, refusal
        self.requests: list[dict[str, str]] = []

    def __call__(self, path: str, params: dict[str, str]) -> Reply:
        self.requests.append(params)
        if not verify_md5_sign(params, self.secret):
            return 200, JSON, orjson.dumps(self.refusal)
        return 200, JSON, self.answer(params)

    def answer(self, params: dict[str, str]) -> bytes:
        raise NotImplementedError


def last_run(engine: Engine) -> CrawlRun:
    with Session(engine) as s:
        run = s.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
        assert run is not None
        return run


def only_run(engine: Engine) -> CrawlRun:
    with Session(engine) as s:
        return s.scalars(select(CrawlRun)).one()


def run_and_reject(engine: Engine) -> tuple[CrawlRun, RejectedRecord]:
    """The only run and the one record it rejected, which is filed under that run."""
    with Session(engine) as s:
        run = s.scalars(select(CrawlRun)).one()
        reject = s.scalars(select(RejectedRecord)).one()
    assert reject.run_id == run.id
    return run, reject


def offer_count(engine: Engine) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Offer)) or 0)


def failed_without_offers(engine: Engine) -> str:
    """The message of the only run, which must have failed before writing any offer."""
    run = only_run(engine)
    assert run.status == "failed", run.message
    assert offer_count(engine) == 0
    return run.message or ""


def recrawl(engine: Engine, crawl: Callable[[], subprocess.CompletedProcess[str]]) -> CrawlRun:
    """Crawl twice; the second crawl of an unchanged feed must rewrite no offer.

    Returns the second run, whose counts say how it saw the offers.
    """
    assert crawl().returncode == 0
    before = _offer_versions(engine)
    assert crawl().returncode == 0
    assert _offer_versions(engine) == before
    return last_run(engine)


def _offer_versions(engine: Engine) -> list[tuple[Any, ...]]:
    with Session(engine) as s:
        rows = s.execute(select(Offer.id, Offer.updated_at, Offer.content_hash)).all()
    return sorted(tuple(row) for row in rows)
