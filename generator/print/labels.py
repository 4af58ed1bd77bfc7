"""Pass 6 of the flowchart layout: where each "Ya" and "Tidak" goes.

A branch label belongs beside its own line's first segment, next to the symbol the line
leaves, and nearer to that line than to any other: a reader must never pair it with the
wrong branch. It touches no line, symbol, other label or table rule. Places are tried
along the first segment, on the side its next segment does not take first; in narrow
lanes the label may stand beyond the lane's rule, where the line runs on, or overhang
the line's first corner. Where none is free at the page's type, smaller type is tried (to a
floor), then the short forms SOP forms print ("Tdk", "Y"); a label that still finds no
place is reported, so that its row can grow.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from itertools import pairwise

from generator.print.flowchart import Column, Route, Row, Symbol, symbol_hits_box
from generator.print.geometry import Box, Point, Segment, box_segment_distance, boxes_overlap, segment_hits_box
from generator.print.textmetrics import LINE_HEIGHT, text_width

SHORT_LABELS: dict[str, tuple[str, ...]] = {"Tidak": ("Tdk",), "Ya": ("Y",)}
"""Short forms of branch labels that SOP forms print in narrow columns, shortest last."""

LINE_GAP = 1.5
"""Points between a label and its own line."""

RULE_GAP = 1.0
"""Points a label keeps from the table's rules."""

LABEL_FLOOR = 6.0
"""Smallest type a branch label steps down to (by half points) before its short form."""

NEARER_BY = 0.5
"""A label is nearer its own line than any other by at least this much."""

ALONG = tuple(n * 1.5 for n in range(21))
"""Distances along the first segment (from where it leaves the symbol) tried for a label:
it begins alongside the segment, and may overhang its end (the line's corner)."""


def glyph_box(at: Point, anchor: str, word: str, size: float) -> Box:
    """The box of a label's glyphs (as :func:`generator.print.geometry.label_box`)."""
    width = text_width(word, size, bold=True)
    x, y = at
    left = x + 4 if anchor == "start" else x - width - 4
    return Box(left, y - size * LINE_HEIGHT + 0.12 * size, width, size * 0.95)


def _at(box: Box, anchor: str, size: float) -> Point:
    """The reference point that puts a label's glyphs in ``box``."""
    y = box.y + size * LINE_HEIGHT - 0.12 * size
    return (box.x - 4, y) if anchor == "start" else (box.right + 4, y)


def candidates(route: Route, word: str, size: float) -> list[tuple[Box, str]]:
    """Boxes beside the route's first segment, best first, with the anchor each reads from."""
    (x0, y0), (x1, y1) = route.points[0], route.points[1]
    width = text_width(word, size, bold=True)
    height = size * 0.95
    length = abs(x1 - x0) + abs(y1 - y0)
    after = route.points[2] if len(route.points) > 2 else None
    found: list[tuple[Box, str]] = []
    if abs(x0 - x1) < 0.01:  # leaves up or down
        down = y1 > y0
        # The side the next segment does not take first.
        sides = ["right", "left"]
        if after is not None and after[0] > x1 + 0.01:
            sides.reverse()
        for along in ALONG:
            if along + LINE_GAP > max(LINE_GAP, length - 0.5):
                break
            for side in sides:
                y = y0 + LINE_GAP + along if down else y0 - LINE_GAP - along - height
                x = x0 + LINE_GAP if side == "right" else x0 - LINE_GAP - width
                found.append((Box(x, y, width, height), "start" if side == "right" else "end"))
    else:  # leaves sideways
        sign = 1 if x1 > x0 else -1
        sides = ["above", "below"]
        if after is not None and after[1] < y1 - 0.01:  # the line turns up: below is free of it
            sides.reverse()
        for along in ALONG:
            if along + LINE_GAP > max(LINE_GAP, length - 0.5):
                break
            for side in sides:
                near = x0 + sign * (LINE_GAP + along)
                x = near if sign > 0 else near - width
                y = y0 - LINE_GAP - height if side == "above" else y0 + LINE_GAP
                found.append((Box(x, y, width, height), "start" if sign > 0 else "end"))
    return found


REACH = 60.0
"""Points around where a line leaves its symbol within which its label is looked for."""


def _near(segments: Sequence[Segment], point: Point, reach: float = REACH) -> list[Segment]:
    """The segments that pass within ``reach`` of ``point`` (a label's neighbourhood)."""
    x, y = point
    return [
        s
        for s in segments
        if min(s[0][0], s[1][0]) - reach <= x <= max(s[0][0], s[1][0]) + reach
        and min(s[0][1], s[1][1]) - reach <= y <= max(s[0][1], s[1][1]) + reach
    ]


def table_rules(rows: Sequence[Row], columns: Sequence[Column], top: float, bottom: float) -> list[Segment]:
    """The table's rules below the header: row borders and column borders."""
    rules: list[Segment] = []
    for row in rows:
        rules += [((row.box.x, row.box.y), (row.box.right, row.box.y))]
        rules += [((row.box.x, row.box.bottom), (row.box.right, row.box.bottom))]
    for col in columns:
        rules += [((col.x, top), (col.x, bottom)), ((col.right, top), (col.right, bottom))]
    return rules


def provisional(
    route: Route,
    routes: Sequence[Route],
    rules: Sequence[Segment],
    symbols: Sequence[Symbol],
    taken: Sequence[Box],
    top: float,
    bottom: float,
    font_size: float,
    *,
    any_form: bool = False,
) -> Box | None:
    """Where a route's label would stand among the lines routed so far (at the page's type;
    ``any_form``: or smaller, or short), so that the lines routed after it keep clear of it."""
    if not route.label or len(route.points) < 2:
        return None
    own_segments = [s for s in pairwise(route.points) if s[0] != s[1]]
    if not own_segments:
        return None
    start = route.points[0]
    others = _near([s for r in routes if r.id != route.id for s in pairwise(r.points) if s[0] != s[1]], start)
    later, near_rules = _near(own_segments[1:], start), _near(rules, start)
    tries = [(route.label, font_size)]
    if any_form:
        tries += [(route.label, size) for size in _sizes(font_size)[1:]]
        tries += [(short, LABEL_FLOOR) for short in SHORT_LABELS.get(route.label, ())]
    for word, size in tries:
        for box, _anchor in candidates(route, word, size):
            if _free(box, own_segments[0], others, later, near_rules, symbols, taken, top, bottom):
                return box
    return None


def place_labels(
    routes: Sequence[Route],
    rows: Sequence[Row],
    symbols: Sequence[Symbol],
    columns: Sequence[Column],
    top: float,
    bottom: float,
    font_size: float,
) -> tuple[list[Route], list[str]]:
    """Every labelled route with its label placed, and the ids of those that found no free
    place (they keep their first place; the checker will say so).

    The labels with the fewest free places are placed first, so that a label with room to
    spare never takes the one place another had."""
    rules = table_rules(rows, columns, top, bottom)
    segments = {route.id: [s for s in pairwise(route.points) if s[0] != s[1]] for route in routes}
    options: dict[str, list[tuple[Box, str, str, float]]] = {}
    context: dict[str, tuple[Segment, list[Segment], list[Segment], list[Segment]]] = {}
    for route in routes:
        if not route.label or len(route.points) < 2:
            continue
        own = segments[route.id][0] if segments[route.id] else (route.points[0], route.points[1])
        start = route.points[0]
        others = _near([s for rid, segs in segments.items() if rid != route.id for s in segs], start)
        context[route.id] = (own, others, _near(segments[route.id][1:], start), _near(rules, start))
        tries = [(route.label, size) for size in _sizes(font_size)]
        tries += [(short, LABEL_FLOOR) for short in SHORT_LABELS.get(route.label, ())]
        options[route.id] = [
            (box, anchor, word, size) for word, size in tries for box, anchor in candidates(route, word, size)
        ]

    def free(route_id: str, option: tuple[Box, str, str, float], taken: Sequence[Box], *, nearest: bool = True) -> bool:
        own, others, later, near_rules = context[route_id]
        return _free(option[0], own, others, later, near_rules, symbols, taken, top, bottom, nearest=nearest)

    def freedom(route_id: str) -> int:
        # Free places (up to a few) of the page's type for the whole word, before any other
        # label stands: the fewer, the sooner the label is placed.
        first_size = options[route_id][0][3] if options[route_id] else font_size
        count = 0
        for option in options[route_id]:
            if option[3] == first_size and free(route_id, option, ()):
                count += 1
                if count >= 4:
                    break
        return count

    order = sorted(options, key=lambda rid: (freedom(rid), [r.id for r in routes].index(rid)))
    chosen: dict[str, tuple[Box, str, str, float]] = {}
    missing: list[str] = []
    taken: list[Box] = []
    for route_id in order:
        choice = next((o for o in options[route_id] if free(route_id, o, taken)), None)
        if choice is None:
            # No place by the rules: the first that touches nothing, further along the line
            # or over or under its symbol (the checker will say the label strays).
            missing.append(route_id)
            route = next(r for r in routes if r.id == route_id)
            spare = options[route_id] + _fallbacks(route, symbols, font_size)
            choice = next((o for o in spare if free(route_id, o, taken, nearest=False)), None)
            if choice is None:
                if not options[route_id]:
                    continue
                choice = options[route_id][0]
        chosen[route_id] = choice
        taken.append(choice[0])
    placed: list[Route] = []
    for route in routes:
        if route.id not in chosen:
            placed.append(route)
            continue
        box, anchor, word, size = chosen[route.id]
        placed.append(
            dataclasses.replace(
                route,
                label=word,
                label_at=_at(box, anchor, size),
                label_anchor=anchor,
                label_size=size if size != font_size else None,
            )
        )
    return placed, missing


def _fallbacks(route: Route, symbols: Sequence[Symbol], font_size: float) -> list[tuple[Box, str, str, float]]:
    """Places outside the rules, for a label that finds none by them: beside the line's second
    segment past its corner, then over or under the symbol it leaves."""
    found: list[tuple[Box, str, str, float]] = []
    pts = route.points
    forms = [(route.label, font_size), (route.label, LABEL_FLOOR)]
    forms += [(w, LABEL_FLOOR) for w in SHORT_LABELS.get(route.label, ())]
    for word, size in forms:
        width, height = text_width(word, size, bold=True), size * 0.95
        if len(pts) > 2:
            (x1, y1), (x2, y2) = pts[1], pts[2]
            if abs(x1 - x2) < 0.01:
                sign = 1 if y2 > y1 else -1
                for along in (LINE_GAP, 4.0, 8.0, 12.0, 18.0, 26.0, 36.0):
                    y = y1 + sign * along if sign > 0 else y1 - along - height
                    found += [(Box(x1 + LINE_GAP, y, width, height), "start", word, size)]
                    found += [(Box(x1 - LINE_GAP - width, y, width, height), "end", word, size)]
            else:
                sign = 1 if x2 > x1 else -1
                for along in (LINE_GAP, 4.0, 8.0, 12.0, 18.0, 26.0, 36.0):
                    x = x1 + along if sign > 0 else x1 - along - width
                    found += [(Box(x, y1 - LINE_GAP - height, width, height), "start", word, size)]
                    found += [(Box(x, y1 + LINE_GAP, width, height), "start", word, size)]
        start = pts[0]
        source = min(symbols, key=lambda s: abs(s.box.cx - start[0]) + abs(s.box.cy - start[1]), default=None)
        if source is not None:
            b = source.box
            for y in (b.y - 2.0 - height, b.bottom + 2.0):
                found += [(Box(b.cx + 3.0, y, width, height), "start", word, size)]
                found += [(Box(b.cx - 3.0 - width, y, width, height), "end", word, size)]
    return found


def _sizes(font_size: float) -> list[float]:
    sizes = [font_size]
    while sizes[-1] - 0.5 >= LABEL_FLOOR - 0.01:
        sizes.append(round(sizes[-1] - 0.5, 2))
    return sizes


def _free(
    box: Box,
    own: Segment,
    others: Sequence[Segment],
    mine_later: Sequence[Segment],
    rules: Sequence[Segment],
    symbols: Sequence[Symbol],
    taken: Sequence[Box],
    top: float,
    bottom: float,
    *,
    nearest: bool = True,
) -> bool:
    """True when a label in ``box`` touches nothing and (``nearest``) is nearer its own line
    than any other."""
    if box.y < top + RULE_GAP or box.bottom > bottom - RULE_GAP:
        return False
    grown = Box(box.x - RULE_GAP, box.y - RULE_GAP, box.w + 2 * RULE_GAP, box.h + 2 * RULE_GAP)
    if any(segment_hits_box(seg, grown, margin=0.0) for seg in _within(rules, grown, 0.0)):
        return False
    if any(segment_hits_box(seg, box, margin=-0.8) for seg in _within((*others, *mine_later, own), box, 0.8)):
        return False
    padded = Box(box.x - 0.8, box.y - 0.8, box.w + 1.6, box.h + 1.6)
    if any(symbol_hits_box(s, padded) for s in symbols if boxes_overlap(s.box, padded)):
        return False
    if any(boxes_overlap(padded, other) for other in taken):
        return False
    if not nearest:
        return True
    mine = box_segment_distance(box, own)
    return all(box_segment_distance(box, seg) > mine + NEARER_BY for seg in _within(others, box, mine + NEARER_BY))


def _within(segments: Sequence[Segment], box: Box, distance: float) -> list[Segment]:
    """The segments whose bounds come within ``distance`` of ``box`` (a cheap first sieve)."""
    left, right, low, high = box.x - distance, box.right + distance, box.y - distance, box.bottom + distance
    return [
        s
        for s in segments
        if (s[0][0] if s[0][0] > s[1][0] else s[1][0]) >= left
        and (s[0][0] if s[0][0] < s[1][0] else s[1][0]) <= right
        and (s[0][1] if s[0][1] > s[1][1] else s[1][1]) >= low
        and (s[0][1] if s[0][1] < s[1][1] else s[1][1]) <= high
    ]
