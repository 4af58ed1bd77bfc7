"""One pattern for every kind of source file (SOP, document template, ``portal.yaml``).

Each kind declares the same three things: its JSON Schema (for editors and for the first,
structural check), its builder (the rules beyond the schema, reported through a
:class:`~generator.sources.collect.Collector`, and the model it makes), and where its
files live. :meth:`SourceKind.load` runs them the same way for every kind, on a document
from any registered reader.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from jsonschema import Draft202012Validator

from generator.model.problems import NOWHERE, Problem
from generator.sources.collect import TYPE_NAMES, Collector, describe_value, schema_problems
from generator.sources.document import SourceDocument
from generator.sources.readers import read_source, source_suffixes

T = TypeVar("T")


class Loaded(NamedTuple, Generic[T]):
    """One source file read and checked: its document, its model (``None`` when it has
    errors) and every problem found."""

    doc: SourceDocument | None
    model: T | None
    problems: list[Problem]


@dataclass(frozen=True, eq=False)
class SourceKind(Generic[T]):
    """A kind of source file: where it lives, its schema and its builder."""

    name: str
    """Stable key of the kind (``sop``, ``dokumen``, ``portal``)."""
    location: str
    """A folder under the sources folder (``sop/``, read recursively) or one file name."""
    schema: Callable[[], dict[str, Any]]
    """The JSON Schema of a file of this kind."""
    build: Callable[[Collector, str, Path], T | None]
    """``build(out, default_id, root)``: the model of the (schema-valid) ``out.doc``, its rule
    problems reported to ``out``; ``root`` is the project folder (files a source names)."""
    contents: str
    """What a file of this kind holds, in a message about an empty file."""
    start_hint: str
    """How a file of this kind starts, for a file that is not a mapping."""
    empty: T | None = None
    """The model of an empty file when one is allowed; ``None``: an empty file is an error."""

    @cached_property
    def validator(self) -> Draft202012Validator:
        """The compiled schema (made once)."""
        return Draft202012Validator(self.schema())

    def schema_json(self) -> str:
        """The schema as stable JSON text (committed next to the sources and published)."""
        return json.dumps(self.schema(), ensure_ascii=False, indent=2) + "\n"

    def files(self, source_dir: Path) -> list[Path]:
        """The files of this kind under ``source_dir``, in a stable order."""
        if not self.location.endswith("/"):
            path = source_dir / self.location
            return [path] if path.is_file() else []
        folder = source_dir / self.location.rstrip("/")
        if not folder.is_dir():
            return []
        suffixes = source_suffixes()
        found = []
        visited = {folder.resolve()}
        for top, dirs, names in os.walk(folder, followlinks=True):
            here = Path(top)
            for name in list(dirs):  # a linked folder is followed once, and only inside the project
                target = (here / name).resolve()
                if target in visited or ((here / name).is_symlink() and not inside(target, folder)):
                    dirs.remove(name)
                    if not inside(target, folder) and target not in visited:
                        found.append(here / name)  # reported by read(), never entered
                visited.add(target)
            found += [here / n for n in names if Path(n).suffix.lower() in suffixes and (here / n).is_file()]
        return sorted(found, key=lambda p: p.relative_to(folder).as_posix())

    def read(self, path: Path, display: str, root: Path) -> Loaded[T]:
        """Read ``path`` with its format's reader, then :meth:`load` it."""
        outside = links_out(path, root)
        if outside or path.is_dir():
            # A link out of the project (never read, never echoed), or a linked folder elsewhere.
            return Loaded(None, None, [_link_problem(display, outside=outside, folder=path.is_dir())])
        doc, problems = read_source(path, display)
        if doc is None:
            return Loaded(None, None, problems)
        model, found = self.load(doc, path.stem, root)
        return Loaded(doc, model, problems + found)

    def load(self, doc: SourceDocument, default_id: str, root: Path) -> tuple[T | None, list[Problem]]:
        """Check ``doc`` (shape, schema, rules) and build its model; ``None`` when it has errors."""
        out = Collector(doc)
        if doc.data is None:
            if self.empty is not None:
                return self.empty, []
            out.add(
                (),
                "berkas kosong",
                "empty-file",
                expected=self.contents,
                found="tidak ada isi",
                hint="isi berkas mengikuti contoh di Panduan Format Sumber SOP, atau hapus berkas ini",
            )
            return None, out.problems
        if not isinstance(doc.data, dict):
            out.add(
                (),
                "isi berkas harus berupa pemetaan `kolom: nilai`",
                "wrong-type",
                expected=TYPE_NAMES["object"],
                found=describe_value(doc.data),
                hint=self.start_hint,
            )
            return None, out.problems
        schema_problems(out, doc.data, self.validator)
        if out.problems:
            return None, out.problems
        model = self.build(out, default_id, root)
        if out.has_errors:
            return None, out.problems
        return model, out.problems


def links_out(path: Path, root: Path) -> bool:
    """True when ``path`` is reached through a link (the file or a folder above it) and lands
    outside the project ``root``. A sources folder given outside the project on purpose
    (``--sources``) is read as it is."""
    target = path.resolve()
    return target != Path(os.path.abspath(path)) and not inside(target, root)


def inside(path: Path, root: Path) -> bool:
    """True when ``path`` (resolved) lies in ``root``."""
    return path.is_relative_to(root.resolve())


def _link_problem(display: str, *, outside: bool, folder: bool) -> Problem:
    what = "folder" if folder else "berkas"
    if outside:
        message = f"{what} ini adalah tautan (symlink) ke luar folder proyek; isinya tidak dibaca"
    else:
        message = "folder ini adalah tautan (symlink) ke folder lain; tidak diikuti"
    return Problem.at(
        display,
        NOWHERE,
        message,
        "outside-project" if outside else "linked-folder",
        expected=f"{what} sumber yang tersimpan di dalam folder sumbernya",
        hint=f"salin {what} yang dimaksud ke dalam sop_sources/, lalu hapus tautannya",
    )
