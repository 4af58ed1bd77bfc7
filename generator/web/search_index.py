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
    (each ``[section, weight, section delta, weight, ...]``), ``stem`` the Sastrawi stem of
    the word ``key`` when it differs, ``forms`` the portal's words whose stem is ``key`` (for
    highlighting). A query loads the chunks of its words, of their stems and affix stems, and
    of the range its last letters cover (prefix completion).
``t-<i>.js`` (page titles, :data:`TITLE_GROUP` pages each)
    each page's location, title and instansi: what a result line shows.
``f-<i>.js`` (one per page)
    the page's sections (anchor, title, text): teasers of the first results.
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
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.model.shared import SharedCatalogue
from generator.web.search import SEARCH_INDEX, SopEntry, affix_stem, compact_number, enrich, plain, words

FORMAT_VERSION = 2
"""Version of the sharded format (``config.sop.version`` of the stub)."""

DATA_DIR = "search/sop"
"""Where the index files are written, relative to the site root."""

CHUNK_BYTES = 48_000
"""Target size of a postings chunk (a record larger than this is a chunk of its own)."""

TITLE_GROUP = 128
"""Pages per title file."""

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


def _postings(entries: list[tuple[int, int]]) -> list[int]:
    flat: list[int] = []
    previous = 0
    for doc, weight in entries:
        flat.append(doc - previous)
        flat.append(weight)
        previous = doc
    return flat


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
    enriched = enrich({"docs": [dict(doc) for doc in docs]}, sops, shared)
    sop_data = enriched["config"]["sop"]
    stems: dict[str, str] = sop_data["stems"]
    groups: list[list[str]] = sop_data["synonyms"]

    # Sections grouped by page, pages in order of first appearance.
    pages: dict[str, list[dict[str, Any]]] = {}
    for doc in enriched["docs"]:
        location = str(doc.get("location", ""))
        pages.setdefault(location.split("#", 1)[0], []).append(doc)

    w_post: dict[str, list[tuple[int, int]]] = {}
    s_post: dict[str, list[tuple[int, int]]] = {}
    a_post: dict[str, list[tuple[int, int]]] = {}
    affix_cache: dict[str, str] = {}
    kinds: list[str] = []
    counts: list[int] = []
    boosts: dict[str, float] = {}
    numbers: list[list[Any]] = []
    titles: list[list[str]] = []
    fragments: list[list[list[str]]] = []
    number = 0
    for page_index, (page, sections) in enumerate(pages.items()):
        first = sections[0]
        kinds.append(KIND_CODES.get(str(first.get("kind", "halaman")), "h"))
        counts.append(len(sections))
        boost = first.get("boost")
        if isinstance(boost, (int, float)) and boost != 1:
            boosts[str(page_index)] = boost
        titles.append([page, str(first.get("title", "")), str(first.get("instansi", ""))])
        fragment: list[list[str]] = []
        for doc in sections:
            location = str(doc.get("location", ""))
            title = str(doc.get("title", ""))
            text = str(doc.get("text", ""))
            article = "#" not in location
            fragment.append([location[len(page) :], title, text])
            if article and doc.get("nomor"):
                numbers.append([compact_number(str(doc["nomor"])), page_index])
            weights: Counter[str] = Counter()
            for word in words(plain(title)):
                weights[word] += WEIGHT_TITLE
            for word in words(plain(text)):
                weights[word] += WEIGHT_TEXT
            if article and doc.get("instansi"):
                for word in words(str(doc["instansi"])):
                    weights[word] += WEIGHT_INSTANSI
            tags = doc.get("tags")
            if article and isinstance(tags, list) and tags:
                for word in words(" / ".join(str(tag) for tag in tags)):
                    weights[word] += WEIGHT_ROLES
            by_stem: Counter[str] = Counter()
            by_affix: Counter[str] = Counter()
            for word, weight in weights.items():
                w_post.setdefault(word, []).append((number, weight))
                by_stem[stems.get(word, word)] += weight
                affix = affix_cache.get(word)
                if affix is None:
                    affix = affix_cache[word] = affix_stem(word)
                by_affix[affix] += weight
            for key, weight in by_stem.items():
                s_post.setdefault(key, []).append((number, weight))
            for key, weight in by_affix.items():
                a_post.setdefault(key, []).append((number, weight))
            number += 1
        fragments.append(fragment)

    # Highlighting: the words of the portal whose stem is a key.
    forms: dict[str, list[str]] = {}
    for word, stem in stems.items():
        if word in w_post:
            forms.setdefault(stem, []).append(word)
    # Words named only by synonyms still need their stem (the worker stems a query by it).
    keys = sorted({*w_post, *s_post, *a_post, *stems}, key=_js_order)

    files: dict[str, str] = {}
    chunk_firsts: list[str] = []
    chunk: list[Any] = []
    size = 0

    def flush() -> None:
        nonlocal chunk, size
        if chunk:
            name = f"c-{len(chunk_firsts)}"
            chunk_firsts.append(chunk[0][0])
            files[name] = _script(name, chunk)
            chunk, size = [], 0

    for key in keys:
        record: list[Any] = [
            key,
            _postings(w_post[key]) if key in w_post else 0,
            _postings(s_post[key]) if key in s_post else 0,
            _postings(a_post[key]) if key in a_post else 0,
            stems.get(key, 0),
            sorted(forms[key], key=_js_order) if key in forms else 0,
        ]
        while record and record[-1] == 0:
            record.pop()
        length = len(_dumps(record)) + 1
        if chunk and size + length > chunk_bytes:
            flush()
        chunk.append(record)
        size += length
    flush()

    title_files = []
    for start in range(0, len(titles), TITLE_GROUP):
        name = f"t-{start // TITLE_GROUP}"
        files[name] = _script(name, titles[start : start + TITLE_GROUP])
        title_files.append(name)
    for page_index, fragment in enumerate(fragments):
        files[f"f-{page_index}"] = _script(f"f-{page_index}", fragment)
    files["numbers"] = _script("numbers", numbers)
    vocabulary = sorted((word for word in w_post if word.isalpha()), key=_js_order)
    files["vocabulary"] = _script("vocabulary", [vocabulary, [len(w_post[word]) for word in vocabulary]])
    manifest = {
        "version": FORMAT_VERSION,
        "sections": number,
        "kinds": "".join(kinds),
        "counts": counts,
        "boosts": boosts,
        "chunks": chunk_firsts,
        "titleGroup": TITLE_GROUP,
        "titles": len(title_files),
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
    chunk_bytes: int = CHUNK_BYTES,
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
    content is unchanged are not rewritten."""
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
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
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
    for index, (page, _title, _instansi) in enumerate(titles):
        for anchor, title, text in data[f"f-{index}"]:
            yield {"location": page + anchor, "title": title, "text": text}
