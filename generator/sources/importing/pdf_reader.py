"""PDFs with a text layer (printed from Word or LibreOffice, or saved as PDF): the tables
rebuilt from the positions of their ruling lines and words, and the flowchart's symbols
from the vector paths the PDF draws them with.

Each table is found from its ruling lines (pdfplumber's explicit-lines table finder, fed
only with straight lines that carry no arrowhead, so a connector never splits a cell); a
cell's words are grouped into lines by their baseline, and a line that starts a new
paragraph is told from a line the cell's width wrapped (a wrapped line's first word would
not have fitted on the line above). Closed paths are the symbols: a box, a diamond (four
corners at the middles of a box), a capsule or circle (curved); open stroked paths are the
connectors, their arrowhead (a small filled triangle) saying which end they point to. A
symbol stands in the cell its centre is in; a connector joins the symbols its ends touch.

A PDF without text (a scan) is refused with a message that names OCR as the way in.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.sources.files import FileRefused, read_bounded
from generator.sources.importing import limits
from generator.sources.importing.tables import Cell, ReadFile, Row, clean
from generator.sources.readers import register_importer

_ITEM = re.compile(r"^(?:\d{1,2}|[a-z])[.)]\s")
"""A line that begins a list item ("1. ", "a) ")."""
PADDING = 5.4
"""A table cell's inner margin (Word's and LibreOffice's default 0.19 cm), in points."""
NO_TEXT = (
    "PDF ini tidak memiliki lapisan teks (hasil pindaian atau gambar), jadi tabelnya tidak dapat "
    "dibaca. Jalankan OCR lebih dulu (mis. `ocrmypdf berkas.pdf hasil.pdf`, atau fitur OCR pemindai), "
    "lalu impor PDF hasilnya; atau impor berkas Word aslinya bila masih ada"
)


@dataclass(frozen=True)
class _Symbol:
    kind: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2


@dataclass(frozen=True)
class _Line:
    start: tuple[float, float]
    end: tuple[float, float]


def _points(obj: dict[str, Any]) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in obj.get("pts") or []]


def _box(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _kind(points: list[tuple[float, float]]) -> str | None:
    """The symbol a closed path draws, from its corners."""
    x0, top, x1, bottom = _box(points)
    width, height = x1 - x0, bottom - top
    if width < 6 or height < 6:
        return None
    corners = list(dict.fromkeys((round(x), round(y)) for x, y in points))
    if len(corners) == 4:
        middle_x, middle_y = (x0 + x1) / 2, (top + bottom) / 2
        if all(abs(x - middle_x) < 2 or abs(y - middle_y) < 2 for x, y in corners):
            return "keputusan"
        if all((abs(x - x0) < 2 or abs(x - x1) < 2) and (abs(y - top) < 2 or abs(y - bottom) < 2) for x, y in corners):
            return "proses"
    if len(corners) == 5 and sum(1 for x, y in corners if abs(y - (top + bottom) / 2) < 2) == 1:
        return "penghubung"  # a pentagon: the off-page connector
    if len(corners) >= 8:
        return "terminator"
    return None


def _shapes(page: Any) -> tuple[list[_Symbol], list[_Line], list[dict[str, Any]]]:
    """The page's symbols, connectors, and the straight lines that may rule a table."""
    symbols: dict[tuple[int, int, int, int], _Symbol] = {}
    heads: list[list[tuple[float, float]]] = []
    open_paths: list[list[tuple[float, float]]] = []
    for rect in page.rects:
        x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
        if x1 - x0 >= 6 and bottom - top >= 6 and (x1 - x0) < 200 and (bottom - top) < 120:
            symbols.setdefault(
                (round(x0), round(top), round(x1), round(bottom)), _Symbol("proses", x0, top, x1, bottom)
            )
    for curve in page.curves:
        points = _points(curve)
        if len(points) < 2:
            continue
        closed = len(points) > 2 and abs(points[0][0] - points[-1][0]) < 1 and abs(points[0][1] - points[-1][1]) < 1
        x0, top, x1, bottom = _box(points)
        if curve.get("fill") and x1 - x0 < 12 and bottom - top < 12:  # an arrowhead
            heads.append(points)
            continue
        kind = _kind(points) if closed or curve.get("fill") else None
        if kind:
            symbols.setdefault((round(x0), round(top), round(x1), round(bottom)), _Symbol(kind, x0, top, x1, bottom))
        elif curve.get("stroke") and not curve.get("fill"):
            open_paths.append(points)
    rulings = []
    for line in page.lines:
        points = [(float(line["x0"]), float(line["top"])), (float(line["x1"]), float(line["bottom"]))]
        if any(_near(corner, point, 8) for head in heads for corner in head for point in points):
            open_paths.append(points)
        else:
            rulings.append(line)
    connectors = []
    for points in open_paths:
        start, end = points[0], points[-1]

        def headed(point: tuple[float, float]) -> list[tuple[float, float]] | None:
            return next((head for head in heads if any(_near(corner, point, 3) for corner in head)), None)

        if headed(start) and not headed(end):
            start, end = end, start
        head = headed(end)
        # the line ends where its arrowhead points: the head's corner farthest from the line's start
        tip = max(head, key=lambda c: (c[0] - start[0]) ** 2 + (c[1] - start[1]) ** 2) if head else end
        connectors.append(_Line(start, tip))
    return list(symbols.values()), connectors, rulings


def _near(a: tuple[float, float], b: tuple[float, float], distance: float) -> bool:
    return abs(a[0] - b[0]) <= distance and abs(a[1] - b[1]) <= distance


def _cell_lines(words: list[dict[str, Any]], width: float) -> list[str]:
    """A cell's words as its paragraphs: words on one baseline make a line; a line whose first
    word would have fitted at the end of the line above starts a paragraph, else the cell's
    width wrapped it and it goes on the line above."""
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(w["bottom"]), w["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - word["bottom"]) < 2.5:
            rows[-1].append(word)
        else:
            rows.append([word])
    paragraphs: list[str] = []
    previous_width = 0.0
    inner = width - 2 * PADDING
    numbered = bool(rows) and bool(_ITEM.match(" ".join(w["text"] for w in sorted(rows[0], key=lambda w: w["x0"]))))
    """A list numbered in the cell: a line without a number goes on with the item above."""
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        text = " ".join(w["text"] for w in row)
        first = row[0]["x1"] - row[0]["x0"]
        size = float(row[0].get("size") or 9)
        fits = previous_width + 0.28 * size + first <= inner - 1
        last_line = paragraphs[-1].rsplit("\n", 1)[-1] if paragraphs else ""
        if not paragraphs or (fits and not (numbered and not _ITEM.match(text))) or (numbered and _ITEM.match(text)):
            paragraphs.append(text)
        elif (" " not in last_line and previous_width >= inner - 0.7 * size and text[:1].islower()) or re.search(
            r"\S/$", paragraphs[-1]
        ):
            paragraphs[-1] += text  # a word broken at the cell's edge, or after a slash
        elif (
            numbered
            or text[:1].islower()
            or text[:1] in "(,;:."
            or paragraphs[-1].endswith((",", " dan", " atau", " yang", "/"))
        ):
            paragraphs[-1] = f"{paragraphs[-1]} {text}"  # the cell's width wrapped the line
        else:
            paragraphs.append(text)  # a capital after a full line: a new item as likely as a wrap
        previous_width = row[-1]["x1"] - row[0]["x0"]
    return paragraphs


def _inside(point: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


@register_importer(".pdf")
def read_pdf(path: Path) -> ReadFile:
    """The rows of a PDF's tables (a spanning cell repeated in each of its columns, as Word's
    are), the lines of text outside them, the symbols in each cell and the connectors."""
    data = read_bounded(path, limits.MAX_IMPORT_BYTES)  # a regular file (never a FIFO or /dev/zero), at most 10 MB
    limits.check_pdf(data)  # its streams inflated no further than the bound, before pdfplumber inflates them whole
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return _read(io.BytesIO(data), pdfplumber)
    except (PdfminerException, PDFSyntaxError) as exc:
        raise FileRefused("bukan berkas PDF yang utuh (isinya tidak dapat dibaca); apakah berkasnya rusak?") from exc


def _read(path: Any, pdfplumber: Any) -> ReadFile:
    result = ReadFile(format="PDF (lapisan teks)")
    where: dict[_Symbol, tuple[int, int]] = {}
    lines_of: list[tuple[_Line, int]] = []
    with pdfplumber.open(path) as pdf:
        if len(pdf.pages) > 200:
            raise FileRefused("PDF lebih dari 200 halaman; bukan satu SOP")
        if not any(page.chars for page in pdf.pages):
            raise FileRefused(NO_TEXT)
        tables = 0
        for page_number, page in enumerate(pdf.pages, start=1):
            symbols, connectors, rulings = _shapes(page)
            settings = {
                "vertical_strategy": "explicit",
                "horizontal_strategy": "explicit",
                "explicit_vertical_lines": [r for r in rulings if abs(r["x0"] - r["x1"]) < 1],
                "explicit_horizontal_lines": [r for r in rulings if abs(r["top"] - r["bottom"]) < 1],
                "snap_tolerance": 2,
                "intersection_tolerance": 2,
            }
            found = sorted(page.find_tables(settings), key=lambda t: t.bbox[1])
            words = page.extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["size"])
            placed: list[tuple[float, Row | None, Any]] = []
            in_tables = [t.bbox for t in found]
            free = [
                w
                for w in words
                if not any(_inside(((w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2), b) for b in in_tables)
            ]
            for text_line in _free_lines(free):
                placed.append((text_line[0], None, text_line[1]))
            for table in found:
                placed.append((table.bbox[1], None, table))
            for _top, _none, item in sorted(placed, key=lambda p: p[0]):
                if isinstance(item, str):
                    number = len(result.rows) + 1
                    result.rows.append(Row((Cell(clean(item), raw=item),), f"halaman {page_number}", number))
                    continue
                _table_rows(item, words, symbols, result, tables, page_number, where)
                tables += 1
            lines_of += [(line, page_number) for line in connectors]
            limits.check_row_count(len(result.rows), f"halaman {page_number}")
    for line, _page in lines_of:
        ends = [_touching(where, point) for point in (line.start, line.end)]
        if ends[0] is not None and ends[1] is not None and ends[0] != ends[1]:
            result.symbol_arrows.append((where[ends[0]], where[ends[1]]))
    return result


def _free_lines(words: list[dict[str, Any]]) -> list[tuple[float, str]]:
    """Lines of the words outside the tables, top to bottom."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(w["bottom"]), w["x0"])):
        if lines and abs(lines[-1][0]["bottom"] - word["bottom"]) < 2.5:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [(line[0]["top"], " ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"]))) for line in lines]


def _table_rows(
    table: Any,
    words: list[dict[str, Any]],
    symbols: list[_Symbol],
    result: ReadFile,
    number: int,
    page_number: int,
    where: dict[_Symbol, tuple[int, int]],
) -> None:
    """Add a table's rows: a cell spanning columns repeated in each (as Word's reader does),
    a cell that a cell above spans left empty."""
    width = max((len(row.cells) for row in table.rows), default=0)
    lefts = [
        min((row.cells[c][0] for row in table.rows if c < len(row.cells) and row.cells[c] is not None), default=1e9)
        for c in range(width)
    ]
    for index, row in enumerate(table.rows, start=1):
        cells: list[Cell] = []
        row_index = len(result.rows)
        for column, box in enumerate(row.cells):
            if box is None:
                spanning = next((b for b in reversed(row.cells[:column]) if b is not None), None)
                cells.append(
                    cells[-1] if cells and spanning is not None and spanning[2] > lefts[column] + 1 else Cell("")
                )
                continue
            inside = [w for w in words if _inside(((w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2), box)]
            lines = tuple(clean(line, extracted=False) for line in _cell_lines(inside, box[2] - box[0]))
            drawn = [s for s in symbols if _inside(s.centre, box)]
            for symbol in drawn:
                where[symbol] = (row_index, column)
            cells.append(Cell(" ".join(lines), shapes=tuple(s.kind for s in drawn), raw="  ".join(lines), lines=lines))
        result.rows.append(
            Row(tuple(cells), f"halaman {page_number} tabel {number + 1} baris {index}", row_index + 1, number)
        )


def _touching(where: dict[_Symbol, tuple[int, int]], point: tuple[float, float]) -> _Symbol | None:
    """The symbol a connector's end touches (within 8 points of its outline: a drawing's
    lines seldom meet their symbols exactly)."""
    best, distance = None, 8.0
    for symbol in where:
        gap = _gap(symbol, point)
        if gap <= distance:
            best, distance = symbol, gap
    return best


def _gap(symbol: _Symbol, point: tuple[float, float]) -> float:
    """How far a point is from a symbol's outline (0 inside); a diamond's corners are empty."""
    if symbol.kind == "keputusan":
        half_w, half_h = (symbol.x1 - symbol.x0) / 2 or 1.0, (symbol.bottom - symbol.top) / 2 or 1.0
        dx, dy = abs(point[0] - symbol.centre[0]), abs(point[1] - symbol.centre[1])
        return float(max(0.0, (dx / half_w + dy / half_h - 1) / (1 / half_w**2 + 1 / half_h**2) ** 0.5))
    dx = max(symbol.x0 - point[0], 0.0, point[0] - symbol.x1)
    dy = max(symbol.top - point[1], 0.0, point[1] - symbol.bottom)
    return float((dx * dx + dy * dy) ** 0.5)
