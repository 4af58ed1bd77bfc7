"""Pass 2 of the flowchart layout: what each row holds and how tall it is.

A row is as tall as its tallest text (wrapped in its column) or its symbols with the room
around them, whichever is more: above a symbol, room for the arrow coming in; below it,
room for the elbow of the arrow going out (kept off the row's rule) and, under a decision,
for the label of the line leaving its lower point. Rows whose lines needed more room on the
last try (lines over the symbols, a connector above) get it in ``extra``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.model.sop import Performance, Sop, Step, StepKind
from generator.print.columns import cell_texts
from generator.print.flowchart import RULE_CLEARANCE, SYMBOL_SIZE, Column, Shape, SheetSpec
from generator.print.textmetrics import block_height, wrap


def symbols_for(step: Step, first: str | None, last: str | None) -> list[tuple[str, Shape]]:
    """(role, shape) of each symbol a step's row holds, in flow order."""
    if not step.roles:
        return []
    kinds = step.symbol_kinds or (step.kind,) * len(step.roles)
    shapes = [Shape.DECISION if kind is StepKind.KEPUTUSAN else Shape.PROCESS for kind in kinds]
    chain = step.performance is Performance.RANTAI
    if step.key == first:
        if chain:
            shapes[0] = Shape.TERMINATOR if shapes[0] is Shape.PROCESS else shapes[0]
        else:
            shapes = [Shape.TERMINATOR if s is Shape.PROCESS else s for s in shapes]
    if step.key == last:
        if chain:
            shapes[-1] = Shape.TERMINATOR if shapes[-1] is Shape.PROCESS else shapes[-1]
        else:
            shapes = [Shape.TERMINATOR if s is Shape.PROCESS else s for s in shapes]
    return list(zip(step.roles, shapes, strict=True))


def ends(sop: Sop) -> tuple[str | None, str | None]:
    """Keys of the steps drawn as start and end capsules (none when the paper draws none)."""
    flow = sop.flow_steps
    if not flow or not sop.terminators:
        return None, None
    return flow[0].key, flow[-1].key


@dataclass(frozen=True)
class SymbolRoom:
    """The room a row's symbols take: above, the symbols themselves, below."""

    top: float
    height: float
    bottom: float

    @property
    def total(self) -> float:
        return self.top + self.height + self.bottom


def label_height(size: float) -> float:
    """Height of a branch label's glyphs."""
    return size * 0.95


def symbol_room(
    step: Step, spec: SheetSpec, scale: float, size: float, first: str | None, last: str | None
) -> SymbolRoom:
    """Room for a row's symbols with the symbols at ``scale`` and text at ``size``."""
    shapes = [shape for _role, shape in symbols_for(step, first, last)]
    if not shapes:
        return SymbolRoom(0.0, 0.0, 0.0)
    tallest = max(SYMBOL_SIZE[shape][1] * scale for shape in shapes)
    top = max(spec.padding, RULE_CLEARANCE + 1.0)
    # An elbow runs halfway between the symbol and the rule below: both 4 points away.
    bottom = max(2 * RULE_CLEARANCE, spec.padding * 1.5)
    if Shape.DECISION in shapes:
        # A label beside the line leaving the lower point, 1.5 points under it and clear of the rule.
        bottom = max(bottom, label_height(size) + 4.0)
    return SymbolRoom(top, tallest, bottom)


@dataclass(frozen=True)
class RowPlan:
    """What one row holds and how tall it is."""

    key: str
    cells: tuple[tuple[Column, tuple[str, ...], str], ...]
    """(column, wrapped lines, text before wrapping) of each text cell."""
    room: SymbolRoom
    height: float


def plan_rows(
    sop: Sop,
    columns: Sequence[Column],
    spec: SheetSpec,
    size: float,
    scale: float,
    extra: Mapping[str, tuple[float, float]] | None = None,
) -> dict[str, RowPlan]:
    """Every row's cells and height; ``extra`` adds room (above, below) to the rows named."""
    first, last = ends(sop)
    pad = spec.padding
    found: dict[str, RowPlan] = {}
    for step in sop.langkah:
        room = symbol_room(step, spec, scale, size, first, last)
        more_top, more_bottom = (extra or {}).get(step.key, (0.0, 0.0))
        room = SymbolRoom(room.top + more_top, room.height, room.bottom + more_bottom)
        cells: list[tuple[Column, tuple[str, ...], str]] = []
        heights = [spec.min_row_height, room.total]
        for col in columns:
            if col.lane is not None:
                continue
            texts = cell_texts(step, col.key)
            lines = tuple(line for text in texts for line in wrap(text, col.width - 2 * pad, size))
            cells.append((col, lines, " ".join(texts)))
            if texts:
                heights.append(block_height(len(lines), size) + 2 * pad)
        found[step.key] = RowPlan(step.key, tuple(cells), room, max(heights))
    return found
