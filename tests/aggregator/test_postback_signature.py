"""Daogou-Signature: t=UNIX,v1=HEX over f"{t}.{raw body}" (DESIGN.md, postbacks)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from aggregator.affiliate.postback_signature import MAX_AGE, parse_header, sign, verify

SECRET = "sandbox-taobao-postback"
BODY = b'{"order_id":"2001","sub_id":"dg7","status":"pending","order_amount":6990,' \
       b'"commission_amount":1083,"currency":"CNY","occurred_at":"2026-11-20T04:00:00Z"}'
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
T = int(NOW.timestamp())


def test_sign_is_hmac_sha256_of_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, T, BODY) == f"t={T},v1={expected}"
    assert sign(SECRET, T, BODY.decode()) == sign(SECRET, T, BODY)


def test_a_good_signature_verifies_within_five_minutes_either_way() -> None:
    header = sign(SECRET, T, BODY)
    assert verify(SECRET, header, BODY, NOW)
    assert verify(SECRET, header, BODY, NOW + timedelta(seconds=MAX_AGE))
    assert verify(SECRET, header, BODY, NOW - timedelta(seconds=MAX_AGE))  # clock skew
    assert verify(SECRET, header, BODY, float(T + 10))


@pytest.mark.parametrize(("case", "header", "body", "secret"), [
    ("other secret", sign("other", T, BODY), BODY, SECRET),
    ("body changed", sign(SECRET, T, BODY), BODY.replace(b"1083", b"9999"), SECRET),
    ("body re-serialised", sign(SECRET, T, BODY), BODY.replace(b",", b", "), SECRET),
    ("timestamp moved (replay with a fresh t)",
     sign(SECRET, T - 3600, BODY).replace(f"t={T - 3600}", f"t={T}"), BODY, SECRET),
    ("empty secret", sign("", T, BODY), BODY, ""),
    ("no header", None, BODY, SECRET),
    ("empty header", "", BODY, SECRET),
    ("no timestamp", sign(SECRET, T, BODY).split(",")[1], BODY, SECRET),
    ("no v1", f"t={T}", BODY, SECRET),
    ("two timestamps", f"t={T}," + sign(SECRET, T, BODY), BODY, SECRET),
    ("timestamp not a number", sign(SECRET, T, BODY).replace(f"t={T}", "t=now"), BODY, SECRET),
    ("non-ascii digits", sign(SECRET, T, BODY).replace(f"t={T}", "t=١٢٣"), BODY, SECRET),
    ("non-ascii signature", f"t={T},v1=ü", BODY, SECRET),
    ("garbage", "Bearer abc", BODY, SECRET),
])
def test_bad_signatures_fail(case: str, header: str | None, body: bytes, secret: str) -> None:
    assert not verify(secret, header, body, NOW), case


def test_stale_and_future_signatures_fail() -> None:
    old = sign(SECRET, T - MAX_AGE - 1, BODY)
    assert not verify(SECRET, old, BODY, NOW)
    future = sign(SECRET, T + MAX_AGE + 1, BODY)
    assert not verify(SECRET, future, BODY, NOW)
    assert verify(SECRET, old, BODY, NOW, max_age=3600)


def test_any_of_several_v1_signatures_may_match_during_a_secret_rotation() -> None:
    new = sign(SECRET, T, BODY)
    old = sign("previous-secret", T, BODY).split(",")[1]
    assert verify(SECRET, f"{new},{old}", BODY, NOW)
    assert verify("previous-secret", f"{new},{old}", BODY, NOW)
    assert verify(SECRET, f"{new},v2=future-scheme", BODY, NOW)  # unknown schemes ignored
    assert verify(SECRET, new.upper().replace("T=", "t=").replace("V1=", "v1="), BODY, NOW)


def test_parse_header() -> None:
    parsed = parse_header(" t=123 , v1=AB , v1=cd ")
    assert parsed is not None
    assert (parsed.timestamp, parsed.signatures) == (123, ("ab", "cd"))
    assert parse_header("t=123,v1") is None
