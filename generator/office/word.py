"""The official SOP sheet as an editable Word file (``lembar-sop.docx``).

Two tables in the official layout (Permen PANRB 35/2012): the identity sheet, and the
procedure with one column per pelaksana whose symbols are native Word shapes (DrawingML
preset geometries: process box, decision diamond, start/end capsule) in their cells. An
office edits it in Word like the sheet it used to keep; ``python -m generator impor``
reads it back into the same SOP.

Each symbol carries its step in its alternative text: in words (what a screen reader says,
"Langkah 9: keputusan ...") and, in the shape's title, as a short token the importer reads
(which step, which symbol of the row, and where its Ya/Tidak/flow arrows go). Everything
else the importer needs is the visible text of the tables.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell

from generator.model.sop import BranchKind, Item, Performance, Sop, Step, StepKind

TOKEN = "sop:v1"
"""The start of a symbol's machine-readable title (see :func:`symbol_token`)."""

SIZES = {"proses": (Mm(14), Mm(7)), "keputusan": (Mm(12), Mm(9)), "terminator": (Mm(14), Mm(6))}
GEOMETRY = {"proses": "flowChartProcess", "keputusan": "flowChartDecision", "terminator": "flowChartTerminator"}
PAPER = {"A4": (Mm(297), Mm(210)), "F4": (Mm(330), Mm(215))}

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)


def _target(key: str | None, entry: int) -> str:
    return f"{key}:{entry}" if key else "-"


OFFICE_FIELDS = ("pemerintah", "instansi", "unit", "sub_unit", "alamat")
"""The lines of the sheet's heading cell, in order (those the SOP leaves empty are not printed)."""


def office_lines(sop: Sop) -> list[str]:
    """The fields the heading cell prints, one line each."""
    return [name for name in OFFICE_FIELDS if getattr(sop, name)]


def settings_token(sop: Sop) -> str:
    """What the sheet does not print but the SOP's source says (``sop:v1 <json>``, in the
    document's comments): the form's own labels and printing, the family, each step's
    phase and each column's jabatan, so that importing the sheet gives the same source."""
    printing: dict[str, Any] = {}
    if sop.labels:
        printing["label"] = dict(sop.labels)
    if not sop.terminators:
        printing["simbol_mulai_selesai"] = False
    if sop.page_breaks:
        printing["halaman_baru"] = list(sop.page_breaks)
    if sop.paper:
        printing["kertas"] = sop.paper
    if sop.steps_per_page:
        printing["langkah_per_halaman"] = sop.steps_per_page
    meta: dict[str, Any] = {"cetak": printing} if printing else {}
    meta["kop"] = office_lines(sop)
    if sop.keluarga:
        meta["keluarga"] = sop.keluarga
    phases = {step.key: step.tahap for step in sop.langkah if step.tahap}
    if phases:
        meta["tahap"] = phases
    jabatan = {role.name: role.jabatan for role in sop.pelaksana if role.jabatan}
    if jabatan:
        meta["jabatan"] = jabatan
    return f"{TOKEN} {json.dumps(meta, ensure_ascii=False, sort_keys=True)}"


def symbol_token(sop: Sop, step: Step, index: int) -> str:
    """``sop:v1 key=K no=N i=I n=N kind=... perf=... parent=P flow=T:E ya=T:E tidak=T:E``:
    the step's key and number, which of its symbols this is, how its roles take part, and
    the arrows leaving this symbol (target step key and the symbol it enters)."""
    parts = [
        TOKEN,
        f"key={step.key}",
        f"i={index}",
        f"n={len(step.roles)}",
        f"kind={step.symbol_kinds[index].value if index < len(step.symbol_kinds) else step.kind.value}",
        f"perf={step.performance.value}",
        f"role={quote(step.roles[index], safe='')}",
        "roles=" + "|".join(quote(role, safe="") for role in step.roles),
    ]
    if step.parent:
        parts.append(f"parent={step.parent}")
    last = len(step.roles) - 1
    for branch in step.branches:
        source = last if branch.source < 0 else branch.source
        if source == index or (step.performance is Performance.BERSAMA and index == 0):
            parts.append(f"{branch.kind.value}={_target(branch.target, branch.entry)}")
    return " ".join(parts)


def _words(sop: Sop, step: Step, index: int) -> str:
    kind = step.symbol_kinds[index] if index < len(step.symbol_kinds) else step.kind
    text = f"Langkah {step.no}: {'keputusan' if kind is StepKind.KEPUTUSAN else 'proses'} oleh {step.roles[index]}"
    for branch in step.branches:
        if branch.target is None:
            continue
        name = {BranchKind.YA: "bila Ya", BranchKind.TIDAK: "bila Tidak", BranchKind.FLOW: "lanjut"}[branch.kind]
        text += f"; {name} ke langkah {sop.step(branch.target).no}"
    return text + "."


class _Shapes:
    """Inline DrawingML shapes, numbered uniquely within the document."""

    def __init__(self) -> None:
        self.next_id = 1

    def add(self, cell: _Cell, kind: str, title: str, words: str, *, width: int | None = None) -> None:
        width, height = (width or SIZES[kind][0]), SIZES[kind][1]
        self.next_id += 1
        xml = (
            f"<w:r {_NS}><w:drawing>"
            f'<wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{int(width)}" cy="{int(height)}"/>'
            f'<wp:docPr id="{self.next_id}" name={quoteattr(f"Simbol {self.next_id}")} '
            f"descr={quoteattr(words)} title={quoteattr(title)}/>"
            f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f"<wps:wsp><wps:cNvSpPr/><wps:spPr>"
            f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{int(width)}" cy="{int(height)}"/></a:xfrm>'
            f'<a:prstGeom prst="{GEOMETRY[kind]}"><a:avLst/></a:prstGeom>'
            f'<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>'
            f'<a:ln w="12700"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln>'
            f"</wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline>"
            f"</w:drawing></w:r>"
        )
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph._p.append(parse_xml(xml))


def _text(cell: _Cell, lines: list[str], *, bold: bool = False, size: float = 9, center: bool = False) -> None:
    """Write ``lines`` as the cell's paragraphs (one paragraph each, so lists stay lists).
    The paragraphs are made as XML in one go: python-docx's run by run calls were most of
    a sheet's time."""
    run_properties = f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{int(size * 2)}"/></w:rPr>'
    align = '<w:jc w:val="center"/>' if center else ""
    paragraph_properties = f'<w:pPr><w:spacing w:after="0"/>{align}</w:pPr>'
    paragraphs = "".join(
        f'<w:p>{paragraph_properties}<w:r>{run_properties}<w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
        for line in lines or [""]
    )
    tc = cell._tc
    for old in tc.findall(qn("w:p")):
        tc.remove(old)
    for paragraph in parse_xml(f"<w:body {_NS}>{paragraphs}</w:body>"):
        tc.append(paragraph)


def _items(cell: _Cell, items: tuple[Item, ...], link: Callable[[str], str] | None) -> None:
    """A Kelengkapan or Output list, one paragraph per item; an item naming a document
    template links to its workbook (which the importer reads the template back from)."""
    _text(cell, [item.text for item in items])
    if link is None:
        return
    for paragraph, item in zip(cell.paragraphs, items, strict=False):
        if item.document and paragraph.runs:
            run = paragraph.runs[0]
            target = paragraph.part.relate_to(link(item.document), RT.HYPERLINK, is_external=True)
            hyperlink = parse_xml(f'<w:hyperlink {_NS} xmlns:r="{_R}" r:id="{target}"/>')
            run._r.addprevious(hyperlink)
            hyperlink.append(run._r)
            run.font.underline = True
            run.font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)


def _shade(cell: _Cell, fill: str = "E7E6E6") -> None:
    properties = cell._tc.get_or_add_tcPr()
    properties.append(parse_xml(f'<w:shd {_NS} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def _borders(table: object) -> None:
    table.style = "Table Grid"  # type: ignore[attr-defined]


def _landscape(document: object, paper: str) -> None:
    width, height = PAPER.get(paper, PAPER["A4"])
    for section in document.sections:  # type: ignore[attr-defined]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = width, height
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(12))


def _identity(document: object, sop: Sop) -> None:
    label = sop.label
    table = document.add_table(rows=6, cols=3)  # type: ignore[attr-defined]
    _borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    office = table.cell(0, 0).merge(table.cell(5, 0))
    _text(
        office,
        [getattr(sop, name) for name in office_lines(sop)],
        bold=True,
        size=10,
        center=True,
    )
    approver = sop.disahkan_oleh
    dates = (
        (label("nomor_sop"), sop.nomor),
        (label("tanggal_pembuatan"), sop.tanggal_pembuatan.text if sop.tanggal_pembuatan else ""),
        (label("tanggal_revisi"), sop.tanggal_revisi.text if sop.tanggal_revisi else ""),
        (label("tanggal_efektif"), sop.tanggal_efektif.text if sop.tanggal_efektif else ""),
    )
    for row, (name, value) in enumerate(dates):
        _text(table.cell(row, 1), [name], bold=True)
        _text(table.cell(row, 2), [value])
    _text(table.cell(4, 1), [label("disahkan_oleh")], bold=True)
    signature = [
        approver.jabatan,
        "",
        "",
        "",
        approver.nama,
        approver.pangkat,
        f"NIP. {approver.nip}" if approver.nip else "",
    ]
    _text(table.cell(4, 2), [line for line in signature if line is not None], center=True)
    _text(table.cell(5, 1), [label("nama_sop")], bold=True)
    _text(table.cell(5, 2), [sop.nama], bold=True, size=10)
    _widths(table, [Mm(100), Mm(45), Mm(128)])
    document.add_paragraph()  # type: ignore[attr-defined]
    sections = document.add_table(rows=6, cols=2)  # type: ignore[attr-defined]
    _borders(sections)
    pairs = (
        ("dasar_hukum", "kualifikasi_pelaksana"),
        ("keterkaitan", "peralatan_perlengkapan"),
        ("peringatan", "pencatatan_pendataan"),
    )
    for index, (left, right) in enumerate(pairs):
        for column, name in enumerate((left, right)):
            head = sections.cell(2 * index, column)
            _text(head, [label(name).upper()], bold=True)
            _shade(head)
            values: tuple[str, ...] = (
                tuple(link.text for link in sop.keterkaitan) if name == "keterkaitan" else getattr(sop, name)
            )
            _text(sections.cell(2 * index + 1, column), list(values))


def _procedure(document: object, sop: Sop, shapes: _Shapes, link: Callable[[str], str] | None) -> None:
    label = sop.label
    roles = list(sop.role_names)
    if sop.judul_uraian:
        paragraph = document.add_paragraph()  # type: ignore[attr-defined]
        paragraph.add_run(sop.judul_uraian).bold = True
    columns = 2 + len(roles) + 4
    table = document.add_table(rows=2, cols=columns)  # type: ignore[attr-defined]
    _borders(table)
    first, second = table.rows[0].cells, table.rows[1].cells
    heads = [(0, label("no")), (1, label("kegiatan"))]
    for index, name in heads:
        cell = table.cell(0, index).merge(table.cell(1, index))
        _text(cell, [name], bold=True, center=True)
    lanes = table.cell(0, 2).merge(table.cell(0, 1 + len(roles))) if len(roles) > 1 else first[2]
    _text(lanes, [label("pelaksana")], bold=True, center=True)
    for offset, role in enumerate(roles):
        _text(second[2 + offset], [role], bold=True, center=True, size=8)
    quality = table.cell(0, 2 + len(roles)).merge(table.cell(0, 4 + len(roles)))
    _text(quality, ["Mutu Baku"], bold=True, center=True)
    for offset, key in enumerate(("kelengkapan", "waktu", "output")):
        _text(second[2 + len(roles) + offset], [label(key)], bold=True, center=True, size=8)
    remark = table.cell(0, columns - 1).merge(table.cell(1, columns - 1))
    _text(remark, [label("keterangan")], bold=True, center=True)
    for cell in (*first, *second):
        _shade(cell)
    terminal = {sop.langkah[0].key, sop.langkah[-1].key} if sop.terminators and sop.langkah else set()
    symbol_steps = [step for step in sop.langkah if step.has_symbol]
    ends = {symbol_steps[0].key, symbol_steps[-1].key} if sop.terminators and symbol_steps else terminal
    for step in sop.langkah:
        cells = table.add_row().cells
        _text(cells[0], [step.no], center=True)
        _text(cells[1], [step.kegiatan])
        lanes_of = [roles.index(role) for role in step.roles if role in roles]
        if step.performance is Performance.BERSAMA and lanes_of:
            low, high = min(lanes_of), max(lanes_of)
            merged = table.cell(len(table.rows) - 1, 2 + low)
            if high > low:
                merged = merged.merge(table.cell(len(table.rows) - 1, 2 + high))
            _symbol(shapes, merged, sop, step, 0, ends, lanes=high - low + 1, lane=Mm(lane_mm(roles)))
        else:
            for index, lane in enumerate(lanes_of):
                _symbol(shapes, cells[2 + lane], sop, step, index, ends)
        _items(cells[2 + len(roles)], step.kelengkapan, link)
        _text(cells[3 + len(roles)], [step.waktu.text if step.waktu else ""], center=True)
        _items(cells[4 + len(roles)], step.output, link)
        _text(cells[columns - 1], [step.keterangan])
    _widths(table, [Mm(9), Mm(58), *[Mm(lane_mm(roles))] * len(roles), Mm(30), Mm(17), Mm(30), Mm(18)])


def lane_mm(roles: list[str]) -> int:
    """Width of one pelaksana column: the page's width left over, shared (at least 16 mm)."""
    return max(14, 100 // max(len(roles), 1))


def _widths(table: object, widths: list[int]) -> None:
    """Fixed column widths (Word and LibreOffice both read the grid and each cell's width)."""
    table.autofit = False  # type: ignore[attr-defined]
    for column, width in zip(table.columns, widths, strict=False):  # type: ignore[attr-defined]
        column.width = width
    for row in table.rows:  # type: ignore[attr-defined]
        for tc, width in zip(row._tr.tc_lst, widths, strict=False):
            tc.width = width


def _symbol(
    shapes: _Shapes, cell: _Cell, sop: Sop, step: Step, index: int, ends: set[str], *, lanes: int = 1, lane: int = 0
) -> None:
    kind = step.symbol_kinds[index] if index < len(step.symbol_kinds) else step.kind
    terminal = step.key in ends and len(step.roles) == 1
    drawn = "keputusan" if kind is StepKind.KEPUTUSAN else "terminator" if terminal else "proses"
    # A joint step's one symbol spans the lanes of all who take part in it.
    width = lane * lanes - int(Mm(6)) if lanes > 1 else None
    shapes.add(cell, drawn, symbol_token(sop, step, index), _words(sop, step, index), width=width)
    if kind is StepKind.KEPUTUSAN:
        yes, no = step.branch(BranchKind.YA, index), step.branch(BranchKind.TIDAK, index)
        marks = []
        if yes and yes.target:
            marks.append(f"Ya: {sop.step(yes.target).no}")
        if no and no.target:
            marks.append(f"Tidak: {sop.step(no.target).no}")
        if marks:
            _text_after(cell, " · ".join(marks))


def _text_after(cell: _Cell, text: str) -> None:
    paragraph = cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size = Pt(7)


def render_word(sop: Sop, paper: str = "A4", link: Callable[[str], str] | None = None) -> bytes:
    """The SOP's official sheet as a .docx: identity, then the procedure on a new page.
    ``link(document_id)`` is the address of the SOP's workbook for a document template."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(9)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Arial")
    document.core_properties.title = sop.nama
    document.core_properties.subject = f"SOP {sop.nomor}".strip()
    document.core_properties.author = sop.instansi or "Portal SOP"
    # The comments hold the settings token; python-docx refuses more than 255 characters,
    # which the format itself does not limit: the element is written directly.
    document.core_properties.comments = TOKEN
    description = document.core_properties._element.find(qn("dc:description"))
    description.text = settings_token(sop)
    _landscape(document, sop.paper or paper)
    _identity(document, sop)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _procedure(document, sop, _Shapes(), link)
    buffer = io.BytesIO()
    document.save(buffer)
    return _reproducible(buffer.getvalue(), sop)


def _reproducible(data: bytes, sop: Sop) -> bytes:
    """The same .docx for the same SOP: python-docx stamps each zip entry with the time of
    saving; every entry is written again with a fixed time, in the same order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
