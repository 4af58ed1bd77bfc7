"""The SOP register of one instansi as a PDF (``<instansi>-daftar-sop.pdf``, landscape)."""

from __future__ import annotations

import jinja2

from generator.model.register import Register
from generator.print.pdf import RenderedPdf, render_pdf
from generator.print.printing import PrintSettings, page_css, stylesheet


def render_register(register: Register, env: jinja2.Environment, settings: PrintSettings, created: str) -> RenderedPdf:
    """Print ``register`` on the portal's paper, landscape; ``created`` is its metadata date."""
    html = env.get_template("print/register.html.j2").render(
        register=register,
        page_css=page_css(settings.paper, landscape=True),
        created=created,
    )
    return render_pdf(html, root=settings.root, stylesheets=(stylesheet(),))
