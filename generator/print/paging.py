"""Pass 3 of the flowchart layout: which rows go on which page.

A page takes rows while they fit under its header, counting a strip of off-page connectors
only where the page actually turns (a line running to a row on an earlier page needs the top
strip, to a later one the bottom strip). It turns earlier where the signed paper turns
(``cetak.halaman_baru``) or where the source caps the rows per page. A last page left mostly
empty is avoided by spreading the rows evenly over the same number of pages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from generator.model.sop import Step

MOSTLY_EMPTY = 0.5
"""A continuation page filled less than this (of its height) is mostly empty."""


def paginate(
    steps: Sequence[Step],
    steps_per_page: int | None,
    heights: Mapping[str, float] | None = None,
    budget: float | None = None,
    breaks: frozenset[str] = frozenset(),
) -> list[list[Step]]:
    """Split rows into pages of at most ``steps_per_page`` rows and ``budget`` points each
    (no header, no strips), and a new page at every step in ``breaks``."""
    plan = PagePlan(
        heights=heights or {s.key: 0.0 for s in steps},
        header=0.0,
        max_height=budget,
        strip=0.0,
        steps_per_page=steps_per_page,
        breaks=breaks,
        links=(),
    )
    return [page for page, _reason in plan.split(steps)]


@dataclass(frozen=True)
class PagePlan:
    """What decides the page turns: row heights, the page's room, and the lines between rows."""

    heights: Mapping[str, float]
    header: float
    """Height of the header every page repeats."""
    max_height: float | None
    """Tallest a page may be (``None``: only the row cap and the paper's turns split)."""
    strip: float
    """Height of a strip of off-page connectors."""
    steps_per_page: int | None
    breaks: frozenset[str]
    """Steps that begin a page on the signed paper."""
    links: tuple[tuple[int, int], ...]
    """(row, row) of every line between two rows (indexes into the steps)."""

    def page_height(self, steps: Sequence[Step], start: int, end: int) -> float:
        """Height of a page holding rows ``start`` to ``end`` (inclusive) of ``steps``."""
        rows = sum(self.heights[s.key] for s in steps[start : end + 1])
        return self.header + rows + self.strips(start, end) * self.strip

    def strips(self, start: int, end: int) -> int:
        """Connector strips a page of rows ``start``..``end`` needs (0, 1 or 2)."""
        top = bottom = False
        for a, b in self.links:
            for here, there in ((a, b), (b, a)):
                if start <= here <= end:
                    top = top or there < start
                    bottom = bottom or there > end
        return int(top) + int(bottom)

    def split(self, steps: Sequence[Step], limit: float | None = None) -> list[tuple[list[Step], str]]:
        """Pages of rows, each with why it begins (see :attr:`Page.opened_by`); ``limit``
        replaces the page's height (to spread rows over the same number of pages)."""
        room = self.max_height if limit is None else limit
        pages: list[tuple[list[Step], str]] = []
        start = 0
        reason = ""
        while start < len(steps):
            # The furthest row the page may end at (where the paper turns, or the rows per
            # page allow), then the furthest of those that fits: a page is not monotonous in
            # height, as its bottom strip goes when the rows it leads to come onto it.
            last, why = len(steps) - 1, "full"
            for end in range(start + 1, len(steps)):
                if steps[end].key in self.breaks:
                    last, why = end - 1, "halaman_baru"
                    break
                if self.steps_per_page is not None and end - start + 1 > self.steps_per_page:
                    last, why = end - 1, "langkah_per_halaman"
                    break
            end = start
            if room is None:
                end = last
            else:
                end = max((e for e, h in self._heights(steps, start, last) if h <= room + 0.01), default=start)
                if end < last:
                    why = "full"
            # A heading row (sub-steps follow) never ends a page: it goes with its first sub-step.
            if end + 1 < len(steps) and end > start and not steps[end].has_symbol:
                end -= 1
            pages.append((list(steps[start : end + 1]), reason))
            reason = why
            start = end + 1
        return pages

    @cached_property
    def _reach(self) -> dict[int, list[int]]:
        """The rows each row has a line to."""
        reach: dict[int, list[int]] = {}
        for a, b in self.links:
            reach.setdefault(a, []).append(b)
            reach.setdefault(b, []).append(a)
        return reach

    def _heights(self, steps: Sequence[Step], start: int, last: int) -> list[tuple[int, float]]:
        """(end, height) of a page from row ``start`` to each end up to ``last``, in one pass."""
        reach = self._reach
        found: list[tuple[int, float]] = []
        rows = 0.0
        top = False
        farthest = -1
        for end in range(start, last + 1):
            rows += self.heights[steps[end].key]
            linked = reach.get(end, [])
            top = top or any(other < start for other in linked)
            farthest = max([farthest, *linked])
            strips = int(top) + int(farthest > end)
            found.append((end, self.header + rows + strips * self.strip))
        return found

    def fill(self, steps: Sequence[Step], start: int, end: int) -> float:
        """How full a page of rows ``start``..``end`` is (1.0: the page's whole height)."""
        assert self.max_height is not None
        return self.page_height(steps, start, end) / self.max_height

    def balanced(self, steps: Sequence[Step]) -> list[tuple[list[Step], str]]:
        """:meth:`split`, with the rows spread evenly over its pages when the last page
        would be mostly empty (and neither the paper's page turns nor its rows per page
        decide where the pages turn)."""
        pages = self.split(steps)
        if (
            self.max_height is None
            or len(pages) < 2
            or any(r in ("halaman_baru", "langkah_per_halaman") for _p, r in pages)
        ):
            return pages  # the paper's own page turns, or the rows per page it allows, stand
        last_start = len(steps) - len(pages[-1][0])
        if self.fill(steps, last_start, len(steps) - 1) >= MOSTLY_EMPTY:
            return pages
        low, high = self.max_height / len(pages), self.max_height
        best = pages
        for _ in range(24):
            middle = (low + high) / 2
            trial = self.split(steps, middle)
            if len(trial) <= len(pages):
                best, high = trial, middle
            else:
                low = middle
        # The pages turn where the spread puts them, for the reason the plain split turned.
        return [(rows, reason) for (rows, _r), (_p, reason) in zip(best, pages, strict=False)]
