"""Where a Word file's flowchart symbols stand when the cell holding them does not say it:
connectors glued to two symbols (which symbol of a row of several), and a flowchart drawn
as one group of shapes over the table, anchored in one cell (each child's place in the
group says its column, from the table's grid, and its row, from the row heights or, when
Word leaves them to the text, from the symbols' order top to bottom).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from generator.sources.importing.tables import Row

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
WPG = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
EMU_PER_TWIP = 635
SYMBOLS = ("proses", "keputusan", "terminator", "penghubung")


@dataclass(frozen=True)
class _Placed:
    kind: str
    x: float
    y: float
    w: float
    h: float
    """Box in the group's frame, in EMU."""
    line: tuple[float, float, float, float] | None = None
    """A line's start and end point (a connector), in the same frame."""


def _int(node: Any, name: str, default: int = 0) -> int:
    try:
        return int(node.get(name, default))
    except (TypeError, ValueError):
        return default


def _frame(shape: Any) -> tuple[float, float, float, float, bool, bool] | None:
    xfrm = shape.find(f"{{{WPS}}}spPr/{{{A}}}xfrm")
    if xfrm is None:
        return None
    off, ext = xfrm.find(f"{{{A}}}off"), xfrm.find(f"{{{A}}}ext")
    if off is None or ext is None:
        return None
    flips = xfrm.get("flipH") in ("1", "true"), xfrm.get("flipV") in ("1", "true")
    return _int(off, "x"), _int(off, "y"), _int(ext, "cx"), _int(ext, "cy"), *flips


def _children(group: Any, presets: dict[str, str]) -> list[_Placed]:
    """The group's symbols and lines in the group's own frame (child offsets scaled from
    ``chOff``/``chExt`` to ``off``/``ext``)."""
    xfrm = group.find(f"{{{WPG}}}grpSpPr/{{{A}}}xfrm")
    scale_x = scale_y = 1.0
    shift_x = shift_y = 0.0
    if xfrm is not None:
        ext, ch_off, ch_ext = (xfrm.find(f"{{{A}}}{name}") for name in ("ext", "chOff", "chExt"))
        if ext is not None and ch_ext is not None and _int(ch_ext, "cx") and _int(ch_ext, "cy"):
            scale_x = _int(ext, "cx") / _int(ch_ext, "cx")
            scale_y = _int(ext, "cy") / _int(ch_ext, "cy")
        if ch_off is not None:
            shift_x, shift_y = _int(ch_off, "x"), _int(ch_off, "y")
    found: list[_Placed] = []
    for shape in group.iter(f"{{{WPS}}}wsp"):
        frame = _frame(shape)
        geometry = shape.find(f"{{{WPS}}}spPr/{{{A}}}prstGeom")
        if frame is None or geometry is None:
            continue
        kind = presets.get(geometry.get("prst", ""))
        if kind is None:
            continue
        x, y, w, h, flip_h, flip_v = frame
        x, y, w, h = (x - shift_x) * scale_x, (y - shift_y) * scale_y, w * scale_x, h * scale_y
        if kind == "panah":
            start = (x + (w if flip_h else 0), y + (h if flip_v else 0))
            end = (x + (0 if flip_h else w), y + (0 if flip_v else h))
            line = shape.find(f"{{{WPS}}}spPr/{{{A}}}ln")
            backwards = (
                line is not None and line.find(f"{{{A}}}headEnd") is not None and line.find(f"{{{A}}}tailEnd") is None
            )
            if backwards:
                start, end = end, start
            found.append(_Placed(kind, x, y, w, h, (*start, *end)))
        else:
            found.append(_Placed(kind, x, y, w, h))
    return found


def _grid(table: Any) -> list[int]:
    """The left edge of each grid column of a table, in EMU from the table's left edge."""
    lefts, at = [], 0
    for column in table.iter(f"{{{W}}}gridCol"):
        lefts.append(at)
        at += _int(column, f"{{{W}}}w") * EMU_PER_TWIP
    lefts.append(at)
    return lefts


def _heights(table: Any) -> list[int | None]:
    """Each row's height in EMU when Word is told it (exact or at least), else ``None``."""
    found: list[int | None] = []
    for tr in table.iterchildren(f"{{{W}}}tr"):
        height = tr.find(f"{{{W}}}trPr/{{{W}}}trHeight")
        rule = height.get(f"{{{W}}}hRule", "atLeast") if height is not None else ""
        found.append(_int(height, f"{{{W}}}val") * EMU_PER_TWIP if height is not None and rule == "exact" else None)
    return found


def _margin(body: Any) -> int:
    page = body.find(f"{{{W}}}sectPr/{{{W}}}pgMar")
    return _int(page, f"{{{W}}}left", 1440) * EMU_PER_TWIP if page is not None else 1440 * EMU_PER_TWIP


def _column(lefts: list[int], x: float) -> int:
    for index in range(len(lefts) - 1):
        if lefts[index] <= x < lefts[index + 1]:
            return index
    return -1


def place_groups(
    body: Any, table: Any, first_row: int, rows: list[Row], presets: dict[str, str]
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Move the symbols of each group anchored in ``table`` (whose first row is
    ``rows[first_row]``) from the anchor's cell to the cells they are drawn over; return the
    lines of the groups from symbol to symbol as ((row, column), (row, column))."""
    lefts = _grid(table)
    heights = _heights(table)
    trs = list(table.iterchildren(f"{{{W}}}tr"))
    lines: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for anchor in table.iter(f"{{{WP}}}anchor"):
        group = anchor.find(f".//{{{WPG}}}wgp")
        if group is None:
            continue
        tr = anchor
        while tr is not None and tr.tag != f"{{{W}}}tr":
            tr = tr.getparent()
        if tr is None or tr not in trs:
            continue
        anchor_row = trs.index(tr)
        placed = _children(group, presets)
        symbols = [p for p in placed if p.kind in SYMBOLS]
        if not symbols:
            continue
        horizontal = anchor.find(f"{{{WP}}}positionH")
        relative = horizontal.get("relativeFrom", "column") if horizontal is not None else "column"
        offset_node = horizontal.find(f"{{{WP}}}posOffset") if horizontal is not None else None
        offset = (
            int(offset_node.text or 0)
            if offset_node is not None and (offset_node.text or "").strip("-").isdigit()
            else 0
        )
        in_cell = anchor.get("layoutInCell") in ("1", "true") and relative == "column"
        tc = anchor
        while tc is not None and tc.tag != f"{{{W}}}tc":
            tc = tc.getparent()
        cells = list(tr.iterchildren(f"{{{W}}}tc")) if tc is not None else []
        before = sum(_span(c) for c in cells[: cells.index(tc)]) if tc in cells else 0
        # x from the table's left edge: the cell's own edge, or the page's less its margin
        origin = lefts[before] + offset if in_cell else offset - (_margin(body) if relative == "page" else 0)
        rows_of = _rows(symbols, anchor_row, heights, rows, first_row)
        where: dict[int, tuple[int, int]] = {}
        for index, symbol in enumerate(symbols):
            column = _column(lefts, origin + symbol.x + symbol.w / 2)
            row = rows_of.get(index)
            if column < 0 or row is None:
                continue
            where[index] = (first_row + row, column)
        _move(rows, (first_row + anchor_row, before), where, symbols, len(placed) - len(symbols))
        for line in (p.line for p in placed if p.line):
            ends = [_touching(symbols, x, y) for x, y in (line[:2], line[2:])]
            if ends[0] is not None and ends[1] is not None and ends[0] in where and ends[1] in where:
                lines.append((where[ends[0]], where[ends[1]]))
    return lines


def _span(tc: Any) -> int:
    span = tc.find(f"{{{W}}}tcPr/{{{W}}}gridSpan")
    return max(1, _int(span, f"{{{W}}}val", 1)) if span is not None else 1


def _rows(
    symbols: list[_Placed], anchor_row: int, heights: list[int | None], rows: list[Row], first_row: int
) -> dict[int, int]:
    """The table row (index within the table) of each symbol: the topmost symbols stand in
    the anchor's row; below, by the rows' heights when Word knows them all, else in order,
    one row of symbols per row of the table."""
    order = sorted(range(len(symbols)), key=lambda i: symbols[i].y + symbols[i].h / 2)
    bands: list[list[int]] = []
    for index in order:
        middle = symbols[index].y + symbols[index].h / 2
        if bands and abs(middle - _middle(symbols, bands[-1])) < max(symbols[index].h, 1) / 2:
            bands[-1].append(index)
        else:
            bands.append([index])
    found: dict[int, int] = {}
    known = all(h is not None for h in heights[anchor_row:])
    if known:
        tops, at = [], 0
        for height in heights[anchor_row:]:
            tops.append(at)
            at += height or 0
        first = _middle(symbols, bands[0]) - (heights[anchor_row] or 0) / 2
        for band in bands:
            middle = _middle(symbols, band) - first
            row = next(
                (k for k in range(len(tops)) if tops[k] <= middle < tops[k] + (heights[anchor_row + k] or 0)), None
            )
            for index in band:
                if row is not None:
                    found[index] = anchor_row + row
        return found
    table = rows[first_row].table
    candidates = [i - first_row for i in range(first_row + anchor_row, len(rows)) if rows[i].table == table]
    for band, row in zip(bands, candidates, strict=False):
        for index in band:
            found[index] = row
    return found


def _middle(symbols: list[_Placed], band: list[int]) -> float:
    return sum(symbols[i].y + symbols[i].h / 2 for i in band) / len(band)


def _touching(symbols: list[_Placed], x: float, y: float) -> int | None:
    """The symbol a line's end touches (within a quarter of a symbol's height)."""
    best, distance = None, float("inf")
    for index, s in enumerate(symbols):
        dx = max(s.x - x, 0.0, x - (s.x + s.w))
        dy = max(s.y - y, 0.0, y - (s.y + s.h))
        gap = (dx * dx + dy * dy) ** 0.5
        if gap < distance and gap <= max(s.h / 4, 40000):
            best, distance = index, gap
    return best


def _move(
    rows: list[Row], anchor: tuple[int, int], where: dict[int, tuple[int, int]], symbols: list[_Placed], lines: int
) -> None:
    """Take the group's shapes out of the anchor's cell and its symbols into the cells they
    stand over."""
    row_index, column = anchor
    row = rows[row_index]
    if column < len(row.cells):
        cell = row.cells[column]
        left = list(cell.shapes)
        for kind in [s.kind for s in symbols] + ["panah"] * lines:
            if kind in left:
                left.remove(kind)
        new = dataclasses.replace(cell, shapes=tuple(left))
        rows[row_index] = dataclasses.replace(row, cells=tuple(new if c is cell else c for c in row.cells))
    for index, (target_row, target_column) in where.items():
        target = rows[target_row]
        if target_column >= len(target.cells):
            continue
        old = target.cells[target_column]
        new = dataclasses.replace(old, shapes=(*old.shapes, symbols[index].kind))
        rows[target_row] = dataclasses.replace(target, cells=tuple(new if c is old else c for c in target.cells))
