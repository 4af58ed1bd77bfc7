"""The reader registry: which reader turns a file of each kind into a positioned document.

A reader takes a path and the name to show in messages, and returns a
:class:`~generator.sources.document.SourceDocument` (or ``None``) with the problems found
while reading. A new input format is one module that registers its reader here.

Importers (``python -m generator impor``) are registered the same way, by file ending: an
importer turns a Word file or copied text into rows of cells
(:class:`~generator.sources.importing.tables.ReadFile`), from which a draft source is read.
A new import format is one module that registers its importer here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.model.problems import NOWHERE, Problem
from generator.sources.document import SourceDocument

Reader = Callable[[Path, str], tuple[SourceDocument | None, list[Problem]]]
"""``reader(path, display) -> (document or None, problems)``."""

BUILTIN_READERS = ("generator.sources.yaml_reader",)
"""Modules that register the built-in readers when imported."""

_READERS: dict[str, Reader] = {}

Importer = Callable[[Path], Any]
"""``importer(path) -> ReadFile`` (rows of cells; raises ``FileRefused`` with an Indonesian
message when the file is not of its format)."""

BUILTIN_IMPORTERS = (
    "generator.sources.importing.text_reader",
    "generator.sources.importing.word_reader",
    "generator.sources.importing.pdf_reader",
)
"""Modules that register the built-in importers when imported."""

_IMPORTERS: dict[str, Importer] = {}


def register_importer(*suffixes: str) -> Callable[[Importer], Importer]:
    """Decorator: ``importer`` imports files ending in any of ``suffixes`` (``".docx"``)."""

    def decorate(importer: Importer) -> Importer:
        for suffix in suffixes:
            _IMPORTERS[suffix] = importer
        return importer

    return decorate


def importers() -> dict[str, Importer]:
    """Every registered importer by file ending."""
    if not _IMPORTERS:
        for module in BUILTIN_IMPORTERS:
            importlib.import_module(module)
    return _IMPORTERS


def register_reader(*suffixes: str) -> Callable[[Reader], Reader]:
    """Decorator: ``reader`` reads files ending in any of ``suffixes`` (``".yaml"``)."""

    def decorate(reader: Reader) -> Reader:
        for suffix in suffixes:
            _READERS[suffix] = reader
        return reader

    return decorate


def _readers() -> dict[str, Reader]:
    if not _READERS:
        for module in BUILTIN_READERS:
            importlib.import_module(module)
    return _READERS


def source_suffixes() -> frozenset[str]:
    """File endings that have a reader."""
    return frozenset(_readers())


def read_source(path: Path, display: str) -> tuple[SourceDocument | None, list[Problem]]:
    """Read ``path`` with the reader registered for its ending."""
    reader = _readers().get(path.suffix.lower())  # "SOP.YAML" as much as "sop.yaml"
    if reader is None:
        known = ", ".join(sorted(_readers()))
        return None, [
            Problem.at(
                display,
                NOWHERE,
                f"jenis berkas `{path.suffix or '(tanpa akhiran)'}` tidak dapat dibaca",
                "unknown-format",
                expected=f"berkas berakhiran {known}",
            )
        ]
    return reader(path, display)
