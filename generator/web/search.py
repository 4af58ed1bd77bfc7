"""Search that speaks Indonesian: what the portal adds to the engine's search index.

The engine (Material's search plugin) writes ``search/search_index.json``: a list of
documents, one per page section, with their title and text.
:mod:`generator.web.search_index` turns that list into the sharded index the browser's search
worker (``overrides/assets/javascripts/sop-search.js``) downloads part by part; this module
holds what it adds that the worker cannot work out by itself (:func:`enrich` shows it on the
engine's own format, under ``config.sop`` and a few fields on each document):

- ``stems``: the stem of every word of the portal whose stem differs from the word, made at
  build time by Sastrawi (the Nazief-Adriani stemmer with a dictionary of Indonesian roots),
  so that "mengukur", "pengukuran" and "diukur" all find "ukur". The worker stems both the
  index and the query through this map; a query word the portal does not contain falls back
  to the light affix rule of :func:`affix_stem` (its JavaScript twin is in the worker and a
  test holds them to the same results).
- ``synonyms``: groups of words or phrases that mean the same post or term: each jabatan of
  ``portal.yaml`` with its aliases, and each glossary abbreviation with its meaning.
- per document ``kind`` (``sop``, ``panduan`` or ``halaman``), and for an SOP's page its
  ``instansi`` (shown beside the result, so two SOPs of the same title are told apart) and
  ``nomor`` (so the number typed as printed, or without its spaces, finds its page first).

The tokenizer here and the worker's split text the same way (:data:`WORD`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.model.shared import SharedCatalogue
from generator.model.sop import Sop
from generator.site import SiteLayout

SEARCH_INDEX = "search/search_index.json"
"""Where the engine writes the search index, relative to the site root."""

FORMAT_VERSION = 1
"""Version of ``config.sop``, read by the worker."""

WORD = re.compile(r"[^\W_]+(?:[./-][^\W_]+)*")
"""A word: letters and digits, with ``.``, ``/`` and ``-`` kept inside (numbers such as
"427.90/26/01/2024" are one word). A word without digits is split at those marks
("Kasi/Kasubbag" is two words). The worker's ``WORD`` is the same pattern."""

_TAG = re.compile(r"<[^<>]*>")
"""A tag (not across another "<": a run of them is read in linear time)."""
_INNER = re.compile(r"[./-]")
_DIGIT = re.compile(r"\d")
_SPACED_MARK = re.compile(r"(?<=\d)\s*([./-])\s*(?=\d)")


def plain(text: str) -> str:
    """The readable text of an index entry (tags dropped, entities read, numbers rejoined:
    "065 / 112 / 416-317" is written as "065/112/416-317")."""
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return _SPACED_MARK.sub(r"\1", text) if _DIGIT.search(text) else text


def words(text: str) -> list[str]:
    """The words of plain text, lowercased, as the worker indexes them."""
    found: list[str] = []
    for match in WORD.finditer(text.lower()):
        token = match.group()
        if _DIGIT.search(token):
            found.append(token)
            parts = _INNER.split(token)
            if len(parts) > 1:
                found.extend(parts)
        else:
            found.extend(_INNER.split(token))
    return found


def compact_number(text: str) -> str:
    """An SOP number as the worker compares it: lowercase, with no spaces."""
    return re.sub(r"\s+", "", text.lower())


# ---------------------------------------------------------------- stems

_VOWELS = "aeiou"
_PARTICLES = ("kah", "lah", "pun")
_POSSESSIVES = ("ku", "mu", "nya")
# First-order prefixes, in the order tried: (prefix, letter restored when a vowel follows,
# flag). "menulis" -> "tulis", "memeriksa" -> "periksa", "menyusun" -> "susun".
_FIRST_PREFIXES = (
    ("meng", "", "meng"),
    ("meny", "s", "meng"),
    ("men", "t", "meng"),
    ("mem", "p", "meng"),
    ("me", "", "meng"),
    ("peng", "", "peng"),
    ("peny", "s", "peng"),
    ("pen", "t", "peng"),
    ("pem", "p", "peng"),
    ("di", "", "di"),
    ("ter", "", "ter"),
    ("ke", "", "ke"),
)
# A derivational suffix is not taken after a prefix it never combines with (pe-...-kan,
# di-...-an, ber-...-i are not confixes): "penegakan" is peN-tegak-an, not peN-tega-kan.
_SUFFIX_BLOCKED_BY = (("kan", ("ke", "peng", "pe")), ("an", ("di", "meng", "ter")), ("i", ("ber", "ke", "peng")))


def affix_stem(word: str) -> str:
    """The light affix rule, after Tala's stemmer for Indonesian as Lucene implements it:
    particle, possessive, then a first-order prefix followed by a suffix and a second-order
    prefix, or else a second-order prefix and a suffix; each step only while the word keeps
    more than two syllables. Used for query words the portal does not contain. The worker's
    ``affixStem`` is the same rule, step for step (a test holds them together)."""
    if _DIGIT.search(word) or not word.isalpha():
        return word
    state = _Affixes(word)
    state.strip_end(_PARTICLES)
    state.strip_end(_POSSESSIVES)
    if state.first_order_prefix():
        # After a restored letter the word is a root already ("pemeriksaan" -> "periksa").
        if state.suffix() and not state.restored:
            state.second_order_prefix()
    else:
        state.second_order_prefix()
        state.suffix()
    return state.word


class _Affixes:
    """A word being stemmed by :func:`affix_stem`, with its syllables and removed prefixes."""

    def __init__(self, word: str) -> None:
        self.word = word
        self.syllables = sum(1 for ch in word if ch in _VOWELS)
        self.flags: set[str] = set()
        self.restored = False

    def _cut(self, start: int = 0, end: int = 0, restore: str = "", flag: str = "") -> bool:
        self.word = restore + self.word[start : len(self.word) - end]
        self.syllables -= 1
        if flag:
            self.flags.add(flag)
        return True

    def strip_end(self, endings: tuple[str, ...]) -> bool:
        if self.syllables <= 2:
            return False
        for end in endings:
            if self.word.endswith(end):
                return self._cut(end=len(end))
        return False

    def first_order_prefix(self) -> bool:
        if self.syllables <= 2:
            return False
        for prefix, restore, flag in _FIRST_PREFIXES:
            if self.word.startswith(prefix):
                rest = self.word[len(prefix) :]
                if restore and rest[:1] in tuple(_VOWELS):
                    self.restored = True
                    return self._cut(start=len(prefix), restore=restore, flag=flag)
                if restore and prefix in ("meny", "peny"):
                    continue  # "meny" before a consonant is not this prefix
                return self._cut(start=len(prefix), flag=flag)
        return False

    def second_order_prefix(self) -> bool:
        if self.syllables <= 2:
            return False
        w = self.word
        if w.startswith("ber"):
            return self._cut(start=3, flag="ber")
        if w == "belajar":
            return self._cut(start=3, flag="ber")
        if w.startswith("be") and len(w) > 4 and w[2] not in _VOWELS and w[3:5] == "er":
            return self._cut(start=2, flag="ber")
        if w.startswith("per"):
            return self._cut(start=3)
        if w == "pelajar":
            return self._cut(start=3)
        if w.startswith("pe"):
            return self._cut(start=2, flag="pe")
        return False

    def suffix(self) -> bool:
        if self.syllables <= 2:
            return False
        for end, blocked_by in _SUFFIX_BLOCKED_BY:
            if self.word.endswith(end):
                if self.flags.intersection(blocked_by) or (end == "i" and self.word.endswith("si")):
                    continue  # "penegakan": not "-kan" after peN-, but "-an"
                return self._cut(end=len(end))
        return False


_SASTRAWI: Any = None
_STEMS: dict[str, str] = {}
"""Every word stemmed so far in this process (a serve session stems each word once)."""


def sastrawi_stem(word: str) -> str:
    """The Sastrawi stem of one lowercase word (remembered for the process)."""
    global _SASTRAWI
    stem = _STEMS.get(word)
    if stem is None:
        if _SASTRAWI is None:
            from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

            _SASTRAWI = StemmerFactory().create_stemmer()
        stem = _STEMS[word] = _SASTRAWI.stem(word) or word
    return stem


def stem_map(vocabulary: Iterable[str]) -> dict[str, str]:
    """Word -> stem for every word of the portal that Sastrawi changes (words with digits and
    words of fewer than four letters are kept as they are)."""
    stems: dict[str, str] = {}
    for word in sorted(set(vocabulary)):
        if len(word) < 4 or _DIGIT.search(word) or not word.isalpha():
            continue
        stem = sastrawi_stem(word)
        if stem != word and stem.isalpha() and not _infixed(word, stem):
            stems[word] = stem
    return stems


_INFIXES = ("in", "el", "em", "er")


def _infixed(word: str, stem: str) -> bool:
    """Whether Sastrawi took an infix out ("kinerja" -> "kerja", "gerigi" -> "gigi"). An
    infixed word has a meaning of its own in an office ("kinerja" is performance, "hari
    kerja" a working day): it keeps its own stem."""
    return len(stem) > 1 and any(word.startswith(stem[0] + infix + stem[1:]) for infix in _INFIXES)


# ---------------------------------------------------------------- synonyms


def synonym_groups(shared: SharedCatalogue) -> list[list[str]]:
    """Groups of names that mean one thing: a jabatan and its aliases, an abbreviation with
    its meaning and its other spellings. Lowercase, each group at least two entries."""
    groups: list[list[str]] = []
    for role in shared.roles:
        groups.append([role.nama, *role.alias])
    for term in shared.glossary:
        groups.append([term.singkatan, term.arti, *term.alias])
    # Groups that share a name are one group ("Sekcam" is both a jabatan alias and a glossary
    # abbreviation): the worker looks each name up once.
    merged: list[list[str]] = []
    for group in groups:
        names = list(dict.fromkeys(" ".join(words(name)) for name in group if words(name)))
        overlapping = [m for m in merged if set(m) & set(names)]
        for other in overlapping:
            merged.remove(other)
            names = list(dict.fromkeys([*other, *names]))
        merged.append(names)
    return [names for names in merged if len(names) > 1]


# ---------------------------------------------------------------- the index


@dataclass(frozen=True)
class SopEntry:
    """What the worker shows and matches of an SOP besides its page text."""

    instansi: str
    nomor: str


def sop_entries(sops: Iterable[Sop], layout: SiteLayout) -> dict[str, SopEntry]:
    """Each SOP page's URL with its instansi and number."""
    return {
        layout.page_url(sop): SopEntry(
            instansi=" · ".join(part for part in (sop.instansi, sop.unit) if part) or "Instansi tidak disebutkan",
            nomor=sop.nomor or "",
        )
        for sop in sops
    }


MAINTAINER_PREFIXES = ("panduan/format-sumber", "panduan/mengimpor-sop")
"""Guides for the portal's maintainers: found by search, but after every page for staff."""


def page_kind(location: str, sops: Mapping[str, SopEntry]) -> str:
    """``sop`` for an SOP's page, ``panduan`` for a maintainer's guide, ``halaman`` otherwise."""
    page = location.split("#", 1)[0]
    if page in sops:
        return "sop"
    if page.startswith(MAINTAINER_PREFIXES):
        return "panduan"
    return "halaman"


def enrich(index: dict[str, Any], sops: Mapping[str, SopEntry], shared: SharedCatalogue) -> dict[str, Any]:
    """The engine's search index with what the worker needs (see the module's docstring).
    Entries are changed in place; running it twice gives the same index."""
    vocabulary: set[str] = set()
    for doc in index.get("docs", ()):
        location = str(doc.get("location", ""))
        kind = page_kind(location, sops)
        doc["kind"] = kind
        entry = sops.get(location) if "#" not in location else None  # the page's own entry
        if entry is not None:
            doc["instansi"] = entry.instansi
            if entry.nomor:
                doc["nomor"] = entry.nomor
            vocabulary.update(words(entry.instansi))
        vocabulary.update(words(plain(str(doc.get("title", "")))))
        vocabulary.update(words(plain(str(doc.get("text", "")))))
    groups = synonym_groups(shared)
    for group in groups:
        for name in group:
            vocabulary.update(name.split())
    index.setdefault("config", {})["sop"] = {
        "version": FORMAT_VERSION,
        "stems": stem_map(vocabulary),
        "synonyms": groups,
    }
    return index
