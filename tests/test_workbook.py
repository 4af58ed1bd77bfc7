"""Excel templates: structure read back with openpyxl, formulas recalculated by LibreOffice."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from xlsxwriter.worksheet import Worksheet as XlsxWorksheet

from generator.model.documents import Kind, sop_documents
from generator.office.workbook import CHECK, WorkbookContext, render_workbook
from generator.office.xlsx import FormulaWorksheet
from generator.office.xlsx import Workbook as FormulaWorkbook
from generator.sources.catalogue import Catalogue, load_catalogue
from generator.sources.documents import load_documents

from .conftest import ROOT, SourceWriter

RECALC = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>{mode}</value></prop></item>
</oor:items>
"""


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(ROOT / "sop_sources", ROOT)


def _book(data: bytes, **kwargs: Any) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), **kwargs)


def _all_workbooks(catalogue: Catalogue) -> list[tuple[str, bytes]]:
    books = [(d.id, render_workbook(d, WorkbookContext())) for d in catalogue.documents.documents]
    for sop in catalogue.sops:
        for use in sop_documents(sop, catalogue.documents):
            books.append(
                (f"{sop.id}/{use.document.id}", render_workbook(use.document, WorkbookContext(sop, use.steps)))
            )
    return books


def test_seed_templates_are_all_there(catalogue: Catalogue) -> None:
    assert catalogue.documents.problems == ()
    assert sorted(catalogue.documents.ids) == [
        "evaluasi-penerapan-sop",
        "format-pengumpulan-data-kinerja",
        "kertas-kerja-pengukuran-kinerja",
        "lembar-disposisi",
        "lke-akip",
        "monitoring-pelaksanaan-sop",
        "rekapitulasi-capaian",
    ]


def test_every_workbook_is_structured_validated_and_protected(catalogue: Catalogue) -> None:
    for name, data in _all_workbooks(catalogue):
        document = catalogue.documents.get(name.split("/")[-1])
        book = _book(data)
        assert book.sheetnames == ["Petunjuk", *[s.name for s in document.sheets], "Daftar"], name
        assert book["Daftar"].sheet_state == "hidden"
        assert book.active.title == document.sheets[0].name
        for sheet in document.sheets:
            ws = book[sheet.name]
            assert ws.protection.sheet and not ws.protection.password, f"{name}: protected without a password"
            assert ws.page_setup.paperSize in ("9", "14", 9, 14)
            assert ws.page_setup.orientation == ("landscape" if document.landscape else "portrait")
            # Fit to one page wide, as many tall as needed (1 is the file format's default width).
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight in (0, "0")
            _check_inputs_are_unlocked_and_validated(ws, name)
            if sheet.kind == "tabel":
                _check_table(book, ws, sheet, name)


def _check_inputs_are_unlocked_and_validated(ws: Worksheet, name: str) -> None:
    validated: set[str] = set()
    for dv in ws.data_validations.dataValidation:
        assert dv.prompt and dv.error, f"{name}: every validation has an input and an error message"
        for rng in dv.sqref.ranges:
            for row in ws.iter_rows(min_row=rng.min_row, max_row=rng.max_row, min_col=rng.min_col, max_col=rng.max_col):
                validated.update(c.coordinate for c in row)
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if c.protection.locked is False}
    merged_tails = {
        c.coordinate
        for rng in ws.merged_cells.ranges
        for row in ws.iter_rows(min_row=rng.min_row, max_row=rng.max_row, min_col=rng.min_col, max_col=rng.max_col)
        for c in row
        if c.coordinate != rng.start_cell.coordinate
    }
    for coordinate in unlocked - merged_tails:
        cell = ws[coordinate]
        assert cell.fill.fgColor.rgb in ("FFFFF6CC", "00FFF6CC"), f"{name}!{coordinate}: inputs are tinted"
        assert coordinate in validated, f"{name}!{coordinate}: input without data validation"
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                assert cell.protection.locked is not False, f"{name}!{cell.coordinate}: formulas are locked"


def _check_table(book: openpyxl.Workbook, ws: Worksheet, sheet: Any, name: str) -> None:
    headers = [c.value for c in ws[ws.freeze_panes[1:] and int(ws.freeze_panes[1:]) - 1]]
    assert [h for h in headers if h] == [c.title for c in sheet.columns], name
    assert ws.print_title_rows, f"{name}: the table header repeats on every printed page"
    assert f"Tabel_{sheet.name.replace(' ', '_')}" in book.defined_names, name
    header_row = int(ws.freeze_panes[1:]) - 1
    for i, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(header_row + 1, i)
        if column.kind is Kind.RUMUS:
            assert isinstance(cell.value, str) and cell.value.startswith("="), (name, column.key)


def test_disposition_lists_the_sops_roles(catalogue: Catalogue) -> None:
    sop = catalogue.get("lumajang-pengumpulan-data-kinerja")
    document = catalogue.documents.get("lembar-disposisi")
    steps = tuple(s for s in sop.langkah if ("lembar-disposisi", "output") in s.documents)
    ws = _book(render_workbook(document, WorkbookContext(sop, steps)))["Disposisi"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    start = values.index("Diteruskan kepada")
    assert values[start + 1 : start + 6] == list(sop.role_names)
    for expected in (
        "Sifat",
        "Instruksi",
        "Tanggapan dan saran",
        "Batas waktu",
        "Catatan",
        "Paraf",
        "KECAMATAN LUMAJANG",
        "1. Menerima Surat Edaran tentang Pengumpulan Data Kinerja SKPD dari Bappeda",
    ):
        assert any(expected in str(v) for v in values), expected
    checks = [dv for dv in ws.data_validations.dataValidation if dv.formula1 == "Daftar_centang"]
    assert checks, f"{CHECK} choices come from the hidden list sheet"


def test_source_text_never_becomes_a_formula(write_sources: SourceWriter, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "sop_sources" / "dokumen", tmp_path / "sop_sources" / "dokumen")
    hostile = """\
        nama_sop: "=HYPERLINK(\\"http://x\\",\\"klik\\")"
        instansi: "+CMD|' /C calc'!A0"
        unit: "@SUM(1+1)"
        pelaksana: ["-2+3", "=1+1"]
        langkah:
          - no: 1
            kegiatan: "=cmd|' /C notepad'!A1"
            pelaksana: "-2+3"
            output: [{dokumen: lembar-disposisi, teks: "=1+1"}]
          - {no: 2, kegiatan: "@A1", pelaksana: "=1+1", kelengkapan: [{dokumen: lembar-disposisi}]}
        """
    catalogue = load_catalogue(write_sources({"jahat.yaml": hostile}), tmp_path)
    assert catalogue.errors == []
    sop = catalogue.get("jahat")
    for use in sop_documents(sop, catalogue.documents):
        book = _book(render_workbook(use.document, WorkbookContext(sop, use.steps)))
        texts = []
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and any(m in cell.value for m in ("HYPERLINK", "CMD", "cmd", "@")):
                        assert cell.data_type == "s", f"{ws.title}!{cell.coordinate} became a formula"
                        texts.append(cell.value)
        assert any(t.startswith("=HYPERLINK") for t in texts)


def test_workbooks_are_byte_identical_across_builds(catalogue: Catalogue) -> None:
    first = dict(_all_workbooks(catalogue))
    second = dict(_all_workbooks(catalogue))
    assert first == second


def test_remembered_formulas_write_what_xlsxwriter_writes(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Formulas are prepared once per process (office/xlsx.py): every workbook is the same,
    byte for byte, as XlsxWriter's own worksheets write it, and the newer functions still
    get their prefix."""
    remembered = dict(_all_workbooks(catalogue))
    monkeypatch.setattr(FormulaWorkbook, "worksheet_class", XlsxWorksheet)
    assert dict(_all_workbooks(catalogue)) == remembered
    sheet = FormulaWorksheet()
    for formula in ("=XLOOKUP(A1,B:B,C:C)", "=SUM(A1:A3)", "=FILTER(A:A,B:B>0)", "{=SORT(A1:A9)}"):
        for _ in range(2):  # the second time from the memo
            assert sheet._prepare_formula(formula) == XlsxWorksheet()._prepare_formula(formula)
    assert sheet._prepare_formula("=XLOOKUP(A1,B:B,C:C)") == "_xlfn.XLOOKUP(A1,B:B,C:C)"


def test_bad_formula_reference_is_reported_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "sop_sources" / "dokumen"
    folder.mkdir(parents=True)
    (folder / "rusak.yaml").write_text(
        "judul: Rusak\nlembar:\n  - nama: Data\n    jenis: tabel\n    kolom:\n"
        "      - {kunci: a, judul: A, jenis: desimal}\n"
        "      - {kunci: b, judul: B, jenis: rumus, rumus: '={a}*{c}'}\n",
        encoding="utf-8",
    )
    documents = load_documents(tmp_path / "sop_sources", lambda p: p.relative_to(tmp_path).as_posix())
    [problem] = documents.problems
    assert (problem.code, problem.file, problem.line) == ("bad-formula", "sop_sources/dokumen/rusak.yaml", 7)
    assert "{c}" in problem.message


def test_formulas_may_only_calculate(tmp_path: Path) -> None:
    """Functions that reach the network or other files are refused at their line; calculation passes."""
    folder = tmp_path / "sop_sources" / "dokumen"
    folder.mkdir(parents=True)
    (folder / "jahat.yaml").write_text(
        "judul: Jahat\nlembar:\n  - nama: Data\n    jenis: tabel\n    kolom:\n"
        "      - {kunci: a, judul: A, jenis: desimal}\n"
        "      - {kunci: b, judul: B, jenis: rumus, rumus: '=IFERROR(ROUND({a}*2, 0), \"SUM(\")'}\n"
        '      - {kunci: c, judul: C, jenis: rumus, rumus: \'=WEBSERVICE("http://x")&hyperlink("y")\'}\n'
        "      - {kunci: d, judul: D, jenis: rumus, rumus: '=INDIRECT(\"A1\")'}\n",
        encoding="utf-8",
    )
    documents = load_documents(tmp_path / "sop_sources", lambda p: p.relative_to(tmp_path).as_posix())
    found = sorted((p.code, p.line, p.found) for p in documents.problems)
    assert found == [
        ("forbidden-function", 8, "HYPERLINK"),
        ("forbidden-function", 8, "WEBSERVICE"),
        ("forbidden-function", 9, "INDIRECT"),
    ]


# -- LibreOffice ---------------------------------------------------------------------------


def _libreoffice(tmp_path: Path, files: list[Path], *, recalc: bool) -> dict[str, Path]:
    profile = tmp_path / ("lo-recalc" if recalc else "lo-plain")
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        RECALC.format(mode=0 if recalc else 1), encoding="utf-8"
    )
    out = tmp_path / ("recalculated" if recalc else "opened")
    out.mkdir(exist_ok=True)
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {f.stem: out / f.name for f in files}


def _values(path: Path, sheet: str) -> list[list[Any]]:
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    return [[c.value for c in row] for row in ws.iter_rows()]


def _table(book: openpyxl.Workbook, sheet: str) -> tuple[Worksheet, int, dict[str, int]]:
    """The table's first data row and its columns by title (the row whose first cell is "No")."""
    ws = book[sheet]
    header = next(row[0].row for row in ws.iter_rows() if row[0].value == "No")
    columns = {str(c.value): c.column for c in ws[header] if c.value}
    return ws, header + 1, columns


def _fill(catalogue: Catalogue, tmp_path: Path) -> list[Path]:
    documents = catalogue.documents
    paths = []

    def save(document_id: str, filler: Any) -> None:
        book = _book(render_workbook(documents.get(document_id), WorkbookContext()))
        filler(book)
        path = tmp_path / f"{document_id}.xlsx"
        book.save(path)
        paths.append(path)

    def kertas(book: openpyxl.Workbook) -> None:
        ws, first, col = _table(book, "Pengukuran")
        rows = [
            ("Semakin tinggi semakin baik", 100, 90, 1000, 800),
            ("Semakin rendah semakin baik", 10, 8, 500, 500),
            ("Semakin tinggi semakin baik", 0, 5, None, None),
        ]
        for n, (kind, target, real, pagu, spent) in enumerate(rows):
            ws.cell(first + n, col["Karakteristik"], kind)
            ws.cell(first + n, col["Target"], target)
            ws.cell(first + n, col["Realisasi"], real)
            ws.cell(first + n, col["Pagu Anggaran (Rp)"], pagu)
            ws.cell(first + n, col["Realisasi Anggaran (Rp)"], spent)

    def rekap(book: openpyxl.Workbook) -> None:
        ws, first, col = _table(book, "Rekapitulasi")
        rows = [("Jumlah", 120, [10, 20, 30]), ("Nilai terakhir", 10, [5, 7]), ("Rata-rata", 80, [70, 80, 90, 100])]
        for n, (mode, target, quarters) in enumerate(rows):
            ws.cell(first + n, col["Cara Akumulasi"], mode)
            ws.cell(first + n, col["Target Tahunan"], target)
            for q, value in enumerate(quarters, start=1):
                ws.cell(first + n, col[f"Realisasi TW {'I' * q if q < 4 else 'IV'}"], value)

    def lke(book: openpyxl.Workbook) -> None:
        ws, first, col = _table(book, "Kriteria")
        for n in range(60):  # 12 sub-components x 5 rows: answer the first two of each
            if n % 5 in (0, 1):
                ws.cell(first + n, col["Jawaban (AA-E)"], "A" if n % 5 == 0 else "BB")

    def evaluasi(book: openpyxl.Workbook) -> None:
        ws, first, col = _table(book, "Evaluasi")
        for n, answer in enumerate(["Ya", "Ya", "Tidak", "Ya", "Ya", "Tidak", "Ya"]):
            ws.cell(first + n, col["Ya / Tidak"], answer)

    def pengumpulan(book: openpyxl.Workbook) -> None:
        ws, first, col = _table(book, "Data Kinerja")
        ws.cell(first, col["Data Pembilang"], 45)
        ws.cell(first, col["Data Penyebut"], 50)
        ws.cell(first + 1, col["Data Pembilang"], 3)
        ws.cell(first + 1, col["Data Penyebut"], 0)

    save("kertas-kerja-pengukuran-kinerja", kertas)
    save("rekapitulasi-capaian", rekap)
    save("lke-akip", lke)
    save("evaluasi-penerapan-sop", evaluasi)
    save("format-pengumpulan-data-kinerja", pengumpulan)
    return paths


def _column_values(path: Path, sheet: str, title: str, count: int) -> list[Any]:
    book = openpyxl.load_workbook(path, data_only=True)
    ws, first, col = _table(book, sheet)
    return [ws.cell(first + n, col[title]).value for n in range(count)]


def _labelled(path: Path, sheet: str, label: str) -> Any:
    for row in _values(path, sheet):
        if row and row[0] == label:
            return next(v for v in row[1:] if v is not None)
    raise KeyError(label)


def test_formulas_compute_in_libreoffice(catalogue: Catalogue, tmp_path: Path) -> None:
    done = _libreoffice(tmp_path, _fill(catalogue, tmp_path), recalc=True)

    kk = done["kertas-kerja-pengukuran-kinerja"]
    assert _column_values(kk, "Pengukuran", "Capaian (%)", 4) == pytest.approx([90, 120, None, None])
    assert _column_values(kk, "Pengukuran", "Capaian Anggaran (%)", 3) == pytest.approx([80, 100, None])
    assert _labelled(kk, "Pengukuran", "Capaian anggaran seluruhnya (%)") == pytest.approx(1300 / 1500 * 100)

    rk = done["rekapitulasi-capaian"]
    assert _column_values(rk, "Rekapitulasi", "Realisasi s.d. Triwulan Ini", 4) == pytest.approx([60, 7, 85, None])
    assert _column_values(rk, "Rekapitulasi", "Capaian (%)", 3) == pytest.approx([50, 70, 106.25])

    lke = done["lke-akip"]
    # Every sub-component averages (90 + 80) / 2 = 85, so each scores 0.85 of its weight.
    nilai = _column_values(lke, "Rekapitulasi", "Nilai", 12)
    weights = [6, 9, 15, 6, 9, 15, 3, 4.5, 7.5, 5, 7.5, 12.5]
    # Spreadsheet ROUND rounds halves away from zero (3.825 -> 3.83), unlike Python's round().
    exact = [Decimal(85) / Decimal(100) * Decimal(str(w)) for w in weights]
    expected = [float(v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) for v in exact]
    assert nilai == pytest.approx(expected)
    assert _labelled(lke, "Rekapitulasi", "Nilai akhir") == pytest.approx(sum(expected))  # 85.02
    assert _labelled(lke, "Rekapitulasi", "Predikat") == "A"

    ev = done["evaluasi-penerapan-sop"]
    assert _labelled(ev, "Evaluasi", "Persentase jawaban Ya (%)") == pytest.approx(5 / 7 * 100)

    pg = done["format-pengumpulan-data-kinerja"]
    assert _column_values(pg, "Data Kinerja", "Pembilang / Penyebut (%)", 3) == pytest.approx([90, None, None])


def test_empty_template_shows_right_results_without_recalculation(catalogue: Catalogue, tmp_path: Path) -> None:
    """LibreOffice's default is to show stored results of .xlsx files; they must be right."""
    path = tmp_path / "lke-akip.xlsx"
    path.write_bytes(render_workbook(catalogue.documents.get("lke-akip"), WorkbookContext()))
    opened = _libreoffice(tmp_path, [path], recalc=False)["lke-akip"]
    assert _labelled(opened, "Rekapitulasi", "Predikat") == "D"
    assert _labelled(opened, "Rekapitulasi", "Nilai akhir") == 0
    totals = [row for row in _values(opened, "Rekapitulasi") if row and row[0] == "Jumlah"]
    assert 100 in totals[0]


def test_wrong_input_shows_as_wrong_all_the_way_down(catalogue: Catalogue, tmp_path: Path) -> None:
    """An answer outside its list, a number typed as text ("85 %"), a negative target: each
    used to become a plausible number (a sub-component silently 0, a capaian of 588 %)."""
    documents = catalogue.documents
    paths = []

    lke_book = _book(render_workbook(documents.get("lke-akip"), WorkbookContext()))
    ws, first, col = _table(lke_book, "Kriteria")
    for n in range(60):
        if n % 5 in (0, 1):
            ws.cell(first + n, col["Jawaban (AA-E)"], "A")
    ws.cell(first + 1, col["Jawaban (AA-E)"], "X")  # sub-component 1: one answer not on the scale
    paths.append(tmp_path / "lke-akip.xlsx")
    lke_book.save(paths[-1])

    kk_book = _book(render_workbook(documents.get("kertas-kerja-pengukuran-kinerja"), WorkbookContext()))
    ws, first, col = _table(kk_book, "Pengukuran")
    rows = [("Semakin tinggi semakin baik", 100, 90), ("Semakin tinggi semakin baik", "85 %", 500)]
    rows += [("Semakin tinggi semakin baik", -10, 5), ("Bukan karakteristik", 10, 8)]
    for n, (kind, target, real) in enumerate(rows):
        ws.cell(first + n, col["Karakteristik"], kind)
        ws.cell(first + n, col["Target"], target)
        ws.cell(first + n, col["Realisasi"], real)
    paths.append(tmp_path / "kertas-kerja-pengukuran-kinerja.xlsx")
    kk_book.save(paths[-1])

    done = _libreoffice(tmp_path, paths, recalc=True)
    lke = done["lke-akip"]
    assert _column_values(lke, "Kriteria", "Nilai", 3) == [90, "Periksa Jawaban (AA-E): tidak ada di daftar", None]
    rata = _column_values(lke, "Rekapitulasi", "Rata-rata Nilai Kriteria", 3)
    assert rata == ["Periksa jawaban", 90, 90]
    assert _column_values(lke, "Rekapitulasi", "Nilai", 2) == ["Periksa jawaban", pytest.approx(8.1)]
    assert _labelled(lke, "Rekapitulasi", "Nilai akhir") == "Periksa isian"
    assert _labelled(lke, "Rekapitulasi", "Predikat") == "Periksa isian"

    kk = done["kertas-kerja-pengukuran-kinerja"]
    assert _column_values(kk, "Pengukuran", "Capaian (%)", 4) == [
        pytest.approx(90),
        "Periksa Target: bukan angka",
        "Periksa Target: kurang dari 0",
        "Periksa Karakteristik: tidak ada di daftar",
    ]
    # The average of the column does not quietly leave the wrong rows out.
    assert _labelled(kk, "Pengukuran", "Jumlah / Rata-rata") == "Periksa isian"


def test_wrong_input_is_refused_or_marked_in_the_sheet(catalogue: Catalogue) -> None:
    book = _book(render_workbook(catalogue.documents.get("kertas-kerja-pengukuran-kinerja"), WorkbookContext()))
    ws, first, col = _table(book, "Pengukuran")
    target = openpyxl.utils.get_column_letter(col["Target"])
    rules = [v for v in ws.data_validations.dataValidation if str(v.sqref).startswith(f"{target}{first}")]
    assert len(rules) == 1 and rules[0].type == "decimal" and float(rules[0].formula1) == 0
    assert "paling kecil 0" in (rules[0].error or "")
    # Values pasted past the validation are painted: a red rule on the column's cells.
    marked = [str(r.sqref) for r in ws.conditional_formatting]
    assert any(ref.startswith(f"{target}{first}:") for ref in marked)
