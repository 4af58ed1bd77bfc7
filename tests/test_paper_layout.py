"""The printed sheet holds what the signed paper holds (issue 24): the whole procedure of
10 to 12 rows on one page after the identity page; cell text at least 3 points inside its
rules, in the PDF and in the web diagram; the flowchart as the paper draws it (column
numbers, items a./b./c. in one row, on-page connectors, a decision without a Tidak line,
symbols without numbers, rounded boxes) and on upright paper where the office prints so.
Read back from the real PDFs (pdfplumber) and SVGs."""

from __future__ import annotations

import io
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from generator.print.diagram import SVG_NS, web_diagram
from generator.print.layout import Shape
from generator.print.printing import PrintSettings
from generator.print.sheet import Sheet, render_sheet
from generator.sources.catalogue import Catalogue, load_catalogue
from generator.templating import template_environment

from .conftest import ROOT

CASES = Path(__file__).parent / "cases"
ENV = template_environment()
PAPERS = sorted(p.stem for p in (CASES / "paper").glob("*.yaml"))
SEEDS = sorted(p.stem for p in (ROOT / "sop_sources" / "sop").glob("*.yaml"))
OFFICES = sorted(p.stem for p in (CASES / "offices").glob("*.yaml"))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kertas")
    sources = root / "sop_sources"
    shutil.copytree(ROOT / "sop_sources", sources)
    for folder in ("paper", "offices"):
        for path in (CASES / folder).glob("*.yaml"):
            shutil.copy(path, sources / "sop" / path.name)
    return root


@pytest.fixture(scope="module")
def catalogue(project: Path) -> Catalogue:
    found = load_catalogue(project / "sop_sources", project)
    assert found.errors == [], [p.format() for p in found.errors]
    return found


@pytest.fixture(scope="module")
def sheets(catalogue: Catalogue, project: Path) -> dict[str, Sheet]:
    settings = PrintSettings(root=project)
    return {sop.id: render_sheet(sop, ENV, settings) for sop in catalogue.sops}


@pytest.mark.parametrize("sop_id", PAPERS + SEEDS + OFFICES)
def test_the_procedure_prints_on_one_page_after_the_identity_page(sheets: dict[str, Sheet], sop_id: str) -> None:
    """As on the signed papers: page 1 the identity sheet, page 2 the whole procedure (10
    to 12 rows with three- and four-line Kegiatan on seven lanes among them)."""
    sheet = sheets[sop_id]
    assert len(PdfReader(io.BytesIO(sheet.pdf.data)).pages) == 2
    assert len(sheet.procedure_pages) == 1


def _rules(page: pdfplumber.page.Page) -> list[tuple[float, float, float]]:
    """(x, top, bottom) of the procedure table's vertical rules: the sides of its drawn
    column, header and row boxes (grey outlines)."""
    grey = (0.45098, 0.482353, 0.560784)
    boxes = [r for r in page.rects if r["stroke"] and tuple(round(c, 6) for c in r["stroking_color"] or ()) == grey]
    return [(b[side], b["top"], b["bottom"]) for b in boxes for side in ("x0", "x1")]


@pytest.mark.parametrize("sop_id", ["bkpsdm-kenaikan-pangkat", "dpmptsp-izin-reklame", "pace-pengumpulan-data-kinerja"])
def test_cell_text_stands_three_points_inside_its_rules_in_the_pdf(sheets: dict[str, Sheet], sop_id: str) -> None:
    """Every glyph of the procedure table at least 3 points from the vertical rules beside
    it (labels in the lanes at least 1 point), and cell text 3 points below its row's rule."""
    sheet = sheets[sop_id]
    page_geometry = sheet.procedure_pages[0]
    text_columns = [c for c in page_geometry.columns if c.lane is None]
    with pdfplumber.open(io.BytesIO(sheet.pdf.data)) as pdf:
        page = pdf.pages[1]
        rules = _rules(page)
        assert len({round(x, 1) for x, _t, _b in rules}) >= len(page_geometry.columns)
        left = min(x for x, _t, _b in rules)
        chars = [c for c in page.chars if c["text"].strip() and c["top"] > min(t for _x, t, _b in rules)]
        assert len(chars) > 200
        near = 0
        for char in chars:
            middle = (char["top"] + char["bottom"]) / 2
            beside = [x for x, top, bottom in rules if top < middle < bottom]
            if not beside:
                continue  # below the table: the page's footer
            gap = min(min(abs(char["x0"] - x), abs(char["x1"] - x)) for x in beside)
            inside_text_column = any(
                left + c.x < char["x0"] and char["x1"] < left + c.right for c in text_columns if c.key != "no"
            )
            limit = 3.0 if inside_text_column else 1.0
            assert gap >= limit - 0.15, (sop_id, char["text"], round(char["x0"], 2), round(gap, 2))
            near += gap < 3.5
        # Text of the table's body: its first line's glyph box 3 points under the row's rule.
        for row in page_geometry.rows:
            for cell in row.cells:
                assert cell.box.y - row.box.y >= 3.0 and cell.box.x - next(
                    c.x for c in page_geometry.columns if c.key == cell.column
                ) >= (3.0 if cell.column != "no" else 0.0)
        assert near > 10  # the text does start close to its rule: 3 to 3.5 points in


def test_the_web_diagram_draws_cell_text_where_the_layout_put_it(catalogue: Catalogue) -> None:
    """Graphviz centres a label by its own width estimate; the drawing moves each cell's
    text back to its place, at least 3 points inside the column (it was 1 point, or over)."""
    for sop in catalogue.sops:
        svg = ET.fromstring(web_diagram(sop).svg)
        columns: dict[str, float] = {}
        for group in svg.iter(f"{{{SVG_NS}}}g"):
            gid = group.get("id") or ""
            if gid.startswith("col-"):
                polygon = next(group.iter(f"{{{SVG_NS}}}polygon"))
                columns[gid[4:]] = min(float(p.split(",")[0]) for p in (polygon.get("points") or "").split())
        checked = 0
        for group in svg.iter(f"{{{SVG_NS}}}g"):
            css = group.get("class") or ""
            if "text-kegiatan" not in css:
                continue
            for text in group.iter(f"{{{SVG_NS}}}text"):
                assert float(text.get("x") or 0) - columns["kegiatan"] >= 3.0, sop.id
                assert text.get("text-anchor") == "start"
                checked += 1
        assert checked >= len(sop.langkah)


def test_the_flowchart_as_the_paper_draws_it(catalogue: Catalogue, sheets: dict[str, Sheet]) -> None:
    """dpmptsp-izin-reklame: column numbers 1 to 13 under the header, items a./b./c. in the
    first row, a pair of on-page connectors marked 1 for the Tidak of step 8, no Tidak line
    at step 5, symbols without numbers, rounded process boxes; in the PDF and on the web."""
    sop = catalogue.get("dpmptsp-izin-reklame")
    [page] = sheets[sop.id].procedure_pages
    numbers = [h for h in page.header if h.key.startswith("nomor-")]
    assert [h.lines[0] for h in numbers] == [str(n) for n in range(1, 14)]
    assert all(
        h.box.y >= max(c.box.bottom for c in page.header if not c.key.startswith("nomor-")) - 0.01 for h in numbers
    )
    first = next(r for r in page.rows if r.key == "langkah-1")
    kegiatan = next(c for c in first.cells if c.column == "kegiatan")
    assert [line[:3] for line in kegiatan.lines if line[1:3] == ". "] == ["a. ", "b. ", "c. "]
    assert len([r for r in page.rows if not r.is_strip]) == 12  # one row holds the three items
    circles = [s for s in page.symbols if s.shape is Shape.ON_PAGE]
    assert [s.label for s in circles] == ["1", "1"]
    decision_5 = next(s for s in page.symbols if s.step == "langkah-5")
    assert not [r for r in page.routes if r.kind.startswith("tidak") and _leaves(r, decision_5.box)]
    steps = [s for s in page.symbols if s.shape in (Shape.PROCESS, Shape.DECISION, Shape.TERMINATOR)]
    assert steps and all(s.label == "" for s in steps)
    assert all(s.rounded for s in steps if s.shape is Shape.PROCESS)
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(sheets[sop.id].pdf.data)).pages)
    assert "a. gambar desain dan ukuran reklame" in " ".join(text.split())
    svg = web_diagram(sop).svg
    assert "sym-on-page" in svg and "sym-rounded" in svg and 'rx="' in svg


def _leaves(route: object, box: object) -> bool:
    from generator.print.geometry import Box, point_box_distance

    assert isinstance(box, Box)
    return point_box_distance(route.points[0], box) < 1.0  # type: ignore[attr-defined]


def test_an_office_printing_upright_gets_upright_pages(sheets: dict[str, Sheet]) -> None:
    reader = PdfReader(io.BytesIO(sheets["kelurahan-pengantar-nikah"].pdf.data))
    assert all(float(p.mediabox.width) < float(p.mediabox.height) for p in reader.pages)
    landscape = PdfReader(io.BytesIO(sheets["bkpsdm-kenaikan-pangkat"].pdf.data))
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in landscape.pages)


def test_the_items_of_a_row_are_listed_on_the_page_and_in_the_checklist(project: Path) -> None:
    """Items a./b./c. stay in their row on the SOP page (step table and phone cards) and in
    the checklist, as on the sheet."""
    from generator.pipeline.portal import Portal, PortalSettings
    from generator.print.checklist import render_checklist
    from generator.site import SiteLayout
    from generator.web.pages import render_sop_page

    portal = Portal(PortalSettings(root=project, sources=project / "sop_sources", use_cache=False))
    sop = portal.catalogue.get("dpmptsp-izin-reklame")
    page = render_sop_page(sop, portal.catalogue, portal.env, SiteLayout(), context=portal.views.context(sop))
    items = '<ol class="sop-items" type="a"><li>gambar desain dan ukuran reklame</li>'
    assert items in page and '<ol class="sop-card__items" type="a"><li>gambar desain' in page
    checklist = render_checklist(sop, ENV, PrintSettings(root=project))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(checklist.data)).pages)
    assert "gambar desain dan ukuran reklame" in text and "surat persetujuan pemilik lahan" in text
