"""The broken-source corpus through the command a maintainer runs: every case makes
`python -m generator build` exit non-zero with a message naming the file and line, never a
traceback, and the previous site stays as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, build

CASES = sorted((Path(__file__).parent / "cases" / "invalid").glob("*.yaml"))
ONLY_WARNINGS = {"unrecognised-duration", "stale-revision-date"}
"""Cases whose problems are warnings: the build goes on (tested elsewhere)."""


def _generated_cases() -> dict[str, bytes]:
    """Broken inputs too big or too binary to keep as files."""
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}]")
    big = b"nama_sop: besar\nlangkah:\n" + b"  - no: 1\n    kegiatan: " + b"x" * (10 * 1024 * 1024) + b"\n"
    return {
        "alias-bomb.yaml": ("\n".join(bomb) + "\nnama_sop: *j\n").encode(),
        "ten-megabytes.yaml": big,
        "latin-1.yaml": "nama_sop: Pengumpulan\ninstansi: KECAMATAN ÉÉ\n".encode("latin-1"),
        "binary.yaml": bytes(range(256)) * 4,
        "tab-and-bom.yaml": "\ufeffnama_sop: X\npelaksana:\n\t- Camat\n".encode(),
        "deep-nesting.yaml": b"nama_sop: X\nlangkah: " + b"[" * 200_000 + b"]" * 200_000 + b"\n",
        "deep-block-nesting.yaml": b"nama_sop: X\nlangkah:\n  " + b"- " * 100_000 + b"x\n",
        "utf-16.yaml": "nama_sop: Pengumpulan\npelaksana: [Camat]\n".encode("utf-16-le"),
        "utf-16-bom.yaml": "nama_sop: Pengumpulan\npelaksana: [Camat]\n".encode("utf-16"),
        "nul-in-text.yaml": b"nama_sop: Peng\x00umpulan\npelaksana: [Camat]\n",
        "escape-in-text.yaml": (
            b'nama_sop: "Peng\\x1bumpulan"\npelaksana: [Camat]\n'
            b"langkah:\n  - {no: 1, kegiatan: Memberi perintah, pelaksana: Camat}\n"
        ),
    }


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with one valid SOP and a previously built site."""
    shutil.copy2(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copytree(ROOT / "overrides", tmp_path / "overrides")
    sources = tmp_path / "sop_sources"
    shutil.copytree(ROOT / "sop_sources" / "dokumen", sources / "dokumen")
    shutil.copy2(ROOT / "sop_sources" / "portal.yaml", sources / "portal.yaml")
    (sources / "sop").mkdir()
    site = tmp_path / "site"
    (site / "sop").mkdir(parents=True)
    (site / "index.html").write_text("<p>situs sebelumnya</p>", encoding="utf-8")
    return tmp_path


def _cases() -> list[tuple[str, bytes]]:
    kept = [(c.name, c.read_bytes()) for c in CASES if c.stem not in ONLY_WARNINGS]
    return kept + sorted(_generated_cases().items())


@pytest.mark.parametrize(("name", "content"), _cases(), ids=[n for n, _ in _cases()])
def test_broken_source_fails_the_build_cleanly(project: Path, name: str, content: bytes) -> None:
    (project / "sop_sources" / "sop" / name).write_bytes(content)
    before = _digest(project / "site")
    result = build(project, project / "site")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert f"sop_sources/sop/{name}:" in result.stderr, result.stderr[:500]
    assert "galat" in result.stderr and "situs sebelumnya tidak diubah" in result.stderr
    assert _digest(project / "site") == before


def test_duplicate_ids_and_numbers_across_files_fail_the_build_cleanly(project: Path) -> None:
    sop = (
        "id: sama\nnama_sop: {name}\nnomor_sop: 001/UJI/2025\npelaksana: [Camat]\n"
        "langkah:\n  - {{no: 1, kegiatan: X, pelaksana: Camat}}\n"
    )
    folder = project / "sop_sources" / "sop"
    (folder / "a.yaml").write_text(sop.format(name="A"), encoding="utf-8")
    (folder / "b.yaml").write_text(sop.format(name="B").replace("001/UJI", "001 / UJI"), encoding="utf-8")
    before = _digest(project / "site")
    result = build(project, project / "site")
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert "sop_sources/sop/b.yaml:1:5: galat pada `id`: id SOP `sama` sudah dipakai" in result.stderr
    assert "sop_sources/sop/b.yaml:3:12: galat pada `nomor_sop`" in result.stderr
    assert _digest(project / "site") == before
