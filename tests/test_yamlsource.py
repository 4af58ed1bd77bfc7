"""The YAML reader: positions, safety limits and unreadable files."""

from __future__ import annotations

from pathlib import Path

from generator.model.problems import Position
from generator.sources import yaml_reader as yamlsource
from generator.sources.yaml_reader import read_yaml


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "x.yaml"
    path.write_bytes(data)
    return path


def test_positions_of_keys_and_values(tmp_path: Path) -> None:
    doc, problems = read_yaml(_write(tmp_path, b"a: 1\nlist:\n  - x\n  - y: 2\n"))
    assert problems == []
    assert doc is not None
    assert doc.data == {"a": 1, "list": ["x", {"y": 2}]}
    assert doc.where(("list", 1, "y")) == Position(4, 8)
    assert doc.where(("list", 1, "y"), key=True) == Position(4, 5)
    # A missing field is reported at the closest value that exists.
    assert doc.where(("list", 1, "missing")) == Position(4, 5)


def test_dates_stay_text_and_only_safe_types_are_built(tmp_path: Path) -> None:
    doc, problems = read_yaml(_write(tmp_path, b"d: 2022-06-30\nx: !!python/object:os.system ls\n"))
    assert doc is None
    assert problems[0].code == "yaml-syntax"  # unknown tag: refused, never constructed
    doc, problems = read_yaml(_write(tmp_path, b"d: 2022-06-30\n"))
    assert doc is not None and doc.data == {"d": "2022-06-30"}


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    doc, problems = read_yaml(_write(tmp_path, "\ufeffnama_sop: Uji\n".encode()))
    assert problems == []
    assert doc is not None and doc.data == {"nama_sop": "Uji"}


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    doc, problems = read_yaml(_write(tmp_path, b"a: 1\nb: caf\xe9\n"), "sop_sources/sop/x.yaml")
    assert doc is None
    [problem] = problems
    assert (problem.code, problem.line, problem.column) == ("not-utf8", 2, 7)
    assert problem.file == "sop_sources/sop/x.yaml"
    assert "UTF-8" in (problem.hint or "")


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    doc, problems = read_yaml(_write(tmp_path, ("\n".join(lines) + "\n").encode()))
    assert doc is None
    assert [p.code for p in problems] == ["alias-bomb"]


def test_self_referencing_alias_is_refused(tmp_path: Path) -> None:
    doc, problems = read_yaml(_write(tmp_path, b"a: &a\n  b: *a\n"))
    assert doc is None
    assert [p.code for p in problems] == ["alias-bomb"]


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    data = b"nama_sop: x\n" + b"# filler\n" * (yamlsource.MAX_FILE_BYTES // 9 + 1)
    doc, problems = read_yaml(_write(tmp_path, data))
    assert doc is None
    assert [p.code for p in problems] == ["file-too-large"]


def test_two_documents_in_one_file(tmp_path: Path) -> None:
    doc, problems = read_yaml(_write(tmp_path, b"a: 1\n---\nb: 2\n"))
    assert doc is None
    assert problems[0].code == "yaml-syntax"
    assert "satu SOP" in (problems[0].hint or "")


def test_word_line_breaks_become_spaces_and_other_controls_are_reported(tmp_path: Path) -> None:
    doc, problems = read_yaml(_write(tmp_path, b"a: satu\x0bdua\x0ctiga\n"))
    assert problems == [] and doc is not None and doc.data == {"a": "satu dua tiga"}
    doc, problems = read_yaml(_write(tmp_path, b"a: 1\nb: ada\x07bel\n"), "sop_sources/sop/x.yaml")
    assert doc is None
    [problem] = problems
    assert (problem.code, problem.line, problem.column, problem.found) == ("control-character", 2, 7, "U+0007")
    assert problem.format().startswith("sop_sources/sop/x.yaml:2:7: galat: teks memuat karakter kendali")
