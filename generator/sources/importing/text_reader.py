"""Text copied out of Word or a PDF: tab-separated rows, Markdown tables, plain lines."""

from __future__ import annotations

import re
from pathlib import Path

from generator.sources.importing.tables import Cell, ReadFile, Row, clean
from generator.sources.readers import register_importer

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-*:?\s*)*\|?\s*$")
"""A Markdown table's header separator (``|---|--|``)."""


@register_importer(".txt", ".md", ".tsv", ".text")
def read_text(path: Path) -> ReadFile:
    """The rows of a text file: a line with tabs is a table row, a line between ``|`` is a
    Markdown table row, any other line is a row of one cell. Table rows keep their empty
    cells: a column's position is what says which role a cell belongs to."""
    data = path.read_bytes()
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
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            previous_kind = ""
            continue
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if _SEPARATOR.match(stripped):
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
        if kind != previous_kind:
            table += 1
        previous_kind = kind
        kinds.add(kind)
        cells = tuple(Cell(clean(part), raw=part.strip()) for part in parts)
        result.rows.append(Row(cells, f"baris {number}", number, table))
    names = {"markdown": "tabel Markdown", "tab": "teks bertab (tab)"}
    result.format = " dan ".join(names[k] for k in sorted(kinds)) or "teks biasa"
    return result
