"""A geometric checker of computed flowchart pages: the rules a clerk would see broken.

It reads the geometry :mod:`generator.print.layout` computed (not pixels) and reports:

* ``label-on-line``: a branch label ("Ya", "Tidak") overlapping a line, a table border or
  another label;
* ``label-on-symbol``: a label over a symbol;
* ``line-on-border``: a line running along a row or column border;
* ``line-on-line``: two lines lying on each other;
* ``line-through-symbol``: a line crossing a symbol's inside;
* ``arrow-off-outline``: an arrow that does not start or end on a symbol's outline (rounded
  corners of the capsule and the diamond's slanted sides included);
* ``text-overflow``: cell or header text wider than its column, a number wider than its symbol;
* ``wrapped-number``: a step number broken over two lines;
* ``broken-word``: a header word split although the title has spaces to break at;
* ``label-nearer-other-line``: a branch label as near to another line as to its own, or
  nearer (a reader would pair it with the wrong branch);
* ``label-not-by-its-line``: a label away from its line's first segment or its symbol;
* ``text-on-rule``: cell text less than 3 points inside its cell, a label touching a rule;
* ``line-near-rule``: a line running along a table rule less than 4 points from it;
* ``needless-split``: two pages whose rows would fit on one;
* ``mostly-empty-page``: a continuation page less than half full while the page before
  could hand it rows;
* ``too-many-pages``: more pages than the rows need, even with a connector strip kept on
  every page turn.

Crossings of two lines are allowed but counted (:func:`crossings`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

from generator.print.flowchart import RULE_CLEARANCE, TEXT_CLEARANCE, corner_radius
from generator.print.geometry import (
    Box,
    Point,
    box_segment_distance,
    boxes_overlap,
    label_box,
    point_box_distance,
    segment_hits_box,
    segments_cross,
)
from generator.print.layout import HEADER_MIN_SIZE, Page, Route, Shape, Symbol
from generator.print.paging import MOSTLY_EMPTY
from generator.print.textmetrics import text_width

LABEL_REACH = 3.0
"""Points a branch label may stand from its own line's first segment."""

LABEL_FROM_SYMBOL = 32.0
"""Points a branch label may stand from where its line leaves the symbol."""

LABEL_RULE_GAP = 1.0
"""Points a branch label keeps from the table's rules."""

TOLERANCE = 0.75
"""Points: how far a line end may be from an outline and still touch it."""


@dataclass(frozen=True)
class Violation:
    """One broken rule on one page."""

    rule: str
    page: int
    what: str

    def __str__(self) -> str:
        return f"halaman {self.page}: {self.rule}: {self.what}"


Segment = tuple[Point, Point]


def segments(route: Route) -> list[Segment]:
    """The straight pieces of a route."""
    return [(a, b) for a, b in pairwise(route.points) if a != b]


def _inside(symbol: Symbol, point: Point, margin: float) -> bool:
    """True when ``point`` lies inside the symbol, at least ``margin`` from its outline."""
    box = symbol.box
    x, y = point
    if symbol.shape is Shape.DECISION:
        dx = abs(x - box.cx) / (box.w / 2)
        dy = abs(y - box.cy) / (box.h / 2)
        scale = min(box.w, box.h) / 2
        return (1 - dx - dy) * scale > margin
    return _signed_distance(symbol, point) < -margin


def _signed_distance(symbol: Symbol, point: Point) -> float:
    """Distance from ``point`` to the outline of a box, a rounded box, a capsule or a
    circle: negative inside."""
    box = symbol.box
    if symbol.shape is Shape.ON_PAGE:
        return math.dist(point, (box.cx, box.cy)) - box.w / 2
    r = corner_radius(symbol)
    qx = abs(point[0] - box.cx) - (box.w / 2 - r)
    qy = abs(point[1] - box.cy) - (box.h / 2 - r)
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - r


def _outline_distance(symbol: Symbol, point: Point) -> float:
    """Distance from ``point`` to the symbol's outline."""
    box = symbol.box
    if symbol.shape is Shape.DECISION:
        corners = [(box.cx, box.y), (box.right, box.cy), (box.cx, box.bottom), (box.x, box.cy)]
        return min(_point_segment(point, a, b) for a, b in zip(corners, corners[1:] + corners[:1], strict=True))
    return abs(_signed_distance(symbol, point))


def _point_segment(p: Point, a: Point, b: Point) -> float:
    ax, ay = a
    bx, by = b
    px, py = p
    length = (bx - ax) ** 2 + (by - ay) ** 2
    if length == 0:
        return math.dist(p, a)
    t = max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length))
    return math.dist(p, (ax + t * (bx - ax), ay + t * (by - ay)))


def _samples(seg: Segment, step: float = 1.0) -> Iterable[Point]:
    (x1, y1), (x2, y2) = seg
    n = max(1, int(math.dist(seg[0], seg[1]) / step))
    for i in range(n + 1):
        yield (x1 + (x2 - x1) * i / n, y1 + (y2 - y1) * i / n)


def _crosses_symbol(seg: Segment, symbol: Symbol) -> bool:
    if not segment_hits_box(seg, symbol.box):
        return False
    (x1, y1), (x2, y2) = seg
    box = symbol.box
    if symbol.shape is Shape.DECISION and (abs(y1 - y2) < 0.01 or abs(x1 - x2) < 0.01):
        # Exactly, for the straight pieces arrows are made of: the diamond's inside at that
        # height (or x) against the segment's extent, 0.6 pt in from the outline.
        horizontal = abs(y1 - y2) < 0.01
        along, across = (
            (abs(y1 - box.cy) / (box.h / 2), box.w / 2) if horizontal else (abs(x1 - box.cx) / (box.w / 2), box.h / 2)
        )
        half = across * (1 - along) - 0.6 * 1.2
        if half <= 0:
            return False
        centre = box.cx if horizontal else box.cy
        low, high = (min(x1, x2), max(x1, x2)) if horizontal else (min(y1, y2), max(y1, y2))
        return low < centre + half and high > centre - half
    if symbol.shape is Shape.PROCESS and (abs(y1 - y2) < 0.01 or abs(x1 - x2) < 0.01):
        return True  # an axis-parallel piece inside the (shrunk) box is inside the shape
    return any(_inside(symbol, p, 0.6) for p in _samples(seg, 0.5))


def _collinear_overlap(a: Segment, b: Segment, tolerance: float = 0.9) -> float:
    """Length over which two axis-aligned segments lie on each other (0 when they do not)."""
    (ax1, ay1), (ax2, ay2) = a
    (bx1, by1), (bx2, by2) = b
    if abs(ay1 - ay2) < 0.01 and abs(by1 - by2) < 0.01 and abs(ay1 - by1) < tolerance:
        low, high = max(min(ax1, ax2), min(bx1, bx2)), min(max(ax1, ax2), max(bx1, bx2))
        return max(0.0, high - low)
    if abs(ax1 - ax2) < 0.01 and abs(bx1 - bx2) < 0.01 and abs(ax1 - bx1) < tolerance:
        low, high = max(min(ay1, ay2), min(by1, by2)), min(max(ay1, ay2), max(by1, by2))
        return max(0.0, high - low)
    return 0.0


def _borders(page: Page) -> list[Segment]:
    """The table's lines: row borders and column borders (below the header)."""
    lines: list[Segment] = []
    for row in page.rows:
        lines.append(((row.box.x, row.box.y), (row.box.right, row.box.y)))
        lines.append(((row.box.x, row.box.bottom), (row.box.right, row.box.bottom)))
    top = page.header_height
    for col in page.columns:
        lines.append(((col.x, top), (col.x, page.height)))
        lines.append(((col.x + col.width, top), (col.x + col.width, page.height)))
    return lines


def check_page(page: Page) -> list[Violation]:
    """Every broken rule on one page."""
    font_size = page.font_size
    found: list[Violation] = []

    def report(rule: str, what: str) -> None:
        found.append(Violation(rule, page.number, what))

    borders = _borders(page)
    symbols = list(page.symbols)
    labels = [
        (route, label_box(route.label, route.label_at, route.label_anchor, route.label_size or font_size))
        for route in page.routes
    ]
    for route in page.routes:
        segs = segments(route)
        if not segs:
            continue
        # Ends on outlines: a line starts at its symbol and (when it has an arrow) ends at one.
        start, end = route.points[0], route.points[-1]
        near_start = min(symbols, key=lambda s: _outline_distance(s, start))
        if _outline_distance(near_start, start) > TOLERANCE:
            report("arrow-off-outline", f"{route.id} mulai di luar simbol pada {start}")
        if route.arrow and route.kind != "tidak-terbuka":
            near_end = min(symbols, key=lambda s: _outline_distance(s, end))
            if _outline_distance(near_end, end) > TOLERANCE:
                report("arrow-off-outline", f"{route.id} berakhir di luar garis simbol pada {end}")
        for seg in segs:
            for symbol in symbols:
                if _crosses_symbol(seg, symbol):
                    report("line-through-symbol", f"{route.id} menembus {symbol.id}")
            for border in borders:
                if _collinear_overlap(seg, border, tolerance=1.2) > 1.0:
                    report("line-on-border", f"{route.id} berimpit dengan garis tabel di {border[0]}")
                    break
                if _collinear_overlap(seg, border, tolerance=RULE_CLEARANCE - 0.01) > 1.0:
                    gap = _gap(seg, border)
                    report("line-near-rule", f"{route.id} sejajar garis tabel, hanya {gap:.1f} pt darinya")
                    break
    for first, second in combinations(page.routes, 2):
        if any(_collinear_overlap(a, b) > 1.0 for a in segments(first) for b in segments(second)):
            report("line-on-line", f"{first.id} dan {second.id} berimpit")
    for route, box in labels:
        if box is None:
            continue
        for symbol in symbols:
            if boxes_overlap(box, symbol.box) and _label_touches_symbol(box, symbol):
                report("label-on-symbol", f"label {route.label!r} {route.id} menutupi {symbol.id}")
        for other in page.routes:
            for seg in segments(other):
                if segment_hits_box(seg, box, margin=0.3):
                    report("label-on-line", f"label {route.label!r} {route.id} di atas garis {other.id}")
                    break
        for border in borders:
            if segment_hits_box(border, box, margin=0.3):
                report("label-on-line", f"label {route.label!r} {route.id} di atas garis tabel")
                break
            if box_segment_distance(box, border) < LABEL_RULE_GAP - 0.05:
                report("text-on-rule", f"label {route.label!r} {route.id} menempel garis tabel")
                break
        for other, other_box in labels:
            if other_box is not None and route.id < other.id and boxes_overlap(box, other_box):
                report("label-on-line", f"label {route.id} menimpa label {other.id}")
        found.extend(_label_place(page, route, box))
    found.extend(_text_violations(page, font_size))
    found.extend(_padding_violations(page))
    return found


def _gap(a: Segment, b: Segment) -> float:
    """Distance between two parallel axis-aligned segments."""
    horizontal = abs(a[0][1] - a[1][1]) < 0.01
    return abs(a[0][1] - b[0][1]) if horizontal else abs(a[0][0] - b[0][0])


def _label_place(page: Page, route: Route, box: Box) -> list[Violation]:
    """A label beside its own line's first segment, next to its symbol, and nearer to that
    line than to any other."""
    segs = segments(route)
    if not segs:
        return []
    own = segs[0]
    mine = box_segment_distance(box, own)
    found: list[Violation] = []
    if mine > LABEL_REACH or point_box_distance(route.points[0], box) > LABEL_FROM_SYMBOL:
        found.append(
            Violation(
                "label-not-by-its-line",
                page.number,
                f"label {route.label!r} {route.id} {mine:.1f} pt dari ruas pertama garisnya",
            )
        )
    for other in page.routes:
        if other.id == route.id:
            continue
        nearest = min((box_segment_distance(box, seg) for seg in segments(other)), default=math.inf)
        if nearest <= mine:
            found.append(
                Violation(
                    "label-nearer-other-line",
                    page.number,
                    f"label {route.label!r} {route.id} {nearest:.1f} pt dari garis {other.id}, "
                    f"{mine:.1f} pt dari garisnya sendiri",
                )
            )
    return found


def _padding_violations(page: Page) -> list[Violation]:
    """Cell text at least :data:`TEXT_CLEARANCE` inside its cell's rules."""
    found: list[Violation] = []
    columns = {c.key: c for c in page.columns}
    for row in page.rows:
        for cell in row.cells:
            col = columns[cell.column]
            left = col.x + (col.width - cell.box.w) / 2 if cell.column == "no" else cell.box.x
            right = col.right - (left + cell.box.w)
            gaps = (left - col.x, right, cell.box.y - row.box.y, row.box.bottom - cell.box.bottom)
            if min(gaps) < TEXT_CLEARANCE - 0.01:
                found.append(
                    Violation(
                        "text-on-rule",
                        page.number,
                        f"{row.key}/{cell.column}: teks {min(gaps):.1f} pt dari garis sel ({cell.lines[0]!r})",
                    )
                )
    return found


def _label_touches_symbol(box: Box, symbol: Symbol) -> bool:
    corners = [(box.x, box.y), (box.right, box.y), (box.x, box.bottom), (box.right, box.bottom)]
    centre = (box.cx, box.cy)
    return any(_inside(symbol, p, 0.0) for p in (*corners, centre)) or _inside_box(symbol.box, box)


def _inside_box(inner: Box, outer: Box) -> bool:
    return outer.x <= inner.cx <= outer.right and outer.y <= inner.cy <= outer.bottom


def _text_violations(page: Page, font_size: float) -> list[Violation]:
    found: list[Violation] = []
    columns = {c.key: c for c in page.columns}
    for row in page.rows:
        for cell in row.cells:
            col = columns[cell.column]
            widest = max(text_width(line, font_size) for line in cell.lines)
            if widest > col.width - 1.0:
                found.append(Violation("text-overflow", page.number, f"{row.key}/{cell.column}: {cell.lines[0]!r}"))
            broken = set(cell.text.split()) - set(" ".join(cell.lines).split())
            if any(text_width(w, font_size) <= col.width - 2 * page.padding for w in broken):
                found.append(
                    Violation("broken-word", page.number, f"{row.key}/{cell.column}: {' | '.join(cell.lines)}")
                )
            if cell.column == "no" and len(cell.lines) > 1:
                found.append(Violation("wrapped-number", page.number, f"{row.key}: {' | '.join(cell.lines)}"))
            if cell.box.bottom > row.box.bottom + 0.5:
                found.append(
                    Violation("text-overflow", page.number, f"{row.key}/{cell.column} lebih tinggi dari baris")
                )
    for head in page.header:
        for line in head.lines:
            if text_width(line, head.size, bold=True) > head.box.w - 1.0:
                found.append(Violation("text-overflow", page.number, f"kepala {head.key}: {line!r}"))
    found.extend(_broken_words(page, font_size))
    for symbol in page.symbols:
        if symbol.label and text_width(symbol.label, symbol.label_size or font_size) > symbol.box.w - 2.0:
            found.append(
                Violation("text-overflow", page.number, f"nomor {symbol.label!r} lebih lebar dari {symbol.id}")
            )
    return found


def _broken_words(page: Page, font_size: float) -> list[Violation]:
    """Header titles broken inside a word although every word would fit on a line of its own."""
    found = []
    for col in page.columns:
        words = col.title.split()
        if len(words) < 2 or [w for line in col.header_lines for w in line.split()] == words:
            continue  # one long word may break; a title with spaces breaks only at them
        if all(text_width(w, HEADER_MIN_SIZE, bold=True) <= col.width - 2 * page.padding for w in words):
            shown = " | ".join(col.header_lines)
            found.append(Violation("broken-word", page.number, f"kepala {col.key}: {shown!r}"))
    return found


def crossings(page: Page) -> int:
    """How many times two different lines cross on a page."""
    count = 0
    for first, second in combinations(page.routes, 2):
        count += sum(1 for a in segments(first) for b in segments(second) if segments_cross(a, b))
    return count


def check_pages(pages: Sequence[Page]) -> list[Violation]:
    """Every broken rule on every page, and in how the rows are split over the pages."""
    return [v for page in pages for v in check_page(page)] + paging_violations(pages)


def _rows_height(page: Page) -> float:
    return sum(row.box.h for row in page.rows if not row.is_strip)


def _strip_letters(page: Page, strip: str) -> set[str]:
    return {s.label for s in page.symbols if s.shape is Shape.CONNECTOR and s.id.startswith(f"conn-{strip}-")}


def paging_violations(pages: Sequence[Page]) -> list[Violation]:
    """Pages that did not need to turn, or turned too late to leave the last one useful."""
    found: list[Violation] = []
    if not pages or pages[0].max_height is None:
        return found
    limit = pages[0].max_height
    pages_of: dict[str, set[int]] = {}
    for page in pages:
        for letter in page.connectors:
            pages_of.setdefault(letter, set()).add(page.number)
    for first, second in pairwise(pages):
        if second.opened_by != "full":
            continue
        outside = {first.number, second.number}
        tops = _strip_letters(first, "top") | _strip_letters(second, "top")
        bottoms = _strip_letters(first, "bottom") | _strip_letters(second, "bottom")
        strips = int(any(pages_of[x] - outside for x in tops)) + int(any(pages_of[x] - outside for x in bottoms))
        merged = first.header_height + _rows_height(first) + _rows_height(second) + strips * first.strip_height
        if merged <= limit + 0.01:
            found.append(
                Violation(
                    "needless-split", second.number, f"halaman {first.number} dan {second.number} muat satu halaman"
                )
            )
    for before, page in pairwise(pages):
        if page.opened_by != "full" or page.height / limit >= MOSTLY_EMPTY:
            continue
        rows = [row for row in before.rows if not row.is_strip]
        if len(rows) < 2:
            continue
        moved = rows[-1].box.h
        if page.height + moved <= limit + 0.01 and (before.height - moved) / limit > page.height / limit:
            found.append(
                Violation(
                    "mostly-empty-page",
                    page.number,
                    f"terisi {page.height / limit:.0%}; halaman {before.number} dapat memberinya baris",
                )
            )
    if all(page.opened_by in ("", "full") for page in pages):
        heights = [row.box.h for page in pages for row in page.rows if not row.is_strip]
        header, strip = pages[0].header_height, pages[0].strip_height
        needed, used, count = 1, 0.0, 0
        for i, h in enumerate(heights):
            later = i + 1 < len(heights)
            room = limit - header - (strip if needed > 1 else 0.0) - (strip if later else 0.0)
            if count and used + h > room + 0.01:
                needed += 1
                used, count = 0.0, 0
            used += h
            count += 1
        if len(pages) > needed:
            found.append(Violation("too-many-pages", pages[-1].number, f"{len(pages)} halaman, {needed} sudah cukup"))
    return found
