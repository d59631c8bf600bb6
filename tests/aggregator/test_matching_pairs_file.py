"""The hand-labelled product-matching evaluation set is well formed.

tests/fixtures/matching/pairs.jsonl holds pairs of offers (one per line) labelled "same sellable
product" or not; see the README next to it. These checks keep hand edits honest: schema, size,
language and label balance, and GS1 check digits on every GTIN.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

PAIRS_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "matching" / "pairs.jsonl"

PARTNERS = {"taobao", "jd", "pdd", "awin", "gmc", "html"}
LANGS = {"zh", "en", "mixed"}
ID_PREFIX = {"zh": "zh", "en": "en", "mixed": "mx"}
ID_RE = re.compile(r"^(zh|en|mx)-(pos|neg)-\d{3}$")
KIND_RE = re.compile(r"^[a-z][a-z0-9-]{1,30}$")
OFFER_FIELDS = ("partner", "title", "brand", "mpn", "gtin", "category")
INVALID_MARK = "deliberately invalid"


@cache
def load_pairs() -> tuple[dict[str, Any], ...]:
    pairs = []
    for lineno, line in enumerate(PAIRS_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:  # pragma: no cover - only on a broken edit
            raise AssertionError(f"line {lineno}: not JSON: {exc}") from exc
        assert isinstance(record, dict), f"line {lineno}: not an object"
        pairs.append(record)
    return tuple(pairs)


def gtin_check_ok(code: str) -> bool:
    """GS1 mod-10: weights 3,1,3,... from the digit left of the check digit."""
    body, check = code[:-1], int(code[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def valid_gtin(code: str) -> bool:
    return code.isdigit() and 8 <= len(code) <= 14 and gtin_check_ok(code)


def test_gtin_helper_knows_good_and_bad_codes() -> None:
    assert valid_gtin("4006381333931")  # GS1's textbook EAN-13
    assert valid_gtin("04006381333931")  # the same as GTIN-14
    assert valid_gtin("96385074")  # EAN-8
    assert valid_gtin("036000291452")  # UPC-A
    assert not valid_gtin("4006381333932")
    assert not valid_gtin("4006381")  # too short for any GTIN
    assert not valid_gtin("400638133393100")  # too long
    assert not valid_gtin("4006-381333931")


def test_enough_pairs_and_distinct() -> None:
    pairs = load_pairs()
    assert len(pairs) >= 260
    distinct = {
        frozenset(json.dumps(p[side], sort_keys=True, ensure_ascii=False) for side in ("a", "b"))
        for p in pairs
    }
    assert len(distinct) >= 200


def test_ids_unique_and_consistent() -> None:
    pairs = load_pairs()
    ids = [p["id"] for p in pairs]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate ids: {dupes}"
    for p in pairs:
        m = ID_RE.match(p["id"])
        assert m, f"bad id {p['id']!r}"
        assert m.group(1) == ID_PREFIX[p["lang"]], p["id"]
        assert (m.group(2) == "pos") == p["same"], p["id"]


def test_schema() -> None:
    for p in load_pairs():
        pid = p.get("id")
        assert set(p) == {"id", "lang", "same", "kind", "note", "a", "b"}, pid
        assert p["lang"] in LANGS, pid
        assert isinstance(p["same"], bool), pid
        assert isinstance(p["kind"], str) and KIND_RE.match(p["kind"]), pid
        assert isinstance(p["note"], str) and p["note"].strip(), pid
        assert "\n" not in p["note"], pid
        for side in ("a", "b"):
            offer = p[side]
            assert isinstance(offer, dict), (pid, side)
            assert set(offer) == set(OFFER_FIELDS), (pid, side)
            assert offer["partner"] in PARTNERS, (pid, side)
            assert isinstance(offer["title"], str) and offer["title"].strip(), (pid, side)
            for field in ("brand", "mpn", "gtin", "category"):
                value = offer[field]
                assert value is None or (isinstance(value, str) and value.strip()), (
                    pid,
                    side,
                    field,
                )
        assert p["a"] != p["b"], f"{pid}: both sides are the same offer"


def test_languages_and_label_balance() -> None:
    pairs = load_pairs()
    langs = Counter(p["lang"] for p in pairs)
    assert langs["zh"] >= 100
    assert langs["en"] >= 100
    negatives = sum(not p["same"] for p in pairs)
    positives = len(pairs) - negatives
    assert negatives / len(pairs) >= 0.40
    assert positives / len(pairs) >= 0.30
    zh_partners = {p[s]["partner"] for p in pairs if p["lang"] == "zh" for s in ("a", "b")}
    en_partners = {p[s]["partner"] for p in pairs if p["lang"] == "en" for s in ("a", "b")}
    assert {"taobao", "jd", "pdd"} <= zh_partners
    assert {"awin", "gmc"} <= en_partners


def test_gtins_are_valid_gs1_codes() -> None:
    bad = []
    for p in load_pairs():
        for side in ("a", "b"):
            gtin = p[side]["gtin"]
            if gtin is not None and not valid_gtin(gtin) and INVALID_MARK not in p["note"]:
                bad.append(f"{p['id']}.{side}: {gtin}")
    assert not bad, "invalid GTINs: " + ", ".join(bad)


def test_gtins_agree_with_labels() -> None:
    """Two valid GTINs are one code (after zero padding) exactly when the pair is the same."""
    wrong = []
    for p in load_pairs():
        ga, gb = p["a"]["gtin"], p["b"]["gtin"]
        both_valid = bool(ga and gb and valid_gtin(ga) and valid_gtin(gb))
        if both_valid and (ga.zfill(14) == gb.zfill(14)) != p["same"]:
            wrong.append(p["id"])
    assert not wrong, f"GTINs contradict the label: {wrong}"
