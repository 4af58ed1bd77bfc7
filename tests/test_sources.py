"""The source layer's extension points: a new file format is one registered reader, every
kind is checked the same way, and problems can point at a sheet and cell."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.model.problems import Position, Problem
from generator.sources import readers
from generator.sources.catalogue import SOURCE_KINDS, load_catalogue
from generator.sources.document import SourceDocument
from generator.sources.sop import SOP_KIND
from generator.sources.yaml_reader import read_yaml

from .conftest import minimal_sop


def _sheet_reader(path: Path, display: str) -> tuple[SourceDocument | None, list[Problem]]:
    """A toy spreadsheet-like format: JSON whose values are placed at cells of one sheet."""
    data = json.loads(path.read_text(encoding="utf-8"))
    doc = SourceDocument(path=path, display=display, data=data, raw=path.read_bytes())
    doc.values[()] = Position(0, 0, sheet="SOP", cell="A1")
    for row, key in enumerate(data, start=2):
        doc.values[(key,)] = Position(0, 0, sheet="SOP", cell=f"B{row}")
    return doc, []


@pytest.fixture
def sheet_format(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    registry = dict(readers._readers())
    monkeypatch.setattr(readers, "_READERS", registry)
    readers.register_reader(".json")(_sheet_reader)
    yield


def test_a_new_format_is_one_registered_reader(sheet_format: None, tmp_path: Path) -> None:
    folder = tmp_path / "sop_sources" / "sop"
    folder.mkdir(parents=True)
    (tmp_path / "contoh.yaml").write_text(minimal_sop("dari-lembar"), encoding="utf-8")
    doc, _ = read_yaml(tmp_path / "contoh.yaml")
    assert doc is not None
    data = doc.data
    (folder / "dari-lembar.json").write_text(json.dumps(data), encoding="utf-8")
    catalogue = load_catalogue(tmp_path / "sop_sources", tmp_path)
    assert [sop.id for sop in catalogue.sops] == ["dari-lembar"]
    assert [step.kegiatan for step in catalogue.sops[0].langkah] == ["Memberi perintah", "Melaksanakan perintah"]


def test_problems_in_a_sheet_name_the_sheet_and_cell(sheet_format: None, tmp_path: Path) -> None:
    path = tmp_path / "rusak.json"
    path.write_text(json.dumps({"nama_sop": "Uji", "pelaksana": "Camat", "langkah": []}), encoding="utf-8")
    loaded = SOP_KIND.read(path, "rusak.json", tmp_path)
    assert loaded.model is None
    located = {p.location() for p in loaded.problems}
    assert "rusak.json › lembar SOP, sel B3" in located  # `pelaksana`: the second key, row 3
    problem = next(p for p in loaded.problems if p.cell == "B3")
    assert problem.format().startswith("rusak.json › lembar SOP, sel B3: galat pada `pelaksana`")


def test_a_file_without_a_reader_is_named_not_skipped_quietly(tmp_path: Path) -> None:
    path = tmp_path / "sop.txt"
    path.write_text("nama_sop: x\n", encoding="utf-8")
    doc, problems = readers.read_source(path, "sop.txt")
    assert doc is None
    [problem] = problems
    assert problem.code == "unknown-format" and ".yaml" in (problem.expected or "")


def test_every_kind_declares_the_same_parts() -> None:
    for kind in SOURCE_KINDS:
        schema = kind.schema()
        assert schema["type"] == "object" and schema["$id"].endswith(f"/{kind.name}.schema.json")
        assert kind.validator.schema is not None and kind.contents and kind.start_hint


@pytest.mark.parametrize("kind", SOURCE_KINDS, ids=lambda k: k.name)
def test_every_kind_reports_a_file_that_is_not_a_mapping_the_same_way(kind: object, tmp_path: Path) -> None:
    from generator.sources.kinds import SourceKind

    assert isinstance(kind, SourceKind)
    path = tmp_path / "daftar.yaml"
    path.write_text("- satu\n- dua\n", encoding="utf-8")
    loaded = kind.read(path, "daftar.yaml", tmp_path)
    [problem] = loaded.problems
    assert loaded.model is None
    assert (problem.code, problem.line, problem.column) == ("wrong-type", 1, 1)
    assert problem.hint == kind.start_hint
