"""Partner config from TOML, and the partner rows that mirror it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aggregator.models import Partner
from aggregator.partners import (
    PartnerConfig,
    PartnerConfigError,
    ensure_partner,
    load_partner_configs,
    partner_config,
    sync_partners,
)
from aggregator.settings import REPO_ROOT

TOML = """
[partners.taobao]
network = "taobao"
name = "淘宝联盟"
feed_url = "http://127.0.0.1:8900/taobao/router/rest"
app_key = "key-123"
app_secret = "top-secret-app"
postback_secret = "top-secret-postback"
adzone_id = "109836000284"
material_id = "6707"
allowed_hosts = ["s.click.taobao.com", "uland.taobao.com"]

[partners.awin]
network = "awin"
feed_url = "file:///feeds/awin.csv"
currency = "GBP"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "partners.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_partner_configs(tmp_path: Path) -> None:
    configs = load_partner_configs(write(tmp_path, TOML))
    assert list(configs) == ["taobao", "awin"]
    taobao, awin = configs["taobao"], configs["awin"]
    assert (taobao.slug, taobao.network, taobao.name, taobao.feed_url) == (
        "taobao", "taobao", "淘宝联盟", "http://127.0.0.1:8900/taobao/router/rest")
    assert (taobao.app_key, taobao.adzone_id, taobao.currency) == ("key-123", "109836000284",
                                                                  "CNY")
    assert taobao.app_secret.get_secret_value() == "top-secret-app"
    assert taobao.postback_secret.get_secret_value() == "top-secret-postback"
    assert taobao.allowed_hosts == ["s.click.taobao.com", "uland.taobao.com"]
    assert taobao.extra == {"material_id": "6707"}
    # defaults
    assert (awin.name, awin.app_key, awin.adzone_id, awin.currency) == ("", "", "", "GBP")
    assert awin.app_secret.get_secret_value() == ""
    assert awin.allowed_hosts == []
    assert awin.extra == {}


def test_secrets_never_reach_repr_or_str(tmp_path: Path) -> None:
    configs = load_partner_configs(write(tmp_path, TOML))
    taobao = configs["taobao"]
    assert isinstance(taobao.app_secret, SecretStr)
    for text in (repr(taobao), str(taobao), repr(configs), taobao.model_dump_json(),
                 str(taobao.model_dump())):
        assert "top-secret" not in text
    assert "key-123" in repr(taobao)  # the public key is not a secret


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", []), ("[partners]\n", []), ("title = 'nothing here'\n", [])],
)
def test_empty_configs(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert list(load_partner_configs(write(tmp_path, text))) == expected


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PartnerConfigError, match="cannot read partner config"):
        load_partner_configs(tmp_path / "nope.toml")


@pytest.mark.parametrize("text", ["[partners.taobao\nnetwork = 'taobao'", "a = = 1",
                                  "[partners.x]\nnetwork = 'x'\nnetwork = 'y'"])
def test_unparseable_toml(tmp_path: Path, text: str) -> None:
    with pytest.raises(PartnerConfigError):
        load_partner_configs(write(tmp_path, text))


@pytest.mark.parametrize(
    "text",
    [
        "[partners.x]\nfeed_url = 'http://a'\n",  # no network
        "[partners.x]\nnetwork = 'x'\n",  # no feed_url
        "[partners.x]\nnetwork = 'x'\nfeed_url = 'http://a'\nallowed_hosts = 'a.com'\n",
        "[partners.x]\nslug = 'y'\nnetwork = 'x'\nfeed_url = 'http://a'\n",
        "[partners]\nx = 1\n",
        "partners = 'x'\n",
    ],
    ids=["no network", "no feed_url", "hosts not a list", "slug key", "table not a table",
         "partners not a table"],
)
def test_invalid_partner_table_is_a_config_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(PartnerConfigError):
        load_partner_configs(write(tmp_path, text))


def test_partner_config(tmp_path: Path) -> None:
    path = write(tmp_path, TOML)
    assert partner_config("awin", path).network == "awin"
    with pytest.raises(PartnerConfigError, match=r"no partner 'jd' in config \(known: awin, "
                                                 r"taobao\)"):
        partner_config("jd", path)
    with pytest.raises(PartnerConfigError, match=r"known: none"):
        partner_config("jd", write(tmp_path, ""))


def test_the_demo_config_loads() -> None:
    configs = load_partner_configs(REPO_ROOT / "data" / "partners.toml")
    assert configs["taobao"].network == "taobao"
    assert all(c.feed_url for c in configs.values())


def partner_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Partner)) or 0


def test_ensure_partner_creates_then_updates(session: Session) -> None:
    config = PartnerConfig(slug="jd", network="jd", name="京东联盟", feed_url="http://a",
                           currency="CNY", allowed_hosts=["union-click.jd.com"])
    created = ensure_partner(session, config=config)
    assert created.id is not None
    assert (created.slug, created.network, created.name, created.currency,
            created.allowed_hosts, created.enabled) == (
        "jd", "jd", "京东联盟", "CNY", ["union-click.jd.com"], True)
    assert partner_count(session) == 1

    changed = config.model_copy(update={"name": "", "allowed_hosts": ["u.jd.com", "jd.com"],
                                        "network": "jd2"})
    updated = ensure_partner(session, config=changed)
    assert updated.id == created.id
    assert partner_count(session) == 1
    session.expire_all()
    row = session.get(Partner, created.id)
    assert row is not None
    assert (row.name, row.network, row.allowed_hosts) == ("jd", "jd2", ["u.jd.com", "jd.com"])


def test_ensure_partner_copies_the_host_list(session: Session) -> None:
    config = PartnerConfig(slug="pdd", network="pdd", feed_url="http://a",
                           allowed_hosts=["mobile.yangkeduo.com"])
    partner = ensure_partner(session, config=config)
    config.allowed_hosts.append("evil.example")
    assert partner.allowed_hosts == ["mobile.yangkeduo.com"]


def test_sync_partners(session: Session, tmp_path: Path) -> None:
    configs = load_partner_configs(write(tmp_path, TOML))
    rows = sync_partners(session, configs=configs)
    assert [(p.slug, p.name, p.currency) for p in rows] == [("taobao", "淘宝联盟", "CNY"),
                                                            ("awin", "awin", "GBP")]
    assert sync_partners(session, configs=configs)[0].id == rows[0].id
    assert partner_count(session) == 2
