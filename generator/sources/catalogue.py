"""Loads every SOP source, validates each one and the set as a whole (cross-file checks)."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from generator.model.documents import DocumentCatalogue, DocumentUse, sop_documents
from generator.model.problems import Problem, sort_problems
from generator.model.shared import SharedCatalogue
from generator.model.sop import Item, Link, Sop, Step
from generator.model.text import office_key
from generator.sources.collect import Collector, did_you_mean
from generator.sources.document import SourceDocument, YamlPath
from generator.sources.documents import DOCUMENT_KIND, load_documents
from generator.sources.kinds import Loaded, SourceKind, links_out
from generator.sources.shared import SHARED_FILE, SHARED_KIND, load_shared
from generator.sources.sop import SOP_KIND, step_rows

SOURCE_KINDS: tuple[SourceKind[Any], ...] = (SOP_KIND, DOCUMENT_KIND, SHARED_KIND)
"""Every kind of source file the catalogue reads."""

NO_INSTANSI = "Instansi tidak disebutkan"
"""Group title for SOPs whose source names no instansi."""


class ParseStore(Protocol):
    """Where parsed sources are kept between builds (the pipeline's content cache)."""

    def key(self, kind: str, *inputs: object) -> str:
        """A key for data made from ``inputs`` by the current generator."""
        ...

    def get(self, key: str, suffix: str) -> Path | None:
        """The stored file, or ``None``."""
        ...

    def put(self, key: str, suffix: str, data: bytes) -> Path:
        """Store ``data`` under ``key``."""
        ...

    def discard(self, key: str, suffix: str) -> None:
        """Forget an entry that turned out unreadable."""
        ...


class UnitGroup(NamedTuple):
    """The SOPs of one unit of an instansi."""

    unit: str
    sops: list[Sop]


class InstansiGroup(NamedTuple):
    """The SOPs of one instansi, by unit."""

    instansi: str
    pemerintah: str
    units: list[UnitGroup]


@dataclass(frozen=True)
class Catalogue:
    """All SOPs of the portal, valid and cross-checked, plus every problem found."""

    sops: tuple[Sop, ...]
    problems: tuple[Problem, ...]
    documents: DocumentCatalogue = field(default_factory=DocumentCatalogue)
    """The document templates (sop_sources/dokumen/)."""
    shared: SharedCatalogue = field(default_factory=SharedCatalogue)
    """Review periods, jabatan and families (sop_sources/portal.yaml)."""

    @property
    def errors(self) -> list[Problem]:
        """Problems that stop the build."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that are only reported (and fail a strict check)."""
        return [p for p in self.problems if p.is_warning]

    @property
    def information(self) -> list[Problem]:
        """What is reported as information only: never a failure, not even of a strict check."""
        return [p for p in self.problems if not p.is_error and not p.is_warning]

    @cached_property
    def by_id(self) -> dict[str, Sop]:
        """SOPs by id (computed once)."""
        return {sop.id: sop for sop in self.sops}

    def get(self, sop_id: str) -> Sop:
        """The SOP with this id."""
        return self.by_id[sop_id]

    def by_instansi(self) -> list[InstansiGroup]:
        """SOPs grouped by instansi (names that differ only in case or punctuation are one
        office, shown as most of its SOPs write it), then by unit (the SOPs are already
        sorted by instansi, unit and name). Computed once; callers do not change it."""
        return self._instansi_groups

    @cached_property
    def _instansi_groups(self) -> list[InstansiGroup]:
        result = []
        for _key, members in groupby(self.sops, key=lambda s: office_key(s.instansi)):
            sops = list(members)
            names = [s.instansi for s in sops]
            instansi = max(dict.fromkeys(names), key=names.count)
            pemerintah = next((s.pemerintah for s in sops if s.pemerintah), "")
            units = [
                UnitGroup(next(iter(items)).unit, list(items))
                for _unit, items in ((u, list(i)) for u, i in groupby(sops, key=lambda s: office_key(s.unit)))
            ]
            result.append(InstansiGroup(instansi or NO_INSTANSI, pemerintah, units))
        return result

    @cached_property
    def document_uses(self) -> dict[str, tuple[DocumentUse, ...]]:
        """Per SOP id, the documents it works with (computed once, asked by every view)."""
        return {sop.id: _documents_of(sop, self.documents) for sop in self.sops}

    @cached_property
    def document_users(self) -> dict[str, tuple[tuple[Sop, DocumentUse], ...]]:
        """Per document id, each SOP using it with the use, in catalogue order."""
        users: dict[str, list[tuple[Sop, DocumentUse]]] = {d.id: [] for d in self.documents.documents}
        for sop in self.sops:
            for use in self.document_uses[sop.id]:
                users.setdefault(use.document.id, []).append((sop, use))
        return {document_id: tuple(pairs) for document_id, pairs in users.items()}


_USES: dict[int, tuple[Sop, DocumentCatalogue, tuple[DocumentUse, ...]]] = {}
"""Per SOP (by identity, kept alive), the documents it works with and the catalogue they
were looked up in: while serving, an unchanged SOP's uses are not worked out again."""


def _documents_of(sop: Sop, documents: DocumentCatalogue) -> tuple[DocumentUse, ...]:
    memo = _USES.get(id(sop))
    if memo is None or memo[0] is not sop or memo[1] is not documents:
        if len(_USES) > 50_000:
            _USES.clear()
        memo = _USES[id(sop)] = (sop, documents, sop_documents(sop, documents))
    return memo[2]


def source_files(source_dir: Path) -> list[Path]:
    """SOP source files, in a stable order (every readable file under ``sop/``)."""
    return SOP_KIND.files(source_dir)


def _display(path: Path, root: Path) -> str:
    # The path as the maintainer sees it in the tree: a link is named, not what it points to.
    absolute, base = Path(os.path.abspath(path)), Path(os.path.abspath(root))
    if absolute.is_relative_to(base):
        return absolute.relative_to(base).as_posix()
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return os.path.relpath(path, root) if path.is_absolute() else path.as_posix()


_PARSED: dict[tuple[str, str, int, int, int], Loaded[Sop]] = {}
"""Parse results of this process by file and its stat (``mkdocs serve`` rebuilds in one
process: an unchanged file is not even read again)."""


def _read_and_build(path: Path, root: Path, store: ParseStore | None) -> Loaded[Sop]:
    """Read and validate one SOP file, reusing the result of an earlier build when the
    file's bytes (and the generator) are unchanged."""
    display = _display(path, root)
    try:
        stat = path.stat()
        seen: tuple[str, str, int, int, int] | None = (str(path), display, stat.st_mtime_ns, stat.st_size, stat.st_ino)
    except OSError:
        seen = None
    if seen is not None and seen in _PARSED:
        return _PARSED[seen]
    loaded = _read_and_build_file(path, root, store, display)
    if seen is not None and not (loaded.model and loaded.model.logo):  # a logo file can change unseen
        if len(_PARSED) > 50_000:
            _PARSED.clear()
        _PARSED[seen] = loaded
    return loaded


def display_name(path: Path, root: Path) -> str:
    """A source file's name as messages and :attr:`Sop.source` give it (relative to ``root``)."""
    return _display(path, root)


def read_sop(path: Path, root: Path, store: ParseStore | None = None) -> tuple[str, Loaded[Sop]]:
    """One SOP file read and validated on its own, as :func:`load_catalogue` reads each: its
    name as messages give it, and the result (``mkdocs serve`` shows an edited SOP's page
    from it before the whole portal is loaded again)."""
    return _display(path, root), _read_and_build(path, root, store)


def resolved_in(sop: Sop, catalogue: Catalogue) -> Sop:
    """A parsed SOP with its links and documents named from ``catalogue``, as
    :func:`load_catalogue` resolves each of its SOPs."""
    return _resolved(sop, catalogue.by_id, catalogue.documents)


def _read_and_build_file(path: Path, root: Path, store: ParseStore | None, display: str) -> Loaded[Sop]:
    key = ""
    if store is not None and not links_out(path, root):  # a link out of the project is never read
        try:
            raw = path.read_bytes()
        except OSError:
            raw = b""
        key = store.key("source", hashlib.sha256(raw).hexdigest(), display)
        cached = store.get(key, ".pickle")
        if cached is not None:
            try:
                with cached.open("rb") as handle:
                    result = pickle.load(handle)
            except Exception:  # written by another generator (classes moved or renamed): make it again
                result = None
            if _well_formed(result):
                return result  # type: ignore[no-any-return]
            store.discard(key, ".pickle")
    loaded = SOP_KIND.read(path, display, root)
    if loaded.doc is not None:
        loaded.doc.release_positions()  # read again should a check across files need one
    if store is not None and key and not (loaded.model and loaded.model.logo):  # a logo file can change unseen
        store.put(key, ".pickle", pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
    return loaded


def _well_formed(value: object) -> bool:
    """True when a cached parse result has the shape this generator reads."""
    return (
        isinstance(value, Loaded)
        and (value.doc is None or isinstance(value.doc, SourceDocument))
        and (value.model is None or isinstance(value.model, Sop))
        and isinstance(value.problems, list)
        and all(isinstance(p, Problem) for p in value.problems)
    )


def load_catalogue(source_dir: Path, root: Path | None = None, store: ParseStore | None = None) -> Catalogue:
    """Read, validate and cross-check every SOP under ``source_dir``.

    ``root`` is the folder that file names in messages are relative to (the project).
    Problems from all files are returned together; SOPs with errors are left out.
    With a ``store``, files whose bytes have not changed are not parsed again.
    """
    root = root or source_dir.parent
    documents = load_documents(source_dir, lambda path: _display(path, root))
    shared = load_shared(source_dir, _display(source_dir / SHARED_FILE, root))
    problems: list[Problem] = list(documents.problems) + list(shared.problems)
    loaded: list[tuple[Sop, SourceDocument]] = []
    files = source_files(source_dir)
    if not files:
        problems.append(
            Problem(
                file=_display(source_dir / SOP_KIND.location.rstrip("/"), root),
                line=0,
                column=0,
                field="",
                message="tidak ada berkas SOP (*.yaml) di folder ini",
                code="no-sources",
                hint="tambahkan sedikitnya satu berkas SOP; lihat Panduan Format Sumber SOP",
            )
        )
    for path in files:
        doc, sop, file_problems = _read_and_build(path, root, store)
        problems.extend(file_problems)
        if sop is not None and doc is not None:
            loaded.append((sop, doc))
    problems.extend(_cross_checks(loaded))
    problems.extend(_document_checks(loaded, documents))
    problems.extend(_shared_checks(loaded, shared))
    by_id = {s.id: s for s, _ in loaded}
    documents = _same_documents(documents)
    sops = tuple(_resolved(sop, by_id, documents) for sop, _ in loaded)
    if any(p.is_error for p in problems):
        bad = {p.file for p in problems if p.is_error}
        sops = tuple(s for s in sops if s.source not in bad)
    return Catalogue(
        sops=tuple(sorted(sops, key=_order)),
        problems=tuple(sort_problems(problems)),
        documents=documents,
        shared=shared,
    )


def _order(sop: Sop) -> tuple[bool, str, str, str, str]:
    # SOPs that name no instansi go last, after every office.
    return (not sop.instansi, office_key(sop.instansi), office_key(sop.unit), sop.nama.casefold(), sop.id)


_LAST_DOCUMENTS: list[DocumentCatalogue] = []
"""The document catalogue of this process's previous build (see :func:`_same_documents`)."""

_RESOLVED: dict[int, tuple[Sop, tuple[tuple[str | None, str | None], ...], DocumentCatalogue, Sop]] = {}
"""Per parsed SOP (by identity): what its resolution read, and the resolved SOP."""


def _same_documents(documents: DocumentCatalogue) -> DocumentCatalogue:
    """The previous build's document catalogue when this one equals it: ``mkdocs serve``
    rebuilds in one process, and an unchanged SOP then stays the very same object from
    build to build (what the pipeline's per-object memos rely on)."""
    if _LAST_DOCUMENTS and _LAST_DOCUMENTS[0] == documents:
        return _LAST_DOCUMENTS[0]
    _LAST_DOCUMENTS[:] = [documents]
    return documents


def _resolved(sop: Sop, by_id: dict[str, Sop], documents: DocumentCatalogue) -> Sop:
    """The SOP with its links named and its documents titled, reused from the previous
    build when it is the same parsed SOP and what it read is unchanged."""
    names = tuple((link.sop_id, by_id[link.sop_id].nama if link.sop_id in by_id else None) for link in sop.keterkaitan)
    memo = _RESOLVED.get(id(sop))
    if memo is not None and memo[0] is sop and memo[1] == names and memo[2] is documents:
        return memo[3]
    resolved = _resolve_items(_resolve_links(sop, by_id), documents)
    if len(_RESOLVED) > 50_000:
        _RESOLVED.clear()
    _RESOLVED[id(sop)] = (sop, names, documents, resolved)
    return resolved


def forget_parsed() -> None:
    """Drop this process's memos of parsed and resolved SOPs (:data:`_PARSED`,
    :data:`_RESOLVED`): a process that loads the catalogue once (a build, a check) would
    otherwise keep every parsed SOP and its source document beside the resolved catalogue to
    its end. ``mkdocs serve`` keeps them: its next rebuild reuses them."""
    _PARSED.clear()
    _RESOLVED.clear()


def _resolve_links(sop: Sop, by_id: dict[str, Sop]) -> Sop:
    links = tuple(
        Link(text=link.text or by_id[link.sop_id].nama, sop_id=link.sop_id) if link.sop_id in by_id else link
        for link in sop.keterkaitan
    )
    return dataclasses.replace(sop, keterkaitan=links)


def _resolve_items(sop: Sop, documents: DocumentCatalogue) -> Sop:
    """Give document references without their own text the document's title."""

    def fix(items: tuple[Item, ...]) -> tuple[Item, ...]:
        return tuple(
            Item(text=item.text or documents.get(item.document).title, document=item.document)
            if item.document and not item.text and item.document in documents.ids
            else item
            for item in items
        )

    steps: list[Step] = [
        dataclasses.replace(step, kelengkapan=fix(step.kelengkapan), output=fix(step.output)) for step in sop.langkah
    ]
    return dataclasses.replace(sop, langkah=tuple(steps))


def _step_rows(doc: SourceDocument) -> Iterator[tuple[YamlPath, dict[str, Any]]]:
    return step_rows(doc.data.get("langkah", []))


def _document_checks(loaded: list[tuple[Sop, SourceDocument]], documents: DocumentCatalogue) -> Iterator[Problem]:
    """Every document a step names must be defined under sop_sources/dokumen/."""
    known = sorted(documents.ids)
    for _sop, doc in loaded:
        for path, data in _step_rows(doc):
            for field_name in ("kelengkapan", "output"):
                entries = data.get(field_name)
                if not isinstance(entries, list):
                    continue
                for k, entry in enumerate(entries):
                    if isinstance(entry, dict) and entry.get("dokumen") not in documents.ids:
                        target = entry.get("dokumen")
                        guess = did_you_mean(str(target), known)
                        yield _problem_at(
                            doc,
                            (*path, field_name, k, "dokumen"),
                            f"dokumen `{target}` yang dirujuk langkah no. {data.get('no')} tidak ada",
                            "unknown-document",
                            found=f"`{target}`",
                            expected="id salah satu dokumen di sop_sources/dokumen/: " + ", ".join(known),
                            hint=f"maksudnya `{guess}`?"
                            if guess
                            else "buat berkas dokumennya di sop_sources/dokumen/, atau tulis sebagai teks biasa",
                        )


def _shared_checks(loaded: list[tuple[Sop, SourceDocument]], shared: SharedCatalogue) -> Iterator[Problem]:
    """Jabatan ids named by SOPs exist; step phases are the family's declared phases."""
    role_ids = sorted(shared.role_by_id)
    for sop, doc in loaded:
        for i, item in enumerate(doc.data.get("pelaksana") or []):
            wanted = item.get("jabatan") if isinstance(item, dict) else None
            if wanted and wanted not in shared.role_by_id:
                guess = did_you_mean(wanted, role_ids)
                yield _problem_at(
                    doc,
                    ("pelaksana", i, "jabatan"),
                    f"jabatan `{wanted}` tidak ada di daftar jabatan {SHARED_FILE}",
                    "unknown-jabatan",
                    found=f"`{wanted}`",
                    expected="id salah satu jabatan di sop_sources/portal.yaml: " + (", ".join(role_ids) or "(kosong)"),
                    hint=f"maksudnya `{guess}`?" if guess else "tambahkan jabatan itu ke daftar `jabatan` portal.yaml",
                )
        family = shared.family_by_id.get(sop.keluarga)
        if family is None or not family.tahap:
            continue
        for path, data in _step_rows(doc):
            phase = str(data.get("tahap") or "").strip()
            if phase and phase not in family.tahap:
                guess = did_you_mean(phase, family.tahap)
                yield _problem_at(
                    doc,
                    (*path, "tahap"),
                    f"tahap `{phase}` tidak ada di keluarga `{family.id}`",
                    "unknown-phase",
                    found=f"`{phase}`",
                    expected="salah satu tahap: " + ", ".join(family.tahap),
                    hint=f"maksudnya `{guess}`?" if guess else "pakai nama tahap yang terdaftar di portal.yaml",
                )


def _problem_at(
    doc: SourceDocument,
    path: YamlPath,
    message: str,
    code: str,
    *,
    expected: str | None = None,
    found: str | None = None,
    hint: str | None = None,
) -> Problem:
    out = Collector(doc)
    out.add(path, message, code, expected=expected, found=found, hint=hint)
    return out.problems[0]


def _cross_checks(loaded: list[tuple[Sop, SourceDocument]]) -> Iterator[Problem]:
    first_by_id: dict[str, SourceDocument] = {}
    first_by_number: dict[str, tuple[Sop, SourceDocument]] = {}
    for sop, doc in loaded:
        if sop.id in first_by_id:
            yield _problem_at(
                doc,
                ("id",) if "id" in doc.data else (),
                f"id SOP `{sop.id}` sudah dipakai",
                "duplicate-id",
                found=f"juga dipakai oleh {first_by_id[sop.id].display}",
                hint="beri setiap SOP id yang berbeda (kolom `id`, atau nama berkas)",
            )
        else:
            first_by_id[sop.id] = doc
        if sop.nomor:
            number = re.sub(r"\s+", "", sop.nomor).casefold()
            if number in first_by_number:
                other, other_doc = first_by_number[number]
                yield _problem_at(
                    doc,
                    ("nomor_sop",),
                    f"nomor SOP `{sop.nomor}` sudah dipakai oleh SOP lain",
                    "duplicate-number",
                    found=f"{other_doc.display} ({other.nama})",
                    hint="periksa nomor SOP; setiap SOP punya nomor sendiri",
                )
            else:
                first_by_number[number] = (sop, doc)
    ids = [sop.id for sop, _ in loaded]
    for _sop, doc in loaded:
        entries = doc.data.get("keterkaitan")
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries):
            if isinstance(entry, dict) and entry.get("sop") not in first_by_id:
                target = entry.get("sop")
                guess = did_you_mean(str(target), ids)
                yield _problem_at(
                    doc,
                    ("keterkaitan", i, "sop"),
                    f"SOP `{target}` yang dirujuk tidak ada di portal",
                    "unknown-sop-link",
                    found=f"`{target}`",
                    expected="id salah satu SOP di sop_sources/sop/",
                    hint=f"maksudnya `{guess}`?" if guess else "perbaiki id, atau tulis keterkaitan sebagai teks biasa",
                )
