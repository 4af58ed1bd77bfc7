"""The editable Word sheet ("Unduh Word") as an office works with it: the flow drawn with
lines Word can move, each Ya/Tidak line labelled, every symbol inside its lane and no word
broken (read back from LibreOffice's rendering); and the sheet edited in Word and brought back
with ``impor``, which shows the change and writes it into the same SOP only when asked."""

from __future__ import annotations

import dataclasses
import difflib
import io
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from generator.model.sop import BranchKind, Performance, Sop, StepKind
from generator.office.word import render_word
from generator.office.word_layout import columns, header, lane_titles, layout
from generator.site import SiteLayout
from generator.sources.catalogue import load_catalogue
from generator.sources.documents import load_documents
from generator.sources.importing import draft_of, import_file, summarise
from generator.sources.importing.emit import to_yaml
from generator.sources.importing.update import source_data

from .conftest import ROOT
from .test_import import _differences, _round_trip, _sop_of

CASES = Path(__file__).parent / "cases"
SOURCES = [
    *sorted((ROOT / "sop_sources" / "sop").glob("*.yaml")),
    *sorted((CASES / "stress").glob("*.yaml")),
    *sorted((CASES / "offices").glob("*.yaml")),
    *sorted((CASES / "word").glob("*.yaml")),
    *sorted((CASES / "paper").glob("*.yaml")),
]
"""Every seed, the stress corpus, the other offices' SOPs, the Word cases and the SOPs written
as their signed papers are."""
TODAY = "3 Desember 2026"
ENV = {"PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1796256000"}
"""The import's date is the build date: 3 Desember 2026 (SOURCE_DATE_EPOCH)."""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project whose sources hold every SOP of :data:`SOURCES`, one with a logo."""
    target = tmp_path_factory.mktemp("word") / "proj"
    target.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    for folder in ("docs", "overrides", "sop_sources"):
        shutil.copytree(ROOT / folder, target / folder)
    for source in SOURCES:
        shutil.copy(source, target / "sop_sources" / "sop" / source.name)
    (target / "sop_sources" / "logo").mkdir()
    Image.new("RGB", (40, 40), "navy").save(target / "sop_sources" / "logo" / "lambang.png")
    seven = target / "sop_sources" / "sop" / "tujuh-pelaksana.yaml"
    seven.write_text(
        seven.read_text(encoding="utf-8").replace(
            "id: tujuh-pelaksana\n", "id: tujuh-pelaksana\nlogo: ../logo/lambang.png\n"
        ),
        encoding="utf-8",
    )
    return target


def _catalogue(project: Path) -> list[Sop]:
    catalogue = load_catalogue(project / "sop_sources", project)
    assert not catalogue.errors, [p.format() for p in catalogue.errors]
    return list(catalogue.sops)


def _sheet(sop: Sop, path: Path) -> Path:
    """The sheet as the portal publishes it (document items linked to the SOP's workbooks)."""
    path.write_bytes(render_word(sop, link=lambda d: f"https://sop.contoh.go.id/{SiteLayout().workbook(d, sop)}"))
    return path


def _edit_activity(path: Path, number: str, old: str, new: str) -> None:
    """Type over a step's Kegiatan in Word (python-docx, as a clerk's edit is saved)."""
    document = docx.Document(str(path))
    for table in document.tables:
        for row in table.rows:
            if row.cells[0].text.strip() == number and row.cells[1].text.strip() == old:
                paragraph = row.cells[1].paragraphs[0]
                for run in paragraph.runs[1:]:
                    run._r.getparent().remove(run._r)
                paragraph.runs[0].text = new
                document.save(str(path))
                return
    raise AssertionError(f"langkah {number} tidak ada di lembar")


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), *args],
        capture_output=True,
        text=True,
        cwd=project,
        env=ENV,
        check=False,
    )


# -- edit in Word, bring it back ----------------------------------------------------------


def test_every_sop_comes_back_from_word_with_only_its_edit(project: Path, tmp_path: Path) -> None:
    """Every seed, stress case, other office's SOP and Word case: the sheet exported, one
    step's text edited, imported. Without --perbarui nothing is written and the difference
    names that step and field; with it, the source is the original but for that line, a
    revision proposed in `riwayat` (and `tanggal_revisi` with it): its id, history, review
    periods, links, logo, title above the table and comments kept. Then `check --strict`
    passes on the whole portal."""
    sops = _catalogue(project)
    documents = load_documents(project / "sop_sources", str)
    names = {source.name for source in SOURCES}
    done = 0
    for sop in sops:
        target = project / sop.source
        if target.name not in names:
            continue
        step = [s for s in sop.flow_steps][len(sop.flow_steps) // 2]
        sheet = _sheet(sop, tmp_path / f"{sop.id}.docx")
        edited = f"{step.kegiatan} dan mencatatnya"
        _edit_activity(sheet, step.no, step.kegiatan, edited)
        before = target.read_text(encoding="utf-8")

        shown = import_file(
            sheet, project / "sop_sources", project, documents, sheet.name, originals=lambda: sops, today=TODAY
        )
        assert shown.ok and not shown.updated, (sop.id, [p.format() for p in shown.problems])
        assert [(c.label, c.old, c.new) for c in shown.changes] == [
            (f"langkah {step.no} · kegiatan", step.kegiatan, edited)
        ], sop.id
        assert target.read_text(encoding="utf-8") == before  # nothing written without --perbarui

        written = import_file(
            sheet,
            project / "sop_sources",
            project,
            documents,
            sheet.name,
            originals=lambda: sops,
            update=True,
            today=TODAY,
        )
        assert written.updated, (sop.id, [p.format() for p in written.problems])
        after = target.read_text(encoding="utf-8")
        removed, added = _diff(before, after)
        assert any(step.kegiatan in line for line in removed), (sop.id, removed)
        assert all(step.kegiatan in line or line.startswith("tanggal_revisi:") for line in removed), (sop.id, removed)
        assert any(edited in line for line in added), (sop.id, added)
        old, new = source_data(before), source_data(after)
        proposed = new["riwayat"][-1]
        assert proposed == {
            "tanggal": TODAY,
            "jenis": "revisi",
            "perubahan": f"Disunting lewat lembar Word: langkah {step.no} · kegiatan",
        }
        assert new["riwayat"][:-1] == (old.get("riwayat") or [])
        assert new["tanggal_revisi"] == TODAY
        assert "# Usulan impor" in after  # the proposal says it is one
        for key in set(old) | set(new):
            if key not in ("langkah", "riwayat", "tanggal_revisi"):
                assert new.get(key) == old.get(key), (sop.id, key)
        assert _steps_but(old, new, edited) == 1, sop.id
        done += 1
    assert done == len(SOURCES)
    checked = _run(project, "check", "--strict")
    assert checked.returncode == 0, checked.stderr[-3000:]
    assert "0 galat, 0 peringatan" in checked.stdout


def _diff(before: str, after: str) -> tuple[list[str], list[str]]:
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    removed = [line[1:] for line in lines if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in lines if line.startswith("+") and not line.startswith("+++")]
    return removed, added


def _steps_but(old: dict[str, Any], new: dict[str, Any], edited: str) -> int:
    """How many steps differ between the two sources' data (sub-steps counted in their step);
    every difference must be the edited text."""
    differ = 0
    for a, b in zip(old["langkah"], new["langkah"], strict=True):
        if a != b:
            differ += 1
            assert edited in yaml.safe_dump(b, allow_unicode=True, width=10_000)
    return differ


def test_impor_shows_the_difference_and_writes_only_with_perbarui(project: Path, tmp_path: Path) -> None:
    """The command line as an office uses it (and `make impor ... PERBARUI=1` passes the flag
    on): the difference in Indonesian, the file untouched, then written with --perbarui; the
    SOP keeps its id, so `check` finds no second SOP with its number."""
    sop = next(s for s in _catalogue(project) if s.id == "tujuh-pelaksana")
    sheet = _sheet(sop, tmp_path / "Lembar SOP izin penelitian.docx")
    _edit_activity(sheet, "3", sop.step("langkah-3").kegiatan, "Mencatat permohonan dalam register elektronik")
    source = project / sop.source
    before = source.read_text(encoding="utf-8")

    shown = _run(project, "impor", str(sheet))
    assert shown.returncode == 0, shown.stderr
    assert "sop_sources/sop/tujuh-pelaksana.yaml: 1 isian berubah" in shown.stdout
    assert (
        "  langkah 3 · kegiatan\n    lama: Mencatat permohonan dalam buku register dan membuat tanda terima\n"
        in shown.stdout
    )
    assert "    baru: Mencatat permohonan dalam register elektronik\n" in shown.stdout
    assert "riwayat (usulan revisi, bertanda komentar): {tanggal: 3 Desember 2026, jenis: revisi" in shown.stdout
    assert f'Belum ditulis. Untuk menulisnya: make impor BERKAS="{sheet}" PERBARUI=1' in shown.stdout
    assert source.read_text(encoding="utf-8") == before
    assert not list((project / "sop_sources" / "sop").glob("*penerbitan-izin-penelitian*"))  # no second SOP

    written = _run(project, "impor", "--perbarui", str(sheet))
    assert written.returncode == 0, written.stderr
    assert "sop_sources/sop/tujuh-pelaksana.yaml diperbarui" in written.stdout
    data = source_data(source.read_text(encoding="utf-8"))
    assert data["langkah"][2]["kegiatan"] == "Mencatat permohonan dalam register elektronik"
    kept = source_data(before)
    for key in ("id", "logo", "peninjauan", "keterkaitan", "judul_uraian", "cetak", "disahkan_oleh", "pelaksana"):
        assert data[key] == kept[key], key
    assert data["keterkaitan"][0] == {"sop": "bangsal-pengumpulan-data-kinerja", "teks": "SOP Pengumpulan Data Kinerja"}
    assert data["riwayat"][:-1] == kept["riwayat"]
    again = _run(project, "impor", str(sheet))
    assert "1 isian berubah" not in again.stdout or "sama dengan sumbernya" in again.stdout

    made = subprocess.run(
        ["make", "-n", "impor", f"BERKAS={sheet}", "PERBARUI=1"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert "-m generator impor --perbarui " in made.stdout, made.stdout + made.stderr
    plain = subprocess.run(
        ["make", "-n", "impor", f"BERKAS={sheet}"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert "--perbarui" not in plain.stdout


def test_a_sheet_saved_by_libreoffice_comes_back_unchanged(project: Path, tmp_path: Path) -> None:
    """An office without Word opens the sheet in LibreOffice and saves it as .docx again:
    LibreOffice keeps the symbols' titles and the document's comments, so `impor` finds
    its SOP and nothing changed."""
    sop = next(s for s in _catalogue(project) if s.id == "dua-belas-pelaksana")
    sheet = _sheet(sop, tmp_path / "asli.docx")
    profile = tmp_path / "profil"
    saved = subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "lo"), str(sheet)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert saved.returncode == 0, saved.stderr
    again = import_file(
        tmp_path / "lo" / "asli.docx",
        project / "sop_sources",
        project,
        load_documents(project / "sop_sources", str),
        "asli.docx",
        originals=lambda: [sop],
        today=TODAY,
    )
    assert again.ok and again.original == project / sop.source, [p.format() for p in again.problems]
    assert again.changes == []


def test_rows_added_removed_and_columns_renamed_in_word_come_back(project: Path, tmp_path: Path) -> None:
    """Word edits beyond a text: a row added (its symbol copied from the row above), a row
    deleted, a pelaksana column renamed. Each becomes the same change in the source, the
    rest of it untouched, and the result passes `check`."""
    sops = _catalogue(project)
    sop = next(s for s in sops if s.id == "dukcapil-penerbitan-kartu-keluarga")
    documents = load_documents(project / "sop_sources", str)
    source = project / sop.source
    original = source.read_text(encoding="utf-8")
    sheet = _sheet(sop, tmp_path / "kk.docx")
    document = docx.Document(str(sheet))
    rows = [row for table in document.tables for row in table.rows]
    third = next(row for row in rows if row.cells[0].text.strip() == sop.langkah[2].no)
    copy = deepcopy(third._tr)
    third._tr.addnext(copy)
    new_row = next(row for table in document.tables for row in table.rows if row._tr is copy)
    for index, text in ((0, f"{sop.langkah[2].no}a"), (1, "Memindai berkas permohonan")):
        paragraph = new_row.cells[index].paragraphs[0]
        for run in paragraph.runs[1:]:
            run._r.getparent().remove(run._r)
        paragraph.runs[0].text = text
    last = next(row for row in rows if row.cells[0].text.strip() == sop.langkah[-2].no)
    last._tr.getparent().remove(last._tr)
    role = sop.pelaksana[0].name
    for row in rows:
        for cell in row.cells:
            if cell.text.strip() == role:
                cell.paragraphs[0].runs[0].text = f"{role} Baru"
                for run in cell.paragraphs[0].runs[1:]:
                    run.text = ""
    document.save(str(sheet))
    result = import_file(
        sheet, project / "sop_sources", project, documents, "kk.docx", originals=lambda: sops, update=True, today=TODAY
    )
    assert result.updated, [p.format() for p in result.problems]
    labels = [change.label for change in result.changes]
    assert labels[0] == "Pelaksana (kolom)"
    assert f"susunan langkah (ditambah langkah {sop.langkah[2].no}a; dihapus langkah {sop.langkah[-2].no})" in labels
    data = source_data(source.read_text(encoding="utf-8"))
    names = [entry["nama"] if isinstance(entry, dict) else entry for entry in data["pelaksana"]]
    assert names[0] == f"{role} Baru"
    numbers = [str(step["no"]) for step in data["langkah"]]
    assert f"{sop.langkah[2].no}a" in numbers and sop.langkah[-2].no not in numbers
    removed, _added = _diff(original, source.read_text(encoding="utf-8"))
    assert not [
        line for line in removed if "kegiatan" in line and sop.langkah[-2].kegiatan not in line and role not in line
    ]
    checked = _run(project, "check", "--strict")
    assert checked.returncode == 0, checked.stderr[-3000:]


def _without_connectors(sop: Sop) -> Sop:
    """The SOP with its branches' on-page connector letters taken off."""
    steps = tuple(
        dataclasses.replace(step, branches=tuple(dataclasses.replace(b, connector="") for b in step.branches))
        for step in sop.langkah
    )
    return dataclasses.replace(sop, langkah=steps)


def test_a_sheet_imported_as_a_new_sop_is_the_same_sop(tmp_path: Path) -> None:
    """Into a portal that does not have it yet, the sheet of every case imports as a draft
    that is the same SOP: its flow, and the paper's own form (upright paper, column numbers,
    symbols without numbers, rounded boxes, a Tidak left undrawn, lists numbered as printed)."""
    for source in SOURCES:
        sop = _sop_of(source.read_text(encoding="utf-8"), source.stem)
        got, text = _round_trip(sop, tmp_path)
        # Known gap: the Word sheet draws an on-page connector pair (`penghubung`) as a plain
        # line, so its letter does not come back; everything else of the flow must.
        assert _differences(got, _without_connectors(sop)) == [], (source.name, text)
        assert (got.form, dict(got.numbering), dict(got.labels)) == (sop.form, dict(sop.numbering), dict(sop.labels)), (
            source.name
        )


def test_a_pelaksana_titled_like_a_column_comes_back(tmp_path: Path) -> None:
    """Header detection reads whole titles: pelaksana named "Petugas Kelengkapan Berkas" or
    even "Kelengkapan" are roles, and the Mutu Baku column is the one Waktu follows."""
    source = {
        "nama_sop": "Pemeriksaan Berkas",
        "pelaksana": ["Pemohon", "Petugas Kelengkapan Berkas", "Kelengkapan", "Kepala Seksi Keterangan"],
        "langkah": [
            {"no": 1, "kegiatan": "Menyerahkan berkas", "pelaksana": "Pemohon", "waktu": "5 menit"},
            {
                "no": 2,
                "kegiatan": "Memeriksa kelengkapan",
                "pelaksana": "Petugas Kelengkapan Berkas",
                "jenis": "keputusan",
                "ya": 3,
                "tidak": 1,
                "kelengkapan": "Berkas",
            },
            {"no": 3, "kegiatan": "Mencocokkan data", "pelaksana": "Kelengkapan"},
            {"no": 4, "kegiatan": "Menandatangani", "pelaksana": "Kepala Seksi Keterangan", "output": "Surat"},
        ],
    }
    sop = _sop_of(yaml.safe_dump(source, allow_unicode=True), "kelengkapan")
    path = tmp_path / "lembar.docx"
    path.write_bytes(render_word(sop))
    draft = draft_of(path, load_documents(ROOT / "sop_sources", str))
    assert not draft.missing
    got = _sop_of(to_yaml(draft, path.name, summarise(draft)))
    assert got.role_names == sop.role_names
    assert _differences(got, sop) == []


# -- the drawing --------------------------------------------------------------------------


@pytest.mark.parametrize("count", range(3, 13))
def test_symbols_stand_in_their_lanes_at_any_lane_count(count: int) -> None:
    """3 to 12 pelaksana with long titles: every symbol inside its lane (a joint step's
    across its lanes), every title's words whole at 6 pt or more (or the titles turned)."""
    roles = [f"Kepala Sub Bagian Administrasi Kependudukan Nomor {n}" for n in range(count)]
    steps: list[dict[str, Any]] = [
        {"no": n + 1, "kegiatan": f"Kegiatan {n + 1}", "pelaksana": roles[n % count]} for n in range(count + 2)
    ]
    steps[2] |= {"jenis": "keputusan", "ya": 4, "tidak": 1}  # a decision going back
    steps[3]["pelaksana"] = roles[:2]  # a joint step
    steps[4] = {"no": 5, "kegiatan": "Berjenjang", "rantai": [roles[-1], roles[0]]}  # a chain
    sop = _sop_of(yaml.safe_dump({"nama_sop": "Uji", "pelaksana": roles, "langkah": steps}, allow_unicode=True))
    laid = layout(sop, "A4", {})
    lanes = laid.lanes
    for page in laid.pages:
        for symbol in page.symbols:
            if symbol.kind == "penghubung":
                lane = lanes[symbol.lane]
                assert lane.x < symbol.x0 and symbol.x1 < lane.x + lane.width
                continue
            step = sop.step(symbol.step)
            names = list(sop.role_names)
            covered = (
                [names.index(r) for r in step.roles]
                if step.performance is Performance.BERSAMA
                else [names.index(step.roles[symbol.index])]
            )
            left = lanes[min(covered)].x
            right = lanes[max(covered)].x + lanes[max(covered)].width
            assert left + 0.9 < symbol.x0 and symbol.x1 < right - 0.9, (count, step.no)
        _drawn_cleanly(page.routes, f"{count} lanes")
    head = laid.header
    assert all(t.size >= 6 for t in head.lanes)
    assert sum(c.width for c in laid.columns) <= 297 - 24


def test_the_flow_is_drawn_with_lines_and_every_ya_tidak_labelled() -> None:
    """In the .docx: one freeform arrow per arrow of the flow (two halves where it turns the
    page, with a connector pair), a Ya or Tidak text box for each branch of a decision,
    the step's number inside each symbol."""
    for source in SOURCES:
        sop = _sop_of(source.read_text(encoding="utf-8"), source.stem)
        xml = zipfile.ZipFile(_bytes_io(render_word(sop))).read("word/document.xml").decode("utf-8")
        arrows = xml.count('name="Panah ')
        yes = len(re.findall(r"<w:t xml:space=\"preserve\">Ya</w:t>", xml))
        no = len(re.findall(r"<w:t xml:space=\"preserve\">Tidak</w:t>", xml))
        want_yes = want_no = want = 0
        for step in sop.flow_steps:
            symbols = 1 if step.performance is Performance.BERSAMA else len(step.roles)
            chain = [k for k in step.symbol_kinds[: symbols - 1]]
            want += symbols - 1 + sum(1 for b in step.branches if b.drawn)  # an undrawn Tidak: no line
            want_yes += sum(1 for k in chain if k is StepKind.KEPUTUSAN)
            want_yes += sum(1 for b in step.branches if b.kind is BranchKind.YA and b.target)
            want_no += sum(1 for b in step.branches if b.kind is BranchKind.TIDAK and b.drawn)
        connectors = xml.count('name="Penghubung ')
        assert arrows == want + connectors // 2, source.name
        assert (yes, no) == (want_yes, want_no), source.name
        numbers = re.findall(r'name="Simbol \d+".*?<w:t xml:space="preserve">([^<]*)</w:t>', xml)
        shown = sop.form.symbol_numbers  # a paper may print its symbols without numbers
        assert sorted(numbers) == sorted(
            step.no if shown else ""
            for step in sop.flow_steps
            for _ in range(1 if step.performance is Performance.BERSAMA else len(step.roles))
        ), source.name


def _drawn_cleanly(routes: list[Any], where: str) -> None:
    """Every arrow at right angles, with a clear way (through no symbol, along no arrow)."""
    for route in routes:
        for (x0, y0), (x1, y1) in pairwise(route.points):
            assert abs(x0 - x1) < 0.01 or abs(y0 - y1) < 0.01, (where, route.words)
        assert not route.crowded, (where, route.words)


def test_every_arrow_has_a_clear_way_at_right_angles() -> None:
    """On every page of every seed, stress case, other office's SOP and Word case."""
    for source in SOURCES:
        sop = _sop_of(source.read_text(encoding="utf-8"), source.stem)
        for page in layout(sop, "A4", {}).pages:
            _drawn_cleanly(page.routes, source.name)


def _bytes_io(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


@dataclass(frozen=True)
class _Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def holds(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1


def _paths(page: Any) -> Iterator[tuple[str, tuple[float, ...], _Box]]:
    """Every painted path of a PDF page: how it is painted, its fill colour, its box (points,
    from the page's top-left)."""
    height = float(page.mediabox.height)
    content = ContentStream(page.get_contents(), page.pdf)
    matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[tuple[list[float], tuple[float, ...]]] = []
    fill: tuple[float, ...] = (0.0,)
    points: list[tuple[float, float]] = []

    def place(x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = matrix
        return a * x + c * y + e, height - (b * x + d * y + f)

    for operands, operator in content.operations:
        op = operator.decode() if isinstance(operator, bytes) else str(operator)
        values = [float(v) for v in operands] if op in ("cm", "m", "l", "c", "re", "rg") else []
        if op == "q":
            stack.append((matrix[:], fill))
        elif op == "Q":
            matrix, fill = stack.pop()
        elif op == "cm":
            a, b, c, d, e, f = values
            m = matrix
            matrix = [a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2], c * m[1] + d * m[3],
                      e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5]]  # fmt: skip
        elif op in ("m", "l"):
            points.append(place(*values))
        elif op == "c":
            points += [place(values[i], values[i + 1]) for i in (0, 2, 4)]
        elif op == "re":
            x, y, w, h = values
            points += [place(x, y), place(x + w, y + h)]
        elif op == "rg":
            fill = tuple(values)
        elif op in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"):
            if points and op != "n":
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                yield op, fill, _Box(min(xs), min(ys), max(xs), max(ys))
            points = []


def _words(pdf: Path, page: int) -> list[tuple[str, _Box]]:
    """The words LibreOffice set on a page, each with its box (points, from the top-left)."""
    html = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
    return [(text, _Box(float(a), float(b), float(c), float(d))) for a, b, c, d, text in found]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Sop, Path]]:
    """The 7-lane and the 12-lane sheets as LibreOffice renders them (PDF)."""
    folder = tmp_path_factory.mktemp("lo")
    sops = {}
    for name in ("word/tujuh-pelaksana", "stress/dua-belas-pelaksana"):
        path = CASES / f"{name}.yaml"
        sop = _sop_of(path.read_text(encoding="utf-8"), path.stem)
        _sheet(sop, folder / f"{path.stem}.docx")
        sops[path.stem] = sop
    profile = folder / "profil"
    result = subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
         "--outdir", str(folder), *[str(folder / f"{stem}.docx") for stem in sops]],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for stem in sops:  # for a person to look at: PNGs beside the PDFs
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(folder / f"{stem}.pdf"), str(folder / stem)], check=True)
    return {stem: (sop, folder / f"{stem}.pdf") for stem, sop in sops.items()}


@pytest.mark.parametrize("stem", ["tujuh-pelaksana", "dua-belas-pelaksana"])
def test_libreoffice_draws_every_symbol_inside_its_lane(rendered: dict[str, tuple[Sop, Path]], stem: str) -> None:
    """Read from LibreOffice's PDF: the lane rules (the vertical rules between Kegiatan and
    Mutu Baku), each symbol (a white-filled path) and the number inside it; every step's
    symbols found, each inside the lane of its pelaksana (a joint step's across its lanes),
    clear of the rules; every Ya/Tidak label set; the procedure on as few pages as it needs."""
    sop, pdf = rendered[stem]
    reader = PdfReader(pdf)
    names = list(sop.role_names)
    seen: dict[str, int] = {}
    for number in range(1, len(reader.pages) + 1):
        page = reader.pages[number - 1]
        words = _words(pdf, number)
        if "Mutu" not in {text for text, _box in words}:
            continue  # the identity page
        painted = list(_paths(page))
        rules = sorted(
            {
                round(box.x0, 1)
                for op, _fill, box in painted
                if op == "S" and box.x1 - box.x0 < 0.5 and box.y1 - box.y0 > 40
            }
        )
        left = next(box.x1 for text, box in words if text == sop.label("kegiatan"))
        lanes_x = [x for x in rules if x > left]
        lanes = list(pairwise(lanes_x))[: len(names)]
        assert len(lanes) == len(names), (stem, rules)
        for role, (x0, x1) in zip(names, lanes, strict=True):
            first = next(box for text, box in words if text == role.split()[0] and x0 < (box.x0 + box.x1) / 2 < x1)
            assert first is not None
        for op, fill, box in painted:
            if op != "f*" or fill != (1.0, 1.0, 1.0):
                continue
            inside = [text for text, word in words if box.holds((word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2)]
            assert len(inside) == 1, (stem, box, inside)
            label = inside[0]
            if label.isalpha() and label.isupper():  # an off-page connector's letter
                continue
            steps = [s for s in sop.flow_steps if s.no == label]
            assert steps, (stem, label)
            step = steps[0]
            lanes_of = [names.index(role) for role in step.roles]
            middle = (box.x0 + box.x1) / 2
            here = next(i for i, (x0, x1) in enumerate(lanes) if x0 <= middle <= x1)
            if step.performance is Performance.BERSAMA:
                x0, x1 = lanes[min(lanes_of)][0], lanes[max(lanes_of)][1]
            else:
                assert here in lanes_of, (stem, label, names[here])
                x0, x1 = lanes[here]
            assert x0 + 1.5 < box.x0 and box.x1 < x1 - 1.5, (stem, label, box, (x0, x1))
            seen[label] = seen.get(label, 0) + 1
    for step in sop.flow_steps:
        assert seen.get(step.no) == (1 if step.performance is Performance.BERSAMA else len(step.roles)), (stem, step.no)
    procedure = [n for n in range(1, len(reader.pages) + 1) if "Mutu" in {t for t, _b in _words(pdf, n)}]
    assert len(procedure) == len(layout(sop, "A4", {}).pages) == 1  # each page laid out is one page, here one
    labels = [t for n in procedure for t, _b in _words(pdf, n) if t in ("Ya", "Tidak")]
    decisions = [b for s in sop.flow_steps for b in s.branches if b.kind is not BranchKind.FLOW]
    chained = sum(k is StepKind.KEPUTUSAN for s in sop.flow_steps for k in s.symbol_kinds[: len(s.roles) - 1])
    assert len(labels) == len(decisions) + chained


@pytest.mark.parametrize("stem", ["tujuh-pelaksana", "dua-belas-pelaksana"])
def test_libreoffice_breaks_no_header_word(rendered: dict[str, tuple[Sop, Path]], stem: str) -> None:
    """Every word of every column title (the office's own labels, the pelaksana) and of every
    step's Kegiatan is set whole by LibreOffice: a word cut in two would show as two pieces."""
    sop, pdf = rendered[stem]
    reader = PdfReader(pdf)
    words: set[str] = set()
    for number in range(2, len(reader.pages) + 1):
        words |= {text for text, _box in _words(pdf, number)}
    titles = [*sop.role_names, *(sop.label(k) for k in ("no", "kegiatan", "pelaksana", "mutu_baku", "keterangan"))]
    titles += [sop.label(k) for k in ("kelengkapan", "waktu", "output")]
    wanted = {word for title in titles for word in title.split()}
    wanted |= {word for step in sop.langkah for word in step.kegiatan.split()}
    assert not wanted - words, (stem, sorted(wanted - words))


def test_lane_titles_take_the_largest_type_that_keeps_kegiatan_wide() -> None:
    """Titles that fit at 8 pt keep it; long ones step down (to 6.5 pt, narrowing the text
    columns only as far as needed); past 6 pt they are set bottom to top."""
    seven = _sop_of((CASES / "word" / "tujuh-pelaksana.yaml").read_text(encoding="utf-8"), "tujuh")
    twelve = _sop_of((CASES / "stress" / "dua-belas-pelaksana.yaml").read_text(encoding="utf-8"), "duabelas")
    seed = _sop_of((ROOT / "sop_sources" / "sop" / "bangsal-pengumpulan-data-kinerja.yaml").read_text(encoding="utf-8"))
    usable = 297 - 24 - 1
    assert lane_titles(seed, usable)[1] == 8.0
    assert lane_titles(seven, usable)[1] == 6.5
    assert lane_titles(twelve, usable)[1] is None
    grid = columns(usable, lane_titles(seven, usable)[0])
    kegiatan = next(c for c in grid if c.key == "kegiatan")
    assert kegiatan.width >= 50
    assert all(not t.rotated for t in header(seven, grid, 6.5).lanes)
