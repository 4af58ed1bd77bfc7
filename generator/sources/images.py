"""Images the sources and settings name (letterhead logos): what may be one, checked from the
file's header before anything decodes it.

A 20 KB PNG may declare 13000 × 13000 pixels: decoded it takes 1.4 GB and WeasyPrint would
put a 507 MB image into every PDF. Pillow reads the size from the header without decoding,
so such a file is refused here, at the source line or setting that names it, and the
printed sheet scales what is accepted to print resolution (:mod:`generator.print.images`).
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import stat
import warnings
from pathlib import Path

MAX_IMAGE_BYTES = 5 * 1024 * 1024
"""Largest logo file (a letterhead logo is tens of kilobytes)."""

MAX_IMAGE_PIXELS = 25_000_000
"""Most pixels a logo may declare (5000 × 5000; the sheet prints it 40 × 24 mm, which at
300 dpi is 472 × 283 pixels). Pillow's own limit (89 million, a warning; twice that, an
error) is far above what decoding may cost here."""

RASTER_SUFFIXES = frozenset({".png", ".jpg", ".jpeg"})
IMAGE_SUFFIXES = RASTER_SUFFIXES | {".svg"}

_DATA_IMAGE = re.compile(rb"data:image/[a-z+.-]{1,20};base64,([A-Za-z0-9+/=\s]+)")
"""An image embedded in an SVG."""
_EXTERNAL_IMAGE = re.compile(rb"<(?:[a-z]{1,10}:)?image\b[^>]{0,2000}?href\s*=\s*[\"'](?!data:)", re.I)


def image_refusal(path: Path) -> str | None:
    """Why ``path`` cannot be used as a logo, in Indonesian (``None``: it can)."""
    try:
        info = path.stat()
    except OSError:
        return "berkas tidak ditemukan"
    if not stat.S_ISREG(info.st_mode):
        return "bukan berkas biasa"
    if info.st_size > MAX_IMAGE_BYTES:
        return f"berkas {info.st_size // 1024} KB, paling besar {MAX_IMAGE_BYTES // 1024 // 1024} MB"
    suffix = path.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        return "bukan gambar PNG, JPG atau SVG"
    data = path.read_bytes()
    if suffix == ".svg":
        return _svg_refusal(data)
    return _raster_refusal(data)


def _raster_refusal(data: bytes) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the size is judged below
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                width, height = image.size
    except Image.DecompressionBombError:
        return "gambar lebih dari 178 juta piksel"
    except (UnidentifiedImageError, OSError, ValueError):
        return "berkas gambar rusak atau bukan PNG/JPG"
    if width * height > MAX_IMAGE_PIXELS:
        return (
            f"gambar {width} × {height} piksel, paling banyak {MAX_IMAGE_PIXELS // 1_000_000} juta piksel "
            "(logo dicetak 4 × 2,4 cm: 500 piksel sudah tajam)"
        )
    return None


def _svg_refusal(data: bytes) -> str | None:
    """An SVG is drawn as vectors; the raster images inside one are held to the same bound,
    and an image it would fetch from elsewhere is refused."""
    if _EXTERNAL_IMAGE.search(data):
        return "SVG memuat gambar dari berkas lain; sisipkan gambarnya di dalam SVG atau pakai PNG"
    for match in _DATA_IMAGE.finditer(data):
        try:
            decoded = base64.b64decode(b"".join(match.group(1).split()))
        except (binascii.Error, ValueError):
            return "gambar di dalam SVG rusak"
        refusal = _raster_refusal(decoded)
        if refusal:
            return f"gambar di dalam SVG: {refusal}"
    return None
