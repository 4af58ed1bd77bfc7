"""The geometry of a procedure flowchart page, as data: columns, header, rows, symbols and
arrows, in points (y grows downwards). :mod:`generator.print.layout` computes it; the
diagram, the printed sheet and the checker read it. Also the outline of each symbol (where
an arrow meets it), which the passes of the layout and the checker share."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum

from generator.print.geometry import Box, Point, boxes_overlap
from generator.print.textmetrics import text_width


class Shape(StrEnum):
    """The official symbols (the fifth, the arrow, is a :class:`Route`)."""

    TERMINATOR = "terminator"
    PROCESS = "process"
    DECISION = "decision"
    CONNECTOR = "connector"
    """The off-page connector (a pentagon), where a line leaves or enters the page."""
    ON_PAGE = "on-page"
    """The on-page connector (a small circle): one of a pair standing for a line on the page."""


SYMBOL_SIZE: dict[Shape, tuple[float, float]] = {
    Shape.TERMINATOR: (60.0, 24.0),
    Shape.PROCESS: (60.0, 26.0),
    Shape.DECISION: (64.0, 40.0),
    Shape.CONNECTOR: (24.0, 22.0),
    Shape.ON_PAGE: (16.0, 16.0),
}
"""Width and height of each symbol in points (the printed sheet scales them)."""

ARROW_LENGTH = 7.0
"""Length of an arrowhead in points."""

LABEL_MIN_SIZE = 5.0
"""Smallest type a branch label or a symbol's number shrinks to."""

RULE_CLEARANCE = 4.0
"""Points a line running along a table rule keeps from it (lines crossing a rule are fine)."""

TEXT_CLEARANCE = 3.0
"""Points cell text keeps inside its cell's rules."""


@dataclass(frozen=True)
class Column:
    """One column of the sheet."""

    key: str
    """``no``, ``kegiatan``, ``lane-<i>``, or a mutu baku key such as ``waktu``."""
    title: str
    x: float
    width: float
    lane: int | None = None
    header_lines: tuple[str, ...] = ()
    group: str | None = None
    """Title of the header group above this column (PELAKSANA, MUTU BAKU), if any."""
    header_size: float = 9.0
    """Type size of the header text (smaller than the sheet's when a word would not fit)."""

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass(frozen=True)
class HeaderCell:
    """One cell of the header (its rows: groups, column titles, column numbers)."""

    key: str
    lines: tuple[str, ...]
    box: Box
    size: float = 9.0
    """Type size of the text."""


@dataclass(frozen=True)
class Cell:
    """Wrapped text in one cell."""

    column: str
    lines: tuple[str, ...]
    box: Box
    """Where the text block sits (its own width, left-aligned in the cell)."""
    text: str = ""
    """The text before wrapping (for the checker: was a word broken that would have fit?)."""


@dataclass(frozen=True)
class Row:
    """One table row: a step, or a strip that holds off-page connectors."""

    key: str
    """Step key, or ``top``/``bottom`` for connector strips."""
    box: Box
    cells: tuple[Cell, ...] = ()
    is_strip: bool = False


@dataclass(frozen=True)
class Symbol:
    """A symbol in a pelaksana column."""

    id: str
    shape: Shape
    step: str
    """Key of the step (the connector's letter for connectors)."""
    lane: int
    label: str
    """The text inside: the step number ("" where the paper prints none), a connector's letter."""
    box: Box
    role: str = ""
    label_size: float | None = None
    """Type size of the label when the page's would not fit inside the symbol."""
    rounded: bool = False
    """A process box with rounded corners."""


def corner_radius(symbol: Symbol) -> float:
    """Radius of the symbol's rounded corners (a capsule's ends are half its height)."""
    if symbol.shape is Shape.TERMINATOR:
        return symbol.box.h / 2
    if symbol.shape is Shape.PROCESS and symbol.rounded:
        return min(4.0, symbol.box.h / 4)
    return 0.0


def fitted(symbol: Symbol, font_size: float) -> Symbol:
    """The symbol with its label's type reduced (to a floor) until it fits inside."""
    size = font_size
    room = symbol.box.w * (0.55 if symbol.shape is Shape.DECISION else 0.85) - 1.0
    while size > LABEL_MIN_SIZE and text_width(symbol.label, size) > room:
        size -= 0.25
    return symbol if size == font_size else dataclasses.replace(symbol, label_size=size)


def side_point(symbol: Symbol, side: str, dy: float = 0.0) -> Point:
    """Where a horizontal line at ``dy`` from the middle meets the symbol's ``side``."""
    box = symbol.box
    y = box.cy + dy
    if symbol.shape is Shape.DECISION:
        half = box.w / 2 * (1 - abs(dy) / (box.h / 2))
        return (box.cx + half, y) if side == "right" else (box.cx - half, y)
    if symbol.shape is Shape.ON_PAGE:
        r = box.w / 2
        reach = max(0.0, r * r - dy * dy) ** 0.5
        return (box.cx + reach, y) if side == "right" else (box.cx - reach, y)
    r = corner_radius(symbol)
    if r:  # round ends or corners: the line meets the arc
        inner = box.h / 2 - r
        rest = max(0.0, abs(dy) - inner)
        reach = box.w / 2 - r + max(0.0, r * r - rest * rest) ** 0.5
        return (box.cx + reach, y) if side == "right" else (box.cx - reach, y)
    return (box.right, y) if side == "right" else (box.x, y)


def top_point(symbol: Symbol, x: float) -> Point:
    """Where a line coming straight down at ``x`` meets the symbol's outline."""
    return _vertical_point(symbol, x, top=True)


def bottom_point(symbol: Symbol, x: float) -> Point:
    """Where a line leaving straight down at ``x`` leaves the symbol's outline."""
    return _vertical_point(symbol, x, top=False)


def _vertical_point(symbol: Symbol, x: float, *, top: bool) -> Point:
    box = symbol.box
    sign = -1 if top else 1
    if symbol.shape is Shape.DECISION:
        return (x, box.cy + sign * box.h / 2 * (1 - abs(x - box.cx) / (box.w / 2)))
    if symbol.shape is Shape.ON_PAGE:
        r = box.w / 2
        return (x, box.cy + sign * max(0.0, r * r - (x - box.cx) ** 2) ** 0.5)
    r = corner_radius(symbol)
    if r:
        centre = min(max(x, box.x + r), box.right - r)
        inset = r - max(0.0, r * r - (x - centre) ** 2) ** 0.5
        return (x, (box.y + inset) if top else (box.bottom - inset))
    return (x, box.y if top else box.bottom)


def symbol_hits_box(symbol: Symbol, box: Box) -> bool:
    """True when ``box`` covers part of the symbol's drawn shape (a diamond's corners are free)."""
    if not boxes_overlap(symbol.box, box):
        return False
    if symbol.shape is not Shape.DECISION:
        return True
    s = symbol.box
    points = [
        (x, y)
        for x in (box.x, box.cx, box.right)
        for y in (box.y, box.cy, box.bottom)
        if s.x <= x <= s.right and s.y <= y <= s.bottom
    ]
    if any(abs(x - s.cx) / (s.w / 2) + abs(y - s.cy) / (s.h / 2) < 1 for x, y in points):
        return True
    # The diamond's vertices inside the box.
    vertices = [(s.cx, s.y), (s.right, s.cy), (s.cx, s.bottom), (s.x, s.cy)]
    return any(box.x < x < box.right and box.y < y < box.bottom for x, y in vertices)


@dataclass(frozen=True)
class Route:
    """An arrow (or, for joint steps, a dashed link) as an orthogonal polyline."""

    id: str
    points: tuple[Point, ...]
    kind: str
    """``flow``, ``ya``, ``tidak``, ``tidak-terbuka``, ``chain``, ``joint`` or ``connector``."""
    arrow: bool = True
    label: str = ""
    label_at: Point | None = None
    label_anchor: str = "start"
    """``start`` (text begins at ``label_at``) or ``end`` (text ends there)."""
    label_size: float | None = None
    """Type size of the label (``None``: the page's)."""


@dataclass(frozen=True)
class Page:
    """The geometry of one sheet page (the web diagram is a single page)."""

    number: int
    width: float
    height: float
    header_height: float
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    symbols: tuple[Symbol, ...]
    routes: tuple[Route, ...]
    connectors: tuple[str, ...] = ()
    """Letters of the off-page connectors on this page."""
    header: tuple[HeaderCell, ...] = ()
    """Header cells: one per column, plus one per group spanning its columns, plus the
    column numbers when the paper prints them."""
    padding: float = 5.0
    """Space between a cell's border and its text."""
    font_size: float = 9.0
    """Type size of the page's text (the sheet steps it down to fit the paper's pages)."""
    max_height: float | None = None
    """Tallest the page may be (``None``: no limit, the web diagram)."""
    strip_height: float = 0.0
    """Height of a strip of off-page connectors on this sheet."""
    opened_by: str = ""
    """Why the page begins: "" (the first page), ``full`` (the page before was full),
    ``langkah_per_halaman`` (the rows per page the source allows) or ``halaman_baru``
    (a page turn of the signed paper)."""


@dataclass(frozen=True)
class SheetSpec:
    """What the sheet looks like: columns, sizes and paging."""

    leading: tuple[tuple[str, str, float], ...] = (("no", "No", 26.0), ("kegiatan", "Kegiatan", 200.0))
    """Text columns before the lanes: (key, title, width)."""
    trailing: tuple[tuple[str, str, float], ...] = ()
    """Text columns after the lanes (the mutu baku on the printed sheet)."""
    lane_width: float = 112.0
    """Lane width; with ``total_width`` the widest a lane is given."""
    min_lane_width: float | None = None
    """With ``total_width``: the narrowest a lane may become to give its width to the text
    (``None``: lanes keep ``lane_width`` unless they must shrink to fit)."""
    total_width: float | None = None
    """Fixed overall width (the printed page); ``None`` lets the diagram size itself."""
    font_size: float = 9.0
    min_font_size: float | None = None
    """With ``max_height``: the type steps down (by a quarter point, to this floor) while
    that saves a page."""
    padding: float = 5.0
    steps_per_page: int | None = None
    """Rows per page at most; ``None``: as many as fit (one page without ``max_height``)."""
    max_height: float | None = None
    """Tallest a page may be (points); a page takes fewer steps rather than overflow."""
    min_row_height: float = 46.0
    symbol_scale: float = 1.0
    """Symbols are :data:`SYMBOL_SIZE` times this (the printed sheet uses smaller ones)."""
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Two-row header: (title, column keys) per group; ``lanes`` stands for every lane."""

    @property
    def paged(self) -> bool:
        """Whether the sheet turns pages (when full, and where the signed paper turns them)."""
        return self.max_height is not None or self.steps_per_page is not None

    def symbol_size(self, shape: Shape) -> tuple[float, float]:
        """Width and height of a symbol on this sheet."""
        w, h = SYMBOL_SIZE[shape]
        return w * self.symbol_scale, h * self.symbol_scale

    @property
    def strip_height(self) -> float:
        """Height of a row of off-page connectors: the connectors plus a zone of
        :data:`STRIP_TRACKS` horizontal tracks between them and the table."""
        return (
            self.symbol_size(Shape.CONNECTOR)[1]
            + 8 * self.symbol_scale
            + RULE_CLEARANCE
            + (STRIP_TRACKS - 1) * STRIP_TRACK_GAP
            + 4
        )


STRIP_TRACKS = 6
"""Horizontal tracks in a connector strip: a line to or from a connector runs along one."""
STRIP_TRACK_GAP = 2.6
"""Points between those tracks."""
