"""The search index as a phone downloads it: a small manifest, postings in size-bounded
chunks of the sorted key space, and per-page fragments, written at build time.

Material's search plugin writes the whole index as one ``search/search_index.json`` (7 MB at
1000 SOPs), which the browser downloads before its first search. :func:`write_search_index`
turns the plain list of ``{location, title, text}`` sections (any engine's) into files under
``search/sop/`` that the portal's worker (``overrides/assets/javascripts/sop-search.js``)
loads as a query needs them:

``manifest.js``
    the number of sections, each page's kind and number of sections, boosts, the first key
    of every postings chunk, the synonym groups and the names of the other files.
``c-<i>.js`` (postings chunks, each about ``chunk_bytes``)
    records ``[key, w, s, a, stem, forms]`` sorted by key (UTF-16 order, as JavaScript
    compares strings): ``w`` the sections holding the word ``key``, ``s`` the sections holding
    a word whose stem is ``key``, ``a`` those holding a word whose affix stem is ``key``
    (each ``[section, weight, section delta, weight, ...]``, or ``1`` when the same as ``w``,
    ``2`` when the same as ``s``), ``stem`` the Sastrawi stem of
    the word ``key`` when it differs, ``forms`` the other words of the portal whose stem is
    ``key`` (for highlighting). A query loads the chunks of its words, of their stems and affix stems, and
    of the range its last letters cover (prefix completion).
``t-<i>.js`` (page titles, :data:`TITLE_GROUP` pages each)
    each page's location, title and instansi: what a result line shows.
``f-<i>.js`` (one per page) or ``f-<i>-<j>.js`` (parts of a large page)
    the page's sections (anchor, title, text up to :data:`TEXT_CAP`): teasers of the first
    results. A page above :data:`FRAGMENT_BYTES` is split into parts of consecutive sections
    (``parts`` of the manifest), and a query loads only those holding the sections shown.
``numbers.js`` / ``vocabulary.js``
    SOP numbers (loaded for a query with digits) and the words without digits with their
    section counts (loaded only to correct a typo).

Every file is a script ``sopSearchData("<name>",<JSON>);``: online the worker fetches and
parses it, from ``file://`` (where nothing can be fetched) Material's iframe-worker shim runs
it as a script. The same files serve both.

The engine's own ``search/search_index.json`` is replaced by a stub with no documents: the
engine's browser bundle still fetches it for its configuration, and ``config.sop`` tells
the worker where the files are and their version (``?v=``: a hash of their contents).

The output depends only on the input (no time, no set order): the same site gives the same
bytes. The index weights (title x3, instansi x2, roles x6) are applied here; the ranking
itself stays in the worker.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.model.shared import SharedCatalogue
from generator.web.search import (
    SEARCH_INDEX,
    WORD,
    SopEntry,
    affix_stem,
    compact_number,
    page_kind,
    plain,
    stem_map,
    synonym_groups,
    words,
)

FORMAT_VERSION = 2
"""Version of the sharded format (``config.sop.version`` of the stub)."""

DATA_DIR = "search/sop"
"""Where the index files are written, relative to the site root."""

CHUNK_BYTES = 48_000
"""Target size of a postings chunk (a record larger than this is a chunk of its own)."""

TITLE_GROUP = 8
"""Pages per title file."""

FRAGMENT_BYTES = 24_000
"""Size above which a page's sections are split into several fragment files."""

TEXT_CAP = 6_000
"""Characters of a section's text kept for its teaser."""

WEIGHT_TITLE, WEIGHT_TEXT, WEIGHT_INSTANSI, WEIGHT_ROLES = 3, 1, 2, 6
"""Weight of a word in a section's title, text, its SOP's instansi and performers (the
tags of an SOP's page). The worker's ``RANK`` documented them before they moved here."""

KIND_CODES = {"sop": "s", "halaman": "h", "panduan": "p"}


def _js_order(token: str) -> bytes:
    """Sort key giving JavaScript's string order (UTF-16 code units)."""
    return token.encode("utf-16-be")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _script(name: str, value: Any) -> str:
    return f'sopSearchData("{name}",{_dumps(value)});\n'


def _counts(text: str, split: dict[str, list[str]] | None = None) -> Counter[str]:
    """The words of plain text with their counts, as :func:`words` splits them (C-speed for
    the common token of letters only). ``split``: the tokens of other letters split so far
    (numbers, "Kasi/Kasubbag": the same few recur in every section), filled in."""
    counts = Counter(WORD.findall(text.lower()))
    for token in [token for token in counts if not token.isalpha()]:
        times = counts.pop(token)
        parts = split.get(token) if split is not None else None
        if parts is None:
            parts = words(token)
            if split is not None:
                split[token] = parts
        for word in parts:
            counts[word] += times
    return counts


class _Weigher:
    """The weighted words of a build's sections; what recurs (a section title, an instansi,
    a list of performers, a number) is split into words once."""

    def __init__(self) -> None:
        self.split: dict[str, list[str]] = {}
        self.fixed: dict[tuple[str, str], Counter[str]] = {}

    def text(self, text: str) -> Counter[str]:
        return _counts(plain(text), self.split)

    def recurring(self, kind: str, text: str) -> Counter[str]:
        """The words of a text that recurs across sections (``kind``: how it is read)."""
        found = self.fixed.get((kind, text))
        if found is None:
            found = self.fixed[(kind, text)] = _counts(plain(text) if kind == "title" else text, self.split)
        return found


class _Postings:
    """Sections and weights of one key, in section order."""

    __slots__ = ("docs", "weights")

    def __init__(self) -> None:
        self.docs: list[int] = []
        self.weights: list[int] = []

    def flat(self) -> list[int]:
        """``[section, weight, section delta, weight, ...]``."""
        docs = self.docs
        out: list[int] = [0] * (2 * len(docs))
        out[0::2] = [doc - previous for doc, previous in zip(docs, [0, *docs[:-1]], strict=True)]
        out[1::2] = self.weights
        return out


def _merged(lists: list[_Postings]) -> _Postings:
    """The postings of several words as one key's: weights of a section summed."""
    total: dict[int, int] = {}
    for postings in lists:
        for doc, weight in zip(postings.docs, postings.weights, strict=True):
            total[doc] = total.get(doc, 0) + weight
    merged = _Postings()
    merged.docs = sorted(total)
    merged.weights = [total[doc] for doc in merged.docs]
    return merged


def _teaser_text(text: str) -> str:
    """A section's text as its fragment keeps it: at most :data:`TEXT_CAP` characters (a
    view listing every SOP is a few hundred kB; its teaser is from the beginning)."""
    if len(text) <= TEXT_CAP:
        return text
    cut = text.rfind(" ", 0, TEXT_CAP)
    return text[: cut if cut > 0 else TEXT_CAP]


def _split_fragment(page: int, sections: list[list[str]], out: dict[str, str], parts: dict[str, list[int]]) -> None:
    """A page's sections as one fragment ``f-<page>``, or, above :data:`FRAGMENT_BYTES`, as
    parts ``f-<page>-<j>`` of consecutive sections; ``parts[page]`` is then the first
    section of each part."""
    texts = [_dumps(section) for section in sections]
    if sum(len(text) + 1 for text in texts) <= FRAGMENT_BYTES:
        out[f"f-{page}"] = "[" + ",".join(texts) + "]"
        return
    starts: list[int] = []
    size = 0
    for index, text in enumerate(texts):
        if not starts or size + len(text) + 1 > FRAGMENT_BYTES:
            starts.append(index)
            size = 0
        size += len(text) + 1
    for part, start in enumerate(starts):
        end = starts[part + 1] if part + 1 < len(starts) else len(texts)
        out[f"f-{page}-{part}"] = "[" + ",".join(texts[start:end]) + "]"
    parts[str(page)] = starts


def build_search_files(
    docs: Sequence[Mapping[str, Any]],
    sops: Mapping[str, SopEntry],
    shared: SharedCatalogue,
    *,
    config: Mapping[str, Any] | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> dict[str, str]:
    """The index files (path relative to the site root -> text), stub included. Pure: the
    same arguments give the same files."""
    # Sections grouped by page, pages in order of first appearance.
    pages: dict[str, list[Mapping[str, Any]]] = {}
    for doc in docs:
        pages.setdefault(str(doc.get("location", "")).split("#", 1)[0], []).append(doc)

    w_post: dict[str, _Postings] = {}
    kinds: list[str] = []
    counts: list[int] = []
    boosts: dict[str, float] = {}
    numbers: list[list[Any]] = []
    titles: list[list[str]] = []
    fragments: dict[str, str] = {}
    parts: dict[str, list[int]] = {}
    weigher = _Weigher()
    number = 0
    for page_index, (page, sections) in enumerate(pages.items()):
        kind = page_kind(page, sops)
        entry = sops.get(page)
        first = sections[0]
        kinds.append(KIND_CODES[kind])
        counts.append(len(sections))
        boost = first.get("boost")
        if isinstance(boost, (int, float)) and boost != 1:
            boosts[str(page_index)] = boost
        titles.append([page, str(first.get("title", "")), entry.instansi if entry else ""])
        fragment: list[list[str]] = []
        for doc in sections:
            location = str(doc.get("location", ""))
            title = str(doc.get("title", ""))
            text = str(doc.get("text", ""))
            article = "#" not in location
            fragment.append([location[len(page) :], title, _teaser_text(text)])
            weights = weigher.text(text)
            for word, times in weigher.recurring("title", title).items():
                weights[word] += WEIGHT_TITLE * times
            if article and entry is not None:
                if entry.nomor:
                    numbers.append([compact_number(entry.nomor), page_index])
                for word, times in weigher.recurring("instansi", entry.instansi).items():
                    weights[word] += WEIGHT_INSTANSI * times
            tags = doc.get("tags")
            if article and isinstance(tags, list) and tags:
                for word, times in weigher.recurring("roles", " / ".join(str(tag) for tag in tags)).items():
                    weights[word] += WEIGHT_ROLES * times
            for word, weight in weights.items():
                postings = w_post.get(word)
                if postings is None:
                    postings = w_post[word] = _Postings()
                postings.docs.append(number)
                postings.weights.append(weight)
            number += 1
        _split_fragment(page_index, fragment, fragments, parts)

    groups = synonym_groups(shared)
    vocabulary = set(w_post)
    for group in groups:
        for name in group:
            vocabulary.update(name.split())
    stems = stem_map(vocabulary)

    # A stem's and an affix stem's postings: those of the portal's words that have it, merged.
    # Most keys are their only word: a record then says "the same as w" (1) or "as s" (2).
    by_stem: dict[str, list[str]] = {}
    by_affix: dict[str, list[str]] = {}
    for word in sorted(w_post, key=_js_order):
        by_stem.setdefault(stems.get(word, word), []).append(word)
        by_affix.setdefault(affix_stem(word), []).append(word)

    def field(members: list[str] | None, key: str, same_as_s: list[str] | None) -> Any:
        if not members:
            return 0
        if members == [key]:
            return 1
        if same_as_s is not None and members == same_as_s:
            return 2
        return _merged([w_post[word] for word in members]).flat()

    keys = sorted({*w_post, *by_stem, *by_affix, *stems}, key=_js_order)
    files: dict[str, str] = {}
    chunk_firsts: list[str] = []
    chunk: list[str] = []
    size = 0

    def flush() -> None:
        nonlocal chunk, size
        if chunk:
            name = f"c-{len(chunk_firsts) - 1}"
            files[name] = f'sopSearchData("{name}",[{",".join(chunk)}]);\n'
            chunk, size = [], 0

    for key in keys:
        stem_members = by_stem.get(key)
        record: list[Any] = [
            key,
            w_post[key].flat() if key in w_post else 0,
            field(stem_members, key, None),
            field(by_affix.get(key), key, stem_members),
            stems.get(key, 0),
            [word for word in stem_members if word != key] if stem_members and len(stem_members) > 1 else 0,
        ]
        while record[-1] == 0:
            record.pop()
        text = _dumps(record)
        if chunk and size + len(text) + 1 > chunk_bytes:
            flush()
        if not chunk:
            chunk_firsts.append(key)
        chunk.append(text)
        size += len(text) + 1
    flush()

    title_files = 0
    for start in range(0, len(titles), TITLE_GROUP):
        name = f"t-{title_files}"
        files[name] = _script(name, titles[start : start + TITLE_GROUP])
        title_files += 1
    for name in list(fragments):  # (each fragment's text once: the script replaces it)
        files[name] = f'sopSearchData("{name}",{fragments.pop(name)});\n'
    files["numbers"] = _script("numbers", numbers)
    alphabetic = [word for word in sorted(w_post, key=_js_order) if word.isalpha()]
    files["vocabulary"] = _script("vocabulary", [alphabetic, [len(w_post[word].docs) for word in alphabetic]])
    manifest = {
        "version": FORMAT_VERSION,
        "sections": number,
        "kinds": "".join(kinds),
        "counts": counts,
        "boosts": boosts,
        "chunks": chunk_firsts,
        "titleGroup": TITLE_GROUP,
        "titles": title_files,
        "parts": parts,
        "synonyms": groups,
    }
    files["manifest"] = _script("manifest", manifest)

    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(files[name].encode("utf-8"))
        digest.update(b"\0")
    stub_config = {key: value for key, value in (config or {}).items() if key != "sop"}
    stub_config["sop"] = {"version": FORMAT_VERSION, "path": DATA_DIR + "/", "v": digest.hexdigest()[:12]}
    out = {f"{DATA_DIR}/{name}.js": text for name, text in files.items()}
    out[SEARCH_INDEX] = _dumps({"config": stub_config, "docs": []})
    return out


def write_search_index(
    site_dir: Path,
    docs: Sequence[Mapping[str, Any]],
    sops: Mapping[str, SopEntry],
    shared: SharedCatalogue,
    *,
    config: Mapping[str, Any] | None = None,
    chunk_bytes: int | None = None,
) -> list[str]:
    """Write the portal's search index into ``site_dir`` for any engine.

    ``docs``: the searchable sections, in page order, each ``{"location", "title", "text"}``
    (``location`` relative to the site root, ``page/#anchor`` for a section; optional
    ``tags``, the page's performers, and ``boost``). ``sops``: each SOP page's URL with its
    instansi and number (:func:`generator.web.search.sop_entries`). ``shared``: the jabatan
    and glossary (synonyms). ``config``: the engine's search configuration, kept in the stub
    ``search/search_index.json`` (Material's bundle reads it). Writes that stub and
    ``search/sop/*.js`` (see the module's docstring), removes files of an earlier build from
    ``search/sop/``, and returns the written paths, relative to ``site_dir``. Files whose
    content is unchanged are not rewritten. ``chunk_bytes`` (default :data:`CHUNK_BYTES`, or
    the environment's ``SOP_SEARCH_CHUNK_BYTES``, which the tests set to get many chunks from
    a small site) is the target size of a postings chunk."""
    if chunk_bytes is None:
        chunk_bytes = int(os.environ.get("SOP_SEARCH_CHUNK_BYTES") or CHUNK_BYTES)
    files = build_search_files(docs, sops, shared, config=config, chunk_bytes=chunk_bytes)
    folder = site_dir / DATA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    wanted = set(files)
    for old in sorted(folder.iterdir()):
        if old.is_file() and f"{DATA_DIR}/{old.name}" not in wanted:
            old.unlink()
    for path, text in sorted(files.items()):
        target = site_dir / path
        data = text.encode("utf-8")
        try:
            if target.read_bytes() == data:
                continue
        except FileNotFoundError:
            pass
        # A new file, not the old one rewritten: a site published by hard links to the
        # previous one (an incremental build) keeps the previous files as they were.
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
    return sorted(files)


def read_search_files(site_dir: Path) -> dict[str, Any]:
    """The index files of a built site, parsed (name without ``.js`` -> data): for tests and
    benchmarks."""
    data: dict[str, Any] = {}
    for path in sorted((site_dir / DATA_DIR).glob("*.js")):
        text = path.read_text(encoding="utf-8")
        rest = text.partition(",")[2]
        data[path.stem] = json.loads(rest[: rest.rindex(")")])
    return data


def sections(site_dir: Path) -> Iterable[dict[str, str]]:
    """Every section of a built site's index, ``{location, title, text}``, from its page
    fragments (in page order)."""
    data = read_search_files(site_dir)
    titles = [row for t in range(data["manifest"]["titles"]) for row in data[f"t-{t}"]]
    parts = data["manifest"]["parts"]
    for index, (page, _title, _instansi) in enumerate(titles):
        names = (
            [f"f-{index}-{part}" for part in range(len(parts[str(index)]))] if str(index) in parts else [f"f-{index}"]
        )
        for name in names:
            for anchor, title, text in data[name]:
                yield {"location": page + anchor, "title": title, "text": text}
