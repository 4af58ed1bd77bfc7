"""``python -m generator impor``: existing SOPs (Word files, text copied out of Word or a
PDF) into draft sources under ``sop_sources/sop/``.

Each file is read by the importer registered for its ending
(:func:`generator.sources.readers.importers`) into rows of cells, the SOP is read out of the
rows (:mod:`.draft`), checked exactly as ``check`` would check it, and written next to the
other sources with a comment wherever a person must look. An existing source is never
overwritten.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.model.documents import DocumentCatalogue
from generator.model.problems import NOWHERE, Problem
from generator.sources.importing.draft import Draft, read_draft
from generator.sources.importing.emit import to_yaml
from generator.sources.importing.tables import ReadFile
from generator.sources.readers import importers
from generator.sources.sop import build_sop
from generator.sources.yaml_reader import read_yaml


@dataclass
class Imported:
    """What importing one file gave."""

    source: str
    """The file imported, as shown in messages."""
    target: Path | None = None
    """The draft written (``None`` when nothing was written)."""
    draft: Draft | None = None
    problems: list[Problem] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    """What needs a person's eye, one line each."""

    @property
    def ok(self) -> bool:
        return self.target is not None and not any(p.is_error for p in self.problems)


def read_file(path: Path) -> ReadFile:
    """The rows of ``path``, by the importer of its ending (``ValueError``: cannot be read)."""
    importer = importers().get(path.suffix.lower())
    if importer is None:
        known = ", ".join(sorted(importers()))
        raise ValueError(f"jenis berkas `{path.suffix or '(tanpa akhiran)'}` tidak dapat diimpor (yang dapat: {known})")
    result: ReadFile = importer(path)
    return result


def draft_of(path: Path, documents: DocumentCatalogue) -> Draft:
    """The draft SOP in ``path`` (``ValueError``: the file cannot be read)."""
    return read_draft(read_file(path), documents)


def summarise(draft: Draft) -> list[str]:
    """One line per kind of guess, counted (the header of the draft and the command's report)."""
    counts: dict[str, int] = {}
    for path, note in draft.notes.items():
        field_name = str(path[-1]) if isinstance(path[-1], str) else str(path[0])
        if "tebakan" in note:
            kind = f"{field_name}: tebakan"
        elif "ditautkan" in note:
            kind = "dokumen ditautkan ke templat"
        else:
            kind = f"{field_name}: dibaca dengan penafsiran"
        counts[kind] = counts.get(kind, 0) + 1
    lines = [f"{kind} ({count}x)" for kind, count in sorted(counts.items())]
    empty = [
        name for name in ("nomor_sop", "tanggal_pembuatan", "tanggal_efektif", "instansi") if not draft.data.get(name)
    ]
    if empty:
        lines.append("kosong di berkas asal: " + ", ".join(empty))
    return lines


def import_file(path: Path, sources: Path, root: Path, documents: DocumentCatalogue, display: str) -> Imported:
    """Import one file into ``sources/sop/``; nothing is written when it cannot be read or
    when its draft would not pass ``check``."""
    result = Imported(display)
    try:
        draft = draft_of(path, documents)
    except (OSError, ValueError) as exc:
        result.problems.append(Problem.at(display, NOWHERE, f"berkas tidak dapat diimpor: {exc}", "import-unreadable"))
        return result
    except Exception as exc:  # a damaged file: say which, never a traceback
        message = f"berkas tidak dapat dibaca ({type(exc).__name__}); apakah berkas ini rusak atau bukan SOP?"
        result.problems.append(Problem.at(display, NOWHERE, message, "import-unreadable"))
        return result
    result.draft = draft
    if draft.missing:
        result.problems.append(
            Problem.at(
                display,
                NOWHERE,
                "bukan SOP AP yang dapat dibaca: tidak ditemukan " + "; ".join(draft.missing),
                "import-missing",
                expected="format SOP AP (Permen PANRB 35/2012): identitas SOP dan tabel prosedur",
            )
        )
        return result
    result.summary = summarise(draft)
    target = sources / "sop" / f"{draft.data['id']}.yaml"
    shown_target = target.relative_to(root).as_posix() if target.is_relative_to(root) else str(target)
    if target.exists():
        result.problems.append(
            Problem.at(
                display,
                NOWHERE,
                f"tidak ditulis: `{shown_target}` sudah ada dan tidak akan ditimpa",
                "import-exists",
                hint=f"pindahkan atau ganti nama `{shown_target}` bila draf baru memang diinginkan",
            )
        )
        return result
    text = to_yaml(draft, display, result.summary)
    problems = check_text(text, shown_target, root)
    result.problems += problems
    if any(p.is_error for p in problems):
        return result
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:  # "x": never over a file made meanwhile
        handle.write(text)
    result.target = target
    return result


def check_text(text: str, display: str, root: Path) -> list[Problem]:
    """The problems ``check`` would find in a source with this text (read and validated
    alone; cross-file checks are the next ``check``'s)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "draf.yaml"
        path.write_text(text, encoding="utf-8")
        doc, problems = read_yaml(path, display)
        if doc is None:
            return problems
        _sop, built = build_sop(doc, path.stem, root)
        return problems + built
