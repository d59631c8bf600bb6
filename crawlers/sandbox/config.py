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
    awin_api_token: str = "sandbox-awin-token"  # noqa: S105 - the publisher API's bearer
    # Orders: the 推广位 ids order rows report, and the postbacks the networks send.
    taobao_adzone_id: str = "109836000284"
    pdd_pid: str = "1000000_100000"
    jd_position_id: str = "3000000000"
    site_url: str = ""  # postbacks go to {site_url}/api/v1/postbacks/{network}
    auto_postback: bool = False  # post after every buy, settle and refund (needs site_url)
    taobao_postback_secret: str = "sandbox-taobao-postback"  # noqa: S105
    pdd_postback_secret: str = "sandbox-pdd-postback"  # noqa: S105
    jd_postback_secret: str = "sandbox-jd-postback"  # noqa: S105
    awin_postback_secret: str = "sandbox-awin-postback"  # noqa: S105

    def postback_secret(self, network: str) -> str:
        """The secret the site holds for the partner of ``network`` (partners.toml)."""
        secret: str = getattr(self, f"{network}_postback_secret")
        return secret
