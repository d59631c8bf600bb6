"""Click tracking below the web layer: flags, IP hashing, allowed hosts, sub-ids, the
duplicate window, and the group-commit writer's promise (an id only after its commit)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from aggregator.affiliate.click_writer import ClickNotStored, ClickWriter
from aggregator.affiliate.clicks import (
    DUPLICATE_WINDOW,
    CountedClicks,
    NewClick,
    Target,
    duplicate_flags,
    find_target,
    partner_url,
    record_clicks,
    url_template,
)
from aggregator.affiliate.redirects import allowed_url
from aggregator.affiliate.sqlite_writes import Checkpointer, writer_engine
from aggregator.affiliate.subids import tagged_url
from aggregator.affiliate.visitors import agent_flag, ip_hash, ip_key, request_flag
from aggregator.models import Click, Offer
from tests.benchmarks.redirect_data import BROWSER, partner_row, seed_link, share_link
from tests.support.aio import run_async

CHROME_ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
                  "Gecko) Chrome/124.0.0.0 Mobile Safari/537.36")
WECHAT_BROWSER = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
                  "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) "
                  "NetType/WIFI Language/zh_CN")
QQ_BROWSER = ("Mozilla/5.0 (Linux; U; Android 13; zh-cn; PGT-AN10) AppleWebKit/537.36 (KHTML, "
              "like Gecko) Version/4.0 Chrome/109.0.5414.86 MQQBrowser/14.2 Mobile Safari/537.36")
DESKTOP_FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0"


@pytest.mark.parametrize(("agent", "flag"), [
    (BROWSER, None),  # Safari on iPhone
    (CHROME_ANDROID, None),
    (WECHAT_BROWSER, None),  # WeChat's in-app browser: a friend tapping the link
    (QQ_BROWSER, None),
    (DESKTOP_FIREFOX, None),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "bot"),
    ("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
     "bot"),
    ("curl/8.5.0", "bot"),
    ("python-requests/2.32.3", "bot"),
    ("", "bot"),  # every browser sends one
    ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "preview"),
    ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "preview"),
    ("TelegramBot (like TwitterBot)", "preview"),
    ("Twitterbot/1.0", "preview"),
    ("WhatsApp/2.23.20.0", "preview"),
    ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", "preview"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
     "like Gecko) Mobile/15E148 WeChatShareExtensionNew/8.0.47", "preview"),
    ("Mozilla/5.0 (Linux; U; Android 4.4.2; zh-cn; GT-I9500 Build/KOT49H) AppleWebKit/537.36 "
     "(KHTML, like Gecko)Version/4.0 MQQBrowser/5.0 QQ-URL-Manager Mobile Safari/537.36",
     "preview"),
])
def test_user_agent_flags(agent: str, flag: str | None) -> None:
    assert agent_flag(agent) == flag


def test_head_requests_and_prefetches_are_flagged_whatever_the_agent() -> None:
    assert request_flag(method="HEAD", user_agent=BROWSER, purpose=None) == "head"
    assert request_flag(method="GET", user_agent=BROWSER, purpose="prefetch;prerender") \
        == "preview"
    assert request_flag(method="GET", user_agent=BROWSER, purpose="preview") == "preview"
    assert request_flag(method="GET", user_agent=BROWSER, purpose=None) is None


def test_ip_hash_is_keyed_and_holds_no_address() -> None:
    key = ip_key("secret one")
    hashed = ip_hash("203.0.113.7", key=key)
    assert len(hashed) == 64 and int(hashed, 16) >= 0
    assert "203" not in hashed and "113" not in hashed
    assert hashed == ip_hash("203.0.113.7", key=ip_key("secret one"))  # repeats are found
    assert hashed != ip_hash("203.0.113.8", key=key)
    assert hashed != ip_hash("203.0.113.7", key=ip_key("secret two"))  # useless without it
    assert ip_hash("2001:DB8::1", key=key) == ip_hash("2001:db8::1", key=key)


HOSTS = ("uland.taobao.com", "127.0.0.1", ".jd.com")


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://uland.taobao.com/coupon?e=1", True),
    ("http://127.0.0.1:8900/taobao/item/1", True),  # ports do not matter
    ("HTTPS://ULAND.TAOBAO.COM./x", True),  # case and the root dot do not either
    ("https://item.jd.com/100.html", True),  # ".jd.com": any subdomain
    ("https://jd.com/", True),
    ("https://evil.com/uland.taobao.com", False),
    ("https://x.uland.taobao.com/", False),  # exact entries allow no subdomain
    ("https://uland.taobao.com.evil.com/", False),
    ("https://eviljd.com/", False),  # a suffix, but not at a label boundary
    ("https://uland.taobao.com@evil.com/", False),  # user-info
    ("https://user:pw@uland.taobao.com/", False),
    ("https://evil.com\\@uland.taobao.com/", False),  # browsers read host evil.com
    ("https://evil.com\t.uland.taobao.com/", False),
    (" https://uland.taobao.com/", False),
    ("javascript:alert(document.cookie)//uland.taobao.com", False),
    ("data:text/html,<script>alert(1)</script>", False),
    ("//uland.taobao.com/x", False),  # no scheme
    ("ftp://uland.taobao.com/x", False),
    ("https:uland.taobao.com/x", False),
    ("https://[::1/", False),  # unparsable
    ("https://uland.taobao.com:99999/", False),
])
def test_allowed_hosts(url: str, allowed: bool) -> None:
    assert allowed_url(url, HOSTS) is allowed


def _target(url: str, network: str, hosts: tuple[str, ...]) -> Target:
    return Target(share_link_id=1, product_id=2, url=url, network=network,
                  allowed_hosts=hosts, template=url_template(url, network=network,
                                                             allowed_hosts=hosts))


@pytest.mark.parametrize(("network", "url", "param", "value"), [
    ("taobao", "https://uland.taobao.com/coupon/edetail?e=x&pid=mm_1", "external_id", "dg42"),
    ("pdd", "https://mobile.yangkeduo.com/goods.html?goods_id=7", "custom_parameters",
     '{"sid":"dg42"}'),
    ("jd", "https://u.jd.com/abc?subUnionId=someone-else", "subUnionId", "dg42"),
    ("awin", "https://www.awin1.com/cread.php?awinmid=1&awinaffid=2", "clickref", "dg42"),
    ("gmc", "https://shop.example.com/p/1", "sub_id", "dg42"),
])
def test_partner_url_carries_the_networks_sub_id(network: str, url: str, param: str,
                                                 value: str) -> None:
    host = urlsplit(url).hostname or ""
    tagged = partner_url(_target(url, network, (host,)), click_id=42)
    assert tagged is not None and urlsplit(tagged).hostname == host
    assert parse_qs(urlsplit(tagged).query)[param] == [value]  # replaced, not appended
    assert tagged == tagged_url(url, network=network, sub_id="dg42")
    if network == "pdd":
        assert json.loads(value) == {"sid": "dg42"}


def test_partner_url_refuses_what_is_not_allowed() -> None:
    assert partner_url(_target("https://evil.com/x", "taobao", ("uland.taobao.com",)),
                       click_id=1) is None
    assert partner_url(_target("javascript:alert(1)", "taobao", ("uland.taobao.com",)),
                       click_id=1) is None


def test_find_target(session: Session) -> None:
    partner = partner_row(session)
    link = share_link(session, partner=partner, code="T1",
                      url="https://uland.taobao.com/coupon?e=1")
    target = find_target(session, code="T1")
    assert target is not None and target.followable
    assert (target.share_link_id, target.network, target.allowed_hosts) == (
        link.id, "taobao", ("uland.taobao.com", "s.click.taobao.com"))
    assert find_target(session, code="nope") is None
    assert find_target(session, code="") is None
    assert find_target(session, code="x" * 200) is None


def test_a_retired_offer_or_a_foreign_host_is_not_followed(session: Session) -> None:
    partner = partner_row(session)
    share_link(session, partner=partner, code="EVIL", url="https://evil.example.com/x")
    share_link(session, partner=partner, code="GONE", url="https://uland.taobao.com/y")
    session.execute(update(Offer).where(Offer.external_id == "go-GONE")
                    .values(retired_at=datetime(2026, 1, 1).astimezone()))
    for code in ("EVIL", "GONE"):
        target = find_target(session, code=code)
        assert target is not None and not target.followable


def _click(link_id: int, at: datetime, *, ip: str = "a" * 64, agent: str = BROWSER,
           flag: str | None = None) -> NewClick:
    return NewClick(share_link_id=link_id, created_at=at, ip_hash=ip, user_agent=agent,
                    flag=flag)


def _flags(session: Session, ids: list[int]) -> list[str | None]:
    rows = dict(session.execute(select(Click.id, Click.flag).where(Click.id.in_(ids))).all())
    return [rows[i] for i in ids]


def test_duplicates_within_the_hour(session: Session, now: datetime) -> None:
    link = share_link(session, partner=partner_row(session), code="D1",
                      url="https://uland.taobao.com/d")
    first = record_clicks(session, clicks=[
        _click(link.id, now),
        _click(link.id, now + timedelta(seconds=1)),  # same batch: a double tap
        _click(link.id, now + timedelta(seconds=2), ip="b" * 64),  # someone else
        _click(link.id, now + timedelta(seconds=3), agent=CHROME_ANDROID),  # another browser
    ])
    assert _flags(session, first) == [None, "duplicate", None, None]
    later = record_clicks(session, clicks=[
        _click(link.id, now + DUPLICATE_WINDOW - timedelta(seconds=1)),  # stored earlier
    ])
    assert _flags(session, later) == ["duplicate"]
    # an hour after the last counted click: counted again
    again = record_clicks(session, clicks=[_click(link.id, now + 2 * DUPLICATE_WINDOW)])
    assert _flags(session, again) == [None]


def test_previews_and_heads_do_not_make_the_real_tap_a_duplicate(session: Session,
                                                                 now: datetime) -> None:
    link = share_link(session, partner=partner_row(session), code="D2",
                      url="https://uland.taobao.com/d")
    ids = record_clicks(session, clicks=[
        _click(link.id, now, flag="head"),
        _click(link.id, now + timedelta(seconds=1), flag="preview"),
        _click(link.id, now + timedelta(seconds=2)),
    ])
    assert _flags(session, ids) == ["head", "preview", None]
    assert ids == sorted(ids)


def test_ids_come_back_in_the_clicks_order(session: Session, now: datetime) -> None:
    link = share_link(session, partner=partner_row(session), code="ORD",
                      url="https://uland.taobao.com/d")
    agents = [f"agent {n}" for n in range(40)]
    ids = record_clicks(session, clicks=[_click(link.id, now, agent=a) for a in agents])
    stored = dict(session.execute(select(Click.id, Click.user_agent)
                                  .where(Click.id.in_(ids))).all())
    assert [stored[i] for i in ids] == agents


def test_remembered_visitors_are_duplicates_without_a_query(session: Session,
                                                            now: datetime) -> None:
    link = share_link(session, partner=partner_row(session), code="MEM",
                      url="https://uland.taobao.com/d")
    counted = CountedClicks(size=2)
    first = [_click(link.id, now)]
    flags = duplicate_flags(session, clicks=first, counted=counted)
    assert flags == [None]
    counted.remember(first, flags)  # committed (here: never; the memory is trusted)
    later = [_click(link.id, now + timedelta(minutes=5))]
    assert duplicate_flags(session, clicks=later, counted=counted) == ["duplicate"]
    assert duplicate_flags(session, clicks=later) == [None]  # the database has none
    for n in range(3):  # the oldest are forgotten past the size
        counted.remember([_click(link.id, now, ip=f"{n:064x}")], [None])
    assert counted.get((link.id, "a" * 64, BROWSER)) is None


def test_no_raw_address_is_stored(session: Session, now: datetime) -> None:
    link = share_link(session, partner=partner_row(session), code="IP",
                      url="https://uland.taobao.com/d")
    address = "198.51.100.23"
    [click_id] = record_clicks(session, clicks=[
        _click(link.id, now, ip=ip_hash(address, key=ip_key("k")))])
    row = session.get(Click, click_id)
    assert row is not None and address not in (row.ip_hash + row.user_agent)


@pytest.fixture
def writer(committed: Engine) -> ClickWriter:
    return ClickWriter(committed, max_batch=64)


def test_the_writer_answers_only_after_the_commit(committed: Engine, writer: ClickWriter,
                                                  now: datetime) -> None:
    link_id = seed_link(committed, code="W1", url="https://uland.taobao.com/w")

    async def tap(n: int) -> tuple[int, bool]:
        click_id = await writer.write(_click(link_id, now, ip=f"{n:064x}"))
        with committed.connect() as other:  # another connection sees it: committed
            seen = other.scalar(select(Click.id).where(Click.id == click_id)) is not None
        return click_id, seen

    async def flood() -> list[tuple[int, bool]]:
        return await asyncio.gather(*(tap(n) for n in range(200)))

    results = run_async(flood())
    assert all(seen for _, seen in results)
    assert len({click_id for click_id, _ in results}) == 200
    assert writer.written == 200 and writer.batches < 200  # group commit: batches
    writer.close()


def test_a_failed_commit_answers_no_id(committed: Engine, writer: ClickWriter,
                                       now: datetime) -> None:
    link_id = seed_link(committed, code="W2", url="https://uland.taobao.com/w")

    async def both() -> list[int | BaseException]:
        return await asyncio.gather(writer.write(_click(link_id, now)),
                                    writer.write(_click(10**9, now)),  # no such link
                                    return_exceptions=True)

    good, bad = run_async(both())
    # Both went in one transaction, which failed: each click was then tried alone, so
    # the good one is stored and only the bad one answers no id.
    assert isinstance(good, int) and isinstance(bad, ClickNotStored)
    with committed.connect() as conn:
        assert conn.scalars(select(Click.id)).all() == [good]
    # the writer goes on
    assert isinstance(run_async(writer.write(_click(link_id, now))), int)
    writer.close()


def test_sqlite_writers_do_not_checkpoint_on_commit(committed: Engine) -> None:
    if committed.dialect.name != "sqlite":
        pytest.skip("SQLite's WAL only")
    own = writer_engine(committed)
    try:
        with own.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
        checkpoints = Checkpointer(own, every=0.01)
        checkpoints.touch()
        checkpoints.close()  # joins the thread and checkpoints once more, without error
    finally:
        own.dispose()
    with committed.connect() as connection:  # the process's other connections: default
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
