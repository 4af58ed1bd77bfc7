"""Geometry of the procedure flowchart: columns, rows, symbols and orthogonal arrows.

The official procedure sheet is a table: No | Kegiatan | one column per pelaksana |
(mutu baku ...). Every step is a row; its symbol sits in its performer's column and
arrows join the symbols. This module computes all of that once, in points, from the
model and a :class:`SheetSpec` (which columns, how wide, which rows on which page).
The web diagram and the printed sheet both render this geometry; neither decides
where anything goes.

Routing rules (so arrows never cross a symbol and never lie on each other):

* Consecutive symbols: down from the bottom of one, along the gap under its row, down
  into the top of the next (a straight line when both are in the same column).
* Any other arrow (a "Tidak" back to an earlier step, a jump forward): out of the
  symbol's side into a vertical channel just inside a column border (symbols never reach
  that far), along the channel, and into the target's side. Channels get separate
  tracks when several arrows share a border over the same rows.
* Arrows that leave the page end at a pentagon off-page connector: at the bottom of the
  page under the source column and at the top of the next page over the target column
  (the other way round for a loop back to an earlier page), one letter per pair.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise

from generator.model.sop import Branch, Performance, Sop, Step, StepKind
from generator.print.geometry import Box, Point, boxes_overlap, label_box, segment_hits_box, segments_cross
from generator.print.textmetrics import block_height, text_width, wrap


class Shape(StrEnum):
    """The official symbols (the fifth, the arrow, is a :class:`Route`)."""

    TERMINATOR = "terminator"
    PROCESS = "process"
    DECISION = "decision"
    CONNECTOR = "connector"


SYMBOL_SIZE: dict[Shape, tuple[float, float]] = {
    Shape.TERMINATOR: (60.0, 24.0),
    Shape.PROCESS: (60.0, 26.0),
    Shape.DECISION: (64.0, 40.0),
    Shape.CONNECTOR: (24.0, 22.0),
}
"""Width and height of each symbol in points."""

TRACK_OFFSETS = (8.0, -8.0, 16.0, -16.0)
"""Distances of routing channels from a column border (inward on the outer borders)."""

ARROW_LENGTH = 7.0


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


@dataclass(frozen=True)
class HeaderCell:
    """One cell of the (possibly two-row) header."""

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
    """Key of the step (the connector's letter for off-page connectors)."""
    lane: int
    label: str
    box: Box
    role: str = ""
    label_size: float | None = None
    """Type size of the label when the page's would not fit inside the symbol."""


def fitted(symbol: Symbol, font_size: float) -> Symbol:
    """The symbol with its label's type reduced (to a floor) until it fits inside."""
    size = font_size
    room = symbol.box.w * (0.55 if symbol.shape is Shape.DECISION else 0.85) - 1.0
    while size > LABEL_MIN_SIZE and text_width(symbol.label, size) > room:
        size -= 0.25
    return symbol if size == font_size else dataclasses.replace(symbol, label_size=size)


@dataclass(frozen=True)
class Route:
    """An arrow (or, for joint steps, a dashed link) as an orthogonal polyline."""

    id: str
    points: tuple[Point, ...]
    kind: str
    """``flow``, ``ya``, ``tidak``, ``chain``, ``joint`` or ``connector``."""
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
    """Header cells: one per column, plus one per group spanning its columns."""
    padding: float = 5.0
    """Space between a cell's border and its text."""


@dataclass(frozen=True)
class SheetSpec:
    """What the sheet looks like: columns, sizes and paging."""

    leading: tuple[tuple[str, str, float], ...] = (("no", "No", 26.0), ("kegiatan", "Kegiatan", 200.0))
    """Text columns before the lanes: (key, title, width)."""
    trailing: tuple[tuple[str, str, float], ...] = ()
    """Text columns after the lanes (the mutu baku on the printed sheet)."""
    lane_width: float = 112.0
    """Minimum lane width; lanes widen to share ``total_width`` when it is given."""
    total_width: float | None = None
    """Fixed overall width (the printed page); ``None`` lets the diagram size itself."""
    font_size: float = 9.0
    padding: float = 5.0
    steps_per_page: int | None = None
    """Steps per page; ``None`` puts everything on one page."""
    max_height: float | None = None
    """Tallest a page may be (points); a page takes fewer steps rather than overflow."""
    min_row_height: float = 46.0
    symbol_scale: float = 1.0
    """Symbols are :data:`SYMBOL_SIZE` times this (the printed sheet uses smaller ones)."""
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Two-row header: (title, column keys) per group; ``lanes`` stands for every lane."""

    def symbol_size(self, shape: Shape) -> tuple[float, float]:
        """Width and height of a symbol on this sheet."""
        w, h = SYMBOL_SIZE[shape]
        return w * self.symbol_scale, h * self.symbol_scale

    @property
    def strip_height(self) -> float:
        """Height of a row of off-page connectors: the connectors plus a zone of
        :data:`STRIP_TRACKS` horizontal tracks between them and the table."""
        return self.symbol_size(Shape.CONNECTOR)[1] + 8 * self.symbol_scale + STRIP_TRACKS * STRIP_TRACK_GAP + 4


@dataclass
class _Node:
    """A place arrows connect to: a row's symbols (or one connector) on a page."""

    row: int
    symbols: list[Symbol]
    joint: bool = False
    """True for a joint step: arrows use whichever box is nearest; else a chain (first in, last out)."""
    pick: int | None = None
    """The symbol an arrow leaves or enters (an index into ``symbols``), when the branch names one."""


@dataclass
class _Router:
    page_columns: Sequence[Column]
    lane_count: int
    rows: Sequence[Row]
    symbols_by_row: dict[int, list[Symbol]]
    tracks: dict[int, list[tuple[float, float, float]]] = field(default_factory=dict)
    side_uses: dict[tuple[str, str], int] = field(default_factory=dict)
    strip_uses: dict[int, list[tuple[float, float, int]]] = field(default_factory=dict)
    """Tracks taken in each connector strip."""
    top_xs: dict[str, list[float]] = field(default_factory=dict)
    """Where lines other than the straight arrival meet each symbol's top."""
    band_ys: dict[int, list[float]] = field(default_factory=dict)
    """Heights taken in the band over each row's symbols."""
    arrivals: dict[str, list[str]] = field(default_factory=dict)
    """Sides of each symbol where arrows arrive (at heights of their own)."""
    """How many arrows already leave or enter each (symbol, side): each gets its own height."""
    offsets: tuple[float, ...] = TRACK_OFFSETS
    linked_rows: set[int] = field(default_factory=set)
    """Rows whose symbols are joined at mid-height (chain arrows, joint links): side arrows
    into or out of them keep off that line."""

    def lane_bounds(self, lane: int) -> tuple[float, float]:
        col = next(c for c in self.page_columns if c.lane == lane)
        return col.x, col.x + col.width

    def free_channel(self, border: int, y1: float, y2: float) -> float | None:
        """Like :meth:`channel`, but ``None`` when every track along that border is taken there."""
        before = len(self.tracks.get(border, []))
        x = self.channel(border, y1, y2)
        used = self.tracks[border]
        low, high, offset = used[-1]
        taken = any(off == offset and a - 3 <= high and low <= b + 3 for a, b, off in used[:before])
        if taken:
            used.pop()
            return None
        return x

    def channel(self, border: int, y1: float, y2: float) -> float:
        """x of a free vertical track along lane border ``border`` (0 = left of lane 0)."""
        low, high = min(y1, y2), max(y1, y2)
        if border == 0:
            base, offsets = self.lane_bounds(0)[0], [o for o in self.offsets if o > 0]
        elif border == self.lane_count:
            base, offsets = self.lane_bounds(self.lane_count - 1)[1], [o for o in self.offsets if o < 0]
        else:
            base, offsets = self.lane_bounds(border)[0], list(self.offsets)
        used = self.tracks.setdefault(border, [])
        for offset in offsets:
            if all(not (low <= b + 3 and a - 3 <= high) or off != offset for a, b, off in used):
                used.append((low, high, offset))
                return base + offset
        used.append((low, high, offsets[0]))
        return base + offsets[0]

    def top_x(self, symbol: Symbol, sign: float) -> float:
        """x where another line may meet the symbol's top: off its middle (kept for the arrow
        coming straight down), on the ``sign`` side first, never where one already meets it."""
        box = symbol.box
        taken = self.top_xs.setdefault(symbol.id, [])
        for x in (
            box.cx + sign * box.w / 5,
            box.cx - sign * box.w / 5,
            box.cx + sign * box.w / 3,
            box.cx - sign * box.w / 3,
        ):
            if all(abs(x - other) > 2.0 for other in taken):
                taken.append(x)
                return x
        taken.append(box.cx + sign * box.w / 5)
        return taken[-1]

    def band_y(self, row: int) -> float:
        """A free height in the band over a row's symbols, for a line running across it."""
        box = self.rows[row].box
        top = min((s.box.y for s in self.symbols_by_row.get(row, [])), default=box.bottom)
        taken = self.band_ys.setdefault(row, [])
        y = box.y + 2.5
        while y < top - 2.0:
            if all(abs(y - other) > 2.0 for other in taken):
                taken.append(y)
                return y
            y += 2.5
        taken.append(box.y + (top - box.y) / 2)
        return taken[-1]

    def strip_track(self, row: int, x1: float, x2: float) -> int:
        """A horizontal track of a connector strip free between ``x1`` and ``x2``."""
        used = self.strip_uses.setdefault(row, [])
        for track in range(STRIP_TRACKS):
            if all(t != track or h < x1 - 2 or lo > x2 + 2 for lo, h, t in used):
                used.append((x1, x2, track))
                return track
        track = len(used) % STRIP_TRACKS
        used.append((x1, x2, track))
        return track

    def side_offset(self, symbol: Symbol, side: str, row: int) -> float:
        """Height (from the middle) at which the next arrow meets ``side`` of ``symbol``.

        Counted per lane border of a row: arrows meeting two symbols that face each other
        across one border (a joint step's boxes) share that gap, so they get different heights.
        """
        # In a row whose symbols are linked (a chain, a joint step), every arrow meeting any
        # side shares the gaps between them: one count for the whole row.
        border = "row" if row in self.linked_rows else str(symbol.lane + (1 if side == "right" else 0))
        key = (f"row-{row}", border)
        used = self.side_uses.get(key, 0)
        self.side_uses[key] = used + 1
        if symbol.shape is Shape.CONNECTOR:
            return 0.0
        # Fractions of the half height: every arrow meets the side itself, whatever the shape's size.
        spread = (-0.5, 0.5, -0.8, 0.8, -0.3, 0.3, -0.65, 0.65, -0.9, 0.9, -0.15, 0.15)
        fractions: tuple[float, ...] = spread if row in self.linked_rows else (0.0, *spread)
        return fractions[min(used, len(fractions) - 1)] * (symbol.box.h / 2 - 0.5)

    def blocked(self, row: int, x1: float, x2: float, target: Symbol) -> bool:
        low, high = min(x1, x2), max(x1, x2)
        return any(s is not target and s.box.x < high and s.box.right > low for s in self.symbols_by_row.get(row, []))


def _side_point(symbol: Symbol, side: str, dy: float = 0.0) -> Point:
    box = symbol.box
    y = box.cy + dy
    if symbol.shape is Shape.DECISION:
        half = box.w / 2 * (1 - abs(dy) / (box.h / 2))
        return (box.cx + half, y) if side == "right" else (box.cx - half, y)
    if symbol.shape is Shape.TERMINATOR:  # the capsule's round ends
        r = box.h / 2
        reach = box.w / 2 - r + max(0.0, r * r - dy * dy) ** 0.5
        return (box.cx + reach, y) if side == "right" else (box.cx - reach, y)
    return (box.right, y) if side == "right" else (box.x, y)


def _track_offsets(free: float) -> tuple[float, ...]:
    """Distances of the vertical tracks from a lane border, both ways, best first: the usual
    8 and 16 points where there is room, then as many more as fit between (never closer than
    2.5 points to a symbol), so that many loops back never share a track."""
    preferred = [8.0, 16.0] if free >= 20 else [free * 0.45, free * 0.8]
    extra: list[float] = []
    step = 3.5
    d = step
    while d <= free - 2.5:
        if all(abs(d - p) > 1.5 for p in preferred + extra):
            extra.append(d)
        d += step
    found: list[float] = []
    for distance in preferred + extra:
        found += [distance, -distance]
    return tuple(found)


def _connector_route(
    router: _Router,
    route_id: str,
    a: Symbol,
    b: Symbol,
    start: _Node,
    end: _Node,
    kind: str,
    label: str,
    exits_used: dict[str, list[str]],
) -> Route:
    """A line to or from an off-page connector: along a track of the connector's strip,
    then straight into the connector, or up or down a lane-border channel to the symbol."""
    rows = router.rows
    connector, other = (b, a) if b.shape is Shape.CONNECTOR else (a, b)
    used = exits_used.setdefault(other.id, [])  # the symbol's sides, whether the line leaves or arrives
    strip_row = end.row if connector is b else start.row
    other_row = start.row if connector is b else end.row
    strip = rows[strip_row]
    bottom = strip.key == "bottom"
    c_point = (connector.box.cx, connector.box.y if bottom else connector.box.bottom)
    edge_y = strip.box.y if bottom else strip.box.bottom

    def track_y(x: float) -> float:
        track = router.strip_track(strip_row, min(x, connector.box.cx), max(x, connector.box.cx))
        return edge_y + 4 + track * STRIP_TRACK_GAP if bottom else edge_y - 4 - track * STRIP_TRACK_GAP

    between = [
        r for r in range(min(other_row, strip_row) + 1, max(other_row, strip_row)) if router.symbols_by_row.get(r)
    ]
    # Straight from the symbol's bottom (or top) when nothing stands in between.
    toward = "bottom" if bottom else "top"
    # (an arrow leaving down to a bottom connector, or entering from a top one: the way
    # the flow runs; a loop back enters the symbol's side instead).
    natural = (connector is b) == bottom
    if not between and toward not in used and natural:
        used.append(toward)
        o_point = (other.box.cx, other.box.bottom) if bottom else _top_point(other, other.box.cx)
        y = track_y(other.box.cx)
        path = [o_point, (other.box.cx, y), (connector.box.cx, y), c_point]
    else:
        side = "right" if connector.box.cx >= other.box.cx else "left"
        if side in used:
            side = "left" if side == "right" else "right"
        # The track is reserved through the strip: the line runs down (up) to its track there.
        far = strip.box.bottom if bottom else strip.box.y
        x: float | None = None
        for choice in (side, "left" if side == "right" else "right"):
            border = other.lane + 1 if choice == "right" else other.lane
            # Reserved over the symbol's whole height: the line meets its side off the middle.
            x = router.free_channel(border, other.box.y if far > other.box.cy else other.box.bottom, far)
            if x is not None:
                side = choice
                break
        used.append(side)
        border = other.lane + 1 if side == "right" else other.lane
        o_point = _side_point(other, side, router.side_offset(other, side, other_row))
        x = x if x is not None else router.channel(border, o_point[1], far)
        y = track_y(x)
        path = [o_point, (x, o_point[1]), (x, y), (connector.box.cx, y), c_point]
    points = path if connector is b else list(reversed(path))
    points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    return Route(route_id, tuple(points), kind, label=label)


def _top_point(symbol: Symbol, x: float) -> Point:
    """Where a line coming straight down at ``x`` meets the symbol's outline."""
    box = symbol.box
    if symbol.shape is Shape.DECISION:
        return (x, box.cy - box.h / 2 * (1 - abs(x - box.cx) / (box.w / 2)))
    if symbol.shape is Shape.TERMINATOR:
        r = box.h / 2
        centre = min(max(x, box.x + r), box.right - r)
        return (x, box.cy - (r * r - (x - centre) ** 2) ** 0.5)
    return (x, box.y)


def _gap_below(rows: Sequence[Row], index: int) -> float:
    return rows[index].box.bottom


def _symbols_for(step: Step, sop_first: str | None, sop_last: str | None) -> list[tuple[str, Shape]]:
    """(role, shape) of each symbol a step's row holds, in flow order."""
    if not step.roles:
        return []
    kinds = step.symbol_kinds or (step.kind,) * len(step.roles)
    shapes = [Shape.DECISION if kind is StepKind.KEPUTUSAN else Shape.PROCESS for kind in kinds]
    chain = step.performance is Performance.RANTAI
    if step.key == sop_first:
        if chain:
            shapes[0] = Shape.TERMINATOR if shapes[0] is Shape.PROCESS else shapes[0]
        else:
            shapes = [Shape.TERMINATOR if s is Shape.PROCESS else s for s in shapes]
    if step.key == sop_last:
        if chain:
            shapes[-1] = Shape.TERMINATOR if shapes[-1] is Shape.PROCESS else shapes[-1]
        else:
            shapes = [Shape.TERMINATOR if s is Shape.PROCESS else s for s in shapes]
    return list(zip(step.roles, shapes, strict=True))


STRIP_TRACKS = 6
"""Horizontal tracks in a connector strip: a line to or from a connector runs along one."""
STRIP_TRACK_GAP = 2.6
"""Points between those tracks."""

LANE_CLEARANCE = 9.0
"""Points kept free between a symbol and its lane's borders (the arrows' channels)."""

HEADER_MIN_SIZE = 5.0
"""Smallest type a column header shrinks to so that no word of it is broken."""

KEGIATAN_GROWTH = 1.5
"""Spare width goes to Kegiatan first, up to this many times its base width; then to the lanes."""


def _header_size(title: str, inner: float, size: float) -> float:
    """The header's type size: the spec's, or smaller (to a floor) until its widest word fits."""
    words = title.split() or [title]
    while size > HEADER_MIN_SIZE and max(text_width(w, size, bold=True) for w in words) > inner:
        size = max(HEADER_MIN_SIZE, size - 0.25)
    return size


def _columns(sop: Sop, spec: SheetSpec) -> list[Column]:
    lanes = len(sop.pelaksana)
    pad = spec.padding
    numbers = [step.no for step in sop.langkah] or ["0"]
    # The No column fits its longest number and its title: it never wraps "10" or "No".
    no_width = (
        max(
            max(text_width(n, spec.font_size) for n in numbers),
            max(text_width(w, spec.font_size, bold=True) for w in ("No",)),
        )
        + 2 * pad
        + 1.0
    )

    def base(key: str, width: float) -> float:
        return max(width, no_width) if key == "no" else width

    leading = [(k, t, base(k, w)) for k, t, w in spec.leading]
    trailing = [(k, t, base(k, w)) for k, t, w in spec.trailing]
    lane_width = spec.lane_width
    if spec.total_width is not None:
        fixed = sum(w for _, _, w in leading) + sum(w for _, _, w in trailing)
        spare = spec.total_width - fixed - lanes * spec.lane_width
        if spare < 0:
            # Many lanes: narrow the text columns (to 55 % at most; No never) before the lanes.
            shrinkable = fixed - sum(w for k, _, w in (*leading, *trailing) if k == "no")
            factor = max(0.55, 1 + spare / shrinkable) if shrinkable else 1.0

            def narrowed(key: str, title: str, width: float) -> float:
                if key == "no":
                    return width
                word = max(text_width(w, HEADER_MIN_SIZE, bold=True) for w in title.split() or [title])
                # No narrower than the longest word it holds ("menit"), unless that word is
                # longer than the column ever was.
                content = [w for step in sop.langkah for text in _cell_texts(step, key) for w in text.split()]
                longest = max((text_width(w, spec.font_size) for w in content), default=0.0)
                return max(width * factor, word + 2 * pad + 1.0, min(longest + 2 * pad + 1.0, width))

            leading = [(k, t, narrowed(k, t, w)) for k, t, w in leading]
            trailing = [(k, t, narrowed(k, t, w)) for k, t, w in trailing]
        else:
            # Room to spare: Kegiatan first (its text then needs fewer lines), then the lanes.
            grow = {k: min(spare, w * (KEGIATAN_GROWTH - 1)) for k, _, w in leading if k == "kegiatan"}
            leading = [(k, t, w + grow.get(k, 0.0)) for k, t, w in leading]
        fixed = sum(w for _, _, w in leading) + sum(w for _, _, w in trailing)
        lane_width = max(
            spec.lane_width if fixed + lanes * spec.lane_width <= spec.total_width else 0.0,
            (spec.total_width - fixed) / max(lanes, 1),
        )
    group_of: dict[str, str] = {}
    for title, keys in spec.groups:
        for key in keys:
            group_of[key] = title

    def column(key: str, title: str, x: float, width: float, lane: int | None = None) -> Column:
        group = group_of.get("lanes" if lane is not None else key)
        size = _header_size(title, width - 2 * pad, spec.font_size)
        lines = tuple(wrap(title, width - 2 * pad, size, bold=True))
        return Column(key, title, x, width, lane=lane, header_lines=lines, group=group, header_size=size)

    columns: list[Column] = []
    x = 0.0
    for key, title, width in leading:
        columns.append(column(key, title, x, width))
        x += width
    for i, role in enumerate(sop.pelaksana):
        columns.append(column(f"lane-{i}", role.name, x, lane_width, lane=i))
        x += lane_width
    for key, title, width in trailing:
        columns.append(column(key, title, x, width))
        x += width
    return columns


def _header(columns: Sequence[Column], spec: SheetSpec) -> tuple[float, tuple[HeaderCell, ...]]:
    """Header cells and total header height (two rows when the spec has groups)."""
    size, pad = spec.font_size, spec.padding
    column_h = max(block_height(len(c.header_lines), c.header_size) for c in columns) + 2 * pad
    cells: list[HeaderCell] = []
    if not spec.groups:
        return column_h, tuple(
            HeaderCell(c.key, c.header_lines, Box(c.x, 0, c.width, column_h), c.header_size) for c in columns
        )
    group_h = block_height(1, size) + 2 * pad
    total = group_h + column_h
    for title, _keys in spec.groups:
        members = [c for c in columns if c.group == title]
        if not members:
            continue
        x1, x2 = members[0].x, members[-1].x + members[-1].width
        lines = tuple(wrap(title, x2 - x1 - 2 * pad, size, bold=True))
        cells.append(HeaderCell(f"group-{title}", lines, Box(x1, 0, x2 - x1, group_h), size))
    for c in columns:
        if c.group:
            cells.append(HeaderCell(c.key, c.header_lines, Box(c.x, group_h, c.width, column_h), c.header_size))
        else:
            cells.append(HeaderCell(c.key, c.header_lines, Box(c.x, 0, c.width, total), c.header_size))
    return total, tuple(cells)


def _cell_texts(step: Step, key: str) -> list[str]:
    if key == "no":
        return [step.no]
    if key == "kegiatan":
        return [step.kegiatan]
    if key == "kelengkapan":
        return _numbered([item.text for item in step.kelengkapan])
    if key == "output":
        return _numbered([item.text for item in step.output])
    if key == "waktu":
        return [step.waktu.text] if step.waktu else []
    if key == "keterangan":
        return [step.keterangan] if step.keterangan else []
    raise KeyError(key)


def _numbered(items: Sequence[str]) -> list[str]:
    if len(items) <= 1:
        return list(items)
    return [f"{i}. {item}" for i, item in enumerate(items, 1)]


@dataclass(frozen=True)
class _RowText:
    height: float
    cells: tuple[tuple[Column, tuple[str, ...], str], ...]


def _row_text(step: Step, columns: Sequence[Column], spec: SheetSpec, first: str | None, last: str | None) -> _RowText:
    size, pad = spec.font_size, spec.padding
    heights = [spec.min_row_height, _symbol_room(step, spec, first, last)]
    cells: list[tuple[Column, tuple[str, ...], str]] = []
    for col in columns:
        if col.lane is not None:
            continue
        texts = _cell_texts(step, col.key)
        lines = tuple(line for text in texts for line in wrap(text, col.width - 2 * pad, size))
        cells.append((col, lines, " ".join(texts)))
        heights.append(block_height(len(lines), size) + 2 * pad)
    return _RowText(max(heights), tuple(cells))


def _symbol_room(step: Step, spec: SheetSpec, first: str | None, last: str | None) -> float:
    """Height a row needs for its symbols: room under a decision for its "Ya"/"Tidak" label
    beside the outgoing line, and for every elbow to run clear of symbols and borders."""
    shapes = [shape for _role, shape in _symbols_for(step, first, last)]
    if not shapes:
        return 0.0
    tallest = max(spec.symbol_size(shape)[1] for shape in shapes)
    label = spec.font_size * 0.95 + 5.0
    gap = label if Shape.DECISION in shapes else max(6.0, spec.padding * 1.5)
    return tallest + 2 * gap


def paginate(
    steps: Sequence[Step],
    steps_per_page: int | None,
    heights: dict[str, float] | None = None,
    budget: float | None = None,
    breaks: frozenset[str] = frozenset(),
) -> list[list[Step]]:
    """Split rows into pages: at most ``steps_per_page`` rows and ``budget`` points each,
    and a new page at every step in ``breaks`` (where the signed paper turns the page).

    Sub-steps count as rows; a heading row never ends a page (it stays with its first
    sub-step). A single row taller than the budget still gets a page of its own.
    """
    rows = list(steps)
    pages: list[list[Step]] = []
    current: list[Step] = []
    used = 0.0
    for i, step in enumerate(rows):
        height = heights[step.key] if heights else 0.0
        next_height = heights[rows[i + 1].key] if heights and i + 1 < len(rows) else 0.0
        needs = 2 if (not step.has_symbol and i + 1 < len(rows)) else 1
        full = steps_per_page is not None and len(current) + needs > steps_per_page
        too_tall = budget is not None and used + height + (next_height if needs == 2 else 0.0) > budget
        if current and (full or too_tall or step.key in breaks):
            pages.append(current)
            current, used = [], 0.0
        current.append(step)
        used += height
    if current:
        pages.append(current)
    return pages


def layout_sheet(sop: Sop, spec: SheetSpec) -> list[Page]:
    """Compute every page of the sheet for ``sop``."""
    columns = _columns(sop, spec)
    # Narrow lanes (many pelaksana on one sheet): smaller symbols, so that every symbol
    # keeps room on both sides for the arrows running along the lane borders.
    narrowest = min((c.width for c in columns if c.lane is not None), default=spec.lane_width)
    widest = max(w for w, _h in SYMBOL_SIZE.values())
    if widest * spec.symbol_scale + 2 * LANE_CLEARANCE > narrowest:
        spec = dataclasses.replace(spec, symbol_scale=max(0.3, (narrowest - 2 * LANE_CLEARANCE) / widest))
    header_height, header = _header(columns, spec)
    flow = sop.flow_steps
    first = flow[0].key if flow and sop.terminators else None
    last = flow[-1].key if flow and sop.terminators else None
    texts = {step.key: _row_text(step, columns, spec, first, last) for step in sop.langkah}
    budget = None if spec.max_height is None else spec.max_height - header_height - 2 * spec.strip_height
    heights = {k: t.height for k, t in texts.items()}
    breaks = frozenset(sop.page_breaks) if spec.steps_per_page is not None else frozenset()
    pages_steps = paginate(sop.langkah, spec.steps_per_page, heights, budget, breaks)
    page_of = {step.key: n for n, steps in enumerate(pages_steps) for step in steps}
    edges = [(step, branch) for step in sop.langkah for branch in step.branches]
    letters: dict[int, str] = {}
    for i, (source, branch) in enumerate(edges):
        if branch.target is not None and page_of[source.key] != page_of[branch.target]:
            letters[i] = _letter(len(letters))
    context = _PageContext(sop, spec, columns, header_height, header, texts, edges, letters, page_of, first, last)
    return [_layout_page(context, n, steps) for n, steps in enumerate(pages_steps)]


@dataclass(frozen=True)
class _PageContext:
    sop: Sop
    spec: SheetSpec
    columns: list[Column]
    header_height: float
    header: tuple[HeaderCell, ...]
    texts: dict[str, _RowText]
    edges: list[tuple[Step, Branch]]
    letters: dict[int, str]
    page_of: dict[str, int]
    first: str | None
    last: str | None


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _layout_page(ctx: _PageContext, number: int, steps: list[Step]) -> Page:
    sop, spec, columns, edges, letters, page_of = ctx.sop, ctx.spec, ctx.columns, ctx.edges, ctx.letters, ctx.page_of
    size, pad = spec.font_size, spec.padding
    width = columns[-1].x + columns[-1].width
    lane_of = {role.name: i for i, role in enumerate(sop.pelaksana)}
    lane_cols = {c.lane: c for c in columns if c.lane is not None}

    def crossing(i: int, *, into: bool, earlier: bool) -> bool:
        target = edges[i][1].target
        if target is None:
            return False
        source_page, target_page = page_of[edges[i][0].key], page_of[target]
        here, there = (target_page, source_page) if into else (source_page, target_page)
        return i in letters and here == number and (there < number if earlier else there > number)

    has_top = any(crossing(i, into=True, earlier=True) or crossing(i, into=False, earlier=True) for i in letters)
    has_bottom = any(crossing(i, into=True, earlier=False) or crossing(i, into=False, earlier=False) for i in letters)
    strip_h = spec.strip_height

    rows: list[Row] = []
    y = ctx.header_height
    if has_top:
        rows.append(Row("top", Box(0, y, width, strip_h), is_strip=True))
        y += strip_h
    symbols_by_row: dict[int, list[Symbol]] = {}
    row_of_step: dict[str, int] = {}
    for step in steps:
        text = ctx.texts[step.key]
        row_h = text.height
        cells = tuple(
            Cell(
                col.key,
                lines,
                Box(col.x + pad, y + pad, max(text_width(ln, size) for ln in lines), block_height(len(lines), size)),
                source,
            )
            for col, lines, source in text.cells
            if lines
        )
        index = len(rows)
        rows.append(Row(step.key, Box(0, y, width, row_h), cells))
        row_of_step[step.key] = index
        placed: list[Symbol] = []
        for n, (role, shape) in enumerate(_symbols_for(step, ctx.first, ctx.last)):
            lane = lane_of[role]
            sw, sh = spec.symbol_size(shape)
            col = lane_cols[lane]
            box = Box(col.x + (col.width - sw) / 2, y + (row_h - sh) / 2, sw, sh)
            placed.append(Symbol(f"sym-{step.key}-{n}", shape, step.key, lane, step.no, box, role))
        symbols_by_row[index] = placed
        y += row_h
    if has_bottom:
        rows.append(Row("bottom", Box(0, y, width, strip_h), is_strip=True))
        y += strip_h

    # Off-page connectors, in the source column (leaving) or the target column (entering).
    def connector(letter: str, strip: str, lane: int, taken: dict[tuple[str, int], int]) -> Symbol:
        """An off-page connector in a strip, in its lane's middle part (the parts along the
        borders are the arrows' channels); several in one lane stand side by side."""
        index = next(i for i, r in enumerate(rows) if r.key == strip)
        cw, ch = spec.symbol_size(Shape.CONNECTOR)
        strip_box = rows[index].box
        # Bottom strip: tracks above the connectors; top strip: tracks below them.
        y = strip_box.bottom - ch - 4 * spec.symbol_scale if strip == "bottom" else strip_box.y + 4 * spec.symbol_scale
        used = [s.box for s in symbols_by_row.get(index, [])]
        order = sorted(lane_cols, key=lambda n: (abs(n - lane), n))
        # Places in every lane, the nearest lane first: its middle part (clear of the arrows'
        # channels along the borders) first, then nearer the borders.
        for clearance in (LANE_CLEARANCE + 2, 2.0):
            for candidate_lane in order:
                col = lane_cols[candidate_lane]
                low, high = col.x + clearance, col.x + col.width - clearance - cw
                if high < low:
                    continue
                centre = col.x + (col.width - cw) / 2
                count = int((high - low) // (cw + 3)) + 1
                slots = sorted({centre, *(low + i * (cw + 3) for i in range(count))}, key=lambda x: abs(x - centre))
                for x in slots:
                    box = Box(x, y, cw, ch)
                    if low - 0.01 <= x <= high + 0.01 and not any(boxes_overlap(box, other) for other in used):
                        symbol = Symbol(f"conn-{strip}-{letter}", Shape.CONNECTOR, letter, candidate_lane, letter, box)
                        symbols_by_row.setdefault(index, []).append(symbol)
                        return symbol
        col = lane_cols[lane]  # no free place: the lane's middle (the checker will say so)
        symbol = Symbol(
            f"conn-{strip}-{letter}",
            Shape.CONNECTOR,
            letter,
            lane,
            letter,
            Box(col.x + (col.width - cw) / 2, y, cw, ch),
        )
        symbols_by_row.setdefault(index, []).append(symbol)
        return symbol

    taken: dict[tuple[str, int], int] = {}
    ends: dict[int, tuple[_Node, _Node]] = {}
    page_letters: list[str] = []

    def step_node(key: str, pick: int | None = None) -> _Node:
        index = row_of_step[key]
        return _Node(index, symbols_by_row[index], sop.step(key).performance is Performance.BERSAMA, pick)

    def strip_node(strip: str, symbol: Symbol) -> _Node:
        return _Node(next(k for k, r in enumerate(rows) if r.key == strip), [symbol])

    open_exits: list[tuple[int, _Node]] = []
    for i, (source, branch) in enumerate(edges):
        off_page = branch.target is None or page_of[branch.target] != number
        if page_of[source.key] != number and off_page:
            continue
        if branch.target is None:
            open_exits.append((i, step_node(source.key, branch.source)))
            continue
        on_page_source = page_of[source.key] == number
        on_page_target = page_of[branch.target] == number
        if on_page_source and on_page_target:
            ends[i] = (step_node(source.key, branch.source), step_node(branch.target, branch.entry))
        elif on_page_source or on_page_target:
            letter = letters[i]
            page_letters.append(letter)
            forward = page_of[branch.target] > page_of[source.key]
            if on_page_source:
                strip = "bottom" if forward else "top"
                lane = symbols_by_row[row_of_step[source.key]][branch.source].lane
                ends[i] = (
                    step_node(source.key, branch.source),
                    strip_node(strip, connector(letter, strip, lane, taken)),
                )
            else:
                strip = "top" if forward else "bottom"
                lane = symbols_by_row[row_of_step[branch.target]][branch.entry].lane
                ends[i] = (
                    strip_node(strip, connector(letter, strip, lane, taken)),
                    step_node(branch.target, branch.entry),
                )

    widest = max(spec.symbol_size(shape)[0] for shape in Shape)
    free = (min(c.width for c in lane_cols.values()) - widest) / 2
    offsets = _track_offsets(free)
    router = _Router(columns, len(sop.pelaksana), rows, symbols_by_row, offsets=offsets)
    routes: list[Route] = []
    exits_used: dict[str, list[str]] = {}  # a chain's links take the sides they join
    for index, placed in symbols_by_row.items():
        links, sides = _row_links(rows[index].key, placed, sop, index, rows, router)
        if links:
            router.linked_rows.add(index)
        routes.extend(links)
        for symbol_id, held in sides.items():
            exits_used.setdefault(symbol_id, []).extend(held)
    for i, (_source, branch) in enumerate(edges):
        if i not in ends:
            continue
        start, end = ends[i]
        # A branch continuing from an off-page connector was labelled on the decision's page.
        from_connector = start.symbols[0].shape is Shape.CONNECTOR
        label = "" if from_connector else {"ya": "Ya", "tidak": "Tidak"}.get(branch.kind.value, "")
        routes.append(_route(router, f"edge-{i}", start, end, branch.kind.value, label, exits_used))
    for i, node in open_exits:
        routes.append(_open_exit(router, f"edge-{i}", node, exits_used, routes))
    symbols = [fitted(s, spec.font_size) for index in sorted(symbols_by_row) for s in symbols_by_row[index]]
    routes = _place_labels(routes, rows, symbols, columns, ctx.header_height, y, spec.font_size)
    return Page(
        number + 1,
        width,
        y,
        ctx.header_height,
        tuple(columns),
        tuple(rows),
        tuple(symbols),
        tuple(routes),
        tuple(sorted(set(page_letters))),
        ctx.header,
        spec.padding,
    )


def _row_links(
    key: str, placed: list[Symbol], sop: Sop, index: int, rows: Sequence[Row], router: _Router
) -> tuple[list[Route], dict[str, list[str]]]:
    """Arrows between a chain's symbols and dashed links between a joint step's boxes, and
    the sides of the symbols they take.

    A chain link runs straight from side to side, unless another symbol of the row stands
    in between or an earlier link already runs there (a chain that turns back): then it
    goes over the row's symbols, from the top of one into the top of the other.
    """
    sides: dict[str, list[str]] = {}
    if len(placed) < 2 or rows[index].is_strip:
        return [], sides
    step = sop.step(key)
    links: list[Route] = []
    joint = step.performance is Performance.BERSAMA
    ordered = sorted(placed, key=lambda s: s.box.x) if joint else placed
    spans: list[tuple[float, float]] = []
    for n, (a, b) in enumerate(pairwise(ordered)):
        rightward = b.box.x > a.box.x
        low, high = sorted((a.box.cx, b.box.cx))
        between = any(s is not a and s is not b and low < s.box.cx < high for s in placed)
        overlaps = any(low < h and lo < high for lo, h in spans)
        direction = 1 if rightward else -1
        points: tuple[Point, ...]
        if not joint and (between or overlaps):
            over = router.band_y(index)
            leave = router.top_x(a, direction)
            enter = router.top_x(b, -direction)
            points = (_top_point(a, leave), (leave, over), (enter, over), _top_point(b, enter))
            sides.setdefault(a.id, []).append("top")
            sides.setdefault(b.id, []).append("top")
        else:
            if rightward:
                points = (_side_point(a, "right"), _side_point(b, "left"))
            else:
                points = (_side_point(a, "left"), _side_point(b, "right"))
            spans.append((low, high))
            if not joint:
                sides.setdefault(a.id, []).append("right" if rightward else "left")
                sides.setdefault(b.id, []).append("left" if rightward else "right")
        if not joint and a.shape is Shape.DECISION:
            # A decision inside a chain: its Ya goes on along the chain, labelled beside the line.
            x0, y0 = points[0]
            label_at = (x0 + 3, y0 - 3) if rightward else (x0 - 3, y0 - 3)
            anchor = "start" if rightward else "end"
            links.append(Route(f"link-{key}-{n}", points, "ya", label="Ya", label_at=label_at, label_anchor=anchor))
            continue
        links.append(Route(f"link-{key}-{n}", points, "joint" if joint else "chain", arrow=not joint))
    return links, sides


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


def _label_candidates(route: Route, font_size: float, source: Box | None = None) -> list[tuple[Point, str]]:
    """Places for a route's label, best first: beside the line where it leaves its symbol
    (``source``, whose free corners above and below are the last resort)."""
    pts = route.points
    (x0, y0), (x1, y1) = pts[0], pts[1]
    height = font_size * 0.95
    gap = 2.0
    found: list[tuple[Point, str]] = []
    if abs(x0 - x1) < 0.01:  # leaves downwards (or upwards)
        down = y1 > y0
        base = y0 + (height + gap if down else -gap)
        for dx in (3.0, 8.0, 14.0, 20.0):
            found += [((x0 + dx - 4, base), "start"), ((x0 - dx + 4, base), "end")]
        # Beside the symbol's lower vertex, above the line's start.
        for dx in (6.0, 12.0, 18.0, 24.0):
            found += [((x0 + dx, y0 - gap), "start"), ((x0 - dx, y0 - gap), "end")]
    else:  # leaves sideways
        right = x1 > x0
        anchor = "start" if right else "end"
        sign = 1 if right else -1
        for dy in (height + 3.0, -3.0, height + 7.0, -7.0):
            found.append(((x0 + sign, y0 + dy), anchor))
        # Tucked against a diamond's slanted side, where a short side leaves no room.
        for tuck in (4.0, 7.0, 10.0, 13.0):
            for dy in (-3.0, height + 3.0):
                found.append(((x0 - sign * tuck, y0 + dy), anchor))
        if len(pts) == 2:  # a straight link: also just before the symbol it reaches
            back = "end" if right else "start"
            for dy in (height + 3.0, -3.0):
                found.append(((x1 - sign * 9, y0 + dy), back))
        if source is not None:  # over or under the symbol: the side the line leaves, then the other
            for y in (source.y - 2.0, source.bottom + height + 2.0):
                found.append(((source.cx + sign * 3.0, y), anchor))
            for y in (source.y - 2.0, source.bottom + height + 2.0):
                found.append(((source.cx - sign * 3.0, y), "end" if right else "start"))
        if len(pts) > 2:  # beside the vertical part, just past the corner
            down = pts[2][1] > y1
            for dy in (height + 4.0, height + 12.0, height + 20.0, height + 30.0):
                y = y1 + (dy if down else -dy + height)
                found += [((x1 - 1, y), "end"), ((x1 + 1, y), "start")]
    return found


def _place_labels(
    routes: list[Route],
    rows: Sequence[Row],
    symbols: Sequence[Symbol],
    columns: Sequence[Column],
    top: float,
    bottom: float,
    font_size: float,
) -> list[Route]:
    """Give every labelled route the first candidate place that touches no line, border,
    symbol or other label (the first candidate when none is free)."""
    lines = [seg for route in routes for seg in pairwise(route.points)]
    for row in rows:
        lines += [
            ((row.box.x, row.box.y), (row.box.right, row.box.y)),
            ((row.box.x, row.box.bottom), (row.box.right, row.box.bottom)),
        ]
    for col in columns:
        lines += [((col.x, top), (col.x, bottom)), ((col.x + col.width, top), (col.x + col.width, bottom))]
    taken: list[Box] = []
    placed: list[Route] = []
    for route in routes:
        if not route.label or len(route.points) < 2:
            placed.append(route)
            continue
        first = route.points[0]
        origin = min(symbols, key=lambda s: abs(s.box.cx - first[0]) + abs(s.box.cy - first[1]), default=None)
        choice: tuple[Point | None, str, float] = (route.label_at, route.label_anchor, font_size)
        found = False
        text = route.label
        # The sheet's type first; in narrow lanes (many pelaksana) smaller type, to a floor;
        # where even that finds no room, the short forms SOP forms use ("Tdk", "T", "Y").
        tries = [
            (route.label, size)
            for size in dict.fromkeys((font_size, font_size * 0.85, min(font_size, 6.0), LABEL_MIN_SIZE))
        ]
        tries += [(short, min(font_size, 6.0)) for short in SHORT_LABELS.get(route.label, ())]
        for word, size in tries:
            candidates = _label_candidates(route, size, origin.box if origin else None)
            if size == font_size and word == route.label and candidates:
                choice = (*candidates[0], size)
            for at, anchor in candidates:
                box = label_box(word, at, anchor, size)
                assert box is not None
                if box.y < top or box.bottom > bottom:
                    continue
                if any(segment_hits_box(seg, box, margin=-0.8) for seg in lines):
                    continue
                if any(symbol_hits_box(s, Box(box.x - 0.8, box.y - 0.8, box.w + 1.6, box.h + 1.6)) for s in symbols):
                    continue
                if any(boxes_overlap(box, other) for other in taken):
                    continue
                choice, found, text = (at, anchor, size), True, word
                break
            if found:
                break
        chosen = label_box(text, choice[0], choice[1], choice[2])
        if chosen is not None:
            taken.append(chosen)
        placed.append(
            dataclasses.replace(route, label=text, label_at=choice[0], label_anchor=choice[1], label_size=choice[2])
        )
    return placed


SHORT_LABELS: dict[str, tuple[str, ...]] = {"Tidak": ("Tdk", "T"), "Ya": ("Y",)}
"""Short forms of branch labels that SOP forms print in narrow columns, shortest last."""

LABEL_MIN_SIZE = 5.0
"""Smallest type a branch label shrinks to when no place beside its line fits it."""

OPEN_EXIT_LENGTH = 16.0
"""Length of the short "Tidak" arrow of a decision whose Tidak the SOP gives only in words."""


def _open_exit(
    router: _Router, route_id: str, node: _Node, exits_used: dict[str, list[str]], routes: Sequence[Route]
) -> Route:
    """A short labelled "Tidak" arrow into no symbol: the SOP says where only in its text.

    It leaves by the first side (right, left, bottom) no other line uses or runs along.
    """
    a = node.symbols[-1 if node.pick is None else node.pick]
    used = exits_used.setdefault(a.id, [])
    lines = [seg for route in routes for seg in pairwise(route.points)]
    left, right = router.lane_bounds(a.lane)

    def stub(side: str, length: float = OPEN_EXIT_LENGTH) -> tuple[Point, Point]:
        if side == "bottom":
            start = (a.box.cx, a.box.bottom)
            room = router.rows[node.row].box.bottom - a.box.bottom
            return start, (a.box.cx, a.box.bottom + min(length, room * 0.8))
        if side == "top":
            start = (a.box.cx, a.box.y)
            room = a.box.y - router.rows[node.row].box.y
            return start, (a.box.cx, a.box.y - min(length, room * 0.8))
        start = _side_point(a, side, heights.get(side, 0.0))
        room = (right - start[0]) if side == "right" else (start[0] - left)
        size = max(5.0, min(length, room - 4.0))
        return start, (start[0] + (size if side == "right" else -size), start[1])

    def clear(side: str, length: float) -> bool:
        start, end = stub(side, length)
        corridor = Box(
            min(start[0], end[0]) - 1.5,
            min(start[1], end[1]) - 1.5,
            abs(end[0] - start[0]) + 3,
            abs(end[1] - start[1]) + 3,
        )
        return side not in used and not any(segment_hits_box(seg, corridor, margin=0.0) for seg in lines)

    # The first side with room, at full length; else the same with a shorter arrow; last, a
    # side where other arrows arrive, at a height of its own.
    heights: dict[str, float] = {}
    options = [(s, n) for n in (OPEN_EXIT_LENGTH, 10.0, 7.0, 5.0) for s in ("right", "left", "bottom", "top")]
    side, length = next(((s, n) for s, n in options if clear(s, n)), (None, OPEN_EXIT_LENGTH))
    if side is None:
        for candidate in ("right", "left"):
            if candidate in used and candidate in router.arrivals.get(a.id, []):
                heights[candidate] = router.side_offset(a, candidate, node.row)
                used.remove(candidate)
                found = next((n for n in (OPEN_EXIT_LENGTH, 10.0, 7.0, 5.0) if clear(candidate, n)), None)
                used.append(candidate)
                if found is not None:
                    side, length = candidate, found
                    used.remove(candidate)
                    break
    if side is None:
        # Every side is taken: a short slanted arrow off the middle of a slanted edge (a
        # diamond's), where no orthogonal line can lie along it.
        box = a.box
        for sx, sy in ((1, 1), (-1, 1), (1, -1), (-1, -1)):
            start = (box.cx + sx * box.w / 4, box.cy + sy * box.h / 4)
            end = (start[0] + sx * 7.0, start[1] + sy * 7.0)
            if not any(segments_cross(seg, (start, end), touching=True) or _touches(seg, end) for seg in lines):
                label_at = (end[0] + sx * 1.0, end[1] + (9.0 if sy > 0 else -1.0))
                anchor = "start" if sx > 0 else "end"
                return Route(
                    route_id, (start, end), "tidak-terbuka", label="Tidak", label_at=label_at, label_anchor=anchor
                )
    side = side or next((s for s in ("right", "left", "bottom", "top") if s not in used), "bottom")
    used.append(side)
    start, end = stub(side, length)
    if side in ("bottom", "top"):
        return Route(route_id, (start, end), "tidak-terbuka", label="Tidak", label_at=(a.box.cx + 3, end[1]))
    label_at = (start[0] + 2, start[1] + 11) if side == "right" else (start[0] - 2, start[1] + 11)
    return Route(
        route_id,
        (start, end),
        "tidak-terbuka",
        label="Tidak",
        label_at=label_at,
        label_anchor="start" if side == "right" else "end",
    )


def _touches(seg: tuple[Point, Point], point: Point, distance: float = 2.0) -> bool:
    box = Box(point[0] - distance, point[1] - distance, 2 * distance, 2 * distance)
    return segment_hits_box(seg, box, margin=0.0)


def _nearest(symbols: list[Symbol], x: float) -> Symbol:
    return min(symbols, key=lambda s: (abs(s.box.cx - x), s.box.x))


def _route(
    router: _Router,
    route_id: str,
    start: _Node,
    end: _Node,
    kind: str,
    label: str,
    exits_used: dict[str, list[str]],
) -> Route:
    rows = router.rows
    if start.joint:
        a = _nearest(start.symbols, end.symbols[0].box.cx)
    else:
        a = start.symbols[-1 if start.pick is None else start.pick]
    b = _nearest(end.symbols, a.box.cx) if end.joint else end.symbols[end.pick or 0]
    between = [r for r in range(start.row + 1, end.row) if router.symbols_by_row.get(r)]
    used = exits_used.setdefault(a.id, [])
    if end.row > start.row and not between and "bottom" not in used:
        used.append("bottom")
        # The elbow runs halfway down the padding under the symbol: clear of every symbol
        # (the next row's symbols start below the row line) and off the row line itself.
        elbow = (a.box.bottom + _gap_below(rows, start.row)) / 2
        points: list[Point] = [(a.box.cx, a.box.bottom)]
        turns_right = b.box.cx > a.box.cx + 0.01
        if abs(a.box.cx - b.box.cx) > 0.01:
            points += [(a.box.cx, elbow), (b.box.cx, elbow)]
        points.append((b.box.cx, b.box.y))
        if not label:
            return Route(route_id, tuple(points), kind)
        # The label sits beside the vertical stub, on the side the elbow does not take.
        if turns_right:
            return Route(
                route_id,
                tuple(points),
                kind,
                label=label,
                label_at=(a.box.cx - 3, a.box.bottom + 9),
                label_anchor="end",
            )
        return Route(route_id, tuple(points), kind, label=label, label_at=(a.box.cx + 3, a.box.bottom + 9))

    if b.shape is Shape.CONNECTOR or a.shape is Shape.CONNECTOR:
        return _connector_route(router, route_id, a, b, start, end, kind, label, exits_used)

    if end.row == start.row and a is not b and "top" not in used:
        # Back to an earlier symbol of the same chain: over the row's symbols, into the
        # target's top beside the arrow that already enters it from above.
        used.append("top")
        over = router.band_y(start.row)
        toward = 1 if b.box.cx > a.box.cx else -1
        leave_x = router.top_x(a, toward)
        enter_x = router.top_x(b, -toward)
        points = [_top_point(a, leave_x), (leave_x, over), (enter_x, over), _top_point(b, enter_x)]
        return Route(route_id, tuple(points), kind, label=label)

    # Side route through a channel along a lane border.
    if b.lane > a.lane:
        side = "right"
    elif b.lane < a.lane:
        side = "left"
    else:
        side = "right"
    if side in used:
        side = "left" if side == "right" else "right"
    used.append(side)
    border = a.lane + 1 if side == "right" else a.lane
    start_pt = _side_point(a, side, router.side_offset(a, side, start.row))
    # Reserve the track up to the target row's top: an arrow blocked at the target's height
    # climbs that far to pass over the symbols in its way.
    reach = rows[end.row].box.y if b.box.cy < start_pt[1] else b.box.cy
    x = router.channel(border, start_pt[1], reach)
    facing = "right" if x > b.box.cx else "left"
    end_pt = _side_point(b, facing, router.side_offset(b, facing, end.row))
    points = [start_pt, (x, start_pt[1])]
    if not router.blocked(end.row, x, end_pt[0], b):
        exits_used.setdefault(b.id, []).append(facing)  # an open exit must not leave there
        router.arrivals.setdefault(b.id, []).append(facing)
    if router.blocked(end.row, x, end_pt[0], b):
        # Over the symbols in the way, into the target's top; each such arrival its own lane
        # (beside the arrow that may already come straight down into the top).
        above = router.band_y(end.row)
        enter = router.top_x(b, 1 if x > b.box.cx else -1)
        points += [(x, above), (enter, above), _top_point(b, enter)]
    else:
        points += [(x, end_pt[1]), end_pt]
    if label:
        # Under the line: above it is where a second arrow may meet the same side.
        if side == "right":
            label_at, anchor = (start_pt[0] + 4, start_pt[1] + 11), "start"
        else:
            label_at, anchor = (start_pt[0] - 4, start_pt[1] + 11), "end"
    else:
        label_at, anchor = None, "start"
    return Route(route_id, tuple(points), kind, label=label, label_at=label_at, label_anchor=anchor)


__all__ = [
    "Box",
    "Cell",
    "Column",
    "Page",
    "Route",
    "Row",
    "Shape",
    "SheetSpec",
    "Symbol",
    "layout_sheet",
    "paginate",
]
