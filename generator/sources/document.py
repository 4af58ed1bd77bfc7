"""The positioned document every reader produces: plain data plus where each value stands."""

from __future__ import annotations

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

    def where(self, path: YamlPath, *, key: bool = False) -> Position:
        """Position of the value (or, with ``key``, the key) at ``path``.

        Falls back to the nearest enclosing value that has a position, so a missing
        field is reported at the mapping that should hold it.
        """
        probe = tuple(path)
        if key and probe in self.keys:
            return self.keys[probe]
        while probe:
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), Position(1, 1))
