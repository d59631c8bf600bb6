"""What the signed-API spiders (taobao, pdd, jd) share, in crawlers/spiders/signed_api.py."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.crawlers.spider_support import Reply, only_run
from tests.support.feedserver import serve
from tests.support.processes import scrapy_crawl

PATHS = {"taobao": "/router/rest", "pdd": "/api/router", "jd": "/routerjson"}
BUSY = b"<html>gateway busy</html>"


@pytest.mark.parametrize(("spider", "body"), [
    ("taobao", BUSY), ("pdd", BUSY), ("jd", BUSY),
    ("taobao", b"[]"),  # JSON, but no envelope
])
def test_a_body_that_is_not_a_json_object_makes_a_partial_run(
        committed: Engine, database_url: str, spider: str, body: bytes) -> None:
    def gateway(path: str, params: dict[str, str]) -> Reply:
        return 200, {"Content-Type": "text/html"}, body

    with serve(gateway) as url:
        result = scrapy_crawl(spider, database_url, f"feed_url={url}{PATHS[spider]}")
    assert result.returncode == 0, result.stderr[-2000:]
    run = only_run(committed)
    assert run.status == "partial" and "page 1: response is not a JSON object" in (
        run.message or "")
