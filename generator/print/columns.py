"""Pass 1 of the flowchart layout: the columns and the header.

On the printed sheet the page width is fixed: the lanes get what their symbols need (and no
more than :attr:`SheetSpec.lane_width`), and the text columns share the rest so that the rows
come out as short as their text allows, Kegiatan first. The web diagram sizes itself: fixed
text columns, lanes of :attr:`SheetSpec.lane_width`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from generator.model.sop import Sop, Step
from generator.print.flowchart import SYMBOL_SIZE, Column, HeaderCell, SheetSpec
from generator.print.geometry import Box
from generator.print.textmetrics import block_height, text_width, wrap

LANE_CLEARANCE = 9.0
"""Points kept free between a symbol and its lane's borders (the arrows' channels)."""

HEADER_MIN_SIZE = 5.0
"""Smallest type a column header shrinks to so that no word of it is broken."""

HEADER_READABLE_SIZE = 6.0
"""Lanes are not narrowed so far that a role's name needs type smaller than this."""

KEGIATAN_GROWTH = 1.5
"""Web diagram: spare width goes to Kegiatan first, up to this many times its base width."""

MIN_SYMBOL_SCALE = 0.3
"""Symbols shrink with their lanes down to this fraction of :data:`SYMBOL_SIZE`."""

WIDTH_STEP = 3.0
"""Points handed out at a time when the text columns share the page's width."""


def symbol_scale(spec: SheetSpec, lane_width: float) -> float:
    """The symbols' scale in lanes of ``lane_width``: the spec's, or smaller so that every
    symbol keeps room on both sides for the arrows running along the lane borders."""
    widest = max(w for w, _h in SYMBOL_SIZE.values())
    if widest * spec.symbol_scale + 2 * LANE_CLEARANCE <= lane_width:
        return spec.symbol_scale
    return max(MIN_SYMBOL_SCALE, (lane_width - 2 * LANE_CLEARANCE) / widest)


def header_size(title: str, inner: float, size: float) -> float:
    """The header's type size: the spec's, or smaller (to a floor) until its widest word fits."""
    words = title.split() or [title]
    while size > HEADER_MIN_SIZE and max(text_width(w, size, bold=True) for w in words) > inner:
        size = max(HEADER_MIN_SIZE, size - 0.25)
    return size


def cell_texts(step: Step, key: str) -> list[str]:
    """The paragraphs of a step's cell in a text column (each wraps on its own)."""
    if key == "no":
        return [step.no]
    if key == "kegiatan":
        return [step.kegiatan, *step.lettered_items]
    if key == "kelengkapan":
        return numbered([item.text for item in step.kelengkapan])
    if key == "output":
        return numbered([item.text for item in step.output])
    if key == "waktu":
        return [step.waktu.text] if step.waktu else []
    if key == "keterangan":
        return [step.keterangan] if step.keterangan else []
    raise KeyError(key)


def numbered(items: Sequence[str]) -> list[str]:
    """Several entries numbered 1., 2., ...; a single one as it is."""
    if len(items) <= 1:
        return list(items)
    return [f"{i}. {item}" for i, item in enumerate(items, 1)]


@dataclass(frozen=True)
class _Paragraph:
    """A paragraph measured once: the width of each word, for counting lines fast (widths
    add up: the metrics have no kerning, so a line is as wide as its words and spaces)."""

    words: tuple[float, ...]
    space: float

    def lines(self, width: float) -> int:
        count, current = 0, -1.0
        for word in self.words:
            if word > width:  # broken inside the word (wrap breaks it the same way, about)
                if current >= 0:
                    count += 1
                count += math.ceil(word / width) - 1
                current = word - (math.ceil(word / width) - 1) * width
                continue
            if current < 0:
                current = word
            elif current + self.space + word <= width:
                current += self.space + word
            else:
                count += 1
                current = word
        return count + (1 if current >= 0 else 0) if self.words else 1


@cache
def _paragraph(text: str, size: float) -> _Paragraph:
    return _Paragraph(tuple(text_width(w, size) for w in text.split()), text_width(" ", size))


def _longest_word(texts: Sequence[str], size: float) -> float:
    return max((text_width(w, size) for text in texts for w in text.split()), default=0.0)


@dataclass(frozen=True)
class Widths:
    """The outcome of fitting: every text column's width and the lanes' width."""

    text: dict[str, float]
    lane: float


def fit_widths(sop: Sop, spec: SheetSpec, size: float, symbol_need: dict[str, float]) -> Widths:
    """Widths of the columns on a sheet of ``spec.total_width``.

    ``symbol_need`` gives, per step, the height its symbols need. The text columns start at
    their narrowest (their longest word, their title) and then take the width, a few points
    at a time, where it shortens the rows most; what no row needs is shared out by the base
    widths. Each lane width (see :func:`lane_candidates`) leaves the text columns a budget;
    the lanes are the widest whose table is within 1 % of the shortest.
    """
    assert spec.total_width is not None
    pad = spec.padding
    steps = list(sop.langkah)
    no = _no_width(sop, spec, size)
    keys = [(k, t, w) for k, t, w in (*spec.leading, *spec.trailing) if k != "no"]
    paragraphs = {k: [[_paragraph(text, size) for text in cell_texts(s, k)] for s in steps] for k, _t, _w in keys}
    minimum = {}
    for key, title, base in keys:
        word = max(text_width(w, HEADER_READABLE_SIZE, bold=True) for w in title.split() or [title])
        longest = _longest_word([t for s in steps for t in cell_texts(s, key)], size)
        minimum[key] = max(word + 2 * pad + 1.0, min(longest + 2 * pad + 1.0, base), 2 * pad + 12.0)
    line = block_height(1, size)
    known: dict[tuple[str, int, float], float] = {}

    def height(key: str, index: int, width: float) -> float:
        found = known.get((key, index, width))
        if found is None:
            cells = paragraphs[key][index]
            found = sum(p.lines(width - 2 * pad) for p in cells) * line + 2 * pad if cells else 0.0
            known[(key, index, width)] = found
        return found

    lanes = len(sop.pelaksana)
    candidates = [
        lane for lane in lane_candidates(spec, lanes) if spec.total_width - no - lanes * lane >= sum(minimum.values())
    ]
    if not candidates:  # even the narrowest lanes leave too little: the proportional narrowing
        return Widths(_narrowed(sop, spec, size, no), _narrowest_lane(sop, spec, size, no))
    most = spec.total_width - no - lanes * candidates[-1] - sum(minimum.values())
    rows = range(len(steps))
    floor = [max(spec.min_row_height, symbol_need[s.key]) for s in steps]
    widths = dict(minimum)
    current = {k: [height(k, i, widths[k]) for i in rows] for k in widths}
    now = sum(max(floor[i], *(current[k][i] for k in widths)) for i in rows)
    # The greedy share-out, once for the largest budget: after spending any amount it is
    # the share-out of that budget, so every lane width reads its rows' height off the way.
    trail: list[tuple[float, float, dict[str, float]]] = [(0.0, now, dict(widths))]
    spent = 0.0
    while most - spent > 0.01:
        choice: tuple[float, str, float, list[float], float] | None = None
        for key in widths:
            rest = [max(floor[i], *(current[k][i] for k in widths if k != key)) for i in rows]
            for times in (1, 3, 8):
                grant = min(most - spent, WIDTH_STEP * times)
                column = [height(key, i, round(widths[key] + grant, 2)) for i in rows]
                total = sum(max(rest[i], column[i]) for i in rows)
                gain = now - total
                if gain > 0.01 and (choice is None or gain / grant > choice[0]):
                    choice = (gain / grant, key, grant, column, total)
        if choice is None:
            break
        _ratio, key, grant, column, now = choice
        widths[key] = round(widths[key] + grant, 2)
        current[key] = column
        spent += grant
        trail.append((spent, now, dict(widths)))
    weight = {k: w for k, _t, w in keys}
    share = sum(weight.values())
    results: list[tuple[float, float, dict[str, float]]] = []
    for lane in candidates:
        if results and min(header_size(r.name, lane - 2 * pad, size) for r in sop.pelaksana) < HEADER_READABLE_SIZE:
            break  # narrower lanes would need their titles in type too small to read
        spare = spec.total_width - no - lanes * lane - sum(minimum.values())
        used, rows_height, found = next(t for t in reversed(trail) if t[0] <= spare + 0.01)
        # What no row needs is shared out by the base widths.
        left = spare - used
        found = {k: w + left * weight[k] / share for k, w in found.items()}
        head = max(_lane_header_height(r.name, lane, spec, size) for r in sop.pelaksana)
        results.append((rows_height + head, lane, found))
    best = min(r[0] for r in results)
    tolerance = max(2.0, best * 0.01)
    _h, lane, chosen = max((r for r in results if r[0] <= best + tolerance), key=lambda r: r[1])
    return Widths({"no": no, **chosen}, lane)


FEW_LANES_SHARE = 0.5
"""With few lanes, the lanes may take up to this share of the sheet's width (and up to twice
:attr:`SheetSpec.lane_width` each): their symbols, labels and connectors get room to spare."""


def lane_candidates(spec: SheetSpec, lanes: int = 0) -> list[float]:
    """Lane widths tried when fitting, widest first: :attr:`SheetSpec.lane_width`, or with few
    lanes wider (see :data:`FEW_LANES_SHARE`), down to :attr:`SheetSpec.min_lane_width`."""
    widest = spec.lane_width
    if lanes and spec.total_width is not None:
        widest = max(widest, min(2 * spec.lane_width, spec.total_width * FEW_LANES_SHARE / lanes))
    narrowest = spec.min_lane_width if spec.min_lane_width is not None else widest
    found = [widest]
    while found[-1] - 3.0 >= narrowest - 0.01:
        found.append(found[-1] - 3.0)
    return found


def _lane_header_height(title: str, lane: float, spec: SheetSpec, size: float) -> float:
    inner = lane - 2 * spec.padding
    head = header_size(title, inner, size)
    # Counted in lines of the sheet's type: smaller type is no gain in a narrower lane.
    return block_height(len(wrap(title, inner, head, bold=True)), size) + 2 * spec.padding


def _no_width(sop: Sop, spec: SheetSpec, size: float) -> float:
    """The No column fits its longest number and its title: it never wraps "10" or "No"."""
    numbers = [step.no for step in sop.langkah] or ["0"]
    fits = max(max(text_width(n, size) for n in numbers), text_width("No", size, bold=True)) + 2 * spec.padding + 1.0
    base = next((w for k, _t, w in spec.leading if k == "no"), 0.0)
    return max(base, fits)


def _narrowed(sop: Sop, spec: SheetSpec, size: float, no: float) -> dict[str, float]:
    """Text columns narrowed (to 55 % at most) when the lanes leave too little."""
    assert spec.total_width is not None
    lanes = len(sop.pelaksana)
    pad = spec.padding
    columns = [(k, t, w) for k, t, w in (*spec.leading, *spec.trailing) if k != "no"]
    fixed = sum(w for _k, _t, w in columns)
    lane = spec.min_lane_width or spec.lane_width
    spare = spec.total_width - no - fixed - lanes * lane
    factor = max(0.55, 1 + spare / fixed) if fixed and spare < 0 else 1.0
    found = {"no": no}
    for key, title, width in columns:
        word = max(text_width(w, HEADER_MIN_SIZE, bold=True) for w in title.split() or [title])
        longest = _longest_word([t for s in sop.langkah for t in cell_texts(s, key)], size)
        found[key] = max(width * factor, word + 2 * pad + 1.0, min(longest + 2 * pad + 1.0, width))
    return found


def _narrowest_lane(sop: Sop, spec: SheetSpec, size: float, no: float) -> float:
    assert spec.total_width is not None
    widths = _narrowed(sop, spec, size, no)
    return (spec.total_width - sum(widths.values())) / max(len(sop.pelaksana), 1)


def fixed_widths(sop: Sop, spec: SheetSpec, size: float) -> Widths:
    """Widths without fitting: the spec's text columns and lanes (the web diagram), or, on a
    fixed width without a narrowest lane, spare width to Kegiatan then the lanes."""
    no = _no_width(sop, spec, size)
    lanes = len(sop.pelaksana)
    widths = {k: (no if k == "no" else w) for k, _t, w in (*spec.leading, *spec.trailing)}
    if spec.total_width is None:
        return Widths(widths, spec.lane_width)
    fixed = sum(widths.values())
    spare = spec.total_width - fixed - lanes * spec.lane_width
    if spare < 0:
        widths = _narrowed(sop, spec, size, no)
    elif "kegiatan" in widths:
        widths["kegiatan"] += min(spare, widths["kegiatan"] * (KEGIATAN_GROWTH - 1))
    fixed = sum(widths.values())
    return Widths(widths, max(0.0, (spec.total_width - fixed) / max(lanes, 1)))


def make_columns(sop: Sop, spec: SheetSpec, size: float, widths: Widths) -> list[Column]:
    """The columns, left to right, with their header lines."""
    pad = spec.padding
    group_of = {key: title for title, keys in spec.groups for key in keys}

    def column(key: str, title: str, x: float, width: float, lane: int | None = None) -> Column:
        group = group_of.get("lanes" if lane is not None else key)
        head = header_size(title, width - 2 * pad, size)
        lines = tuple(wrap(title, width - 2 * pad, head, bold=True))
        return Column(key, title, x, width, lane=lane, header_lines=lines, group=group, header_size=head)

    columns: list[Column] = []
    x = 0.0
    for key, title, _base in spec.leading:
        columns.append(column(key, title, x, widths.text[key]))
        x += widths.text[key]
    for i, role in enumerate(sop.pelaksana):
        columns.append(column(f"lane-{i}", role.name, x, widths.lane, lane=i))
        x += widths.lane
    for key, title, _base in spec.trailing:
        columns.append(column(key, title, x, widths.text[key]))
        x += widths.text[key]
    return columns


def make_header(
    columns: Sequence[Column], spec: SheetSpec, size: float, *, numbers: bool = False
) -> tuple[float, tuple[HeaderCell, ...]]:
    """Header cells and the header's height: the groups' row (when the spec has groups), the
    column titles, and the row of column numbers (1, 2, 3, ...) when the paper prints one."""
    pad = spec.padding
    column_h = max(block_height(len(c.header_lines), c.header_size) for c in columns) + 2 * pad
    cells: list[HeaderCell] = []
    group_h = block_height(1, size) + 2 * pad if spec.groups else 0.0
    titles_h = group_h + column_h
    for title, _keys in spec.groups:
        members = [c for c in columns if c.group == title]
        if not members:
            continue
        x1, x2 = members[0].x, members[-1].right
        lines = tuple(wrap(title, x2 - x1 - 2 * pad, size, bold=True))
        cells.append(HeaderCell(f"group-{title}", lines, Box(x1, 0, x2 - x1, group_h), size))
    for c in columns:
        if c.group:
            cells.append(HeaderCell(c.key, c.header_lines, Box(c.x, group_h, c.width, column_h), c.header_size))
        else:
            cells.append(HeaderCell(c.key, c.header_lines, Box(c.x, 0, c.width, titles_h), c.header_size))
    if not numbers:
        return titles_h, tuple(cells)
    number_h = block_height(1, size) + pad
    for n, c in enumerate(columns, 1):
        cells.append(HeaderCell(f"nomor-{c.key}", (str(n),), Box(c.x, titles_h, c.width, number_h), size))
    return titles_h + number_h, tuple(cells)
