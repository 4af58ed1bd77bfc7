"""The official SOP sheet as an editable Word file (``<sop-id>-lembar-sop.docx``).

The official layout (Permen PANRB 35/2012): the identity sheet, then the procedure, one
table per page with one column per pelaksana, drawn as the paper draws it. Each symbol is a
native Word shape (DrawingML preset geometry: process box, decision diamond, start/end
capsule, off-page connector) with its step's number inside; each arrow is one freeform line
with an arrowhead, each Ya/Tidak a text box beside its line. All are anchored in the
pelaksana cell of their row and placed relative to it (where :mod:`.word_layout` puts them),
so Word and LibreOffice draw them where the rows are, and an office can move, stretch or
delete any of them. ``python -m generator impor`` reads the sheet back into the same SOP.

Each symbol carries its step in its alternative text: in words (what a screen reader says,
"Langkah 9: keputusan ...") and, in the shape's title, as a short token the importer reads
(which step, which symbol of the row, and where its Ya/Tidak arrows go). Everything else the
importer needs is the visible text of the tables and the settings in the document's comments.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from generator.model.sop import BranchKind, Item, Performance, Sop, Step, StepKind
from generator.office import textfit
from generator.office.textfit import LINE_PITCH
from generator.office.word_layout import (
    CELL_PAD_X,
    CELL_PAD_Y,
    HEADER_PAD,
    LABEL_SIZE,
    NUMBER_ROW,
    PT,
    SYMBOL_TEXT,
    Column,
    HeaderText,
    Layout,
    Page,
    Route,
    Symbol,
    layout,
    page_size,
)
from generator.office.word_layout import Row as LaidRow

TOKEN = "sop:v1"
"""The start of a symbol's machine-readable title (see :func:`symbol_token`)."""

EMU_PER_MM = 36_000

GEOMETRY = {
    "proses": "flowChartProcess",
    "keputusan": "flowChartDecision",
    "terminator": "flowChartTerminator",
    "penghubung": "flowChartOffpageConnector",
}
"""The DrawingML preset geometry of each symbol."""
MARGIN_MM = 12
HEADER_FILL = "E7E6E6"
LINK_COLOUR = "1F4E79"


def _target(key: str | None, entry: int) -> str:
    return f"{key}:{entry}" if key else "-"


OFFICE_FIELDS = ("pemerintah", "instansi", "unit", "sub_unit", "alamat")
"""The lines of the sheet's heading cell, in order (those the SOP leaves empty are not printed)."""


def office_lines(sop: Sop) -> list[str]:
    """The fields the heading cell prints, one line each."""
    return [name for name in OFFICE_FIELDS if getattr(sop, name)]


def settings_token(sop: Sop) -> str:
    """What the sheet does not print but the SOP's source says (``sop:v1 <json>``, in the
    document's comments): the SOP's id (importing the sheet updates that SOP), which lines
    of the signature block it fills, the form's own labels and printing, the family, each
    step's phase and each column's jabatan, so that importing the sheet gives the same source."""
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
    printing |= _form(sop)
    numbering = {
        key: value.value if hasattr(value, "value") else list(value) for key, value in getattr(sop, "numbering", ())
    }
    if numbering:
        printing["penomoran"] = numbering
    meta: dict[str, Any] = {"cetak": printing} if printing else {}
    meta["id"] = sop.id
    meta["kop"] = office_lines(sop)
    meta["ttd"] = ["jabatan"] * len(_title_lines(sop)) + [
        name for name in ("nama", "pangkat") if getattr(sop.disahkan_oleh, name)
    ]
    if sop.keluarga:
        meta["keluarga"] = sop.keluarga
    phases = {step.key: step.tahap for step in sop.langkah if step.tahap}
    if phases:
        meta["tahap"] = phases
    jabatan = {role.name: role.jabatan for role in sop.pelaksana if role.jabatan}
    if jabatan:
        meta["jabatan"] = jabatan
    return f"{TOKEN} {json.dumps(meta, ensure_ascii=False, sort_keys=True)}"


def _title_lines(sop: Sop) -> list[str]:
    """The signer's title as the paper prints it: its own lines, else one line."""
    approver = sop.disahkan_oleh
    lines = getattr(approver, "title_lines", None)
    return list(lines) if lines is not None else [approver.jabatan] if approver.jabatan else []


def _form(sop: Sop) -> dict[str, Any]:
    """How the office's paper draws its table, as ``cetak`` writes it (only what differs
    from the official form)."""
    form = getattr(sop, "form", None)
    if form is None:
        return {}
    found: dict[str, Any] = {}
    if getattr(form, "column_numbers", False):
        found["nomor_kolom"] = True
    if not getattr(form, "symbol_numbers", True):
        found["nomor_simbol"] = False
    if getattr(form, "rounded_process", False):
        found["kotak_proses"] = "bulat"
    if getattr(form, "portrait", False):
        found["orientasi"] = "tegak"
    return found


def symbol_token(sop: Sop, step: Step, index: int) -> str:
    """``sop:v1 key=K no=N i=I n=N kind=... perf=... parent=P flow=T:E ya=T:E tidak=T:E``:
    the step's key and number, which of its symbols this is, how its roles take part, and
    the arrows leaving this symbol (target step key and the symbol it enters). The flow to
    the next row with a symbol is not written: it is what a source without ``lanjut_ke``
    says, so a row added in Word between two steps takes its place in the flow."""
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
    order = [other.key for other in sop.langkah if other.has_symbol]
    following = order[order.index(step.key) + 1] if step.key in order and step.key != order[-1] else None
    for branch in step.branches:
        source = last if branch.source < 0 else branch.source
        if branch.kind is BranchKind.FLOW and branch.target == following and branch.entry == 0:
            continue
        if source == index or (step.performance is Performance.BERSAMA and index == 0):
            parts.append(f"{branch.kind.value}={_target(branch.target, branch.entry)}")
            if branch.kind is BranchKind.TIDAK and not getattr(branch, "drawn", True):
                parts.append("garis=0")  # the paper draws no Tidak line
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


def _twips(mm: float) -> int:
    """Millimetres in twentieths of a point (the unit of Word's page and table sizes)."""
    return int(mm * EMU_PER_MM / 635)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    """Text as XML character data: escaped, and without the characters XML 1.0 cannot hold
    (the readers refuse them in sources; this keeps a sheet well-formed whatever comes)."""
    return escape(_NOT_XML.sub("", text))


def _run(text: str, *, bold: bool = False, size: float = 9, link: bool = False) -> str:
    colour = f'<w:color w:val="{LINK_COLOUR}"/>' if link else ""
    underline = '<w:u w:val="single"/>' if link else ""
    properties = f'<w:rPr>{"<w:b/>" if bold else ""}{colour}<w:sz w:val="{int(size * 2)}"/>{underline}</w:rPr>'
    return f'<w:r>{properties}<w:t xml:space="preserve">{_xml(text)}</w:t></w:r>'


def _paragraph(
    content: str,
    *,
    center: bool = False,
    tight: bool = True,
    pitch: float | None = None,
    page_break: bool = False,
    after: float = 0.0,
) -> str:
    """A paragraph; ``pitch`` (the type size, pt) sets its lines exactly at
    :data:`~generator.office.textfit.LINE_PITCH` times it, so that a row's height is known."""
    breaks = "<w:pageBreakBefore/>" if page_break else ""
    if pitch is not None:
        spacing = (
            f'<w:spacing w:before="0" w:after="{round(after / PT * 20)}" w:line="{round(pitch * LINE_PITCH * 20)}" '
            'w:lineRule="exact"/>'
        )
    else:
        spacing = '<w:spacing w:after="0"/>' if tight else ""
    align = '<w:jc w:val="center"/>' if center else ""
    mark = f'<w:rPr><w:sz w:val="{max(2, round(pitch * 2))}"/></w:rPr>' if pitch is not None else ""
    properties = f"<w:pPr>{breaks}{spacing}{align}{mark}</w:pPr>" if breaks or spacing or align or mark else ""
    return f"<w:p>{properties}{content}</w:p>"


def _lines(
    lines: list[str], *, bold: bool = False, size: float = 9, center: bool = False, pitch: float | None = None
) -> str:
    """One paragraph per line (so that lists stay lists); an empty cell still has one."""
    return "".join(_paragraph(_run(line, bold=bold, size=size), center=center, pitch=pitch) for line in lines or [""])


@dataclass
class _Cell:
    """One table cell: its paragraphs, how many grid columns it spans, and whether it
    starts or continues a vertical merge."""

    body: str = ""
    span: int = 1
    merge: str = ""
    """``restart`` (the top of a vertical merge), ``continue`` (a cell under it) or empty."""
    shaded: bool = False
    margins: float | None = None
    """Padding on every side (mm), when not the table's."""
    rotated: bool = False
    """Text running bottom to top (a narrow lane's title)."""


Rows = list[tuple[float, list[_Cell]]] | list[list[_Cell]]


def _table(widths: list[float], rows: Rows, *, center: bool = False) -> str:
    """A fixed-width table with the Table Grid style; each cell is as wide as the grid
    columns it spans (Word and LibreOffice read both the grid and the cells' widths). A row
    given with a height (mm) is at least that tall and never split between pages."""
    grid = "".join(f'<w:gridCol w:w="{_twips(width)}"/>' for width in widths)
    properties = (
        '<w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
        + ('<w:jc w:val="center"/>' if center else "")
        + '<w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" '
        'w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
    )
    out = [f"<w:tbl>{properties}<w:tblGrid>{grid}</w:tblGrid>"]
    for row in rows:
        height, cells = row if isinstance(row, tuple) else (None, row)
        sized = (
            f'<w:trPr><w:cantSplit/><w:trHeight w:val="{_twips(height)}" w:hRule="atLeast"/></w:trPr>' if height else ""
        )
        out.append(f"<w:tr>{sized}")
        column = 0
        for cell in cells:
            width = _twips(sum(widths[column : column + cell.span]))
            column += cell.span
            span = f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else ""
            merge = {"restart": '<w:vMerge w:val="restart"/>', "continue": "<w:vMerge/>"}.get(cell.merge, "")
            shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>' if cell.shaded else ""
            pad = ""
            if cell.margins is not None:
                twips = _twips(cell.margins)
                pad = (
                    "<w:tcMar>"
                    + "".join(f'<w:{side} w:w="{twips}" w:type="dxa"/>' for side in ("top", "left", "bottom", "right"))
                    + "</w:tcMar>"
                )
            turned = '<w:textDirection w:val="btLr"/>' if cell.rotated else ""
            middle = '<w:vAlign w:val="center"/>' if cell.shaded else ""
            out.append(
                f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{span}{merge}{shade}{pad}{turned}{middle}</w:tcPr>'
                f"{cell.body or '<w:p/>'}</w:tc>"
            )
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


@dataclass
class _Sheet:
    """What one document collects while it is written: the links (relationships of the
    document part) and the shapes' ids, unique within the document."""

    link: Callable[[str], str] | None
    links: list[str] = field(default_factory=list)
    next_shape: int = 1

    def items(self, items: tuple[Item, ...], size: float = 9) -> str:
        """A Kelengkapan or Output list, one paragraph per item; an item naming a document
        template links to its workbook (which the importer reads the template back from)."""
        if not items:
            return _lines([], size=size, pitch=size)
        out = []
        for item in items:
            if item.document and self.link is not None:
                self.links.append(self.link(item.document))
                target = f"rIdLink{len(self.links)}"
                run = _run(item.text, link=True, size=size)
                out.append(_paragraph(f'<w:hyperlink r:id="{target}">{run}</w:hyperlink>', pitch=size))
            else:
                out.append(_paragraph(_run(item.text, size=size), pitch=size))
        return "".join(out)


def _identity(sop: Sop, usable_mm: float) -> str:
    label = sop.label
    office = [getattr(sop, name) for name in office_lines(sop)]
    approver = sop.disahkan_oleh
    signature = [
        *_title_lines(sop),
        "",
        "",
        "",
        approver.nama,
        approver.pangkat,
        f"NIP. {approver.nip}" if approver.nip else "",
    ]
    rows: list[tuple[str, str]] = [
        (label("nomor_sop"), _lines([sop.nomor])),
        (label("tanggal_pembuatan"), _lines([sop.tanggal_pembuatan.text if sop.tanggal_pembuatan else ""])),
        (label("tanggal_revisi"), _lines([sop.tanggal_revisi.text if sop.tanggal_revisi else ""])),
        (label("tanggal_efektif"), _lines([sop.tanggal_efektif.text if sop.tanggal_efektif else ""])),
        (label("disahkan_oleh"), _lines([line for line in signature if line is not None], center=True)),
        (label("nama_sop"), _lines([sop.nama], bold=True, size=10)),
    ]
    table = [
        [
            _Cell(_lines(office, bold=True, size=10, center=True), merge="restart")
            if index == 0
            else _Cell(merge="continue"),
            _Cell(_lines([name], bold=True)),
            _Cell(value),
        ]
        for index, (name, value) in enumerate(rows)
    ]
    identity = _table([usable_mm * share for share in (100 / 273, 45 / 273, 128 / 273)], table, center=True)
    pairs = (
        ("dasar_hukum", "kualifikasi_pelaksana"),
        ("keterkaitan", "peralatan_perlengkapan"),
        ("peringatan", "pencatatan_pendataan"),
    )
    sections: list[list[_Cell]] = []
    for left, right in pairs:
        sections.append([_Cell(_lines([label(name).upper()], bold=True), shaded=True) for name in (left, right)])
        values = [
            [link.text for link in sop.keterkaitan] if name == "keterkaitan" else list(getattr(sop, name))
            for name in (left, right)
        ]
        sections.append([_Cell(_lines(value)) for value in values])
    return identity + _paragraph("", tight=False) + _table([usable_mm / 2] * 2, sections)


def _tokens(sop: Sop) -> dict[tuple[str, int], tuple[str, str]]:
    """Per (step key, symbol index): the symbol's title (its token) and alternative text."""
    out: dict[tuple[str, int], tuple[str, str]] = {}
    for step in sop.langkah:
        count = 1 if step.performance is Performance.BERSAMA else len(step.roles)
        for index in range(count):
            out[(step.key, index)] = (symbol_token(sop, step, index), _words(sop, step, index))
    return out


def _emu(mm: float) -> int:
    return round(mm * EMU_PER_MM)


_LINE = '<a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill>{ends}</a:ln>'


def _text_body(text: str, size: float) -> str:
    """A shape's text: one centred paragraph, set exactly (no room above or below)."""
    pitch = round(size * LINE_PITCH * 20)
    return (
        "<wps:txbx><w:txbxContent>"
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="{pitch}" w:lineRule="exact"/>'
        f'<w:jc w:val="center"/></w:pPr>{_run(text, size=size)}</w:p>'
        "</w:txbxContent></wps:txbx>"
    )


_TEXT_BOX = (
    '<wps:bodyPr rot="0" vert="horz" wrap="none" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr" anchorCtr="0">'
    "<a:noAutofit/></wps:bodyPr>"
)


def _symbol_shape(symbol: Symbol, *, rounded: bool = False) -> str:
    """A symbol: a preset flowchart geometry, white, outlined, its number inside."""
    geometry = "flowChartAlternateProcess" if rounded and symbol.kind == "proses" else GEOMETRY[symbol.kind]
    size = SYMBOL_TEXT if textfit.text_width(symbol.text, SYMBOL_TEXT) * PT < (symbol.x1 - symbol.x0) * 0.5 else 6.0
    return (
        "<wps:wsp><wps:cNvSpPr/><wps:spPr>"
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{_emu(symbol.x1 - symbol.x0)}" cy="{_emu(symbol.y1 - symbol.y0)}"/>'
        f'</a:xfrm><a:prstGeom prst="{geometry}"><a:avLst/></a:prstGeom>'
        '<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>'
        + _LINE.format(ends="")
        + "</wps:spPr>"
        + _text_body(symbol.text, size)
        + _TEXT_BOX
        + "</wps:wsp>"
    )


def _route_shape(route: Route, width: float, height: float, origin: tuple[float, float]) -> str:
    """An arrow: one open freeform path (so that it moves as one piece), an arrowhead at its end."""
    ox, oy = origin
    path = "".join(
        f'<a:{"moveTo" if index == 0 else "lnTo"}><a:pt x="{_emu(x - ox)}" y="{_emu(y - oy)}"/>'
        f"</a:{'moveTo' if index == 0 else 'lnTo'}>"
        for index, (x, y) in enumerate(route.points)
    )
    ends = '<a:tailEnd type="triangle" w="med" len="med"/>' if route.arrow else ""
    return (
        "<wps:wsp><wps:cNvSpPr/><wps:spPr>"
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{_emu(width)}" cy="{_emu(height)}"/></a:xfrm>'
        '<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" r="r" b="b"/>'
        f'<a:pathLst><a:path w="{_emu(width)}" h="{_emu(height)}" fill="none">{path}</a:path></a:pathLst>'
        "</a:custGeom><a:noFill/>" + _LINE.format(ends=ends) + "</wps:spPr><wps:bodyPr/></wps:wsp>"
    )


def _label_shape(text: str, width: float, height: float) -> str:
    """A Ya/Tidak label: a text box without fill or outline."""
    return (
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{_emu(width)}" cy="{_emu(height)}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        + _text_body(text, LABEL_SIZE)
        + _TEXT_BOX
        + "</wps:wsp>"
    )


def _procedure(sop: Sop, sheet: _Sheet, paper: str) -> str:
    """The procedure: one table per page, each with the header, its steps' rows and what
    is drawn over them (symbols, arrows, labels and connectors anchored in the lane cells)."""
    found = layout(sop, paper, _tokens(sop))
    out = []
    for number, page in enumerate(found.pages):
        if number == 0 and found.title is not None:
            text = _run(found.title.lines[0], bold=True, size=found.title.size)
            out.append(_paragraph(text, page_break=True, pitch=found.title.size, after=1.5))
        else:
            out.append(_paragraph("", page_break=True, pitch=1.0))
        out.append(_page_table(sop, sheet, found, page))
    return "".join(out)


def _page_table(sop: Sop, sheet: _Sheet, found: Layout, page: Page) -> str:
    grid = found.columns
    head = found.header
    lanes = found.lanes
    roles = max(len(lanes), 1)

    def heading(text: HeaderText, *, span: int = 1, merge: str = "") -> _Cell:
        body = _paragraph(_run(text.text, bold=True, size=text.size), center=True, pitch=text.size)
        return _Cell(body, span=span, merge=merge, shaded=True, margins=HEADER_PAD, rotated=text.rotated)

    rows: list[tuple[float, list[_Cell]]] = [
        (
            head.heights[0],
            [
                heading(head.top["no"], merge="restart"),
                heading(head.top["kegiatan"], merge="restart"),
                heading(head.top["pelaksana"], span=roles),
                heading(head.top["mutu_baku"], span=3),
                heading(head.top["keterangan"], merge="restart"),
            ],
        ),
        (
            head.heights[1],
            [
                _Cell(merge="continue", shaded=True),
                _Cell(merge="continue", shaded=True),
                *[heading(text) for text in head.lanes],
                *[heading(text) for text in head.mutu],
                _Cell(merge="continue", shaded=True),
            ],
        ),
    ]
    if found.numbered:  # the office's paper numbers its columns under the header
        numbers = [
            _Cell(_lines([str(n)], size=6, center=True, pitch=6), shaded=True, margins=0.3)
            for n in range(1, len(grid) + 1)
        ]
        rows.append((NUMBER_ROW, numbers))
    drawn: dict[tuple[int, int], list[str]] = {}
    for route in page.routes:
        drawn.setdefault((route.row, route.lane), []).append(_route_anchor(sheet, route, page, lanes))
        if route.label:
            drawn.setdefault((route.row, route.lane), []).append(_label_anchor(sheet, route, page, lanes))
    for symbol in page.symbols:
        rounded = bool(getattr(getattr(sop, "form", None), "rounded_process", False))
        drawn.setdefault((symbol.row, symbol.lane), []).append(
            _symbol_anchor(sheet, symbol, page, lanes, rounded=rounded)
        )
    for number, row in enumerate(page.rows):
        lane_cells = [
            _Cell(_paragraph("".join(drawn.get((number, lane.lane), [])), pitch=1.0), margins=0.0) for lane in lanes
        ]
        step = row.step
        if step is None:
            rows.append((row.height, [_Cell(), _Cell(), *lane_cells, _Cell(), _Cell(), _Cell(), _Cell()]))
            continue

        rows.append(
            (
                row.height,
                [
                    _text_cell(row, "no", center=True),
                    _text_cell(row, "kegiatan"),
                    *lane_cells,
                    _Cell(sheet.items(step.kelengkapan, row.texts["kelengkapan"].size)),
                    _text_cell(row, "waktu", center=True),
                    _Cell(sheet.items(step.output, row.texts["output"].size)),
                    _text_cell(row, "keterangan"),
                ],
            )
        )
    return _table([column.width for column in grid], rows)


def _text_cell(row: LaidRow, key: str, *, center: bool = False) -> _Cell:
    cell = row.texts[key]
    return _Cell(_lines(list(cell.lines), size=cell.size, center=center, pitch=cell.size))


def _anchor(
    sheet: _Sheet,
    body: str,
    x: float,
    y: float,
    width: float,
    height: float,
    *,
    name: str,
    words: str = "",
    title: str = "",
    layer: int = 0,
) -> str:
    """A floating shape anchored in a cell, placed relative to the cell's top-left (mm),
    in front of the text, laid out in the cell (Word and LibreOffice alike)."""
    sheet.next_shape += 1
    number = sheet.next_shape
    described = f" descr={quoteattr(_NOT_XML.sub('', words))}" if words else ""
    titled = f" title={quoteattr(_NOT_XML.sub('', title))}" if title else ""
    return (
        "<w:r><w:drawing>"
        f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{layer * 1000 + number}" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="column"><wp:posOffset>{_emu(x)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{_emu(y)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{_emu(width)}" cy="{_emu(height)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{number}" name={quoteattr(f"{name} {number}")}{described}{titled}/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"{body}</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    )


def _cell_origin(page: Page, lanes: tuple[Column, ...], row: int, lane: int) -> tuple[float, float]:
    return lanes[lane].x, page.rows[row].top


def _symbol_anchor(
    sheet: _Sheet, symbol: Symbol, page: Page, lanes: tuple[Column, ...], *, rounded: bool = False
) -> str:
    x, y = _cell_origin(page, lanes, symbol.row, symbol.lane)
    name = "Penghubung" if symbol.kind == "penghubung" else "Simbol"
    return _anchor(
        sheet,
        _symbol_shape(symbol, rounded=rounded),
        symbol.x0 - x,
        symbol.y0 - y,
        symbol.x1 - symbol.x0,
        symbol.y1 - symbol.y0,
        name=name,
        words=symbol.words,
        title=symbol.title,
        layer=2,
    )


def _route_anchor(sheet: _Sheet, route: Route, page: Page, lanes: tuple[Column, ...]) -> str:
    xs = [x for x, _ in route.points]
    ys = [y for _, y in route.points]
    left, top = min(xs), min(ys)
    width, height = max(max(xs) - left, 0.01), max(max(ys) - top, 0.01)
    x, y = _cell_origin(page, lanes, route.row, route.lane)
    return _anchor(
        sheet,
        _route_shape(route, width, height, (left, top)),
        left - x,
        top - y,
        width,
        height,
        name="Panah",
        words=route.words,
        layer=1,
    )


def _label_anchor(sheet: _Sheet, route: Route, page: Page, lanes: tuple[Column, ...]) -> str:
    x0, y0, x1, y1 = route.label_box
    x, y = _cell_origin(page, lanes, route.row, route.lane)
    return _anchor(
        sheet, _label_shape(route.label, x1 - x0, y1 - y0), x0 - x, y0 - y, x1 - x0, y1 - y0, name="Label", layer=3
    )


_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_DOCUMENT_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    f'xmlns:r="{_OFFICE}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)
_CONTENT_TYPES = (
    f'{_HEAD}<Types xmlns="{_PACKAGE}/content-types">'
    f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_WORD}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_WORD}.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{_WORD}.settings+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_PACKAGE_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_OFFICE}/officeDocument" Target="word/document.xml"/>'
    f'<Relationship Id="rId2" Type="{_PACKAGE}/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)
_BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="auto"'
_CELL_MARGINS = (
    # Text at least 3 pt inside its cell (the procedure's rows are sized with these paddings).
    "<w:tblCellMar>"
    + "".join(
        f'<w:{side} w:w="{_twips(pad)}" w:type="dxa"/>'
        for side, pad in (("top", CELL_PAD_Y), ("left", CELL_PAD_X), ("bottom", CELL_PAD_Y), ("right", CELL_PAD_X))
    )
    + "</w:tblCellMar>"
)
_STYLES = (
    f'{_HEAD}<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:eastAsia="Arial" w:hAnsi="Arial" '
    'w:cs="Arial"/><w:sz w:val="18"/><w:szCs w:val="18"/><w:lang w:val="id-ID" w:eastAsia="id-ID" '
    'w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="200" w:line="276" '
    'w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
    '<w:rPr><w:rFonts w:ascii="Arial" w:eastAsia="Arial" w:hAnsi="Arial"/><w:sz w:val="18"/></w:rPr></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    f'<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
    f"{_CELL_MARGINS}</w:tblPr></w:style>"
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
    '<w:uiPriority w:val="59"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders><w:top {_BORDER}/><w:left {_BORDER}/>'
    f"<w:bottom {_BORDER}/><w:right {_BORDER}/><w:insideH {_BORDER}/><w:insideV {_BORDER}/></w:tblBorders>"
    f"{_CELL_MARGINS}</w:tblPr></w:style>"
    "</w:styles>"
)
_SETTINGS = (
    f'{_HEAD}<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat></w:settings>'
)


def _core(sop: Sop) -> str:
    """The document's properties; the settings token is its description (the "comments"
    Word shows), which the format does not limit in length."""
    return (
        f'{_HEAD}<cp:coreProperties xmlns:cp="{_PACKAGE}/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
        f"<dc:title>{_xml(sop.nama)}</dc:title>"
        f"<dc:subject>{_xml(f'SOP {sop.nomor}'.strip())}</dc:subject>"
        f"<dc:creator>{_xml(sop.instansi or 'Portal SOP')}</dc:creator>"
        f"<dc:description>{_xml(settings_token(sop))}</dc:description>"
        "<cp:revision>1</cp:revision></cp:coreProperties>"
    )


def _document_rels(links: list[str]) -> str:
    parts = [
        f'<Relationship Id="rIdStyles" Type="{_OFFICE}/styles" Target="styles.xml"/>',
        f'<Relationship Id="rIdSettings" Type="{_OFFICE}/settings" Target="settings.xml"/>',
    ]
    parts += [
        f'<Relationship Id="rIdLink{index}" Type="{_OFFICE}/hyperlink" Target={quoteattr(_NOT_XML.sub("", target))} '
        'TargetMode="External"/>'
        for index, target in enumerate(links, start=1)
    ]
    return f'{_HEAD}<Relationships xmlns="{_PACKAGE}/relationships">{"".join(parts)}</Relationships>'


def render_word(sop: Sop, paper: str = "A4", link: Callable[[str], str] | None = None) -> bytes:
    """The SOP's official sheet as a .docx: identity, then the procedure on a new page.
    ``link(document_id)`` is the address of the SOP's workbook for a document template.

    The package is written directly, WordprocessingML as text: built through python-docx's
    object model, the same sheet took a hundred times as long."""
    width, height = page_size(sop, paper)
    margin = _twips(MARGIN_MM)
    orientation = "landscape" if width > height else "portrait"
    sheet = _Sheet(link)
    body = (
        _identity(sop, width - 2 * MARGIN_MM)
        + _procedure(sop, sheet, paper)
        + _paragraph("", pitch=1.0)
        + f'<w:sectPr><w:pgSz w:w="{_twips(width)}" w:h="{_twips(height)}" w:orient="{orientation}"/>'
        f'<w:pgMar w:top="{margin}" w:right="{margin}" w:bottom="{margin}" w:left="{margin}" w:header="720" '
        'w:footer="720" w:gutter="0"/></w:sectPr>'
    )
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _PACKAGE_RELS,
        "docProps/core.xml": _core(sop),
        "word/document.xml": f"{_HEAD}<w:document {_DOCUMENT_NS}><w:body>{body}</w:body></w:document>",
        "word/_rels/document.xml.rels": _document_rels(sheet.links),
        "word/styles.xml": _STYLES,
        "word/settings.xml": _SETTINGS,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            # A fixed time on every entry: the same SOP gives the same file.
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, text.encode("utf-8"))
    return out.getvalue()
