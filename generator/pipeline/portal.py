"""The engine-neutral pipeline: sources in, a list of generated files out.

Nothing here knows MkDocs. :mod:`generator.mkdocs_plugin` hands these files to MkDocs;
``python -m generator render`` writes them to a folder so another engine could take them.

Everything is computed first (the catalogue with its cross-SOP checks), then the
expensive artifacts are rendered stage by stage (diagrams, PDFs, workbooks), each stage
spread over the available cores and skipped wherever the cache already holds the
artifact, and finally the pages are written from the results.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Any, TypeVar, cast

import jinja2

from generator.indexes.lifecycle import build_date, review_notice
from generator.indexes.register import register_of
from generator.indexes.views import Views
from generator.model.problems import Problem, sort_problems
from generator.model.register import Register
from generator.model.sop import Sop
from generator.pipeline.cache import ArtifactCache, artifact_fingerprint, artifact_key, compiled_templates
from generator.pipeline.jobs import Job, Rendered, run_jobs
from generator.pipeline.outputs import Claim, Owner, collisions, hand_written, site_file, sop_owner
from generator.print.diagram import WEB_FIT_LANES, WEB_SPEC, inline_svg, web_spec
from generator.print.printing import PrintSettings, document_datetime
from generator.site import (
    API_DOCUMENTS,
    API_FOLDER,
    API_PATH,
    API_ROLES,
    CHECKLIST_FILE,
    DIAGRAM_FILE,
    DOCUMENTS_PAGE,
    REGISTER_PDF,
    REGISTER_XLSX,
    SHEET_FILE,
    WORD_FILE,
    InstansiPage,
    SiteLayout,
    api_detail,
    api_document,
    api_role,
    instansi_of,
    instansi_pages,
    schema_path,
)
from generator.sources.catalogue import SOURCE_KINDS, Catalogue, load_catalogue, read_sop, resolved_in
from generator.templating import template_environment
from generator.web.api import (
    catalogue_json,
    document_json,
    forget_duty_texts,
    role_json,
    sop_json,
    sop_summary,
)
from generator.web.pages import (
    render_documents_page,
    render_instansi_page,
    render_sop_index,
    render_sop_list,
    render_sop_page,
)
from generator.web.search import SEARCH_INDEX, sop_entries
from generator.web.search_index import write_search_index
from generator.web.viewpages import ViewPages

DIAGRAM_MARKER = "<!--sop:diagram-->"
"""Where an SOP page's diagram goes (see :attr:`GeneratedFile.fragments`)."""

LIST_MARKER = "<!-- sop:daftar -->"
"""Placeholder a hand-written page puts where the grouped SOP list should appear."""

ARTIFACT_STAGES = ("diagram", "pdf", "docx", "xlsx")
"""The artifacts, made stage by stage: diagrams (pages embed them), PDFs, Word sheets, workbooks."""

STAGES = ("muat+validasi", *ARTIFACT_STAGES, "halaman")
"""Stages whose wall time is reported (load+validate, diagrams, PDFs, workbooks, pages)."""


@dataclass(frozen=True)
class PortalSettings:
    """What the pipeline needs to know about the project."""

    root: Path
    """The project folder (file names in messages are relative to it)."""
    sources: Path
    """The ``sop_sources/`` folder."""
    layout: SiteLayout = field(default_factory=SiteLayout)
    template_dirs: tuple[Path, ...] = ()
    """Folders searched before the built-in templates (e.g. ``overrides/sop``)."""
    printing: PrintSettings | None = None
    """Paper, logos, site address and signing for the PDFs (``None``: defaults)."""
    jobs: int = 0
    """Worker processes for rendering artifacts; 0 means one per core."""
    use_cache: bool = True
    """Reuse artifacts from ``.cache/`` (False renders everything, for cold benchmarks)."""
    today: dt.date | None = None
    """The date reviews are counted to (``None``: the build date, see :func:`build_date`)."""
    docs_dir: Path | None = None
    """The hand-written pages (``docs/``), whose paths the generated ones must not take."""


@dataclass(frozen=True)
class GeneratedFile:
    """One output of the generator: text or bytes in memory, or a finished file on disk."""

    path: str
    """Path relative to the docs root (pages) or the site root (everything else)."""
    content: str | bytes = b""
    is_page: bool = False
    """True for Markdown pages that the site engine renders; False for finished files."""
    source: Path | None = None
    """A file holding the content (an artifact in the cache), instead of ``content``."""
    fragments: tuple[tuple[str, str], ...] = ()
    """(marker, HTML) pairs of a page: finished HTML that stands at the marker in the page.
    The site engine puts it into the rendered page, so Markdown and the search index never
    parse it (a diagram is most of an SOP page's bytes)."""
    deferred: bool = False
    """An artifact still to be made (``mkdocs serve``, see :meth:`Portal.render_artifacts`):
    ``source`` is where the cache will hold it; the pages may link to it already."""

    def read_bytes(self) -> bytes:
        """The content as bytes, wherever it is kept (a page with its fragments in place)."""
        if self.source is not None and not self.fragments:
            return self.source.read_bytes()
        content = self.content if self.source is None else self.source.read_text(encoding="utf-8")
        if isinstance(content, str):
            for marker, fragment in self.fragments:
                content = content.replace(marker, fragment, 1)
            return content.encode("utf-8")
        return content


@dataclass(frozen=True)
class ArtifactStat:
    """How long one artifact took to render (for `render --timings` and the benchmark)."""

    sop_id: str
    kind: str
    seconds: float
    pages: int = 0
    size: int = 0
    cached: bool = False
    tool_seconds: float = 0.0
    """Part of ``seconds`` spent inside Graphviz or WeasyPrint."""
    writer_seconds: float = 0.0
    """Part of ``seconds`` spent inside XlsxWriter writing a workbook out."""


_DIGESTS: dict[int, tuple[object, str]] = {}
"""Hashes of model objects by identity, with the object kept alive so its identity is not
reused. An SOP whose file is unchanged stays the same object from one ``mkdocs serve``
rebuild to the next, so it is hashed once per process, not once per rebuild."""

T = TypeVar("T")

_RENDERED: dict[str, tuple[str, Any]] = {}
"""Per generated path, the key of its inputs and its text, from this process's previous
builds: a rebuild renders only the pages and files whose inputs changed."""

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
"""The built-in templates (pages, views, print)."""


_SOP_JOBS: dict[int, tuple[Sop, object, list[tuple[Job, str]]]] = {}
"""Per SOP (by identity), its artifact jobs with their keys and what they were made from."""


@dataclass(frozen=True)
class PagePreview:
    """An edited SOP's page made from its source file alone (see :meth:`Portal.preview`)."""

    src: str
    """The page's source path in the site (``sop/<id>.md``)."""
    markdown: str
    fragments: tuple[tuple[str, str], ...]
    """As :attr:`GeneratedFile.fragments`: the diagram, put in at its marker."""


def digest(value: object) -> str:
    """SHA-256 of a model object's repr, computed once per object (see :data:`_DIGESTS`)."""
    marker = id(value)
    memo = _DIGESTS.get(marker)
    if memo is None or memo[0] is not value:
        if len(_DIGESTS) > 500_000:
            _DIGESTS.clear()
        memo = _DIGESTS[marker] = (value, hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest())
    return memo[1]


def remembered(path: str, key: str, make: Callable[[], T]) -> T:
    """What is at ``path``, made from inputs hashed to ``key``: from an earlier build of this
    process when its key was the same, else ``make()``. (Values are shared, not copied: a
    caller never changes one.)"""
    memo = _RENDERED.get(path)
    if memo is not None and memo[0] == key:
        return cast(T, memo[1])
    value = make()
    _RENDERED[path] = (key, value)
    return value


def _made(path: str, key: str, make: Callable[[], T]) -> T:
    """``make()``, remembered by no one (:func:`remembered`'s stand-in for a build that makes
    its pages once)."""
    return make()


_ENVIRONMENTS: dict[tuple[tuple[Path, ...], str, Path | None], jinja2.Environment] = {}
"""Template environments of this process by folders and templates' hash: a rebuild that
changed no template does not compile them again."""


def _environment(folders: tuple[Path, ...], templates: str, compiled: Path | None) -> jinja2.Environment:
    """The pages' template environment; ``compiled``: the project whose cache keeps the
    compiled templates (``None``: compiled in memory only)."""
    key = (folders, templates, compiled)
    if key not in _ENVIRONMENTS:
        _ENVIRONMENTS.clear()  # one set of templates at a time
        env = _ENVIRONMENTS[key] = template_environment(folders)
        if compiled is not None:
            env.bytecode_cache = compiled_templates(compiled, "pages")
    return _ENVIRONMENTS[key]


def _hash_folders(folders: tuple[Path, ...]) -> str:
    hashed = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                hashed.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return hashed.hexdigest()


def _file_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else ""


class Portal:
    """Loads the catalogue once and renders everything from it."""

    def __init__(self, settings: PortalSettings, progress: Callable[[str], None] | None = None) -> None:
        self.settings = settings
        self.progress = progress or (lambda message: None)
        started = time.perf_counter()
        self.env = _environment(settings.template_dirs, self._templates, settings.root if settings.use_cache else None)
        self.sources_cache = ArtifactCache(settings.root, enabled=settings.use_cache, folder="sources")
        self.catalogue: Catalogue = load_catalogue(
            settings.sources, settings.root, self.sources_cache if settings.use_cache else None
        )
        self.views = Views(self.catalogue, settings.today or build_date())
        """The indexes across SOPs (roles, legal bases, documents, families, reviews)."""
        self.timings: dict[str, float] = {"muat+validasi": time.perf_counter() - started}
        self.stats: list[ArtifactStat] = []
        self.cache = ArtifactCache(settings.root, enabled=settings.use_cache)
        self.page_cache = ArtifactCache(settings.root, enabled=settings.use_cache, folder="pages")
        """Rendered SOP pages (counted apart from the artifacts)."""
        self._page_context: tuple[str, str, str] | None = None
        self._print_context: tuple[object, ...] | None = None
        self.deferred: list[tuple[Job, str]] = []
        """PDFs and workbooks left for :meth:`render_deferred`."""
        self.unsaved: list[tuple[str, str, str]] = []
        """Pages made by a deferring build, for :meth:`save_pages` to store once they are shown
        (as text: the build holds that text anyway until then, where its bytes would be a
        second copy of every page)."""
        self._saving_later = False

    @property
    def ok(self) -> bool:
        """True when the sources have no errors (warnings allowed)."""
        return not any(p.is_error for p in self.problems)

    @cached_property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem of the sources, and every output path two owners claim."""
        return tuple(sort_problems([*self.catalogue.problems, *collisions(self.claims())]))

    def claims(self) -> Iterator[Claim]:
        """Every page and file the build writes, with its owner (see :mod:`generator.pipeline.outputs`)."""
        layout = self.settings.layout
        portal = Owner("portal SOP sendiri")
        for sop in self.catalogue.sops:
            owner = sop_owner(sop)
            yield Claim(site_file(layout.page_src(sop), layout, is_page=True), owner)
            yield Claim(layout.artifact(sop, ""), owner)
        yield Claim(layout.templates, Owner(f"templat kosong dokumen (folder `{layout.templates}`)"))
        yield Claim(site_file(layout.index_src, layout, is_page=True), Owner("halaman bawaan `Daftar SOP`"))
        groups = {group.instansi: group for group in self.catalogue.by_instansi()}
        for index in instansi_pages(self.catalogue, layout):
            first = groups[index.instansi].units[0].sops[0]
            yield Claim(site_file(index.src, layout, is_page=True), sop_owner(first, "instansi"))
            for name in (REGISTER_PDF, REGISTER_XLSX):
                yield Claim(index.register(name), sop_owner(first, "instansi"))
        yield Claim(site_file(DOCUMENTS_PAGE, layout, is_page=True), Owner("halaman bawaan `Templat dokumen`"))
        for planned in self.view_pages.plan():
            described = f"{planned.description} ({planned.source})" if planned.source else planned.description
            yield Claim(site_file(planned.src, layout, is_page=True), Owner(described, planned.source))
        yield Claim(API_PATH, portal)
        yield Claim(API_FOLDER, portal)
        yield Claim(API_ROLES, portal)
        yield Claim(API_DOCUMENTS, portal)
        for kind in SOURCE_KINDS:
            yield Claim(schema_path(kind.name), portal)
        if self.settings.docs_dir is not None:
            yield from hand_written(self.settings.docs_dir, self.settings.root, layout)

    @property
    def printing(self) -> PrintSettings:
        """The print settings in force."""
        return self.settings.printing or PrintSettings(root=self.settings.root, layout=self.settings.layout)

    def _keyed_jobs(self) -> list[tuple[Job, str]]:
        """Every artifact job with its cache key. An SOP's jobs and keys depend on the SOP,
        its documents and the print settings only: while they are unchanged (``mkdocs serve``
        rebuilds), they are taken from the previous build of this process."""
        layout = self.settings.layout
        context = (self._print_inputs(), self._overrides, repr(layout), self.catalogue.documents)
        keyed: list[tuple[Job, str]] = []
        for sop in self.catalogue.sops:
            memo = _SOP_JOBS.get(id(sop))
            if memo is None or memo[0] is not sop or memo[1] != context:
                memo = _SOP_JOBS[id(sop)] = (sop, context, [(job, self._key(job)) for job in self._jobs_of(sop)])
            keyed += memo[2]
        for document in self.catalogue.documents.documents:
            job = Job("xlsx", "xlsx", layout.workbook(document.id), ".xlsx", document=document)
            keyed.append((job, self._key(job)))
        for index, register in self.registers.items():
            for job in (
                Job("pdf", "daftar-sop", index.register(REGISTER_PDF), ".pdf", register=register),
                Job("xlsx", "daftar-sop-xlsx", index.register(REGISTER_XLSX), ".xlsx", register=register),
            ):
                keyed.append((job, self._key(job)))
        order = {stage: index for index, stage in enumerate(ARTIFACT_STAGES)}
        return sorted(keyed, key=lambda pair: order[pair[0].stage])  # stable: the catalogue's order within a stage

    def _jobs_of(self, sop: Sop) -> Iterator[Job]:
        layout = self.settings.layout
        yield self._diagram_job(sop)
        yield Job("pdf", "lembar-sop", layout.artifact(sop, SHEET_FILE), ".pdf", sop=sop)
        yield Job("pdf", "daftar-periksa", layout.artifact(sop, CHECKLIST_FILE), ".pdf", sop=sop)
        yield Job("docx", "lembar-word", layout.artifact(sop, WORD_FILE), ".docx", sop=sop)
        for use in self.catalogue.document_uses[sop.id]:
            path = layout.workbook(use.document.id, sop)
            yield Job("xlsx", "xlsx", path, ".xlsx", sop=sop, document=use.document, steps=use.steps)

    def _diagram_job(self, sop: Sop) -> Job:
        return Job("diagram", "diagram", self.settings.layout.artifact(sop, DIAGRAM_FILE), ".svg", sop=sop)

    def _digest(self, value: object) -> str:
        """A memoised hash of a model object's repr (an SOP appears in several artifact keys)."""
        return digest(value)

    @cached_property
    def registers(self) -> dict[InstansiPage, Register]:
        """Each instansi's SOP register, by its page."""
        groups = {group.instansi: group for group in self.catalogue.by_instansi()}
        printing = self.printing
        return {
            index: register_of(
                groups[index.instansi],
                self.views,
                lambda sop: printing.address(self.settings.layout.url(self.settings.layout.page_src(sop))),
            )
            for index in instansi_pages(self.catalogue, self.settings.layout)
        }

    def _key(self, job: Job) -> str:
        if job.register is not None:
            return artifact_key(
                job.kind, job.register, self._print_inputs(), self._overrides, code=artifact_fingerprint()
            )
        sop = self._digest(job.sop) if job.sop is not None else None
        if job.kind == "diagram":
            spec = web_spec(len(job.sop.pelaksana)) if job.sop else WEB_SPEC
            return artifact_key(job.kind, sop, spec, code=artifact_fingerprint())
        if job.kind in ("lembar-sop", "daftar-periksa", "lembar-word"):
            assert job.sop is not None
            inputs: tuple[object, ...] = (_file_hash(job.sop.logo), self._print_inputs(), self._overrides)
            return artifact_key(job.kind, sop, *inputs, code=artifact_fingerprint())
        steps = [self._digest(step) for step in job.steps]
        inputs = (self._digest(job.document), sop, steps, document_datetime(job.sop))
        return artifact_key(job.kind, *inputs, code=artifact_fingerprint())

    def _print_inputs(self) -> tuple[object, ...]:
        """Everything in the print settings a PDF depends on, with file contents hashed (once)."""
        if self._print_context is None:
            printing = self.printing
            logos = sorted((k, _file_hash(v)) for k, v in printing.logos.items())
            signing = (str(printing.signing.p12), _file_hash(str(printing.signing.p12))) if printing.signing else None
            self._print_context = (
                printing.paper,
                printing.steps_per_page,
                printing.site_url,
                logos,
                signing,
                repr(printing.layout),
            )
        return self._print_context

    @property
    def review_notices(self) -> list[Problem]:
        """A warning for each SOP due for review (reported by `check`; never fails a build)."""
        notices = (review_notice(sop, self.views.reviews[sop.id]) for sop in self.catalogue.sops)
        return [n for n in notices if n is not None]

    @cached_property
    def _overrides(self) -> str:
        """Hash of the template overrides (``overrides/sop``): pages and PDFs are drawn with them."""
        return _hash_folders(self.settings.template_dirs)

    @cached_property
    def _templates(self) -> str:
        """Hash of every template a page is rendered with, built-in and overridden (a template
        edited while ``mkdocs serve`` runs changes the pages it renders)."""
        return _hash_folders((TEMPLATES, *self.settings.template_dirs))

    @cached_property
    def _view_context(self) -> str:
        """What every view page may show besides its SOPs: templates, layout, documents,
        shared settings, the names of all roles and the date reviews are counted to."""
        names = [(role.id, role.name) for role in self.views.roles]
        inputs = (self._templates, self.settings.layout, self.catalogue.documents, self.catalogue.shared)
        return artifact_key("view", *inputs, names, self.views.today)

    def _sops_key(self, sop_ids: tuple[str, ...] | None) -> list[str]:
        sops = self.catalogue.sops if sop_ids is None else [self.catalogue.by_id[i] for i in sop_ids]
        return [digest(sop) for sop in sops]

    def _page_key(self, sop: Sop) -> str:
        """Everything an SOP's page shows: the SOP, what it shows of other SOPs (roles,
        regulations, family, links, review dates), the documents, the layout and any
        template overrides (the built-in templates are in the code hash)."""
        if self._page_context is None:
            documents = self._digest(self.catalogue.documents.documents)
            self._page_context = (documents, repr(self.settings.layout), self._templates)
        # The context holds the names of the SOPs it links to and from, its roles, family and
        # review; the trail leads to its instansi's page.
        context = repr(self.views.context(sop)), repr(self.instansi_of.get(sop.id))
        return artifact_key("page", self._digest(sop), context, self._page_context)

    def _workers(self) -> int:
        return self.settings.jobs or os.cpu_count() or 1

    def render_artifacts(self, *, defer: bool = False, trusted: bool = False) -> dict[str, GeneratedFile]:
        """Render (or take from the cache) every diagram, PDF and workbook, stage by stage.

        With ``defer``, PDFs and workbooks the cache lacks are not rendered here but kept in
        :attr:`deferred`, for :meth:`render_deferred` to make while (a build) or after (``mkdocs
        serve``: an edit shows on its page first, its downloads follow) the pages are made.
        ``trusted``: cache files are taken without checking their content (``mkdocs serve``
        after its first build, which checked them).
        """
        results: dict[str, GeneratedFile] = {}
        jobs = self._keyed_jobs()
        self.deferred = []
        for stage in ARTIFACT_STAGES:
            started = time.perf_counter()
            keyed = [(job, key) for job, key in jobs if job.stage == stage]
            missing = []
            for job, key in keyed:
                hit = self.cache.get(key, job.suffix, trusted=trusted)
                if hit is not None:
                    results[job.path] = GeneratedFile(job.path, source=hit)
                    self._record(job, None, self.cache.size(hit))
                else:
                    missing.append((job, key))
            if defer and stage != "diagram":  # the page embeds its diagram: that one is needed now
                self.deferred += missing
                for job, key in missing:
                    results[job.path] = GeneratedFile(job.path, source=self.cache.path(key, job.suffix), deferred=True)
                missing = []
            rendered = zip(
                missing,
                run_jobs([job for job, _ in missing], self.printing, self.settings.template_dirs, self._workers()),
                strict=True,
            )
            for done, ((job, key), made) in enumerate(rendered, start=1):
                path = self.cache.put(key, job.suffix, made.data)
                results[job.path] = GeneratedFile(job.path, source=path)
                self._record(job, made, len(made.data))
                if done == len(missing) or done % 25 == 0:
                    self.progress(f"{stage}: {done}/{len(missing)} dibuat, {len(keyed) - len(missing)} dari cache")
            self.timings[stage] = time.perf_counter() - started
        return results

    def render_deferred(self, publish: Callable[[str, Path], None]) -> int:
        """Render what :meth:`render_artifacts` deferred into the cache, handing each file to
        ``publish(site path, cached file)`` as it is done; returns how many were made."""
        jobs, self.deferred = self.deferred, []
        started = time.perf_counter()
        made_all = run_jobs(
            [job for job, _ in jobs], self.printing, self.settings.template_dirs, self._workers(), beside=True
        )
        for done, ((job, key), made) in enumerate(zip(jobs, made_all, strict=True), start=1):
            publish(job.path, self.cache.put(key, job.suffix, made.data))
            self._record(job, made, len(made.data))
            if done == len(jobs) or done % 25 == 0:
                self.progress(f"unduhan (pdf, docx, xlsx): {done}/{len(jobs)} dibuat")
        self.timings["unduhan"] = time.perf_counter() - started
        return len(jobs)

    def generate(self, *, defer: bool = False, trusted: bool = False, on_disk: bool = False) -> list[GeneratedFile]:
        """Every generated page and file, in a stable order (``defer``, ``trusted``: see
        :meth:`render_artifacts`).

        ``on_disk`` (a build, not ``mkdocs serve``): the pages and catalogue files the page
        cache keeps are stored there as they are made and handed over as those files
        (``source``), not as text, and nothing is remembered for a later build of this process
        (:data:`_RENDERED`): a build of ten thousand SOPs does not hold every page's text."""
        layout = self.settings.layout
        self._saving_later = defer and not on_disk
        keep = _made if on_disk else remembered
        artifacts = self.render_artifacts(defer=defer, trusted=trusted)
        started = time.perf_counter()
        files: list[GeneratedFile] = []
        catalogue, views = self.catalogue, self.views
        page_keys = {sop.id: self._page_key(sop) for sop in catalogue.sops}
        for sop in catalogue.sops:
            diagram = artifacts[layout.artifact(sop, DIAGRAM_FILE)]
            fragments = ((DIAGRAM_MARKER, self._inline_diagram(diagram, len(sop.pelaksana), keep)),)
            make_page = partial(self._sop_page, sop)
            page = self._text_file(layout.page_src(sop), page_keys[sop.id], ".md", make_page, on_disk, fragments)
            files.append(page)
        files.extend(artifacts[path] for path in sorted(artifacts))
        members: dict[str, list[str]] = {}
        for sop in catalogue.sops:
            office = self.instansi_of.get(sop.id)
            if office is not None:
                members.setdefault(office.src, []).append(digest(sop))
        for index in instansi_pages(catalogue, layout):
            # The page lists the instansi's SOPs and its register: keyed on exactly those.
            register = self.registers.get(index)
            key = artifact_key(
                "instansi", self._templates, repr(layout), index.instansi, members.get(index.src), repr(register)
            )
            make = partial(render_instansi_page, catalogue, self.env, layout, index, register)
            files.append(GeneratedFile(index.src, keep(index.src, key, make), is_page=True))
        files.append(GeneratedFile(layout.index_src, render_sop_index(catalogue, self.env, layout), is_page=True))
        documents_page = render_documents_page(catalogue, self.env, layout)
        files.append(GeneratedFile(DOCUMENTS_PAGE, documents_page, is_page=True))
        for planned in self.view_pages.plan():
            key = artifact_key("view-page", self._view_context, self._sops_key(planned.sops), planned.extra)
            files.append(self._text_file(planned.src, key, ".md", planned.render, on_disk))

        def summary(sop: Sop) -> dict[str, Any]:
            make = partial(sop_summary, catalogue, layout, views, sop)
            return keep(f"summary:{sop.id}", page_keys[sop.id], make)

        files.append(GeneratedFile(API_PATH, catalogue_json(catalogue, layout, views, summary)))
        for sop in catalogue.sops:
            make_detail = partial(sop_json, catalogue, layout, views, sop)
            files.append(self._text_file(api_detail(sop.id), page_keys[sop.id], ".json", make_detail, on_disk))
        for role in views.roles:
            key = artifact_key("role", self._view_context, self._sops_key(role.sop_ids), role.id)
            make = partial(role_json, views, layout, role.id)
            if on_disk:
                files.append(self._text_file(api_role(role.id), key, ".json", make, on_disk))
            else:
                files.append(GeneratedFile(api_role(role.id), remembered(api_role(role.id), key, make)))
        for document in catalogue.documents.documents:
            users = tuple(sop.id for sop, _ in catalogue.document_users.get(document.id, ()))
            key = artifact_key("document", self._view_context, self._sops_key(users), document.id)
            make = partial(document_json, catalogue, layout, views, document.id)
            if on_disk:
                files.append(self._text_file(api_document(document.id), key, ".json", make, on_disk))
            else:
                files.append(GeneratedFile(api_document(document.id), remembered(api_document(document.id), key, make)))
        if on_disk:
            forget_duty_texts()  # (kept for the next build of `mkdocs serve`)
        files.extend(GeneratedFile(schema_path(kind.name), kind.schema_json()) for kind in SOURCE_KINDS)
        self.timings["halaman"] = time.perf_counter() - started
        return files

    def _text_file(
        self,
        path: str,
        key: str,
        suffix: str,
        make: Callable[[], str],
        on_disk: bool,
        fragments: tuple[tuple[str, str], ...] = (),
    ) -> GeneratedFile:
        """A page (``.md``) or catalogue file made by ``make`` from inputs hashed to ``key``,
        through the page cache: as its text, remembered for this process's next build, or
        (``on_disk``) as the cache file holding it."""
        is_page = suffix == ".md"
        if on_disk:
            source = self.page_cache.get(key, suffix) or self.page_cache.put(key, suffix, make().encode("utf-8"))
            return GeneratedFile(path, source=source, is_page=is_page, fragments=fragments)
        text = remembered(path, key, partial(self._stored, key, suffix, make))
        return GeneratedFile(path, text, is_page=is_page, fragments=fragments)

    def _stored(self, key: str, suffix: str, make: Callable[[], str]) -> str:
        """Text made from inputs hashed to ``key``, from the page cache on disk (``.cache/pages``)
        when an earlier build made it: a warm build renders no view page and no catalogue
        file of an unchanged SOP again."""
        cached = self.page_cache.get(key, suffix)
        if cached is not None:
            return cached.read_text(encoding="utf-8")
        text = make()
        self._save(key, suffix, text)
        return text

    def _save(self, key: str, suffix: str, text: str) -> None:
        """Store a made page in the page cache: now, or (a deferring build, ``mkdocs serve``)
        by :meth:`save_pages` once the pages are shown; this process remembers it meanwhile."""
        if self._saving_later:
            self.unsaved.append((key, suffix, text))
        else:
            self.page_cache.put(key, suffix, text.encode("utf-8"))

    def save_pages(self) -> int:
        """Store the pages a deferring build made in the page cache; returns how many."""
        pages, self.unsaved = self.unsaved, []
        for key, suffix, text in pages:
            self.page_cache.put(key, suffix, text.encode("utf-8"))
        return len(pages)

    def save_checked(self) -> None:
        """Note, for the next build, which cache entries this one checked (see
        :meth:`generator.pipeline.cache.ArtifactCache.save_checked`)."""
        for cache in (self.sources_cache, self.cache, self.page_cache):
            cache.save_checked()

    def _sop_page(self, sop: Sop) -> str:
        """An SOP's page (Markdown, the diagram at its marker)."""
        return render_sop_page(
            sop,
            self.catalogue,
            self.env,
            self.settings.layout,
            context=self.views.context(sop),
            diagram=DIAGRAM_MARKER,
            diagram_wide=len(sop.pelaksana) > WEB_FIT_LANES,
            instansi_page=self.instansi_of.get(sop.id),
        )

    def preview(self, path: Path) -> PagePreview | None:
        """The page of the SOP in ``path`` as it is now, made from that file alone while this
        portal (the last build's) is still what ``mkdocs serve`` shows, for the maintainer to see
        the edit before the whole portal is rebuilt. What the page shows of other SOPs (roles,
        family, links, review) is this portal's until then.

        ``None`` when the edit is more than the page alone can show: the file is not one of
        this portal's SOPs, cannot be read, has other problems than it had, or another id."""
        store = self.sources_cache if self.settings.use_cache else None
        display, loaded = read_sop(path, self.settings.root, store)
        shown = next((sop for sop in self.catalogue.sops if sop.source == display), None)
        if loaded.model is None or shown is None or loaded.model.id != shown.id:
            return None
        before = sorted(problem.format() for problem in self.problems if problem.file == display)
        if sorted(problem.format() for problem in loaded.problems) != before:
            return None
        sop = resolved_in(loaded.model, self.catalogue)
        fragments = ((DIAGRAM_MARKER, self._inline_diagram(self._diagram_of(sop), len(sop.pelaksana))),)
        return PagePreview(self.settings.layout.page_src(sop), self._sop_page(sop), fragments)

    def _diagram_of(self, sop: Sop) -> GeneratedFile:
        """The SOP's diagram, from the cache or made here (the page embeds it)."""
        job = self._diagram_job(sop)
        key = self._key(job)
        cached = self.cache.get(key, job.suffix, trusted=True)
        if cached is None:
            made = next(run_jobs([job], self.printing, self.settings.template_dirs, workers=1))
            cached = self.cache.put(key, job.suffix, made.data)
        return GeneratedFile(job.path, source=cached)

    def _inline_diagram(self, diagram: GeneratedFile, lanes: int, keep: Callable[..., str] | None = None) -> str:
        """The diagram as embedded in its page (the cached file's path names its content;
        ``keep``: :func:`remembered`, or :func:`_made` to remember nothing)."""
        if diagram.source is None:
            return inline_svg(diagram.read_bytes().decode("utf-8"), lanes=lanes)
        key = f"{diagram.source}:{lanes}"
        return (keep or remembered)(
            f"inline:{diagram.source}", key, lambda: inline_svg(diagram.read_bytes().decode("utf-8"), lanes=lanes)
        )

    def _record(self, job: Job, made: Rendered | None, size: int) -> None:
        """Note what an artifact cost (``made``), or that it came from the cache (``None``)."""
        sop_id = job.sop.id if job.sop else "-"
        kind = f"xlsx:{job.document.id}" if job.document else job.kind
        if made is None:
            self.stats.append(ArtifactStat(sop_id, kind, 0.0, 0, size, cached=True))
        else:
            tools = (made.tool_seconds, made.writer_seconds)
            self.stats.append(ArtifactStat(sop_id, kind, made.seconds, made.pages, size, False, *tools))

    def report(self) -> dict[str, object]:
        """Stage times, cache use and rendered artifacts, as the benchmark reads them."""
        rendered = [s for s in self.stats if not s.cached]
        return {
            "sops": len(self.catalogue.sops),
            "stages": self.timings,
            "cache_hits": self.cache.hits,
            "cache_misses": self.cache.misses,
            "rendered": sorted({f"{s.sop_id}:{s.kind}" for s in rendered}),
            "render_cpu_seconds": sum(s.seconds for s in rendered),
            "tool_cpu_seconds": sum(s.tool_seconds for s in rendered),
            "writer_cpu_seconds": sum(s.writer_seconds for s in rendered),
            "workers": self._workers(),
        }

    @cached_property
    def instansi_of(self) -> dict[str, InstansiPage]:
        """Each SOP's instansi page, by SOP id."""
        return instansi_of(self.catalogue, self.settings.layout)

    @cached_property
    def view_pages(self) -> ViewPages:
        """The pages of the views across SOPs."""
        return ViewPages(self.views, self.env, self.settings.layout)

    def fill_list(self, markdown: str, page_src: str) -> str:
        """Replace :data:`LIST_MARKER` in a hand-written page with the grouped SOP list."""
        if LIST_MARKER not in markdown:
            return markdown
        listing = render_sop_list(self.catalogue, self.env, self.settings.layout, page_src)
        return markdown.replace(LIST_MARKER, listing)

    def enrich_search_index(self, site_dir: Path, index: dict[str, Any] | None = None) -> bool:
        """Turn the search index the engine wrote into ``site_dir`` (or ``index``, the whole
        index in hand) into the portal's sharded index with its Indonesian search data (stems,
        synonyms, each SOP's instansi and number:
        :func:`generator.web.search_index.write_search_index`, which leaves a stub in place of
        the engine's file). False when the engine wrote none (search is off)."""
        path = site_dir / SEARCH_INDEX
        if index is None:
            try:
                index = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                return False
        if not index.get("docs") and index.get("config", {}).get("sop"):
            return True  # our own stub: the index is written already
        entries = sop_entries(self.catalogue.sops, self.settings.layout)
        write_search_index(
            site_dir, index.get("docs", []), entries, self.catalogue.shared, config=index.get("config", {})
        )
        return True
