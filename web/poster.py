"""The share poster: a phone-sized PNG a sharer saves and posts where links do not travel.

Pure: ``draw_poster(content, image)`` turns what to show into PNG bytes, with no request,
database or network. The route (``web.routes.share``) fills ``PosterContent`` with text
already translated and formatted, and fetches the product image (``web.poster_images``).

Layout, 750 × 1334 (a phone screen at 2x): the product image as a square on top; the
title in two lines; 券后价 big and red; the price before the coupon and the coupon; then,
under a dashed rule, who shares it, a "scan me" hint and the QR code of the share URL.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from io import BytesIO

import segno
from PIL import Image, ImageDraw, ImageOps

from web.poster_text import fit_line, fit_lines, font, width

WIDTH, HEIGHT = 750, 1334
PAD = 36
IMAGE_MARGIN = PAD
IMAGE_SIZE = WIDTH - 2 * IMAGE_MARGIN  # the product image: a square across the top
IMAGE_RADIUS = 16
QR_SIZE = 220  # at most; whole modules, so a little smaller for long URLs
QR_BORDER = 2  # quiet zone in modules; the white card around it adds the rest
VERSION = 1  # bump when the layout changes: cached posters are keyed by it

RED = (228, 57, 60)
INK = (34, 34, 34)
MUTED = (119, 119, 119)
GOLD = (255, 244, 229)
LINE = (230, 230, 230)
PLACEHOLDER = (240, 240, 240)
WHITE = (255, 255, 255)


@dataclass(frozen=True)
class PosterContent:
    """Everything a poster shows, as final text (translated, money formatted)."""

    title: str
    final_label: str  # "券后价" / "After coupon" (or "Now" when no coupon applies)
    final_price: str  # "¥59.9"
    before_price: str | None  # "原价 ¥99" when a coupon lowers the price
    coupon: str | None  # "券 ¥20 满99减20"
    sharer: str  # "小明 shares this deal with you"
    scan_hint: str  # "Long-press or scan the QR code to get the coupon"
    site_name: str
    share_url: str  # what the QR code says
    image_url: str | None = None  # drawn from the image passed to draw_poster; keys the cache

    def cache_key(self) -> str:
        """Changes whenever anything drawn changes (and with the layout VERSION)."""
        payload = json.dumps([VERSION, asdict(self)], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:20]


def draw_poster(content: PosterContent, image: Image.Image | None = None) -> bytes:
    """The poster as PNG bytes; ``image`` is the product picture, or None for a plain
    placeholder (no picture, or it could not be fetched)."""
    canvas = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    _product_image(canvas, image)
    draw = ImageDraw.Draw(canvas)
    y = _title(draw, content, IMAGE_MARGIN + IMAGE_SIZE + 26)
    _prices(draw, content, y + 14)
    _footer(canvas, draw, content)
    out = BytesIO()
    canvas.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


def _product_image(canvas: Image.Image, image: Image.Image | None) -> None:
    size = (IMAGE_SIZE, IMAGE_SIZE)
    if image is not None:
        tile = ImageOps.fit(image.convert("RGB"), size, Image.Resampling.LANCZOS)
    else:
        tile = _placeholder()
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, IMAGE_SIZE - 1, IMAGE_SIZE - 1),
                                           radius=IMAGE_RADIUS, fill=255)
    canvas.paste(tile, (IMAGE_MARGIN, IMAGE_MARGIN), mask)


def _placeholder() -> Image.Image:
    """A neutral grey square with the outline of a picture: no image, or it failed."""
    tile = Image.new("RGB", (IMAGE_SIZE, IMAGE_SIZE), PLACEHOLDER)
    draw = ImageDraw.Draw(tile)
    cx, cy, r = IMAGE_SIZE // 2, IMAGE_SIZE // 2, 90
    draw.rounded_rectangle((cx - r, cy - r * 3 // 4, cx + r, cy + r * 3 // 4), radius=16,
                           outline=(200, 200, 200), width=8)
    draw.polygon([(cx - r + 24, cy + r * 3 // 4 - 20), (cx - 20, cy - 10),
                  (cx + 30, cy + 40), (cx + 50, cy + 20),
                  (cx + r - 24, cy + r * 3 // 4 - 20)], fill=(210, 210, 210))
    draw.ellipse((cx + 28, cy - 50, cx + 58, cy - 20), fill=(210, 210, 210))
    return tile


def _title(draw: ImageDraw.ImageDraw, content: PosterContent, y: int) -> int:
    face = font(34)
    for line in fit_lines(content.title, face, WIDTH - 2 * PAD, max_lines=2):
        draw.text((PAD, y), line, font=face, fill=INK)
        y += 50
    return y


def _prices(draw: ImageDraw.ImageDraw, content: PosterContent, y: int) -> None:
    """券后价 label and price on one baseline, then the price before and the coupon."""
    label_face, price_face = font(30, bold=True), font(76, bold=True)
    baseline = y + 80
    label = fit_line(content.final_label, label_face, 220)
    draw.text((PAD, baseline), label, font=label_face, fill=RED, anchor="ls")
    x = PAD + width(label, label_face) + 12
    price = fit_line(content.final_price, price_face, WIDTH - PAD - x)
    draw.text((x, baseline + 6), price, font=price_face, fill=RED, anchor="ls")
    _terms(draw, content, baseline + 24)


def _terms(draw: ImageDraw.ImageDraw, content: PosterContent, y: int) -> None:
    """The price before the coupon, then the coupon as a chip, sharing one line: the
    coupon's terms give way first (its amount comes first), then the price before."""
    small = font(26)
    room = WIDTH - 2 * PAD
    chip_pad, gap = 12, 20
    before = content.before_price or ""
    coupon = content.coupon or ""
    if coupon:
        coupon_room = max(room - width(before, small) - gap - 2 * chip_pad, room * 0.45)
        coupon = fit_line(coupon, small, coupon_room)
    before_room = room - (width(coupon, small) + 2 * chip_pad + gap if coupon else 0)
    x = PAD
    if before:
        before = fit_line(before, small, before_room)
        draw.text((x, y), before, font=small, fill=MUTED)
        x += int(width(before, small)) + gap
    if coupon:
        chip_w = int(width(coupon, small)) + 2 * chip_pad
        draw.rounded_rectangle((x, y - 2, x + chip_w, y + 40), radius=6, fill=GOLD,
                               outline=RED, width=2)
        draw.text((x + chip_pad, y + 2), coupon, font=small, fill=RED)


def _footer(canvas: Image.Image, draw: ImageDraw.ImageDraw, content: PosterContent) -> None:
    top = HEIGHT - QR_SIZE - 2 * PAD - 10
    for x in range(PAD, WIDTH - PAD, 16):  # a dashed rule, like a coupon's tear line
        draw.line((x, top, x + 8, top), fill=LINE, width=2)
    qr = qr_image(content.share_url, QR_SIZE)
    qr_x = WIDTH - PAD - qr.width
    qr_y = top + PAD + (QR_SIZE - qr.height) // 2
    canvas.paste(qr, (qr_x, qr_y))
    text_w = qr_x - PAD - 24
    y = top + PAD + 20
    bold, hint, brand = font(30, bold=True), font(24), font(26, bold=True)
    for line in fit_lines(content.sharer, bold, text_w, max_lines=2):
        draw.text((PAD, y), line, font=bold, fill=INK)
        y += 44
    y += 12
    for line in fit_lines(content.scan_hint, hint, text_w, max_lines=2):
        draw.text((PAD, y), line, font=hint, fill=MUTED)
        y += 36
    draw.text((PAD, HEIGHT - PAD - 10), fit_line(content.site_name, brand, text_w),
              font=brand, fill=RED, anchor="ls")


def qr_image(data: str, size: int) -> Image.Image:
    """A QR code of ``data`` at most ``size`` pixels wide, in whole pixels per module so
    scanners see crisp squares. Error correction M survives a little blur or a crop."""
    code = segno.make(data, error="m", micro=False)
    modules = int(code.symbol_size(scale=1, border=QR_BORDER)[0])
    scale = max(1, size // modules)
    bitmap = Image.new("1", (modules, modules), 1)
    for row, bits in enumerate(code.matrix):
        for col, dark in enumerate(bits):
            if dark:
                bitmap.putpixel((col + QR_BORDER, row + QR_BORDER), 0)
    side = modules * scale
    return bitmap.resize((side, side), Image.Resampling.NEAREST).convert("RGB")
