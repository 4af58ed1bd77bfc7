"""Problems found in sources (where, what, how to fix), and the generator's small exception tree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from generator.model.text import printable


class Severity(StrEnum):
    """How bad a problem is: errors stop the build, warnings are reported only (and fail a
    strict check), information is reported and fails nothing."""

    ERROR = "galat"
    WARNING = "peringatan"
    INFO = "informasi"
    """Something a maintainer may want to know that is not a fault: a source written as its
    paper is (a Tidak the paper leaves open) must pass the strict check."""


@dataclass(frozen=True, slots=True)
class Position:
    """Where a value stands in a source file: a 1-based line and column (text formats), or a
    sheet and cell (spreadsheets). Zero line and empty cell mean "the whole file"."""

    line: int
    column: int
    sheet: str = ""
    """Sheet name, for a value read from a workbook."""
    cell: str = ""
    """Cell reference such as ``B3``, for a value read from a workbook."""


NOWHERE = Position(0, 0)
"""The position of a problem that concerns the whole file."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one place in one source file.

    The text fields are user-facing and therefore Indonesian; ``code`` is a stable
    English key that tests and tools can match on.
    """

    file: str
    """Path of the source file, as shown to the maintainer (relative to the project)."""
    line: int
    """1-based line of the offending value (0 when the whole file is concerned)."""
    column: int
    """1-based column of the offending value (0 when unknown)."""
    field: str
    """Human-readable location inside the file, e.g. ``langkah ke-3 (no. 3) › pelaksana``."""
    message: str
    """What is wrong, one sentence."""
    code: str
    """Stable machine key of the kind of problem, e.g. ``unknown-role``."""
    expected: str | None = None
    """What the generator expected to find."""
    found: str | None = None
    """What it found instead."""
    hint: str | None = None
    """How to fix it."""
    severity: Severity = Severity.ERROR
    sheet: str = ""
    """Sheet of a workbook source (with ``cell``), instead of a line and column."""
    cell: str = ""
    """Cell of a workbook source, e.g. ``B3``."""

    @classmethod
    def at(cls, file: str, pos: Position, message: str, code: str, **details: Any) -> Problem:
        """A problem at ``pos`` in ``file``; ``details`` are the other fields (field, hint, ...)."""
        details.setdefault("field", "")
        return cls(
            file=file,
            line=pos.line,
            column=pos.column,
            message=message,
            code=code,
            sheet=pos.sheet,
            cell=pos.cell,
            **details,
        )

    @property
    def is_error(self) -> bool:
        """True when this problem stops the build."""
        return self.severity is Severity.ERROR

    @property
    def is_warning(self) -> bool:
        """True for a warning: reported, and a failure of a strict check or build."""
        return self.severity is Severity.WARNING

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order problems by file, then position, then kind."""
        return (self.file, self.line, self.column, self.code)

    def location(self) -> str:
        """``file:line:column`` in the form editors and terminals recognise (for a
        workbook: ``file › lembar Sheet, sel B3``)."""
        if self.cell:
            return (
                f"{self.file} › lembar {self.sheet}, sel {self.cell}"
                if self.sheet
                else f"{self.file} › sel {self.cell}"
            )
        if self.line <= 0:
            return self.file
        if self.column <= 0:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"

    def format(self) -> str:
        """The full multi-line message shown in the terminal. Each part is one line with its
        control and bidi characters escaped (:func:`~generator.model.text.printable`): a file
        name or value can neither forge a line of its own nor drive the terminal."""
        head = f"{printable(self.location())}: {self.severity.value}"
        if self.field:
            head += f" pada `{printable(self.field)}`"
        lines = [f"{head}: {printable(self.message)}"]
        if self.expected is not None:
            lines.append(f"    diharapkan: {printable(self.expected)}")
        if self.found is not None:
            lines.append(f"    ditemukan : {printable(self.found)}")
        if self.hint is not None:
            lines.append(f"    perbaikan : {printable(self.hint)}")
        return "\n".join(lines)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in the order a maintainer fixes them: file by file, top to bottom."""
    return sorted(problems, key=Problem.sort_key)


class PortalError(Exception):
    """Base of every error the generator raises on purpose."""


class RenderError(PortalError):
    """An artifact could not be rendered (a tool failed, a template is broken)."""
