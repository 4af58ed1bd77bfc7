"""Document templates: the model of a workbook definition (sheets, fields, typed columns,
choice lists) and which documents an SOP works with, at which steps.

A document says what its workbook looks like: sheets that are forms (label: input) or
tables (typed columns, formulas, totals), choice lists, instructions and print setup.
Steps name documents by id in their Kelengkapan and Output; the portal then offers the
workbook for download from those steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from generator.model.problems import Problem
from generator.model.sop import Sop, Step

PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
"""``{kunci}``, ``{kunci:kolom}``, ``{Lembar!kunci:kolom}``, ``{total:kunci}``, ``{daftar:nama}``."""


class Kind(StrEnum):
    """Types of form fields and table columns."""

    TEKS = "teks"
    BULAT = "bulat"
    DESIMAL = "desimal"
    PERSEN = "persen"
    TANGGAL = "tanggal"
    PILIHAN = "pilihan"
    CENTANG = "centang"
    RUMUS = "rumus"
    NOMOR = "nomor"


INPUT_KINDS = frozenset({Kind.TEKS, Kind.BULAT, Kind.DESIMAL, Kind.PERSEN, Kind.TANGGAL, Kind.PILIHAN, Kind.CENTANG})
"""Kinds that are filled in by staff (unlocked, validated cells)."""


@dataclass(frozen=True, slots=True)
class Field:
    """A labelled input (or computed) cell of a form, or a header/summary line."""

    label: str
    kind: Kind
    choices: tuple[str, ...] = ()
    list_name: str = ""
    from_roles: bool = False
    """For ``centang``: one line per pelaksana of the SOP (e.g. "Diteruskan kepada")."""
    height: int = 1
    """Rows of the input area (several for notes)."""
    formula: str = ""
    number_format: str = ""
    blank: str | float = ""
    """What the formula gives while the template is still empty (see :attr:`Column.blank`)."""


@dataclass(frozen=True, slots=True)
class Column:
    """A typed column of a table sheet."""

    key: str
    title: str
    kind: Kind
    width: float = 14.0
    choices: tuple[str, ...] = ()
    list_name: str = ""
    formula: str = ""
    number_format: str = ""
    locked: bool = False
    """A column of given text (criteria, components) rather than an input."""
    blank: str | float = ""
    """The formula's result while its inputs are empty. Excel recalculates on opening;
    LibreOffice by default shows the stored result, so the stored result must be right."""
    minimum: float | None = None
    """Smallest value a number input accepts (e.g. 0 for a target)."""


@dataclass(frozen=True, slots=True)
class SheetDef:
    """One sheet of a workbook."""

    name: str
    title: str
    kind: str
    """``formulir`` or ``tabel``."""
    header: bool = True
    """Start with the SOP block: instansi, unit, nama and nomor SOP, the step."""
    fields: tuple[Field, ...] = ()
    columns: tuple[Column, ...] = ()
    rows: int = 0
    prefilled: tuple[dict[str, Any], ...] = ()
    rows_from_steps: bool = False
    totals: tuple[tuple[str, str], ...] = ()
    """(column key, ``jumlah`` or ``rata-rata``)."""
    summary: tuple[Field, ...] = ()
    """Computed lines under the table (e.g. the predikat)."""


@dataclass(frozen=True, slots=True)
class Document:
    """A document template and its workbook definition."""

    id: str
    title: str
    description: str
    source: str
    fingerprint: str
    sheets: tuple[SheetDef, ...]
    instructions: tuple[str, ...] = ()
    paper: str = "A4"
    landscape: bool = False
    lists: tuple[tuple[str, tuple[str, ...]], ...] = ()
    lookups: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = ()
    for_every_sop: bool = False
    """A lifecycle form (monitoring, evaluation) offered with every SOP."""

    def list_values(self, name: str) -> tuple[str, ...]:
        """The values of a choice list (or the keys of a lookup table)."""
        for list_name, values in self.lists:
            if list_name == name:
                return values
        for lookup_name, pairs in self.lookups:
            if lookup_name == name:
                return tuple(k for k, _ in pairs)
        raise KeyError(name)


@dataclass(frozen=True)
class DocumentCatalogue:
    """Every document template, validated."""

    documents: tuple[Document, ...] = ()
    problems: tuple[Problem, ...] = ()

    @cached_property
    def by_id(self) -> dict[str, Document]:
        """Documents by id (computed once: it is asked for every step item)."""
        return {d.id: d for d in self.documents}

    def get(self, document_id: str) -> Document:
        """The document with this id."""
        return self.by_id[document_id]

    @cached_property
    def ids(self) -> frozenset[str]:
        """Ids of all documents."""
        return frozenset(self.by_id)


@dataclass(frozen=True, slots=True)
class DocumentUse:
    """A document an SOP works with, and where."""

    document: Document
    steps: tuple[Step, ...]
    """Steps naming it (none for a form that accompanies every SOP)."""
    roles: tuple[tuple[str, str], ...]
    """(step number, "kelengkapan" or "output") for each mention."""

    def summary(self) -> str:
        """Where the SOP uses it, in words: "dihasilkan di langkah 1; diperlukan di langkah 2, 3"."""
        if not self.roles:
            return "menyertai setiap SOP (monitoring dan evaluasi)"
        parts = []
        for role, word in (("output", "dihasilkan"), ("kelengkapan", "diperlukan")):
            numbers = list(dict.fromkeys(no for no, r in self.roles if r == role))
            if numbers:
                parts.append(f"{word} di langkah {', '.join(numbers)}")
        return "; ".join(parts)


def sop_documents(sop: Sop, documents: DocumentCatalogue) -> tuple[DocumentUse, ...]:
    """The documents of an SOP, in order of first use, then the forms every SOP carries."""
    uses: dict[str, tuple[list[Step], list[tuple[str, str]]]] = {}
    for step in sop.langkah:
        for document_id, role in step.documents:
            if document_id not in documents.ids:
                continue
            steps, roles = uses.setdefault(document_id, ([], []))
            if not steps or steps[-1].key != step.key:
                steps.append(step)
            roles.append((step.no, role))
    named = [DocumentUse(documents.get(d), tuple(st), tuple(ro)) for d, (st, ro) in uses.items()]
    forms = [DocumentUse(d, (), ()) for d in documents.documents if d.for_every_sop and d.id not in uses]
    return (*named, *forms)
