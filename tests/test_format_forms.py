"""Forms real SOPs from other offices use: several decisions in one row, a Tidak given only in
the text, dates printed as month and year, time on a heading row, totals under a day."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from generator.indexes.lifecycle import ReviewState, review_status
from generator.model.dates import Precision, parse_date
from generator.model.sop import BranchKind, ReviewPolicy, StepKind
from generator.pipeline.portal import Portal, PortalSettings
from generator.sources.catalogue import load_catalogue

from .conftest import ROOT, SourceWriter

STRESS = Path(__file__).parent / "cases" / "stress"


def _stress(tmp_path: Path, name: str) -> Path:
    sources = tmp_path / "sop_sources"
    (sources / "sop").mkdir(parents=True)
    shutil.copy(STRESS / f"{name}.yaml", sources / "sop")
    shutil.copytree(ROOT / "sop_sources" / "dokumen", sources / "dokumen")
    return sources


def test_three_decisions_in_one_row_each_with_its_own_branches(tmp_path: Path) -> None:
    catalogue = load_catalogue(_stress(tmp_path, "tiga-keputusan-sebaris"), tmp_path)
    assert catalogue.errors == []
    [sop] = catalogue.sops
    step = sop.step("langkah-3")
    assert step.roles == ("Kabid", "Sekretaris", "Kepala Dinas")
    assert step.symbol_kinds == (StepKind.KEPUTUSAN,) * 3
    tidak = {b.source: (b.target, b.entry) for b in step.branches if b.kind is BranchKind.TIDAK}
    # Kabid back to step 2; Sekretaris back into the Kabid's diamond of this row; the last to 1.
    assert tidak == {0: ("langkah-2", 0), 1: ("langkah-3", 0), -1: ("langkah-1", 0)}
    outcomes = sop.outcomes(step)
    assert [(o.role, o.yes, o.no) for o in outcomes] == [
        ("Kabid", "lanjut ke Sekretaris", "kembali ke langkah 2"),
        ("Sekretaris", "lanjut ke Kepala Dinas", "kembali ke langkah 3 (Kabid)"),
        ("Kepala Dinas", "ke langkah 4", "kembali ke langkah 1"),
    ]


def test_an_open_tidak_is_information_and_drawn_as_a_labelled_exit(tmp_path: Path) -> None:
    catalogue = load_catalogue(_stress(tmp_path, "sub-langkah-dan-nomor"), tmp_path)
    assert catalogue.errors == []
    # The paper draws no Tidak line: information (a strict check passes), not a warning.
    assert not [p for p in catalogue.warnings if p.code == "open-branch"]
    [note] = [p for p in catalogue.information if p.code == "open-branch"]
    assert note.line == 18 and "jalan keluar Tidak digambar terbuka" in note.message
    assert note.format().startswith("sop_sources/sop/sub-langkah-dan-nomor.yaml:18:")
    assert ": informasi pada " in note.format()
    [sop] = catalogue.sops
    step = sop.step("pertama")
    assert step.no_branch is None and step.yes == "kedua"
    assert [o.no for o in sop.outcomes(step)] == ["lihat uraian kegiatan"]
    from generator.print.diagram import WEB_SPEC
    from generator.print.layout import layout_sheet

    [page] = layout_sheet(sop, WEB_SPEC)
    [stub] = [r for r in page.routes if r.kind == "tidak-terbuka"]
    assert stub.label == "Tidak" and len(stub.points) == 2
    # Short: it reaches no other symbol.
    assert abs(stub.points[1][0] - stub.points[0][0]) + abs(stub.points[1][1] - stub.points[0][1]) <= 16


def test_time_on_a_heading_row_counts_once_for_its_group(tmp_path: Path) -> None:
    catalogue = load_catalogue(_stress(tmp_path, "sub-langkah-dan-nomor"), tmp_path)
    [sop] = catalogue.sops
    # 1 (2 hari) + 3 over 3a-3c (1 hari) + 4 (2 hari) + 6 (untimed) + 6 (30 menit) + 7a (30) + 12 (1 jam)
    assert sop.total.minutes == 5 * 480 + 30 + 30 + 60
    assert sop.total.untimed == ("pertama",)


def test_a_total_under_a_working_day_reads_in_hours_and_minutes(write_sources: SourceWriter, tmp_path: Path) -> None:
    from .conftest import minimal_sop

    sources = write_sources({"pendek.yaml": minimal_sop("pendek")})
    portal = Portal(PortalSettings(root=tmp_path, sources=sources, use_cache=False))
    page = next(f.content for f in portal.generate() if f.path == "sop/pendek.md")
    assert isinstance(page, str)
    assert "<strong>1 jam 10 menit</strong>" in page and "hari kerja</strong>" not in page


def test_dates_printed_as_month_and_year_keep_their_precision() -> None:
    month = parse_date("Agustus 2023")
    year = parse_date("2023")
    assert month is not None and year is not None
    assert (month.precision, month.value, month.iso()) == (Precision.BULAN, dt.date(2023, 8, 31), "2023-08")
    assert (year.precision, year.value, year.iso()) == (Precision.TAHUN, dt.date(2023, 12, 31), "2023")
    assert parse_date("1 Pebruari 2024") is not None


def test_review_counts_from_the_end_of_the_month_it_names(write_sources: SourceWriter, tmp_path: Path) -> None:
    from .conftest import minimal_sop

    text = minimal_sop("bulan") + "tanggal_pembuatan: Agustus 2023\n"
    [sop] = load_catalogue(write_sources({"bulan.yaml": text}), tmp_path).sops
    assert sop.tanggal_pembuatan is not None and sop.tanggal_pembuatan.text == "Agustus 2023"
    policy = ReviewPolicy(evaluasi_bulan=12, monitoring_bulan=12)
    on_time = review_status(sop, policy, dt.date(2024, 8, 31))
    late = review_status(sop, policy, dt.date(2024, 9, 1))
    assert on_time.state is not ReviewState.TERLAMBAT and late.state is ReviewState.TERLAMBAT
    assert "Agustus 2024" in late.sentence() and "31 Agustus" not in late.sentence()


def test_the_form_as_the_office_printed_it(tmp_path: Path) -> None:
    from generator.print.layout import Shape, layout_sheet
    from generator.print.printing import PrintSettings
    from generator.print.sheet import labelled, render_sheet, sheet_spec
    from generator.templating import template_environment

    catalogue = load_catalogue(_stress(tmp_path, "cetak-seperti-kertas"), tmp_path)
    assert catalogue.errors == []
    [sop] = catalogue.sops
    assert sop.label("kualifikasi_pelaksana") == "Kualitas Pelaksana" and sop.label("nama_sop") == "Nama SOP"
    spec = labelled(sheet_spec("A4", 8), sop)
    pages = layout_sheet(sop, spec)
    # No capsules where the author drew none; the page turns where the paper turns it.
    assert not [s for page in pages for s in page.symbols if s.shape is Shape.TERMINATOR]
    assert [[r.key for r in page.rows if not r.is_strip] for page in pages][1][0] == "langkah-4a"
    assert [c.title for c in pages[0].columns][:2] == ["No", "AKTIVITAS"]
    sheet = render_sheet(sop, template_environment(), PrintSettings(root=tmp_path))
    assert "<th>Kualitas Pelaksana</th>" in sheet.html and "<th>Perlengkapan</th>" in sheet.html
    assert "Kualifikasi Pelaksana" not in sheet.html


def test_steps_per_page_works_both_ways(tmp_path: Path) -> None:
    """More rows per page when they fit, fewer when asked; never more pages than needed."""
    from generator.print.layout import layout_sheet
    from generator.print.sheet import sheet_spec

    catalogue = load_catalogue(_stress(tmp_path, "empat-puluh-langkah"), tmp_path)
    [sop] = catalogue.sops

    def rows_per_page(steps: int) -> list[int]:
        pages = layout_sheet(sop, sheet_spec("A4", steps))
        return [len([r for r in page.rows if not r.is_strip]) for page in pages]

    fewer, default, more = rows_per_page(4), rows_per_page(8), rows_per_page(12)
    assert sum(fewer) == sum(default) == sum(more) == 40
    assert max(fewer) == 4 and len(fewer) == 10
    assert max(default) == 8 and len(default) == 5
    # 12 rows of this SOP fit an A4 page only where no decision row makes it taller.
    assert max(more) > 8 and len(more) < len(default)


def test_numbers_are_read_the_indonesian_way() -> None:
    from generator.model.durations import parse_duration

    assert parse_duration("1.000 menit").minutes == 1000  # a thousand, not one
    assert parse_duration("2.500 menit").minutes == 2500
    assert parse_duration("12.000,5 menit").minutes == 12000.5
    assert parse_duration("1,5 jam").minutes == 90
    assert parse_duration("1.5 jam").minutes == 90  # one digit after the point: a decimal


def test_an_implausible_duration_is_a_warning_at_its_line(write_sources: SourceWriter, tmp_path: Path) -> None:
    from .conftest import minimal_sop

    text = (
        minimal_sop("lama")
        .replace("waktu: 1 jam", "waktu: 99999 hari")
        .replace("waktu: 10 menit", "waktu: 1.000 menit")
    )
    catalogue = load_catalogue(write_sources({"lama.yaml": text}), tmp_path)
    assert catalogue.errors == []
    [warning] = [p for p in catalogue.warnings if p.code == "implausible-duration"]
    assert warning.line == 16 and "99999 hari" in (warning.found or "")
    [sop] = catalogue.sops
    assert sop.step("langkah-1").waktu is not None and sop.step("langkah-1").waktu.minutes == 1000


def test_a_source_ending_in_capital_yaml_is_read(write_sources: SourceWriter, tmp_path: Path) -> None:
    from .conftest import minimal_sop

    sources = write_sources({"BESAR.YAML": minimal_sop("besar")})
    assert [sop.id for sop in load_catalogue(sources, tmp_path).sops] == ["besar"]
