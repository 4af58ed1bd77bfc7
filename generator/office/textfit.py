"""How text sets in the Word sheet's cells: widths in Arial's metrics, lines broken at spaces,
and the largest type size at which no word must break.

Word draws the sheet in Arial and LibreOffice in Liberation Sans, whose advance widths are
Arial's; both break lines at spaces. The sheet sizes its rows and its type from these
widths, so that every row is as tall as its text and no word is cut in two. (The printed
sheet measures with its own module, ``generator.print.textmetrics``: the output stages do
not import each other.)
"""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path

FONT_FAMILY = "Liberation Sans"
"""Arial's metric twin, which LibreOffice draws the sheet's Arial in."""

LINE_PITCH = 1.2
"""Line pitch as a multiple of the type size (the sheet sets its paragraphs exactly so)."""

AVERAGE_ADVANCE = 0.56
"""An Arial letter's mean advance (em), for a machine without the font: wider than most text,
so that what is measured with it still fits."""


@cache
def _advances(bold: bool) -> tuple[dict[int, float], float] | None:
    """Advance width of each character (em), and of a character the font lacks; ``None``
    when the font is not installed."""
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{family}\t%{file}", f"{FONT_FAMILY}:{'bold' if bold else 'regular'}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    family, _, path = found.partition("\t")
    if FONT_FAMILY not in family or not Path(path).is_file():
        return None
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    try:
        units = float(font["head"].unitsPerEm)
        metrics = font["hmtx"]
        advances = {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}
    finally:
        font.close()
    return advances, advances.get(ord("M"), 1.0)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` on one line at ``size`` points, in points."""
    found = _advances(bold)
    if found is None:
        return len(text) * AVERAGE_ADVANCE * (1.06 if bold else 1.0) * size
    advances, missing = found
    return sum(advances.get(ord(char), missing) for char in text) * size


def words_fit(text: str, width: float, size: float, *, bold: bool = False) -> bool:
    """True when every word of ``text`` fits on a line ``width`` points wide."""
    return all(text_width(word, size, bold=bold) <= width for word in text.split())


def lines(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """``text`` broken into lines at most ``width`` points wide, at spaces only (a word wider
    than the line stands alone on its line)."""
    out: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, bold=bold) > width:
            out.append(current)
            current = word
        else:
            current = candidate
    return [*out, current] if current else out or [""]


def fitting_size(texts: list[str], width: float, sizes: tuple[float, ...], *, bold: bool = False) -> float | None:
    """The largest of ``sizes`` at which every word of ``texts`` fits in ``width`` points
    (``None`` when none does)."""
    for size in sorted(sizes, reverse=True):
        if all(words_fit(text, width, size, bold=bold) for text in texts):
            return size
    return None


def block_height(texts: list[str], width: float, size: float, *, bold: bool = False) -> float:
    """Height in points of paragraphs ``texts`` set ``width`` points wide at ``size``."""
    count = sum(len(lines(text, width, size, bold=bold)) for text in texts) if texts else 1
    return count * size * LINE_PITCH
