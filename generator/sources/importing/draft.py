"""An SOP read out of the rows of an imported file, with a note wherever it had to guess.

The official layout is recognised by its labels, whatever the file format: the identity
block (Nomor SOP, Tgl Pembuatan, Disahkan oleh, Nama SOP, ...), the six sections (Dasar
Hukum, Kualifikasi Pelaksana, ...), and the procedure table (No, Kegiatan, one column per
Pelaksana, Mutu Baku, Keterangan). Nothing is invented: a value that is not in the file
stays empty, and every reading that is not plain from the file (who performs a step when
no cell says so, a decision read from its words) is kept with a note for a person to
check.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

from generator.model.documents import DocumentCatalogue
from generator.model.sop import DEFAULT_LABELS
from generator.model.text import slug
from generator.sources.importing.identity import read_identity
from generator.sources.importing.labels import (
    column_labels,
    identity_label,
    is_column_numbers,
    section_label,
    two_sections,
)
from generator.sources.importing.limits import MAX_STEPS, too_large
from generator.sources.importing.lists import numbering, read_list
from generator.sources.importing.performers import guess
from generator.sources.importing.tables import Cell, ReadFile, Row, clean

Path_ = tuple[str | int, ...]

IDENTITY = {
    "nomor_sop": r"(?:nomor|no\.?)(?: urut)? sop",
    "tanggal_pembuatan": r"(?:tgl\.?|tanggal) pembuatan",
    "tanggal_revisi": r"(?:tgl\.?|tanggal) revisi",
    "tanggal_efektif": r"(?:tgl\.?|tanggal) efektif",
    "disahkan_oleh": r"disahkan oleh",
    "nama_sop": r"nama sop",
}
"""Identity labels, as offices write them."""

SECTIONS = {
    "dasar_hukum": r"dasar hukum",
    "kualifikasi_pelaksana": r"kualifikasi pelaksana",
    "keterkaitan": r"keterkaitan",
    "peralatan_perlengkapan": r"peralatan\s*(?:/|dan)\s*perlengkapan",
    "peringatan": r"peringatan",
    "pencatatan_pendataan": r"(?:pencatatan\s*(?:/|dan)\s*pendataan|pendataan\s*(?:/|dan)\s*pencatatan)",
}
"""The identity sheet's six sections."""

SINGLE_TEXT = {"peringatan"}
"""Sections the format holds as one text when the file writes one paragraph."""

_LABEL = {name: re.compile(rf"^{pattern}\s*:?\s*(.*)$", re.I | re.S) for name, pattern in IDENTITY.items()}
_SECTION = {name: re.compile(rf"^{pattern}\s*:?$", re.I) for name, pattern in SECTIONS.items()}
_NO = re.compile(r"^no\.?$", re.I)
# The procedure table's column titles, matched as whole cells: a pelaksana column named
# "Petugas Kelengkapan Berkas" is a role, not the Mutu Baku column "Kelengkapan".
_ACTIVITY = re.compile(r"^(?:uraian )?(?:kegiatan|prosedur|aktivitas)$|^uraian$|^uraian (?:sop|tugas)$", re.I)
_REQUIREMENT_WORD = r"(?:kelengkapan|persyaratan|perlengkapan|persy\.?|kelkpan|syarat|input|masukan)"
_REQUIREMENTS = re.compile(rf"^{_REQUIREMENT_WORD}(?:\s*(?:/|dan|&)\s*{_REQUIREMENT_WORD})*$", re.I)
_TIME = re.compile(r"^waktu$", re.I)
_OUTPUT = re.compile(r"^(?:output|keluaran|hasil)$", re.I)
_REMARK = re.compile(r"^(?:ket\.?|keterangan|kete ?rangan)$", re.I)
_STEP_NO = re.compile(r"^(\d{1,3}[a-z]?)[.)]?$", re.I)
_DURATION = re.compile(r"(?<!\d)\d+\s*(?:menit|jam|hari|minggu|bulan|tahun)\b", re.I)
_NUMBERED = re.compile(r"(?:^|(?<=\s))(\d{1,2})[.)](?=\s|[A-Z])")
_MARKER = re.compile(r"^(?:[-•*]\s*)?(?:\d{1,2}[.)]?\s+|[a-z][.)]\s+)?", re.I)
_NIP = re.compile(r"\bNIP\.?\s*+:?\s*+(\d(?: *+\d)*+)", re.I)
_OFFICE_WORDS = r"KECAMATAN|DINAS|BADAN|KANTOR|KELURAHAN|DESA|SEKRETARIAT|INSPEKTORAT|RSUD|SATUAN|BAGIAN"
_GOVERNMENT = re.compile(rf"PEMERINTAH\s+(?:KABUPATEN|KOTA|PROVINSI)\s+[A-Z]+(?:\s+(?!(?:{_OFFICE_WORDS})\b)[A-Z]+\b)?")
_OFFICE = re.compile(
    rf"\b(?:{_OFFICE_WORDS})\b"
    r"[A-Z0-9 ,&.()-]{0,120}?(?=\s+(?:Jl\.?|Jalan)\s|\s*$)"
)
_ADDRESS = re.compile(r"\b(?:Jl\.?|Jalan)\s[^\n]*")
_UNIT = re.compile(r"^(?:SUB ?BAGIAN|SUBBAG|BAGIAN|SEKSI|BIDANG|UPT|SUB ?BIDANG)\b", re.I)
_DECISION = re.compile(
    r"^(?:(?!\b(?:apabila|jika|bila|kalau)\b).)*\b(?:apabila|jika|bila|kalau)\b.*\b(?:tidak|belum|ditolak)\b", re.I
)
"""A condition ("apabila", "jika") with a "tidak" after it. Read from the start to the first
condition only: tried at each of them, as a search does, a text of repeated "jika" took
time to the square of its length (25 s at 80 KB)."""
RANKS = (
    "Pembina Utama Madya",
    "Pembina Utama Muda",
    "Pembina Utama",
    "Pembina Tingkat I",
    "Pembina Tk. I",
    "Pembina",
    "Penata Tingkat I",
    "Penata Tk. I",
    "Penata Muda Tingkat I",
    "Penata Muda Tk. I",
    "Penata Muda",
    "Penata",
)
"""Civil-service ranks (pangkat) as they follow a name in the signature block."""
_TITLES = re.compile(r"^(?:CAMAT|KEPALA|SEKRETARIS|LURAH|KADES|DIREKTUR|INSPEKTUR|PLT|PJ|KASUBAG|KABAG|BUPATI)\b", re.I)


OPEN_TIDAK = (
    "Tidak: garisnya tidak tergambar di berkas (atau tidak terbaca), jadi dibiarkan terbuka; "
    "tulis `tidak: <nomor langkah>` bila SOP menggambar ke mana jawaban Tidak pergi"
)
"""The note on a decision whose No the file does not show going anywhere (never invented)."""


@dataclass
class Draft:
    """An SOP source as data, the notes for a person, and what could not be read."""

    data: dict[str, Any] = field(default_factory=dict)
    notes: dict[Path_, str] = field(default_factory=dict)
    """Per field, why its value is a guess (written as a YAML comment above it)."""
    missing: list[str] = field(default_factory=list)
    """What the file lacks that an SOP needs (the import then fails with these)."""
    format: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    """What a sheet the portal exported says beyond its tables (its SOP's id, labels, ...)."""
    renamed: dict[str, str] = field(default_factory=dict)
    """Pelaksana renamed in the sheet (old name -> new)."""
    origins: dict[Path_, Row] = field(default_factory=dict)
    """Where in the file a value was read (a step's row, an identity field's row): a problem
    ``check`` finds in the draft is told at the file's table, row and cell."""
    faults: list[tuple[Row | None, str]] = field(default_factory=list)
    """What the drawing says that no SOP can (a decision with five arrows out), with its row:
    the import fails with these, said as they are."""

    def note(self, path: Path_, text: str) -> None:
        self.notes[path] = f"{self.notes[path]}; {text}" if path in self.notes else text


def _label(text: str) -> tuple[str, str] | None:
    found = identity_label(text)  # whole labels, the variants of real forms (see .labels)
    return (found[0], clean(found[2], extracted=False)) if found else None


def _section(text: str) -> str | None:
    found = section_label(text)
    return found[0] if found else None


def _is_heading(text: str) -> bool:
    return _label(text) is not None or _section(text) is not None


def split_items(text: str) -> list[str]:
    """A cell's list: numbered items (``1. a 2. b``) apart, else ``;``-ended items apart,
    else the text as one item. List markers are dropped; words are kept as written."""
    text = clean(text, extracted=False)
    if not text:
        return []
    numbers = [m for m in _NUMBERED.finditer(text)]
    expected, starts = 1, []
    for match in numbers:
        if int(match.group(1)) == expected:
            starts.append(match)
            expected += 1
    if len(starts) >= 2 or (starts and starts[0].start() == 0):
        items = []
        for index, match in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
            items.append(text[match.end() : end].strip())
        head = text[: starts[0].start()].strip()
        return [item for item in ([head] if head else []) + items if item]
    if (text.count(";") >= 1 and not text.rstrip().endswith(";")) or text.count(";") >= 2:
        parts = [part.strip() + ";" for part in text.split(";")]
        parts[-1] = parts[-1][:-1]
        return [part for part in parts if part.strip(" ;")]
    return [text]


def _has_marker(line: str) -> bool:
    """True when the line begins with a list marker ("1.", "- 2", "a)")."""
    found = _MARKER.match(line)
    return bool(found and found.group(0))


def _strip_marker(line: str) -> str:
    return _MARKER.sub("", line, count=1).strip()


def _approver(text: str, raw: str) -> dict[str, str]:
    """Jabatan, nama, pangkat and NIP out of a signature block written as one text."""
    result: dict[str, str] = {}
    nip = _NIP.search(text)
    if nip:
        result["nip"] = nip.group(1).strip()
        raw = raw[: raw.upper().find("NIP")] if "NIP" in raw.upper() else raw
    parts = [clean(part, extracted=False) for part in re.split(r"\s{2,}", raw.strip()) if part.strip()]
    if len(parts) == 1 and parts[0].isupper() and _TITLES.match(parts[0]) and not nip:
        return {"jabatan": parts[0]}
    if len(parts) >= 2 and _TITLES.match(parts[0]):
        result["jabatan"] = parts[0]
        parts = parts[1:]
    name = " ".join(parts)
    for rank in RANKS:
        if name.casefold().endswith(" " + rank.casefold()):
            result["pangkat"] = name[-len(rank) :]
            name = name[: -len(rank)].strip()
            break
    if name:
        result["nama"] = name
    return result


@dataclass
class _Columns:
    activity: int
    roles: list[tuple[int, str]]
    requirements: int
    time: int
    output: int
    remark: int
    width: int


def _find_procedure(rows: list[Row]) -> tuple[int, _Columns] | None:
    """The procedure table's header: the row naming No and Kegiatan, with the role names in
    it or in the row below."""
    for index, row in enumerate(rows):
        texts = row.texts
        if len(texts) < 3 or not any(_NO.match(t) for t in texts):
            continue
        activity = next((i for i, t in enumerate(texts) if _ACTIVITY.match(t)), None)
        if activity is None:
            continue
        below = rows[index + 1].texts if index + 1 < len(rows) and rows[index + 1].table == row.table else []
        names = below if any(_REQUIREMENTS.match(t) for t in below) else texts
        found = [i for i, t in enumerate(names) if i > activity and _REQUIREMENTS.match(t)]
        # A pelaksana may be titled like the column ("Kelengkapan"): the Mutu Baku one has Waktu after it.
        timed = [i for i in found if i + 1 < len(names) and _TIME.match(names[i + 1])]
        chosen = timed or found[-1:]
        requirements = chosen[0] if chosen else None
        if requirements is None:
            continue
        roles = [
            (i, names[i])
            for i in range(activity + 1, requirements)
            if names[i] and (names is below or not _is_pelaksana(names[i]))
        ]
        time = next((i for i, t in enumerate(names) if _TIME.match(t)), requirements + 1)
        output = next((i for i, t in enumerate(names) if _OUTPUT.match(t)), time + 1)
        remark = next((i for i, t in enumerate(texts) if _REMARK.match(t)), output + 1)
        if names is below and len(texts) < len(below):  # merged cells copied once: the top row is narrower
            remark = output + 1
        header_end = index + 1 if names is below else index
        return header_end, _Columns(activity, roles, requirements, time, output, remark, len(names))
    return None


def _is_pelaksana(text: str) -> bool:
    return text.casefold() in {"pelaksana", "mutu baku"}


def _cell(cells: tuple[Cell, ...], index: int) -> Cell:
    return cells[index] if 0 <= index < len(cells) else Cell("")


def _documents_in(text: str, documents: DocumentCatalogue) -> tuple[str, str] | None:
    """The document template an item begins with: its title, or the short name in brackets
    after the title (``Lembar Kerja Evaluasi AKIP (LKE)`` is named by "LKE ...")."""
    folded = text.casefold()
    for document in documents.documents:
        names = [document.title, *re.findall(r"\(([^()]+)\)", document.title)]  # (not "(": linear)
        for name in names:
            key = name.casefold().strip()
            if len(key) >= 3 and re.match(rf"{re.escape(key)}(?!\w)", folded):
                return document.id, name
        if _words_in_order(document.title.casefold().split(), folded.split()):
            return document.id, document.title
    return None


def _words_in_order(title: list[str], words: list[str]) -> bool:
    """True when an item begins with a title's words in order, with at most one word put in
    between ("Kertas kerja pengukuran data kinerja" names "Kertas Kerja Pengukuran Kinerja")."""
    if len(title) < 3 or not words or words[0] != title[0]:
        return False
    window, found = iter(words[: len(title) + 1]), 0
    for word in title:
        if any(candidate == word for candidate in window):
            found += 1
    return found == len(title)


class _Reader:
    def __init__(self, read: ReadFile, documents: DocumentCatalogue) -> None:
        self.rows = read.rows
        self.documents = documents
        self.draft = Draft(format=read.format)
        self.exported = any(cell.tokens for row in read.rows for cell in row.cells)
        """The file is a sheet the portal exported (its symbols carry their steps)."""
        self.settings = read.settings
        self.arrows = read.arrows
        self.symbol_arrows = read.symbol_arrows
        self.printed_labels: dict[str, str] = {}
        self.numbering: dict[str, Any] = {}
        """Identity lists numbered otherwise than the official form (``cetak.penomoran``)."""
        """Labels the form prints in other words than the official form (``cetak.label``)."""
        self.seen: set[str] = set()
        """Steps whose symbols have been read (by key, from the symbols' titles)."""
        self.renamed: dict[str, str] = {}
        """Pelaksana renamed in Word (a column's title edited): the name in the symbols'
        titles -> the column's title now."""

    # -- identity -------------------------------------------------------------------------

    def identity(self, end: int) -> None:
        if not self.exported and not self.settings:  # an office's own form: see .identity
            block = read_identity(self.rows[:end])
            self.draft.data.update(block.data)
            self.draft.origins.update(block.origins)
            for path, text in block.notes.items():
                self.draft.note(path, text)
            self.printed_labels.update(block.labels)
            return
        data = self.draft.data
        rows = self.rows[:end]
        for index, row in enumerate(rows):
            cells = row.cells
            for position, cell in enumerate(cells):
                found = _label(cell.text)
                if not found:
                    continue
                name, value = found
                raw = cell.raw[len(cell.raw) - len(cell.raw.lstrip()) :]
                if name in data:
                    continue
                if value:
                    raw_value = (
                        re.split(r"(?i)disahkan\s+oleh", raw, maxsplit=1)[-1] if name == "disahkan_oleh" else value
                    )
                    self._identity_value(name, value, raw_value, row)
                    continue
                after = next((c for c in cells[position + 1 :] if c.text), None)
                if after is not None and not _is_heading(after.text):
                    self._identity_value(name, after.text, after.raw, row)
                    continue
                if len(cells) == 1:  # a label on its own line: the value is the next line
                    following = self._next_line(rows, index)
                    if following is not None:
                        self._identity_value(name, following.text, following.raw, row)
                        continue
                data.setdefault(name, {} if name == "disahkan_oleh" else "")
        self.office(rows)

    def _next_line(self, rows: list[Row], index: int) -> Cell | None:
        for row in rows[index + 1 : index + 4]:
            if not row.filled:
                continue
            first = row.cells[0] if len(row.cells) == 1 else None
            if first is None or _is_heading(first.text):
                return None
            return first
        return None

    def _identity_value(self, name: str, value: str, raw: str, row: Row) -> None:
        data = self.draft.data
        if name == "disahkan_oleh":
            data[name] = _approver(value, raw)
            if "nama" not in data[name] or "jabatan" not in data[name]:
                self.draft.note((name,), f"dibaca dari {row.where}: \u201c{value}\u201d; periksa jabatan dan nama")
            return
        if name == "nama_sop" and value.endswith(".") and value.isupper():
            self.draft.note((name,), f"titik di akhir nama dibuang (tertulis \u201c{value}\u201d)")
            value = value[:-1]
        if value in {"-", "–"}:
            value = ""
        data[name] = value
        self.draft.origins[(name,)] = row

    def office(self, rows: list[Row]) -> None:
        data = self.draft.data
        kop = self.settings.get("kop")
        if isinstance(kop, list) and rows and rows[0].table >= 0 and rows[0].cells:
            lines = rows[0].cells[0].lines  # the heading cell of a sheet the portal exported
            if len(lines) == len(kop) and all(isinstance(name, str) for name in kop):
                data.update(zip(kop, lines, strict=True))
                return
        for row in rows:
            cell_lines = {line for cell in row.cells for line in cell.lines}  # Word keeps lines apart
            for text in (line for cell in row.cells for line in (cell.lines or (cell.text,))):
                if "pemerintah" not in data:
                    found = _GOVERNMENT.search(text)
                    if found:
                        data["pemerintah"] = found.group(0)
                        rest = text[found.end() :].strip()
                        office = _OFFICE.match(rest) or _OFFICE.search(rest)
                        if office and office.group(0).strip():
                            data.setdefault("instansi", office.group(0).strip())
                        address = _ADDRESS.search(rest)
                        if address:
                            data.setdefault("alamat", address.group(0).strip())
                        continue
                if "alamat" not in data and "pemerintah" in data and re.match(r"^(?:Jl\.?|Jalan)\s", text):
                    data["alamat"] = text
                    continue
                if "instansi" not in data and (len(row.filled) <= 2 or text in cell_lines):
                    office = _OFFICE.match(text)
                    if office and office.group(0).strip() and text.isupper() and len(text) < 80:
                        data["instansi"] = office.group(0).strip()
                        continue
                if "unit" not in data and _UNIT.match(text) and text.isupper() and len(text) < 120:
                    data["unit"] = text

    # -- the six sections -----------------------------------------------------------------

    def sections(self, end: int) -> None:
        rows = self.rows[:end]
        data = self.draft.data
        pending: list[str] = []
        blocks: list[list[str]] = []

        def flush() -> None:
            for name, lines in zip(pending, _assign(blocks, len(pending)), strict=False):
                self._section_value(name, lines)
            pending.clear()
            blocks.clear()

        for index, row in enumerate(rows):
            names = [_section(t) for t in row.texts]
            if len(row.cells) > 1 and any(names):
                flush()
                below = rows[index + 1] if index + 1 < len(rows) else None
                for position, name in enumerate(names):
                    if name and below is not None and below.table == row.table and below.table >= 0:
                        held = _cell(below.cells, position)
                        if len(held.lines) > 1:
                            self._section_value(name, list(held.lines))
                        else:
                            self._section_value(name, [held.text], cell=True)
                    elif name:
                        data.setdefault(name, [])
                continue
            if len(row.cells) == 1:
                text = row.cells[0].text
                name = _section(text)
                if name is None and _is_two_sections(text):
                    flush()
                    pending.extend(_two_sections(text))
                    continue
                if name is not None:
                    if blocks:
                        flush()
                    pending.append(name)
                    continue
                if re.match(r"^(?:prosedur|uraian sop|uraian prosedur)\b", text, re.I):
                    flush()  # the procedure's title: the sections end here
                    continue
                if _label(text) or not pending:
                    continue
                style = _list_style(text)
                if not blocks or (style != blocks[-1][0] and style != "lanjut"):
                    blocks.append([style])
                blocks[-1].append(text)
        flush()

    def _section_value(self, name: str, lines: list[str], *, cell: bool = False) -> None:
        items, numbers, how = read_list([clean(line, extracted=False) for line in lines], parted=cell)
        if how:
            self.draft.note((name,), how)
        printed = numbering(name, len(items), numbers)
        if printed is not None:  # numbered otherwise than the official form: printed as the paper
            self.numbering[name] = printed
        if name in SINGLE_TEXT and len(items) == 1:
            self.draft.data[name] = items[0]
        else:
            self.draft.data[name] = items

    # -- the procedure --------------------------------------------------------------------

    def procedure(self, start: int, columns: _Columns) -> None:
        data = self.draft.data
        roles = [name for _, name in columns.roles]
        data["pelaksana"] = roles
        if self.exported:
            self.renamed = _renamed(self.rows[start + 1 :], columns)
            self.draft.renamed = dict(self.renamed)
        steps: list[dict[str, Any]] = []
        step_of_row: dict[int, int] = {}
        for index, row in enumerate(self.rows[start + 1 :], start=start + 1):
            cells = row.cells
            number = _STEP_NO.match(cells[0].text) if cells and row.table >= 0 else None
            if number is None or is_column_numbers(row.texts):  # the row "1 2 3 ... 10" under the header
                continue
            if len(steps) >= MAX_STEPS:  # (before the rest is read: a table of 10,000 steps is not an SOP)
                message = "tabel prosedur memuat terlalu banyak langkah"
                raise too_large(message, f"lebih dari {MAX_STEPS}", f"{MAX_STEPS} langkah", row.where)
            step_of_row[index] = len(steps)
            self.draft.origins[("langkah", len(steps))] = row
            steps.append(self._step(number.group(1), cells, columns, roles, len(steps), steps, row))
        if not self.exported:
            self._arrows(steps, step_of_row, columns)
        if any("id" in step for step in steps):
            steps = _exported_flow(steps)
            if len(steps) != len(step_of_row):  # sub-steps moved under their steps: rows no longer by index
                self.draft.origins = {at: row for at, row in self.draft.origins.items() if at[0] != "langkah"}
        for index, step in enumerate(steps):
            if step.get("jenis") == "keputusan" and "ya" not in step:
                if index + 1 < len(steps):
                    step["ya"] = steps[index + 1]["no"]
                    self.draft.note(("langkah", index, "ya"), "tebakan: bila Ya, lanjut ke langkah di bawahnya")
                else:  # a decision with nowhere to go on Yes: drawn as a process, said in a note
                    del step["jenis"]
                    step.pop("tidak", None)
                    self.draft.note(
                        ("langkah", index, "kegiatan"), "langkah terakhir berbentuk keputusan; ditulis sebagai proses"
                    )
        data["langkah"] = steps
        if not steps:
            self.draft.missing.append("baris langkah bernomor di bawah kepala tabel prosedur")

    def _arrows(self, steps: list[dict[str, Any]], step_of_row: dict[int, int], columns: _Columns) -> None:
        """Arrows drawn between the symbols (connectors glued to them, or lines whose ends
        touch them): where a decision's Tidak goes, a return to another symbol of the same
        row, and a process that jumps (read from the drawing, so the guesses give way)."""
        role_at = dict(columns.roles)
        lines = self.symbol_arrows or [((a, -1), (b, -1)) for a, b in self.arrows]
        going: dict[int, list[tuple[int, str]]] = {}
        for (source_row, source_column), (target_row, target_column) in lines:
            if source_row not in step_of_row or target_row not in step_of_row:
                continue
            source, target = step_of_row[source_row], step_of_row[target_row]
            if target == source and (target_column not in role_at or target_column >= source_column):
                continue  # within a row only a line back to a symbol before (read left to right) is a return
            going.setdefault(source, []).append((target, role_at.get(target_column, "")))
        for source, targets in going.items():
            step = steps[source]
            at: Path_ = ("langkah", source)
            ways = len({target for target, _ in targets})
            if ways > 2 and "rantai" not in step:  # no symbol goes three ways: said as it is drawn
                kind = "keputusan" if step.get("jenis") == "keputusan" else "proses"
                branches = (
                    "hanya bercabang dua (Ya dan Tidak)" if kind == "keputusan" else "hanya punya satu jalan keluar"
                )
                self.draft.faults.append(
                    (
                        self.draft.origins.get(at),
                        f"simbol {kind} langkah {step['no']} mempunyai {ways} panah keluar; {kind} {branches}",
                    )
                )
            decision = step.get("jenis") == "keputusan"
            returns = [(t, role) for t, role in targets if t == source and role and "rantai" in step]
            jumps = [(t, role) for t, role in targets if t != source and (decision or t != source + 1)]
            if decision:
                ahead = [t for t, _ in targets if t == source + 1]
                others = [(t, role) for t, role in jumps if t != source + 1] + returns
                if others:  # the line that does not go to the row below is the Tidak
                    target, role = others[0]
                    goes = steps[target]["no"]
                    step["tidak"] = {"langkah": goes, "pelaksana": role} if target == source else goes
                    where = f"simbol {role} di baris yang sama" if target == source else f"langkah {goes}"
                    self._drawn(at, "tidak", f"dibaca dari panah yang digambar ke {where}")
                    if not ahead and len(others) > 1:
                        step["ya"] = steps[others[1][0]]["no"]
                        self._drawn(at, "ya", f"dibaca dari panah yang digambar ke langkah {step['ya']}")
                if ahead:
                    step["ya"] = steps[source + 1]["no"]
                    self._drawn(at, "ya", f"dibaca dari panah yang digambar ke langkah {step['ya']}")
            elif jumps and "rantai" not in step:
                step["lanjut_ke"] = steps[jumps[0][0]]["no"]
                self.draft.note((*at, "lanjut_ke"), f"dibaca dari panah yang digambar ke langkah {step['lanjut_ke']}")

    def _drawn(self, at: Path_, name: str, text: str) -> None:
        """A branch read from the drawing: the note of an open or guessed branch gives way."""
        self.draft.notes.pop((*at, name), None)
        jenis = self.draft.notes.get((*at, "jenis"), "")
        if OPEN_TIDAK in jenis and name == "tidak":
            rest = "; ".join(part for part in jenis.split("; ") if part and part not in OPEN_TIDAK)
            if rest:
                self.draft.notes[(*at, "jenis")] = rest
            else:
                self.draft.notes.pop((*at, "jenis"), None)
        self.draft.note((*at, name), text)

    def _step(
        self,
        number: str,
        cells: tuple[Cell, ...],
        columns: _Columns,
        roles: list[str],
        index: int,
        steps: list[dict[str, Any]],
        row: Row,
    ) -> dict[str, Any]:
        at: Path_ = ("langkah", index)
        aligned = len(cells) == columns.width or (len(cells) == columns.width + 1 and not cells[-1].text)
        if aligned:
            requirements, time, output, remark = columns.requirements, columns.time, columns.output, columns.remark
            role_cells = [(name, _cell(cells, i)) for i, name in columns.roles]
        else:  # a row with cells missing (an extraction dropped empty ones): find the time
            time = next((i for i in range(len(cells) - 1, columns.activity, -1) if _DURATION.search(cells[i].text)), -1)
            if time < 0:
                time = len(cells) - (columns.width - columns.time)
            requirements, output, remark = time - 1, time + 1, time + 2
            role_cells = []
            self.draft.note(
                (*at, "kelengkapan"),
                f"kolom {row.where} tidak lurus dengan kepala tabel; mutu baku dibaca dari kolom waktunya",
            )
        step: dict[str, Any] = {"no": int(number) if number.isdigit() else number}
        step["kegiatan"] = _cell(cells, columns.activity).text
        unique = list({id(cell): cell for cell in cells}.values())  # a merged cell stands in several columns
        # A symbol copied in Word onto a new row still carries the step it was copied from:
        # only the first row of a step keeps its token, the copy is read as drawn.
        tokens = [token for cell in unique for token in cell.tokens if _token(token).get("key") not in self.seen]
        self.seen.update(_token(token).get("key", "") for token in tokens)
        drawn = any(cell.shapes for _, cell in role_cells)
        if tokens:  # a sheet the portal exported: its symbols say exactly what they are
            step.update(_from_tokens(tokens, self.renamed))
        elif self.exported and not drawn:  # a row of the portal's own sheet without a symbol: a heading row
            for name, position in (("kelengkapan", columns.requirements), ("output", columns.output)):
                items = self._items(_cell(cells, position), (*at, name))
                if items:
                    step[name] = items if len(items) > 1 or isinstance(items[0], dict) else items[0]
            waktu = _cell(cells, columns.time).text
            if waktu:
                step["waktu"] = waktu
            if _cell(cells, columns.remark).text:
                step["keterangan"] = _cell(cells, columns.remark).text
            return step
        marked = [(name, cell) for name, cell in role_cells if cell.text or cell.shapes]
        kinds = {kind for _, cell in marked for kind in cell.shapes}
        if tokens:
            pass
        elif marked and len({id(cell) for _, cell in marked}) > 1 and all(cell.shapes for _, cell in marked):
            # A symbol in each of several cells: one after another, in column order.
            step["rantai"] = [
                {"pelaksana": name, "jenis": "keputusan"} if "keputusan" in cell.shapes else name
                for name, cell in marked[:-1]
            ] + [marked[-1][0]]
            self.draft.note((*at, "rantai"), "beberapa simbol dalam satu baris: dibaca berurutan dari kiri ke kanan")
            if "keputusan" in marked[-1][1].shapes:  # the last symbol's branches are the step's own
                step["jenis"] = "keputusan"
                self.draft.note((*at, "jenis"), OPEN_TIDAK)  # an arrow drawn to a symbol replaces it
        elif marked:
            performers = list(dict.fromkeys(name for name, _ in marked))
            step["pelaksana"] = performers[0] if len(performers) == 1 else performers
        elif len(met := _meeting(step["kegiatan"], roles)) >= 2:
            step["pelaksana"] = met
            self.draft.note(
                (*at, "pelaksana"), "tebakan: rapat, dikerjakan bersama oleh pelaksana yang disebut uraiannya"
            )
        else:
            step["pelaksana"] = self._performer(step["kegiatan"], roles, steps, at)
        if tokens or "rantai" in step:
            pass
        elif "keputusan" in kinds or (not kinds and _DECISION.search(step["kegiatan"])):
            step["jenis"] = "keputusan"
            if not kinds:
                self.draft.note(
                    (*at, "jenis"), "keputusan dibaca dari uraiannya (\u201capabila ... tidak\u201d); periksa simbolnya"
                )
            self.draft.note((*at, "jenis"), OPEN_TIDAK)  # an arrow drawn to a symbol replaces it
        for name, position in (("kelengkapan", requirements), ("output", output)):
            items = self._items(_cell(cells, position), (*at, name))
            if items:
                step[name] = items if len(items) > 1 or isinstance(items[0], dict) else items[0]
        waktu = _cell(cells, time).text
        if waktu:  # "-" too: the paper's own way of saying the time is not fixed
            step["waktu"] = waktu
        remark_text = _cell(cells, remark).text if remark < len(cells) else ""
        if remark_text:
            step["keterangan"] = remark_text
        return step

    def _performer(self, activity: str, roles: list[str], steps: list[dict[str, Any]], at: Path_) -> str | list[str]:
        folded = activity.casefold()
        for role in sorted(roles, key=len, reverse=True):
            key = role.casefold()
            if folded.startswith(key):
                self.draft.note(
                    (*at, "pelaksana"),
                    f"dibaca dari awal uraiannya (\u201c{activity[: len(role) + 12]}...\u201d): "
                    "tidak ada simbol di kolom pelaksana",
                )
                return role
        if steps:
            handed = _handed_to(steps[-1]["kegiatan"], roles)
            if handed:
                self.draft.note(
                    (*at, "pelaksana"),
                    f"tebakan: tidak ada simbol di kolom pelaksana; langkah sebelumnya menyerahkan kepada {handed}",
                )
                return handed
        signer = (self.draft.data.get("disahkan_oleh") or {}).get("jabatan", "")
        kind_of_work = guess(activity, roles, " ".join(signer) if isinstance(signer, list) else str(signer))
        if kind_of_work:  # who does such work in an office (see .performers)
            self.draft.note((*at, "pelaksana"), f"tebakan: tidak ada simbol di kolom pelaksana; {kind_of_work[1]}")
            return kind_of_work[0]
        if steps:
            previous: str | list[str] = steps[-1].get("pelaksana") or steps[-1].get("rantai", [""])[-1]
            self.draft.note(
                (*at, "pelaksana"),
                "tebakan: tidak ada simbol di kolom pelaksana dan uraiannya tidak menyebut pelaksana; "
                "diambil pelaksana langkah sebelumnya",
            )
            return previous
        self.draft.note(
            (*at, "pelaksana"),
            "tebakan: tidak ada simbol di kolom pelaksana; langkah pertama diberikan kepada kolom pertama",
        )
        return roles[0] if roles else "Pelaksana"

    def _items(self, cell: Cell, at: Path_) -> list[Any]:
        items: list[Any] = []
        texts, _numbers, how = (
            read_list(list(cell.lines), parted=False) if len(cell.lines) > 1 else read_list([cell.text], parted=True)
        )
        if how:  # the numbers taken off (the portal numbers a list), or a text parted: said in a comment
            self.draft.note(at, how)
        links = cell.links if len(cell.links) == len(texts) else ("",) * len(texts)
        for item, link in zip(texts, links, strict=True):
            linked = _linked_document(link, self.documents.ids)
            if linked:  # linked to the template's workbook, as the portal exports
                items.append({"dokumen": linked, "teks": item})
                continue
            found = _documents_in(item, self.documents)
            if found:
                items.append({"dokumen": found[0], "teks": item})
                self.draft.note(
                    at, f"\u201c{item}\u201d ditautkan ke templat `{found[0]}` (teksnya memuat \u201c{found[1]}\u201d)"
                )
            else:
                items.append(item)
        return items


def _linked_document(link: str, ids: Collection[str]) -> str:
    """The document whose workbook ``link`` points to, or "": the portal names an SOP's
    workbook ``<sop-id>-<document-id>.xlsx`` (the blank template ``<document-id>.xlsx``);
    the longest id the name ends with wins."""
    if not link.split("?")[0].split("#")[0].endswith(".xlsx"):
        return ""
    stem = PurePosixPath(link.split("?")[0].split("#")[0]).stem
    if stem in ids:
        return stem
    return max((i for i in ids if stem.endswith(f"-{i}")), key=len, default="")


_HANDOVER = re.compile(r"\b(?:kepada|memerintahkan|menugaskan|mengarahkan|meminta)\s+(.+)$", re.I | re.S)
"""(``re.S``: the rest is taken to the end at the first match; stopping at a line break, each
handover word of a long line was tried to that line's end.)"""


def _handed_to(activity: str, roles: list[str]) -> str | None:
    """The role a step hands the work to ("... kepada Camat", "memerintahkan Kasubag ..."),
    when the words right after name one of the columns."""
    for match in _HANDOVER.finditer(activity):
        if re.search(r"\b(?:dikembalikan|kembali)\s+$", activity[: match.start()], re.I):
            continue  # "jika tidak, dikembalikan kepada ...": the way back of a decision, no handover
        rest = match.group(1).casefold()
        for role in sorted(roles, key=len, reverse=True):
            if rest.startswith(role.casefold()) and not rest[len(role) : len(role) + 1].isalnum():
                return role
    return None


def _token(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split()[1:] if "=" in part)


def _goto(value: str, roles_by_symbol: dict[str, dict[int, str]]) -> Any:
    """A target ``key:entry`` as a source writes it: the step, or the step and the symbol."""
    key, _, entry = value.partition(":")
    index = int(entry or 0)
    if index == 0:
        return key
    return {"langkah": key, "pelaksana": roles_by_symbol.get(key, {}).get(index, "")}


def _renamed(rows: list[Row], columns: _Columns) -> dict[str, str]:
    """Pelaksana whose column title was edited in Word: the name a symbol's title gives
    (its step's performer when exported) -> the title of the column the symbol stands in,
    when every symbol of that name stands under one title that is no other column's name."""
    titles = [name for _, name in columns.roles]
    under: dict[str, set[str]] = {}
    for row in rows:
        if len(row.cells) != columns.width or not row.cells or not _STEP_NO.match(row.cells[0].text):
            continue
        for position, title in columns.roles:
            for token in _cell(row.cells, position).tokens:
                part = _token(token)
                if part.get("perf") != "bersama" and "role" in part:
                    under.setdefault(unquote(part["role"]), set()).add(title)
    return {
        name: next(iter(found))
        for name, found in under.items()
        if len(found) == 1 and name not in titles and next(iter(found)) not in under
    }


def _from_tokens(tokens: list[str], renamed: dict[str, str] | None = None) -> dict[str, Any]:
    """A step's flow from the titles of its symbols (see :func:`generator.office.word.symbol_token`);
    ``renamed``: pelaksana whose column was renamed in Word."""
    parts = sorted((_token(token) for token in tokens), key=lambda t: int(t.get("i", 0)))
    first = parts[0]
    step: dict[str, Any] = {"id": first["key"]}
    if first.get("parent"):
        step["_parent"] = first["parent"]
    names = renamed or {}
    roles = [names.get(unquote(part["role"]), unquote(part["role"])) for part in parts]
    if first.get("perf") == "bersama":  # one symbol for all who take part
        roles = [names.get(unquote(name), unquote(name)) for name in first.get("roles", "").split("|") if name]
    kinds = (
        [part.get("kind", "proses") for part in parts][-1:]
        if first.get("perf") == "bersama"
        else [part.get("kind", "proses") for part in parts]
    )
    performance = first.get("perf", "tunggal")
    last = parts[-1]
    if performance == "rantai":
        chain: list[Any] = []
        for part, role, kind in zip(parts[:-1], roles[:-1], kinds[:-1], strict=True):
            if kind == "keputusan":
                entry: dict[str, Any] = {"pelaksana": role, "jenis": "keputusan"}
                if part.get("tidak", "-") != "-":
                    entry["tidak"] = part["tidak"]
                if part.get("garis") == "0":
                    entry["garis_tidak"] = False
                chain.append(entry)
            else:
                chain.append(role)
        chain.append(roles[-1])
        step["rantai"] = chain
    else:
        step["pelaksana"] = roles[0] if len(roles) == 1 else roles
    if kinds[-1] == "keputusan":
        step["jenis"] = "keputusan"
        for name in ("ya", "tidak"):
            if last.get(name, "-") != "-":
                step[name] = last[name]
        if last.get("garis") == "0":
            step["garis_tidak"] = False
    elif last.get("flow", "-") != "-":
        step["lanjut_ke"] = last["flow"]
    return step


def _exported_flow(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Steps read from a sheet the portal exported: arrow targets written as the source
    writes them, and sub-steps put back under the step they belong to."""
    symbols: dict[str, dict[int, str]] = {}
    for step in steps:
        names = step.get("rantai") or step.get("pelaksana") or []
        names = [names] if isinstance(names, str) else names
        symbols[step.get("id", "")] = {
            index: name["pelaksana"] if isinstance(name, dict) else name for index, name in enumerate(names)
        }
    for step in steps:
        for name in ("ya", "tidak", "lanjut_ke"):
            if isinstance(step.get(name), str) and ":" in step[name]:
                step[name] = _goto(step[name], symbols)
        for entry in step.get("rantai", []):
            if isinstance(entry, dict) and ":" in str(entry.get("tidak", "")):
                entry["tidak"] = _goto(entry["tidak"], symbols)
    result: list[dict[str, Any]] = []
    for step in steps:
        parent = step.pop("_parent", None)
        holder = next((s for s in reversed(result) if s.get("id") == parent or "id" not in s), None) if parent else None
        if holder is None:
            result.append(step)
            continue
        holder.setdefault("id", parent)
        holder.setdefault("sub_langkah", []).append(step)
    return result


def _meeting(activity: str, roles: list[str]) -> list[str]:
    """The columns a meeting ("rapat") names, by their name or their first word."""
    if not re.search(r"\brapat\b", activity, re.I):
        return []
    folded = activity.casefold()
    named = []
    for role in roles:
        for key in (role.casefold(), role.casefold().split()[0]):
            if len(key) >= 3 and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", folded):
                named.append(role)
                break
    return named


def _list_style(text: str) -> str:
    if re.match(r"^-\s*\d", text):
        return "strip-angka"
    if re.match(r"^\d{1,2}[.)]", text):
        return "angka"
    if re.match(r"^[-•*]", text):
        return "strip"
    if text[:1].islower():
        return "lanjut"
    return "teks"


def _assign(blocks: list[list[str]], count: int) -> list[list[str]]:
    """Blocks of lines under headings written side by side: the first blocks to the first
    headings, the rest to the last one."""
    lines = [block[1:] for block in blocks]
    if len(lines) <= count:
        return lines + [[] for _ in range(count - len(lines))]
    return [*lines[: count - 1], [line for block in lines[count - 1 :] for line in block]]


def _is_two_sections(text: str) -> bool:
    return len(_two_sections(text)) == 2


def _two_sections(text: str) -> list[str]:
    return [key for key, _ in two_sections(text)]


def _official_labels(read: ReadFile) -> ReadFile:
    """The rows with the form's own labels (a sheet the portal exported says which) read as
    the official ones, so that "KUALITAS PELAKSANA" is found where "Kualifikasi Pelaksana" is."""
    printing = read.settings.get("cetak") or {}
    custom = printing.get("label") or {} if isinstance(printing, dict) else {}
    if not isinstance(custom, dict) or not custom:
        return read
    official = {str(text).casefold(): DEFAULT_LABELS[key] for key, text in custom.items() if key in DEFAULT_LABELS}

    def relabel(cell: Cell) -> Cell:
        text = official.get(cell.text.casefold())
        return dataclasses.replace(cell, text=text, raw=text, lines=(text,) if cell.lines else ()) if text else cell

    rows = [dataclasses.replace(row, cells=tuple(relabel(cell) for cell in row.cells)) for row in read.rows]
    return dataclasses.replace(read, rows=rows)


def read_draft(read: ReadFile, documents: DocumentCatalogue) -> Draft:
    """The SOP in ``read``'s rows, as a source's data with notes (see :class:`Draft`)."""
    read = _official_labels(read)
    reader = _Reader(read, documents)
    found = _find_procedure(read.rows)
    end = found[0] if found else len(read.rows)
    if found is None:
        reader.draft.missing.append("tabel prosedur (kepala tabel dengan kolom No, Kegiatan dan Pelaksana)")
    header = (
        end - 1
        if found and end > 0 and read.rows[end].texts and not any(_NO.match(t) for t in read.rows[end].texts)
        else end
    )
    reader.identity(header)
    reader.sections(header)
    for row in read.rows[:header]:
        text = row.cells[0].text if len(row.cells) == 1 else ""
        if re.match(r"^(?:uraian sop|prosedur)\b.*:", text, re.I):
            reader.draft.data["judul_uraian"] = text
    title = _title_above(read.rows, header) if found and reader.exported else None
    if title is not None:  # the portal prints the title right above the procedure table
        reader.draft.data["judul_uraian"] = title
    filled = read.settings.get("ttd")
    filled = filled if isinstance(filled, list) else None
    signer = _exported_signer(read.rows[:header], filled) if reader.exported else None
    if signer is not None:
        reader.draft.data["disahkan_oleh"] = signer
        reader.draft.notes = {path: note for path, note in reader.draft.notes.items() if path[0] != "disahkan_oleh"}
    if found:
        reader.procedure(found[0], found[1])
    for path, text in read.notes.items():  # what the file's reader had to guess
        reader.draft.note(path, text)
    data = reader.draft.data
    _printed_form(reader, read.rows, header, found[1] if found else None)
    reader.draft.settings = dict(read.settings)
    _settings(data, read.settings, reader.renamed)
    if not data.get("nama_sop"):
        reader.draft.missing.append("Nama SOP")
    exported_id = read.settings.get("id")
    valid = isinstance(exported_id, str) and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", exported_id)
    data["id"] = exported_id if valid else _identifier(data)
    return reader.draft


def _printed_form(reader: _Reader, rows: list[Row], header: int, columns: _Columns | None) -> None:
    """The form as the paper prints it, for an office's own file: labels in other words than
    the official ones, and lists numbered otherwise (``cetak.label``, ``cetak.penomoran``)."""
    if reader.exported or reader.settings:
        return
    labels = dict(reader.printed_labels)
    if columns is not None and header < len(rows):
        labels.update(column_labels(rows, header, columns.activity, columns.requirements, columns.time, columns.output))
    printing: dict[str, Any] = {}
    if labels:
        printing["label"] = labels
        reader.draft.note(("cetak", "label"), "label tercetak dengan kata lain dari format resmi; dicetak seperti ini")
    if reader.numbering:
        printing["penomoran"] = {key: value for key, value in reader.numbering.items()}
        reader.draft.note(("cetak", "penomoran"), "nomor butir seperti tercetak (tanpa: daftar tanpa nomor)")
    if printing:
        reader.draft.data["cetak"] = printing


def _exported_signer(rows: list[Row], filled: list[str] | None) -> dict[str, Any] | None:
    """The signature block of the portal's own sheet, line by line as it writes it: the
    jabatan (over its lines), the name, the pangkat, "NIP. ..." (blank lines for the
    signature are not read). ``filled``: the lines the sheet was written with (its settings
    say); when the lines no longer match them (one filled in Word), ``None``."""
    for row in rows:
        for position, cell in enumerate(row.cells[:-1]):
            if not re.fullmatch(r"disahkan oleh", cell.text, re.I):
                continue
            lines = list(row.cells[position + 1].lines)
            signer: dict[str, Any] = {}
            if lines and _NIP.match(lines[-1]):
                signer["nip"] = _NIP.sub(r"\1", lines.pop()).strip()
            names = [n for n in (filled or ["jabatan", "nama", "pangkat"]) if n in ("jabatan", "nama", "pangkat")]
            if len(lines) != len(names):
                return None
            title = [line for name, line in zip(names, lines, strict=True) if name == "jabatan"]
            signer.update((name, line) for name, line in zip(names, lines, strict=True) if name != "jabatan")
            if title:  # a title printed over lines stays over lines
                signer["jabatan"] = title[0] if len(title) == 1 else title
            return signer
    return None


def _title_above(rows: list[Row], header: int) -> str | None:
    """The paragraph right above the procedure table's header row, if any."""
    if header <= 0 or header > len(rows) or rows[header - 1].table >= 0 or len(rows[header - 1].cells) != 1:
        return None
    return rows[header - 1].cells[0].text or None


def _settings(data: dict[str, Any], settings: dict[str, Any], renamed: dict[str, str]) -> None:
    """What a sheet the portal exported carries beyond its tables, put back in its fields
    (a column renamed in Word keeps its jabatan)."""
    printing = settings.get("cetak")
    if isinstance(printing, dict) and printing:
        data["cetak"] = {key: value for key, value in printing.items() if key != "label"}
        if printing.get("label"):
            data["cetak"]["label"] = printing["label"]
    if isinstance(settings.get("keluarga"), str):
        data["keluarga"] = settings["keluarga"]
    phases = settings.get("tahap")
    jabatan = settings.get("jabatan")
    if isinstance(jabatan, dict):
        jabatan = {renamed.get(name, name): value for name, value in jabatan.items()}

    def steps(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for step in items:
            yield step
            yield from steps(step.get("sub_langkah", []))

    if isinstance(phases, dict):
        for step in steps(data.get("langkah", [])):
            if step.get("id") in phases:
                step["tahap"] = phases[step["id"]]
    if isinstance(jabatan, dict) and jabatan:
        data["pelaksana"] = [
            {"nama": name, "jabatan": jabatan[name]} if name in jabatan else name for name in data.get("pelaksana", [])
        ]


def _identifier(data: dict[str, Any]) -> str:
    place = re.sub(
        r"^(?:KECAMATAN|KELURAHAN|DESA|DINAS|BADAN|KANTOR)\s+", "", str(data.get("instansi") or ""), flags=re.I
    )
    return slug(f"{place} {data.get('nama_sop') or 'sop'}".strip(), "sop")
