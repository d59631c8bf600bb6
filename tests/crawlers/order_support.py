"""Shared by the order parser and order spider tests: the saved samples and their rows."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aggregator.records import OrderRecord, RejectRecord
from crawlers.parsers.orders import OrderPage

ORDERS = Path(__file__).resolve().parents[1] / "fixtures" / "orders"


def load(name: str) -> Any:
    return json.loads((ORDERS / name).read_text(encoding="utf-8"))


def utc(text: str) -> datetime:
    """``"2026-11-20 04:00:00"`` (UTC) as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def by_id(page: OrderPage) -> dict[str, object]:
    """A page's records by order id (rejects by the id they name)."""
    return {(r.order_id if isinstance(r, OrderRecord) else r.external_id or ""): r
            for r in page.records}


def summary(record: object) -> tuple[Any, ...]:
    """(status, order amount, commission, occurred, status time, sub-id) of a good order."""
    assert isinstance(record, OrderRecord), getattr(record, "reason", record)
    return (record.status, record.order_amount, record.commission_amount,
            record.occurred_at, record.status_at, record.sub_id)


def reason_of(record: object) -> str:
    assert isinstance(record, RejectRecord), record
    return record.reason
