"""What the printed documents share: paper, footer, QR code, logo and the print stylesheet."""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from urllib.parse import urljoin

import segno
from markupsafe import Markup

from generator.model.sop import Sop
from generator.print.images import print_image
from generator.print.pdf import MM, PAPER_MM, Signing
from generator.site import SiteLayout

PAPERS = tuple(PAPER_MM)
"""Paper names accepted in configuration."""

MARGIN_MM = {"top": 10.0, "right": 10.0, "bottom": 16.0, "left": 10.0}
"""Page margins; the bottom one holds the footer."""


@dataclass(frozen=True)
class PrintSettings:
    """Portal-wide print configuration (each SOP may override paper and steps per page)."""

    root: Path
    """Project folder: the only place documents may load files from."""
    paper: str = "A4"
    steps_per_page: int | None = None
    """Most rows per procedure page (``None``: as many as fit)."""
    site_url: str = ""
    """Public address of the portal; when set, printed pages carry a QR code to the SOP page."""
    logos: Mapping[str, str] = field(default_factory=dict)
    """Logo file per instansi or pemerintah (as written in the sources), absolute paths."""
    signing: Signing | None = None
    layout: SiteLayout = field(default_factory=SiteLayout)
    """Where the portal puts pages and downloads (for the QR code and workbook links)."""

    def address(self, path: str) -> str:
        """Public address of a path of the site, or "" when no site address is configured."""
        return urljoin(self.site_url.rstrip("/") + "/", path) if self.site_url else ""

    def paper_for(self, sop: Sop) -> str:
        """The paper this SOP's sheet is printed on."""
        return sop.paper or self.paper

    def steps_for(self, sop: Sop) -> int | None:
        """Most rows per procedure page for this SOP (``None``: as many as fit)."""
        return sop.steps_per_page or self.steps_per_page

    def landscape_for(self, sop: Sop) -> bool:
        """Whether this SOP's sheet is printed on landscape paper (the official form)."""
        return not sop.form.portrait


def page_size_mm(paper: str, *, landscape: bool) -> tuple[float, float]:
    """Width and height of the paper in millimetres, in the given orientation."""
    short, long = PAPER_MM[paper]
    return (long, short) if landscape else (short, long)


def content_size_pt(paper: str, *, landscape: bool) -> tuple[float, float]:
    """Width and height inside the margins, in points."""
    width, height = page_size_mm(paper, landscape=landscape)
    return (
        (width - MARGIN_MM["left"] - MARGIN_MM["right"]) * MM,
        (height - MARGIN_MM["top"] - MARGIN_MM["bottom"]) * MM,
    )


def page_css(paper: str, *, landscape: bool) -> Markup:
    """The ``@page`` rule for a paper and orientation (numbers only, nothing from sources)."""
    width, height = page_size_mm(paper, landscape=landscape)
    m = MARGIN_MM
    return Markup(
        f"@page {{ size: {width:g}mm {height:g}mm; "
        f"margin: {m['top']:g}mm {m['right']:g}mm {m['bottom']:g}mm {m['left']:g}mm; }}"
    )


def stylesheet() -> Markup:
    """The whole print stylesheet shipped with the generator: the shared rules, the official
    sheet's and the checklist's (the sheet, the register and the benchmark's floor print with it)."""
    return _print_css("print.css", "sheet.css", "checklist.css")


def checklist_stylesheet() -> Markup:
    """The checklist's print stylesheet: the shared rules and its own only."""
    return _print_css("print.css", "checklist.css")


def _print_css(*names: str) -> Markup:
    """The generator's print stylesheets ``names`` (templates/print/), in that order."""
    folder = resources.files("generator").joinpath("templates/print")
    return Markup("".join(folder.joinpath(name).read_text(encoding="utf-8") for name in names))  # our own files


def qr_data_uri(settings: PrintSettings, sop: Sop) -> str:
    """A QR code of the SOP page's address, or "" when no site address is configured."""
    address = settings.address(settings.layout.page_url(sop))
    if not address:
        return ""
    # PNG, not SVG: an SVG image in a running footer breaks WeasyPrint's inline SVGs on
    # later pages (they fall back to their text). 6 px per module prints crisp at 12 mm.
    return str(segno.make(address, error="m").png_data_uri(scale=6, border=0))


def logo_data_uri(settings: PrintSettings, sop: Sop) -> str:
    """The logo for the sheet's letterhead: the SOP's own, else the portal's for its office."""
    path = sop.logo or settings.logos.get(sop.instansi) or settings.logos.get(sop.pemerintah) or ""
    if not path:
        return ""
    data, mime = print_image(Path(path))  # at print resolution: never a 5000-pixel scan in each PDF
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def document_datetime(sop: Sop | None) -> datetime:
    """Date written into generated files' metadata, never the clock (builds are reproducible).

    SOURCE_DATE_EPOCH when set; otherwise the SOP's latest date (revision, effect or
    drafting); otherwise (no SOP, or an SOP without dates) 1 January 2000.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    dates = [d.value for d in (sop.tanggal_revisi, sop.tanggal_efektif, sop.tanggal_pembuatan) if d] if sop else []
    day = max(dates) if dates else datetime(2000, 1, 1, tzinfo=UTC).date()
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def document_date(sop: Sop) -> str:
    """:func:`document_datetime` as the ISO text HTML metadata wants."""
    return document_datetime(sop).strftime("%Y-%m-%dT%H:%M:%SZ")
