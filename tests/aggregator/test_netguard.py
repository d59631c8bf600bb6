"""SSRF guard for URLs from outside: the table of what may and may not be fetched."""

from __future__ import annotations

import pytest

from aggregator.netguard import UnsafeURL, check_fetchable


@pytest.mark.parametrize(("url", "reason"), [
    ("file:///etc/passwd", "only http and https"),
    ("gopher://example.com/", "only http and https"),
    ("javascript:alert(1)", "only http and https"),
    ("http://127.0.0.1:8900/img.png", "private, loopback"),
    ("http://localhost/img.png", "private, loopback"),
    ("http://10.0.0.5/", "private, loopback"),
    ("http://172.16.3.4/", "private, loopback"),
    ("http://192.168.1.1/", "private, loopback"),
    ("http://169.254.169.254/latest/meta-data/", "private, loopback"),  # cloud metadata
    ("http://[::1]/", "private, loopback"),
    ("http://[fe80::1]/", "private, loopback"),
    ("http://[::ffff:127.0.0.1]/", "private, loopback"),
    ("http://0.0.0.0/", "private, loopback"),
    ("http://2130706433/", "private, loopback"),  # 127.0.0.1 as one number
    ("http://user:pass@93.184.216.34/", "user name or password"),
    ("http:///nohost", "no host"),
])
def test_refused(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURL, match=reason):
        check_fetchable(url)


@pytest.mark.parametrize("url", ["http://93.184.216.34/img.png",
                                 "https://[2606:4700:4700::1111]/x"])
def test_public_addresses_pass(url: str) -> None:
    assert check_fetchable(url) == url


def test_a_development_setting_allows_loopback() -> None:
    assert check_fetchable("http://127.0.0.1:8900/i.png", allow_private=True)
    with pytest.raises(UnsafeURL):
        check_fetchable("ftp://127.0.0.1/", allow_private=True)
