"""What a sandbox serves: catalog sizes per network, the date, the credentials.

Credentials are published, sandbox-only values (data/partners.toml uses the
same); the demo and the tests sign with them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    seed: int = 42
    taobao_items: int = 600
    today: dt.date | None = None  # None: today in UTC+8, when the app is built
    taobao_app_key: str = "sandbox-taobao"
    taobao_app_secret: str = "sandbox-taobao-secret"  # noqa: S105
    bad_every: int = 97  # every Nth record of every network is malformed; 0 turns that off
    # Catalog sizes of the other networks; each is generated on its first request.
    pdd_items: int = 300
    jd_items: int = 300
    awin_items: int = 400
    awin_promotions: int = 60
    gmc_items: int = 300
    shop_items: int = 120
    pdd_client_id: str = "sandbox-pdd"
    pdd_client_secret: str = "sandbox-pdd-secret"  # noqa: S105
    jd_app_key: str = "sandbox-jd"
    jd_app_secret: str = "sandbox-jd-secret"  # noqa: S105
