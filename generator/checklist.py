"""The checklist (PDF, portrait) for carrying an SOP out step by step."""

from __future__ import annotations

import posixpath

import jinja2
from markupsafe import Markup, escape

from .model import Item, Performance, Sop, Step, StepKind
from .pages import CHECKLIST_FILE_NAME as CHECKLIST_FILE
from .pdf import RenderedPdf, render_pdf
from .printing import PrintSettings, document_date, page_css, qr_data_uri, stylesheet

__all__ = ["CHECKLIST_FILE", "render_checklist"]


def render_checklist(sop: Sop, env: jinja2.Environment, settings: PrintSettings) -> RenderedPdf:
    """Print the checklist of ``sop`` on the portal's paper, portrait."""
    index = {s.key: i for i, s in enumerate(sop.langkah)}

    def branch(step: Step, target: str | None) -> str:
        """Where an outcome leads, e.g. "kembali ke langkah 7"."""
        if target is None:
            return ""
        back = index[target] <= index[step.key]
        return ("kembali ke" if back else "lanjut ke") + f" langkah {sop.step(target).no}"

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
        branch=branch,
        StepKind=StepKind,
        Performance=Performance,
        qr=qr_data_uri(settings, sop),
        css=stylesheet(),
        page_css=page_css(settings.paper, landscape=False),
        created=document_date(sop),
    )
    return render_pdf(html, root=settings.root)
