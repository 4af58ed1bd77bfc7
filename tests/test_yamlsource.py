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
    # Endless nesting: stopped at the depth limit, at the anchored value that holds itself.
    assert [p.code for p in problems] == ["too-deep"]
    assert (problems[0].line, problems[0].column) == (1, 4)


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


def test_impossible_dates_stay_text_for_the_validator(tmp_path: Path) -> None:
    # YAML's own date type raises on these; the reader keeps them as text, and the SOP
    # validator reports them at their line ("tanggal tidak dapat dibaca").
    source = b"a: 2023-02-30\nb: 2023-13-01\nc: !!timestamp 2023-02-29\nd: 2024-02-29 10:00:00\n"
    doc, problems = read_yaml(_write(tmp_path, source))
    assert problems == []
    assert doc is not None
    assert doc.data == {"a": "2023-02-30", "b": "2023-13-01", "c": "2023-02-29", "d": "2024-02-29 10:00:00"}


def test_deep_nesting_is_refused_before_libyaml_composes_it(tmp_path: Path) -> None:
    # 200,000 nested brackets crashed the process (libyaml composes recursively in C).
    cases = {
        "flow sequences": b"a: " + b"[" * 200_000 + b"]" * 200_000 + b"\n",
        "flow mappings": b"a: " + b"{a: " * 5_000 + b"1" + b"}" * 5_000 + b"\n",
        "compact block sequences": b"a:\n  " + b"- " * 50_000 + b"x\n",
        "indented mappings": b"".join(b"  " * i + b"k%d:\n" % i for i in range(60)) + b"  " * 60 + b"v\n",
    }
    for name, source in cases.items():
        doc, problems = read_yaml(_write(tmp_path, source))
        assert doc is None, name
        assert [p.code for p in problems] == ["too-deep"], name
        assert problems[0].line >= 1 and "40 tingkat" in (problems[0].expected or ""), name
    # Ordinary nesting of an SOP (four or five levels) is untouched.
    doc, problems = read_yaml(_write(tmp_path, b"a:\n  - b:\n      - c: [1, {d: 2}]\n"))
    assert problems == [] and doc is not None


def test_utf16_is_named_not_read_as_control_characters(tmp_path: Path) -> None:
    text = "id: uji\nnama_sop: Uji\n"
    for data in (
        text.encode("utf-16"),  # with a byte-order mark
        text.encode("utf-16-le"),  # "Unicode" from Windows tools, no mark
        text.encode("utf-16-be"),
    ):
        doc, problems = read_yaml(_write(tmp_path, data))
        assert doc is None
        assert [p.code for p in problems] == ["not-utf8"]
        assert "UTF-16" in problems[0].message and problems[0].line == 1
    # Plain ASCII and UTF-8 with a few NUL-free accents are not mistaken for UTF-16.
    doc, problems = read_yaml(_write(tmp_path, "nama: Pelayanan é\n".encode()))
    assert problems == [] and doc is not None


def test_control_characters_written_as_escapes_are_reported_too(tmp_path: Path) -> None:
    # "\x1b" in a quoted string is a control character once parsed: it passed `check`, then
    # crashed the diagram's XML writer (and an ESC in a message can drive the terminal).
    for source, position in (
        (b'nama_sop: "Uji\\x1b kendali"\n', (1, 11)),
        (b'a:\n  - "ok"\n  - "lonceng \\a"\n', (3, 5)),
        (b'"kunci\\u0000": 1\n', (1, 1)),
    ):
        doc, problems = read_yaml(_write(tmp_path, source))
        assert doc is None, source
        assert [(p.code, p.line, p.column) for p in problems] == [("control-character", *position)], source
        assert "\\x" in (problems[0].hint or "")
    # Escaped Word breaks read as spaces, like the raw ones; tab and newline escapes stay.
    doc, problems = read_yaml(_write(tmp_path, b'a: "satu\\vdua\\ftiga\\tempat\\nlima"\n'))
    assert problems == [] and doc is not None
    assert doc.data == {"a": "satu dua tiga\tempat\nlima"}
