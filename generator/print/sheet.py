"""The official SOP sheet (PDF): identity sheet and paginated procedure sheet."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from generator.indexes.lifecycle import history
from generator.model.sop import Sop
from generator.print.diagram import describe, for_print, render_page
from generator.print.layout import Page, SheetSpec, layout_sheet
from generator.print.pdf import MM, SIGNATURE_FIELD, RenderedPdf, anchor_page, layout_document, render_pdf
from generator.print.printing import (
    PrintSettings,
    content_size_pt,
    document_date,
    logo_data_uri,
    page_css,
    qr_data_uri,
    stylesheet,
)
from generator.print.textmetrics import text_width
from generator.site import SHEET_FILE

IDENTITY_SIZES = (8.5, 8.0, 7.5, 7.0)
"""Type sizes (pt) the identity sheet tries, largest first; 7 pt is the legible floor."""

TITLE_ALLOWANCE_PT = 22.0
"""Room above each procedure page's table for its heading."""


PROCEDURE_SIZE = 7.5
"""Type size (pt) of the procedure sheet; it steps down to :data:`PROCEDURE_MIN_SIZE` while
that saves a page, as the identity sheet's does to stay on one."""
PROCEDURE_MIN_SIZE = 7.0


def sheet_spec(paper: str, steps_per_page: int | None = None, *, landscape: bool = True) -> SheetSpec:
    """Columns and sizes of the procedure sheet on ``paper`` (landscape, the official form,
    unless the SOP's paper is upright). The text columns' widths are weights: the layout
    gives the lanes what their symbols need (40 to 70 points) and the text the rest."""
    width, height = content_size_pt(paper, landscape=landscape)
    return SheetSpec(
        leading=(("no", "No", 20.0), ("kegiatan", "Kegiatan", 150.0)),
        trailing=(
            ("kelengkapan", "Kelengkapan", 92.0),
            ("waktu", "Waktu", 46.0),
            ("output", "Output", 92.0),
            ("keterangan", "Keterangan", 62.0),
        ),
        lane_width=70.0,
        min_lane_width=40.0,
        total_width=width - 9.0,  # Graphviz adds a small pad around the drawing
        font_size=PROCEDURE_SIZE,
        min_font_size=PROCEDURE_MIN_SIZE,
        padding=3.5,
        steps_per_page=steps_per_page,
        max_height=height - TITLE_ALLOWANCE_PT - 9.0,
        min_row_height=20.0,
        symbol_scale=0.7,
        groups=(("PELAKSANA", ("lanes",)), ("MUTU BAKU", ("kelengkapan", "waktu", "output"))),
    )


@dataclass(frozen=True)
class Sheet:
    """The rendered sheet with the numbers tests and notes need."""

    pdf: RenderedPdf
    procedure_pages: tuple[Page, ...]
    html: str


def labelled(spec: SheetSpec, sop: Sop) -> SheetSpec:
    """The sheet's column titles as the SOP's own paper prints them (``cetak.label``)."""

    def titles(columns: tuple[tuple[str, str, float], ...]) -> tuple[tuple[str, str, float], ...]:
        return tuple((key, sop.label(key), width) for key, _title, width in columns)

    groups = tuple(
        (sop.printed_label("pelaksana") if keys == ("lanes",) else sop.printed_label("mutu_baku"), keys)
        for _title, keys in spec.groups
    )
    return dataclasses.replace(spec, leading=titles(spec.leading), trailing=titles(spec.trailing), groups=groups)


def kop_lines(sop: Sop) -> list[str]:
    """The letterhead's lines as printed, top to bottom (:attr:`Sop.kop_lines`)."""
    return list(sop.kop_lines)


IDENTITY_COLUMNS = {"kop": 0.48, "label": 0.17, "value": 0.35}
"""Shares of the width the identity table's columns take (sheet.css: ``.identity``)."""

FIXED_SLACK = 0.85
"""Share of a column a word may fill for :func:`fixed_tables` to trust the fixed layout
(the metrics know Liberation Sans only; a glyph from another font may be wider)."""


def _longest_word(texts: Iterable[str], size: float, *, bold: bool = False) -> float:
    return max((text_width(word, size, bold=bold) for text in texts if text for word in text.split()), default=0.0)


def fixed_tables(sop: Sop, kop: Sequence[str], links: Sequence[str], size: float, width: float) -> bool:
    """Whether the identity sheet's tables may be laid out with CSS's fixed table layout.

    Their columns have set shares of the width (sheet.css); the automatic layout gives them
    exactly those shares unless a word (or a label, which never wraps) is wider than its
    column, and then widens that column. WeasyPrint's automatic layout first measures every
    cell's narrowest and widest lines, half of the identity sheet's text work: when every
    word fits its column with room to spare, the fixed layout gives the same page for less.
    ``size`` is the identity sheet's type size, ``width`` the page's width inside the margins
    (points)."""
    cell_pad = 2 * 1.6 * MM + 1.0  # padding on both sides, and the rules
    labels = [
        sop.printed_label(key)
        for key in ("nomor_sop", "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif", "disahkan_oleh", "nama_sop")
    ]
    label_room = IDENTITY_COLUMNS["label"] * width - cell_pad
    if max(text_width(label, size, bold=True) for label in labels) > FIXED_SLACK * label_room:
        return False
    approver = sop.disahkan_oleh
    titles = [line if approver.jabatan_lines else line.upper() for line in approver.title_lines]
    values = [
        sop.nomor,
        *(date.text for date in (sop.tanggal_pembuatan, sop.tanggal_revisi, sop.tanggal_efektif) if date),
        approver.nama,
        approver.pangkat,
        f"NIP. {approver.nip}" if approver.nip else "",
    ]
    value_room = IDENTITY_COLUMNS["value"] * width - cell_pad
    if (
        max(
            _longest_word(values, size),
            _longest_word(titles, size, bold=True),
            _longest_word([sop.nama.upper()], size * 1.176, bold=True),
            60 * MM,  # the signature's space
        )
        > FIXED_SLACK * value_room
    ):
        return False
    kop_room = IDENTITY_COLUMNS["kop"] * width - 2 * 4 * MM - 1.0
    if max(_longest_word(kop, size * 1.294, bold=True), _longest_word([sop.alamat or ""], size * 0.941), 40 * MM) > (
        FIXED_SLACK * kop_room
    ):
        return False
    grid_room = 0.5 * width - cell_pad - 6 * MM  # the lists' numbers hang in their indent
    grid_labels = [
        sop.printed_label(key)
        for key in (
            "dasar_hukum",
            "kualifikasi_pelaksana",
            "keterkaitan",
            "peralatan_perlengkapan",
            "peringatan",
            "pencatatan_pendataan",
        )
    ]
    items = [
        *sop.dasar_hukum,
        *sop.kualifikasi_pelaksana,
        *links,
        *sop.peralatan_perlengkapan,
        *sop.peringatan,
        *sop.pencatatan_pendataan,
    ]
    return max(_longest_word(grid_labels, size, bold=True), _longest_word(items, size)) <= FIXED_SLACK * grid_room


def svg_image(svg: str) -> Markup:
    """A drawing as an ``<img>`` with an SVG data URI: WeasyPrint draws the same picture as
    from inline SVG, at about two thirds of the time (no HTML box per SVG element)."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup(f'<img class="drawing" alt="" src="data:image/svg+xml;base64,{data}">')


def render_sheet(sop: Sop, env: jinja2.Environment, settings: PrintSettings) -> Sheet:
    """Lay out, draw and print the official sheet of ``sop``."""
    paper = settings.paper_for(sop)
    landscape = settings.landscape_for(sop)
    spec = labelled(sheet_spec(paper, settings.steps_for(sop), landscape=landscape), sop)
    pages = layout_sheet(sop, spec)
    svgs = [
        svg_image(  # our own SVG: every source text in it is XML-escaped
            for_print(
                render_page(
                    page,
                    title=f"Prosedur SOP {sop.nama}, halaman {page.number}",
                    description=describe(sop),
                    element_id=f"prosedur-{sop.id}-{page.number}",
                    font_size=page.font_size,
                    id_prefix=f"{sop.id}-p{page.number}-",
                ).svg
            )
        )
        for page in pages
    ]
    links = [link.text for link in sop.keterkaitan]
    kop = kop_lines(sop)
    width, _height = content_size_pt(paper, landscape=landscape)

    def html_at(size: float) -> str:
        return env.get_template("print/sheet.html.j2").render(
            sop=sop,
            kop=kop,
            links=links,
            pages=svgs,
            logo=logo_data_uri(settings, sop),
            qr=qr_data_uri(settings, sop),
            page_css=page_css(paper, landscape=landscape),
            created=document_date(sop),
            # Oldest first on paper, like a register; printed only when the source keeps a history.
            history=tuple(reversed(history(sop))) if sop.riwayat else (),
            identity_size=f"{size:g}",
            fixed=fixed_tables(sop, kop, links, size, width),
        )

    # The identity sheet is one page, as on paper: its type shrinks (to a legible floor)
    # before anything spills onto a second page.
    for size in IDENTITY_SIZES:
        html = html_at(size)
        document = layout_document(html, root=settings.root, stylesheets=(stylesheet(),))
        if (anchor_page(document, "prosedur") or 0) <= 1:
            break
    pdf = render_pdf(
        html,
        root=settings.root,
        signature_anchor="ttd",
        signing=settings.signing,
        reason=f"Pengesahan SOP {sop.nomor or sop.nama}",
        document=document,
    )
    return Sheet(pdf=pdf, procedure_pages=tuple(pages), html=html)


__all__ = ["SHEET_FILE", "SIGNATURE_FIELD", "Sheet", "render_sheet", "sheet_spec"]
