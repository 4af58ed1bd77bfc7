"""The checklist (PDF, portrait) for carrying an SOP out step by step."""

from __future__ import annotations

import posixpath

import jinja2
from markupsafe import Markup, escape

from generator.model.sop import Item, Performance, Sop, StepKind
from generator.print.pdf import RenderedPdf, render_pdf
from generator.print.printing import PrintSettings, checklist_stylesheet, document_date, page_css, qr_data_uri
from generator.site import CHECKLIST_FILE

__all__ = ["CHECKLIST_FILE", "render_checklist"]


def render_checklist(sop: Sop, env: jinja2.Environment, settings: PrintSettings) -> RenderedPdf:
    """Print the checklist of ``sop`` on the portal's paper, portrait."""

    def item_html(item: Item) -> Markup:
        """An item; a document is marked as having a template (a link to it when the site has
        an address), whose file is named once, in the list below the table."""
        if not item.document:
            return escape(item.text)
        if settings.site_url:
            address = settings.address(settings.layout.workbook(item.document, sop))
            return Markup('<a href="{}">{}</a> <span class="xlsx">(templat xlsx)</span>').format(address, item.text)
        return Markup('{} <span class="xlsx">(templat xlsx)</span>').format(item.text)

    html = env.get_template("print/checklist.html.j2").render(
        sop=sop,
        item_html=item_html,
        templates=_templates(sop, settings),
        StepKind=StepKind,
        Performance=Performance,
        qr=qr_data_uri(settings, sop),
        page_css=page_css(settings.paper, landscape=False),
        created=document_date(sop),
    )
    return render_pdf(html, root=settings.root, stylesheets=(checklist_stylesheet(),))


def _templates(sop: Sop, settings: PrintSettings) -> list[tuple[str, str, str]]:
    """The workbook templates of the documents the steps name, in the order the steps first
    name them: (document, file name, address or ""). A file name is printed once, below the
    table, not in every cell that names its document (in a 18 mm column it took six lines)."""
    seen: dict[str, tuple[str, str, str]] = {}
    for step in sop.langkah:
        for item in (*step.kelengkapan, *step.output):
            if item.document and item.document not in seen:
                target = settings.layout.workbook(item.document, sop)
                address = settings.address(target) if settings.site_url else ""
                seen[item.document] = (item.text, posixpath.basename(target), address)
    return list(seen.values())
