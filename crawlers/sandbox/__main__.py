"""Run the sandbox partner server: ``python -m crawlers.sandbox --port 8900``."""

from __future__ import annotations

import argparse
import datetime as dt
import logging

import uvicorn

from crawlers.sandbox.app import SandboxConfig, create_sandbox_app

# (flag, config field, help): catalog sizes of each network.
_SIZES = (
    ("--taobao-items", "taobao_items", "Taobao items"),
    ("--pdd-items", "pdd_items", "PDD goods"),
    ("--jd-items", "jd_items", "JD goods"),
    ("--awin-items", "awin_items", "Awin product feed rows"),
    ("--awin-promotions", "awin_promotions", "Awin promotions / vouchers rows"),
    ("--gmc-items", "gmc_items", "Merchant Center feed items"),
    ("--shop-items", "shop_items", "web shop products"),
)
# (flag, config field): sandbox credentials, as data/partners.toml has them.
_CREDENTIALS = (
    ("--taobao-app-key", "taobao_app_key"),
    ("--taobao-app-secret", "taobao_app_secret"),
    ("--pdd-client-id", "pdd_client_id"),
    ("--pdd-client-secret", "pdd_client_secret"),
    ("--jd-app-key", "jd_app_key"),
    ("--jd-app-secret", "jd_app_secret"),
    ("--awin-api-token", "awin_api_token"),
    ("--taobao-postback-secret", "taobao_postback_secret"),
    ("--pdd-postback-secret", "pdd_postback_secret"),
    ("--jd-postback-secret", "jd_postback_secret"),
    ("--awin-postback-secret", "awin_postback_secret"),
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    defaults = SandboxConfig()
    parser = argparse.ArgumentParser(prog="python -m crawlers.sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    for flag, field, label in _SIZES:
        default = getattr(defaults, field)
        parser.add_argument(flag, type=int, default=default, help=f"{label} (default {default})")
    parser.add_argument(
        "--bad-every",
        type=int,
        default=defaults.bad_every,
        help="every Nth record of every network is malformed (0: none)",
    )
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=None,
        help="catalog date YYYY-MM-DD (default: today in UTC+8)",
    )
    for flag, field in _CREDENTIALS:
        parser.add_argument(flag, default=getattr(defaults, field))
    parser.add_argument(
        "--site-url",
        default=defaults.site_url,
        help="the daogou site postbacks go to, e.g. http://127.0.0.1:8000",
    )
    parser.add_argument(
        "--auto-postback",
        action="store_true",
        help="send a signed postback after every buy, settle and refund (needs --site-url)",
    )
    return parser.parse_args(argv)


def config_from_args(args: argparse.Namespace) -> SandboxConfig:
    fields = [field for _, field, _ in _SIZES] + [field for _, field in _CREDENTIALS]
    values = {field: getattr(args, field) for field in fields}
    return SandboxConfig(
        seed=args.seed,
        today=args.today,
        bad_every=args.bad_every,
        site_url=args.site_url,
        auto_postback=args.auto_postback,
        **values,
    )


def _quiet_injected_truncation(record: logging.LogRecord) -> bool:
    # fault=truncate ends responses early on purpose; uvicorn logs each as an error.
    return "without completing response" not in record.getMessage()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.getLogger("uvicorn.error").addFilter(_quiet_injected_truncation)
    app = create_sandbox_app(config_from_args(args))
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
