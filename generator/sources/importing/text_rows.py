"""A Word table copied as text, its rows put back together.

Word's plain-text copy parts a row's cells with tabs, but a cell of several paragraphs puts
each paragraph on a line of its own, which breaks the row: ``2<TAB>Menyusun ...<TAB>Disposisi``
then ``Data reklame<TAB>1 hari<TAB>Surat Perintah Tugas``. The lines are joined back into one
row, the broken cell's paragraphs kept as its lines (a list's items), when the counts of
cells say so:

- a row with fewer cells than its table's widest row goes on with the next line;
- lines without a tab right after a full row are the last cell's further paragraphs, unless
  the next tab line needs them as its first cell's (the row of a header's labels has none).
"""

from __future__ import annotations

import dataclasses
import re

from generator.sources.importing.labels import identity_label, section_label, two_sections
from generator.sources.importing.tables import Cell, Row

_HEADER_WORDS = re.compile(
    r"^(?:no\.?|kegiatan|uraian(?: \w+)?|aktivitas|pelaksana|mutu baku|kelengkapan|waktu|output|hasil|"
    r"ket\.?|keterangan)$",
    re.I,
)


def _is_label(text: str) -> bool:
    return bool(identity_label(text) or section_label(text) or two_sections(text) or _HEADER_WORDS.match(text))


def _labels_only(row: Row) -> bool:
    filled = [cell.text for cell in row.cells if cell.text]
    return bool(filled) and all(_is_label(text) for text in filled)


def _joined(first: Cell, second: Cell) -> Cell:
    lines = tuple(line for line in (*(first.lines or (first.text,)), *(second.lines or (second.text,))) if line)
    return Cell(
        " ".join(lines),
        shapes=first.shapes + second.shapes,
        raw="\n".join(lines),
        lines=lines,
    )


def _merge(first: Row, second: Row) -> Row:
    cells = (*first.cells[:-1], _joined(first.cells[-1], second.cells[0]), *second.cells[1:])
    return dataclasses.replace(first, cells=cells)


def join_returns(rows: list[Row], tab_tables: set[int]) -> list[Row]:
    """``rows`` with the rows that line breaks inside cells broke apart joined again (see the
    module); only rows of tab-separated tables (``tab_tables``) are joined."""
    out: list[Row] = []
    widths: dict[int, int] = {}
    renamed: dict[int, int] = {}
    last_line = -2
    index = 0
    while index < len(rows):
        row = rows[index]
        if row.table in renamed:
            row = dataclasses.replace(row, table=renamed[row.table])
        previous = out[-1] if out else None
        adjacent = previous is not None and previous.table in tab_tables and row.line == last_line + 1
        if row.table in tab_tables:
            width = widths[row.table] = max(widths.get(row.table, 0), len(row.cells))
            if (
                adjacent
                and previous is not None
                and previous.table == row.table
                and len(previous.cells) < width
                and len(previous.cells) + len(row.cells) - 1 <= width
            ):
                out[-1] = _merge(previous, row)
            else:
                out.append(row)
            last_line = row.line
            index += 1
            continue
        if not adjacent or previous is None:
            out.append(row)
            last_line = row.line
            index += 1
            continue
        run = [row]
        while index + len(run) < len(rows):
            further = rows[index + len(run)]
            if further.table >= 0 or further.line != run[-1].line + 1:
                break
            run.append(further)
        after = index + len(run)
        following: Row | None = rows[after] if after < len(rows) else None
        next_adjacent = following is not None and following.table in tab_tables and following.line == run[-1].line + 1
        width = widths.get(previous.table, len(previous.cells))
        block = Row(
            (Cell(" ".join(r.cells[0].text for r in run), lines=tuple(r.cells[0].text for r in run)),),
            run[0].where,
            run[0].line,
            previous.table,
        )
        if (
            following is not None
            and next_adjacent
            and (_labels_only(previous) or (len(previous.cells) >= width and len(following.cells) < width))
        ):
            # the lines open the next row's first cell
            renamed[following.table] = previous.table
            merged = _merge(block, dataclasses.replace(following, table=previous.table))
            widths[previous.table] = max(width, len(merged.cells))
            out.append(merged)
            last_line = following.line
            index = after + 1
            continue
        out[-1] = _merge(previous, block)  # the last cell's further paragraphs
        if following is not None and next_adjacent:  # the row goes on after them
            renamed[following.table] = previous.table
        last_line = run[-1].line
        index = after
    return out
