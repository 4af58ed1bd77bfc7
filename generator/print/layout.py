"""Geometry of the procedure flowchart: columns, rows, symbols and orthogonal arrows.

The official procedure sheet is a table: No | Kegiatan | one column per pelaksana |
(mutu baku ...). Every step is a row; its symbol sits in its performer's column and
arrows join the symbols. This module computes all of that once, in points, from the
model and a :class:`SheetSpec`. The web diagram and the printed sheet both render this
geometry; neither decides where anything goes.

The layout runs in named passes, each in its own module, each the one home of its rules:

1. columns (:mod:`~generator.print.columns`): the lanes get what their symbols need, the
   text columns share the rest so that rows come out short, Kegiatan first;
2. row sizing (:mod:`~generator.print.rows`): each row as tall as its text or its symbols
   with the room their lines and labels need;
3. page split (:mod:`~generator.print.paging`): rows per page, connector strips only where
   a page turns, no mostly empty last page;
4. placement (here): rows, cells, symbols and off-page connectors on each page;
5. routing (:mod:`~generator.print.routing`): the arrows and on-page connector pairs;
6. label placement (:mod:`~generator.print.labels`): each Ya/Tidak beside its own line.

Where routing or labelling finds a row too tight, that row grows and the passes run
again. On a sheet with a floor for its type, the type steps down while that saves a page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from generator.model.sop import Branch, Performance, Sop, Step
from generator.print.columns import (
    HEADER_MIN_SIZE,
    LANE_CLEARANCE,
    Widths,
    fit_widths,
    fixed_widths,
    make_columns,
    make_header,
    symbol_scale,
)
from generator.print.flowchart import (
    ARROW_LENGTH,
    LABEL_MIN_SIZE,
    SYMBOL_SIZE,
    Cell,
    Column,
    HeaderCell,
    Page,
    Route,
    Row,
    Shape,
    SheetSpec,
    Symbol,
    fitted,
    symbol_hits_box,
)
from generator.print.geometry import Box, boxes_overlap, segment_hits_box
from generator.print.labels import SHORT_LABELS, place_labels, provisional, table_rules
from generator.print.paging import PagePlan, paginate
from generator.print.routing import Node, Router, on_page_pair, open_exit, route, row_links, track_offsets
from generator.print.rows import RowPlan, ends, label_height, plan_rows, symbol_room, symbols_for
from generator.print.textmetrics import block_height, text_width

GROWTH_ROUNDS = 4
"""How many times rows that were too tight grow before the layout settles."""

TYPE_STEP = 0.25
"""Points the sheet's type steps down by while that saves a page."""

COMPACT_SYMBOLS = (0.6, 0.5)
"""Symbol scales tried, at the type's floor, while that saves a page."""


def layout_sheet(sop: Sop, spec: SheetSpec) -> list[Page]:
    """Compute every page of the sheet for ``sop``.

    A sheet with a floor for its type (the printed one) is laid out as large as it can be
    on the fewest pages: the type steps down a quarter point at a time to its floor, then
    the symbols shrink a little, as long as that saves a page.
    """
    ladder = [(spec.font_size, spec.symbol_scale)]
    if spec.min_font_size is not None and spec.max_height is not None:
        while ladder[-1][0] - TYPE_STEP >= spec.min_font_size - 0.01:
            ladder.append((round(ladder[-1][0] - TYPE_STEP, 2), spec.symbol_scale))
        floor = ladder[-1][0]
        ladder += [(floor, scale) for scale in COMPACT_SYMBOLS if scale < spec.symbol_scale]
    first = _layout_at(sop, spec, spec.font_size)
    if len(ladder) == 1 or len(first) == 1:
        return first
    tried = {ladder[0]: first}

    def pages_at(step: tuple[float, float]) -> list[Page]:
        if step not in tried:
            tried[step] = _layout_at(sop, dataclasses.replace(spec, symbol_scale=step[1]), step[0])
        return tried[step]

    fewest = len(pages_at(ladder[-1]))
    if fewest >= len(first):
        return first
    return next(pages_at(step) for step in ladder if len(pages_at(step)) <= fewest)


def _layout_at(sop: Sop, spec: SheetSpec, size: float) -> list[Page]:
    """Every page at one type size; rows too tight for their lines grow, then all again."""
    extra: dict[str, tuple[float, float]] = {}
    pages: list[Page] = []
    for _round in range(GROWTH_ROUNDS):
        frame = _frame(sop, spec, size, extra)
        wants: dict[str, tuple[float, float]] = {}
        pages = []
        for n, (steps, reason) in enumerate(frame.pages):
            page, page_wants = _layout_page(frame, n, steps, reason)
            pages.append(page)
            for key, (above, below) in page_wants.items():
                old = wants.get(key, (0.0, 0.0))
                wants[key] = (max(old[0], above), max(old[1], below))
        grown = False
        for key, (above, below) in wants.items():
            old = extra.get(key, (0.0, 0.0))
            new = (old[0] + max(0.0, above), old[1] + max(0.0, below))
            if new[0] > old[0] + 0.01 or new[1] > old[1] + 0.01:
                extra[key] = (round(new[0] + 0.5, 1), round(new[1] + 0.5, 1))
                grown = True
        if not grown:
            break
    return pages


@dataclass(frozen=True)
class _Frame:
    """Passes 1 to 3 at one type size: columns, header, rows and the page split."""

    sop: Sop
    spec: SheetSpec
    """The spec with its symbols scaled to the lanes."""
    size: float
    columns: list[Column]
    header_height: float
    header: tuple[HeaderCell, ...]
    plans: dict[str, RowPlan]
    pages: list[tuple[list[Step], str]]
    edges: list[tuple[Step, Branch]]
    """Every drawn branch with a target or an open exit, in order."""
    letters: dict[int, str]
    """Letter of the off-page connector pair of each edge that crosses a page turn."""
    page_of: dict[str, int]


def _frame(sop: Sop, spec: SheetSpec, size: float, extra: dict[str, tuple[float, float]]) -> _Frame:
    first, last = ends(sop)
    if spec.total_width is not None and spec.min_lane_width is not None:
        # The symbols' room at their full size, whatever the lanes: narrower lanes (and
        # smaller symbols) are chosen only where they make the text's rows shorter.
        need = {
            step.key: symbol_room(step, spec, spec.symbol_scale, size, first, last).total
            + sum(extra.get(step.key, (0.0, 0.0)))
            for step in sop.langkah
        }
        widths = fit_widths(sop, spec, size, need)
    else:
        widths = fixed_widths(sop, spec, size)
    scale = symbol_scale(spec, widths.lane)
    scaled = dataclasses.replace(spec, symbol_scale=scale)
    columns = make_columns(sop, scaled, size, widths)
    header_height, header = make_header(columns, scaled, size, numbers=sop.form.column_numbers)
    plans = plan_rows(sop, columns, scaled, size, scale, extra)
    index = {step.key: i for i, step in enumerate(sop.langkah)}
    edges = [(step, branch) for step in sop.langkah for branch in step.branches if branch.drawn]
    links = tuple((index[s.key], index[b.target]) for s, b in edges if b.target is not None)
    if spec.paged:
        plan = PagePlan(
            heights={k: p.height for k, p in plans.items()},
            header=header_height,
            max_height=spec.max_height,
            strip=scaled.strip_height,
            steps_per_page=spec.steps_per_page,
            breaks=frozenset(sop.page_breaks),
            links=links,
        )
        pages = plan.balanced(sop.langkah)
    else:
        pages = [(list(sop.langkah), "")]
    page_of = {step.key: n for n, (steps, _r) in enumerate(pages) for step in steps}
    letters: dict[int, str] = {}
    for i, (source, branch) in enumerate(edges):
        if branch.target is not None and page_of[source.key] != page_of[branch.target]:
            letters[i] = _letter(len(letters))
    return _Frame(sop, scaled, size, columns, header_height, header, plans, pages, edges, letters, page_of)


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass
class _Placed:
    """Pass 4 on one page: rows with their cells, symbols by row, off-page connectors."""

    rows: list[Row]
    symbols_by_row: dict[int, list[Symbol]]
    row_of_step: dict[str, int]
    height: float


def _place(frame: _Frame, number: int, steps: list[Step]) -> _Placed:
    """Rows, their text and their symbols, top to bottom, with connector strips where the
    page turns."""
    sop, spec, size = frame.sop, frame.spec, frame.size
    pad = spec.padding
    columns = frame.columns
    width = columns[-1].right
    lane_of = {role.name: i for i, role in enumerate(sop.pelaksana)}
    lane_cols = {c.lane: c for c in columns if c.lane is not None}
    first, last = ends(sop)
    has_top = has_bottom = False
    for i in frame.letters:
        source, branch = frame.edges[i]
        assert branch.target is not None
        pages = (frame.page_of[source.key], frame.page_of[branch.target])
        for here, there in (pages, pages[::-1]):
            if here == number:
                has_top = has_top or there < number
                has_bottom = has_bottom or there > number
    strip_h = spec.strip_height
    rows: list[Row] = []
    y = frame.header_height
    if has_top:
        rows.append(Row("top", Box(0, y, width, strip_h), is_strip=True))
        y += strip_h
    symbols_by_row: dict[int, list[Symbol]] = {}
    row_of_step: dict[str, int] = {}
    for step in steps:
        plan = frame.plans[step.key]
        row_h = plan.height
        cells = tuple(
            Cell(
                col.key,
                lines,
                Box(col.x + pad, y + pad, max(text_width(ln, size) for ln in lines), block_height(len(lines), size)),
                source,
            )
            for col, lines, source in plan.cells
            if lines and any(lines)
        )
        index = len(rows)
        rows.append(Row(step.key, Box(0, y, width, row_h), cells))
        row_of_step[step.key] = index
        room = plan.room
        # The symbols with the room above and below them, in the row's middle.
        middle = y + room.top + (row_h - room.total) / 2 + room.height / 2
        placed: list[Symbol] = []
        for n, (role, shape) in enumerate(symbols_for(step, first, last)):
            lane = lane_of[role]
            sw, sh = spec.symbol_size(shape)
            col = lane_cols[lane]
            box = Box(col.x + (col.width - sw) / 2, middle - sh / 2, sw, sh)
            label = step.no if sop.form.symbol_numbers else ""
            rounded = sop.form.rounded_process and shape is Shape.PROCESS
            placed.append(Symbol(f"sym-{step.key}-{n}", shape, step.key, lane, label, box, role, rounded=rounded))
        symbols_by_row[index] = placed
        y += row_h
    if has_bottom:
        rows.append(Row("bottom", Box(0, y, width, strip_h), is_strip=True))
        y += strip_h
    return _Placed(rows, symbols_by_row, row_of_step, y)


def _off_page_connector(
    placed: _Placed, spec: SheetSpec, columns: Sequence[Column], letter: str, strip: str, lane: int
) -> Symbol:
    """An off-page connector in a strip, in its lane's middle part (the parts along the
    borders are the arrows' channels); several in one lane stand side by side."""
    rows, symbols_by_row = placed.rows, placed.symbols_by_row
    lane_cols = {c.lane: c for c in columns if c.lane is not None}
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
            beside = [b.right + 3 for b in used] + [b.x - 3 - cw for b in used]
            slots = sorted(
                {centre, *(low + i * (cw + 3) for i in range(count)), *beside}, key=lambda x: abs(x - centre)
            )
            for x in slots:
                box = Box(x, y, cw, ch)
                if low - 0.01 <= x <= high + 0.01 and not any(boxes_overlap(box, other) for other in used):
                    symbol = Symbol(f"conn-{strip}-{letter}", Shape.CONNECTOR, letter, candidate_lane, letter, box)
                    symbols_by_row.setdefault(index, []).append(symbol)
                    return symbol
    col = lane_cols[lane]  # no free place: the lane's middle (the checker will say so)
    symbol = Symbol(
        f"conn-{strip}-{letter}", Shape.CONNECTOR, letter, lane, letter, Box(col.x + (col.width - cw) / 2, y, cw, ch)
    )
    symbols_by_row.setdefault(index, []).append(symbol)
    return symbol


def _layout_page(
    frame: _Frame, number: int, steps: list[Step], reason: str
) -> tuple[Page, dict[str, tuple[float, float]]]:
    """One page (passes 4 to 6), and the room its rows lacked (above, below) by step key."""
    sop, spec, columns, edges, letters, page_of = (
        frame.sop,
        frame.spec,
        frame.columns,
        frame.edges,
        frame.letters,
        frame.page_of,
    )
    size = frame.size
    placed = _place(frame, number, steps)
    rows, symbols_by_row, row_of_step = placed.rows, placed.symbols_by_row, placed.row_of_step
    lane_cols = {c.lane: c for c in columns if c.lane is not None}

    def step_node(key: str, pick: int | None = None) -> Node:
        index = row_of_step[key]
        return Node(index, symbols_by_row[index], sop.step(key).performance is Performance.BERSAMA, pick)

    def strip_node(strip: str, symbol: Symbol) -> Node:
        return Node(next(k for k, r in enumerate(rows) if r.key == strip), [symbol])

    ends_of: dict[int, tuple[Node, Node]] = {}
    pairs: list[int] = []
    page_letters: list[str] = []
    open_exits: list[tuple[int, Node]] = []
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
            ends_of[i] = (step_node(source.key, branch.source), step_node(branch.target, branch.entry))
            if branch.connector:
                pairs.append(i)
        else:
            letter = letters[i]
            page_letters.append(letter)
            forward = page_of[branch.target] > page_of[source.key]
            if on_page_source:
                strip = "bottom" if forward else "top"
                lane = symbols_by_row[row_of_step[source.key]][branch.source].lane
                conn = _off_page_connector(placed, spec, columns, letter, strip, lane)
                ends_of[i] = (step_node(source.key, branch.source), strip_node(strip, conn))
            else:
                strip = "top" if forward else "bottom"
                lane = symbols_by_row[row_of_step[branch.target]][branch.entry].lane
                conn = _off_page_connector(placed, spec, columns, letter, strip, lane)
                ends_of[i] = (strip_node(strip, conn), step_node(branch.target, branch.entry))

    # Pass 5: routing.
    widest = max(spec.symbol_size(shape)[0] for shape in (Shape.TERMINATOR, Shape.PROCESS, Shape.DECISION))
    free = (min(c.width for c in lane_cols.values()) - widest) / 2
    router = Router(columns, len(sop.pelaksana), rows, symbols_by_row, offsets=track_offsets(free))
    routes: list[Route] = []
    source_row: dict[str, int] = {}
    exits_used: dict[str, list[str]] = {}  # a chain's links take the sides they join
    for index, row_symbols in symbols_by_row.items():
        links, sides = row_links(rows[index].key, row_symbols, sop, index, rows, router)
        if links:
            router.linked_rows.add(index)
        routes.extend(links)
        for link in links:
            source_row[link.id] = index
        for symbol_id, held in sides.items():
            exits_used.setdefault(symbol_id, []).extend(held)
    rules = table_rules(rows, columns, frame.header_height, placed.height)
    all_symbols = [s for index in sorted(symbols_by_row) for s in symbols_by_row[index]]

    def reserve(new: Route) -> None:
        """Keep the place of a new route's label free of the lines routed after it."""
        box = provisional(new, routes, rules, all_symbols, router.reserved, frame.header_height, placed.height, size)
        if box is not None:
            router.reserved.append(box)

    def _has_place(new: Route, smaller: bool) -> bool:
        """Whether a label has a place beside a new stub (other labels may still move), at the
        page's type or (``smaller``) in any of its forms."""
        box = provisional(
            new, routes, rules, all_symbols, (), frame.header_height, placed.height, size, any_form=smaller
        )
        return box is not None

    def _cost(new: Route) -> float:
        """How many labels a new route spoils: those it runs over, and its own when it finds
        no place (half as bad beside a rise or a drop, where its row can grow to make room)."""
        own = bool(new.label) and (
            provisional(new, routes, rules, all_symbols, router.reserved, frame.header_height, placed.height, size)
            is None
        )
        crossed = sum(
            1 for box in router.reserved if any(segment_hits_box(seg, box, margin=-1.0) for seg in pairwise(new.points))
        )
        vertical = abs(new.points[0][0] - new.points[1][0]) < 0.01
        return crossed + (0.0 if not own else 0.5 if vertical else 1.0)

    for link in routes:
        reserve(link)
    for i, (_source, branch) in enumerate(edges):
        if i not in ends_of or i in pairs:
            continue
        start, end = ends_of[i]
        # A branch continuing from an off-page connector was labelled on the decision's page.
        from_connector = start.symbols[0].shape is Shape.CONNECTOR
        label = "" if from_connector else _branch_label(branch)
        state, sides = router.snapshot(), {k: list(v) for k, v in exits_used.items()}
        found = route(router, f"edge-{i}", start, end, branch.kind.value, label, exits_used, size)
        cost = _cost(found)
        if cost:
            # Its label finds no place, or it runs over another's: the line may leave the
            # symbol's top instead; the way that spoils fewer labels is kept.
            tried = (found, router.snapshot(), {k: list(v) for k, v in exits_used.items()})
            router.restore(state)
            exits_used.clear()
            exits_used.update({k: list(v) for k, v in sides.items()})
            found = route(router, f"edge-{i}", start, end, branch.kind.value, label, exits_used, size, rise=True)
            if found.points == tried[0].points or _cost(found) >= cost:
                found = tried[0]
                router.restore(tried[1])
                exits_used.clear()
                exits_used.update(tried[2])
        routes.append(found)
        source_row[f"edge-{i}"] = start.row
        reserve(routes[-1])
    for i, node in open_exits:
        routes.append(open_exit(router, f"edge-{i}", node, exits_used, routes, size, judge=_has_place))
        source_row[f"edge-{i}"] = node.row
    diameter = spec.symbol_size(Shape.ON_PAGE)[0]
    for i in pairs:
        start, end = ends_of[i]
        branch = edges[i][1]
        pair = on_page_pair(
            router,
            f"edge-{i}",
            start,
            end,
            branch.kind.value,
            _branch_label(branch),
            branch.connector,
            exits_used,
            routes,
            size,
            diameter,
        )
        routes.extend(pair)
        source_row[f"edge-{i}"] = start.row
    symbols = [fitted(s, size) for index in sorted(symbols_by_row) for s in symbols_by_row[index]]
    symbols += [fitted(s, size) for s in router.extra_symbols]

    # Pass 6: labels.
    routes, missing = place_labels(routes, rows, symbols, columns, frame.header_height, placed.height, size)

    wants: dict[str, tuple[float, float]] = {}
    for index, (above, below) in router.wants.items():
        if not rows[index].is_strip:
            wants[rows[index].key] = (above, below)
    by_id = {r.id: r for r in routes}
    for route_id in missing:
        row_index = source_row.get(route_id)
        if row_index is None or rows[row_index].is_strip:
            continue
        (x0, y0), (x1, y1) = by_id[route_id].points[:2]
        if abs(x0 - x1) < 0.01:  # a label beside a vertical line: the row grows that way
            key = rows[row_index].key
            above, below = wants.get(key, (0.0, 0.0))
            grow = label_height(size) / 2
            wants[key] = (above + (grow if y1 < y0 else 0.0), below + (grow if y1 > y0 else 0.0))
    page = Page(
        number + 1,
        columns[-1].right,
        placed.height,
        frame.header_height,
        tuple(columns),
        tuple(rows),
        tuple(symbols),
        tuple(routes),
        tuple(sorted(set(page_letters))),
        frame.header,
        spec.padding,
        font_size=size,
        max_height=spec.max_height,
        strip_height=spec.strip_height,
        opened_by=reason,
    )
    return page, wants


def _branch_label(branch: Branch) -> str:
    return {"ya": "Ya", "tidak": "Tidak"}.get(branch.kind.value, "")


__all__ = [
    "ARROW_LENGTH",
    "HEADER_MIN_SIZE",
    "LABEL_MIN_SIZE",
    "SHORT_LABELS",
    "SYMBOL_SIZE",
    "Box",
    "Cell",
    "Column",
    "HeaderCell",
    "Page",
    "Route",
    "Row",
    "Shape",
    "SheetSpec",
    "Symbol",
    "Widths",
    "layout_sheet",
    "paginate",
    "symbol_hits_box",
]
