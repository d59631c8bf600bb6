"""The share poster, drawn without a request: size, a QR code that scans to the share URL,
Chinese that renders as real glyphs, wrapping, and the bounded product-image fetch."""

from __future__ import annotations

import socket
import time
from io import BytesIO
from itertools import combinations

import pytest
import zxingcpp
from PIL import Image, ImageChops

from tests.support.feedserver import serve
from web.poster import (
    HEIGHT,
    IMAGE_MARGIN,
    IMAGE_SIZE,
    PAD,
    WIDTH,
    PosterContent,
    draw_poster,
    qr_image,
)
from web.poster_images import decode_image, fetch_image
from web.poster_text import REGULAR_FONTS, drawable, fit_line, fit_lines, font, width, wrap

URL = "http://127.0.0.1:8000/s/Ab3dEf9h"
TITLE_BOX = (PAD, IMAGE_MARGIN + IMAGE_SIZE + 20, WIDTH - PAD, IMAGE_MARGIN + IMAGE_SIZE + 130)


def content(**changes: object) -> PosterContent:
    values: dict[str, object] = {
        "title": "兰蔻小黑瓶精华肌底液 50ml 修护淡纹 保湿补水 Lancome Advanced Génifique",
        "final_label": "券后价", "final_price": "¥79", "before_price": "原价 ¥99",
        "coupon": "券 ¥20 满99减20", "sharer": "小明 分享给你",
        "scan_hint": "长按识别二维码，领券购买", "site_name": "导购 daogou",
        "share_url": URL, "image_url": "http://127.0.0.1:1/img/1.png"}
    values.update(changes)
    return PosterContent(**values)  # type: ignore[arg-type]


def product_picture() -> Image.Image:
    picture = Image.new("RGB", (400, 300), (30, 120, 200))
    picture.paste((250, 200, 40), (100, 50, 300, 250))
    return picture


def decoded(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(BytesIO(png)))
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def test_a_png_of_the_poster_size() -> None:
    png = draw_poster(content(), product_picture())
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == (WIDTH, HEIGHT) == (750, 1334)


@pytest.mark.parametrize("url", [URL, "https://daogou.example.com/s/zzZZ9999",
                                 "http://127.0.0.1:8000/s/" + "x" * 16])
def test_the_qr_code_scans_to_the_share_url(url: str) -> None:
    assert decoded(draw_poster(content(share_url=url), product_picture())) == [url]
    assert decoded(draw_poster(content(share_url=url), None)) == [url]


def test_qr_modules_are_whole_pixels() -> None:
    code = qr_image(URL, 220)
    assert code.width == code.height <= 220
    assert [r.text for r in zxingcpp.read_barcodes(code)] == [URL]


def test_the_font_has_chinese_glyphs() -> None:
    """Each character draws its own glyph, none of them the empty .notdef box."""
    face = font(48)
    family = face.getname()[0]
    assert "CJK" in family or "WenQuanYi" in family, family
    notdef = bytes(face.getmask("\u0378"))  # unassigned: the font's .notdef glyph
    glyphs = {ch: bytes(face.getmask(ch)) for ch in "券后价分享领二维码"}
    assert all(any(g) for g in glyphs.values())  # ink, not blank
    assert notdef not in glyphs.values()
    assert all(a != b for a, b in combinations(glyphs.values(), 2))


def test_the_title_is_drawn_in_readable_chinese() -> None:
    one = Image.open(BytesIO(draw_poster(content(title="春季新款连衣裙"), None))).crop(TITLE_BOX)
    two = Image.open(BytesIO(draw_poster(content(title="夏日防晒霜套装"), None))).crop(TITLE_BOX)
    ink = sum(one.convert("L").histogram()[:128])  # dark pixels
    assert ink > 800  # seven characters' worth of strokes, not an empty band
    assert ImageChops.difference(one, two).getbbox() is not None  # different glyphs


def test_the_product_picture_fills_the_top() -> None:
    poster = Image.open(BytesIO(draw_poster(content(), product_picture()))).convert("RGB")
    centre = (IMAGE_MARGIN + IMAGE_SIZE // 2, IMAGE_MARGIN + IMAGE_SIZE // 2)
    assert poster.getpixel(centre) == (250, 200, 40)
    placeholder = Image.open(BytesIO(draw_poster(content(), None))).convert("RGB")
    assert placeholder.getpixel((IMAGE_MARGIN + 20, IMAGE_MARGIN + 20)) == (240, 240, 240)


def test_cache_key_follows_what_is_drawn() -> None:
    assert content().cache_key() == content().cache_key()
    assert content().cache_key() != content(final_price="¥78").cache_key()
    assert content().cache_key() != content(image_url=None).cache_key()


# --- wrapping ---------------------------------------------------------------------------

def test_chinese_wraps_between_any_two_characters() -> None:
    face = font(30)
    lines = wrap("一二三四五六七八九十" * 3, face, width("一二三四五六七", face) + 1)
    assert lines == ["一二三四五六七", "八九十一二三四", "五六七八九十一", "二三四五六七八", "九十"]


def test_latin_words_stay_whole() -> None:
    face = font(30)
    lines = wrap("Lancome Advanced Genifique Serum", face, width("Lancome Advanced", face) + 1)
    assert lines == ["Lancome Advanced", "Genifique Serum"]
    long = wrap("x" * 80, face, 200)
    assert len(long) > 1 and all(width(line, face) <= 200 for line in long)


def test_closing_punctuation_never_starts_a_line() -> None:
    face = font(30)
    lines = wrap("一二三四五，六七", face, width("一二三四五", face) + 1)
    assert lines[0] == "一二三四五，"
    assert not any(line.startswith("，") for line in lines)


def test_long_titles_are_cut_with_an_ellipsis() -> None:
    face = font(34)
    lines = fit_lines("超长标题" * 40, face, 600, max_lines=2)
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(width(line, face) <= 600 for line in lines)
    assert fit_line("短", face, 600) == "短"
    assert fit_line("超长" * 50, face, 300).endswith("…")


def test_what_the_font_cannot_draw_is_left_out() -> None:
    assert drawable("好物\U0001F525推荐\uFE0F\n第二行\x00") == "好物推荐 第二行"


def test_font_candidates_are_paths_on_disk() -> None:
    assert all(path.startswith("/usr/share/fonts/") for path, _ in REGULAR_FONTS)


# --- fetching the product picture ---------------------------------------------------------

def png_bytes(size: tuple[int, int] = (60, 40), mode: str = "RGB") -> bytes:
    out = BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


def test_fetches_the_offer_picture_over_http() -> None:
    with serve(lambda path, _q: (200, {"Content-Type": "image/png"}, png_bytes())) as base:
        image = fetch_image(f"{base}/img/1.png")
    assert image is not None and image.size == (60, 40) and image.mode == "RGB"


@pytest.mark.parametrize(("status", "headers", "body"), [
    (404, {}, b"not found"),
    (200, {"Content-Type": "text/html"}, b"<html>not a picture</html>"),
    (302, {"Location": "http://169.254.169.254/latest"}, b""),  # redirects are not followed
])
def test_anything_but_a_picture_is_no_picture(status: int, headers: dict[str, str],
                                              body: bytes) -> None:
    with serve(lambda _p, _q: (status, headers, body)) as base:
        assert fetch_image(f"{base}/img/1.png") is None


def test_too_big_or_too_slow_is_no_picture() -> None:
    with serve(lambda _p, _q: (200, {}, png_bytes((400, 400)))) as base:
        assert fetch_image(f"{base}/a.png", max_bytes=500) is None

    # A server that accepts the connection (the kernel does, from the backlog) and never
    # answers: the fetch gives up at its timeout.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        started = time.monotonic()
        assert fetch_image(f"http://127.0.0.1:{port}/a.png", timeout=0.3) is None
        assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("url", [None, "", "file:///etc/passwd", "javascript:alert(1)",
                                 "ftp://127.0.0.1/a.png", "//127.0.0.1/a.png"])
def test_only_http_urls_are_fetched(url: str | None) -> None:
    assert fetch_image(url) is None


def test_decoding_refuses_pixel_bombs_and_flattens_transparency() -> None:
    assert decode_image(png_bytes((5000, 5000), mode="1")) is None
    clear = decode_image(png_bytes((10, 10), mode="RGBA"))  # fully transparent
    assert clear is not None and clear.getpixel((5, 5)) == (255, 255, 255)
    assert decode_image(b"\x89PNG garbage") is None
