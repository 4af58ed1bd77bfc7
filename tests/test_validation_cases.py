"""Golden validation cases: each file under cases/invalid holds a broken source, the
errors it must produce (``# expect: code line:column`` comments), and next to it a
``.txt`` file with the exact messages a maintainer sees."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.sources.catalogue import load_catalogue

from .conftest import ROOT, UPDATE_GOLDEN

CASES = Path(__file__).parent / "cases" / "invalid"
EXPECT = re.compile(r"^# expect: (?P<code>[a-z0-9-]+) (?P<line>\d+):(?P<col>\d+)$", re.MULTILINE)


def _expectations(text: str) -> list[tuple[str, int, int]]:
    return [(m["code"], int(m["line"]), int(m["col"])) for m in EXPECT.finditer(text)]


@pytest.mark.parametrize("case", sorted(CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_invalid_case(case: Path, tmp_path: Path) -> None:
    sources = tmp_path / "sop_sources"
    (sources / "sop").mkdir(parents=True)
    target = sources / "sop" / case.name
    shutil.copyfile(case, target)
    # The portal's shared catalogue (jabatan, families and their phases) is in force.
    shutil.copyfile(ROOT / "sop_sources" / "portal.yaml", sources / "portal.yaml")
    expected = _expectations(case.read_text(encoding="utf-8"))
    assert expected, f"{case.name} declares no '# expect:' line"

    catalogue = load_catalogue(sources, tmp_path)

    found = [(p.code, p.line, p.column) for p in catalogue.problems]
    assert sorted(found) == sorted(expected)
    for problem in catalogue.problems:
        assert problem.file == f"sop_sources/sop/{case.name}"
        assert problem.message and problem.hint, "every message says what is wrong and how to fix it"
    # A file with errors contributes no SOP; one with only warnings still does.
    has_errors = any(p.is_error for p in catalogue.problems)
    assert len(catalogue.sops) == (0 if has_errors else 1)

    rendered = "\n\n".join(p.format() for p in catalogue.problems) + "\n"
    golden = case.with_suffix(".txt")
    if UPDATE_GOLDEN:
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")
