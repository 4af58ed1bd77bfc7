"""Text copied out of Word or a PDF: tab-separated rows, Markdown tables, plain lines."""

from __future__ import annotations

from pathlib import Path

from generator.sources.files import read_bounded
from generator.sources.importing import limits
from generator.sources.importing.plain_lines import looks_copied_from_viewer, rebuild
from generator.sources.importing.tables import Cell, ReadFile, Row, clean
from generator.sources.importing.text_rows import join_returns
from generator.sources.readers import register_importer

_SEPARATOR_CHARACTERS = frozenset("|-: \t")


def _is_separator(line: str) -> bool:
    """A Markdown table's header separator (``|---|:--|``): only bars, dashes, colons and
    spaces, with a dash run. Tested by its characters, not by a pattern: a pattern with
    optional spaces on both sides of each bar takes time to the square of a line of spaces."""
    return "--" in line and set(line) <= _SEPARATOR_CHARACTERS


@register_importer(".txt", ".md", ".tsv", ".text")
def read_text(path: Path) -> ReadFile:
    """The rows of a text file: a line with tabs is a table row, a line between ``|`` is a
    Markdown table row, any other line is a row of one cell. Table rows keep their empty
    cells: a column's position is what says which role a cell belongs to."""
    data = read_bounded(path, limits.MAX_IMPORT_BYTES)  # a regular file, at most 10 MB
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        text = data.decode("utf-8", errors="replace")
    result = ReadFile(format="teks")
    table = -1
    previous_kind = ""
    kinds = set()
    tab_tables: set[int] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            previous_kind = ""
            continue
        limits.check_row_count(len(result.rows), f"baris {number}")
        limits.check_text(stripped, f"baris {number}")
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if _is_separator(stripped):
                continue
            inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
            parts = inner.split("|")
            kind = "markdown"
        elif "\t" in line:
            parts = line.split("\t")
            kind = "tab"
        else:
            result.rows.append(Row((Cell(clean(stripped), raw=stripped),), f"baris {number}", number))
            previous_kind = ""
            continue
        limits.check_columns(len(parts), f"baris {number}")
        if kind != previous_kind:
            table += 1
            if kind == "tab":
                tab_tables.add(table)
        previous_kind = kind
        kinds.add(kind)
        cells = tuple(Cell(clean(part), raw=part.strip()) for part in parts)
        result.rows.append(Row(cells, f"baris {number}", number, table))
    result.rows = join_returns(result.rows, tab_tables)  # a cell's paragraphs broke its row's line
    if not kinds and looks_copied_from_viewer(result.rows):  # a PDF viewer's copy: tables rebuilt
        result.rows, guesses = rebuild(result.rows)
        result.notes[("pelaksana",)] = "; ".join(guesses)
        kinds.add("viewer")
    names = {"markdown": "tabel Markdown", "tab": "teks bertab (tab)", "viewer": "teks salinan penampil PDF"}
    result.format = " dan ".join(names[k] for k in sorted(kinds)) or "teks biasa"
    return result
