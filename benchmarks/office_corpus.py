"""Build the office-style import corpus in ``tests/cases/import/``: for every expected source
``<case>.yaml`` there, the Word file an office would hold (``<case>.docx``: its own identity
table, label variants, flowchart shapes drawn in the cells or as one group, connectors glued
or not), the PDF that Word file prints to (``<case>.pdf``, by LibreOffice), the Word table
copied as text (``<case>.salin-word.txt``: cells apart by tabs, a cell's paragraphs on lines
of their own, as Word's plain-text copy gives them), and the text a PDF viewer copies
(``<case>.salin-pdf.txt``: the lines in drawing order, as Chrome's and Edge's viewer copy).

    python -m benchmarks.office_corpus [--only CASE]

The files are committed; run this only to change the corpus. Nothing here is read by the
importer: the forms are drawn the way offices draw them, not the way the portal exports them.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import yaml
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "cases" / "import"

EMU_PER_TWIP = 635
NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
)


@dataclass
class Style:
    """How one office lays its form out."""

    labels: dict[str, str] = field(default_factory=dict)
    """Printed labels (identity, sections, procedure columns) by source key."""
    colon_column: bool = False
    """Identity rows written ``label | : | value``."""
    shapes: str = "drawingml"
    """``drawingml`` (in the cells), ``group`` (one group over the table), ``vml`` (old Word)."""
    glued: bool = True
    """Connectors glued to the symbols (``a:stCxn``/``a:endCxn``)."""
    all_arrows: bool = False
    """Draw the plain arrows to the row below too (else only the jumps and returns)."""
    column_numbers: bool = False
    """A row of column numbers (1 ... n) under the header."""
    split_after: int = 0
    """Continue the procedure in a second table (on a new page) after this many steps."""
    row_height: int = 1200
    """Height of a step row (twips, exact)."""
    paper: tuple[int, int] = (16838, 11906)
    """Page width and height, landscape (twips): A4, or F4 (330 x 215 mm)."""
    kop_in_capitals: bool = False
    numbered: tuple[str, ...] = ("dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan_perlengkapan")
    """Identity lists printed with numbers typed as text ("1. ..."); the others without."""


STYLES: dict[str, Style] = {
    "satpolpp-sanggau-reklame": Style(
        labels={
            "nomor_sop": "NOMOR SOP",
            "tanggal_pembuatan": "TGL. PEMBUATAN",
            "tanggal_revisi": "TGL. REVISI",
            "tanggal_efektif": "TGL. EFEKTIF",
            "disahkan_oleh": "DISAHKAN OLEH",
            "nama_sop": "NAMA SOP",
            "kualifikasi_pelaksana": "Kualitas Pelaksana",
            "peralatan_perlengkapan": "Perlengkapan",
            "kelengkapan": "Persyaratan/Kelengkapan",
            "keterangan": "Ket",
        },
        column_numbers=True,
        all_arrows=True,
    ),
    "dinkes-kuburaya-izin-praktik": Style(
        labels={"kualifikasi_pelaksana": "Kualifikasi Pelaksanaan", "peralatan_perlengkapan": "Peralatan/Perlengkapan"},
        shapes="group",
        glued=False,
        numbered=("dasar_hukum", "kualifikasi_pelaksana", "peralatan_perlengkapan", "pencatatan_pendataan"),
    ),
    "bapenda-mempawah-keberatan": Style(
        labels={"nama_sop": "NAMA SOP", "peralatan_perlengkapan": "Peralatan / Perlengkapan", "keterangan": "Ket."},
        colon_column=True,
        shapes="vml",
        glued=False,
        split_after=4,
        kop_in_capitals=True,
        row_height=1100,
    ),
    "kelurahan-sungaibangkong-pindah": Style(
        labels={
            "tanggal_pembuatan": "Tgl. Pembuatan",
            "tanggal_revisi": "Tgl. Revisi",
            "tanggal_efektif": "Tgl. Efektif",
            "pencatatan_pendataan": "Pencatatan / Pendataan",
            "kegiatan": "Uraian Kegiatan",
        },
        numbered=("dasar_hukum",),
    ),
    "rsud-soedarso-rujukan": Style(
        labels={
            "dasar_hukum": "DASAR HUKUM :",
            "kualifikasi_pelaksana": "KUALIFIKASI PELAKSANA :",
            "keterkaitan": "KETERKAITAN :",
            "peralatan_perlengkapan": "PERALATAN DAN PERLENGKAPAN :",
            "peringatan": "PERINGATAN :",
            "pencatatan_pendataan": "PENCATATAN DAN PENDATAAN :",
            "kegiatan": "Uraian Kegiatan",
            "kelengkapan": "Kelengkapan / Persyaratan",
            "output": "Hasil",
        },
        numbered=("dasar_hukum", "keterkaitan"),
        row_height=950,
        paper=(18709, 12189),
    ),
}

OFFICIAL = {
    "nomor_sop": "Nomor SOP",
    "tanggal_pembuatan": "Tanggal Pembuatan",
    "tanggal_revisi": "Tanggal Revisi",
    "tanggal_efektif": "Tanggal Efektif",
    "disahkan_oleh": "Disahkan oleh",
    "nama_sop": "Nama SOP",
    "dasar_hukum": "DASAR HUKUM",
    "kualifikasi_pelaksana": "KUALIFIKASI PELAKSANA",
    "keterkaitan": "KETERKAITAN",
    "peralatan_perlengkapan": "PERALATAN/PERLENGKAPAN",
    "peringatan": "PERINGATAN",
    "pencatatan_pendataan": "PENCATATAN DAN PENDATAAN",
    "no": "No",
    "kegiatan": "Kegiatan",
    "pelaksana": "PELAKSANA",
    "mutu_baku": "MUTU BAKU",
    "kelengkapan": "Kelengkapan",
    "waktu": "Waktu",
    "output": "Output",
    "keterangan": "Keterangan",
}

# Page geometry of the procedure pages (twips): A4 landscape, margins, fixed row heights, so
# that shapes placed by offset land in their cells as they do in the offices' files.
PAGE_W, PAGE_H, MARGIN = 16838, 11906, 851
BREAKER_H = 20
HEADER_H, NAMES_H, NUMBER_H, ROW_H = 340, 700, 260, 1200
SYMBOL_W, SYMBOL_H = 900, 480
NO_W, ACTIVITY_W, ROLE_W, REQ_W, TIME_W, OUT_W, REMARK_W = 500, 3100, 1250, 2000, 1000, 2000, 1300


def _label(style: Style, key: str) -> str:
    return style.labels.get(key, OFFICIAL[key])


def _items(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _cell_text(cell: Any, lines: list[str], *, bold: bool = False, size: float = 9, center: bool = False) -> None:
    cell.text = ""
    for index, line in enumerate(lines or [""]):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        if center:
            paragraph.alignment = 1
        run = paragraph.add_run(line)
        run.font.size = Pt(size)
        run.bold = bold


def _width(cell: Any, twips: int) -> None:
    cell.width = Cm(twips / 567)


def _merge_down(table: Any, column: int, top: int, bottom: int) -> None:
    table.cell(top, column).merge(table.cell(bottom, column))


def _row_height(row: Any, twips: int, rule: str = "exact") -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(parse_xml(f'<w:trHeight {NAMESPACES} w:val="{twips}" w:hRule="{rule}"/>'))


def _repeat_header(row: Any) -> None:
    row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {NAMESPACES}/>"))


# -- the identity sheet --------------------------------------------------------------------


def _kop(sop: dict[str, Any], style: Style) -> list[str]:
    if sop.get("kop"):
        return [str(line) for line in sop["kop"]]
    lines = [sop.get("pemerintah", ""), sop.get("instansi", ""), sop.get("unit", "")]
    lines = [line.upper() if style.kop_in_capitals else line for line in lines if line]
    if sop.get("alamat"):
        lines.append(sop["alamat"])
    return lines


def _signer(sop: dict[str, Any], style: Style) -> list[str]:
    signer = sop.get("disahkan_oleh") or {}
    title = signer.get("jabatan", "")
    lines = [str(line) for line in title] if isinstance(title, list) else [str(title)]
    lines += ["", "", ""]  # room for the signature and stamp
    lines.append(str(signer.get("nama", "")))
    if signer.get("pangkat"):
        lines.append(str(signer["pangkat"]))
    if signer.get("nip"):
        lines.append(f"NIP. {signer['nip']}")
    return lines


def _identity(document: Any, sop: dict[str, Any], style: Style) -> None:
    labels = ["nomor_sop", "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif", "disahkan_oleh", "nama_sop"]
    columns = 4 if style.colon_column else 3
    table = document.add_table(rows=len(labels), cols=columns)
    table.style = "Table Grid"
    for index, key in enumerate(labels):
        row = table.rows[index]
        label_cell = row.cells[1]
        value_cell = row.cells[columns - 1]
        _cell_text(label_cell, [_label(style, key)], bold=True)
        if style.colon_column:
            _cell_text(row.cells[2], [":"])
        if key == "disahkan_oleh":
            _cell_text(value_cell, _signer(sop, style), center=True)
        else:
            value = sop.get(key, "")
            _cell_text(value_cell, [str(value) if value else ""], bold=key == "nama_sop")
    _merge_down(table, 0, 0, len(labels) - 1)
    _cell_text(table.cell(0, 0), _kop(sop, style), bold=True, size=11, center=True)
    widths = [7000, 3000, 400, 6000] if style.colon_column else [7000, 3200, 6200]
    for column, twips in zip(table.columns, widths, strict=True):
        column.width = Cm(twips / 567)
    for row in table.rows:
        for cell, twips in zip(row.cells, widths, strict=True):
            _width(cell, twips)
    document.add_paragraph()
    keys = [
        ("dasar_hukum", "kualifikasi_pelaksana"),
        ("keterkaitan", "peralatan_perlengkapan"),
        ("peringatan", "pencatatan_pendataan"),
    ]
    grid = document.add_table(rows=6, cols=2)
    grid.style = "Table Grid"
    for index, pair in enumerate(keys):
        for column, key in enumerate(pair):
            _cell_text(grid.rows[2 * index].cells[column], [_label(style, key)], bold=True)
            items = [
                str(item) if not isinstance(item, dict) else str(item.get("teks", "")) for item in sop.get(key, [])
            ]
            if key in style.numbered:
                items = [f"{number}. {item}" for number, item in enumerate(items, start=1)]
            _cell_text(grid.rows[2 * index + 1].cells[column], items)


# -- the procedure -------------------------------------------------------------------------


def _columns(sop: dict[str, Any]) -> list[int]:
    roles = [r if isinstance(r, str) else r["nama"] for r in sop["pelaksana"]]
    return [NO_W, ACTIVITY_W, *[ROLE_W] * len(roles), REQ_W, TIME_W, OUT_W, REMARK_W]


def _performers(step: dict[str, Any]) -> list[tuple[str, str]]:
    """(role, kind) of each symbol of a step, left to right."""
    if "rantai" in step:
        chain = []
        for index, entry in enumerate(step["rantai"]):
            last = index == len(step["rantai"]) - 1
            if isinstance(entry, dict):
                chain.append((entry["pelaksana"], entry.get("jenis", "proses")))
            else:
                chain.append((entry, step.get("jenis", "proses") if last else "proses"))
        return chain
    names = step["pelaksana"] if isinstance(step["pelaksana"], list) else [step["pelaksana"]]
    return [(name, step.get("jenis", "proses")) for name in names]


def _header(table: Any, sop: dict[str, Any], style: Style, first: int) -> int:
    """Write the two header rows (and the column numbers) from row ``first``; return the
    next row index."""
    roles = [r if isinstance(r, str) else r["nama"] for r in sop["pelaksana"]]
    n = len(roles)
    top, names = table.rows[first], table.rows[first + 1]
    _cell_text(top.cells[0], [_label(style, "no")], bold=True, center=True)
    _cell_text(top.cells[1], [_label(style, "kegiatan")], bold=True, center=True)
    _cell_text(top.cells[2], [_label(style, "pelaksana")], bold=True, center=True)
    _cell_text(top.cells[2 + n], [_label(style, "mutu_baku")], bold=True, center=True)
    _cell_text(top.cells[5 + n], [_label(style, "keterangan")], bold=True, center=True)
    for index, role in enumerate(roles):
        _cell_text(names.cells[2 + index], [role], bold=True, size=7, center=True)
    for offset, key in enumerate(("kelengkapan", "waktu", "output")):
        _cell_text(names.cells[2 + n + offset], [_label(style, key)], bold=True, size=8, center=True)
    top.cells[2].merge(top.cells[1 + n])
    top.cells[2 + n].merge(top.cells[4 + n])
    for column in (0, 1, 5 + n):
        _merge_down(table, column, first, first + 1)
    _row_height(top, HEADER_H)
    _row_height(names, NAMES_H)
    for row in (top, names):
        _repeat_header(row)
    following = first + 2
    if style.column_numbers:
        numbers = table.rows[following]
        for index in range(6 + n):
            _cell_text(numbers.cells[index], [str(index + 1)], size=7, center=True)
        _row_height(numbers, NUMBER_H)
        _repeat_header(numbers)
        following += 1
    return following


class _Drawing:
    """Shapes with ids, and where each symbol is (for connectors)."""

    def __init__(self) -> None:
        self.next_id = 100
        self.where: dict[tuple[str, str], tuple[int, int, int, int, int]] = {}
        """(step no, role) -> (shape id, x, y, w, h) in twips, relative to the table's
        first step row's top-left corner."""

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id


PRESET = {"proses": "flowChartProcess", "keputusan": "flowChartDecision", "terminator": "flowChartTerminator"}
VML_TYPE = {"proses": "109", "keputusan": "110", "terminator": "116"}
VML_PATH = {
    "109": "m,l,21600r21600,l21600,xe",
    "110": "m10800,l,10800,10800,21600,21600,10800xe",
    "116": "m3475,qx,10800,3475,21600l18125,21600qx21600,10800,18125,xe",
}
LINE = '<a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill>{tail}</a:ln><wps:bodyPr/>'


def _wsp(kind: str, shape_id: int, x: int, y: int, w: int, h: int, *, child: bool) -> str:
    frame = (
        f'<a:xfrm><a:off x="{x * EMU_PER_TWIP}" y="{y * EMU_PER_TWIP}"/>'
        f'<a:ext cx="{w * EMU_PER_TWIP}" cy="{h * EMU_PER_TWIP}"/></a:xfrm>'
    )
    identity = f'<wps:cNvPr id="{shape_id}" name="Flowchart {shape_id}"/>' if child else ""
    return (
        f'<wps:wsp>{identity}<wps:cNvSpPr/><wps:spPr>{frame}<a:prstGeom prst="{PRESET[kind]}"><a:avLst/></a:prstGeom>'
        '<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>'
        + LINE.format(tail="")
        + "</wps:spPr><wps:bodyPr/></wps:wsp>"
    ).replace("<wps:bodyPr/></wps:spPr>", "</wps:spPr>")


def _connector_wsp(
    shape_id: int, points: tuple[int, int, int, int], glue: tuple[int, int] | None, *, child: bool
) -> str:
    x1, y1, x2, y2 = points
    x, y, w, h = min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1)
    flips = (' flipH="1"' if x2 < x1 else "") + (' flipV="1"' if y2 < y1 else "")
    frame = (
        f'<a:xfrm{flips}><a:off x="{x * EMU_PER_TWIP}" y="{y * EMU_PER_TWIP}"/>'
        f'<a:ext cx="{max(w, 1) * EMU_PER_TWIP}" cy="{max(h, 1) * EMU_PER_TWIP}"/></a:xfrm>'
    )
    identity = f'<wps:cNvPr id="{shape_id}" name="Connector {shape_id}"/>' if child else ""
    cxn = f'<a:stCxn id="{glue[0]}" idx="1"/><a:endCxn id="{glue[1]}" idx="3"/>' if glue else ""
    prst = "straightConnector1" if x1 == x2 or y1 == y2 else "bentConnector2"
    return (
        f"<wps:wsp>{identity}<wps:cNvCnPr>{cxn}</wps:cNvCnPr><wps:spPr>{frame}"
        f'<a:prstGeom prst="{prst}"><a:avLst/></a:prstGeom>'
        '<a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill><a:tailEnd type="triangle"/></a:ln>'
        "</wps:spPr><wps:bodyPr/></wps:wsp>"
    )


def _anchor(body: str, shape_id: int, x: int, y: int, w: int, h: int, *, page: bool, graphic: str) -> str:
    horizontal = "page" if page else "column"
    vertical = "page" if page else "paragraph"
    uri = {
        "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
        "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    }[graphic]
    return (
        f'<w:r {NAMESPACES}><mc:AlternateContent><mc:Choice Requires="{graphic}"><w:drawing>'
        f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{251659264 + shape_id}" '
        f'behindDoc="0" locked="0" layoutInCell="{0 if page else 1}" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="{horizontal}"><wp:posOffset>{x * EMU_PER_TWIP}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="{vertical}"><wp:posOffset>{y * EMU_PER_TWIP}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{max(w, 1) * EMU_PER_TWIP}" cy="{max(h, 1) * EMU_PER_TWIP}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:wrapNone/><wp:docPr id="{shape_id}" name="Shape {shape_id}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="{uri}">{body}</a:graphicData></a:graphic>'
        "</wp:anchor></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:rect style="width:1pt;height:1pt"/></w:pict></mc:Fallback>'
        "</mc:AlternateContent></w:r>"
    )


def _vml_symbol(kind: str, shape_id: int, x: int, y: int) -> str:
    spt = VML_TYPE[kind]
    return (
        f"<w:r {NAMESPACES}><w:pict>"
        f'<v:shapetype id="_x0000_t{spt}" coordsize="21600,21600" o:spt="{spt}" path="{VML_PATH[spt]}">'
        '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t{spt}" '
        f'style="position:absolute;margin-left:{x / 20:.1f}pt;margin-top:{y / 20:.1f}pt;'
        f"width:{SYMBOL_W / 20:.1f}pt;height:{SYMBOL_H / 20:.1f}pt;z-index:{shape_id};"
        'mso-position-horizontal-relative:text;mso-position-vertical-relative:text" strokeweight=".5pt"/>'
        "</w:pict></w:r>"
    )


def _vml_line(shape_id: int, points: tuple[int, int, int, int]) -> str:
    x1, y1, x2, y2 = points
    return (
        f'<w:r {NAMESPACES}><w:pict><v:line id="_x0000_s{shape_id}" '
        f'style="position:absolute;z-index:{shape_id};mso-position-horizontal-relative:page;'
        f'mso-position-vertical-relative:page" from="{x1 / 20:.1f}pt,{y1 / 20:.1f}pt" '
        f'to="{x2 / 20:.1f}pt,{y2 / 20:.1f}pt" '
        'strokeweight=".5pt"><v:stroke endarrow="block"/></v:line></w:pict></w:r>'
    )


def _arrows(sop: dict[str, Any], style: Style) -> list[tuple[tuple[str, str], tuple[str, str], str]]:
    """The lines a form draws: (from step/role, to step/role, label)."""
    steps = sop["langkah"]
    keys = [str(step["no"]) for step in steps]
    found = []
    for index, step in enumerate(steps):
        symbols = _performers(step)
        no = str(step["no"])
        for (a, _), (b, _) in itertools.pairwise(symbols):
            if style.all_arrows:
                found.append(((no, a), (no, b), ""))
        last = symbols[-1][0]

        def entry(target: Any) -> tuple[str, str]:
            if isinstance(target, dict):
                return str(target["langkah"]), str(target["pelaksana"])
            to = steps[keys.index(str(target))]
            return str(target), _performers(to)[0][0]

        if "tidak" in step:
            found.append(((no, last), entry(step["tidak"]), "Tidak"))
        if "lanjut_ke" in step:
            found.append(((no, last), entry(step["lanjut_ke"]), ""))
        elif style.all_arrows and index + 1 < len(steps):
            found.append(((no, last), entry(step.get("ya", steps[index + 1]["no"])), "Ya" if "ya" in step else ""))
    return found


def _procedure(document: Any, sop: dict[str, Any], style: Style) -> None:
    roles = [r if isinstance(r, str) else r["nama"] for r in sop["pelaksana"]]
    steps = sop["langkah"]
    widths = _columns(sop)
    parts = [steps[: style.split_after], steps[style.split_after :]] if style.split_after else [steps]
    drawing = _Drawing()
    role_left = {role: sum(widths[: 2 + index]) for index, role in enumerate(roles)}
    rows_before = 2 + (1 if style.column_numbers else 0)
    head_height = HEADER_H + NAMES_H + (NUMBER_H if style.column_numbers else 0)
    first_symbol = {str(steps[0]["no"])}
    last_symbol = {str(steps[-1]["no"])}
    group: list[str] = []
    group_anchor: Any = None
    for part_index, part in enumerate(parts):
        breaker = document.add_paragraph()  # the procedure begins a page (a 1 pt line above it)
        breaker.paragraph_format.page_break_before = True
        breaker.paragraph_format.line_spacing = Pt(1)
        breaker.add_run("").font.size = Pt(1)
        table = document.add_table(rows=rows_before + len(part), cols=len(widths))
        table.style = "Table Grid"
        table.autofit = False
        row = _header(table, sop, style, 0)
        for offset, step in enumerate(part):
            cells = table.rows[row + offset].cells
            _row_height(table.rows[row + offset], ROW_H)
            _cell_text(cells[0], [str(step["no"])], center=True)
            _cell_text(cells[1], [str(step["kegiatan"])])
            n = len(roles)
            _cell_text(cells[2 + n], _items(step.get("kelengkapan")))
            _cell_text(cells[3 + n], _items(step.get("waktu")), center=True)
            _cell_text(cells[4 + n], _items(step.get("output")))
            _cell_text(cells[5 + n], _items(step.get("keterangan")))
            no = str(step["no"])
            for role, kind in _performers(step):
                shown = "terminator" if (no in first_symbol or no in last_symbol) and kind == "proses" else kind
                shape_id = drawing.new_id()
                x_in_cell = (ROLE_W - SYMBOL_W) // 2 - 108
                y_in_cell = (ROW_H - SYMBOL_H) // 2 - 40
                drawing.where[(no, role)] = (
                    shape_id,
                    role_left[role] + (ROLE_W - SYMBOL_W) // 2,
                    offset * ROW_H + (ROW_H - SYMBOL_H) // 2,
                    SYMBOL_W,
                    SYMBOL_H,
                )
                cell = cells[2 + roles.index(role)]
                if style.shapes == "drawingml":
                    body = _wsp(shown, shape_id, 0, 0, SYMBOL_W, SYMBOL_H, child=False)
                    xml = _anchor(body, shape_id, x_in_cell, y_in_cell, SYMBOL_W, SYMBOL_H, page=False, graphic="wps")
                    cell.paragraphs[0]._p.append(parse_xml(xml))
                elif style.shapes == "vml":
                    cell.paragraphs[0]._p.append(parse_xml(_vml_symbol(shown, shape_id, x_in_cell, y_in_cell)))
                else:
                    group.append(_wsp(shown, shape_id, *drawing.where[(no, role)][1:], child=True))
            if offset == 0 and part_index == 0 and style.shapes == "group":
                group_anchor = cells[2]
        for column, twips in zip(table.columns, widths, strict=True):
            column.width = Cm(twips / 567)
        for cell, twips in ((c, w) for r in table.rows for c, w in zip(r.cells, widths, strict=True)):
            _width(cell, twips)

        table_page_top = MARGIN + BREAKER_H + head_height  # the first step row of this table, on its page
        for source, target, _label_text in _arrows(sop, style):
            if style.shapes == "group" or source[0] not in {str(s["no"]) for s in part}:
                continue
            if target[0] not in {str(s["no"]) for s in part}:
                continue
            a, b = drawing.where[source], drawing.where[target]
            start, end = _ends(a, b)
            shape_id = drawing.new_id()
            source_offset = [str(s["no"]) for s in part].index(source[0])
            base_y = source_offset * ROW_H
            cell = table.rows[row + source_offset].cells[2 + roles.index(source[1])]
            if style.shapes == "vml":
                points = (
                    MARGIN + start[0],
                    table_page_top + start[1] - base_y + base_y,
                    MARGIN + end[0],
                    table_page_top + end[1],
                )
                cell.paragraphs[0]._p.append(parse_xml(_vml_line(shape_id, points)))
                continue
            glue = (a[0], b[0]) if style.glued else None
            x, y = min(start[0], end[0]), min(start[1], end[1])
            body = _connector_wsp(shape_id, (start[0], start[1], end[0], end[1]), glue, child=False)
            body = body.replace(f'<a:off x="{x * EMU_PER_TWIP}" y="{y * EMU_PER_TWIP}"/>', '<a:off x="0" y="0"/>')
            xml = _anchor(
                body,
                shape_id,
                MARGIN + x,
                table_page_top + y,
                abs(end[0] - start[0]),
                abs(end[1] - start[1]),
                page=True,
                graphic="wps",
            )
            cell.paragraphs[0]._p.append(parse_xml(xml))
    if style.shapes == "group" and group_anchor is not None:
        for source, target, _label_text in _arrows(sop, style):
            a, b = drawing.where[source], drawing.where[target]
            start, end = _ends(a, b)
            group.append(_connector_wsp(drawing.new_id(), (start[0], start[1], end[0], end[1]), None, child=True))
        # The group's frame is its children's bounding box (LibreOffice stretches the
        # children's box to the frame whatever chOff/chExt say; Word honours both).
        boxes = [(x, y, x + w, y + h) for _, x, y, w, h in drawing.where.values()]
        left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        width, height = max(b[2] for b in boxes) - left, max(b[3] for b in boxes) - top
        group_id = drawing.new_id()
        body = (
            "<wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr><a:xfrm>"
            f'<a:off x="{left * EMU_PER_TWIP}" y="{top * EMU_PER_TWIP}"/>'
            f'<a:ext cx="{width * EMU_PER_TWIP}" cy="{height * EMU_PER_TWIP}"/>'
            f'<a:chOff x="{left * EMU_PER_TWIP}" y="{top * EMU_PER_TWIP}"/>'
            f'<a:chExt cx="{width * EMU_PER_TWIP}" cy="{height * EMU_PER_TWIP}"/>'
            "</a:xfrm></wpg:grpSpPr>" + "".join(group) + "</wpg:wgp>"
        )
        xml = _anchor(
            body,
            group_id,
            MARGIN + left,
            MARGIN + BREAKER_H + head_height + top,
            width,
            height,
            page=True,
            graphic="wpg",
        )
        group_anchor.paragraphs[0]._p.append(parse_xml(xml))


def _ends(
    a: tuple[int, int, int, int, int], b: tuple[int, int, int, int, int]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Where a line from symbol ``a`` to symbol ``b`` starts and ends (twips)."""
    _, ax, ay, aw, ah = a
    _, bx, by, bw, bh = b
    if ay == by and bx < ax:  # back within the row: from below the symbol to the one before it
        return (ax + aw // 2, ay + ah), (bx + bw, by + bh)
    if ay == by:  # on along the row: side to side
        return (ax + aw, ay + ah // 2), (bx, by + bh // 2)
    if by < ay:  # back up: from the side of a to the side of b
        return (ax, ay + ah // 2), (bx + (bw if bx < ax else 0), by + bh // 2)
    return (ax + aw // 2, ay + ah), (bx + bw // 2, by)


def build_docx(sop: dict[str, Any], style: Style, path: Path) -> None:
    global ROW_H, ROLE_W, SYMBOL_W, ACTIVITY_W, PAGE_W, PAGE_H  # the geometry of this form (one at a time)
    ROW_H = style.row_height
    PAGE_W, PAGE_H = style.paper
    ACTIVITY_W = 3100
    room = PAGE_W - 2 * MARGIN - (NO_W + ACTIVITY_W + REQ_W + TIME_W + OUT_W + REMARK_W)
    ROLE_W = min(1250, room // len(sop["pelaksana"]))
    if ROLE_W < 1000:  # many lanes: the activity column gives them room, as offices do
        ACTIVITY_W -= (1000 - ROLE_W) * len(sop["pelaksana"])
        ROLE_W = 1000
    SYMBOL_W = min(900, ROLE_W - 200)
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(PAGE_W / 567), Cm(PAGE_H / 567)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN / 567))
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(9)
    normal.paragraph_format.space_after = Pt(0)
    _identity(document, sop, style)
    _procedure(document, sop, style)
    # The paragraph python-docx's template ends with after the page break would open a blank page.
    document.save(str(path))


# -- copied text ---------------------------------------------------------------------------


def word_copy(path: Path) -> str:
    """The text Word's copy of the whole document gives when pasted as plain text: a table
    row's cells apart by tabs, each paragraph (also inside a cell) on a line of its own, a
    merged cell once."""
    document = docx.Document(str(path))
    lines: list[str] = []
    body = document.element.body
    for element in body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in element.iter("{*}t")))
        elif tag == "tbl":
            for tr in element.iterchildren("{*}tr"):
                cells = []
                for tc in tr.iterchildren("{*}tc"):
                    paragraphs = ["".join(t.text or "" for t in p.iter("{*}t")) for p in tc.iterchildren("{*}p")]
                    merged = tc.find("{*}tcPr/{*}vMerge")
                    continued = merged is not None and merged.get(
                        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val"
                    ) in (None, "continue")
                    cells.append("" if continued else "\n".join(paragraphs))
                lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def pdf_copy(pdf: Path) -> str:
    """The text a PDF viewer copies: the page's text in the order it is drawn, words on one
    baseline joined by a space, as the viewer of Chrome and Edge (PDFium) copies it (poppler's
    ``pdftotext -raw`` gives the same lines)."""
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def print_pdf(source: Path, target: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            capture_output=True,
            check=True,
            timeout=180,
        )
        shutil.move(Path(folder) / (source.stem + ".pdf"), target)


class _Loader(yaml.SafeLoader):
    """YAML 1.2's booleans only: ``no:`` is a key, as the portal's reader reads it."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in value if tag != "tag:yaml.org,2002:bool"]
    for key, value in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def build(name: str) -> None:
    sop = yaml.load((CORPUS / f"{name}.yaml").read_text(encoding="utf-8"), Loader=_Loader)
    style = STYLES[name]
    word = CORPUS / f"{name}.docx"
    build_docx(sop, style, word)
    (CORPUS / f"{name}.salin-word.txt").write_text(word_copy(word), encoding="utf-8")
    pdf = CORPUS / f"{name}.pdf"
    print_pdf(word, pdf)
    (CORPUS / f"{name}.salin-pdf.txt").write_text(pdf_copy(pdf), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[])
    args = parser.parse_args(argv)
    for name in args.only or sorted(STYLES):
        print(f"{name} ...", flush=True)
        build(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
