"""What every importer reads a file into: rows of cells, in reading order.

A Word file gives its tables' rows (with the flowchart shapes found in each cell) and its
paragraphs; text copied out of Word or a PDF gives tab-separated lines, Markdown table rows
and plain lines. :mod:`generator.sources.importing.draft` reads an SOP out of the rows
without caring which format they came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SHAPES = ("proses", "keputusan", "terminator", "penghubung", "panah")
"""The symbol kinds an importer recognises: process box, decision diamond, start/end
capsule, off-page connector, and an arrow (a connector line)."""


@dataclass(frozen=True)
class Cell:
    """One cell (or a whole plain line), its text with spaces collapsed."""

    text: str
    shapes: tuple[str, ...] = ()
    """Flowchart symbols drawn in the cell (Word only), by :data:`SHAPES` kind."""
    raw: str = ""
    """The text before spaces were collapsed (two spaces often part a title from a name)."""
    lines: tuple[str, ...] = ()
    """The cell's paragraphs, when the format keeps them apart (Word): a list's items."""
    links: tuple[str, ...] = ()
    """Per line (paragraph), the address it links to ("" for none): a template's workbook."""
    tokens: tuple[str, ...] = ()
    """The portal's own description of each symbol (its title, in a Word file the portal
    exported): which step, and where its arrows go (see :mod:`generator.office.word`)."""


@dataclass(frozen=True)
class Row:
    """A table row, or a plain line as a row of one cell."""

    cells: tuple[Cell, ...]
    where: str
    """Where the row is in the file, in words (``baris 12``, ``tabel 3 baris 4``)."""
    line: int = 0
    """A line number for positions in messages (the row's order when the file has no lines)."""
    table: int = -1
    """The table the row belongs to (-1: a plain line)."""

    @property
    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]

    @property
    def filled(self) -> list[str]:
        """The non-empty cell texts."""
        return [cell.text for cell in self.cells if cell.text]


@dataclass
class ReadFile:
    """A file as rows, with what its reader could not make sense of."""

    rows: list[Row] = field(default_factory=list)
    format: str = ""
    """In words, for the summary (``teks bertab``, ``tabel Markdown``, ``Word``)."""
    arrows: list[tuple[int, int]] = field(default_factory=list)
    """Arrows drawn as connectors glued to two shapes (Word): (row, row) indexes into ``rows``
    of the shapes they start and end at."""
    settings: dict[str, Any] = field(default_factory=dict)
    """What a sheet the portal exported says beyond its tables (labels, printing, family...)."""
    notes: dict[tuple[str | int, ...], str] = field(default_factory=dict)
    """What the reader itself had to guess, by the draft field it is about (a comment there)."""
    symbol_arrows: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    """Lines drawn from one symbol to another, each end as (row index into ``rows``, column
    of the row's cells): glued connectors, a group's lines, a PDF's paths. Read instead of
    ``arrows`` when given; a column says which symbol of a row of several (a return within
    the row)."""


_SPACES = re.compile(r"\s+")
_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,20}(?:\s[^<>]{0,200})?/?>")
"""A tag an extraction left (``<ol style=...>``): "<" right before a tag's name; "< 60" is text."""
_BOLD = re.compile(r"(?:(?<=\s)|^)\*\*(?=[\w(])|(?<=[\w.)])\*\*(?=\s|$|[,.;:])")
"""Markdown bold an extraction left ("**PEMERINTAH", "LUMAJANG**"): "**" against a word; a
"**" standing apart ("catatan **", "** pemohon") is the text's own mark and stays."""
_BEFORE_PUNCTUATION = re.compile(r"(?<=\w) ([,;])(?= )")
"""A space an extraction put before a comma or semicolon ("Daerah , sebagaimana")."""


def clean(text: str, *, extracted: bool = True) -> str:
    """Text as a person would read it: non-breaking spaces as spaces, runs of spaces as one.
    ``extracted`` (text copied out of Word or a PDF): also without the markup the extraction
    left (``<ol ...>``, ``**``) and without a space it put before a comma."""
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    if extracted:
        text = _BOLD.sub("", _HTML.sub(" ", text))
    text = _SPACES.sub(" ", text).strip()
    return _BEFORE_PUNCTUATION.sub(r"\1", text) if extracted else text
