"""What a published site was built from, so that the next build makes only what changed.

A build records, beside the cache (``.cache/sites/``), one :class:`SiteState` per site
folder: a key of everything that shapes every page (configuration, navigation, theme
templates, tool versions), a key per published file of the inputs it was made from, and
per page what other pages show of it (its title and tags) and its search entries. The next
build of the same folder reads it back; when the site on disk is still the one recorded
(:func:`site_stamp`), it makes only the files whose key changed, takes the others from the
published site by hard link (:func:`link_unchanged`) and merges the search entries
(:func:`merged_search_docs`), so that the result is, file for file, what a full build of
the same sources makes. Nothing here knows the engine; :mod:`generator.mkdocs_plugin`
decides with it which pages MkDocs renders.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_VERSION = 2
"""Bumped whenever what a state records changes meaning (older states are then ignored)."""

STATE_FOLDER = Path(".cache") / "sites"
"""Where states live, relative to the project root."""


def fingerprint(*parts: object) -> str:
    """A short stable hash of ``parts``: bytes as they are, text as UTF-8 (a page's Markdown:
    hashing its ``repr`` would first escape every line of it), anything else by its ``repr``;
    each part tagged with its kind and length, so that no two different lists of parts meet."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, bytes):
            kind, data = b"b", part
        elif isinstance(part, str):
            kind, data = b"s", part.encode("utf-8", "surrogatepass")
        else:
            kind, data = b"r", repr(part).encode("utf-8", "surrogatepass")
        digest.update(kind + len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:32]


@dataclass
class PageState:
    """What other pages and the search index take from one page."""

    url: str
    title: str | None
    tags: list[str] = field(default_factory=list)
    search: list[dict[str, Any]] = field(default_factory=list)
    """The page's entries of the search index (one per section), as the engine wrote them."""
    listing: bool = False
    """The page lists the pages tagged (Material's tags listing: a role page)."""
    meta: dict[str, Any] | None = None
    """The page's front matter as the engine read it (``None``: not recorded, e.g. a date in
    it): a build that does not make the page gives it to the plugins without reading it."""


@dataclass
class SiteState:
    """The inputs of one published site (see the module's description)."""

    key: str
    """Everything that shapes every page: a change rebuilds them all."""
    files: dict[str, str]
    """Per published file (site path), the key of its inputs."""
    pages: dict[str, PageState]
    """Per page source (docs path), what other pages and the search index take from it."""
    stamp: list[int] = field(default_factory=list)
    """:func:`site_stamp` of the site folder once published."""

    def to_json(self) -> str:
        return "".join(self.json_parts())

    def json_parts(self) -> Iterator[str]:
        """:meth:`to_json`'s text, a page at a time (ten thousand pages' search entries are
        never one string). By hand: dataclasses.asdict would deep-copy every search entry."""
        head = {"version": STATE_VERSION, "key": self.key, "files": self.files}
        yield _dumps(head)[:-1] + ',"pages":{'
        for number, (src, page) in enumerate(self.pages.items()):
            yield f"{',' if number else ''}{_dumps(src)}:{_dumps(vars(page))}"
        yield f'}},"stamp":{_dumps(self.stamp)}}}'

    @classmethod
    def from_json(cls, text: str) -> SiteState | None:
        data = json.loads(text)
        if not isinstance(data, dict) or data.pop("version", None) != STATE_VERSION:
            return None
        pages = {src: PageState(**page) for src, page in data.pop("pages").items()}
        return cls(pages=pages, **data)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def state_path(root: Path, site_dir: Path) -> Path:
    """The state file of the site folder ``site_dir`` (one per folder: site/, site-offline/, ...)."""
    name = fingerprint(str(site_dir.resolve()))
    return root / STATE_FOLDER / f"{name}.json"


def site_stamp(site_dir: Path) -> list[int]:
    """The folder's identity on disk: every build publishes a new folder (a rename), and
    anything else that writes into it (``mkdocs build`` cleans and refills it) moves its times."""
    info = os.stat(site_dir)
    return [info.st_ino, info.st_mtime_ns, info.st_ctime_ns]


def load_state(root: Path, site_dir: Path) -> SiteState | None:
    """The state of ``site_dir`` when the folder is still the one it describes, else ``None``
    (no state, another version, unreadable, or the site was replaced or written to since)."""
    try:
        state = SiteState.from_json(state_path(root, site_dir).read_text(encoding="utf-8"))
        stamp = site_stamp(site_dir)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    if state is None or state.stamp != stamp:
        return None
    return state


def save_state(root: Path, site_dir: Path, state: SiteState) -> None:
    """Record ``state`` for the site just published in ``site_dir`` (written whole, then renamed)."""
    state.stamp = site_stamp(site_dir)
    path = state_path(root, site_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    with part.open("w", encoding="utf-8") as handle:
        handle.writelines(state.json_parts())
    part.replace(path)


def forget_state(root: Path, site_dir: Path) -> None:
    """Drop the state of ``site_dir`` (its next build is a full one)."""
    state_path(root, site_dir).unlink(missing_ok=True)


def link_unchanged(published: Path, staging: Path, paths: Iterable[str]) -> int:
    """Hard-link into ``staging`` each of ``paths`` that the build did not write there, from the
    ``published`` site (a new name for the same bytes: the published site is never written to).
    Returns how many were linked; :class:`FileNotFoundError` when the published site lacks one."""
    count = 0
    folders: set[str] = set()
    source, destination = os.fspath(published), os.fspath(staging)  # (strings: 13,000 paths at N=1000)
    for path in paths:
        target = os.path.join(destination, path)
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        try:
            os.link(os.path.join(source, path), target)
        except FileExistsError:
            continue
        count += 1
    return count


def page_of(location: str) -> str:
    """The page part of a search entry's location (``sop/x/#langkah`` -> ``sop/x/``)."""
    return location.split("#", 1)[0]


def merged_search_docs(
    order: list[tuple[str, str]], rendered: set[str], fresh: list[dict[str, Any]], kept: dict[str, PageState]
) -> list[dict[str, Any]]:
    """The search entries of the whole site, in the order a full build writes them.

    ``order`` lists every page as ``(source, url)`` in build order; ``fresh`` are the entries
    the engine wrote for the pages this build ``rendered`` (their sources), ``kept`` the
    recorded states of the others.
    """
    by_page: dict[str, list[dict[str, Any]]] = {}
    for entry in fresh:
        by_page.setdefault(page_of(str(entry.get("location", ""))), []).append(entry)
    merged: list[dict[str, Any]] = []
    for src, url in order:
        if src in rendered:
            merged += by_page.get(url, [])
        elif src in kept:
            merged += kept[src].search
    return merged
