"""The identity block as offices print it: the letterhead's lines, the six identity labels
with their values, and the signer's block (a title over one to three lines with its comma,
the name, pangkat and golongan, the NIP with its spaces).

The rows come from any importer: a Word table (a cell's paragraphs kept apart), text copied
out of Word (a cell's paragraphs on lines of their own, which break the tab-separated row),
or the plain lines a PDF viewer copies. Every reading that is not plain from the file comes
with a note for the draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.sources.importing.labels import differs, identity_label, section_label, two_sections
from generator.sources.importing.tables import Cell, Row, clean

Path_ = tuple[str | int, ...]

RANKS = (
    "Pembina Utama Madya",
    "Pembina Utama Muda",
    "Pembina Utama",
    "Pembina Tingkat I",
    "Pembina Tk. I",
    "Pembina Tk.I",
    "Pembina",
    "Penata Tingkat I",
    "Penata Tk. I",
    "Penata Muda Tingkat I",
    "Penata Muda Tk. I",
    "Penata Muda",
    "Penata",
    "Pengatur Tingkat I",
    "Pengatur Muda Tingkat I",
    "Pengatur Muda",
    "Pengatur",
)
"""Civil-service ranks (pangkat) as printed under or after a name in the signature block."""
_GOLONGAN = r"\(?\s*+(?:IV|III|II|I)\s*+[/.]\s*+[a-e]\s*+\)?"
"""(Spaces taken whole wherever a sign follows them: runs of spaces shared out between
neighbouring ``\\s*`` took time to the cube of their length.)"""
_RANK_LINE = re.compile(
    rf"^(?:{'|'.join(re.escape(r) for r in RANKS)})(?:\s*+[,(/-]?\s*+{_GOLONGAN})?\s*$|^{_GOLONGAN}$", re.I
)
_RANK_TAIL = re.compile(
    rf"(?<!\s)\s+((?:{'|'.join(re.escape(r) for r in RANKS)})(?:\s*+[,(/-]?\s*+{_GOLONGAN})?)\s*$", re.I
)
_NIP = re.compile(r"^NIP\.?\s*+:?\s*+(\d(?: *+\d)*+)\s*$", re.I)
_NIP_ANYWHERE = re.compile(r"\bNIP\.?\s*+:?\s*+(\d(?: *+\d)*+)", re.I)
_TITLES = re.compile(
    r"^(?:PLT\.?|PJ\.?|PLH\.?|CAMAT|KEPALA|SEKRETARIS|LURAH|KADES|DIREKTUR|INSPEKTUR|KASUBAG|KASUBBAG|KABAG|BUPATI|"
    r"WALI ?KOTA|KABID|KASAT|KADIS)\b",
    re.I,
)
_GOVERNMENT = re.compile(r"^PEMERINTAH\s+(?:KABUPATEN|KOTA|PROVINSI|DAERAH)\b", re.I)
_OFFICE_WORDS = r"KECAMATAN|DINAS|BADAN|KANTOR|KELURAHAN|DESA|SEKRETARIAT|INSPEKTORAT|RSUD|SATUAN|BAGIAN|RUMAH SAKIT"
_ADDRESS = re.compile(r"^(?:Jl\.?|Jalan|Alamat|Telp\.?|Telepon|Email|E-mail|Website|Kode Pos)\b", re.I)


@dataclass
class Identity:
    """What the identity block says, with the notes for a person."""

    data: dict[str, Any] = field(default_factory=dict)
    notes: dict[Path_, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    """Labels printed in other words than the official form's (``cetak.label``)."""
    origins: dict[Path_, Row] = field(default_factory=dict)
    """The row each value was read from (a problem with it is told there)."""

    def note(self, path: Path_, text: str) -> None:
        self.notes[path] = f"{self.notes[path]}; {text}" if path in self.notes else text


def _is_label(text: str) -> bool:
    return bool(identity_label(text) or section_label(text) or two_sections(text))


def _lines(cell: Cell) -> list[str]:
    """A cell's lines (one line: as written, its runs of spaces kept for :func:`signer`)."""
    if len(cell.lines) > 1:
        return [line for line in cell.lines if line.strip()]
    return [line for line in ((cell.raw or cell.text).strip(),) if line]


def read_identity(rows: list[Row]) -> Identity:
    """The identity block in ``rows`` (the rows above the procedure table)."""
    found = Identity()
    first_label: int | None = None
    for index, row in enumerate(rows):
        for position, cell in enumerate(row.cells):
            label = identity_label(cell.text)
            if label is None:
                continue
            key, printed, inline = label
            if inline and len(cell.lines) <= 1:  # the value as written (runs of spaces part a block)
                written = identity_label(cell.raw or cell.text)
                inline = written[2] if written and written[2] else inline
            if first_label is None:
                first_label = index
            if key in found.data:
                continue
            if differs(key, printed):
                found.labels[key] = printed
            lines = _value(rows, index, position, inline, key == "disahkan_oleh")
            _put(found, key, lines, row)
    for row in rows:  # the sections' labels as printed
        for cell in row.cells:
            alone = section_label(cell.text)
            for key, printed in two_sections(cell.text) or ([alone] if alone else []):
                if key not in found.labels and differs(key, printed):
                    found.labels[key] = printed
    _letterhead(found, rows, first_label)
    return found


def _value(rows: list[Row], index: int, position: int, inline: str, block: bool) -> list[str]:
    """The lines of a label's value: after it in its cell, in the next filled cell of its row
    (a lone ":" cell skipped), or on the lines below a label alone on its line; a signer's
    block also takes the lines that follow until the next label (text copied out of Word or a
    PDF puts each of the cell's lines on a line of its own)."""
    row = rows[index]
    cell = row.cells[position]
    lines: list[str] = []
    last = True
    if inline:
        own = _lines(cell)
        lines = [inline]
        if len(own) > 1:  # the label in its own paragraph, the value's lines below it in the cell
            head = identity_label(own[0])
            lines = ([head[2]] if head and head[2] else []) + own[1:]
        last = all(not c.text for c in row.cells[position + 1 :])
    else:
        after = [(i, c) for i, c in enumerate(row.cells[position + 1 :], start=position + 1) if c.text.strip(" :")]
        if after and not _is_label(after[0][1].text):
            lines = _lines(after[0][1])
            lines = [line.lstrip(": ").strip() for line in lines]
            last = all(not c.text for c in row.cells[after[0][0] + 1 :])
        elif len(row.filled) > 1:
            return []
    if not block and lines:
        return lines
    if not last:
        return lines
    for following in rows[index + 1 : index + 12]:
        if not following.filled:
            continue
        if len(following.cells) != 1 or _is_label(following.cells[0].text):
            break
        text = following.cells[0].text
        if section_label(text) or re.match(r"^(?:prosedur|uraian)\b", text, re.I):
            break
        lines.append(text)
        if not block:  # a value on the line below its label: one line
            break
        if _NIP.match(text):
            break
    return lines


def _put(found: Identity, key: str, lines: list[str], row: Row) -> None:
    data = found.data
    found.origins[(key,)] = row
    if key == "disahkan_oleh":
        data[key], how = signer(lines)
        if how:
            found.note((key,), how)
        return
    value = clean(" ".join(lines), extracted=False)
    if len(lines) > 1:
        found.note((key,), f"{len(lines)} baris di {row.where} digabung menjadi satu")
    if key == "nama_sop" and value.endswith(".") and value.isupper():
        found.note((key,), f"titik di akhir nama dibuang (tertulis \u201c{value}\u201d)")
        value = value[:-1]
    data[key] = value


def signer(lines: list[str]) -> tuple[dict[str, Any], str]:
    """Jabatan (its lines as printed), nama, pangkat and NIP out of a signature block, and how
    it was read ("" when every part is plain). A block written on one line ("CAMAT BANGSAL
    LIANTORO S. W. NIP. 1977...") is parted at double spaces, "NIP" and the rank."""
    lines = [line.strip() for line in lines if line.strip()]
    how: list[str] = []
    if len(lines) == 1:
        lines, parted = _parted(lines[0])
        if parted:
            how.append("blok tanda tangan tertulis dalam satu baris; dipisah menjadi jabatan, nama, pangkat dan NIP")
    result: dict[str, Any] = {}
    rest: list[str] = []
    for line in lines:
        nip = _NIP.match(line)
        if nip:
            result["nip"] = nip.group(1)
        elif _RANK_LINE.match(line) and rest:
            result["pangkat"] = line
        else:
            rest.append(line)
    if not rest:
        return result, "; ".join(how)
    if len(rest) == 1 and "nip" not in result and "pangkat" not in result and _TITLES.match(rest[0]):
        result["jabatan"] = rest[0]
        how.append("hanya jabatan yang tertulis (nama dan NIP kosong)")
        return result, "; ".join(how)
    name = rest[-1]
    if "pangkat" not in result:
        tail = _RANK_TAIL.search(name)
        if tail and tail.start() > 0:
            result["pangkat"] = tail.group(1)
            name = name[: tail.start()].strip()
    result["nama"] = name
    titles = rest[:-1]
    if len(titles) == 1:
        result["jabatan"] = titles[0]
    elif titles:
        result["jabatan"] = titles
        how.append(f"jabatan tercetak {len(titles)} baris (ditulis per baris, seperti tercetak); baris berikutnya nama")
    if not titles:
        how.append("tidak ada jabatan di atas nama; periksa jabatan dan nama")
    elif len(titles) > 3:
        how.append("lebih dari tiga baris di atas nama dibaca sebagai jabatan; periksa")
    order = ("jabatan", "nama", "pangkat", "nip")  # as the block prints them
    return {key: result[key] for key in order if key in result}, "; ".join(how)


def _parted(text: str) -> tuple[list[str], bool]:
    """A signature block written on one line, parted into its lines."""
    parts = [clean(part, extracted=False) for part in re.split(r"\s{2,}", text) if part.strip()]
    if len(parts) == 1:
        parts = [text.strip()]
    lines: list[str] = []
    for part in parts:
        nip = _NIP_ANYWHERE.search(part)
        if nip:
            before = part[: nip.start()].strip()
            if before:
                lines.append(before)
            lines.append(part[nip.start() :].strip())
        else:
            lines.append(part)
    return lines, len(lines) > 1


def _letterhead(found: Identity, rows: list[Row], first_label: int | None) -> None:
    """The letterhead's lines: the lines above the first identity label and the text of the
    identity table's first column; read into pemerintah, instansi, unit, sub_unit and
    alamat, and kept as ``kop`` when the paper prints what those fields would not."""
    if first_label is None:
        return
    lines: list[str] = []
    for row in rows[: first_label + 1]:
        if len(row.cells) == 1 and row is not rows[first_label]:
            text = row.cells[0].text
            if text and not _is_label(text) and not section_label(text):
                lines += _lines(row.cells[0])
    table = rows[first_label].table
    seen: set[int] = set()
    for row in rows[first_label:]:
        if table < 0 or row.table != table:
            break
        first = row.cells[0] if row.cells else None
        if first is None or id(first) in seen or not first.text or _is_label(first.text) or first.text == ":":
            continue
        seen.add(id(first))
        lines += _lines(first)
    lines = [line.strip("* ").strip() for line in lines]
    lines = [line for line in lines if line and line.casefold() not in {"logo", "lambang"}]
    if not lines:
        return
    data = found.data
    government = _GOVERNMENT_IN_TEXT.search(lines[0])
    if len(lines) == 1 or (government and lines[0][government.end() :].strip()):
        _one_line(found, lines[0])  # a letterhead run into one line: its parts by their words
        for line in lines[1:]:
            name = "unit" if "unit" not in data else "sub_unit"
            if name not in data and not _ADDRESS.match(line):
                data[name] = line
        return
    address = [line for line in lines if _ADDRESS.match(line)]
    heads = [line for line in lines if line not in address]
    names = (
        ["pemerintah", "instansi", "unit", "sub_unit"]
        if _GOVERNMENT.match(heads[0])
        else ["instansi", "unit", "sub_unit"]
    )
    for name, line in zip(names, heads, strict=False):
        data[name] = line
    if address:
        data["alamat"] = " ".join(address)
    default = [data[name].upper() for name in ("pemerintah", "instansi", "unit", "sub_unit") if data.get(name)]
    printed = heads + address
    if len(heads) > len(names) or heads != default or (address and lines[-len(address) :] != address):
        data["kop"] = printed
        found.note(
            ("kop",),
            f"kop tercetak {len(printed)} baris, disimpan per baris seperti tercetak; "
            f"baris-barisnya juga dibaca sebagai {', '.join(names[: len(heads)])}",
        )
    elif len(heads) >= 2:
        found.note(
            ("pemerintah",) if "pemerintah" in data else ("instansi",),
            f"baris kop dibaca berurutan sebagai {', '.join(names[: len(heads)])}",
        )


_GOVERNMENT_IN_TEXT = re.compile(
    rf"PEMERINTAH\s+(?:KABUPATEN|KOTA|PROVINSI)\s+[A-Z]+(?:\s+(?!(?:{_OFFICE_WORDS})\b)[A-Z]+\b)?"
)
_OFFICE_IN_TEXT = re.compile(rf"\b(?:{_OFFICE_WORDS})\b[A-Z0-9 ,&.()-]{{0,120}}?(?=\s+(?:Jl\.?|Jalan)\s|\s*$)")
"""An office's name up to its address or the end (at most 120 characters past its first word:
unbounded, a search tried every office word of a long line to its end, in time to the square)."""
_ADDRESS_IN_TEXT = re.compile(r"\b(?:Jl\.?|Jalan)\s[^\n]*")
_UNIT = re.compile(r"^(?:SUB ?BAGIAN|SUBBAG|BAGIAN|SEKSI|BIDANG|UPT|SUB ?BIDANG|INSTALASI)\b", re.I)


def _one_line(found: Identity, text: str) -> None:
    """A letterhead an extraction ran into one line ("PEMERINTAH KABUPATEN X KECAMATAN Y Jl. ...")."""
    data = found.data
    government = _GOVERNMENT_IN_TEXT.search(text)
    if government is None:
        office = _OFFICE_IN_TEXT.match(text)
        if office and text.isupper():
            data["instansi"] = office.group(0).strip()
        elif _UNIT.match(text) and text.isupper():
            data["unit"] = text
        return
    data["pemerintah"] = government.group(0)
    rest = text[government.end() :].strip()
    office = _OFFICE_IN_TEXT.match(rest) or _OFFICE_IN_TEXT.search(rest)
    if office and office.group(0).strip():
        data["instansi"] = office.group(0).strip()
    address = _ADDRESS_IN_TEXT.search(rest)
    if address:
        data["alamat"] = address.group(0).strip()
    found.note(
        ("pemerintah",),
        "kop tertulis dalam satu baris (baris-barisnya hilang saat disalin); dipisah menjadi "
        + ", ".join(name for name in ("pemerintah", "instansi", "alamat") if name in data),
    )
