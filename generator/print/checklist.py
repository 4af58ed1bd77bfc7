"""The checklist (PDF, portrait) for carrying an SOP out step by step."""

from __future__ import annotations

import posixpath

import jinja2
from markupsafe import Markup, escape

from generator.model.sop import Item, Performance, Sop, StepKind
from generator.print.pdf import RenderedPdf, render_pdf
from generator.print.printing import PrintSettings, document_date, page_css, qr_data_uri, stylesheet
from generator.site import CHECKLIST_FILE

__all__ = ["CHECKLIST_FILE", "render_checklist"]


def render_checklist(sop: Sop, env: jinja2.Environment, settings: PrintSettings) -> RenderedPdf:
    """Print the checklist of ``sop`` on the portal's paper, portrait."""

    def item_html(item: Item) -> Markup:
        """An item; a document gets its workbook's address (a link when the site has one)."""
        if not item.document:
            return escape(item.text)
        target = settings.layout.workbook(item.document, sop)
        if settings.site_url:
            address = settings.address(target)
            return Markup('<a href="{}">{}</a> <span class="xlsx">(templat xlsx)</span>').format(address, item.text)
        name = posixpath.basename(target)
        return Markup('{} <span class="xlsx">(templat: {})</span>').format(item.text, name)

    html = env.get_template("print/checklist.html.j2").render(
        sop=sop,
        item_html=item_html,
        StepKind=StepKind,
        Performance=Performance,
        qr=qr_data_uri(settings, sop),
        page_css=page_css(settings.paper, landscape=False),
        created=document_date(sop),
    )
    return render_pdf(html, root=settings.root, stylesheets=(stylesheet(),))
