"""Markdown pages of the portal: one per SOP, and the SOP list for the home page."""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .catalogue import Catalogue
from .durations import MINUTES_PER_WORKDAY, format_minutes, format_number
from .lifecycle import ReviewState, history, long_date
from .markup import html_text, md_cell, md_text
from .model import Performance, Sop, Step, StepKind
from .views import SopContext

NO_INSTANSI = "Instansi tidak disebutkan"
"""Group title for SOPs whose source names no instansi."""


@dataclass(frozen=True)
class SiteLayout:
    """Where generated pages live in the site and how their URLs look."""

    section: str = "sop"
    """Folder (and URL prefix) of the SOP pages."""
    downloads: str = "unduh"
    """Folder of the files generated per SOP (diagram, PDFs), one sub-folder per SOP."""
    directory_urls: bool = True
    """MkDocs ``use_directory_urls``: ``sop/x/`` rather than ``sop/x.html``."""

    def page_src(self, sop: Sop) -> str:
        """Source path of the SOP's Markdown page, relative to the docs root."""
        return f"{self.section}/{sop.id}.md"

    def page_url(self, sop: Sop) -> str:
        """URL of the SOP's page relative to the site root."""
        return f"{self.section}/{sop.id}/" if self.directory_urls else f"{self.section}/{sop.id}.html"

    def artifact(self, sop: Sop, name: str) -> str:
        """Path (= URL) of a generated file of the SOP, relative to the site root."""
        return f"{self.downloads}/{sop.id}/{name}"

    def link_to_artifact(self, from_src: str, sop: Sop, name: str) -> str:
        """Relative link from a page source to a generated file of the SOP."""
        return posixpath.relpath(self.artifact(sop, name), posixpath.dirname(from_src) or ".")

    def workbook(self, document_id: str, sop: Sop | None = None) -> str:
        """Path (= URL) of a document's workbook: the SOP's own, or the blank template."""
        folder = f"{self.downloads}/{sop.id}" if sop else f"{self.downloads}/{TEMPLATE_FOLDER}"
        return f"{folder}/{document_id}.xlsx"

    def href(self, from_src: str, target: str) -> str:
        """Relative URL from the built page of ``from_src`` to a site path (for raw HTML,
        which MkDocs leaves alone)."""
        url = self.url(from_src)
        base = url.rstrip("/") if url.endswith("/") else posixpath.dirname(url)
        href = posixpath.relpath(target, base or ".")
        # A page URL keeps its slash: without it a browser opening the site from disk finds no page.
        return href + "/" if target.endswith("/") and not href.endswith("/") else href

    def href_from_page(self, sop: Sop, target: str) -> str:
        """Relative URL from the SOP's built page to a site path."""
        return self.href(self.page_src(sop), target)

    def link(self, from_src: str, sop: Sop) -> str:
        """Relative Markdown link from one page source to an SOP's page source."""
        return posixpath.relpath(self.page_src(sop), posixpath.dirname(from_src) or ".")

    def url(self, src: str) -> str:
        """The URL (relative to the site root) the engine gives a page source."""
        stem = src[: -len(".md")]
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")]
        return f"{stem}/" if self.directory_urls else f"{stem}.html"


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
    # Ids are already file-safe (lowercase words and hyphens); "index" is a section's own page.
    return "index-1" if key == "index" else key


def role_src(role_id: str) -> str:
    """Page source of a role's "Tugas per jabatan" page."""
    return f"{ROLES_SECTION}/{_page_name(role_id)}.md"


def document_src(document_id: str) -> str:
    """Page source of a document's page."""
    return f"{DOCUMENTS_SECTION}/{_page_name(document_id)}.md"


def family_src(family_id: str) -> str:
    """Page source of a family's comparison page."""
    return f"{FAMILIES_SECTION}/{_page_name(family_id)}.md"


def rel(from_src: str, to_src: str) -> str:
    """A Markdown link between two page sources (the engine turns it into the right URL)."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def template_environment(extra_dirs: Iterable[Path] = ()) -> jinja2.Environment:
    """The Jinja2 environment for every generated text: autoescaping on, strict undefined.

    Folders in ``extra_dirs`` are searched before the generator's own templates, so a
    portal can override any template (the way ``overrides/`` works for the theme).
    """
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in extra_dirs if d.is_dir()]
    loaders.append(jinja2.PackageLoader("generator", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(md=md_text, md_cell=md_cell, text=html_text, minutes=format_minutes, number=format_number)
    env.globals.update(StepKind=StepKind, Performance=Performance, MINUTES_PER_WORKDAY=MINUTES_PER_WORKDAY)
    return env


def theme_text(text: str) -> str:
    """Source text for the theme's templates, which print titles, descriptions, tags and
    navigation labels without escaping them (they expect HTML): entities, on one line."""
    return html.escape(" ".join(text.split()), quote=True)


THEME_TEXT_KEYS = ("title", "description", "tags")
"""Front matter values the theme prints into HTML as they are."""


def front_matter(meta: dict[str, Any], *, hide_toc: bool = True) -> str:
    """YAML front matter for a generated page."""
    meta = {
        key: ([theme_text(v) for v in value] if isinstance(value, list) else theme_text(value))
        if key in THEME_TEXT_KEYS
        else value
        for key, value in meta.items()
    }
    # JSON is valid YAML: every value is quoted and escaped, whatever the source text holds.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    if hide_toc:
        lines.append("hide: [toc]")  # the step table needs the width more than a table of contents
    return "---\n" + "\n".join(lines) + "\n---\n"


def step_label(sop: Sop, key: str) -> str:
    """How a step is named in text: its number as written."""
    return sop.step(key).no


def branch_text(sop: Sop, step: Step) -> str:
    """Where the flow goes after a step, in words, for the step table."""
    index = {s.key: i for i, s in enumerate(sop.langkah)}

    def phrase(target: str) -> str:
        back = index[target] <= index[step.key]
        return ("kembali ke langkah " if back else "ke langkah ") + step_label(sop, target)

    if step.kind is StepKind.KEPUTUSAN:
        assert step.yes and step.no_branch
        return f"Ya: {phrase(step.yes)}; Tidak: {phrase(step.no_branch)}"
    flow = [s.key for s in sop.flow_steps]
    if step.successors and step.key in flow:
        pos = flow.index(step.key)
        natural = flow[pos + 1] if pos + 1 < len(flow) else None
        if step.successors[0] != natural:
            return "Lanjut " + phrase(step.successors[0])
    return ""


def total_note(sop: Sop) -> str:
    """Plain-language caveats of the total time estimate."""
    notes = []
    if sop.total.loops_ignored:
        notes.append("putaran kembali (mis. berkas dikembalikan untuk dilengkapi) tidak dihitung")
    if sop.total.untimed:
        numbers = ", ".join(step_label(sop, k) for k in sop.total.untimed)
        notes.append(f"langkah {numbers} tanpa waktu yang terukur tidak dihitung")
    return "; ".join(notes)


TEMPLATE_FOLDER = "templat"
"""Sub-folder of the downloads with the blank workbook of every document."""
DIAGRAM_FILE = "diagram.svg"
"""Name of the stand-alone diagram in an SOP's download folder."""
SHEET_FILE_NAME = "lembar-sop.pdf"
"""Name of the official sheet (PDF) in an SOP's download folder."""
CHECKLIST_FILE_NAME = "daftar-periksa.pdf"
"""Name of the checklist (PDF) in an SOP's download folder."""


def render_sop_page(
    sop: Sop,
    catalogue: Catalogue,
    env: jinja2.Environment,
    layout: SiteLayout,
    *,
    context: SopContext,
    diagram: str = "",
) -> str:
    """The Markdown page of one SOP; ``context`` is what it shows of the other SOPs and
    ``diagram`` is the inline SVG made by the generator."""
    by_id = catalogue.by_id
    src = layout.page_src(sop)
    uses = catalogue.document_uses[sop.id]
    links = [(link, layout.link(src, by_id[link.sop_id]) if link.sop_id in by_id else None) for link in sop.keterkaitan]
    meta: dict[str, Any] = {
        "title": sop.nama,
        "description": f"SOP {sop.nama}" + (f" — {sop.instansi}" if sop.instansi else ""),
        "sop_id": sop.id,
        # Read by the theme override (overrides/main.html) for the print buttons.
        "sop_sheet": layout.artifact(sop, SHEET_FILE_NAME),
        "sop_checklist": layout.artifact(sop, CHECKLIST_FILE_NAME),
        # Material's tags: each role's page lists the SOPs tagged with it.
        "tags": list(dict.fromkeys(name for _column, _id, name in context.roles)),
    }
    role_of = {column: (role_id, name) for column, role_id, name in context.roles}
    body = env.get_template("sop_page.md.j2").render(
        sop=sop,
        ctx=context,
        links=links,
        branch_text=lambda step: branch_text(sop, step),
        total_note=total_note(sop),
        workdays=sop.total.minutes / MINUTES_PER_WORKDAY,
        diagram=Markup(diagram),  # our own SVG: every source text in it is XML-escaped
        diagram_link=layout.link_to_artifact(src, sop, DIAGRAM_FILE),
        uses=uses,
        use_link=lambda use: posixpath.relpath(layout.workbook(use.document.id, sop), posixpath.dirname(src)),
        item_href=lambda item: (
            layout.href_from_page(sop, layout.workbook(item.document, sop))
            if item.document in catalogue.documents.ids
            else ""
        ),
        documents_page=rel(src, DOCUMENTS_PAGE),
        document_link=lambda document_id: rel(src, document_src(document_id)),
        role_href=lambda column: layout.href_from_page(sop, layout.url(role_src(role_of[column][0]))),
        role_name=lambda column: role_of[column][1],
        legal_link=lambda key: rel(src, LEGAL_PAGE) + "#" + key,
        family_link=lambda family_id: rel(src, family_src(family_id)),
        sop_link=lambda sop_id: layout.link(src, by_id[sop_id]),
        history=history(sop),
        review_page=rel(src, REVIEW_PAGE),
        recent_page=rel(src, RECENT_PAGE),
        long_date=long_date,
        ReviewState=ReviewState,
    )
    return front_matter(meta) + body


def render_documents_page(catalogue: Catalogue, env: jinja2.Environment, layout: SiteLayout) -> str:
    """The "Templat dokumen" page: every document, where it is used, and its downloads."""
    rows = []
    ordered = sorted(catalogue.documents.documents, key=lambda d: (d.for_every_sop, d.title.casefold()))
    for document in ordered:
        used = []
        for sop in catalogue.sops:
            for use in catalogue.document_uses[sop.id]:
                if use.document.id == document.id:
                    used.append((sop, use))
        rows.append((document, used))
    front = front_matter(
        {"title": "Templat dokumen", "description": "Templat Excel dokumen yang dipakai SOP"}, hide_toc=False
    )
    return front + env.get_template("documents_page.md.j2").render(
        rows=rows,
        page_link=lambda sop: layout.link(DOCUMENTS_PAGE, sop),
        blank_link=lambda document: rel(DOCUMENTS_PAGE, layout.workbook(document.id)),
        sop_link=lambda document, sop: rel(DOCUMENTS_PAGE, layout.workbook(document.id, sop)),
        document_link=lambda document: rel(DOCUMENTS_PAGE, document_src(document.id)),
    )


def groups(catalogue: Catalogue) -> list[tuple[str, str, list[tuple[str, list[Sop]]]]]:
    """SOPs grouped by instansi, then by unit: ``[(instansi, pemerintah, [(unit, [sop])])]``.

    The catalogue is already sorted by instansi, unit and name.
    """
    result = []
    for instansi, members in groupby(catalogue.sops, key=lambda s: s.instansi):
        sops = list(members)
        pemerintah = next((s.pemerintah for s in sops if s.pemerintah), "")
        units = [(unit, list(items)) for unit, items in groupby(sops, key=lambda s: s.unit)]
        result.append((instansi or NO_INSTANSI, pemerintah, units))
    return result


def render_sop_list(catalogue: Catalogue, env: jinja2.Environment, layout: SiteLayout, from_src: str) -> str:
    """Markdown list of every SOP grouped by instansi and unit, linked from ``from_src``."""
    return env.get_template("sop_list.md.j2").render(
        groups=groups(catalogue),
        link=lambda sop: layout.link(from_src, sop),
        count=len(catalogue.sops),
    )


def instansi_pages(catalogue: Catalogue, layout: SiteLayout) -> list[tuple[str, str, str]]:
    """(instansi, page source, slug) of each instansi's overview page, in list order."""
    pages = []
    used: set[str] = set()
    for instansi, _pemerintah, _units in groups(catalogue):
        base = re.sub(r"[^a-z0-9]+", "-", instansi.casefold()).strip("-") or "lainnya"
        slug, n = base, 1
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        pages.append((instansi, f"{layout.section}/{slug}/index.md", slug))
    return pages


def render_instansi_page(
    catalogue: Catalogue, env: jinja2.Environment, layout: SiteLayout, instansi: str, src: str
) -> str:
    """The overview page of one instansi: its SOPs grouped by unit."""
    group = [g for g in groups(catalogue) if g[0] == instansi]
    body = env.get_template("sop_list.md.j2").render(
        groups=group,
        link=lambda sop: layout.link(src, sop),
        count=sum(len(sops) for _unit, sops in group[0][2]),
        heading=False,
    )
    front = front_matter({"title": instansi, "description": f"Daftar SOP {instansi}"}, hide_toc=False)
    return front + f"# {md_text(instansi)}\n\n" + body


def nav_entries(catalogue: Catalogue, layout: SiteLayout) -> list[dict[str, Any]]:
    """Navigation in MkDocs ``nav`` form: a section per instansi (with an overview page
    first, which Material shows as the section's own page), a sub-section per unit."""
    entries: list[dict[str, Any]] = []
    index_pages = {instansi: src for instansi, src, _slug in instansi_pages(catalogue, layout)}
    for instansi, _pemerintah, units in groups(catalogue):
        children: list[Any] = [index_pages[instansi]]
        for unit, sops in units:
            pages = [{theme_text(sop.nama): layout.page_src(sop)} for sop in sops]
            if unit:
                children.append({theme_text(unit): pages})
            else:
                children.extend(pages)
        entries.append({theme_text(instansi): children})
    return entries
