"""Plane geometry of the flowchart: boxes, points, where a label's glyphs sit, and the
intersection tests the layout (placing labels) and the checker (judging it) share."""

from __future__ import annotations

from dataclasses import dataclass

from generator.print.textmetrics import LINE_HEIGHT, text_width

Point = tuple[float, float]
Segment = tuple[Point, Point]


@dataclass(frozen=True)
class Box:
    """A rectangle in points; y grows downwards."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


def boxes_overlap(a: Box, b: Box) -> bool:
    """True when two boxes share some area."""
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def label_box(label: str, at: Point | None, anchor: str, font_size: float) -> Box | None:
    """Where a branch label's glyphs are drawn (bold, one line), or ``None`` without one.

    ``at`` is the label's reference point: its left end (``anchor == "start"``) or right end,
    on the line's baseline side; the drawing pads the text by 4 points on each side.
    """
    if not label or at is None:
        return None
    width = text_width(label, font_size, bold=True)
    x, y = at
    left = x + 4 if anchor == "start" else x - width - 4
    height = font_size * LINE_HEIGHT
    # The glyphs sit inside the line box: cap height above the baseline, descenders below.
    return Box(left, y - height + 0.12 * font_size, width, font_size * 0.95)


def segment_hits_box(seg: Segment, box: Box, margin: float = 0.5) -> bool:
    """True when a segment enters ``box`` shrunk by ``margin`` on every side."""
    (x1, y1), (x2, y2) = seg
    left, right, top, bottom = box.x + margin, box.right - margin, box.y + margin, box.bottom - margin
    if left >= right or top >= bottom:
        return False
    # Liang-Barsky clipping.
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - top), (dy, bottom - y1)):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            if t > t1:
                return False
            t0 = max(t0, t)
        else:
            if t < t0:
                return False
            t1 = min(t1, t)
    return t0 < t1


def segments_cross(a: Segment, b: Segment, *, touching: bool = False) -> bool:
    """True when two segments cross at a point inside both (``touching``: or meet at all)."""

    def orient(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2 = orient(b[0], b[1], a[0]), orient(b[0], b[1], a[1])
    d3, d4 = orient(a[0], a[1], b[0]), orient(a[0], a[1], b[1])
    if touching:
        return d1 * d2 <= 0 and d3 * d4 <= 0 and not (d1 == d2 == 0)
    return d1 * d2 < -1e-6 and d3 * d4 < -1e-6


def point_box_distance(point: Point, box: Box) -> float:
    """Distance from a point to a box (0 inside it)."""
    x, y = point
    dx = max(box.x - x, 0.0, x - box.right)
    dy = max(box.y - y, 0.0, y - box.bottom)
    return float((dx * dx + dy * dy) ** 0.5)


def point_segment_distance(point: Point, seg: Segment) -> float:
    """Distance from a point to a segment."""
    (ax, ay), (bx, by) = seg
    px, py = point
    length = (bx - ax) ** 2 + (by - ay) ** 2
    if length == 0:
        return float(((px - ax) ** 2 + (py - ay) ** 2) ** 0.5)
    t = max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length))
    cx, cy = ax + t * (bx - ax), ay + t * (by - ay)
    return float(((px - cx) ** 2 + (py - cy) ** 2) ** 0.5)


def box_segment_distance(box: Box, seg: Segment) -> float:
    """Shortest distance between a box and a segment (0 when the segment enters the box)."""
    if segment_hits_box(seg, box, margin=0.0):
        return 0.0
    corners = [(box.x, box.y), (box.right, box.y), (box.x, box.bottom), (box.right, box.bottom)]
    return min(
        min(point_box_distance(p, box) for p in seg),
        min(point_segment_distance(c, seg) for c in corners),
    )
