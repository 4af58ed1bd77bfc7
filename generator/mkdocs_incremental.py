"""MkDocs glue of an incremental ``make site``: which pages and files MkDocs makes again.

``python -m generator build`` publishes a new folder on every build (atomically, see
:mod:`generator.pipeline.publish`). With the state the last build of that folder recorded
(:mod:`generator.pipeline.incremental`), MkDocs builds into the new, empty folder in its
"dirty" mode, told by :class:`SiteBuild` which files are modified: those whose inputs
changed, and the pages that show what changed of another page (the navigation shows titles,
role pages list tagged SOPs). Every other file is hard-linked from the published site, and
the search index gets the kept entries of the pages not rendered, so the new site is, file
for file, what a full build makes. A full build records the state for the next one.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, MutableMapping
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_markdown_title, meta

from generator.pipeline.incremental import (
    PageState,
    SiteState,
    fingerprint,
    link_unchanged,
    merged_search_docs,
    page_of,
)
from generator.pipeline.portal import GeneratedFile

LISTING = "<!-- material/tags"
"""A page holding a tags listing (a role page): it lists the titles of the pages tagged."""

TOOLS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "pyyaml")
"""Packages whose version shapes every page."""

GLUE = (Path(__file__), Path(__file__).with_name("mkdocs_plugin.py"))
"""The code that hands the pages to MkDocs: a change to it rebuilds every page."""

DIRTY_NOTICE = "A 'dirty' build is being performed"
"""MkDocs' warning for ``build --dirty``: an incremental build is exact, so it is not said
(and does not fail a ``--strict`` build)."""

SEARCH_INDEX = Path("search") / "search_index.json"
"""Where Material's search plugin writes the index (before the portal adds to it)."""


class _QuietDirty(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_NOTICE)


def _env_names(config_text: str) -> list[str]:
    """The environment variables ``mkdocs.yml`` reads (``!ENV NAME`` / ``!ENV [NAME, ...]``)."""
    return sorted(set(re.findall(r"!ENV\s*\[?\s*([A-Za-z_][A-Za-z0-9_]*)", config_text)))


def _tree_bytes(folder: Path, pattern: str) -> list[tuple[str, bytes]]:
    if not folder.is_dir():
        return []
    return [(p.relative_to(folder).as_posix(), p.read_bytes()) for p in sorted(folder.rglob(pattern)) if p.is_file()]


def _versions() -> list[tuple[str, str]]:
    found = []
    for name in TOOLS:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, ""))
    return found


def site_key(config: MkDocsConfig) -> str:
    """Everything that shapes every page: the configuration as written and the environment it
    reads, the filled navigation, the Markdown extensions' settings (the glossary), the theme's
    templates, the hand-written pages (snippets may include any of them), the tools' versions
    and this glue."""
    config_file = Path(config.config_file_path)
    text = config_file.read_text(encoding="utf-8")
    custom = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    return fingerprint(
        text,
        [(name, os.environ.get(name)) for name in _env_names(text)],
        repr(config.nav),
        json.dumps(config.mdx_configs, sort_keys=True, default=repr),
        list(config.markdown_extensions),
        config.site_url,
        config.use_directory_urls,
        _tree_bytes(custom, "*.html") if custom else [],
        _tree_bytes(Path(config.docs_dir), "*"),
        _versions(),
        [path.read_bytes() for path in GLUE],
        sys.version_info[:2],
    )


def _modified() -> bool:
    return True


def _unmodified() -> bool:
    """(One function for every unchanged file, and :func:`_modified` for every changed one, not
    a closure per file: a build of ten thousand SOPs has some hundred thousand files.)"""
    return False


def _predicted(content: str) -> tuple[str | None, list[str]]:
    """The title and tags a page's Markdown will give it (front matter, else its first heading)."""
    markdown, data = meta.get_data(content)
    title = data.get("title") or get_markdown_title(markdown)
    return title, [str(tag) for tag in data.get("tags") or []]


class SiteBuild:
    """One build of a site folder by ``python -m generator build``: with ``previous`` (the state
    of the site it replaces), MkDocs makes only what changed; either way it records the state."""

    def __init__(self, previous: SiteState | None, published: Path | None = None) -> None:
        self.previous = previous
        self.published = published
        """The site folder this build replaces (where unchanged files are linked from)."""
        self.linked = 0
        """How many unchanged files were linked from :attr:`published`."""
        self._linking: threading.Thread | None = None
        self.keys: dict[str, str] = {}
        """Per published file (site path), the key of its inputs."""
        self.modified: set[str] = set()
        """The site paths MkDocs makes in this build."""
        self.key = ""
        """:func:`site_key` of this build."""
        self.pages: dict[str, PageState] = {}
        """Per page source, what this build records of it (made now, or kept from the last build)."""
        self.order: list[tuple[str, str]] = []
        """Every page as (source, URL), in the order MkDocs builds them."""
        self.rendered: set[str] = set()
        """The page sources MkDocs made in this build."""
        self.contents: dict[str, str] = {}
        """Page sources' Markdown as MkDocs reads it, by source (generated pages)."""
        self.later: dict[str, str] = {}
        """Per download the plugin puts into the site after MkDocs (made beside the pages), its key."""
        self.stale = ""
        """Why the recorded state could not make this build exact (it is then made whole)."""

    @property
    def everything(self) -> bool:
        """True when every file is made (no usable state: a full build)."""
        return self.previous is None or self.previous.key != self.key

    # -- on_files: the key of every file, and which are modified ------------------------------

    def mark_files(
        self,
        files: Files,
        config: MkDocsConfig,
        generated: Iterable[GeneratedFile],
        fill: Callable[[str, str], str],
        *,
        made_later: bool = True,
    ) -> None:
        """Key every file by its inputs and tell MkDocs which changed (``fill``: the plugin's
        filling of a hand-written page, whose key includes what it fills in). A deferred
        download is put into the site by the plugin, not by MkDocs nor by linking: it is
        recorded when ``made_later`` (the build makes it), else left out (it is not made)."""
        made = {g.path: g for g in generated}
        self.key = site_key(config)
        for file in files:
            output = made.get(file.src_uri)
            if output is not None and output.deferred:
                if made_later:
                    self.later[file.dest_uri] = self._file_key(file, output, fill)
                continue
            self.keys[file.dest_uri] = self._file_key(file, output, fill)
            if file.is_documentation_page() and output is not None and output.source is None:
                self.contents[file.src_uri] = str(output.content)
        old = {} if self.everything or self.previous is None else self.previous.files
        self.modified = {dest for dest, key in self.keys.items() if old.get(dest) != key}
        for file in files:
            file.is_modified = _modified if file.dest_uri in self.modified else _unmodified  # type: ignore[method-assign]

    @staticmethod
    def _file_key(file: File, generated: GeneratedFile | None, fill: Callable[[str, str], str]) -> str:
        if generated is not None:
            if generated.source is not None and not generated.fragments:  # its cache file names its content
                return f"cache:{generated.source}"
            if generated.source is not None:  # a page in the page cache, and what goes in at its markers
                fragments = [text for pair in generated.fragments for text in pair]
                return fingerprint(f"cache:{generated.source}", len(fragments), *fragments)
            fragments = [text for pair in generated.fragments for text in pair]
            return fingerprint(generated.content, len(fragments), *fragments)
        source = Path(file.abs_src_path or "")
        if file.is_documentation_page():
            text = source.read_text(encoding="utf-8")
            return fingerprint(text, fill(text, file.src_uri))
        info = source.stat()
        return fingerprint(str(source), info.st_size, info.st_mtime_ns)

    # -- on_nav: pages that show what changed of another page --------------------------------

    def follow_shown(self, nav: Navigation, files: Files, config: MkDocsConfig) -> None:
        """A page whose title or tags change changes what other pages show of it: the
        navigation (every page: all are made) or the role pages' listings (those are made).
        Then, while MkDocs makes the rest, the unchanged files are linked in."""
        if self.everything or self.previous is None:
            return
        self._follow_titles_and_tags(nav, files)
        self._start_linking(Path(config.site_dir))

    def _follow_titles_and_tags(self, nav: Navigation, files: Files) -> None:
        assert self.previous is not None
        in_nav = {page.file.src_uri for page in nav.pages}
        kept = self.previous.pages
        changed_tags = False
        sources = {file.src_uri for file in files.documentation_pages()}
        for file in files.documentation_pages():
            if file.dest_uri not in self.modified:
                continue
            before = kept.get(file.src_uri)
            title, tags = _predicted(self.contents.get(file.src_uri) or file.content_string)
            if before is None or before.title != title:
                if file.src_uri in in_nav:
                    self._make_all(files)
                    return
                changed_tags |= bool(tags or (before and before.tags))
            elif before.tags != tags:
                changed_tags = True
        changed_tags |= any(state.tags for src, state in kept.items() if src not in sources)  # removed pages
        if changed_tags:
            listed = {src for src, state in kept.items() if state.listing}
            for file in files.documentation_pages():
                if file.src_uri in listed:
                    self._modify(file)

    def _start_linking(self, staging: Path) -> None:
        """Link every unchanged file from the published site into ``staging`` on a thread of its
        own (file-system calls: it runs beside MkDocs, which writes only the modified files,
        and MkDocs' own outputs (sitemap, search index) are no files of the record)."""
        published = self.published
        if published is None or self.everything:
            return
        paths = sorted(set(self.keys) - self.modified)

        def link() -> None:
            try:
                self.linked = link_unchanged(published, staging, paths)
            except OSError as exc:
                self.stale = f"the published site lacks a file ({exc})"

        self._linking = threading.Thread(target=link, name="sop-tautan", daemon=True)
        self._linking.start()

    def finish_linking(self) -> None:
        """Wait for the linking (see :meth:`_start_linking`) to be done."""
        if self._linking is not None:
            self._linking.join()
            self._linking = None

    def _modify(self, file: File) -> None:
        self.modified.add(file.dest_uri)
        file.is_modified = _modified  # type: ignore[method-assign]

    def _make_all(self, files: Files) -> None:
        for file in files:
            self._modify(file)

    # -- on_env: the pages not made, as other pages see them ---------------------------------

    def fill_unbuilt(self, files: Files, config: MkDocsConfig) -> None:
        """Give each page MkDocs did not read its front matter and recorded title, and show it
        to the plugins that gather from every page (the tags plugin's mappings and listings)."""
        pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
        self.order = [(file.src_uri, file.page.url) for file in pages if file.page]
        if self.everything or self.previous is None:
            return
        for src, _url in self.order:
            page = files.get_file_from_path(src).page  # type: ignore[union-attr]
            assert page is not None
            if page.markdown is not None:
                continue
            before = self.previous.pages.get(src)
            if before is None:
                self.stale = f"{src} is not recorded"
                return
            if before.meta is not None and not before.listing:
                # What the plugins take from a page not made is its front matter (the tags
                # plugin its tags), as the last build read it: the page is unchanged.
                page.markdown, page.meta = "", before.meta
            else:  # (a listing's markers are in its Markdown)
                page.read_source(config)
            page.title = before.title
            config.plugins.on_page_markdown(page.markdown or "", page=page, config=config, files=files)
            page.content = ""  # (a listing on it is filled in by nobody: the page is not made)
        self._gathered_in_page_order(config)

    def _gathered_in_page_order(self, config: MkDocsConfig) -> None:
        """Put what the tags plugin gathered from each page in page order, as a full build (which
        reads every page in that order) has it: the pages made were read before the others."""
        rank = {url: number for number, (_src, url) in enumerate(self.order)}
        for plugin in config.plugins.values():
            gathered = getattr(getattr(plugin, "mappings", None), "data", None)
            if isinstance(gathered, dict):
                ordered = sorted(gathered.items(), key=lambda item: rank.get(item[0], len(rank)))
                gathered.clear()
                gathered.update(ordered)

    # -- on_post_page / on_post_build: what this build made ------------------------------------

    def record_page(self, page: Page) -> None:
        """Note what other pages take from a page this build made (and check the prediction)."""
        src = page.file.src_uri
        tags = [str(tag) for tag in page.meta.get("tags") or []]
        before = None if self.everything or self.previous is None else self.previous.pages.get(src)
        if before is not None and (before.title != page.title or before.tags != tags):
            predicted = _predicted(self.contents.get(src) or page.file.content_string)
            if predicted != (page.title, tags):
                self.stale = f"{src}: its title or tags are not what its source predicted"
        listing = LISTING in (self.contents.get(src) or page.file.content_string)
        self.pages[src] = PageState(page.url, page.title, tags, listing=listing, meta=_as_recorded(page.meta))
        self.rendered.add(src)

    def merge_search(self, site_dir: Path) -> dict[str, Any] | None:
        """Complete the search index the engine wrote (entries of the pages made) with the kept
        entries of the others, in full-build order, and record each page's entries. Returns
        the whole index (``None``: the engine wrote none); the file is left as the engine
        wrote it, for the caller to replace."""
        kept = {} if self.previous is None else self.previous.pages
        for src, _url in self.order:
            if src not in self.rendered and src in kept:
                self.pages[src] = kept[src]
        try:
            index: dict[str, Any] = json.loads((site_dir / SEARCH_INDEX).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        fresh = index.get("docs", [])
        made = {url: src for src, url in self.order if src in self.rendered}
        for entry in fresh:
            owner = made.get(page_of(str(entry.get("location", ""))))
            if owner is not None:
                self.pages[owner].search.append(entry)
        if not self.everything:
            index["docs"] = merged_search_docs(self.order, self.rendered, fresh, kept)
        return index

    def state(self) -> SiteState:
        pages = {src: self.pages[src] for src, _ in self.order if src in self.pages}
        return SiteState(self.key, {**self.keys, **self.later}, pages)


def _as_recorded(front_matter: MutableMapping[str, Any]) -> dict[str, Any] | None:
    """A page's front matter as a record keeps it (JSON), or ``None`` when JSON would not give
    it back as it is (a date, a number key)."""
    try:
        kept: dict[str, Any] = json.loads(json.dumps(front_matter))
    except (TypeError, ValueError):
        return None
    return kept if kept == front_matter else None


def quiet_dirty_notice() -> Callable[[], None]:
    """Keep MkDocs' warning about dirty builds unsaid; returns what undoes it."""
    quiet = _QuietDirty()
    logger = logging.getLogger("mkdocs.commands.build")
    logger.addFilter(quiet)
    return lambda: logger.removeFilter(quiet)
