"""The labels of the identity sheet as offices print them, matched as whole labels.

A label is a whole cell (or a whole line, or the head of a ``label : value`` line): "Ket" is
the Keterangan column, "Ketua Tim" is a role; "Perlengkapan" is the Peralatan/Perlengkapan
section. Each key lists the variants of real forms ("Kualitas Pelaksana", "Kualifikasi
Pelaksanaan", "NAMA SOP", "TGL. PEMBUATAN", "Peralatan / Perlengkapan", ...). A label printed
in other words than the official form's is kept as the source's ``cetak.label``, so the
sheet prints it as the paper does.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from generator.model.sop import DEFAULT_LABELS

_AND = r"\s*(?:/|dan|&|,)\s*"

IDENTITY = {
    "nomor_sop": r"(?:nomor|no\.?|nmr\.?)\s*(?:urut\s+)?(?:sop|pos(?:\s+ap)?)",
    "tanggal_pembuatan": r"(?:tgl\.?|tanggal)\s*(?:pembuatan|dibuat|penyusunan)",
    "tanggal_revisi": r"(?:tgl\.?|tanggal)\s*(?:revisi|perubahan)",
    "tanggal_efektif": r"(?:tgl\.?|tanggal)\s*(?:efektif|berlaku|pengesahan)",
    "disahkan_oleh": r"(?:disahkan|ditetapkan)\s+oleh",
    "nama_sop": r"(?:nama|judul)\s+(?:sop|pos(?:\s+ap)?)",
}
"""Identity labels (the right block of the identity table), as offices write them."""

SECTIONS = {
    "dasar_hukum": r"dasar\s+hukum",
    "kualifikasi_pelaksana": r"(?:kualifikasi|kualitas|kompetensi|persyaratan)\s+pelaksana(?:an)?",
    "keterkaitan": r"keterkaitan(?:\s+dengan\s+sop\s+lain)?",
    "peralatan_perlengkapan": (
        rf"peralatan{_AND}perlengkapan|perlengkapan{_AND}peralatan|perlengkapan|peralatan|alat{_AND}bahan"
    ),
    "peringatan": r"peringatan",
    "pencatatan_pendataan": rf"pencatatan{_AND}pendataan|pendataan{_AND}pencatatan|pencatatan|pendataan",
}
"""The identity sheet's six sections."""

_TAIL = r"\s*+:?\s*+"
"""Spaces, a colon, spaces: taken whole (possessive), never shared out between the two runs of
spaces again and again (a label followed by many spaces took time to their square or cube)."""
_IDENTITY = {key: re.compile(rf"^{pattern}{_TAIL}$", re.I) for key, pattern in IDENTITY.items()}
_IDENTITY_HEAD = {
    key: re.compile(rf"^({pattern})(?:\s*:\s*|\s+)(.*)$", re.I | re.S) for key, pattern in IDENTITY.items()
}
_SECTION = {key: re.compile(rf"^{pattern}{_TAIL}$", re.I) for key, pattern in SECTIONS.items()}
_TWO = [
    (first, second, re.compile(rf"^({a})(?:\s*+:)?\s++({b}){_TAIL}$", re.I))
    for first, a in SECTIONS.items()
    for second, b in SECTIONS.items()
    if first != second
]
_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")


LABEL_LENGTH = 80
"""The most characters a label with its colon takes (the longest real one is about 40)."""


def _short(text: str, limit: int = LABEL_LENGTH) -> str:
    """``text`` with its runs of spaces as one, cut at ``limit`` characters: labels are short,
    and the patterns then take time in proportion to a label, whatever a cell holds."""
    return " ".join(text[: limit * 4].split())[:limit]


def identity_label(text: str) -> tuple[str, str, str] | None:
    """``(key, printed label, value)`` when ``text`` is an identity label, alone or followed
    by its value ("Nomor SOP : 065/975", "NAMA SOP Prosedur ..."); ``None`` otherwise. The
    value is the text after the label, as written (its runs of spaces kept)."""
    short = _short(text)
    for key, pattern in _IDENTITY.items():
        if pattern.match(short) and len(" ".join(text.split())) <= LABEL_LENGTH:
            return key, printed(short), ""
    for key, pattern in _IDENTITY_HEAD.items():
        found = pattern.match(short)
        if found:
            label = printed(found.group(1))
            return key, label, _after(text, found.group(1)).strip(" \t:")
    return None


def _after(text: str, label: str) -> str:
    """What follows ``label`` in ``text`` (the label's words matched one by one, so the
    pattern's time grows with the text's length only)."""
    words = label.split()
    head = re.match(r"\s*" + r"\s+".join(re.escape(word) for word in words), text, re.I)
    return text[head.end() :] if head else text


def section_label(text: str) -> tuple[str, str] | None:
    """``(key, printed label)`` when ``text`` is one section's whole label."""
    if len(text) > LABEL_LENGTH * 4:
        return None
    stripped = _short(text)
    for key, pattern in _SECTION.items():
        if pattern.match(stripped):
            return key, printed(stripped)
    return None


def two_sections(text: str) -> list[tuple[str, str]]:
    """Two section labels written side by side on one line ("DASAR HUKUM Kualitas Pelaksana")."""
    if len(text) > LABEL_LENGTH * 8:
        return []
    stripped = _short(text, LABEL_LENGTH * 2)
    for first, second, pattern in _TWO:
        found = pattern.match(stripped)
        if found:
            return [(first, printed(found.group(1))), (second, printed(found.group(2)))]
    return []


def printed(label: str) -> str:
    """A label as printed, without the colon after it and with spaces collapsed."""
    return " ".join(label.strip().rstrip(":").split())


def differs(key: str, label: str) -> bool:
    """True when a printed label says other words than the official form's (its case,
    spaces around "/" and a colon aside): "Kualitas Pelaksana", "Tgl. Pembuatan" do,
    "DASAR HUKUM" and "Peralatan / Perlengkapan" do not."""

    def words(text: str) -> str:
        return re.sub(r" ?/ ?", "/", " ".join(text.casefold().rstrip(":").split()))  # spaces are single here

    return key in DEFAULT_LABELS and words(label) != words(DEFAULT_LABELS[key])


def is_column_numbers(texts: list[str]) -> bool:
    """True for the row some forms print under the header, numbering the columns 1 ... n
    (or "(1)" ... "(n)"): each filled cell a number, counting up from 1."""
    filled = [t.strip() for t in texts if t.strip()]
    if len(filled) < 3 or not all(_COLUMN_NUMBERS.match(t) for t in filled):
        return False
    numbers = [int(t.strip("()")) for t in filled]
    return numbers[0] == 1 and all(b == a + 1 for a, b in itertools.pairwise(numbers))


_COLUMN_KEYS = {
    "no": re.compile(r"^no\.?$", re.I),
    "pelaksana": re.compile(r"^pelaksana$", re.I),
    "mutu_baku": re.compile(r"^mutu\s+baku$", re.I),
    "keterangan": re.compile(r"^(?:ket\.?|keterangan|kete\s?rangan)$", re.I),
}


def column_labels(
    rows: list[Any], header: int, activity: int, requirements: int, time: int, output: int
) -> dict[str, str]:
    """The procedure table's column titles printed in other words than the official form's
    ("Uraian Kegiatan", "Persyaratan/Kelengkapan", "Ket"), by source key."""
    top = rows[header]
    below = rows[header + 1] if header + 1 < len(rows) and rows[header + 1].table == top.table else None
    if below is not None and below.cells and re.match(r"^\d", below.cells[0].text):
        below = None  # the first step, not a row of column titles
    found: dict[str, str] = {}

    def at(index: int) -> str:
        for row in (below, top):
            if row is not None and 0 <= index < len(row.cells) and row.cells[index].text:
                return str(row.cells[index].text)
        return ""

    for key, index in (("kegiatan", activity), ("kelengkapan", requirements), ("waktu", time), ("output", output)):
        text = at(index) if key != "kegiatan" else (top.cells[index].text if index < len(top.cells) else "")
        if text and differs(key, printed(text)):
            found[key] = printed(text)
    for key, pattern in _COLUMN_KEYS.items():
        for row in (top, below):
            cell = next((c.text for c in (row.cells if row is not None else ()) if pattern.match(printed(c.text))), "")
            if cell:
                if differs(key, printed(cell)):
                    found[key] = printed(cell)
                break
    return found
