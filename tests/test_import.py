"""Bringing existing SOPs in: `impor` from copied text and from Word, the editable Word
sheet and its round trip, and what a file that cannot be read is told."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
import yaml
from docx.oxml import parse_xml
from hypothesis import HealthCheck, given, settings

from benchmarks.import_seeds import SEEDS, agreement, transcriptions
from generator.model.sop import Sop
from generator.office.word import render_word
from generator.site import SiteLayout
from generator.sources.catalogue import load_catalogue
from generator.sources.documents import load_documents
from generator.sources.importing import check_text, draft_of, summarise
from generator.sources.importing.compare import compare
from generator.sources.importing.emit import to_yaml
from generator.sources.sop import build_sop
from generator.sources.yaml_reader import read_yaml

from .conftest import ROOT
from .test_properties import sops

STRESS = Path(__file__).parent / "cases" / "stress"
ENV = {"PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}


def _impor(project: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), "impor", *map(str, files)],
        capture_output=True,
        text=True,
        cwd=project,
        env=ENV,
    )


def _check(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), "check", "--strict"],
        capture_output=True,
        text=True,
        cwd=project,
        env=ENV,
    )


@pytest.fixture
def empty_project(project_copy: Path) -> Path:
    """The project with no SOP sources (documents and settings kept)."""
    for source in (project_copy / "sop_sources" / "sop").glob("*.yaml"):
        source.unlink()
    return project_copy


def _sop_of(text: str, name: str = "draf") -> Sop:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        doc, problems = read_yaml(path, name)
        assert doc is not None, [p.format() for p in problems]
        sop, built = build_sop(doc, name, ROOT)
        errors = [p.format() for p in problems + built if p.is_error]
        assert sop is not None and not errors, errors
        return sop


def _round_trip(sop: Sop, folder: Path) -> tuple[Sop, str]:
    path = folder / f"{sop.id}.docx"
    # Linked as the portal links them: the SOP's workbook, named after the SOP.
    path.write_bytes(render_word(sop, link=lambda d: f"https://sop.contoh.go.id/{SiteLayout().workbook(d, sop)}"))
    draft = draft_of(path, load_documents(ROOT / "sop_sources", str))
    text = to_yaml(draft, path.name, summarise(draft))
    return _sop_of(text), text


def _differences(got: Sop, want: Sop) -> list[Any]:
    fields = [(f.name, f.got, f.want) for f in compare(got, want) if not f.ok]
    flows = [
        (a.no, a.branches, a.performance, b.branches, b.performance)
        for a, b in zip(got.langkah, want.langkah, strict=True)
        if (a.branches, a.performance, a.symbol_kinds, a.parent is None)
        != (b.branches, b.performance, b.symbol_kinds, b.parent is None)
    ]
    return fields + flows


# -- copied text ---------------------------------------------------------------------------


def test_the_seed_texts_import_as_drafts_that_pass_check(empty_project: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    result = _impor(empty_project, *seeds)
    drafts = sorted((empty_project / "sop_sources" / "sop").glob("*.yaml"))
    assert len(drafts) == 4, result.stdout + result.stderr
    assert result.returncode == 1  # the OCR'd seed has no procedure table that can be read
    assert (
        "003_5dcb6f9600327a09.txt: galat: bukan SOP AP yang dapat dibaca: tidak ditemukan tabel prosedur"
        in result.stderr
    )
    assert "4 draf ditulis, 1 berkas gagal" in result.stdout
    checked = _check(empty_project)
    assert checked.returncode == 0, checked.stderr
    assert "4 SOP valid; 0 galat, 0 peringatan" in checked.stdout
    pace = next(d for d in drafts if d.name.startswith("pace")).read_text(encoding="utf-8")
    # The header says what to check, and each guess is a comment at its field.
    assert "# Draf hasil impor dari" in pace and "#   - pelaksana: tebakan" in pace
    assert "    # tebakan: tidak ada simbol di kolom pelaksana" in pace


def test_the_import_agrees_with_the_hand_transcription() -> None:
    """Field by field against `sop_sources/sop/`; the report is `python -m benchmarks.import_seeds`."""
    found = transcriptions()
    assert len(found) == 5
    rates = {}
    for seed, hand in found.items():
        fields, _problems = agreement(SEEDS / seed, hand)
        rates[hand.stem] = sum(f.ok for f in fields) / len(fields)
        if hand.stem == "bangsal-pengumpulan-data-kinerja":  # a clean Word extraction: identity exact
            wrong = {f.name for f in fields if not f.ok}
            assert not wrong & {"nama_sop", "nomor_sop", "pemerintah", "instansi", "alamat", "disahkan_oleh.nip"}
            assert not [name for name in wrong if name.endswith((".pelaksana", ".waktu", ".kegiatan"))]
    importable = [rate for stem, rate in rates.items() if stem != "pengumpulan-data-kinerja-lkj"]
    assert min(importable) >= 0.85, rates
    assert rates["pengumpulan-data-kinerja-lkj"] == 0  # refused, never half-read


def test_an_existing_source_is_never_overwritten(empty_project: Path) -> None:
    seed = SEEDS / "000_f63ec03449fea3d7.txt"
    assert _impor(empty_project, seed).returncode == 0
    draft = next((empty_project / "sop_sources" / "sop").glob("*.yaml"))
    draft.write_text(draft.read_text(encoding="utf-8") + "# disunting petugas\n", encoding="utf-8")
    again = _impor(empty_project, seed)
    assert again.returncode == 1
    assert "sudah ada dan tidak akan ditimpa" in again.stderr
    assert draft.read_text(encoding="utf-8").endswith("# disunting petugas\n")


def test_files_that_cannot_be_read_get_a_clear_message(empty_project: Path, tmp_path: Path) -> None:
    broken = tmp_path / "rusak.docx"
    broken.write_bytes(b"PK\x03\x04 bukan zip sungguhan")
    fake = tmp_path / "bukan-word.docx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("isi.txt", "halo")
    letter = tmp_path / "surat.txt"
    letter.write_text("Dengan hormat,\nbersama ini kami sampaikan undangan rapat.\n", encoding="utf-8")
    odd = tmp_path / "sop.pdf"
    odd.write_bytes(b"%PDF-1.7")
    result = _impor(empty_project, broken, fake, letter, odd)
    assert result.returncode == 1
    assert f"{broken}: galat: berkas tidak dapat diimpor: bukan berkas Word .docx yang utuh" in result.stderr
    assert f"{fake}: galat: berkas tidak dapat diimpor: bukan berkas Word .docx yang utuh" in result.stderr
    assert f"{letter}: galat: bukan SOP AP yang dapat dibaca: tidak ditemukan tabel prosedur" in result.stderr
    assert f"{odd}: galat: berkas tidak dapat diimpor: bukan berkas PDF yang utuh" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((empty_project / "sop_sources" / "sop").glob("*.yaml"))


# -- Word ----------------------------------------------------------------------------------


def _stress_and_seeds(tmp_path: Path) -> list[Sop]:
    sources = tmp_path / "sumber"
    shutil.copytree(ROOT / "sop_sources", sources)
    for case in STRESS.glob("*.yaml"):
        shutil.copy(case, sources / "sop" / case.name)
    catalogue = load_catalogue(sources, tmp_path)
    assert not catalogue.errors, [p.format() for p in catalogue.errors]
    return list(catalogue.sops)


def test_the_word_sheet_reads_back_as_the_same_sop(tmp_path: Path) -> None:
    """Every seed and every stress case (twelve roles, forty steps, three decisions in a
    row, sub-steps, repeated numbers): exported to Word and imported, field for field and
    arrow for arrow."""
    every = _stress_and_seeds(tmp_path)
    assert len(every) >= 11
    for sop in every:
        got, text = _round_trip(sop, tmp_path)
        assert _differences(got, sop) == [], (sop.id, text)


def test_a_workbook_link_names_its_document_whatever_sop_it_is_named_after() -> None:
    """The portal names an SOP's workbook ``<sop-id>-<document-id>.xlsx``: the importer finds
    the document in that name (the longest id it ends with), in the blank template's name,
    and in nothing else."""
    from generator.sources.importing.draft import _linked_document

    ids = {"lembar-disposisi", "disposisi", "lke-akip"}
    assert _linked_document("https://x.go.id/unduh/pace-sop/pace-sop-lembar-disposisi.xlsx", ids) == "lembar-disposisi"
    assert _linked_document("pace-sop-disposisi.xlsx?v=1#a", ids) == "disposisi"
    assert _linked_document("../templat/lke-akip.xlsx", ids) == "lke-akip"
    assert _linked_document("pace-sop-lke-akip.pdf", ids) == ""
    assert _linked_document("pace-sop-lainnya.xlsx", ids) == ""
    assert _linked_document("akip.xlsx", ids) == ""


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=sops())
def test_any_valid_sop_survives_the_word_round_trip(source: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        sop = _sop_of(yaml.safe_dump(source, allow_unicode=True), "acak")
        got, text = _round_trip(sop, Path(folder))
        assert _differences(got, sop) == [], text


def test_the_word_sheet_has_native_shapes_in_the_performers_cells(tmp_path: Path) -> None:
    sop = next(s for s in _stress_and_seeds(tmp_path) if s.id == "tiga-keputusan-sebaris")
    document = docx.Document(_write(tmp_path / "lembar.docx", render_word(sop)))
    procedure = document.tables[-1]
    headers = [cell.text for cell in procedure.rows[1].cells]
    row = next(r for r in procedure.rows if r.cells[0].text == "3")
    shapes = {
        headers[i]: [
            g.get("prst")
            for g in cell._tc.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}prstGeom")
            if g.get("prst") != "rect"  # the Ya/Tidak labels are text boxes
        ]
        for i, cell in enumerate(row.cells)
    }
    assert shapes["Kabid"] == ["flowChartDecision"] and shapes["Sekretaris"] == ["flowChartDecision"]
    assert shapes["Kepala Dinas"] == ["flowChartDecision"] and shapes["Pegawai"] == []
    first = next(r for r in procedure.rows if r.cells[0].text == "1")
    assert "flowChartTerminator" in first._tc.xml if hasattr(first, "_tc") else "flowChartTerminator" in first._tr.xml


def test_the_word_sheet_opens_in_libreoffice_as_the_official_layout(tmp_path: Path) -> None:
    """LibreOffice reads the package the portal writes (no python-docx behind it): the
    identity page, then the procedure, landscape, with the sheet's text and its decisions."""
    sop = next(s for s in _stress_and_seeds(tmp_path) if s.id == "tiga-keputusan-sebaris")
    sheet = _write(tmp_path / "lembar.docx", render_word(sop, link=lambda d: f"https://sop.contoh.go.id/{d}.xlsx"))
    profile = tmp_path / "lo"
    convert = ["--convert-to", "pdf", "--outdir", str(tmp_path), str(sheet)]
    result = subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}", *convert],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pdf = pypdf.PdfReader(tmp_path / "lembar.pdf")
    assert len(pdf.pages) >= 2
    assert all(page.mediabox.width > page.mediabox.height for page in pdf.pages)  # landscape
    identity, procedure = (" ".join(page.extract_text().split()) for page in pdf.pages[:2])
    assert sop.nomor in identity and sop.disahkan_oleh.nama in identity
    assert "Pelaksana" in procedure and "Mutu Baku" in procedure
    assert all(role in procedure for role in ("Kabid", "Sekretaris", "Pegawai"))
    assert procedure.count("Tidak") == 3 and procedure.count("Ya") >= 3  # each decision's lines labelled


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _office_sheet(path: Path, shapes: dict[tuple[int, str], str | list[str]]) -> Path:
    """A procedure table as offices draw it in Word, with no help from the portal: ``shapes``
    puts raw DrawingML or VML into (step, role) cells."""
    document = docx.Document()
    document.add_paragraph("Nama SOP: Pelayanan Surat Keterangan")
    document.add_paragraph("Nomor SOP: 470/12/2025")
    roles = ["Pemohon", "Petugas", "Kasi Pelayanan", "Camat"]
    table = document.add_table(rows=2, cols=2 + len(roles) + 4)
    head = ["No", "Kegiatan", "Pelaksana", "", "", "", "Mutu Baku", "", "", "Keterangan"]
    names = ["", "", *roles, "Kelengkapan", "Waktu", "Output", ""]
    for index, text in enumerate(head):
        table.rows[0].cells[index].text = text
    for index, text in enumerate(names):
        table.rows[1].cells[index].text = text
    steps = [
        ("1", "Mengajukan permohonan", "Formulir", "5 menit", "Berkas"),
        ("2", "Memeriksa kelengkapan berkas", "Berkas", "10 menit", "Berkas lengkap"),
        ("3", "Menandatangani surat keterangan", "Konsep surat", "1 hari", "Surat keterangan"),
    ]
    for no, activity, needs, time, output in steps:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[6].text, cells[7].text, cells[8].text = no, activity, needs, time, output
        for (step, role), drawn in shapes.items():
            if step == int(no):
                for xml in [drawn] if isinstance(drawn, str) else drawn:
                    cells[2 + roles.index(role)].paragraphs[0]._p.append(parse_xml(xml))
    document.save(path)
    return path


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DRAWING = (
    f'<w:r {W} xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
    '<wp:anchor><wp:docPr id="1" name="Flowchart"/><a:graphic><a:graphicData '
    'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:spPr>'
    '<a:prstGeom prst="{prst}"/></wps:spPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>'
    '</mc:Choice><mc:Fallback><w:pict><v:shape type="#_x0000_t109"/></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
)
VML = (
    f'<w:r {W} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
    '<v:shape type="#_x0000_t{spt}" style="width:40pt;height:20pt"/></w:pict></w:r>'
)


def test_shapes_drawn_in_word_say_who_performs_each_step(tmp_path: Path) -> None:
    """DrawingML (with its VML fallback counted once) and old-style VML shapes."""
    sheet = _office_sheet(
        tmp_path / "kantor.docx",
        {
            (1, "Pemohon"): DRAWING.format(prst="flowChartTerminator"),
            (2, "Petugas"): VML.format(spt=109),
            (2, "Kasi Pelayanan"): VML.format(spt=110),
            (3, "Camat"): DRAWING.format(prst="flowChartProcess"),
        },
    )
    draft = draft_of(sheet, load_documents(ROOT / "sop_sources", str))
    steps = draft.data["langkah"]
    assert [s.get("pelaksana") for s in steps] == ["Pemohon", None, "Camat"]
    assert steps[1]["rantai"] == ["Petugas", "Kasi Pelayanan"]  # the diamond is the last: the step decides
    # No line is drawn from the diamond: its Tidak stays open, never an invented target.
    assert steps[1]["jenis"] == "keputusan" and steps[1]["ya"] == 3 and "tidak" not in steps[1]
    assert "Tidak: garisnya tidak tergambar" in draft.notes[("langkah", 1, "jenis")]
    assert draft.data["nama_sop"] == "Pelayanan Surat Keterangan" and draft.data["nomor_sop"] == "470/12/2025"
    text = to_yaml(draft, sheet.name, summarise(draft))
    assert not [p for p in check_text(text, "draf.yaml", ROOT) if p.is_error]
    assert "# beberapa simbol dalam satu baris: dibaca berurutan dari kiri ke kanan" in text


def _shape(prst: str, shape_id: int) -> str:
    return DRAWING.format(prst=prst).replace('<wp:docPr id="1"', f'<wp:docPr id="{shape_id}"')


CONNECTOR = (
    f'<w:r {W} xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:drawing><wp:anchor>'
    '<wp:docPr id="{own}" name="Panah"/><a:graphic><a:graphicData '
    'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
    '<wps:cNvCnPr><a:stCxn id="{start}" idx="2"/><a:endCxn id="{end}" idx="0"/></wps:cNvCnPr>'
    '<wps:spPr><a:prstGeom prst="bentConnector3"/></wps:spPr></wps:wsp></a:graphicData></a:graphic>'
    "</wp:anchor></w:drawing></w:r>"
)


def test_arrows_glued_to_the_symbols_give_the_decision_its_way_back(tmp_path: Path) -> None:
    """A connector whose ends are glued to two symbols (``a:stCxn``/``a:endCxn``) says where
    the decision's No goes: read from the drawing, not guessed."""
    sheet = _office_sheet(
        tmp_path / "panah.docx",
        {
            (1, "Pemohon"): _shape("flowChartTerminator", 10),
            (2, "Kasi Pelayanan"): [
                _shape("flowChartDecision", 20),
                CONNECTOR.format(own=30, start=20, end=10),
                CONNECTOR.format(own=31, start=20, end=40),
            ],
            (3, "Camat"): _shape("flowChartProcess", 40),
        },
    )
    draft = draft_of(sheet, load_documents(ROOT / "sop_sources", str))
    decision = draft.data["langkah"][1]
    assert decision["pelaksana"] == "Kasi Pelayanan" and decision["jenis"] == "keputusan"
    assert decision["tidak"] == 1 and decision["ya"] == 3
    assert draft.notes[("langkah", 1, "tidak")] == "dibaca dari panah yang digambar ke langkah 1"
    assert "tebakan" not in " ".join(draft.notes.values())
