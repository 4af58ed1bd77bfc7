"""Images as the printed sheet embeds them: a logo at print resolution, never larger.

The sources' checks (:mod:`generator.sources.images`) refuse an image that declares too
many pixels; what passes may still be a 5000-pixel scan of a logo printed 24 mm high. Each
PDF would carry it whole, so a raster logo larger than its box at :data:`PRINT_DPI` is scaled
down to it first (the same file always gives the same bytes: builds stay reproducible).
"""

from __future__ import annotations

import io
from pathlib import Path

LOGO_BOX_MM = (40.0, 24.0)
"""The most room the letterhead gives the logo (``.kop .logo`` in ``sheet.css``): width, height."""

PRINT_DPI = 300
"""Print resolution: what a laser printer resolves at reading distance."""

MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def box_pixels(box_mm: tuple[float, float] = LOGO_BOX_MM, dpi: int = PRINT_DPI) -> tuple[int, int]:
    """The pixels a box of ``box_mm`` millimetres holds at ``dpi``."""
    return (round(box_mm[0] / 25.4 * dpi), round(box_mm[1] / 25.4 * dpi))


def print_image(path: Path, box_mm: tuple[float, float] = LOGO_BOX_MM) -> tuple[bytes, str]:
    """The bytes and MIME type to embed for the image at ``path``: an SVG as it is, a PNG or
    JPEG as it is when it fits ``box_mm`` at :data:`PRINT_DPI`, else scaled down to fit."""
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix == ".svg":
        return data, MIME[suffix]
    from PIL import Image

    box = box_pixels(box_mm)
    with Image.open(io.BytesIO(data)) as image:
        if image.width <= box[0] and image.height <= box[1]:
            return data, MIME[suffix]
        if image.format == "JPEG":
            image.draft("RGB", box)  # decode a JPEG at a fraction of its size straight away
        scaled = image.copy()
    scaled.thumbnail(box, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if suffix == ".png" or scaled.mode not in ("RGB", "L"):
        scaled.save(out, format="PNG", optimize=True)
        return out.getvalue(), "image/png"
    scaled.save(out, format="JPEG", quality=90)
    return out.getvalue(), "image/jpeg"
