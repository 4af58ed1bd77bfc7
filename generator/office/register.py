"""The SOP register of one instansi as a workbook (``<instansi>-daftar-sop.xlsx``): one row per SOP,
filterable, printed landscape on one page wide."""

from __future__ import annotations

import datetime as dt
import io

from generator.model.register import Register
from generator.office.xlsx import Workbook

COLUMNS = (
    ("No", 5),
    ("Nomor SOP", 24),
    ("Nama SOP", 48),
    ("Unit", 28),
    ("Tanggal Pembuatan", 17),
    ("Tanggal Revisi", 17),
    ("Tanggal Efektif", 17),
    ("Status peninjauan", 36),
)


LINE_POINTS = 15
"""Height of one line of 11-point text."""


def _height(values: list[str]) -> float:
    """A row tall enough for its longest wrapped cell: spreadsheets do not size rows whose
    height a file leaves open the same way, and LibreOffice prints them one line high."""
    lines = max(
        -(-max(len(value), 1) * 11 // (10 * max(width - 1, 1)))
        for value, (_, width) in zip(values, COLUMNS, strict=True)
    )
    return LINE_POINTS * max(lines, 1)


def render_register_workbook(register: Register, paper: int, created: dt.datetime) -> bytes:
    """The register as an .xlsx; ``paper`` is Excel's paper code, ``created`` its metadata date."""
    buffer = io.BytesIO()
    workbook = Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties(
        {"title": f"Daftar SOP {register.instansi}", "author": register.instansi or "Portal SOP", "created": created}
    )
    sheet = workbook.add_worksheet("Daftar SOP")
    title = workbook.add_format({"bold": True, "font_size": 13, "align": "center"})
    centre = workbook.add_format({"bold": True, "align": "center"})
    header = workbook.add_format({"bold": True, "bg_color": "#E7E6E6", "border": 1, "text_wrap": True, "valign": "top"})
    cell = workbook.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    due = workbook.add_format({"border": 1, "text_wrap": True, "valign": "top", "bold": True, "font_color": "#9C0006"})
    last = len(COLUMNS) - 1
    row = 0
    for line, style in ((register.pemerintah, centre), (register.instansi, centre), (register.alamat, None)):
        if line:
            sheet.merge_range(row, 0, row, last, line, style or workbook.add_format({"align": "center"}))
            row += 1
    sheet.merge_range(row, 0, row, last, "DAFTAR STANDAR OPERASIONAL PROSEDUR (SOP)", title)
    row += 1
    summary = f"Keadaan pada {register.date}: {len(register.entries)} SOP"
    if register.due:
        summary += f", {register.due} perlu ditinjau"
    sheet.merge_range(row, 0, row, last, summary, workbook.add_format({"align": "center", "italic": True}))
    row += 2
    header_row = row
    for column, (name, width) in enumerate(COLUMNS):
        sheet.write_string(row, column, name, header)
        sheet.set_column(column, column, width)
    sheet.set_row(row, _height([name for name, _ in COLUMNS]))
    for entry in register.entries:
        row += 1
        values = (entry.nomor, entry.nama, entry.unit, entry.pembuatan, entry.revisi, entry.efektif)
        sheet.write_number(row, 0, entry.no, cell)
        for column, value in enumerate(values, start=1):
            sheet.write_string(row, column, value or "–", cell)
        sheet.write_string(row, last, entry.status, due if entry.due else cell)
        sheet.set_row(row, _height([str(entry.no), *values, entry.status]))
    if register.policy:
        sheet.merge_range(
            row + 2, 0, row + 2, last, register.policy, workbook.add_format({"italic": True, "text_wrap": True})
        )
        sheet.set_row(row + 2, 30)
    sheet.autofilter(header_row, 0, max(row, header_row), last)
    sheet.freeze_panes(header_row + 1, 0)
    sheet.repeat_rows(header_row)
    sheet.set_landscape()
    sheet.set_paper(paper)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.set_footer("&LDaftar SOP " + register.instansi.replace("&", "&&") + "&RHalaman &P dari &N")
    workbook.close()
    return buffer.getvalue()
