"""Problems found in SOP sources, and the generator's small exception tree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is: errors stop the build, warnings are reported only."""

    ERROR = "galat"
    WARNING = "peringatan"


@dataclass(frozen=True)
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

    @property
    def is_error(self) -> bool:
        """True when this problem stops the build."""
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order problems by file, then position, then kind."""
        return (self.file, self.line, self.column, self.code)

    def location(self) -> str:
        """``file:line:column`` in the form editors and terminals recognise."""
        if self.line <= 0:
            return self.file
        if self.column <= 0:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"

    def format(self) -> str:
        """The full multi-line message shown in the terminal."""
        head = f"{self.location()}: {self.severity.value}"
        if self.field:
            head += f" pada `{self.field}`"
        lines = [f"{head}: {self.message}"]
        if self.expected is not None:
            lines.append(f"    diharapkan: {self.expected}")
        if self.found is not None:
            lines.append(f"    ditemukan : {self.found}")
        if self.hint is not None:
            lines.append(f"    perbaikan : {self.hint}")
        return "\n".join(lines)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in the order a maintainer fixes them: file by file, top to bottom."""
    return sorted(problems, key=Problem.sort_key)


class PortalError(Exception):
    """Base of every error the generator raises on purpose."""


class SourceErrors(PortalError):
    """The sources have errors; carries every problem found, errors and warnings."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sort_problems(problems)
        errors = sum(1 for p in self.problems if p.is_error)
        super().__init__(f"{errors} galat pada sumber SOP")

    def __str__(self) -> str:
        body = "\n".join(p.format() for p in self.problems)
        return f"{body}\n{self.args[0]}" if body else str(self.args[0])


class RenderError(PortalError):
    """An artifact could not be rendered (a tool failed, a template is broken)."""
