"""Start crawls as their own ``scrapy crawl`` processes (the reactor cannot restart).

The aggregator never imports spiders: it creates the run row, then launches the
process by spider name; the process updates that row as it goes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from aggregator.crawl_runs import create_run
from aggregator.db import session_scope
from aggregator.models import CrawlRun
from aggregator.partners import PartnerConfig, ensure_partner
from aggregator.settings import DATA_DIR, REPO_ROOT

LOG_DIR = DATA_DIR / "logs"


@dataclass
class CrawlJob:
    run_id: int
    process: subprocess.Popen[bytes]
    log_path: Path


def crawl_command(*, spider: str, run_id: int, partner: str, feed_url: str | None = None,
                  extra_args: dict[str, str] | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider,
           "-a", f"run_id={run_id}", "-a", f"partner={partner}"]
    if feed_url:
        cmd += ["-a", f"feed_url={feed_url}"]
    for key, value in (extra_args or {}).items():
        cmd += ["-a", f"{key}={value}"]
    return cmd


# network -> the spider that syncs its orders (DESIGN.md: order spiders)
ORDER_SPIDERS = {"taobao": "taobao_orders", "pdd": "pdd_orders", "jd": "jd_orders",
                 "awin": "awin_transactions"}


def start_crawl(engine: Engine, *, config: PartnerConfig, trigger: str = "manual",
                feed_url: str | None = None, extra_args: dict[str, str] | None = None,
                database_url: str | None = None, spider: str | None = None) -> CrawlJob:
    """Create a queued run row and start its crawl process; logs go to data/logs/.
    ``spider``: the catalog spider of the partner's network unless another is named
    (an order spider, ``ORDER_SPIDERS``)."""
    spider = spider or config.network
    with session_scope(engine) as session:
        partner = ensure_partner(session, config=config)
        run = create_run(session, partner_id=partner.id, spider=spider, trigger=trigger,
                         feed_url=feed_url or config.feed_url)
        run_id = run.id
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="crawlers.settings")
    env["DAOGOU_DATABASE_URL"] = database_url or engine.url.render_as_string(hide_password=False)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"run-{run_id}.log"
    cmd = crawl_command(spider=spider, run_id=run_id, partner=config.slug,
                        feed_url=feed_url, extra_args=extra_args)
    with log_path.open("wb") as log:
        process = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    return CrawlJob(run_id=run_id, process=process, log_path=log_path)


def settle_exited(engine: Engine, job: CrawlJob) -> None:
    """A process that died without finishing its run (killed, crashed) leaves it failed."""
    with session_scope(engine) as session:
        run = session.get_one(CrawlRun, job.run_id)
        if run.status in ("queued", "running"):
            run.status = "failed"
            run.finish_reason = f"exit code {job.process.returncode}"
            run.message = f"crawl process ended without finishing; see {job.log_path}"
