"""Product images the sandbox draws itself, so the demo needs no network.

This is the only drawing code; image_labels.py looks up what to draw. Each
image is a function of the item id alone (plus the category and brand the
caller looked up): a colour from a hash, a simple shape hinting at the
category and the brand's Latin initials. Pillow's bundled font is used because
it is always there; it has no CJK glyphs, hence Latin initials only."""

from __future__ import annotations

import colorsys
import hashlib
import io
from collections.abc import Callable
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

SIZE = 400
_CX, _CY = SIZE // 2, 185  # shape centre, above the caption band

RGB = tuple[int, int, int]
ShapeFn = Callable[[ImageDraw.ImageDraw, RGB, RGB], None]


@lru_cache(maxsize=2048)
def product_png(
    item_id: str, *, category: str = "", initials: str = "", caption: str = "", variant: int = 0
) -> bytes:
    """A SIZE×SIZE PNG for ``item_id``; the same arguments always give the same bytes."""
    digest = hashlib.blake2b(f"{item_id}:{variant}".encode(), digest_size=8).digest()
    background, ink, accent = _palette(digest)
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    _SHAPES.get(category, _gem)(draw, ink, accent)
    _badge(draw, initials or item_id[:2].upper(), ink, background)
    if caption:
        draw.text((_CX, 350), caption[:24], font=_font(26), fill=ink, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _palette(digest: bytes) -> tuple[RGB, RGB, RGB]:
    hue = digest[0] / 255
    return (
        _rgb(hue, 0.9, 0.6),  # pale background
        _rgb(hue, 0.3, 0.55),  # dark ink of the same hue
        _rgb((hue + 0.45 + digest[1] / 2550) % 1.0, 0.6, 0.65),  # contrasting accent
    )


def _rgb(hue: float, lightness: float, saturation: float) -> RGB:
    red, green, blue = colorsys.hls_to_rgb(hue, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _badge(draw: ImageDraw.ImageDraw, text: str, ink: RGB, background: RGB) -> None:
    draw.rounded_rectangle((18, 18, 118, 78), radius=14, fill=ink)
    draw.text((68, 48), text[:3], font=_font(34), fill=background, anchor="mm")


def _lipstick(draw: ImageDraw.ImageDraw, ink: RGB, accent: RGB) -> None:
    draw.polygon([(175, 170), (225, 170), (225, 120), (190, 95), (175, 110)], fill=accent)
    draw.rectangle((165, 170, 235, 200), fill=ink)
    draw.rounded_rectangle((160, 200, 240, 300), radius=8, fill=ink)


def _jar(draw: ImageDraw.ImageDraw, ink: RGB, accent: RGB) -> None:
    draw.rounded_rectangle((125, 110, 275, 150), radius=10, fill=ink)
    draw.rounded_rectangle((115, 150, 285, 280), radius=24, fill=accent)
    draw.rounded_rectangle((150, 190, 250, 240), radius=6, outline=ink, width=4)


def _earbuds(draw: ImageDraw.ImageDraw, ink: RGB, accent: RGB) -> None:
    draw.rounded_rectangle((110, 150, 290, 280), radius=50, fill=ink)
    draw.line((115, 205, 285, 205), fill=accent, width=4)
    draw.ellipse((140, 95, 190, 145), fill=accent)
    draw.ellipse((210, 95, 260, 145), fill=accent)


def _cookie(draw: ImageDraw.ImageDraw, ink: RGB, accent: RGB) -> None:
    draw.ellipse((105, 95, 295, 285), fill=accent)
    for x, y in ((150, 140), (220, 130), (185, 190), (240, 215), (145, 230), (205, 250)):
        draw.ellipse((x - 11, y - 11, x + 11, y + 11), fill=ink)


def _bottle(draw: ImageDraw.ImageDraw, ink: RGB, accent: RGB) -> None:
    draw.rectangle((182, 80, 218, 110), fill=ink)
    draw.polygon([(170, 110), (230, 110), (255, 150), (145, 150)], fill=accent)
    draw.rounded_rectangle((140, 150, 260, 300), radius=18, fill=accent)
    draw.rectangle((160, 190, 240, 250), fill=ink)


def _paw(draw: ImageDraw.ImageDraw, ink: RGB, accent: RGB) -> None:
    draw.ellipse((140, 170, 260, 280), fill=ink)
    for x, y in ((120, 140), (165, 100), (235, 100), (280, 140)):
        draw.ellipse((x - 24, y - 30, x + 24, y + 30), fill=accent)


def _tshirt(draw: ImageDraw.ImageDraw, ink: RGB, accent: RGB) -> None:
    outline = [
        (160, 95),
        (240, 95),
        (300, 135),
        (275, 175),
        (250, 160),
        (250, 290),
        (150, 290),
        (150, 160),
        (125, 175),
        (100, 135),
    ]
    draw.polygon(outline, fill=accent)
    draw.arc((170, 75, 230, 125), start=0, end=180, fill=ink, width=6)


def _ball(draw: ImageDraw.ImageDraw, ink: RGB, accent: RGB) -> None:
    draw.ellipse((110, 95, 290, 275), fill=accent, outline=ink, width=6)
    draw.line((200, 95, 200, 275), fill=ink, width=5)
    draw.line((110, 185, 290, 185), fill=ink, width=5)
    draw.arc((60, 95, 170, 275), start=-50, end=50, fill=ink, width=5)
    draw.arc((230, 95, 340, 275), start=130, end=230, fill=ink, width=5)


def _pillow(draw: ImageDraw.ImageDraw, ink: RGB, accent: RGB) -> None:
    draw.rounded_rectangle((90, 120, 310, 260), radius=45, fill=accent, outline=ink, width=5)
    draw.rounded_rectangle((120, 145, 280, 235), radius=30, outline=ink, width=3)


def _baby_bottle(draw: ImageDraw.ImageDraw, ink: RGB, accent: RGB) -> None:
    draw.ellipse((180, 70, 220, 115), fill=ink)
    draw.rectangle((160, 105, 240, 130), fill=ink)
    draw.rounded_rectangle((155, 130, 245, 300), radius=20, fill=accent)
    for y in (170, 205, 240):
        draw.line((160, y, 190, y), fill=ink, width=4)


def _cooker(draw: ImageDraw.ImageDraw, ink: RGB, accent: RGB) -> None:
    draw.ellipse((110, 105, 290, 165), fill=ink)
    draw.rounded_rectangle((110, 135, 290, 285), radius=30, fill=accent)
    draw.rounded_rectangle((170, 200, 230, 235), radius=8, fill=ink)


def _cup(draw: ImageDraw.ImageDraw, ink: RGB, accent: RGB) -> None:
    draw.polygon([(130, 140), (260, 140), (245, 290), (145, 290)], fill=accent)
    draw.arc((235, 165, 305, 245), start=-90, end=90, fill=accent, width=14)
    for x in (165, 195, 225):
        draw.arc((x - 10, 85, x + 10, 130), start=90, end=270, fill=ink, width=4)


def _gem(draw: ImageDraw.ImageDraw, ink: RGB, accent: RGB) -> None:
    draw.polygon([(200, 95), (290, 185), (200, 285), (110, 185)], fill=accent, outline=ink)


_SHAPES: dict[str, ShapeFn] = {
    "beauty": _lipstick,
    "skincare": _jar,
    "digital": _earbuds,
    "snacks": _cookie,
    "cleaning": _bottle,
    "pets": _paw,
    "apparel": _tshirt,
    "sports": _ball,
    "home": _pillow,
    "baby": _baby_bottle,
    "appliances": _cooker,
    "drinks": _cup,
}
