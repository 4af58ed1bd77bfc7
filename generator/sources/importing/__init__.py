"""``python -m generator impor``: existing SOPs (Word files, text copied out of Word or a
PDF) into draft sources under ``sop_sources/sop/``, and the portal's own Word sheets back
into the SOPs they came from.

Each file is read by the importer registered for its ending
(:func:`generator.sources.readers.importers`) into rows of cells, the SOP is read out of the
rows (:mod:`.draft`), checked exactly as ``check`` would check it, and written next to the
other sources with a comment wherever a person must look. An existing source is never
overwritten by a draft. A sheet the portal exported names its SOP: importing it shows what
it changes in that SOP's source, field by field, and makes those changes (nothing else)
only when asked (:mod:`.update`).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.model.documents import DocumentCatalogue
from generator.model.problems import NOWHERE, Position, Problem
from generator.model.sop import Sop
from generator.sources.document import YamlPath
from generator.sources.files import FileRefused, os_error_text
from generator.sources.importing.draft import Draft, read_draft
from generator.sources.importing.emit import to_yaml
from generator.sources.importing.tables import ReadFile, Row
from generator.sources.importing.update import Change, differences, source_data, step_paths, update_source
from generator.sources.kinds import links_out
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
    original: Path | None = None
    """The source of the SOP a sheet the portal exported came from (``None``: a new SOP)."""
    changes: list[Change] = field(default_factory=list)
    """What the sheet changes in that source."""
    updated: bool = False
    """The changes were written to the source."""
    revision: str = ""
    """The ``riwayat`` entry proposed with them."""
    revised_date: str = ""
    """The ``tanggal_revisi`` proposed with them ("" when it stays)."""

    @property
    def ok(self) -> bool:
        done = self.target is not None or self.original is not None
        return done and not any(p.is_error for p in self.problems)


def read_file(path: Path) -> ReadFile:
    """The rows of ``path``, by the importer of its ending (``ValueError``: cannot be read)."""
    importer = importers().get(path.suffix.lower())
    if importer is None:
        if not os.path.lexists(path):
            raise FileRefused("berkas tidak ditemukan")
        known = ", ".join(sorted(importers()))
        kind = path.suffix or "(tanpa akhiran)"
        raise FileRefused(f"jenis berkas `{kind}` tidak dapat diimpor (yang dapat: {known})")
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


Originals = Callable[[], list[Sop]]
"""The portal's SOPs as its sources now stand (read once, when a sheet first needs them)."""


def import_file(
    path: Path,
    sources: Path,
    root: Path,
    documents: DocumentCatalogue,
    display: str,
    *,
    originals: Originals | None = None,
    update: bool = False,
    today: str = "",
) -> Imported:
    """Import one file into ``sources/sop/``; nothing is written when it cannot be read or
    when its draft would not pass ``check``. A sheet the portal exported whose SOP is among
    ``originals`` updates that SOP's source instead: its changes are listed, and written
    (with a revision dated ``today`` proposed) only when ``update`` is true."""
    result = Imported(display)
    try:
        draft = draft_of(path, documents)
    except OSError as exc:  # said in Indonesian, never Python's "[Errno 2] ..."
        message = f"berkas tidak dapat diimpor: {os_error_text(exc)}"
        result.problems.append(Problem.at(display, NOWHERE, message, "import-unreadable"))
        return result
    except FileRefused as exc:  # the importers' own messages (and the bounds they met)
        result.problems.append(Problem.at(display, NOWHERE, f"berkas tidak dapat diimpor: {exc}", "import-unreadable"))
        return result
    except Exception:  # a damaged file (a library's ValueError too): said, never a traceback nor its words
        message = "berkas tidak dapat dibaca; apakah berkas ini rusak atau bukan SOP?"
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
    if draft.faults:  # what the drawing says that no SOP can: said as it is, at its row
        result.problems += [
            Problem.at(display, _position(row), message, "import-drawing", field=row.where if row else "")
            for row, message in draft.faults
        ]
        return result
    result.summary = summarise(draft)
    original = _original(draft, originals) if originals is not None and _exported(draft) else None
    if original is not None:
        return _update(result, draft, original, root, display, update=update, today=today)
    target = sources / "sop" / f"{draft.data['id']}.yaml"
    shown_target = target.relative_to(root).as_posix() if target.is_relative_to(root) else str(target)
    refused = _unwritable(target, shown_target, root)
    if refused:  # checked before anything is read further or written
        result.problems.append(Problem.at(display, NOWHERE, refused, "import-unwritable"))
        return result
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
    problems = in_the_file(check_text(text, shown_target, root), text, draft, display)
    result.problems += problems
    if any(p.is_error for p in problems):
        return result
    written = _write_new(target, text)
    if written:
        message = f"tidak ditulis: `{shown_target}` {written}"
        result.problems.append(Problem.at(display, NOWHERE, message, "import-unwritable"))
        return result
    result.target = target
    return result


def _unwritable(target: Path, shown: str, root: Path) -> str:
    """Why a draft cannot be written at ``target`` ("" when it can): the folder reached through
    a link that leads out of the project, or a link (symlink) left where the draft would go."""
    if links_out(target.parent, root):
        return (
            f"tidak ditulis: folder `{Path(shown).parent.as_posix()}` adalah tautan (symlink) ke luar folder proyek; "
            "draf hanya ditulis di dalam proyek"
        )
    if target.is_symlink():
        return f"tidak ditulis: `{shown}` adalah tautan (symlink); hapus tautan itu bila draf baru memang diinginkan"
    return ""


def _write_new(target: Path, text: str) -> str:
    """Write ``text`` into a new file ``target``; what went wrong, in Indonesian ("" when it
    was written). Never over a file made meanwhile (another import of the same SOP at once:
    "x"), and never half: a file that could not be written whole is removed."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = open(target, "x", encoding="utf-8")  # noqa: SIM115 (closed below, removed when half-written)
    except FileExistsError:
        return "sudah ada (dibuat pada saat yang sama, mis. oleh impor lain) dan tidak ditimpa"
    except OSError as exc:
        return f"tidak dapat ditulis: {os_error_text(exc)}"
    try:
        with handle:
            handle.write(text)
    except OSError as exc:
        target.unlink(missing_ok=True)
        return f"tidak dapat ditulis: {os_error_text(exc)}"
    return ""


def _position(row: Row | None) -> Position:
    """Where a row is, as a position in messages: its line in a text file (a Word file's rows
    are named in words, ``tabel 2 baris 5``, with no line to give)."""
    return Position(row.line, 0) if row is not None and row.where.startswith("baris ") else NOWHERE


def in_the_file(problems: list[Problem], text: str, draft: Draft, display: str) -> list[Problem]:
    """The problems ``check`` finds in a draft, told at the file the clerk gave: the draft was
    never written, so its lines mean nothing; the row each value was read from does (with its
    line in a text file), and the field."""
    lines = _paths_by_line(text)
    told = []
    for problem in problems:
        path = lines.get(problem.line, ())
        row = next((draft.origins[path[:n]] for n in range(len(path), 0, -1) if path[:n] in draft.origins), None)
        where = row.where if row is not None else ""
        position = _position(row)
        told.append(
            dataclasses.replace(
                problem,
                file=display,
                line=position.line,
                column=0,
                field=", ".join(part for part in (where, problem.field) if part),
            )
        )
    return told


def _paths_by_line(text: str) -> dict[int, YamlPath]:
    """Per line of a draft, the deepest value or key that begins on it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "draf.yaml"
        path.write_text(text, encoding="utf-8")
        doc, _problems = read_yaml(path, "draf")
    found: dict[int, YamlPath] = {}
    if doc is not None:
        for positions in (doc.keys, doc.values):
            for yaml_path, position in positions.items():
                if len(yaml_path) > len(found.get(position.line, ())):
                    found[position.line] = yaml_path
    return found


def _exported(draft: Draft) -> bool:
    """True when the file is a sheet the portal exported (it names its SOP)."""
    return bool(draft.settings.get("kop") is not None or draft.settings.get("id"))


def _original(draft: Draft, originals: Originals) -> Sop | None:
    """The SOP a sheet came from: the one with the sheet's id, else (a sheet from before the
    id was written in it) the one with its number."""
    sops = originals()
    wanted = draft.data.get("id")
    found = next((sop for sop in sops if sop.id == wanted), None)
    number = str(draft.data.get("nomor_sop") or "").strip()
    if found is None and number:
        same = [sop for sop in sops if sop.nomor.strip() == number]
        found = same[0] if len(same) == 1 else None
    return found


def _update(
    result: Imported, draft: Draft, original: Sop, root: Path, display: str, *, update: bool, today: str
) -> Imported:
    """Compare the sheet with its SOP's source, and (``update``) write the changes into it."""
    target = root / original.source
    result.original = target
    draft.data["id"] = original.id
    text = to_yaml(draft, display, result.summary)
    imported, problems = sop_of_text(text, original.source, root)
    if imported is None:  # the sheet's own faults: told at the sheet, not at a draft never written
        result.problems += [p for p in in_the_file(problems, text, draft, display) if p.is_error]
        return result
    source = target.read_text(encoding="utf-8")
    data = source_data(source)
    result.changes = differences(original, imported, step_paths(data, original))
    if not result.changes:
        return result
    made = update_source(source, original, draft.data, result.changes, today=today, source=display)
    result.revision = made.revision
    result.revised_date = today if made.revised_date else ""
    problems = check_text(_with_logo(made.text, original), original.source, root)
    if any(p.is_error for p in problems):
        result.problems += problems
        return result
    if update:
        _replace(target, made.text)
        result.updated = True
    return result


def _with_logo(text: str, original: Sop) -> str:
    """``text`` to be checked away from its folder: its logo (named relative to the source)
    named by its full path."""
    if not original.logo:
        return text
    from generator.sources.importing.update import with_value

    return with_value(text, ("logo",), original.logo)


def _replace(target: Path, text: str) -> None:
    """Write ``text`` over ``target`` at once (a file beside it, renamed over it)."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=".impor-", suffix=".yaml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def sop_of_text(text: str, display: str, root: Path) -> tuple[Sop | None, list[Problem]]:
    """The SOP a source with this text gives, and the problems ``check`` would find in it
    (read and validated alone)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "draf.yaml"
        path.write_text(text, encoding="utf-8")
        doc, problems = read_yaml(path, display)
        if doc is None:
            return None, problems
        sop, built = build_sop(doc, path.stem, root)
        return sop, problems + built


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
