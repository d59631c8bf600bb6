"""Partner configuration (data/partners.toml) and the partner rows that mirror it."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.models import Partner
from aggregator.settings import get_settings


class PartnerConfig(BaseModel):
    """One ``[partners.SLUG]`` table. Secrets are SecretStr so they never reach a log."""

    model_config = ConfigDict(extra="allow")

    slug: str
    network: str
    name: str = ""
    feed_url: str
    app_key: str = ""
    app_secret: SecretStr = SecretStr("")
    postback_secret: SecretStr = SecretStr("")
    adzone_id: str = ""
    currency: str = "CNY"
    allowed_hosts: list[str] = Field(default_factory=list)

    @property
    def extra(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class PartnerConfigError(ValueError):
    pass


def load_partner_configs(path: Path | None = None) -> dict[str, PartnerConfig]:
    path = path or get_settings().partners_file
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PartnerConfigError(f"cannot read partner config {path}: {exc}") from exc
    tables = data.get("partners", {})
    if not isinstance(tables, dict):
        raise PartnerConfigError(f"{path}: [partners] must be a table of partner tables")
    configs = {}
    for slug, table in tables.items():
        if not isinstance(table, dict) or "slug" in table:
            raise PartnerConfigError(f"{path}: [partners.{slug}] must be a table without 'slug'")
        try:
            configs[slug] = PartnerConfig(slug=slug, **table)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                 for e in exc.errors())
            raise PartnerConfigError(f"{path}: [partners.{slug}] {problems}") from exc
    return configs


def partner_config(slug: str, path: Path | None = None) -> PartnerConfig:
    configs = load_partner_configs(path)
    if slug not in configs:
        known = ", ".join(sorted(configs)) or "none"
        raise PartnerConfigError(f"no partner {slug!r} in config (known: {known})")
    return configs[slug]


def ensure_partner(session: Session, *, config: PartnerConfig) -> Partner:
    """The partner row for ``config``, created or brought in line with it."""
    partner = session.scalar(select(Partner).where(Partner.slug == config.slug))
    if partner is None:
        partner = Partner(slug=config.slug)
        session.add(partner)
    partner.network = config.network
    partner.name = config.name or config.slug
    partner.currency = config.currency
    partner.allowed_hosts = list(config.allowed_hosts)
    session.flush()
    return partner


def sync_partners(session: Session, *, configs: dict[str, PartnerConfig]) -> list[Partner]:
    return [ensure_partner(session, config=c) for c in configs.values()]
