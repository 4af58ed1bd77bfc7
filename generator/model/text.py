"""Names made from text: slugs (unique within a set) and the key role names are compared by."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_UNSAFE_FOR_TERMINAL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 controls (escape sequences, line ends, the bell) and the marks, embeddings,
overrides and isolates that reorder text on screen."""


def printable(text: str) -> str:
    """``text`` safe to print on a terminal, one line: every character of
    :data:`_UNSAFE_FOR_TERMINAL` shown as its escape (``\\x1b``, ``\\n``, ``\\u202e``), so a
    file name or value can neither move the cursor, clear the screen, start a line of its
    own nor turn the rest of a message around."""
    return _UNSAFE_FOR_TERMINAL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


MAX_ID_LENGTH = 80
"""The longest id or slug (SOP, instansi, role, family, document). Ids name folders and files
(``sop/<id>/``, ``<id>.yaml``, ``<id>-lembar-sop.pdf``) and file systems allow 255 bytes per
name: a 300-character Nama SOP or instansi must still give a name that can be written."""


def slug(text: str, fallback: str = "x") -> str:
    """An id made from a name: lowercase ASCII words joined by hyphens, accents dropped
    ("Pacé" → "pace"). Letters with no ASCII form (Arabic, Greek, ...) cannot be spelled in
    the id, so a short hash of the name is added instead: two names written in such letters
    never share an id. ``fallback`` when the name holds no letter or digit at all. A slug
    longer than :data:`MAX_ID_LENGTH` keeps its first words and ends in a short hash of the
    whole name, so two long names that begin alike still differ."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_part = re.sub(r"[^a-z0-9]+", "-", decomposed.encode("ascii", "ignore").decode()).strip("-")
    if any(not ch.isascii() and unicodedata.category(ch)[0] in "LN" for ch in decomposed):
        made = f"{ascii_part or fallback}-{_digest(text)}"
    else:
        made = ascii_part or fallback
    if len(made) <= MAX_ID_LENGTH:
        return made
    head = made[: MAX_ID_LENGTH - 7]
    if "-" in head[MAX_ID_LENGTH // 2 :]:  # end on a whole word when one ends late enough
        head = head[: head.rindex("-")]
    return f"{head.strip('-')}-{_digest(text)}"


def _digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()[:6]


class UniqueSlugs:
    """Slugs that stay unique within one set: a repeated name gets ``-2``, ``-3``, ..."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = set(taken or ())

    def make(self, text: str, fallback: str = "x") -> str:
        """The slug of ``text``, numbered when it is already taken."""
        base = slug(text, fallback)
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate


ROLE_ABBREVIATIONS: dict[str, str] = {
    "kasat": "kepala satuan",
    "kasatpol": "kepala satuan polisi",
    "kasubbag": "kepala sub bagian",
    "kasubag": "kepala sub bagian",
    "kasubbid": "kepala sub bidang",
    "kasubid": "kepala sub bidang",
    "kabag": "kepala bagian",
    "kabid": "kepala bidang",
    "kasi": "kepala seksi",
    "kasie": "kepala seksi",
    "kaur": "kepala urusan",
    "kadis": "kepala dinas",
    "kaban": "kepala badan",
    "kades": "kepala desa",
    "kalur": "kepala kelurahan",
    "kapus": "kepala pusat",
    "sekcam": "sekretaris kecamatan",
    "sekdis": "sekretaris dinas",
    "sekban": "sekretaris badan",
    "seklur": "sekretaris kelurahan",
    "sekdes": "sekretaris desa",
    "sekda": "sekretaris daerah",
    "subbag": "sub bagian",
    "subag": "sub bagian",
    "subbagian": "sub bagian",
    "subbid": "sub bidang",
    "subid": "sub bidang",
    "subbidang": "sub bidang",
    "umpar": "umum dan aparatur",
    "umpeg": "umum dan kepegawaian",
    "pp": "pamong praja",
}
"""Standard abbreviations of Indonesian posts, as offices write them in a column header
("Kasubbag Umpeg", "Sekcam"): each word on the left reads as the words on the right."""


def role_key(name: str) -> str:
    """How role names are compared: case, spacing and punctuation do not count, and the
    standard abbreviations of posts read as written out ("Kabid" = "Kepala Bidang")."""
    words = re.sub(r"[^\w]+", " ", name.casefold()).split()
    return " ".join(ROLE_ABBREVIATIONS.get(word, word) for word in words)


def office_key(name: str) -> str:
    """How instansi names are compared: case, spacing and punctuation do not count."""
    return " ".join(re.sub(r"[^\w]+", " ", name.casefold()).split())
