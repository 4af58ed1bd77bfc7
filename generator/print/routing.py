"""Pass 5 of the flowchart layout: the arrows, as orthogonal lines between placed symbols.

Rules (so that arrows never cross a symbol, never lie on each other, and keep off the
table's rules):

* Consecutive symbols: down from the bottom of one, along the gap under its row (halfway
  between the symbol and the rule), down into the top of the next (a straight line when
  both are in the same column).
* Any other arrow (a "Tidak" back to an earlier step, a jump forward): out of the symbol's
  side into a vertical channel beside a column border (never nearer to it than
  :data:`RULE_CLEARANCE`), along the channel, and into the target's side. Channels get
  separate tracks when several arrows share a border over the same rows.
* Arrows that leave the page end at a pentagon off-page connector: at the bottom of the
  page under the source column and at the top of the next page over the target column
  (the other way round for a loop back to an earlier page), one letter per pair.
* Where the paper draws a pair of on-page connectors instead of a line, a short arrow runs
  from the symbol into a small circle, and from a circle with the same mark into the target.

Where a row has too little room for a line (a line over its symbols, a connector circle),
the router says how much more it needs (:attr:`Router.wants`); the layout grows that row
and routes again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from generator.model.sop import Performance, Sop
from generator.print.flowchart import (
    RULE_CLEARANCE,
    STRIP_TRACK_GAP,
    STRIP_TRACKS,
    Column,
    Route,
    Row,
    Shape,
    Symbol,
    bottom_point,
    side_point,
    symbol_hits_box,
    top_point,
)
from generator.print.geometry import Box, Point, segment_hits_box, segments_cross
from generator.print.rows import label_height
from generator.print.textmetrics import text_width

BAND_GAP = 2.5
"""Points between lines running side by side over a row's symbols."""

OPEN_EXIT_LENGTH = 16.0
"""Length of the short "Tidak" arrow of a decision whose Tidak the SOP gives only in words."""


def track_offsets(free: float) -> tuple[float, ...]:
    """Distances of the vertical tracks from a lane border, both ways, best first: the usual
    8 and 16 points where there is room, else every 2.5 points from :data:`RULE_CLEARANCE`
    out to 1.5 points short of the symbols, so that many loops back never share a track."""
    preferred = [8.0, 16.0] if free >= 20 else []
    extra: list[float] = []
    d = RULE_CLEARANCE
    while d <= free - 1.5:
        if all(abs(d - p) > 1.5 for p in preferred + extra):
            extra.append(d)
        d += BAND_GAP
    if not preferred and not extra:
        extra = [max(RULE_CLEARANCE, free / 2)]
    found: list[float] = []
    for distance in preferred + extra:
        found += [distance, -distance]
    return tuple(found)


@dataclass
class Node:
    """A place arrows connect to: a row's symbols (or one connector) on a page."""

    row: int
    symbols: list[Symbol]
    joint: bool = False
    """True for a joint step: arrows use whichever box is nearest; else a chain (first in, last out)."""
    pick: int | None = None
    """The symbol an arrow leaves or enters (an index into ``symbols``), when the branch names one."""


@dataclass
class Router:
    """The state of routing one page: channels, heights and sides already taken."""

    page_columns: Sequence[Column]
    lane_count: int
    rows: Sequence[Row]
    symbols_by_row: dict[int, list[Symbol]]
    offsets: tuple[float, ...]
    tracks: dict[int, list[tuple[float, float, float]]] = field(default_factory=dict)
    side_uses: dict[tuple[str, str], int] = field(default_factory=dict)
    """How many arrows already leave or enter each (row, lane border): each gets its own height."""
    strip_uses: dict[int, list[tuple[float, float, int]]] = field(default_factory=dict)
    """Tracks taken in each connector strip."""
    top_xs: dict[str, list[float]] = field(default_factory=dict)
    """Where lines other than the straight arrival meet each symbol's top."""
    band_ys: dict[int, list[float]] = field(default_factory=dict)
    """Heights taken in the band over each row's symbols."""
    arrivals: dict[str, list[str]] = field(default_factory=dict)
    """Sides of each symbol where arrows arrive (at heights of their own)."""
    linked_rows: set[int] = field(default_factory=set)
    """Rows whose symbols are joined at mid-height (chain arrows, joint links): side arrows
    into or out of them keep off that line."""
    wants: dict[int, list[float]] = field(default_factory=dict)
    """Room (above, below) each row lacked for its lines, by row index."""
    extra_symbols: list[Symbol] = field(default_factory=list)
    """On-page connector circles placed while routing."""
    reserved: list[Box] = field(default_factory=list)
    """Where the labels of lines already routed will stand: later channels keep off them."""

    def snapshot(self) -> dict[str, object]:
        """The router's state, to route a line again another way (:meth:`restore`)."""
        return {
            "tracks": {k: list(v) for k, v in self.tracks.items()},
            "side_uses": dict(self.side_uses),
            "strip_uses": {k: list(v) for k, v in self.strip_uses.items()},
            "top_xs": {k: list(v) for k, v in self.top_xs.items()},
            "band_ys": {k: list(v) for k, v in self.band_ys.items()},
            "arrivals": {k: list(v) for k, v in self.arrivals.items()},
            "wants": {k: list(v) for k, v in self.wants.items()},
            "extra_symbols": list(self.extra_symbols),
            "reserved": list(self.reserved),
        }

    def restore(self, state: dict[str, object]) -> None:
        """Back to a :meth:`snapshot` (which stays usable)."""
        for name, value in state.items():
            if isinstance(value, dict):
                setattr(self, name, {k: (list(v) if isinstance(v, list) else v) for k, v in value.items()})
            else:
                assert isinstance(value, list)
                setattr(self, name, list(value))

    def want(self, row: int, above: float = 0.0, below: float = 0.0) -> None:
        """Note that a row needs more room above or below its symbols."""
        current = self.wants.setdefault(row, [0.0, 0.0])
        current[0] = max(current[0], above)
        current[1] = max(current[1], below)

    def lane_bounds(self, lane: int) -> tuple[float, float]:
        col = next(c for c in self.page_columns if c.lane == lane)
        return col.x, col.x + col.width

    def free_channel(self, border: int, y1: float, y2: float, prefer: int = 0) -> float | None:
        """Like :meth:`channel`, but ``None`` when every track along that border is taken there."""
        before = len(self.tracks.get(border, []))
        x = self.channel(border, y1, y2, prefer)
        used = self.tracks[border]
        low, high, offset = used[-1]
        taken = any(off == offset and a - 3 <= high and low <= b + 3 for a, b, off in used[:before])
        if taken:
            used.pop()
            return None
        return x

    def channel(self, border: int, y1: float, y2: float, prefer: int = 0) -> float:
        """x of a free vertical track along lane border ``border`` (0 = left of lane 0);
        ``prefer`` (+1 or -1) tries the tracks on that side of the border first."""
        low, high = min(y1, y2), max(y1, y2)
        if border == 0:
            base, offsets = self.lane_bounds(0)[0], [o for o in self.offsets if o > 0]
        elif border == self.lane_count:
            base, offsets = self.lane_bounds(self.lane_count - 1)[1], [o for o in self.offsets if o < 0]
        else:
            base, offsets = self.lane_bounds(border)[0], list(self.offsets)
        used = self.tracks.setdefault(border, [])

        def labels_crossed(offset: float) -> int:
            line = ((base + offset, low), (base + offset, high))
            return sum(1 for box in self.reserved if segment_hits_box(line, box, margin=-1.0))

        def free(offset: float) -> bool:
            return all(not (low <= b + 3 and a - 3 <= high) or off != offset for a, b, off in used)

        # The preferred side first, clear of the labels placed so far; then that side over
        # as few labels as may be (they find other places); then the other side.
        preferred = [o for o in offsets if o * prefer > 0] if prefer else offsets
        others = [o for o in offsets if o * prefer <= 0] if prefer else []
        choices = [o for o in preferred if free(o)]
        clear = [o for o in choices if not labels_crossed(o)]
        if clear or (choices and not prefer):
            offset = (clear or choices)[0]
        elif choices:
            offset = min(choices, key=labels_crossed)
        else:
            offset = next((o for o in others if free(o)), None)  # type: ignore[assignment]
        if offset is not None:
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
        """A free height in the band over a row's symbols, for a line running across it: at
        least :data:`RULE_CLEARANCE` under the row's rule and 2 points over the symbols."""
        box = self.rows[row].box
        top = min((s.box.y for s in self.symbols_by_row.get(row, [])), default=box.bottom)
        taken = self.band_ys.setdefault(row, [])
        y = box.y + RULE_CLEARANCE
        while y <= top - 2.0:
            if all(abs(y - other) > 2.0 for other in taken):
                taken.append(y)
                return y
            y += BAND_GAP
        # No room left: the row must grow by another line's worth above its symbols.
        lines = len(taken) + 1
        self.want(row, above=RULE_CLEARANCE + lines * BAND_GAP + 2.0 - (top - box.y))
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
        if symbol.shape in (Shape.CONNECTOR, Shape.ON_PAGE):
            return 0.0
        # Fractions of the half height: every arrow meets the side itself, whatever the shape's size.
        spread = (-0.5, 0.5, -0.8, 0.8, -0.3, 0.3, -0.65, 0.65, -0.9, 0.9, -0.15, 0.15)
        fractions: tuple[float, ...] = spread if row in self.linked_rows else (0.0, *spread)
        return fractions[min(used, len(fractions) - 1)] * (symbol.box.h / 2 - 0.5)

    def blocked(self, row: int, x1: float, x2: float, target: Symbol) -> bool:
        low, high = min(x1, x2), max(x1, x2)
        return any(s is not target and s.box.x < high and s.box.right > low for s in self.symbols_by_row.get(row, []))


def route(
    router: Router,
    route_id: str,
    start: Node,
    end: Node,
    kind: str,
    label: str,
    exits_used: dict[str, list[str]],
    size: float = 9.0,
    *,
    rise: bool = False,
) -> Route:
    """The arrow of one branch between two nodes of the page. ``rise``: a line back up
    leaves the symbol's top rather than its side (where its label found no room beside it)."""
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
        # The elbow runs halfway down the room under the symbol: clear of every symbol
        # (the next row's symbols start below the row line) and off the row line itself.
        elbow = (a.box.bottom + rows[start.row].box.bottom) / 2
        points: list[Point] = [(a.box.cx, a.box.bottom)]
        turns_right = b.box.cx > a.box.cx + 0.01
        if abs(a.box.cx - b.box.cx) > 0.01:
            points += [(a.box.cx, elbow), (b.box.cx, elbow)]
        points.append(top_point(b, b.box.cx))
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
        return _connector_route(router, route_id, a, b, start, end, kind, label, exits_used, rise=rise)

    if end.row == start.row and a is not b and "top" not in used:
        # Back to an earlier symbol of the same chain: over the row's symbols, into the
        # target's top beside the arrow that already enters it from above.
        used.append("top")
        over = router.band_y(start.row)
        toward = 1 if b.box.cx > a.box.cx else -1
        leave_x = router.top_x(a, toward)
        enter_x = router.top_x(b, -toward)
        points = [top_point(a, leave_x), (leave_x, over), (enter_x, over), top_point(b, enter_x)]
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
    border = a.lane + 1 if side == "right" else a.lane
    if (
        label
        and (rise or border in (0, router.lane_count))
        and "top" not in used
        and rows[end.row].box.y < rows[start.row].box.y
        and (rise or _room_to_border(router, a, side) < text_width(label, size, bold=True) + 4.0)
    ):
        # Against the table's edge with no room for the label beside the line: the line
        # leaves the top instead, its label beside the short rise.
        used.append("top")
        return _over_the_top(router, route_id, a, b, start, end, kind, label, side, border, exits_used)
    used.append(side)
    start_pt = side_point(a, side, router.side_offset(a, side, start.row))
    # Reserve the track up to the target row's top: an arrow blocked at the target's height
    # climbs that far to pass over the symbols in its way.
    reach = rows[end.row].box.y if b.box.cy < start_pt[1] else b.box.cy
    # A labelled line runs on past the lane's rule, so that its label has room beside it
    # where a narrow lane leaves none between the symbol and the rule.
    x = router.channel(border, start_pt[1], reach, prefer=(1 if side == "right" else -1) if label else 0)
    facing = "right" if x > b.box.cx else "left"
    end_pt = side_point(b, facing, router.side_offset(b, facing, end.row))
    points = [start_pt, (x, start_pt[1])]
    if not router.blocked(end.row, x, end_pt[0], b):
        exits_used.setdefault(b.id, []).append(facing)  # an open exit must not leave there
        router.arrivals.setdefault(b.id, []).append(facing)
    if router.blocked(end.row, x, end_pt[0], b):
        # Over the symbols in the way, into the target's top; each such arrival its own lane
        # (beside the arrow that may already come straight down into the top).
        above = router.band_y(end.row)
        enter = router.top_x(b, 1 if x > b.box.cx else -1)
        points += [(x, above), (enter, above), top_point(b, enter)]
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


def _room_to_border(router: Router, a: Symbol, side: str) -> float:
    left, right = router.lane_bounds(a.lane)
    return (right - a.box.right) if side == "right" else (a.box.x - left)


def _over_the_top(
    router: Router,
    route_id: str,
    a: Symbol,
    b: Symbol,
    start: Node,
    end: Node,
    kind: str,
    label: str,
    side: str,
    border: int,
    exits_used: dict[str, list[str]],
) -> Route:
    """A line back up that leaves the symbol's top: up to the band over the row, along it
    to a channel beside the lane's border, up the channel and into the target's side."""
    rows = router.rows
    sign = 1 if side == "right" else -1
    leave = router.top_x(a, sign)
    over = router.band_y(start.row)
    # Reserved up to the target row's top: a line blocked at the target's height climbs over.
    x = router.channel(border, over, rows[end.row].box.y)
    facing = "right" if x > b.box.cx else "left"
    points: list[Point] = [top_point(a, leave), (leave, over), (x, over)]
    if router.blocked(end.row, x, b.box.cx, b):
        above = router.band_y(end.row)
        enter = router.top_x(b, 1 if x > b.box.cx else -1)
        points += [(x, above), (enter, above), top_point(b, enter)]
    else:
        end_pt = side_point(b, facing, router.side_offset(b, facing, end.row))
        exits_used.setdefault(b.id, []).append(facing)
        router.arrivals.setdefault(b.id, []).append(facing)
        points += [(x, end_pt[1]), end_pt]
    return Route(route_id, tuple(points), kind, label=label)


def _connector_route(
    router: Router,
    route_id: str,
    a: Symbol,
    b: Symbol,
    start: Node,
    end: Node,
    kind: str,
    label: str,
    exits_used: dict[str, list[str]],
    *,
    rise: bool = False,
) -> Route:
    """A line to or from an off-page connector: along a track of the connector's strip,
    then straight into the connector, or up or down a lane-border channel to the symbol.
    ``rise``: a line up to the top strip leaves the symbol's top, then runs along the band
    over its row to the channel (where its label found no room beside a side exit)."""
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
        step = track * STRIP_TRACK_GAP
        return edge_y + RULE_CLEARANCE + step if bottom else edge_y - RULE_CLEARANCE - step

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
        o_point = (other.box.cx, other.box.bottom) if bottom else top_point(other, other.box.cx)
        y = track_y(other.box.cx)
        path = [o_point, (other.box.cx, y), (connector.box.cx, y), c_point]
    elif rise and connector is b and not bottom and "top" not in used:
        used.append("top")
        side = "right" if connector.box.cx >= other.box.cx else "left"
        sign = 1 if side == "right" else -1
        leave = router.top_x(other, sign)
        over = router.band_y(other_row)
        border = other.lane + 1 if side == "right" else other.lane
        rise_x = router.channel(border, over, strip.box.y)
        y = track_y(rise_x)
        path = [top_point(other, leave), (leave, over), (rise_x, over), (rise_x, y), (connector.box.cx, y), c_point]
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
            prefer = (1 if choice == "right" else -1) if label else 0
            x = router.free_channel(border, other.box.y if far > other.box.cy else other.box.bottom, far, prefer)
            if x is not None:
                side = choice
                break
        used.append(side)
        border = other.lane + 1 if side == "right" else other.lane
        o_point = side_point(other, side, router.side_offset(other, side, other_row))
        track = x if x is not None else router.channel(border, o_point[1], far)
        y = track_y(track)
        path = [o_point, (track, o_point[1]), (track, y), (connector.box.cx, y), c_point]
    points = path if connector is b else list(reversed(path))
    points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    return Route(route_id, tuple(points), kind, label=label)


def open_exit(
    router: Router,
    route_id: str,
    node: Node,
    exits_used: dict[str, list[str]],
    routes: Sequence[Route],
    size: float = 9.0,
    judge: Callable[[Route, bool], bool] | None = None,
) -> Route:
    """A short labelled "Tidak" arrow into no symbol: the SOP says where only in its text.

    It leaves by the first side (right, left, bottom) no other line uses or runs along. In
    a lane too narrow for the label beside it, it runs on past the lane's rule (where no
    symbol of the row stands), so that the label stands clear of the rule; where that is not
    possible either, it drops (or rises) from the middle of a slanted edge of the diamond,
    its label beside it. ``judge`` says whether a label finds a place beside a stub.
    """
    a = node.symbols[-1 if node.pick is None else node.pick]
    used = exits_used.setdefault(a.id, [])
    lines = [seg for r in routes for seg in pairwise(r.points)]
    left, right = router.lane_bounds(a.lane)
    heights: dict[str, float] = {}
    label = text_width("Tidak", size, bold=True) + 2 * 1.5 + 2.0
    others = [s for s in router.symbols_by_row.get(node.row, []) if s is not a]
    lanes = [c for c in router.page_columns if c.lane is not None]
    lane_span = (lanes[0].x, lanes[-1].right)

    crossing = [True]

    def reach(side: str, start: float) -> float:
        """How far a stub may run from ``start``: within its lane where the label fits
        there, else (when ``crossing``) on into the next lane up to the next symbol."""
        own = (right - start) if side == "right" else (start - left)
        if own - RULE_CLEARANCE >= label or not crossing[0]:
            return min(own - RULE_CLEARANCE, max(OPEN_EXIT_LENGTH, label))
        edge = lane_span[1] if side == "right" else lane_span[0]
        ahead = (
            [s.box.x for s in others if s.box.x > start]
            if side == "right"
            else [s.box.right for s in others if s.box.right < start]
        )
        limit = (min([edge, *ahead]) - start) if side == "right" else (start - max([edge, *ahead]))
        wanted = own + 1.0 + label
        return wanted if wanted <= limit - 3.0 else own - RULE_CLEARANCE

    def stub(side: str, length: float = OPEN_EXIT_LENGTH) -> tuple[Point, Point]:
        if side == "bottom":
            start = (a.box.cx, a.box.bottom)
            room = router.rows[node.row].box.bottom - a.box.bottom
            return start, (a.box.cx, a.box.bottom + min(length, room * 0.8))
        if side == "top":
            start = (a.box.cx, a.box.y)
            room = a.box.y - router.rows[node.row].box.y
            return start, (a.box.cx, a.box.y - min(length, room * 0.8))
        start = side_point(a, side, heights.get(side, 0.0))
        room = reach(side, start[0])
        span = max(5.0, room if length == OPEN_EXIT_LENGTH else min(length, room))
        return start, (start[0] + (span if side == "right" else -span), start[1])

    def clear(side: str, length: float) -> bool:
        start, end = stub(side, length)
        corridor = Box(
            min(start[0], end[0]) - 1.5,
            min(start[1], end[1]) - 1.5,
            abs(end[0] - start[0]) + 3,
            abs(end[1] - start[1]) + 3,
        )
        return side not in used and not any(segment_hits_box(seg, corridor, margin=0.0) for seg in lines)

    if judge is not None:
        # The label at the page's type, then smaller; within the lane first (beside a side,
        # or dropping from a slanted edge), then across the lane's rule.
        for smaller in (False, True):
            for across in (False, True):
                crossing[0] = across
                found_stub = _labelled_stub(
                    router, route_id, a, node, used, lines, size, _judging(judge, smaller), clear, stub, across
                )
                if found_stub is not None:
                    return found_stub
        crossing[0] = True
    # The first side with room, at full length; else the same with a shorter arrow; last, a
    # side where other arrows arrive, at a height of its own.
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


def _judging(judge: Callable[[Route, bool], bool], smaller: bool) -> Callable[[Route], bool]:
    """``judge`` with its second argument fixed."""
    return lambda route: judge(route, smaller)


def _labelled_stub(
    router: Router,
    route_id: str,
    a: Symbol,
    node: Node,
    used: list[str],
    lines: Sequence[tuple[Point, Point]],
    size: float,
    judge: Callable[[Route], bool],
    clear: Callable[[str, float], bool],
    stub: Callable[[str, float], tuple[Point, Point]],
    across: bool,
) -> Route | None:
    """An open exit whose label has a place beside it: from a free side, else dropping from
    (or rising off) the middle of one of the diamond's slanted edges; ``across``: the sides
    only, their stubs running on past the lane's rule."""
    for side in ("right", "left"):
        if clear(side, OPEN_EXIT_LENGTH):
            start, end = stub(side, OPEN_EXIT_LENGTH)
            found = Route(route_id, (start, end), "tidak-terbuka", label="Tidak")
            if judge(found):
                used.append(side)
                return found
    if a.shape is not Shape.DECISION or across:
        return None
    box = a.box
    row = router.rows[node.row].box
    length = label_height(size) + 4.0
    # The side the line leaving the lower point does not turn to, first.
    turn = 0.0
    drops = [e for s, e in lines if abs(s[0] - box.cx) < 0.01 and abs(s[1] - box.bottom) < 0.01 and e[1] > s[1]]
    for s, e in lines:
        if drops and abs(s[0] - drops[0][0]) < 0.01 and abs(s[1] - drops[0][1]) < 0.01 and abs(e[1] - s[1]) < 0.01:
            turn = e[0] - s[0]
    sides = (-1, 1) if turn > 0 else (1, -1)
    wanted = {1: 0.0, -1: 0.0}
    for vertical in (1, -1):  # drop, then rise
        for sx in sides:
            name = f"{'turun' if vertical > 0 else 'naik'}-{sx}"
            if name in used:
                continue
            start = (box.cx + sx * box.w / 4, box.cy + vertical * box.h / 4)
            end = (start[0], start[1] + vertical * length)
            limit = row.bottom - RULE_CLEARANCE if vertical > 0 else row.y + RULE_CLEARANCE
            short = (end[1] - limit) * vertical
            if short > 0:
                wanted[vertical] = max(wanted[vertical], short)
                continue
            corridor = _corridor((start, end))
            if any(segment_hits_box(seg, corridor, margin=0.0) for seg in lines):
                continue
            found = Route(route_id, (start, end), "tidak-terbuka", label="Tidak")
            if judge(found):
                used.append(name)
                return found
    if wanted[1] or wanted[-1]:  # the row grows where a stub lacked room, and is tried again
        router.want(node.row, above=wanted[-1], below=wanted[1])
    return None


def on_page_pair(
    router: Router,
    route_id: str,
    start: Node,
    end: Node,
    kind: str,
    label: str,
    mark: str,
    exits_used: dict[str, list[str]],
    routes: Sequence[Route],
    size: float,
    diameter: float,
) -> list[Route]:
    """A pair of on-page connectors for one branch: a short arrow from the symbol into a
    circle marked ``mark``, and from a circle with the same mark into the target.

    The first circle stands under the symbol (its lower exit free and the target further
    down) or beside it, past the branch's label; the second beside the target, on the side
    the source lies, else on the other side, else over it. Each circle keeps clear of lines,
    symbols and the table's rules; a row without room for one is noted to grow.
    """
    a = start.symbols[-1 if start.pick is None else start.pick]
    b = end.symbols[end.pick or 0]
    lines = [seg for r in routes for seg in pairwise(r.points)]
    r = diameter / 2
    gap = 2.0
    used = exits_used.setdefault(a.id, [])
    arrow = 7.0

    def fits(box: Box, row: int, segment: tuple[Point, Point]) -> bool:
        row_box = router.rows[row].box
        if box.y < row_box.y + gap or box.bottom > row_box.bottom - gap:
            return False
        if box.x < router.page_columns[0].x + gap or box.right > router.page_columns[-1].right - gap:
            return False
        borders = [c.x for c in router.page_columns] + [router.page_columns[-1].right]
        if any(box.x - 1.5 < x < box.right + 1.5 for x in borders):
            return False
        everything = [s for symbols in router.symbols_by_row.values() for s in symbols] + router.extra_symbols
        grown = Box(box.x - 1.5, box.y - 1.5, box.w + 3, box.h + 3)
        if any(symbol_hits_box(s, grown) for s in everything if s is not a and s is not b):
            return False
        if any(symbol_hits_box(s, box) for s in (a, b)):
            return False
        corridor = _corridor(segment)
        return not any(
            segment_hits_box(seg, grown, margin=0.0) or segment_hits_box(seg, corridor, 0.0) for seg in lines
        )

    def beside(symbol: Symbol, side: str, reach: float, room: float = 0.0) -> tuple[Box, Point, Point] | None:
        """A circle ``reach`` points out from the symbol's side; where a rule stands in the
        way, past it, with ``room`` (for a label) between the rule and the circle."""
        sign = 1 if side == "right" else -1
        near = side_point(symbol, side)
        inner = near[0] + sign * reach
        borders = [c.x for c in router.page_columns] + [router.page_columns[-1].right]
        for x in sorted(borders, key=lambda v: sign * v):
            if sign * (x - near[0]) <= 0:
                continue
            if sign * (x - (inner + sign * diameter)) < 1.5:  # the rule lies before the circle's far side
                inner = max(inner, x + 1.5 + room) if sign > 0 else min(inner, x - 1.5 - room)
            break
        centre_x = inner + sign * r
        box = Box(centre_x - r, near[1] - r, diameter, diameter)
        edge = (centre_x - sign * r, near[1])
        return box, near, edge

    # The first circle.
    source_place: tuple[Box, Point, Point, str] | None = None
    label_room = (text_width(label, size, bold=True) + 4.0) if label else 4.0
    if "bottom" not in used and end.row > start.row:
        top = a.box.bottom + (label_height(size) + 3.0 if label else arrow)
        box = Box(a.box.cx - r, top, diameter, diameter)
        segment = ((a.box.cx, a.box.bottom), (a.box.cx, top))
        if fits(box, start.row, segment):
            source_place = (box, segment[0], segment[1], "bottom")
        else:
            router.want(start.row, below=top + diameter + gap - router.rows[start.row].box.bottom)
    if source_place is None:
        for side in ("right", "left") if b.box.cx >= a.box.cx else ("left", "right"):
            if side in used:
                continue
            found = beside(a, side, label_room, label_room)
            if found and fits(found[0], start.row, (found[1], found[2])):
                source_place = (*found, side)
                break
    # The second circle.
    target_place: tuple[Box, Point, Point] | None = None
    sides = ("left", "right") if a.box.cx < b.box.cx else ("right", "left")
    for side in sides:
        if side in exits_used.get(b.id, []):
            continue
        found = beside(b, side, arrow)
        if found and fits(found[0], end.row, (found[1], found[2])):
            box, near, edge = found
            target_place = (box, edge, near)
            exits_used.setdefault(b.id, []).append(side)
            break
    if target_place is None:
        x = router.top_x(b, 1 if a.box.cx > b.box.cx else -1)
        tip = top_point(b, x)
        box = Box(x - r, tip[1] - arrow - diameter, diameter, diameter)
        if not fits(box, end.row, ((x, box.bottom), tip)):
            router.want(end.row, above=router.rows[end.row].box.y + gap + arrow + diameter + gap - b.box.y + 2)
        target_place = (box, (x, box.bottom), tip)
    if source_place is None:  # no room anywhere: under the symbol, and the row grows
        top = a.box.bottom + (label_height(size) + 3.0 if label else arrow)
        box = Box(a.box.cx - r, top, diameter, diameter)
        source_place = (box, (a.box.cx, a.box.bottom), (a.box.cx, top), "bottom")
        router.want(start.row, below=top + diameter + gap - router.rows[start.row].box.bottom)
    box, tail, head, side = source_place
    used.append(side)
    first = Symbol(f"{route_id}-pasangan-1", Shape.ON_PAGE, mark, a.lane, mark, box)
    second_box, second_tail, second_head = target_place
    second = Symbol(f"{route_id}-pasangan-2", Shape.ON_PAGE, mark, b.lane, mark, second_box)
    router.extra_symbols += [first, second]
    return [
        Route(route_id, (tail, head), kind, label=label),
        Route(f"{route_id}-lanjutan", (second_tail, second_head), "connector"),
    ]


def _corridor(segment: tuple[Point, Point]) -> Box:
    (x1, y1), (x2, y2) = segment
    return Box(min(x1, x2) - 1.5, min(y1, y2) - 1.5, abs(x2 - x1) + 3, abs(y2 - y1) + 3)


def row_links(
    key: str, placed: list[Symbol], sop: Sop, index: int, rows: Sequence[Row], router: Router
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
            points = (top_point(a, leave), (leave, over), (enter, over), top_point(b, enter))
            sides.setdefault(a.id, []).append("top")
            sides.setdefault(b.id, []).append("top")
        else:
            if rightward:
                points = (side_point(a, "right"), side_point(b, "left"))
            else:
                points = (side_point(a, "left"), side_point(b, "right"))
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


def _touches(seg: tuple[Point, Point], point: Point, distance: float = 2.0) -> bool:
    box = Box(point[0] - distance, point[1] - distance, 2 * distance, 2 * distance)
    return segment_hits_box(seg, box, margin=0.0)


def _nearest(symbols: list[Symbol], x: float) -> Symbol:
    return min(symbols, key=lambda s: (abs(s.box.cx - x), s.box.x))


__all__ = ["Node", "Router", "bottom_point", "on_page_pair", "open_exit", "route", "row_links", "track_offsets"]
