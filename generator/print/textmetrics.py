"""Text measurement and line wrapping with the real metrics of the portal's font.

Diagrams and printed sheets place every line of text themselves, so they must know how
wide a line is in the font that Graphviz, the browser and WeasyPrint will draw it in.
The font is Liberation Sans (metrically identical to Arial, which offices have), found
through fontconfig and measured with fontTools: no guessing, the same on every machine.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from generator.model.problems import RenderError

FONT_FAMILY = "Liberation Sans"
"""The one font of diagrams and PDFs; `make setup` installs it (Debian fonts-liberation2)."""

CSS_FONT_STACK = "'Liberation Sans', Arial, Helvetica, sans-serif"
"""What pages ask for: Arial has the same metrics, so wrapped lines still fit."""

LINE_HEIGHT = 1.2
"""Line pitch as a multiple of the font size (Graphviz and the print CSS use the same)."""


@cache
def font_file(bold: bool = False) -> Path:
    """Path of the regular or bold Liberation Sans file, via fontconfig."""
    pattern = FONT_FAMILY + (":bold" if bold else ":regular")
    try:
        result = subprocess.run(
            ["fc-match", "-f", "%{family}\t%{file}", pattern], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RenderError("fontconfig (fc-match) tidak tersedia; jalankan `make setup`") from exc
    family, _, path = result.stdout.partition("\t")
    if FONT_FAMILY not in family or not Path(path).is_file():
        raise RenderError(f"huruf {FONT_FAMILY} belum terpasang; jalankan `make setup` (paket fonts-liberation2)")
    return Path(path)


@dataclass(frozen=True)
class _Metrics:
    units_per_em: int
    advances: dict[int, int]
    fallback: int


@cache
def _metrics(bold: bool) -> _Metrics:
    font = TTFont(str(font_file(bold)), lazy=True)
    try:
        cmap = font.getBestCmap()
        hmtx = font["hmtx"]
        advances = {code: hmtx[glyph][0] for code, glyph in cmap.items()}
        units = int(font["head"].unitsPerEm)
        fallback = advances.get(ord("M"), units)
    finally:
        font.close()
    return _Metrics(units, advances, fallback)


@lru_cache(maxsize=65536)
def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of one line of ``text`` at ``size`` points (remembered: layouts measure the same
    words again and again)."""
    metrics = _metrics(bold)
    total = sum(metrics.advances.get(ord(ch), metrics.fallback) for ch in text)
    return total * size / metrics.units_per_em


_BREAKABLE = re.compile(r"(?<=[/\-])")


def _split_long_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and text_width(current + ch, size, bold=bold) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points.

    Lines break at spaces; a word longer than the line also breaks after "/" or "-", and
    as a last resort between letters, so nothing ever overflows its box.
    """
    words = text.split()
    if not words:
        return [""]
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold=bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        if text_width(word, size, bold=bold) <= width:
            current = word
            continue
        parts: list[str] = []
        for chunk in _BREAKABLE.split(word):
            if text_width(chunk, size, bold=bold) <= width:
                parts.append(chunk)
            else:
                parts.extend(_split_long_word(chunk, width, size, bold))
        # Re-join chunks greedily (they were split after "/" and "-").
        for part in parts:
            if current and text_width(current + part, size, bold=bold) <= width:
                current += part
            else:
                if current:
                    lines.append(current)
                current = part
    if current:
        lines.append(current)
    return lines


def block_height(lines: int, size: float) -> float:
    """Height of ``lines`` lines of text at ``size`` points."""
    return lines * size * LINE_HEIGHT
