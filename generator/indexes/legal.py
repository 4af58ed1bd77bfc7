"""Recognising the regulations SOPs cite in their Dasar Hukum.

A citation in the usual form ("Peraturan Menteri ... Nomor 35 Tahun 2012 tentang ...") is
read into type, issuer, number, year and title, so that the same regulation written in
several ways ("UU Nomor 23 Tahun 2014", "Undang-Undang Nomor 23 Tahun 2014 ...";
"Permenpan nomor 53 tahun 2014", "Peraturan Menteri Pendayagunaan Aparatur Negara dan
Reformasi Birokrasi Nomor 53 Tahun 2014") is one entry. Anything else is kept as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from generator.model.text import slug


@dataclass(frozen=True, slots=True)
class Kind:
    """A type of regulation: its name, short form, rank, and whether it belongs to an issuer."""

    name: str
    short: str
    rank: int
    """Order in the hierarchy of regulations (lower comes first on the page)."""
    issuer: str = ""
    """What follows the name: "menteri" (a ministry), "daerah" (a region) or nothing."""


KINDS: tuple[tuple[str, Kind], ...] = (
    (r"peraturan pemerintah pengganti undang[- ]undang|perppu", Kind("Perppu", "perppu", 1)),
    (r"undang[- ]undang|uu", Kind("Undang-Undang", "uu", 0)),
    (r"peraturan pemerintah|pp", Kind("Peraturan Pemerintah", "pp", 2)),
    (r"peraturan presiden|perpres", Kind("Peraturan Presiden", "perpres", 3)),
    (r"keputusan presiden|keppres", Kind("Keputusan Presiden", "keppres", 4)),
    (r"instruksi presiden|inpres", Kind("Instruksi Presiden", "inpres", 4)),
    (r"peraturan menteri|permen", Kind("Peraturan Menteri", "permen", 5, "menteri")),
    (r"keputusan menteri|kepmen", Kind("Keputusan Menteri", "kepmen", 6, "menteri")),
    (r"surat edaran menteri", Kind("Surat Edaran Menteri", "se-menteri", 7, "menteri")),
    (r"peraturan kepala|perka", Kind("Peraturan Kepala", "perka", 6, "lembaga")),
    (r"keputusan kepala", Kind("Keputusan Kepala", "kepka", 6, "lembaga")),
    (r"surat edaran kepala", Kind("Surat Edaran Kepala", "se-kepala", 7, "lembaga")),
    (
        r"peraturan(?= (?:badan|lembaga|arsip nasional|bkn|lan|bps|anri|lkpp|bpkp)\b)",
        Kind("Peraturan", "per", 6, "lembaga"),
    ),
    (r"peraturan daerah provinsi|perda provinsi", Kind("Peraturan Daerah Provinsi", "perda-provinsi", 8, "daerah")),
    (r"peraturan daerah|perda", Kind("Peraturan Daerah", "perda", 9, "daerah")),
    (r"peraturan gubernur|pergub", Kind("Peraturan Gubernur", "pergub", 10, "daerah")),
    (r"peraturan bupati|perbup", Kind("Peraturan Bupati", "perbup", 11, "daerah")),
    (r"peraturan wali ?kota|perwali|perwal", Kind("Peraturan Wali Kota", "perwali", 11, "daerah")),
    (r"keputusan gubernur", Kind("Keputusan Gubernur", "kepgub", 12, "daerah")),
    (r"keputusan bupati", Kind("Keputusan Bupati", "kepbup", 12, "daerah")),
    (r"keputusan wali ?kota", Kind("Keputusan Wali Kota", "kepwali", 12, "daerah")),
)
"""Longest names first where one begins another."""

MINISTRIES: tuple[tuple[str, str, str], ...] = (
    (
        r"pendayagunaan aparatur negara(?: dan reformasi birokrasi)?|pan ?-? ?rb|pan",
        "panrb",
        "Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
    ),
    (r"dalam negeri|dagri", "dalam-negeri", "Dalam Negeri"),
    (r"keuangan|keu", "keuangan", "Keuangan"),
)
"""Ministries cited by several names: pattern, key, name."""

AGENCIES: tuple[tuple[str, str, str], ...] = (
    (r"(?:badan kepegawaian negara|bkn)(?: ri)?", "bkn", "Badan Kepegawaian Negara"),
    (r"(?:lembaga administrasi negara|lan)(?: ri)?", "lan", "Lembaga Administrasi Negara"),
    (r"(?:badan pusat statistik|bps)", "bps", "Badan Pusat Statistik"),
    (r"(?:arsip nasional(?: republik indonesia)?|anri)", "anri", "Arsip Nasional Republik Indonesia"),
    (r"(?:badan pengawasan keuangan dan pembangunan|bpkp)", "bpkp", "Badan Pengawasan Keuangan dan Pembangunan"),
    (
        r"(?:lembaga kebijakan pengadaan barang/?jasa pemerintah|lkpp)",
        "lkpp",
        "Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah",
    ),
)
"""Agencies (lembaga, badan) whose head issues regulations: pattern, key, name."""

SHORT_MINISTER = re.compile(r"\bmen(pan ?-? ?rb|panrb|pan|dagri|keu)\b", re.I)
"""A minister named by a short form inside a longer name: "Surat Edaran MenPAN-RB"."""

SHORT_MINISTRY = re.compile(r"^permen(pan ?-? ?rb|panrb|pan|dagri|keu)\b", re.I)
"""Short forms that join type and ministry in one word: Permenpan, PermenPAN-RB, Permendagri."""

CITATION = re.compile(
    r"^(?P<head>.+?)(?<![\s.,])[\s.,]+(?:nomor|no\.?)\s*(?P<number>[0-9][0-9A-Za-z./-]*?)[\s,]+tahun\s+"
    r"(?P<year>\d{4})(?:[\s,]+tentang\s+(?P<title>.*))?$",
    re.I | re.S,
)
"""Type and issuer, number, year and title. The head ends where a run of separators begins
(the look-behind): without it, each longer head would scan the same run of spaces or commas
again, and a long run would take time to its square."""
_NOISE = re.compile(r"\b(republik indonesia|ri)\b|[.,;:]+", re.I)


@dataclass(frozen=True, slots=True)
class Citation:
    """One regulation as read from one Dasar Hukum entry."""

    key: str
    """Same key, same regulation: ``uu-23-2014``, ``permen-panrb-35-2012``, ``teks-...``."""
    text: str
    """The entry as the SOP writes it."""
    kind: Kind | None = None
    issuer: str = ""
    """Ministry or region, as the portal names it ("" when none)."""
    number: str = ""
    year: int = 0
    title: str = ""
    """What follows "tentang", without trailing punctuation."""

    @property
    def recognised(self) -> bool:
        """True when the entry was read as type, number and year."""
        return self.kind is not None

    @property
    def label(self) -> str:
        """The regulation's name: ``Peraturan Menteri Dalam Negeri Nomor 52 Tahun 2011``."""
        if self.kind is None:
            return self.text
        issuer = f" {self.issuer}" if self.issuer else ""
        return f"{self.kind.name}{issuer} Nomor {self.number} Tahun {self.year}"


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _title(text: str) -> str:
    # A trailing "(Lembaran Negara ...)" is a place of publication, not part of the title.
    # (The spaces before the bracket are taken from where they begin: linear on a long run.)
    return _clean(re.sub(r"(?<!\s)\s*\((?:lembaran|tambahan|berita)[^)]*\)?", "", text, flags=re.I)).rstrip(" .;,")


def _issuer(kind: Kind, rest: str) -> tuple[str, str]:
    """(key, name) of the ministry or region that follows the type's name."""
    rest = _clean(_NOISE.sub(" ", rest))
    if not rest:
        return "", ""
    if kind.issuer == "menteri":
        for pattern, key, name in MINISTRIES:
            if re.fullmatch(pattern, rest, re.I):
                return key, name
        return slug(rest), rest
    if kind.issuer == "lembaga":
        for pattern, key, name in AGENCIES:
            if re.fullmatch(pattern, rest, re.I):
                return key, name
        return slug(rest), rest
    # A region: "Kabupaten Nganjuk" and "Nganjuk" are the same; "Kota Mojokerto" is not
    # "Kabupaten Mojokerto", so only "Kabupaten" is dropped from the key.
    words = re.sub(r"^(kabupaten|kab)\s+", "", rest, flags=re.I)
    return slug(words), rest


@lru_cache(maxsize=65_536)
def read_citation(text: str) -> Citation:
    """Read one Dasar Hukum entry; unrecognised text keeps a key made from its words.
    (Remembered by text: a portal's SOPs cite the same regulations over and over, and every
    rebuild while serving reads them all again.)"""
    clean = _clean(text)
    match = CITATION.match(clean)
    if match:
        head = match["head"].strip()
        head = SHORT_MINISTRY.sub(lambda m: f"Peraturan Menteri {m[1]}", head)
        head = SHORT_MINISTER.sub(lambda m: f"Menteri {m[1]}", head)
        for pattern, kind in KINDS:
            found = re.match(rf"^(?:{pattern})\b(?P<rest>.*)$", head, re.I)
            if not found:
                continue
            rest = found["rest"]
            if kind.issuer == "" and _clean(_NOISE.sub(" ", rest)):
                break  # "Peraturan Pemerintah Daerah ..." is not a plain PP: keep as text
            issuer_key, issuer = _issuer(kind, rest)
            number = match["number"].rstrip(".").lstrip("0") or "0"
            year = int(match["year"])
            key = "-".join(filter(None, (kind.short, issuer_key, slug(number), str(year))))
            return Citation(key, text, kind, issuer, number, year, _title(match["title"] or ""))
    words = slug(clean)[:60].strip("-")
    return Citation(f"teks-{words}", text)


@dataclass(frozen=True, slots=True)
class CitingSop:
    """An SOP citing a regulation, and how it writes the citation."""

    sop_id: str
    text: str


@dataclass(frozen=True, slots=True)
class Regulation:
    """One regulation of the "Dasar hukum" index, with every SOP that cites it."""

    key: str
    label: str
    kind: Kind | None
    issuer: str
    number: str
    year: int
    titles: tuple[str, ...]
    """Distinct titles as the SOPs write them, most cited first."""
    cited_by: tuple[CitingSop, ...]

    @property
    def title(self) -> str:
        """The title most SOPs write."""
        return self.titles[0] if self.titles else ""

    @property
    def spellings(self) -> tuple[str, ...]:
        """Distinct ways the SOPs write the citation."""
        return tuple(dict.fromkeys(c.text for c in self.cited_by))

    def sort_key(self) -> tuple[int, int, str, int, str]:
        """Hierarchy, then newest first, then by number; unread text last, alphabetically."""
        if self.kind is None:
            return (99, 0, "", 0, self.label.casefold())
        number = int(re.match(r"\d+", self.number)[0]) if re.match(r"\d+", self.number) else 0  # type: ignore[index]
        return (self.kind.rank, -self.year, self.issuer.casefold(), number, self.number)


def regulation_index(citations: list[tuple[str, Citation]]) -> tuple[Regulation, ...]:
    """Group ``(sop id, citation)`` pairs into regulations, in the order of the hierarchy."""
    grouped: dict[str, list[tuple[str, Citation]]] = {}
    for sop_id, citation in citations:
        grouped.setdefault(citation.key, []).append((sop_id, citation))
    regulations = []
    for key, members in grouped.items():
        first = members[0][1]
        counts: dict[str, int] = {}
        for _sop, citation in members:
            if citation.title:
                counts[citation.title] = counts.get(citation.title, 0) + 1
        # Most cited first; on a tie, the order of the catalogue (dicts keep insertion order).
        titles = tuple(sorted(counts, key=lambda t: -counts[t]))
        # The issuer as most SOPs name it (a region may be written with or without "Kabupaten").
        issuers = [c.issuer for _s, c in members if c.issuer]
        issuer = max(issuers, key=lambda i: (issuers.count(i), len(i))) if issuers else ""
        label_source = Citation(key, first.text, first.kind, issuer, first.number, first.year)
        cited = tuple(dict.fromkeys(CitingSop(sop_id, c.text) for sop_id, c in members))
        regulations.append(
            Regulation(key, label_source.label, first.kind, issuer, first.number, first.year, titles, cited)
        )
    return tuple(sorted(regulations, key=Regulation.sort_key))
