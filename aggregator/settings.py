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
    # Accounts: sessions, API tokens and password-reset links expire after these.
    session_days: int = 30
    api_token_days: int = 365
    password_reset_minutes: int = 60
    # argon2id cost (OWASP's minimum profile: ~0.1 s a hash on 2 cores). Raising it makes
    # every stored hash be re-hashed with the new cost at its owner's next login.
    password_time_cost: int = 2
    password_memory_kib: int = 19456
    password_parallelism: int = 1
    # Outgoing mail (password-reset links). An empty host turns mail off: nothing is sent.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = True
    smtp_timeout: float = 10.0
    mail_from: str = "daogou <no-reply@localhost>"
    # Share posters already drawn, keyed by link, locale and a hash of what they show.
    poster_cache_dir: Path = DATA_DIR / "posters"
    # Fetch URLs that came from outside (feed images for posters) even when they point at
    # this machine or a private network: only for development with the local sandbox.
    allow_private_fetch: bool = False


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
