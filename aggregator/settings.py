"""The one settings class. Every value may be overridden with a ``DAOGOU_`` env var."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DAOGOU_", env_file=".env", extra="ignore")

    database_url: str = Field(default=f"sqlite:///{DATA_DIR / 'daogou.db'}")
    secret_key: SecretStr = SecretStr("dev-insecure-change-me")
    base_url: str = "http://127.0.0.1:8000"
    partners_file: Path = DATA_DIR / "partners.toml"
    # Rows per ingest transaction: big enough to amortise commits, small enough
    # that a killed crawl loses at most one batch of un-committed work.
    ingest_batch_size: int = 2000
    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = 8900
    default_currency: str = "CNY"
    page_size: int = 24
    # Share and earn: the network's commission split in basis points; the platform keeps
    # the remainder. A commission becomes available this long after the network settles it.
    share_sharer_bp: int = 5000
    share_level1_bp: int = 1000
    share_level2_bp: int = 500
    commission_hold_days: int = 7
    min_withdrawal: int = 1000  # minor units (¥10.00)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
