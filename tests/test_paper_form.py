"""SOPs written as other offices' signed papers print them (tests/cases/paper/satpolpp-*,
diskominfo-*): the letterhead's lines, the signer's title over two lines with its comma, labels
in the case printed, legal bases numbered 1, 3, 4, 5, a single item numbered or not as on
paper, time written "Waktu Tentatif sesuai Per UU", an open Tidak, and the checklist's
Keterangan. Read back from the real PDFs and pages; the strict check passes on them."""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.model.sop import Numbering, Sop
from generator.pipeline.portal import Portal, PortalSettings
from generator.print.checklist import render_checklist
from generator.print.printing import PrintSettings
from generator.print.sheet import render_sheet
from generator.site import SiteLayout
from generator.sources.catalogue import Catalogue, load_catalogue
from generator.templating import template_environment
from generator.web.pages import render_sop_page

from .conftest import ROOT, run_python

PAPER = Path(__file__).parent / "cases" / "paper"
SATPOL = "satpolpp-kalbar-pengaduan"
KOMINFO = "diskominfo-kuburaya-informasi-publik"
ENV = template_environment()


def _sources(folder: Path) -> Path:
    sources = folder / "sop_sources"
    (sources / "sop").mkdir(parents=True)
    for name in (SATPOL, KOMINFO):
        shutil.copy(PAPER / f"{name}.yaml", sources / "sop")
    shutil.copytree(ROOT / "sop_sources" / "dokumen", sources / "dokumen")
    return sources


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("paper")
    _sources(folder)
    return folder


@pytest.fixture(scope="module")
def catalogue(root: Path) -> Catalogue:
    return load_catalogue(root / "sop_sources", root)


def _lines(data: bytes) -> list[list[str]]:
    """Each page's text lines, spaces squeezed."""
    pages = PdfReader(io.BytesIO(data)).pages
    return [[" ".join(line.split()) for line in (page.extract_text() or "").splitlines()] for page in pages]


@pytest.fixture(scope="module")
def sheets(catalogue: Catalogue, root: Path) -> dict[str, list[list[str]]]:
    return {s.id: _lines(render_sheet(s, ENV, PrintSettings(root=root)).pdf.data) for s in catalogue.sops}


def test_the_papers_read_without_errors_or_warnings(catalogue: Catalogue) -> None:
    assert catalogue.errors == [] and catalogue.warnings == []
    # Each paper leaves one Tidak open: information at its line, nothing to fix.
    notes = sorted((p.file.rsplit("/", 1)[-1], p.line, p.code) for p in catalogue.information)
    assert notes == [(f"{KOMINFO}.yaml", 63, "open-branch"), (f"{SATPOL}.yaml", 76, "open-branch")]
    sop = catalogue.get(SATPOL)
    assert sop.kop == (
        "PEMERINTAH PROVINSI KALIMANTAN BARAT",
        "SATUAN POLISI PAMONG PRAJA",
        "Bidang Ketertiban Umum dan Ketenteraman Masyarakat",
        "Seksi Operasi dan Pengendalian",
    )
    assert sop.instansi == "SATUAN POLISI PAMONG PRAJA"  # still what the portal groups by
    signer = sop.disahkan_oleh
    assert signer.jabatan_lines == ("KEPALA SATUAN POLISI PAMONG PRAJA", "PROVINSI KALIMANTAN BARAT,")
    assert signer.jabatan == "KEPALA SATUAN POLISI PAMONG PRAJA PROVINSI KALIMANTAN BARAT,"
    assert sop.item_numbers("dasar_hukum") == (1, 3, 4, 5)
    assert sop.item_numbers("peringatan") == (1,) and sop.item_numbers("pencatatan_pendataan") is None
    assert sop.item_numbers("peralatan_perlengkapan") == (1, 2, 3)
    assert sop.printed_label("nomor_sop") == "NOMOR SOP"
    assert sop.printed_label("kualifikasi_pelaksana") == "Kualifikasi Pelaksana :"
    assert sop.printed_label("dasar_hukum") == "DASAR HUKUM" and sop.label("dasar_hukum") == "Dasar Hukum"
    # A time the office wrote as not fixed has no minutes; the total leaves it out and says so.
    waktu = sop.step("langkah-7").waktu
    assert waktu is not None and waktu.deliberate and waktu.minutes is None
    assert sop.total.untimed == ("langkah-7",)
    other = catalogue.get(KOMINFO)
    # A title written as a block of two lines is two printed lines as well.
    assert other.disahkan_oleh.jabatan_lines == ("KEPALA DINAS KOMUNIKASI DAN INFORMATIKA", "KABUPATEN KUBU RAYA,")
    assert dict(other.numbering) == {"dasar_hukum": Numbering.TANPA, "kualifikasi_pelaksana": Numbering.TANPA}
    assert other.item_numbers("dasar_hukum") is None and other.item_numbers("keterkaitan") == (1,)
    assert other.item_numbers("peringatan") == (1, 2)


def test_a_plain_source_keeps_the_official_form(catalogue: Catalogue) -> None:
    plain = Sop(
        id="x",
        source="x.yaml",
        fingerprint="0",
        nama="X",
        pemerintah="Pemerintah Kabupaten Uji",
        instansi="Kecamatan Uji",
        dasar_hukum=("UU 1",),
        peringatan=("Satu peringatan",),
    )
    assert plain.kop_lines == ("PEMERINTAH KABUPATEN UJI", "KECAMATAN UJI")
    assert plain.item_numbers("dasar_hukum") == (1,)  # a single entry printed "1."
    assert plain.item_numbers("peringatan") is None  # a single warning printed as a sentence
    assert plain.item_numbers("keterkaitan") is None  # nothing to number
    assert plain.printed_label("nomor_sop") == "Nomor SOP" and plain.printed_label("mutu_baku") == "MUTU BAKU"
    assert plain.disahkan_oleh.title_lines == ()


def test_the_sheet_prints_the_identity_as_the_paper(sheets: dict[str, list[list[str]]]) -> None:
    first = sheets[SATPOL][0]
    kop = first.index("PEMERINTAH PROVINSI KALIMANTAN BARAT")
    assert first[kop : kop + 4] == [
        "PEMERINTAH PROVINSI KALIMANTAN BARAT",
        "SATUAN POLISI PAMONG PRAJA",
        "Bidang Ketertiban Umum dan Ketenteraman Masyarakat",  # as written, not in capitals
        "Seksi Operasi dan Pengendalian",
    ]
    # The signer's title on two lines, its comma kept, then the signature's name.
    title = first.index("DISAHKAN OLEH KEPALA SATUAN POLISI PAMONG PRAJA")
    assert first[title + 1] == "PROVINSI KALIMANTAN BARAT,"
    assert first[title + 2] == "Drs. ALOYSIUS SAHAT, M.Si"
    # Labels in the case the paper prints them.
    for line in ("NOMOR SOP 300.1/045/SATPOL-PP/2023", "TGL. PEMBUATAN 2 Januari 2023", "TGL. EFEKTIF 2 Januari 2023"):
        assert line in first
    assert "DASAR HUKUM Kualifikasi Pelaksana :" in first
    assert not any("Nomor SOP 300.1" in line for line in first[1:])
    # The legal bases numbered 1, 3, 4, 5 as printed: no 2.
    numbered = [line for line in first if line[:2] in {"1.", "2.", "3.", "4.", "5."}]
    assert numbered[:4] == [
        "1. Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
        "3. Peraturan Pemerintah Nomor 16 Tahun 2018 tentang Satuan Polisi Pamong Praja",
        "4. Peraturan Menteri Dalam Negeri Nomor 26 Tahun 2020 tentang Penyelenggaraan Ketertiban",
        "5. Peraturan Daerah Provinsi Kalimantan Barat Nomor 4 Tahun 2019 tentang Ketertiban Umum dan",
    ]
    # The single warning printed "1.", the single record printed without a number.
    assert any(line.startswith("1. Apabila SOP ini tidak dilaksanakan") for line in first)
    assert "Pengaduan dicatat dan disimpan secara manual dan elektronik" in first
    # The time as the office wrote it, in the Waktu cell of its row.
    procedure = " ".join(" ".join(page) for page in sheets[SATPOL][1:])
    assert "Waktu Tentatif sesuai Per UU" in procedure


def test_the_sheet_prints_unnumbered_lists_and_the_official_labels(sheets: dict[str, list[list[str]]]) -> None:
    first = sheets[KOMINFO][0]
    kop = first.index("PEMERINTAH KABUPATEN KUBU RAYA")
    assert first[kop + 1 : kop + 3] == ["DINAS KOMUNIKASI DAN INFORMATIKA", "Jalan Arteri Supadio Km 11,7 Sungai Raya"]
    title = first.index("Disahkan oleh KEPALA DINAS KOMUNIKASI DAN INFORMATIKA")
    assert first[title + 1] == "KABUPATEN KUBU RAYA,"
    assert "Nomor SOP 000.9/12/DKI-PPID/2024" in first and "DASAR HUKUM KUALIFIKASI PELAKSANA" in first
    # The single legal basis and the qualifications carry no number, as on paper (the two
    # columns of the grid read side by side) ...
    assert (
        "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik "
        "Memahami Undang-Undang Keterbukaan Informasi Publik"
    ) in first
    assert "Mampu mengoperasikan komputer" in first
    # ... the other lists keep the official numbers, a single entry "1." too.
    assert "1. SOP Penanganan Keberatan atas Informasi Publik 1. Komputer dan printer" in first
    assert "1. Register permohonan informasi publik" in first
    assert "2. Informasi yang dikecualikan tidak boleh diberikan" in first


def test_the_checklist_carries_the_keterangan_and_the_signers_lines(catalogue: Catalogue, root: Path) -> None:
    sop = catalogue.get(SATPOL)
    pages = _lines(render_checklist(sop, ENV, PrintSettings(root=root)).data)
    text = " ".join(" ".join(page) for page in pages)
    assert "Keterangan" in text
    # The decision's note on its Tidak, and a process step's note, from the Keterangan column.
    assert "Tidak: diteruskan kepada instansi berwenang" in text
    assert "Melalui telepon atau surat" in text
    # The signature block: the title over its two lines, on the page of the last step.
    last = pages[-1]
    title = last.index("KEPALA SATUAN POLISI PAMONG PRAJA")
    assert last[title + 1] == "PROVINSI KALIMANTAN BARAT,"
    assert any("Menerima laporan dan" in line for line in last)
    other = catalogue.get(KOMINFO)
    text = " ".join(" ".join(p) for p in _lines(render_checklist(other, ENV, PrintSettings(root=root)).data))
    assert "Tidak dikuasai: pemohon diberi tahu instansi yang menguasai" in text


def test_the_page_shows_the_form_as_printed(root: Path) -> None:
    portal = Portal(PortalSettings(root=root, sources=root / "sop_sources", use_cache=False))
    sop = portal.catalogue.get(SATPOL)
    page = render_sop_page(sop, portal.catalogue, portal.env, SiteLayout(), context=portal.views.context(sop))
    assert (
        '<p class="sop-org sop-org--kop">PEMERINTAH PROVINSI KALIMANTAN BARAT<br> SATUAN POLISI PAMONG PRAJA<br> '
        "Bidang Ketertiban Umum dan Ketenteraman Masyarakat<br> Seksi Operasi dan Pengendalian</p>"
    ) in page
    assert "KEPALA SATUAN POLISI PAMONG PRAJA<br> PROVINSI KALIMANTAN BARAT,</span>" in page
    assert '<th scope="row">NOMOR SOP</th>' in page
    # The paper's numbers kept (a Markdown list would renumber them 1, 2, 3, 4).
    assert '<ol class="sop-as-printed" markdown>' in page
    values = [line.split('"')[1] for line in page.splitlines() if line.startswith("<li value=")]
    assert values == ["1", "3", "4", "5"]
    assert "    1. Apabila SOP ini tidak dilaksanakan" in page  # the single warning numbered
    assert "langkah 7 yang waktunya tidak tetap tidak dihitung" in page
    other = portal.catalogue.get(KOMINFO)
    page = render_sop_page(other, portal.catalogue, portal.env, SiteLayout(), context=portal.views.context(other))
    # Printed without numbers: paragraphs, not a list.
    assert "\nMemahami Undang\\-Undang Keterbukaan Informasi Publik\n\nMampu mengoperasikan komputer\n" in page


def test_the_papers_pass_the_strict_check_and_build(project_copy: Path) -> None:
    """`make check` on SOPs written as their papers are: an open Tidak and "Waktu Tentatif
    sesuai Per UU" are no warnings, so the strict check and the strict build pass."""
    for name in (SATPOL, KOMINFO):
        shutil.copy(PAPER / f"{name}.yaml", project_copy / "sop_sources" / "sop")
    checked = run_python("generator", "--root", str(project_copy), "check", "--strict")
    assert checked.returncode == 0, checked.stderr[-2000:]
    assert "7 SOP valid; 0 galat, 0 peringatan, 2 informasi" in checked.stdout
    assert f"sop_sources/sop/{SATPOL}.yaml:76:5: informasi pada `langkah ke-3 (no. 3)`" in checked.stderr
    built = run_python(
        "generator", "--root", str(project_copy), "build", "--strict", "--site-dir", str(project_copy / "site")
    )
    assert built.returncode == 0, built.stderr[-3000:]
    page = (project_copy / "site" / "sop" / SATPOL / "index.html").read_text(encoding="utf-8")
    assert '<li value="3">' in page and "PROVINSI KALIMANTAN BARAT," in page


def test_the_checklist_letters_a_steps_items_as_the_sheet_does(catalogue: Catalogue, root: Path) -> None:
    """A step's items (``butir``) print a., b., c. under its Kegiatan: the print stylesheet
    draws no list markers, so the letters are the text's own."""
    sop = catalogue.get(SATPOL)
    first = dataclasses.replace(sop.langkah[0], butir=("Surat pengaduan", "Salinan KTP pelapor"))
    sop = dataclasses.replace(sop, langkah=(first, *sop.langkah[1:]))
    text = " ".join(" ".join(page) for page in _lines(render_checklist(sop, ENV, PrintSettings(root=root)).data))
    assert "a. Surat pengaduan" in text and "b. Salinan KTP pelapor" in text
