"""Word (.docx) SOPs: the tables' rows and the flowchart shapes drawn in their cells.

Shapes sit in a cell's paragraphs either as DrawingML (``wps:wsp`` with a preset geometry
such as ``flowChartProcess``), as Word 2010 and later write them, or as VML (``v:shape``
with a shape type such as ``#_x0000_t109``) in older files; both are read. Each shape is
recorded as the symbol kind it draws (:data:`~generator.sources.importing.tables.SHAPES`).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

from generator.sources.files import FileRefused, read_bounded
from generator.sources.importing import limits
from generator.sources.importing.tables import Cell, ReadFile, Row, clean
from generator.sources.importing.word_shapes import place_groups
from generator.sources.readers import register_importer

TOKEN = "sop:v1"
"""How the titles of the symbols the portal exports begin (:mod:`generator.office.word`)."""

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}

PRESETS = {
    "flowChartProcess": "proses",
    "rect": "proses",
    "flowChartAlternateProcess": "proses",
    "flowChartPredefinedProcess": "proses",
    "flowChartDecision": "keputusan",
    "diamond": "keputusan",
    "flowChartTerminator": "terminator",
    "roundRect": "terminator",
    "ellipse": "terminator",
    "flowChartConnector": "penghubung",
    "flowChartOffpageConnector": "penghubung",
    "homePlate": "penghubung",
    "straightConnector1": "panah",
    "bentConnector2": "panah",
    "bentConnector3": "panah",
    "bentConnector4": "panah",
    "curvedConnector3": "panah",
    "line": "panah",
    "rightArrow": "panah",
    "downArrow": "panah",
    "leftArrow": "panah",
    "upArrow": "panah",
}
"""DrawingML preset geometries and the symbol each draws."""

VML_TYPES = {
    "109": "proses",
    "176": "proses",
    "112": "proses",
    "110": "keputusan",
    "4": "keputusan",
    "116": "terminator",
    "3": "terminator",
    "120": "penghubung",
    "177": "penghubung",
    "32": "panah",
    "33": "panah",
    "34": "panah",
    "20": "panah",
}
"""VML shape types (``#_x0000_t109``, ``o:spt="109"``) and the symbol each draws."""

_VML_TYPE = re.compile(r"_x0000_t(\d+)")


def _qn(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def shapes_in(element: Any) -> tuple[str, ...]:
    """The symbols drawn inside an element, in document order; a shape Word stores twice
    (DrawingML with a VML fallback) counts once."""
    found: list[str] = []
    for node in element.iter(_qn("mc:AlternateContent"), _qn("w:drawing"), _qn("w:pict")):
        if node.tag == _qn("mc:AlternateContent"):
            continue
        if _inside_fallback(node):
            continue
        if node.tag == _qn("w:drawing"):
            for geometry in node.iter(_qn("a:prstGeom")):
                kind = PRESETS.get(geometry.get("prst", ""))
                if kind and not _text_box(geometry):
                    found.append(kind)
        else:
            for shape in node.iter():
                kind = _vml_kind(shape)
                if kind:
                    found.append(kind)
    return tuple(found)


def _text_box(geometry: Any) -> bool:
    """True when a geometry is a text box's (a label such as "Ya" beside a line), not a symbol."""
    shape = geometry.getparent()
    while shape is not None and shape.tag != _qn("wps:wsp"):
        shape = shape.getparent()
    if shape is None:
        return False
    properties = shape.find(_qn("wps:cNvSpPr"))
    return properties is not None and properties.get("txBox") in ("1", "true")


def _inside_fallback(node: Any) -> bool:
    parent = node.getparent()
    while parent is not None:
        if parent.tag == _qn("mc:Fallback"):
            return True
        parent = parent.getparent()
    return False


def _vml_kind(shape: Any) -> str | None:
    if shape.tag == _qn("v:line"):
        return "panah"
    if shape.tag not in (_qn("v:shape"), _qn("v:rect"), _qn("v:oval"), _qn("v:roundrect")):
        return None
    if shape.tag == _qn("v:rect"):
        return "proses"
    if shape.tag in (_qn("v:oval"), _qn("v:roundrect")):
        return "terminator"
    spt = shape.get(_qn("o:spt"))
    if spt is None:
        match = _VML_TYPE.search(shape.get("type", ""))
        spt = match.group(1) if match else None
    return VML_TYPES.get(spt or "")


def _paragraph_text(paragraph: Any) -> str:
    parts = []
    for node in paragraph.iter(_qn("w:t"), _qn("w:tab"), _qn("w:br")):
        if _in_shape(node, paragraph):
            continue  # text inside a shape (a label in a symbol) is not the cell's text
        parts.append(node.text or "" if node.tag == _qn("w:t") else " ")
    return "".join(parts)


def _in_shape(node: Any, stop: Any) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in (_qn("w:txbxContent"),):
            return True
        parent = parent.getparent()
    return False


def tokens_in(element: Any) -> tuple[str, ...]:
    """The titles of the shapes in an element that the portal wrote (``sop:v1 ...``)."""
    titles = (node.get("title", "") for node in element.iter(_qn("wp:docPr")))
    return tuple(title for title in titles if title.startswith(TOKEN + " "))


def _link(paragraph: Any, links: dict[str, str]) -> str:
    for hyperlink in paragraph.iter(_qn("w:hyperlink")):
        target = links.get(hyperlink.get(_qn("r:id"), ""), "")
        if target:
            return target
    return ""


def _cell(tc: Any, links: dict[str, str]) -> Cell:
    paragraphs = [p for p in tc.iter(_qn("w:p")) if not _in_shape(p, tc)]
    pairs = [(clean(_paragraph_text(p), extracted=False), _link(p, links)) for p in paragraphs]
    pairs = [(line, link) for line, link in pairs if line]
    lines = tuple(line for line, _ in pairs)
    return Cell(
        " ".join(lines),
        shapes=shapes_in(tc),
        raw="  ".join(lines),
        lines=lines,
        links=tuple(link for _, link in pairs),
        tokens=tokens_in(tc),
    )


def _shape_ids(element: Any) -> list[str]:
    """The ids of the shapes in an element (DrawingML ``wp:docPr``/``wps:cNvPr``, VML ``id``)."""
    ids = [node.get("id", "") for node in element.iter(_qn("wp:docPr"))]
    ids += [node.get("id", "") for node in element.iter(_qn("v:shape"), _qn("v:rect"), _qn("v:oval"))]
    return [shape_id for shape_id in ids if shape_id]


def _connectors(element: Any) -> list[tuple[str, str]]:
    """Connectors glued at both ends (``a:stCxn``/``a:endCxn``): the ids of the two shapes."""
    found = []
    for connector in element.iter(_qn("wps:cNvCnPr")):
        start, end = connector.find(_qn("a:stCxn")), connector.find(_qn("a:endCxn"))
        if start is not None and end is not None:
            found.append((start.get("id", ""), end.get("id", "")))
    return found


def _rows_of(
    table: Any,
    number: int,
    rows: list[Row],
    links: dict[str, str],
    shape_rows: dict[str, int],
    shape_cells: dict[str, tuple[int, int]] | None = None,
) -> None:
    """Add the table's rows to ``rows``; ``shape_rows`` learns the row of each shape, and
    ``shape_cells`` its row and grid column."""
    for index, tr in enumerate(table.iterchildren(_qn("w:tr")), start=1):
        where = f"tabel {number + 1} baris {index}"
        limits.check_row_count(len(rows), where)
        cells: list[Cell] = []
        for tc in tr.iterchildren(_qn("w:tc")):
            span = 1
            properties = tc.find(_qn("w:tcPr"))
            if properties is not None:
                grid = properties.find(_qn("w:gridSpan"))
                if grid is not None:
                    span = _span(grid.get(_qn("w:val"), "1"), where)
            # The row's width is bounded before the cell is repeated (gridSpan="200000000").
            limits.check_columns(len(cells) + span, where)
            cell = _cell(tc, links)
            limits.check_text(cell.raw, f"{where} kolom {len(cells) + 1}")
            # A cell spanning columns stands in each: its columns are what names the roles.
            cells += [cell] * span
            for shape_id in _shape_ids(tc):
                shape_rows.setdefault(shape_id, len(rows))
                if shape_cells is not None:
                    shape_cells.setdefault(shape_id, (len(rows), len(cells) - span))
        rows.append(Row(tuple(cells), where, len(rows) + 1, number))


def _span(value: str | None, where: str) -> int:
    """The columns a cell spans (``w:gridSpan``): a whole number (the caller bounds the row)."""
    text = (value or "1").strip()
    if not (text.isascii() and text.isdigit()):
        raise FileRefused(f"{where}: lebar sel (gridSpan) “{text[:20]}” bukan bilangan; berkas Word ini rusak")
    if len(text) > 12:  # past any row (and past what int() reads quickly)
        limits.check_columns(10**12, where)
    return max(int(text), 1)


def _part(archive: zipfile.ZipFile, name: str) -> bytes:
    """One part of the Word file, unpacked no further than :data:`limits.MAX_PART_BYTES`
    whatever its header claims (``KeyError``: there is no such part)."""
    info = archive.getinfo(name)
    if info.file_size > limits.MAX_PART_BYTES:
        raise limits.part_too_large(name, info.file_size)
    with archive.open(info) as member:
        data = member.read(limits.MAX_PART_BYTES + 1)
    if len(data) > limits.MAX_PART_BYTES:
        raise limits.part_too_large(name, len(data))
    return data


def _optional_part(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return _part(archive, name)
    except KeyError:
        return b""


def _parse(data: bytes, name: str) -> Any:
    """The XML of one part, parsed with entities off and no network, and refused once it
    holds more than :data:`limits.MAX_XML_ELEMENTS` elements (counted as they are read)."""
    from lxml import etree  # type: ignore[import-untyped]  # python-docx's XML library

    count = 0
    events = etree.iterparse(
        io.BytesIO(data), events=("start",), resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        for _event in events:
            count += 1
            if count > limits.MAX_XML_ELEMENTS:
                raise limits.too_large(
                    f"isi berkas Word ({name}) terlalu rumit",
                    f"lebih dari {limits.MAX_XML_ELEMENTS} unsur XML",
                    f"{limits.MAX_XML_ELEMENTS} unsur",
                )
    except etree.XMLSyntaxError as exc:
        raise FileRefused(f"isi berkas Word ({name}) bukan XML yang utuh; apakah berkasnya rusak?") from exc
    return events.root


@register_importer(".docx", ".docm")
def read_word(path: Path) -> ReadFile:
    """The rows of a Word file: each table row (a cell spanning columns repeated in each),
    and each paragraph outside the tables as a row of one cell."""
    data = read_bounded(path, limits.MAX_IMPORT_BYTES)  # a regular file, at most 10 MB
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = _part(archive, "word/document.xml")
            relations = _optional_part(archive, "word/_rels/document.xml.rels")
            properties = _optional_part(archive, "docProps/core.xml")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise FileRefused("bukan berkas Word .docx yang utuh (isi word/document.xml tidak ada)") from exc
    except (zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:  # damaged, odd or locked
        raise FileRefused(
            "isi berkas Word tidak dapat dibuka (rusak, dikunci sandi, atau dimampatkan tak biasa)"
        ) from exc
    root = _parse(xml, "word/document.xml")
    body = root.find(_qn("w:body"))
    if body is None:
        raise FileRefused("berkas Word tanpa isi (w:body)")
    links: dict[str, str] = {}
    if relations:
        for relation in _parse(relations, "word/_rels/document.xml.rels"):
            if relation.get("TargetMode") == "External":
                links[relation.get("Id", "")] = relation.get("Target", "")
    shape_rows: dict[str, int] = {}
    shape_cells: dict[str, tuple[int, int]] = {}
    result = ReadFile(format="Word")
    if properties:
        for node in _parse(properties, "docProps/core.xml").iter("{http://purl.org/dc/elements/1.1/}description"):
            text = node.text or ""
            if text.startswith(TOKEN + " "):
                try:
                    found = json.loads(text[len(TOKEN) + 1 :])
                except ValueError:
                    found = None
                result.settings = found if isinstance(found, dict) else {}
    tables = 0
    for element in body.iterchildren():
        if element.tag == _qn("w:tbl"):
            first = len(result.rows)
            _rows_of(element, tables, result.rows, links, shape_rows, shape_cells)
            result.symbol_arrows += place_groups(body, element, first, result.rows, PRESETS)
            tables += 1
        elif element.tag == _qn("w:p"):
            text = clean(_paragraph_text(element), extracted=False)
            limits.check_row_count(len(result.rows), f"paragraf {len(result.rows) + 1}")
            limits.check_text(text, f"paragraf {len(result.rows) + 1}")
            if text:
                cell = Cell(text, shapes=shapes_in(element), raw=_paragraph_text(element).strip())
                result.rows.append(Row((cell,), f"paragraf {len(result.rows) + 1}", len(result.rows) + 1))
    for start, end in _connectors(body):
        if start in shape_rows and end in shape_rows:
            result.arrows.append((shape_rows[start], shape_rows[end]))
        if start in shape_cells and end in shape_cells:  # which symbol of its row each end is
            result.symbol_arrows.append((shape_cells[start], shape_cells[end]))
    return result
