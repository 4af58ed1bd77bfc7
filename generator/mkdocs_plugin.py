"""MkDocs glue: runs the engine-neutral pipeline and hands its files to MkDocs.

This module and :mod:`generator.mkdocs_incremental` (which of the files a build makes again)
are the only ones of the generator that import MkDocs. Each event does one
thing and delegates to :class:`generator.portal.Portal`.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents
from mkdocs.utils.templates import TemplateContext
from mkdocs.utils.yaml import yaml_load

from generator.mkdocs_incremental import LISTING, SiteBuild, quiet_dirty_notice
from generator.mkdocs_preview import PageFirst, ShownSite
from generator.model.problems import PortalError
from generator.pipeline.cache import compiled_templates
from generator.pipeline.incremental import SiteState, load_state, save_state
from generator.pipeline.memory import long_lived, released, settled
from generator.pipeline.portal import PagePreview, Portal, PortalSettings
from generator.pipeline.publish import publish
from generator.print.printing import PAPERS
from generator.settings import ConfigError, portal_settings
from generator.sources.catalogue import forget_parsed
from generator.sources.files import os_error_text
from generator.web.pages import nav_entries
from generator.web.search import SEARCH_INDEX

log = logging.getLogger("mkdocs.plugins.sop_portal")

PLUGIN_NAME = "sop-portal"
"""The plugin's name in ``mkdocs.yml`` (its entry point)."""


class SopPortalConfig(base.Config):
    """Options of the ``sop-portal`` plugin in ``mkdocs.yml``."""

    sources = c.Type(str, default="sop_sources")
    """Folder of the SOP sources, relative to ``mkdocs.yml``."""
    section = c.Type(str, default="sop")
    """Folder and URL prefix of the generated SOP pages."""
    templates = c.Type(str, default="overrides/sop")
    """Folder whose templates replace the generator's own (missing folder: none replaced)."""
    paper = c.Choice(PAPERS, default="A4")
    """Paper of the official sheet (landscape) and the checklist (portrait): A4 or F4."""
    steps_per_page = c.Optional(c.Type(int))
    """Most rows per procedure page of the official sheet (an SOP may set its own); unset, a
    page takes as many rows as fit, as the signed paper does."""
    logos = c.DictOfItems(c.Type(str), default={})
    """Letterhead logo per instansi or pemerintah, as written in the sources: file path."""
    tte_p12 = c.Optional(c.Type(str))
    """PKCS#12 certificate to sign the official sheets with (or env SOP_TTE_P12)."""
    tte_password_env = c.Type(str, default="SOP_TTE_PASSWORD")
    """Environment variable holding the certificate's password (never put it in mkdocs.yml)."""
    jobs = c.Type(int, default=0)
    """Worker processes for diagrams, PDFs and workbooks (0: one per core; env SOP_JOBS overrides)."""
    cache = c.Type(bool, default=True)
    """Reuse unchanged artifacts from .cache/ (env SOP_NO_CACHE=1 turns it off)."""


def _nav_placeholder(nav: list[Any], target: str) -> int | None:
    for i, entry in enumerate(nav):
        if isinstance(entry, dict) and len(entry) == 1 and next(iter(entry.values())) == target:
            return i
    return None


def _explained_abbreviations(config: MkDocsConfig, portal: Portal) -> None:
    """Hand the glossary of ``portal.yaml`` to Python-Markdown's ``abbr`` extension (when
    ``mkdocs.yml`` enables it), so every page, generated or written by hand, explains the
    abbreviations where they appear. The HTML parts of the SOP pages (step table and cards)
    are explained by the generator itself (the ``abbr`` filter of the templates)."""
    names = {"abbr", "markdown.extensions.abbr"}
    enabled = [e for e in config.markdown_extensions if isinstance(e, str) and e in names]
    if not enabled:
        return
    meanings = {spelling: term.arti for spelling, term in portal.catalogue.shared.glossary_by_spelling.items()}
    for name in enabled:
        settings = config.mdx_configs.setdefault(name, {})
        settings["glossary"] = {**meanings, **settings.get("glossary", {})}  # mkdocs.yml's own win


def filled_nav(nav: list[Any], portal: Portal) -> list[Any]:
    """``nav`` with each generated section's placeholder (``sop/``, ``jabatan/``, ...)
    replaced by its pages (also used by the benchmark's MkDocs-alone baseline)."""
    nav = list(nav)
    sections = {f"{portal.settings.layout.section}/": nav_entries(portal.catalogue, portal.settings.layout)}
    sections.update(portal.view_pages.nav())
    for target, entries in sections.items():
        index = _nav_placeholder(nav, target)
        if index is not None:
            title = next(iter(nav[index]))
            nav[index] = {title: entries}
    return nav


def nav_sources(nav: Any) -> set[str]:
    """Every page source named in a ``nav``."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(nav_sources(value) for value in nav.values()))
    if isinstance(nav, list):
        return set().union(*(nav_sources(item) for item in nav))
    return set()


def _configured_site_url(config: MkDocsConfig) -> str:
    """The site_url written in mkdocs.yml. `mkdocs serve` replaces it with its own local
    address, which must not end up in the QR codes (nor make every PDF differ from the
    ones `mkdocs build` made and cached)."""
    try:
        with open(config.config_file_path, encoding="utf-8") as handle:
            data = yaml_load(handle)
    except Exception:  # an unreadable file has already been reported by MkDocs itself
        return ""
    value = data.get("site_url") if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


def _unchanged() -> bool:
    return False


IDLE_SECONDS = 2.0
"""While serving: how long after a build (with no downloads to make) its garbage is collected,
so that the collection does not hold up the browser fetching the page just rebuilt."""


def _collect_between_builds() -> None:
    """Collect the last build's garbage now, while the maintainer reads the page, and freeze
    what survives (the portal, the remembered pages and keys) out of the collector's sight.

    Python's full collections scan every object; with a thousand SOPs loaded that is
    0.8 s, and one fell inside most rebuilds. Frozen objects are not scanned. What a rebuild
    drops is unfrozen and collected here, after it, so memory stays where it was.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _idle(seconds: float, waiting: Callable[[], bool]) -> bool:
    """Wait ``seconds`` unless a change is ``waiting`` to be built; True when none is."""
    deadline = time.monotonic() + seconds
    while not waiting():
        if time.monotonic() >= deadline:
            return True
        time.sleep(0.05)
    return False


def _never() -> bool:
    return False


def _copy_unless_dirty(copy: Callable[[bool], None], dirty: bool = False) -> None:
    """``File.copy_file`` of an artifact a build has copied: a dirty rebuild has nothing to
    do for it (ten thousand of them, each asked and logged about by MkDocs, cost a rebuild
    a few tenths of a second); a clean one copies it as before."""
    if not dirty:
        copy(dirty)


def _installed_theme_copied(files: Files, config: MkDocsConfig) -> None:
    """While serving, after the first build: the installed theme's own files (Material's
    scripts, styles, fonts: a thousand of them) are where that build copied them and cannot
    have changed, so a dirty rebuild skips them instead of comparing each one's times on
    disk. Files of the project's own theme folder (``overrides/``) and ``docs/`` are still
    compared: a maintainer may be editing them."""
    custom = config.theme.custom_dir
    installed = tuple(os.path.join(folder, "") for folder in config.theme.dirs if folder != custom)
    for file in files:
        source = file.abs_src_path
        if source and not file.is_documentation_page() and source.startswith(installed):
            file.copy_file = partial(_copy_unless_dirty, file.copy_file)  # type: ignore[method-assign]


BENCH_WITHOUT_DOWNLOADS = "SOP_BENCH_NO_DOWNLOADS"
"""Benchmark only (``benchmarks.run --no-downloads``): build the pages and diagrams of a corpus
too large to print in the time at hand, leaving its PDFs, Word sheets and workbooks unmade
(the pages still link to them). Measures what grows with the portal in one process (loading,
pages, MkDocs, memory); the downloads are made by worker processes whose memory does not."""


def _without_downloads() -> bool:
    return os.environ.get(BENCH_WITHOUT_DOWNLOADS) == "1"


def _published_later(config: MkDocsConfig, path: str) -> File:
    """A download the pages link to, made once they are shown (see ``on_post_build``): MkDocs
    knows it is there (so a page's link to it is no broken link) but does not write it."""
    file = File.generated(config, path, content=b"")
    file.is_modified = _unchanged  # type: ignore[method-assign]
    file.copy_file = _not_copied  # type: ignore[method-assign]
    return file


_NO_TOC = TableOfContents([])
"""The table of contents of a page once written (by a build: no later page shows it)."""


def _not_copied(dirty: bool = False) -> None:
    """A download published later is not copied by MkDocs (one function for all of them: a
    build without downloads has tens of thousands)."""


def _removed(site: Path, paths: set[str]) -> None:
    """Remove from the served ``site`` what an earlier rebuild generated and this one no longer
    does (an SOP whose id changed, or that was deleted: its page and its PDFs), and the folders
    left empty. ``mkdocs serve --dirty`` writes over the old site and removes nothing, so the
    old address would go on answering with the old page and PDF."""
    for path in sorted(paths):
        target = site / path
        if not target.resolve().is_relative_to(site.resolve()):
            continue  # (generated paths lie in the site; this keeps a removal there too)
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != site and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _copy_into(site: Path, path: str, cached: Path) -> None:
    """Put a download made after MkDocs copied the site's files at ``path`` in ``site``."""
    target = site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, target)


class _Downloads:
    """A build's new PDFs, Word sheets and workbooks (the cache lacked them), made on worker
    processes while MkDocs makes the pages (:meth:`Portal.render_deferred` on a thread that
    mostly waits for the workers), and put into the site once MkDocs is done with it."""

    def __init__(self, portal: Portal) -> None:
        self.made: list[tuple[str, Path]] = []
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._render, args=(portal,), name="sop-unduhan", daemon=True)
        self._thread.start()

    def _render(self, portal: Portal) -> None:
        try:
            portal.render_deferred(lambda path, cached: self.made.append((path, cached)))
        except BaseException as exc:  # raised again on the build's own thread, by publish()
            self.error = exc

    def wait(self) -> None:
        """Until every download is made (or one failed)."""
        self._thread.join()

    def publish(self, site: Path) -> None:
        """Wait for the downloads, then copy them into ``site``; a failed one fails the build."""
        self.wait()
        if isinstance(self.error, PortalError):
            raise PluginError(f"artefak SOP tidak dapat dibuat: {self.error}") from self.error
        if self.error is not None:
            raise self.error
        for path, cached in self.made:
            _copy_into(site, path, cached)


class _HtmlSpool:
    """A build's pages' HTML between MkDocs converting them and writing them: on disk.

    MkDocs converts every page before it writes the first (each page's menu shows every
    title) and keeps each page's Markdown and HTML meanwhile: ten thousand SOP pages held
    twice over. Once a page is converted, the plugin lets its Markdown go (its title is kept)
    and puts its HTML in an unnamed temporary file beside the site, read back just before the
    page is written (see ``on_page_content`` and ``on_page_context``); the same for the
    finished HTML that goes in at its markers (a diagram), from ``on_files`` to
    ``on_post_page``."""

    def __init__(self, site_dir: Path) -> None:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        self._file = tempfile.TemporaryFile(dir=site_dir.parent, prefix=".sop-html-")  # noqa: SIM115 (closed by close())
        self._where: dict[str, tuple[int, int]] = {}

    def put(self, key: str, text: str) -> None:
        data = text.encode("utf-8", "surrogatepass")
        self._file.seek(0, os.SEEK_END)
        self._where[key] = (self._file.tell(), len(data))
        self._file.write(data)

    def put_fragments(self, src: str, fragments: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        """Put a page's fragments (see :attr:`GeneratedFile.fragments`), each under
        ``<src>\\0<index>``; returns their markers, each with an empty fragment."""
        for index, (_marker, fragment) in enumerate(fragments):
            self.put(f"{src}\0{index}", fragment)
        return tuple((marker, "") for marker, _fragment in fragments)

    def take(self, key: str) -> str | None:
        """The HTML put under ``key`` (``None``: none is)."""
        where = self._where.pop(key, None)
        if where is None:
            return None
        self._file.seek(where[0])
        return self._file.read(where[1]).decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self._file.close()


def _index_and_cache(portal: Portal, site: Path, waiting: Callable[[], bool] = _never) -> None:
    """While serving, once a rebuild's pages are shown: write its search index (unless a
    change is ``waiting``: the next build writes it) and store its pages in the page cache."""
    if not waiting():
        try:
            portal.enrich_search_index(site)
        except (OSError, ValueError) as exc:  # (the next rebuild writes it again)
            log.warning(f"Portal SOP: indeks pencarian tidak dapat ditulis ({exc})")
    try:
        portal.save_pages()
    except OSError as exc:  # the next build makes them again: nothing is lost
        log.warning(f"Portal SOP: halaman tidak dapat disimpan di cache ({os_error_text(exc)})")


def _downloads_then_collection(portal: Portal, site: Path, waiting: Callable[[], bool] = _never) -> None:
    """While serving: make the PDFs and workbooks of what changed straight into the served
    folder (and the cache, where the next rebuild finds them), then collect the rebuild's
    garbage, when no change is ``waiting``: a full collection of a province's portal holds
    the interpreter for seconds, and the page of a save made meanwhile would wait for it."""
    if _without_downloads():  # (a benchmark's serving session: the downloads are never made)
        portal.deferred = []
    if not portal.deferred:
        if _idle(IDLE_SECONDS, waiting):
            _collect_between_builds()
        return
    try:
        count = portal.render_deferred(partial(_copy_into, site))
    except PortalError as exc:
        log.error(f"artefak SOP tidak dapat dibuat: {exc}")
    else:
        log.info(f"Portal SOP: {count} berkas unduhan (PDF, xlsx) dibuat setelah halamannya tampil")
    if not waiting():
        _collect_between_builds()


def _after_build(portal: Portal, site: Path, waiting: Callable[[], bool]) -> None:
    """While serving, once a rebuild's pages are shown, what waited for them (on a thread,
    while the maintainer reads); what a ``waiting`` change makes again is left to its build.
    The search index is written first: an edit shows on its page before search finds it."""
    _index_and_cache(portal, site, waiting)
    _downloads_then_collection(portal, site, waiting)


def _search_entries_released(config: MkDocsConfig) -> None:
    """Once Material's search plugin has written its index (the portal reads it from there),
    let go of the entries it gathered from every page (a build's last minutes would otherwise
    hold the text of every page twice: there and as read back)."""
    for plugin in config.plugins.values():
        entries = getattr(getattr(plugin, "search_index", None), "entries", None)
        if isinstance(entries, list):
            entries.clear()


IFRAME_WORKER = "assets/javascripts/iframe-worker.js"
"""The Web Worker shim for ``file://`` pages, vendored in ``overrides/`` (Material's offline
plugin would load it from a CDN)."""


def _vendored_polyfills(config: MkDocsConfig) -> None:
    """Point the offline plugin's iframe-worker shim at the copy in the theme, so that a
    portal opened from disk loads nothing from the network."""
    polyfills = config.extra.get("polyfills")
    if isinstance(polyfills, list):
        config.extra["polyfills"] = [
            IFRAME_WORKER if isinstance(url, str) and "iframe-worker" in url and "://" in url else url
            for url in polyfills
        ]


class StrictWarnings(logging.Handler):
    """The warnings of a ``--strict`` build, so that its failure says which they were, in
    Indonesian (MkDocs itself only says "Aborted with 1 warnings in strict mode!")."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.WARNING:
            self.records.append(record.getMessage().splitlines()[0] if record.getMessage() else "")

    def start(self) -> None:
        logging.getLogger("mkdocs").addHandler(self)

    def stop(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self)

    def clear(self) -> None:
        self.records.clear()

    def summary(self) -> str:
        """The failure in words, each warning on its own line."""
        lines = [
            f"Build ketat (--strict) dihentikan: {len(self.records)} peringatan dianggap galat, "
            "situs tidak dibangun dan situs sebelumnya tidak diubah:"
        ]
        lines += [f"  - {text}" for text in self.records]
        lines.append(
            "  perbaikan: perbaiki setiap peringatan di atas (pesan lengkapnya tercetak lebih atas), "
            "atau bangun tanpa --strict (`make site`)"
        )
        return "\n".join(lines)


class SopPortalPlugin(BasePlugin[SopPortalConfig]):
    """Adds one page per SOP, the grouped SOP list, the catalogue JSON and the schema."""

    portal: Portal | None = None
    last_good: Portal | None = None
    """While serving: the last portal whose sources had no errors (shown while they have)."""
    fragments: dict[str, tuple[tuple[str, str], ...]]
    """Per page source, the finished HTML to put in at its markers (see ``on_post_page``)."""
    built_once = False
    """While serving: a first, complete build has been made."""
    shown_errors: tuple[str, ...] = ()
    """While serving: the errors the pages built last show in their bar."""
    warnings: StrictWarnings
    prepared: Portal | None = None
    """A portal the CLI has already loaded for this build (see :func:`build_site`)."""
    site_build: SiteBuild | None = None
    """A build by the CLI (see :func:`build_site`): which files it makes, what it records."""
    downloads: _Downloads | None = None
    """The build's downloads being made beside its pages (see :class:`_Downloads`)."""
    spool: _HtmlSpool | None = None
    """A build's converted pages' HTML until each is written (see :class:`_HtmlSpool`)."""
    serving = False
    shown_site: ShownSite | None = None
    """While serving: what the last successful build made its pages with (see
    :mod:`generator.mkdocs_preview`)."""
    page_first: PageFirst | None = None
    """While serving: the server's builder (see :mod:`generator.mkdocs_preview`)."""
    _building: tuple[Files, Navigation] | None = None

    def __init__(self) -> None:
        super().__init__()
        self.warnings = StrictWarnings()
        self.fragments = {}
        self.artifact_files: dict[tuple[str, str, str], File] = {}
        """While serving: the File of each cached artifact, by site path, cache file and site."""
        self.live_pages: dict[str, tuple[object, ...]] = {}
        """While serving: each generated page's or file's text (and fragments) as the last build made it."""
        self._made_pages: dict[str, tuple[object, ...]] = {}
        """The same, of the build under way (they become :attr:`live_pages` once it is done)."""
        self._logged: set[str] = set()
        """The problems and notices the last build logged (while serving, only new ones are)."""
        self.published: set[str] = set()
        """While serving: the site paths the last build generated (pages, catalogue, downloads)."""
        self._publishing: tuple[set[str], set[str]] = (set(), set())
        """The build under way: the site paths it generates, and those of all its files."""
        self._listings: set[str] = set()
        """The pages holding a tags listing (filled in their HTML once every page is read)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.warnings.clear()
        if config.strict:
            self.warnings.start()
        root = Path(config.config_file_path).parent
        site_url = _configured_site_url(config) if self.serving else (config.site_url or "")
        try:
            settings = portal_settings(
                root,
                self.config,
                site_url=site_url,
                directory_urls=config.use_directory_urls,
                docs_dir=Path(config.docs_dir),
            )
        except ConfigError as exc:
            raise PluginError(str(exc)) from exc
        prepared, self.prepared = self.prepared, None
        # `python -m generator build` has already loaded and checked the sources with the
        # same settings: take its catalogue instead of validating everything twice.
        portal = prepared if prepared is not None and prepared.settings == settings else None
        if portal is None:
            with long_lived():  # the catalogue and its indexes live through the build
                portal = Portal(settings, progress=log.info)
                portal.problems  # noqa: B018 (the checks across SOPs, made while paused too)
                if not self.serving:  # (serving: the next rebuild reuses what was parsed)
                    forget_parsed()
        shown = self._logged
        self._logged = set()
        repeated = 0
        for problem in portal.problems:
            text = problem.format()
            self._logged.add(text)
            if self.serving and not problem.is_error and text in shown:
                repeated += 1  # said at the last build: the terminal shows what an edit changed
                continue
            # Information (a Tidak the paper leaves open) is no fault: --strict does not count it.
            (log.error if problem.is_error else log.warning if problem.is_warning else log.info)(text)
        config.extra["sop_source_errors"] = []
        if not portal.ok:
            errors = [p for p in portal.problems if p.is_error]
            last_good = self.last_good if self.serving else None
            if last_good is None or last_good.settings != settings:
                raise PluginError(
                    f"{len(errors)} galat pada sumber SOP (lihat pesan di atas); situs tidak dibangun dan "
                    "situs sebelumnya tidak diubah."
                )
            # `mkdocs serve`: keep showing the last good portal (MkDocs would leave every
            # request hanging until the error is fixed), with the errors on every page.
            log.warning(
                f"{len(errors)} galat pada sumber SOP (lihat pesan di atas); pratinjau tetap "
                "menampilkan versi terakhir yang benar sampai galatnya diperbaiki."
            )
            config.extra["sop_source_errors"] = [p.format().splitlines()[0] for p in errors]
            portal = last_good
        elif self.serving:
            self.last_good = portal
        self.portal = portal
        _vendored_polyfills(config)
        _explained_abbreviations(config, portal)
        for notice in portal.review_notices:  # information, so that --strict builds still publish
            text = notice.format().splitlines()[0]
            self._logged.add(text)
            if self.serving and text in shown:
                repeated += 1
                continue
            log.info(text)
        if repeated:
            log.info(f"Portal SOP: {repeated} peringatan dan pemberitahuan lain sama seperti tadi (tidak diulang)")
        if config.nav is not None:
            config.nav = filled_nav(config.nav, portal)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.portal is not None
        self._listings = set()
        rebuilding = self.serving and self.built_once
        try:
            # While serving, after the first build: the pages first, the new downloads after.
            # A build makes them beside the pages (see _Downloads).
            generated_files = self.portal.generate(
                defer=rebuilding or not self.serving or _without_downloads(),
                trusted=rebuilding,
                on_disk=not self.serving,  # (MkDocs reads each page from the page cache)
            )
        except PortalError as exc:  # a tool or font is missing, a template is broken: say so, no traceback
            raise PluginError(f"artefak SOP tidak dapat dibuat: {exc}") from exc
        self.downloads = None
        if not self.serving and not _without_downloads() and self.portal.deferred:
            self.downloads = _Downloads(self.portal)
        elif not self.serving and _without_downloads():
            self.portal.deferred = []  # (never made by this build: their jobs need not wait)
        in_nav = nav_sources(config.nav or [])
        self._close_spool()
        if self.serving:
            self.fragments = {g.path: g.fragments for g in generated_files if g.fragments}
        else:  # a build: the diagrams wait on disk for their pages, with the pages' HTML
            self.spool = _HtmlSpool(Path(config.site_dir))
            self.fragments = {
                g.path: self.spool.put_fragments(g.path, g.fragments) for g in generated_files if g.fragments
            }
        self._made_pages = {}  # (a build that failed after this hook left its own behind)
        for generated in generated_files:
            inclusion = InclusionLevel.UNDEFINED
            if generated.is_page and generated.path not in in_nav:
                inclusion = InclusionLevel.NOT_IN_NAV  # reached from its section's page (no warning)
            if generated.deferred:  # made after the pages are shown, straight into the site
                files.append(_published_later(config, generated.path))
            elif generated.source is not None and generated.is_page:  # MkDocs reads it from the page cache
                files.append(
                    File.generated(config, generated.path, abs_src_path=str(generated.source), inclusion=inclusion)
                )
            elif generated.source is not None:  # a cached artifact: MkDocs copies the file
                files.append(self._artifact_file(config, generated.path, generated.source))
            elif self.serving:
                # While serving, a page or file whose text is what the last build made is
                # unchanged for MkDocs, so `mkdocs serve --dirty` (make serve) redoes only the
                # pages and catalogue files an edit changed (MkDocs itself takes everything held
                # in memory as changed: a thousand pages and JSON files on every save).
                state = (generated.content, generated.fragments)
                self._made_pages[generated.path] = state
                file = File.generated(config, generated.path, content=generated.content, inclusion=inclusion)
                if self.live_pages.get(generated.path) == state:
                    file.is_modified = _unchanged  # type: ignore[method-assign]
                files.append(file)
            else:
                files.append(File.generated(config, generated.path, content=generated.content, inclusion=inclusion))
        if self.serving:
            generated_paths = {generated.path for generated in generated_files}
            self._publishing = (
                {f.dest_uri for f in files if f.src_uri in generated_paths},
                {f.dest_uri for f in files},
            )
        if self.serving and self.built_once:
            _installed_theme_copied(files, config)
        errors = tuple(config.extra.get("sop_source_errors") or ())
        if self.serving and errors != self.shown_errors:
            # The error bar appears on (or leaves) every page: a dirty rebuild redoes them all.
            for file in files:
                if file.is_documentation_page():
                    file.is_modified = lambda: True  # type: ignore[method-assign]
            self.shown_errors = errors
        if self.site_build is not None:
            later = not self.serving and not _without_downloads()  # (else not made by this build)
            self.site_build.mark_files(files, config, generated_files, self.portal.fill_list, made_later=later)
        if self.downloads is None:
            self._summary(self.portal)
        if not self.serving:
            settled()
        return files

    @staticmethod
    def _summary(portal: Portal) -> None:
        """Say what the build took from the cache and made, with its stages' times (and write
        them to ``SOP_BUILD_REPORT``, where the benchmark reads them)."""
        report = os.environ.get("SOP_BUILD_REPORT")
        if report:
            Path(report).write_text(json.dumps(portal.report(), indent=1), encoding="utf-8")
        timings = ", ".join(f"{stage} {seconds:.2f} d" for stage, seconds in portal.timings.items())
        cache = portal.cache
        log.info(
            f"Portal SOP: {len(portal.catalogue.sops)} SOP; artefak dari cache {cache.hits}, "
            f"dibuat {cache.misses}; {timings}"
        )

    def _artifact_file(self, config: MkDocsConfig, path: str, source: Path) -> File:
        """The file MkDocs copies for a cached artifact. While serving, the same object is
        handed over on every rebuild, and once a build has copied it MkDocs is told it is
        unchanged: its source is content-addressed (a changed artifact is a new cache file),
        so a rebuild neither re-creates nor re-checks thousands of unchanged downloads."""
        if not self.serving:
            return File.generated(config, path, abs_src_path=str(source))
        key = (path, str(source), config.site_dir)
        file = self.artifact_files.get(key)
        if file is None:
            file = self.artifact_files[key] = File.generated(config, path, abs_src_path=str(source))
        return file

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._building = (files, nav) if self.serving else None
        if self.site_build is not None:
            self.site_build.follow_shown(nav, files, config)
        return nav

    @event_priority(110)  # before the tags plugin fills its listings from every page (at 100)
    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        # MkDocs makes the theme's template environment anew on every build and rebuild: the
        # compiled templates are kept in the project's cache (Jinja checks each template's
        # source before reusing it).
        if self.portal is not None and self.portal.settings.use_cache:
            env.bytecode_cache = compiled_templates(self.portal.settings.root, "theme")
        if self._building is not None:
            self.shown_site = ShownSite.of(config, *self._building, env)  # (kept if the build succeeds)
        if self.site_build is not None:
            self.site_build.fill_unbuilt(files, config)
        return env

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # Finished HTML (a diagram) goes in after Markdown and the search index have done
        # with the page: neither needs to parse it.
        src = page.file.src_uri
        for index, (marker, fragment) in enumerate(self.fragments.get(src, ())):
            if self.spool is not None:
                fragment = self.spool.take(f"{src}\0{index}") or fragment
            output = output.replace(marker, fragment, 1)
        if self.site_build is not None:
            self.site_build.record_page(page)
        if not self.serving:
            # Written once this returns, and read by nothing later (the search index has its
            # entries, the menus their titles): a build of ten thousand SOPs would otherwise keep
            # every page's HTML until it ends.
            page.content = None
            page.toc = _NO_TOC  # (a page's sections: shown on it alone, indexed already)
        return output

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.portal is not None
        if LISTING in markdown:
            self._listings.add(page.file.src_uri)
        return self.portal.fill_list(markdown, page.file.src_uri)

    @event_priority(-100)  # after every plugin that changes the HTML
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # A build: the page is converted; until it is written, its Markdown is not needed (its
        # title is kept) and its HTML waits on disk (a listing page's is filled in meanwhile).
        if self.spool is None or page.file.src_uri in self._listings:
            return html
        page.title = page.title  # (else MkDocs reads it from the Markdown)
        page.markdown = ""
        self.spool.put(page.file.src_uri, html)
        return ""

    @event_priority(120)  # before the search plugin indexes the HTML
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if self.spool is not None:
            html = self.spool.take(page.file.src_uri)
            if html is not None:
                page.content = html
        return context

    def _close_spool(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.warnings.stop()
        self._close_spool()
        if self.downloads is not None and self.portal is not None:
            self.downloads.publish(Path(config.site_dir))  # made meanwhile, on the workers
            self.downloads = None
            self._summary(self.portal)
        if not self.serving and self.portal is not None:
            if self.portal.unsaved:
                self.portal.save_pages()
            with contextlib.suppress(OSError):  # (the next build checks every entry it uses)
                self.portal.save_checked()
        first, self.built_once = not self.built_once, True
        self.live_pages, self._made_pages = self._made_pages, {}  # this build's pages are up
        if self.serving:
            generated, everything = self._publishing
            _removed(Path(config.site_dir), self.published - everything)
            self.published = generated
        for file in self.artifact_files.values():  # copied by this build: unchanged from now on
            if file.is_modified is not _unchanged:
                file.is_modified = _unchanged  # type: ignore[method-assign]
                file.copy_file = partial(_copy_unless_dirty, file.copy_file)  # type: ignore[method-assign]
        portal = self.portal
        if not self.serving:
            _search_entries_released(config)
        site = Path(config.site_dir)
        merged = self.site_build.merge_search(site) if self.site_build is not None else None
        if portal is not None and not (self.serving and not first):
            portal.enrich_search_index(site, merged)  # (serving: once the page is shown)
        elif merged is not None:  # (no portal: the build fails; the index is written whole all the same)
            (site / SEARCH_INDEX).write_text(json.dumps(merged, separators=(",", ":"), default=str), "utf-8")
        if not self.serving and self.site_build is None:  # (build_site() releases it itself)
            released()  # what the build kept is ordinary garbage-collected memory again
        if self.serving and first:
            _collect_between_builds()  # before serving starts: no page is waiting for it
        elif self.serving and portal is not None:
            self._after_rebuild(portal, site)

    def _after_rebuild(self, portal: Portal, site: Path) -> None:
        """While serving, what a rebuild's pages did not wait for. After a page made first
        (:mod:`generator.mkdocs_preview`) the edit is already shown, so the search index and
        the collection are done before this rebuild reloads the browser: none of it then runs
        behind the maintainer's next save, whose page would wait for it. Otherwise the pages
        are shown first and the rest follows on a thread, giving way to a change saved meanwhile."""
        page_first = self.page_first
        waiting = page_first.changes_after() if page_first is not None else _never
        if page_first is not None and page_first.following:
            _index_and_cache(portal, site)
            if _without_downloads():  # (a benchmark's serving session: the downloads are never made)
                portal.deferred = []
            if not portal.deferred:
                _collect_between_builds()
                return
            work: Callable[..., None] = _downloads_then_collection
        else:
            work = _after_build
        threading.Thread(target=work, args=(portal, site, waiting), name="sop-setelah", daemon=True).start()

    def on_build_error(self, *, error: Exception) -> None:
        self.shown_site = None  # (what it left is no site to build a page into)
        self._close_spool()
        if self.downloads is not None:  # (what they make stays in the cache for the next build)
            self.downloads.wait()
            self.downloads = None
        if not self.serving and self.site_build is None:
            released()
        if isinstance(error, Abort) and "strict mode" in str(error) and self.warnings.records:
            log.error(self.warnings.summary())
        self.warnings.stop()

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        root = Path(config.config_file_path).parent
        folders = [root / self.config.sources, root / self.config.templates, Path(__file__).parent / "templates"]
        if config.theme.custom_dir:  # overrides/: the stylesheet and the theme override
            folders.append(Path(config.theme.custom_dir))
        for folder in dict.fromkeys(folders):
            if folder.is_dir():
                server.watch(str(folder))
        self.page_first = PageFirst(server, server.builder, self._shown, self._previewed)
        server.builder = self.page_first
        return server

    def _shown(self) -> tuple[Portal, ShownSite] | None:
        """While serving: the portal and site the last build showed, when an edited SOP's page
        may be made on them first (no source error shown, no build failed since)."""
        portal, site = self.portal, self.shown_site
        if portal is None or site is None or portal is not self.last_good or self.shown_errors:
            return None
        return portal, site

    def _previewed(self, preview: PagePreview) -> None:
        self.fragments[preview.src] = preview.fragments  # (put in by on_post_page)


def load_settings(config_file: Path) -> tuple[PortalSettings, MkDocsConfig]:
    """The settings a build from ``config_file`` uses (for the CLI), and the MkDocs config
    (:class:`ConfigError` when either is wrong: the CLI says it without a traceback)."""
    try:
        config = load_config(str(config_file))
    except (ConfigurationError, Abort) as exc:
        raise ConfigError(f"{config_file.name} tidak dapat dipakai: {exc}") from exc
    plugin = config.plugins.get(PLUGIN_NAME)
    if isinstance(plugin, SopPortalPlugin):
        options: Any = plugin.config
    else:  # a mkdocs.yml without the plugin: its defaults
        options = SopPortalConfig()
        options.load_dict({})
        options.validate()
    root = Path(config.config_file_path).parent
    settings = portal_settings(
        root,
        options,
        site_url=config.site_url or "",
        directory_urls=config.use_directory_urls,
        docs_dir=Path(config.docs_dir),
    )
    return settings, config


def build_site(
    config_file: Path, site_dir: Path, *, strict: bool = False, portal: Portal | None = None, exiting: bool = False
) -> int:
    """Build the site with MkDocs, in this process, into a fresh sibling of ``site_dir`` that
    replaces it only on success; ``portal`` is the already loaded pipeline to reuse.

    When the last build of ``site_dir`` recorded what it was made from (and the folder is
    still that build's), only what changed is made; the rest is taken from ``site_dir``
    (:mod:`generator.mkdocs_incremental`). A ``--strict`` build makes everything, so that
    every page's links are checked again.

    What the build keeps to its end is skipped by the garbage collector (see
    :mod:`generator.pipeline.memory`) and handed back to it at the end, unless the process is
    ``exiting`` (the ``build`` command): a last full scan of it would only delay the exit.

    Returns 0 on success, 1 on failure (``site_dir`` then stays exactly as it was).
    """
    _log_to_terminal()
    root = config_file.parent
    with long_lived():  # the last build's record (every page's search entries) lives through this one
        previous = None if strict else load_state(root, site_dir)
    try:
        return _build_and_record(config_file, site_dir, root, previous, strict=strict, portal=portal)
    finally:
        if not exiting:
            released()


def _build_and_record(
    config_file: Path, site_dir: Path, root: Path, previous: SiteState | None, *, strict: bool, portal: Portal | None
) -> int:
    """Build ``site_dir`` (only what changed since ``previous``) and record its state."""
    made: list[SiteBuild] = []

    def build_into(staging: Path) -> int:
        site_build = SiteBuild(previous, site_dir)
        try:
            status = _build_once(config_file, staging, site_build, strict=strict, portal=portal)
        finally:
            site_build.finish_linking()
        if status == 0 and not site_build.everything and not site_build.stale:
            log.info(
                f"Portal SOP: build bertahap, {len(site_build.modified)} berkas dibuat ulang, "
                f"{site_build.linked} berkas tetap dari {site_dir.name}/"
            )
        if site_build.stale:  # the record could not make it exact: make everything
            log.info(f"Portal SOP: semua halaman dibangun ulang ({site_build.stale})")
            shutil.rmtree(staging, ignore_errors=True)
            site_build = SiteBuild(None)
            status = _build_once(config_file, staging, site_build, strict=strict, portal=portal)
        made.append(site_build)
        return status

    status = publish(site_dir, build_into)
    if status == 0:
        try:
            save_state(root, site_dir, made[-1].state())
        except OSError as exc:  # the next build is a full one: nothing is lost
            log.warning(f"Portal SOP: catatan build tidak dapat disimpan ({os_error_text(exc)})")
    return status


def _build_once(config_file: Path, staging: Path, site_build: SiteBuild, *, strict: bool, portal: Portal | None) -> int:
    """One MkDocs build into ``staging``: only the files ``site_build`` finds modified, when it
    has a previous state; 0 on success, 1 on failure."""
    config = load_config(str(config_file), site_dir=str(staging), strict=strict)
    plugin = config.plugins.get(PLUGIN_NAME)
    if isinstance(plugin, SopPortalPlugin):
        plugin.prepared = portal
        plugin.site_build = site_build
    config.plugins.on_startup(command="build", dirty=False)
    undo = quiet_dirty_notice()
    try:
        mkdocs_build(config, dirty=site_build.previous is not None)
    except (Abort, PluginError, ConfigurationError) as exc:
        if not (isinstance(exc, Abort) and "strict mode" in str(exc)):  # that one is said in Indonesian
            log.error(str(exc))
        return 1
    finally:
        undo()
        config.plugins.on_shutdown()
    return 0


def _log_to_terminal() -> None:
    """MkDocs' messages on standard error, as the ``mkdocs`` command shows them."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "sop_portal", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler.sop_portal = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
