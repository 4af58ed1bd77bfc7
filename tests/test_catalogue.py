"""Checks across files, link resolution, flow and totals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.model.sop import Performance, StepKind
from generator.sources.catalogue import load_catalogue

from .conftest import ROOT, SourceWriter, minimal_sop


def test_duplicate_id_names_both_files(write_sources: SourceWriter, tmp_path: Path) -> None:
    sources = write_sources({"a.yaml": minimal_sop("sama", nomor="1"), "b.yaml": minimal_sop("sama", nomor="2")})
    catalogue = load_catalogue(sources, tmp_path)
    [problem] = catalogue.errors
    assert (problem.code, problem.file, problem.line) == ("duplicate-id", "sop_sources/sop/b.yaml", 1)
    assert "sop_sources/sop/a.yaml" in (problem.found or "")


def test_duplicate_number_ignores_spacing(write_sources: SourceWriter, tmp_path: Path) -> None:
    sources = write_sources(
        {"a.yaml": minimal_sop("a", nomor="065/975/2022"), "b.yaml": minimal_sop("b", nomor="065 / 975 / 2022")}
    )
    [problem] = load_catalogue(sources, tmp_path).errors
    assert (problem.code, problem.file, problem.line) == ("duplicate-number", "sop_sources/sop/b.yaml", 3)


def test_link_to_unknown_sop_suggests_the_close_one(write_sources: SourceWriter, tmp_path: Path) -> None:
    linking = minimal_sop("b", nomor="2") + "keterkaitan:\n  - sop: pengarsipan-suratt\n"
    sources = write_sources({"a.yaml": minimal_sop("pengarsipan-surat", nomor="1"), "b.yaml": linking})
    [problem] = load_catalogue(sources, tmp_path).errors
    assert (problem.code, problem.file, problem.line, problem.column) == (
        "unknown-sop-link",
        "sop_sources/sop/b.yaml",
        18,
        10,
    )
    assert problem.hint == "maksudnya `pengarsipan-surat`?"


def test_link_to_known_sop_takes_its_name(write_sources: SourceWriter, tmp_path: Path) -> None:
    linking = minimal_sop("b", nomor="2") + "keterkaitan:\n  - sop: a\n  - SOP Lain\n"
    sources = write_sources({"a.yaml": minimal_sop("a", nama="SOP Arsip", nomor="1"), "b.yaml": linking})
    catalogue = load_catalogue(sources, tmp_path)
    assert catalogue.problems == ()
    links = catalogue.get("b").keterkaitan
    assert [(link.text, link.sop_id) for link in links] == [("SOP Arsip", "a"), ("SOP Lain", None)]


def test_problems_from_all_files_are_reported_together(write_sources: SourceWriter, tmp_path: Path) -> None:
    broken_role = minimal_sop("a", nomor="1").replace("pelaksana: Sekcam", "pelaksana: Sekda")
    broken_syntax = "nama_sop: [\n"
    sources = write_sources({"a.yaml": broken_role, "b.yaml": broken_syntax, "c.yaml": minimal_sop("c", nomor="3")})
    catalogue = load_catalogue(sources, tmp_path)
    assert sorted((p.file, p.code) for p in catalogue.problems) == [
        ("sop_sources/sop/a.yaml", "unknown-role"),
        ("sop_sources/sop/b.yaml", "yaml-syntax"),
    ]
    assert [s.id for s in catalogue.sops] == ["c"]


def test_warning_does_not_block(write_sources: SourceWriter, tmp_path: Path) -> None:
    text = minimal_sop("a").replace("waktu: 1 jam", "waktu: kira-kira sejam")
    catalogue = load_catalogue(write_sources({"a.yaml": text}), tmp_path)
    [warning] = catalogue.warnings
    assert (warning.code, warning.line) == ("unrecognised-duration", 16)
    assert catalogue.errors == []
    sop = catalogue.get("a")
    assert sop.langkah[1].waktu is not None and sop.langkah[1].waktu.text == "kira-kira sejam"
    assert sop.total.minutes == 10
    assert sop.total.untimed == ("langkah-2",)


def test_example_in_the_docs_is_valid_and_uses_every_feature(tmp_path: Path) -> None:
    sources = tmp_path / "sop_sources"
    (sources / "sop").mkdir(parents=True)
    for path in (ROOT / "sop_sources" / "sop").glob("*.yaml"):
        (sources / "sop" / path.name).write_bytes(path.read_bytes())
    shutil.copytree(ROOT / "sop_sources" / "dokumen", sources / "dokumen")
    shutil.copy(ROOT / "sop_sources" / "portal.yaml", sources)
    (sources / "sop" / "contoh.yaml").write_bytes((ROOT / "docs" / "panduan" / "contoh-sop.yaml").read_bytes())
    catalogue = load_catalogue(sources, tmp_path)
    assert catalogue.problems == ()  # its "Tentatif ..." time is deliberate, not a typo
    sop = catalogue.get("contoh-pelayanan-surat-keterangan")
    kinds = {(s.performance, s.kind) for s in sop.langkah if s.has_symbol}
    assert (Performance.BERSAMA, StepKind.PROSES) in kinds
    assert (Performance.RANTAI, StepKind.PROSES) in kinds
    assert (Performance.TUNGGAL, StepKind.KEPUTUSAN) in kinds
    assert [s.no for s in sop.langkah if s.parent] == ["4a", "4b"]
    assert sop.keterkaitan[1].sop_id == "bangsal-pengumpulan-data-kinerja"
    # "Sekcam" is the role's code; steps name the column by its full name.
    assert sop.step("langkah-3").roles == ("Kasi Pelayanan", "Sekretaris Kecamatan")


def test_longest_path_counts_forward_branches_and_skips_loops(write_sources: SourceWriter, tmp_path: Path) -> None:
    text = """\
        nama_sop: Cabang
        pelaksana: [A, B]
        langkah:
          - {no: 1, kegiatan: Mulai, pelaksana: A, waktu: 10 menit}
          - {no: 2, kegiatan: Periksa, pelaksana: B, waktu: 5 menit, jenis: keputusan, ya: 4, tidak: 3}
          - {no: 3, kegiatan: Perbaiki, pelaksana: A, waktu: 2 hari, lanjut_ke: 2}
          - {no: 4, kegiatan: Setujui, pelaksana: B, waktu: 1 jam, jenis: keputusan, ya: 6, tidak: 5}
          - {no: 5, kegiatan: Revisi ringan, pelaksana: A, waktu: 3 jam}
          - {no: 6, kegiatan: Selesai, pelaksana: B, waktu: 10 menit}
        """
    catalogue = load_catalogue(write_sources({"cabang.yaml": text}), tmp_path)
    assert catalogue.problems == ()
    sop = catalogue.get("cabang")
    # 1 -> 2 -> 4 -> 5 -> 6 is the longest forward path; 3 only loops back to 2.
    assert [sop.step(k).no for k in sop.total.path] == ["1", "2", "4", "5", "6"]
    assert sop.total.minutes == 10 + 5 + 60 + 180 + 10
    assert sop.total.loops_ignored


def test_seed_002_decision_loops_back_and_total_excludes_the_loop() -> None:
    catalogue = load_catalogue(ROOT / "sop_sources", ROOT)
    sop = catalogue.get("dawarblandong-pengukuran-data-kinerja")
    decision = sop.step("langkah-9")
    assert decision.kind is StepKind.KEPUTUSAN
    assert (sop.step(decision.yes or "").no, sop.step(decision.no_branch or "").no) == ("10", "7")
    assert sum(1 for s in sop.langkah if s.kind is StepKind.KEPUTUSAN) == 1
    assert sop.total.loops_ignored
    assert sop.total.untimed == ("langkah-11",)
    expected = 5 + 60 + 120 + 480 + 480 + 480 + 120 + 60 + 120 + 30
    assert sop.total.minutes == expected


def test_seed_quirks_are_kept() -> None:
    catalogue = load_catalogue(ROOT / "sop_sources", ROOT)
    assert catalogue.problems == ()
    assert len(catalogue.sops) == 5
    lumajang = catalogue.get("lumajang-pengumpulan-data-kinerja")
    assert [s.no for s in lumajang.langkah] == ["1", "2", "3", "4", "5", "6", "6"]
    assert lumajang.role_names[0] == "Staf Penerima Surat" and lumajang.role_names[-1] == "Camat"
    assert lumajang.langkah[1].performance is Performance.RANTAI
    assert lumajang.tanggal_efektif is not None and lumajang.tanggal_efektif.text == "1 Pebruari 2024"
    bangsal = catalogue.get("bangsal-pengumpulan-data-kinerja")
    assert bangsal.tanggal_revisi is None and bangsal.unit == ""
    dawar = catalogue.get("dawarblandong-pengukuran-data-kinerja")
    assert dawar.unit == "SUB BAGIAN PENYUSUNAN PROGRAM DAN KEUANGAN"
    # No step anywhere is a decision except the one the source declares.
    decisions = [(s.id, st.no) for s in catalogue.sops for st in s.langkah if st.kind is StepKind.KEPUTUSAN]
    assert decisions == [("dawarblandong-pengukuran-data-kinerja", "9")]


def test_a_rebuild_in_the_same_process_reads_only_changed_files(
    write_sources: SourceWriter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`mkdocs serve` rebuilds in one process: unchanged sources are not read again."""
    import generator.sources.kinds as kinds

    sources = write_sources({"a.yaml": minimal_sop("a", "SOP A", "001"), "b.yaml": minimal_sop("b", "SOP B", "002")})
    reads: list[str] = []
    real = kinds.read_source
    monkeypatch.setattr(kinds, "read_source", lambda path, display: reads.append(path.name) or real(path, display))
    first = load_catalogue(sources, tmp_path)
    assert sorted(reads) == ["a.yaml", "b.yaml"]
    reads.clear()
    assert load_catalogue(sources, tmp_path).sops == first.sops and reads == []
    edited = sources / "sop" / "b.yaml"
    edited.write_text(minimal_sop("b", "SOP B diubah", "002"), encoding="utf-8")
    again = load_catalogue(sources, tmp_path)
    assert reads == ["b.yaml"] and again.get("b").nama == "SOP B diubah"
