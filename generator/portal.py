"""The engine-neutral pipeline: sources in, a list of generated files out.

Nothing here knows MkDocs. :mod:`generator.mkdocs_plugin` hands these files to MkDocs;
``python -m generator render`` writes them to a folder so another engine could take them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .api import API_PATH, catalogue_json
from .catalogue import Catalogue, load_catalogue
from .checklist import CHECKLIST_FILE, render_checklist
from .diagram import inline_svg, web_diagram
from .documents import document_schema_json
from .pages import (
    DIAGRAM_FILE,
    DOCUMENTS_PAGE,
    SiteLayout,
    render_documents_page,
    render_sop_list,
    render_sop_page,
    sop_documents,
    template_environment,
)
from .printing import PrintSettings, document_datetime
from .schema import schema_json
from .sheet import SHEET_FILE, render_sheet
from .workbook import WorkbookContext, render_workbook

SCHEMA_PATH = "schema/sop.schema.json"
DOCUMENT_SCHEMA_PATH = "schema/dokumen.schema.json"
"""Where the source JSON Schema is published, relative to the site root."""

LIST_MARKER = "<!-- sop:daftar -->"
"""Placeholder a hand-written page puts where the grouped SOP list should appear."""


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


@dataclass(frozen=True)
class GeneratedFile:
    """One output of the generator."""

    path: str
    """Path relative to the docs root (pages) or the site root (everything else)."""
    content: str | bytes
    is_page: bool = False
    """True for Markdown pages that the site engine renders; False for finished files."""


@dataclass(frozen=True)
class ArtifactStat:
    """How long one artifact took to render (for `render --timings` and the benchmark)."""

    sop_id: str
    kind: str
    seconds: float
    pages: int = 0
    size: int = 0


class Portal:
    """Loads the catalogue once and renders everything from it."""

    def __init__(self, settings: PortalSettings) -> None:
        self.settings = settings
        self.env = template_environment(settings.template_dirs)
        self.catalogue: Catalogue = load_catalogue(settings.sources, settings.root)
        self.stats: list[ArtifactStat] = []

    @property
    def ok(self) -> bool:
        """True when the sources have no errors (warnings allowed)."""
        return not self.catalogue.errors

    def generate(self) -> list[GeneratedFile]:
        """Every generated page and file, in a stable order."""
        layout = self.settings.layout
        files: list[GeneratedFile] = []
        printing = self.settings.printing or PrintSettings(root=self.settings.root)
        self.stats = []
        for sop in self.catalogue.sops:
            started = time.perf_counter()
            drawing = web_diagram(sop)
            self._record(sop.id, "diagram", started, 1, len(drawing.svg))
            files.append(GeneratedFile(layout.artifact(sop, DIAGRAM_FILE), drawing.svg))
            started = time.perf_counter()
            sheet = render_sheet(sop, self.env, printing)
            self._record(sop.id, "lembar-sop", started, sheet.pdf.pages, len(sheet.pdf.data))
            files.append(GeneratedFile(layout.artifact(sop, SHEET_FILE), sheet.pdf.data))
            started = time.perf_counter()
            checklist = render_checklist(sop, self.env, printing)
            self._record(sop.id, "daftar-periksa", started, checklist.pages, len(checklist.data))
            files.append(GeneratedFile(layout.artifact(sop, CHECKLIST_FILE), checklist.data))
            for use in sop_documents(sop, self.catalogue.documents):
                started = time.perf_counter()
                context = WorkbookContext(sop=sop, steps=use.steps, created=document_datetime(sop))
                data = render_workbook(use.document, context)
                self._record(sop.id, f"xlsx:{use.document.id}", started, len(use.document.sheets), len(data))
                files.append(GeneratedFile(layout.workbook(use.document.id, sop), data))
            page = render_sop_page(sop, self.catalogue, self.env, layout, diagram=inline_svg(drawing.svg))
            files.append(GeneratedFile(layout.page_src(sop), page, is_page=True))
        for document in self.catalogue.documents.documents:
            started = time.perf_counter()
            data = render_workbook(document, WorkbookContext(created=document_datetime(None)))
            self._record("-", f"xlsx:{document.id}", started, len(document.sheets), len(data))
            files.append(GeneratedFile(layout.workbook(document.id), data))
        files.append(
            GeneratedFile(DOCUMENTS_PAGE, render_documents_page(self.catalogue, self.env, layout), is_page=True)
        )
        files.append(GeneratedFile(API_PATH, catalogue_json(self.catalogue, layout)))
        files.append(GeneratedFile(SCHEMA_PATH, schema_json()))
        files.append(GeneratedFile(DOCUMENT_SCHEMA_PATH, document_schema_json()))
        return files

    def _record(self, sop_id: str, kind: str, started: float, pages: int, size: int) -> None:
        self.stats.append(ArtifactStat(sop_id, kind, time.perf_counter() - started, pages, size))

    def fill_list(self, markdown: str, page_src: str) -> str:
        """Replace :data:`LIST_MARKER` in a hand-written page with the grouped SOP list."""
        if LIST_MARKER not in markdown:
            return markdown
        listing = render_sop_list(self.catalogue, self.env, self.settings.layout, page_src)
        return markdown.replace(LIST_MARKER, listing)
