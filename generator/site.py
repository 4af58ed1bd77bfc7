"""The site map: the path and URL of every page and artifact the portal publishes.

Web pages, printed documents and workbooks all ask here where things are, so a link on a
PDF, a workbook and a page always agree.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from generator.model.sop import Sop
from generator.model.text import UniqueSlugs

if TYPE_CHECKING:  # the catalogue is not imported by the renderers, which use this module
    from generator.sources.catalogue import Catalogue


@dataclass(frozen=True)
class SiteLayout:
    """Where generated pages live in the site and how their URLs look."""

    section: str = "sop"
    """Folder (and URL prefix) of the SOP pages."""
    downloads: str = "unduh"
    """Folder of the files generated per SOP (diagram, PDFs), one sub-folder per SOP."""
    directory_urls: bool = True
    """MkDocs ``use_directory_urls``: ``sop/x/`` rather than ``sop/x.html``."""

    @property
    def index_src(self) -> str:
        """Source path of the "Daftar SOP" page: every instansi, with its SOPs counted."""
        return f"{self.section}/index.md"

    def page_src(self, sop: Sop) -> str:
        """Source path of the SOP's Markdown page, relative to the docs root."""
        return f"{self.section}/{sop.id}.md"

    def page_url(self, sop: Sop) -> str:
        """URL of the SOP's page relative to the site root."""
        return f"{self.section}/{sop.id}/" if self.directory_urls else f"{self.section}/{sop.id}.html"

    def artifact(self, sop: Sop, name: str) -> str:
        """Path (= URL) of the SOP's generated file ``name`` (e.g. :data:`SHEET_FILE`),
        relative to the site root: in the SOP's folder, named after the SOP
        (:func:`download_name`). An empty ``name`` is the folder itself (with its slash)."""
        folder = f"{self.downloads}/{sop.id}/"
        return folder + download_name(sop.id, name) if name else folder

    def link_to_artifact(self, from_src: str, sop: Sop, name: str) -> str:
        """Relative link from a page source to a generated file of the SOP."""
        return relpath(self.artifact(sop, name), posixpath.dirname(from_src) or ".")

    def workbook(self, document_id: str, sop: Sop | None = None) -> str:
        """Path (= URL) of a document's workbook: the SOP's own (``<sop-id>-<document-id>.xlsx``),
        or the blank template (``<document-id>.xlsx``, one per document in its own folder)."""
        name = f"{document_id}.xlsx"
        return self.artifact(sop, name) if sop else f"{self.templates}{name}"

    @property
    def templates(self) -> str:
        """Folder (with its slash) of the blank workbook of every document."""
        return f"{self.downloads}/{TEMPLATE_FOLDER}/"

    def href(self, from_src: str, target: str) -> str:
        """Relative URL from the built page of ``from_src`` to a site path (for raw HTML,
        which MkDocs leaves alone)."""
        url = self.url(from_src)
        base = url.rstrip("/") if url.endswith("/") else posixpath.dirname(url)
        href = relpath(target, base or ".")
        # A page URL keeps its slash: without it a browser opening the site from disk finds no page.
        return href + "/" if target.endswith("/") and not href.endswith("/") else href

    def href_from_page(self, sop: Sop, target: str) -> str:
        """Relative URL from the SOP's built page to a site path."""
        return self.href(self.page_src(sop), target)

    def link(self, from_src: str, sop: Sop) -> str:
        """Relative Markdown link from one page source to an SOP's page source."""
        return relpath(self.page_src(sop), posixpath.dirname(from_src) or ".")

    def url(self, src: str) -> str:
        """The URL (relative to the site root) the engine gives a page source."""
        stem = src[: -len(".md")]
        if not self.directory_urls:
            return f"{stem}.html"
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")]
        return f"{stem}/"


ROLES_SECTION = "jabatan"
"""Folder of the "Tugas per jabatan" pages: an overview and one page per role."""
LEGAL_PAGE = "dasar-hukum.md"
"""The "Dasar hukum" page: every regulation, one anchor each."""
DOCUMENTS_SECTION = "dokumen"
"""Folder of the document pages: the template overview and one page per document."""
DOCUMENTS_PAGE = f"{DOCUMENTS_SECTION}/index.md"
"""The generated page listing every document template."""
FAMILIES_SECTION = "perbandingan"
"""Folder of the comparison pages: an overview and one page per family of SOPs."""
REVIEW_PAGE = "perlu-ditinjau.md"
"""SOPs due for evaluation or monitoring."""
RECENT_PAGE = "perubahan-terbaru.md"
"""SOPs by their latest change."""


def _page_name(key: str) -> str:
    # Ids are already file-safe (lowercase words and hyphens); "index" is a section's own page,
    # so that id is written "_index", which no id or slug can be (they never hold "_").
    return "_index" if key == "index" else key


def role_src(role_id: str) -> str:
    """Page source of a role's "Tugas per jabatan" page."""
    return f"{ROLES_SECTION}/{_page_name(role_id)}.md"


def role_page_src(role_id: str, number: int) -> str:
    """Page source of page ``number`` of a role's page (page 1 is :func:`role_src`)."""
    if number <= 1:
        return role_src(role_id)
    return f"{ROLES_SECTION}/{_page_name(role_id)}/{number}.md"


def document_src(document_id: str) -> str:
    """Page source of a document's page."""
    return f"{DOCUMENTS_SECTION}/{_page_name(document_id)}.md"


def document_page_src(document_id: str, number: int) -> str:
    """Page source of page ``number`` of a document's page (page 1 is :func:`document_src`)."""
    if number <= 1:
        return document_src(document_id)
    return f"{DOCUMENTS_SECTION}/{_page_name(document_id)}/{number}.md"


PAGE_SIZE = 25
"""SOPs per page of a page that lists SOPs without bound (a role's or a document's page)."""


def page_count(items: int) -> int:
    """How many pages of :data:`PAGE_SIZE` SOPs a list of ``items`` SOPs runs to (at least one)."""
    return max(1, -(-items // PAGE_SIZE))


def family_src(family_id: str) -> str:
    """Page source of a family's comparison page."""
    return f"{FAMILIES_SECTION}/{_page_name(family_id)}.md"


def relpath(path: str, start: str) -> str:
    """``posixpath.relpath(path, start)`` for two paths inside the site (relative, not
    climbing out of it), without making them absolute: the pages hold hundreds of thousands
    of links, and the standard function asks the working directory for each one."""
    if not path or path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    target, base = posixpath.normpath(path), posixpath.normpath(start)
    if target.startswith("..") or base.startswith(".."):
        return posixpath.relpath(path, start)
    target_parts = [] if target == "." else target.split("/")
    base_parts = [] if base == "." else base.split("/")
    common = 0
    for mine, theirs in zip(target_parts, base_parts, strict=False):
        if mine != theirs:
            break
        common += 1
    parts = [".."] * (len(base_parts) - common) + target_parts[common:]
    return "/".join(parts) if parts else "."


def rel(from_src: str, to_src: str) -> str:
    """A Markdown link between two page sources (the engine turns it into the right URL)."""
    return relpath(to_src, posixpath.dirname(from_src) or ".")


TEMPLATE_FOLDER = "templat"
"""Sub-folder of the downloads with the blank workbook of every document."""
DIAGRAM_FILE = "diagram.svg"
"""The stand-alone diagram in an SOP's download folder (published as ``<sop-id>-diagram.svg``)."""
SHEET_FILE = "lembar-sop.pdf"
"""The official sheet (PDF) in an SOP's download folder (``<sop-id>-lembar-sop.pdf``)."""
CHECKLIST_FILE = "daftar-periksa.pdf"
"""The checklist (PDF) in an SOP's download folder (``<sop-id>-daftar-periksa.pdf``)."""
WORD_FILE = "lembar-sop.docx"
"""The editable official sheet (Word) in an SOP's download folder (``<sop-id>-lembar-sop.docx``)."""

DOWNLOAD_NAME_LIMIT = 120
"""Most bytes in the name of a downloaded file. File systems allow 255; Windows keeps a
whole path within 260 characters, so a name of 120 leaves room for the folder a clerk saves
it in (a user's Downloads folder and a sub-folder or two)."""

_NAME_HASH = 8
"""Hex digits of the hash that keeps shortened names apart."""


def download_name(owner_id: str, name: str) -> str:
    """The name of a downloaded file ``name`` of an SOP or instansi (``owner_id``, its id or
    slug): ``<owner_id>-<name>``, so the files of several SOPs can be saved in one folder
    without overwriting or being mistaken for one another.

    The one place the naming rule lives: the pipeline, the pages, the PDFs, the Word sheet
    and the catalogue all take file names from :class:`SiteLayout` and :class:`InstansiPage`,
    which call this. A name longer than :data:`DOWNLOAD_NAME_LIMIT` bytes keeps the start of
    the id, then a short hash of the full name (so two shortened names never meet), then
    ``name`` (whole when it can be: the id is shortened first).
    """
    full = f"{owner_id}-{name}"
    if len(full.encode("utf-8")) <= DOWNLOAD_NAME_LIMIT:
        return full
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 8:
        stem, suffix = name, ""
    ending = f".{suffix}" if suffix else ""
    tag = hashlib.sha256(full.encode("utf-8")).hexdigest()[:_NAME_HASH]
    room = DOWNLOAD_NAME_LIMIT - len(ending.encode("utf-8")) - len(tag) - 2  # "<id>-<tag>-<stem>"
    # The id gets what the stem leaves, but never less than half: a long document id is cut too.
    id_part = _cut(owner_id, max(room - len(stem.encode("utf-8")), room // 2))
    stem_part = _cut(stem, room - len(id_part.encode("utf-8")))
    return f"{id_part}-{tag}-{stem_part}{ending}" if stem_part else f"{id_part}-{tag}{ending}"


def _cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` UTF-8 bytes, whole characters, no hyphen at either end."""
    cut = text.encode("utf-8")[: max(limit, 0)].decode("utf-8", "ignore")
    return cut.strip("-")


API_PATH = "api/sop.json"
"""The machine-readable catalogue's index, relative to the site root."""
API_FOLDER = "api/sop/"
"""One JSON file per SOP with everything about it (the index stays small at a thousand SOPs)."""


def api_detail(sop_id: str) -> str:
    """Path of an SOP's own catalogue entry, relative to the site root."""
    return f"{API_FOLDER}{sop_id}.json"


API_ROLES = "api/jabatan/"
"""One JSON file per role with every step it performs (``roles`` in the index summarises)."""
API_DOCUMENTS = "api/dokumen/"
"""One JSON file per document with every SOP step that makes or needs it."""


def api_role(role_id: str) -> str:
    """Path of a role's own catalogue file, relative to the site root."""
    return f"{API_ROLES}{role_id}.json"


def api_document(document_id: str) -> str:
    """Path of a document's own catalogue file, relative to the site root."""
    return f"{API_DOCUMENTS}{document_id}.json"


def schema_path(kind: str) -> str:
    """Where the JSON Schema of a source kind (``sop``, ``dokumen``, ``portal``) is published."""
    return f"schema/{kind}.schema.json"


class InstansiPage(NamedTuple):
    """The overview page of one instansi."""

    instansi: str
    src: str
    """Page source, relative to the docs root."""
    slug: str

    def register(self, name: str) -> str:
        """Site path of the instansi's register file ``name`` (e.g. :data:`REGISTER_PDF`):
        next to its page, named after the instansi (``<slug>-daftar-sop.pdf``)."""
        return posixpath.join(posixpath.dirname(self.src), download_name(self.slug, name))


REGISTER_PDF = "daftar-sop.pdf"
REGISTER_XLSX = "daftar-sop.xlsx"
"""The SOP register of an instansi, printed and as a workbook (next to its page, published
as ``<instansi-slug>-daftar-sop.pdf`` and ``.xlsx``)."""


def instansi_of(catalogue: Catalogue, layout: SiteLayout) -> dict[str, InstansiPage]:
    """Each SOP's instansi page, by SOP id (computed once for all pages)."""
    pages = {page.instansi: page for page in instansi_pages(catalogue, layout)}
    return {
        sop.id: pages[group.instansi] for group in catalogue.by_instansi() for unit in group.units for sop in unit.sops
    }


def instansi_pages(catalogue: Catalogue, layout: SiteLayout) -> list[InstansiPage]:
    """(instansi, page source, slug) of each instansi's overview page, in list order."""
    pages = []
    slugs = UniqueSlugs()
    for group in catalogue.by_instansi():
        slug = slugs.make(group.instansi, fallback="lainnya")
        pages.append(InstansiPage(group.instansi, f"{layout.section}/{slug}/index.md", slug))
    return pages
