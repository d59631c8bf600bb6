"""/s/{code}: the shared deal a friend opens (chat previews included), and its poster."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from fastapi.testclient import TestClient
from lxml import html as lxml_html
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.affiliate.share_links import share_link_for
from aggregator.models import Offer, ShareLink
from aggregator.settings import get_settings
from tests.aggregator.test_share_links import make_user
from tests.support.feedserver import serve
from tests.web.conftest import Seed
from tests.web.factories import coupon, offer
from web.routes import share as share_route

EN = {"accept-language": "en-US,en;q=0.9"}
EVIL_TITLE = '<script>alert("t")</script> 口红 "quoted" & \'single\''
EVIL_NICK = "<img src=x onerror=alert(1)>"


@pytest.fixture(autouse=True)
def poster_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    directory = tmp_path / "posters"
    monkeypatch.setenv("DAOGOU_POSTER_CACHE_DIR", str(directory))
    get_settings.cache_clear()
    yield directory
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def picture_calls(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """No network: the product picture is a drawn square, and each fetch is recorded."""
    calls: list[str | None] = []

    def fake_fetch(url: str | None) -> Image.Image:
        calls.append(url)
        return Image.new("RGB", (300, 300), (30, 120, 200))

    monkeypatch.setattr(share_route, "fetch_image", fake_fetch)
    return calls


def share(session: Session, seed: Seed, *, title: str = "兰蔻小黑瓶精华 50ml",
          nickname: str = "小明", with_coupon: bool = True, **fields: object) -> ShareLink:
    coupons = (coupon("c1", amount=2000, min_spend=9900, title="满99减20"),) if with_coupon \
        else ()
    seed([offer("s1", title=title, price=9900, coupons=coupons, **fields)])
    offer_id = session.scalar(select(Offer.id).where(Offer.external_id == "s1"))
    assert offer_id is not None
    user = make_user(session, nickname)
    return share_link_for(session, user_id=user.id, offer_id=offer_id)


def meta(page: str) -> dict[str, str]:
    tree = lxml_html.fromstring(page)
    found = {}
    for tag in tree.iter("meta"):
        key = tag.get("property") or tag.get("name")
        if key:
            found[key] = tag.get("content") or ""
    found["canonical"] = tree.find(".//link[@rel='canonical']").get("href")
    return found


def test_the_deal_with_coupon_price_after_coupon_and_the_button(
        client: TestClient, session: Session, seed: Seed) -> None:
    link = share(session, seed)
    response = client.get(f"/s/{link.code}")
    assert response.status_code == 200
    tree = lxml_html.fromstring(response.text)
    assert tree.findtext(".//h1") == "兰蔻小黑瓶精华 50ml"
    assert tree.find(".//*[@class='final']/strong").text == "¥79.00"
    assert "券 ¥20" in response.text and "满99减20" in response.text
    assert "原价 ¥99.00" in response.text
    assert "小明" in tree.findtext(".//*[@class='shared-by']")
    buy = tree.find(".//a[@class='buy shared-buy']")
    assert buy.get("href") == f"/go/{link.code}" and buy.text == "领券购买"
    assert "nofollow" in buy.get("rel")
    assert response.headers["content-language"] == "zh-CN"


def test_chat_previews_get_open_graph_and_twitter_tags(
        client: TestClient, session: Session, seed: Seed) -> None:
    link = share(session, seed)
    base = get_settings().base_url.rstrip("/")
    tags = meta(client.get(f"/s/{link.code}").text)
    assert tags["og:url"] == tags["canonical"] == f"{base}/s/{link.code}"
    assert tags["og:image"] == tags["twitter:image"] == f"{base}/s/{link.code}/poster.png"
    assert tags["og:type"] == "product"
    assert "¥79" in tags["og:title"] and "兰蔻小黑瓶精华 50ml" in tags["og:title"]
    assert "满99减20" in tags["og:description"] and "小明" in tags["og:description"]
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:title"] == tags["og:title"]
    assert (tags["og:image:width"], tags["og:image:height"]) == ("750", "1334")
    assert tags["product:price:amount"] == "79.00" and tags["product:price:currency"] == "CNY"
    assert tags["robots"].startswith("noindex")


def test_scraped_text_is_escaped_everywhere(client: TestClient, session: Session,
                                            seed: Seed) -> None:
    link = share(session, seed, title=EVIL_TITLE, nickname=EVIL_NICK)
    page = client.get(f"/s/{link.code}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(" in page
    tree = lxml_html.fromstring(page)
    # Each attribute holds the whole text: no quote closed it early.
    tags = meta(page)
    assert EVIL_TITLE in tags["og:title"] and EVIL_TITLE in tags["twitter:title"]
    assert tags["og:image:alt"] == EVIL_TITLE
    assert tree.find(".//img[@class='shared-image']").get("alt") == EVIL_TITLE
    assert EVIL_TITLE in tree.find(".//button[@data-copy]").get("data-copy")
    assert EVIL_NICK in tags["og:description"]
    # The only scripts are the site's own files.
    scripts = [urlsplit(s.get("src", "")).path for s in tree.iter("script")]
    assert scripts and all(src.startswith("/static/") for src in scripts)
    assert not any(tag.get("onerror") for tag in tree.iter())


@pytest.mark.parametrize("code", ["Nope2345", "x", "a" * 40, "%3Cscript%3E"])
def test_an_unknown_code_gets_the_friendly_not_found_page(client: TestClient,
                                                           code: str) -> None:
    response = client.get(f"/s/{code}")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert 'name="robots" content="noindex"' in response.text
    assert client.get(f"/s/{code}/poster.png").status_code == 404


def test_an_offer_no_longer_on_sale_is_not_found(client: TestClient, session: Session,
                                                  seed: Seed, now: datetime) -> None:
    link = share(session, seed)
    session.get(Offer, link.offer_id).retired_at = now  # type: ignore[union-attr]
    session.flush()
    assert client.get(f"/s/{link.code}").status_code == 404


def test_in_english(client: TestClient, session: Session, seed: Seed) -> None:
    link = share(session, seed)
    page = client.get(f"/s/{link.code}", headers=EN).text
    assert "Get coupon and buy" in page and "CN¥79.00" in page
    assert '<html lang="en">' in page


def test_without_a_coupon_and_with_a_real_discount(client: TestClient, session: Session,
                                                   seed: Seed) -> None:
    link = share(session, seed, with_coupon=False)
    row = session.get(Offer, link.offer_id)
    assert row is not None
    row.ref_price = 13900  # sold at ¥139 for the last 30 days: ¥99 is a real drop
    session.flush()
    page = client.get(f"/s/{link.code}").text
    tree = lxml_html.fromstring(page)
    assert tree.find(".//*[@class='final']/strong").text == "¥99.00"
    assert "原价" not in page
    assert "真实降幅 29%" in tree.findtext(".//*[@class='real-discount']")


# --- the poster ------------------------------------------------------------------------------

def test_poster_png_with_a_qr_code_of_the_share_url(
        client: TestClient, session: Session, seed: Seed,
        picture_calls: list[str | None]) -> None:
    link = share(session, seed, image_url="http://127.0.0.1:9/img/s1.png")
    response = client.get(f"/s/{link.code}/poster.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    image = Image.open(BytesIO(response.content))
    assert image.size == (750, 1334)
    base = get_settings().base_url.rstrip("/")
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [f"{base}/s/{link.code}"]
    assert picture_calls == ["http://127.0.0.1:9/img/s1.png"]  # the offer's own image only
    assert image.convert("RGB").getpixel((375, 300)) == (30, 120, 200)
    head = client.head(f"/s/{link.code}/poster.png")  # chat apps look before they fetch
    assert head.status_code == 200 and head.headers["content-type"] == "image/png"
    assert client.head(f"/s/{link.code}").status_code == 200


def test_posters_are_drawn_once_then_served_from_disk_and_by_etag(
        client: TestClient, session: Session, seed: Seed, poster_dir: Path,
        picture_calls: list[str | None]) -> None:
    link = share(session, seed)
    url = f"/s/{link.code}/poster.png"
    first = client.get(url)
    etag = first.headers["etag"]
    assert "max-age" in first.headers["cache-control"]
    assert len(list(poster_dir.glob(f"{link.code}-zh_CN-*.png"))) == 1
    again = client.get(url)
    assert again.content == first.content and again.headers["etag"] == etag
    assert len(picture_calls) == 1  # not fetched nor drawn again
    not_modified = client.get(url, headers={"if-none-match": etag})
    assert not_modified.status_code == 304 and not not_modified.content
    english = client.get(url, headers=EN)
    assert english.headers["etag"] != etag and len(picture_calls) == 2
    # A new price is a new poster; the link's old one in that language is removed.
    row = session.get(Offer, link.offer_id)
    assert row is not None
    row.price = 8900
    session.flush()
    changed = client.get(url)
    assert changed.headers["etag"] != etag
    assert len(list(poster_dir.glob(f"{link.code}-zh_CN-*.png"))) == 1
    assert "accept-language" in changed.headers["vary"].lower()


def test_an_unreachable_picture_gives_a_placeholder_not_kept(
        client: TestClient, session: Session, seed: Seed, poster_dir: Path) -> None:
    with serve(lambda _p, _q: (503, {}, b"busy")) as base:
        link = share(session, seed, image_url=f"{base}/img/s1.png")
        response = client.get(f"/s/{link.code}/poster.png")
    assert response.status_code == 200
    image = Image.open(BytesIO(response.content)).convert("RGB")
    assert image.getpixel((375, 300)) == (240, 240, 240)  # the grey placeholder
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["etag"].endswith('-placeholder"')
    assert not list(poster_dir.glob("*.png"))  # next time it tries the picture again


def test_the_picture_is_fetched_from_the_offer_image_url(
        client: TestClient, session: Session, seed: Seed) -> None:
    picture = BytesIO()
    Image.new("RGB", (200, 200), (250, 200, 40)).save(picture, format="PNG")
    seen: list[str] = []

    def responder(path: str, _q: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        seen.append(path)
        return 200, {"Content-Type": "image/png"}, picture.getvalue()

    with serve(responder) as base:
        link = share(session, seed, image_url=f"{base}/img/s1.png")
        response = client.get(f"/s/{link.code}/poster.png")
    assert seen == ["/img/s1.png"]
    image = Image.open(BytesIO(response.content)).convert("RGB")
    assert image.getpixel((375, 300)) == (250, 200, 40)
    assert response.headers["cache-control"].startswith("public")
