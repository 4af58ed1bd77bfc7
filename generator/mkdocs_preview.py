"""``mkdocs serve`` at the size of a province: the edited SOP's own page first.

After an edit, MkDocs rebuilds the whole site: it makes every file and page object and the
navigation again, and the pipeline keys every page, which with ten thousand SOPs takes over
ten seconds even when one page changes. When what the watcher saw change is only SOP
sources the portal already has, :class:`PageFirst` first makes those SOPs' own pages again,
each from its file alone (:meth:`generator.pipeline.portal.Portal.preview`) and with the last
build's navigation (:class:`ShownSite`), and lets the browser reload; the full rebuild
follows at once and reloads it again, with what the edit changes elsewhere (role pages,
lists, the catalogue files, search and downloads). Hugo's "fast render mode" does the same
for the pages being viewed.

Anything else (a new, renamed or deleted SOP, a source with new problems, a template,
``docs/``, ``mkdocs.yml``) takes the full rebuild straight away, as does any failure of the
page-first step.

MkDocs 1.x is no longer developed: this module uses its page-building functions
(``_populate_page``, ``_build_page``) and the live-reload server's rebuild flag as MkDocs
1.6 has them (pinned); ``tests/test_serve.py`` fails if they change.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.api import BaseObserver, ObservedWatch

from generator.pipeline.portal import PagePreview, Portal
from generator.sources.catalogue import display_name

log = logging.getLogger("mkdocs.plugins.sop_portal")


@dataclass(frozen=True)
class ShownSite:
    """What the last successful build of ``mkdocs serve`` made its pages with."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment
    pages: Sequence[File]
    """The documentation pages served (MkDocs hands them to every page's template)."""

    @classmethod
    def of(cls, config: MkDocsConfig, files: Files, nav: Navigation, env: jinja2.Environment) -> ShownSite:
        return cls(config, files, nav, env, files.documentation_pages(inclusion=InclusionLevel.is_in_serve))

    def remake_page(self, src: str, markdown: str) -> bool:
        """Convert and write the page of ``src`` again from ``markdown``, as the build did (every
        plugin's page events run); False when the site has no such page."""
        file = self.files.get_file_from_path(src)
        if file is None or file.page is None:
            return False
        file.content_string = markdown
        _populate_page(file.page, self.config, self.files)
        _build_page(file.page, self.config, self.pages, self.nav, self.env)
        return True


class SourceChanges(FileSystemEventHandler):
    """The files the server's watcher saw change since they were last taken, in every folder
    it watches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paths: set[str] = set()
        self._watches: set[ObservedWatch] = set()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        with self._lock:
            for path in (event.src_path, getattr(event, "dest_path", "")):
                if path:
                    self._paths.add(str(path))

    def follow(self, observer: BaseObserver) -> bool:
        """Hear every folder ``observer`` watches; True when one was new to this (what
        changed there before is unknown)."""
        new = False
        for emitter in list(observer.emitters):
            if emitter.watch not in self._watches:
                observer.add_handler_for_watch(self, emitter.watch)
                self._watches.add(emitter.watch)
                new = True
        return new

    def take(self) -> set[Path]:
        with self._lock:
            paths, self._paths = self._paths, set()
        return {Path(path) for path in paths}


def edited_sources(changed: set[Path], portal: Portal) -> list[Path] | None:
    """The SOP files among ``changed`` when nothing else changed (``None`` otherwise): each an
    existing file the portal has an SOP from. A file that is gone and was none of them (an
    editor's temporary file) is left out."""
    known = {sop.source for sop in portal.catalogue.sops}
    edited = []
    for path in sorted(changed):
        name = display_name(path, portal.settings.root)
        if path.is_file() and name in known:
            edited.append(path)
        elif path.exists() or name in known:
            return None
    return edited or None


class PageFirst:
    """The server's builder, making the edited SOPs' pages before the full rebuild (see the
    module's text). ``shown`` gives the portal and the site the last build showed (``None``:
    none to build on, e.g. the sources have errors); ``previewed`` is told each page made."""

    def __init__(
        self,
        server: LiveReloadServer,
        rebuild: Callable[[], None],
        shown: Callable[[], tuple[Portal, ShownSite] | None],
        previewed: Callable[[PagePreview], None],
    ) -> None:
        self.server = server
        self.rebuild = rebuild
        self.shown = shown
        self.previewed = previewed
        self.changes = SourceChanges()
        self.changes.follow(server.observer)
        self.follow_up = False
        """The next rebuild follows pages made first."""
        self.following = False
        """The rebuild under way follows pages made first (their edit is shown already)."""
        self.calls = 0
        """How many times the server has called this builder."""

    def changes_after(self) -> Callable[[], bool]:
        """A test of whether a change came after the build under way: the watcher saw one, or
        a later build has begun (something made after this build gives way to it)."""
        calls = self.calls
        return lambda: self.server._want_rebuild or self.calls != calls

    def __call__(self) -> None:
        self.calls += 1
        unheard = self.changes.follow(self.server.observer)  # (folders watched since)
        changed = self.changes.take()
        if self.follow_up or unheard or not self._pages_first(changed):
            self.following, self.follow_up = self.follow_up, False
            try:
                self.rebuild()
            finally:
                self.following = False
            return
        self.follow_up = True
        with self.server._rebuild_cond:  # the full rebuild, as soon as the browser is told to reload
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()

    def _pages_first(self, changed: set[Path]) -> bool:
        shown = self.shown()
        if shown is None:
            return False
        portal, site = shown
        edited = edited_sources(changed, portal)
        if edited is None:
            return False
        try:
            previews = [portal.preview(path) for path in edited]
            if any(preview is None for preview in previews):
                return False
            for preview in previews:
                assert preview is not None
                self.previewed(preview)
                if not site.remake_page(preview.src, preview.markdown):
                    return False
        except Exception as exc:  # (the full rebuild makes the page, or says what is wrong)
            log.debug(f"Portal SOP: halaman suntingan tidak dibuat lebih dulu ({exc!r})")
            return False
        pages = ", ".join(preview.src for preview in previews if preview is not None)
        log.info(f"Portal SOP: {pages} diperbarui lebih dulu; halaman lain menyusul")
        return True
