"""The positioned document every reader produces: plain data plus where each value stands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.model.problems import Position

YamlPath = tuple[str | int, ...]
"""Where a value sits in a document: mapping keys and 0-based sequence indexes."""


@dataclass
class SourceDocument:
    """A parsed source file: plain Python data plus the position of every key and value.

    Readers of every format produce one (YAML today; a workbook or a Word importer would
    record sheets and cells instead of lines), so validation never cares about the format.
    """

    path: Path
    display: str
    """The path shown in messages (relative to the project when possible)."""
    data: Any
    values: dict[YamlPath, Position] = field(default_factory=dict)
    keys: dict[YamlPath, Position] = field(default_factory=dict)
    raw: bytes = b""
    positions_from: Callable[[SourceDocument], tuple[dict[YamlPath, Position], dict[YamlPath, Position]]] | None = None
    """How the reader finds :attr:`values` and :attr:`keys` again from :attr:`raw` (a
    module-level function, so that the document pickles), for :meth:`release_positions`."""
    released: bool = False
    """True while the positions are let go (:meth:`release_positions`)."""

    def release_positions(self) -> None:
        """Let the positions go until a problem needs one: a document read and validated is
        kept for the checks across files, which seldom find anything, and its positions (a
        path and a position for every key and value) are most of what it holds. The next
        :meth:`where` reads them again from :attr:`raw`, the same bytes, the same positions."""
        if self.positions_from is not None:
            self.values, self.keys, self.released = {}, {}, True

    def where(self, path: YamlPath, *, key: bool = False) -> Position:
        """Position of the value (or, with ``key``, the key) at ``path``.

        Falls back to the nearest enclosing value that has a position, so a missing
        field is reported at the mapping that should hold it.
        """
        if self.released and self.positions_from is not None:
            self.values, self.keys = self.positions_from(self)
            self.released = False
        probe = tuple(path)
        if key and probe in self.keys:
            return self.keys[probe]
        while probe:
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), Position(1, 1))
