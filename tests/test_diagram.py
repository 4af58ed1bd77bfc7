"""Swimlane diagrams: golden DOT, the SVG Graphviz draws, and the routing rules."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from itertools import combinations, pairwise
from pathlib import Path

import graphviz
import pytest

from generator.model.sop import Performance, StepKind
from generator.print import diagram
from generator.print.diagram import SVG_NS, WEB_SPEC, page_dot, web_diagram
from generator.print.layout import Page, Shape, SheetSpec, layout_sheet
from generator.print.sheet import sheet_spec
from generator.print.textmetrics import CSS_FONT_STACK
from generator.sources.catalogue import Catalogue, load_catalogue

from .conftest import ROOT, UPDATE_GOLDEN, SourceWriter

GOLDEN = Path(__file__).parent / "golden"
NS = {"svg": SVG_NS}

COMPLEX = """\
nama_sop: Rumit
pelaksana: [Camat, Sekcam, Kasi, Staf, Arsiparis]
langkah:
  - {no: 1, kegiatan: "Mulai \\"kutip\\" {kurung} \\\\ garis miring", pelaksana: Staf}
  - {no: 2, kegiatan: Rapat, pelaksana: [Camat, Kasi, Arsiparis]}
  - no: 3
    kegiatan: Paraf berjenjang
    rantai: [Staf, Kasi, Sekcam]
  - no: 4
    kegiatan: Kelompok
    sub_langkah:
      - {no: 4a, kegiatan: Periksa, pelaksana: Camat, jenis: keputusan, ya: 4b, tidak: 2}
      - {no: 4b, kegiatan: Ketik, pelaksana: Staf}
  - {no: 5, kegiatan: Putuskan, pelaksana: Sekcam, jenis: keputusan, ya: 7, tidak: 1}
  - {no: 6, kegiatan: Dilompati, pelaksana: Arsiparis, lanjut_ke: 5}
  - {no: 7, kegiatan: Cek akhir, pelaksana: Staf, jenis: keputusan, ya: 8, tidak: 6}
  - {no: 8, kegiatan: Arsip, pelaksana: Arsiparis}
"""


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(ROOT / "sop_sources", ROOT)


@pytest.fixture
def complex_catalogue(write_sources: SourceWriter, tmp_path: Path) -> Catalogue:
    catalogue = load_catalogue(write_sources({"rumit.yaml": COMPLEX}), tmp_path)
    assert catalogue.problems == ()
    return catalogue


SEED_IDS = sorted(p.stem for p in (ROOT / "sop_sources" / "sop").glob("*.yaml"))


@pytest.mark.parametrize("sop_id", SEED_IDS)
def test_golden_dot(catalogue: Catalogue, sop_id: str) -> None:
    [page] = layout_sheet(catalogue.get(sop_id), WEB_SPEC)
    dot = page_dot(page)
    path = GOLDEN / f"{sop_id}.dot"
    if UPDATE_GOLDEN:
        path.write_text(dot, encoding="utf-8")
    assert dot == path.read_text(encoding="utf-8")


class _PackageDot:
    """The graphviz package's own builder, behind the calls ``page_dot`` makes."""

    def __init__(self, name: str) -> None:
        self.graph = graphviz.Digraph(name, engine="neato")

    def attr(self, kind: str, **attrs: str) -> None:
        self.graph.attr(kind, **attrs)

    def node(self, name: str, label: str | None = None, **attrs: str) -> None:
        self.graph.node(name, label, **attrs)

    def edge(self, tail: str, head: str, **attrs: str) -> None:
        self.graph.edge(tail, head, **attrs)

    @property
    def source(self) -> str:
        return str(self.graph.source)


def test_dot_text_is_what_the_graphviz_package_writes(
    catalogue: Catalogue, complex_catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``page_dot`` writes DOT as text (for speed); on every page of the seeds, the stress
    cases (printed and web) and an SOP of quotes, braces and backslashes, the text is the
    package's, character for character."""
    shutil.copytree(ROOT / "sop_sources", tmp_path / "sumber")
    for case in (ROOT / "tests" / "cases" / "stress").glob("*.yaml"):
        shutil.copy(case, tmp_path / "sumber" / "sop" / case.name)
    stress = load_catalogue(tmp_path / "sumber", tmp_path)
    sops = [*catalogue.sops, *complex_catalogue.sops, *stress.sops]
    pages = [page for sop in sops for spec in (WEB_SPEC, sheet_spec("A4", 0)) for page in layout_sheet(sop, spec)]
    ours = [page_dot(page) for page in pages]
    monkeypatch.setattr(diagram, "_Dot", _PackageDot)
    assert [page_dot(page) for page in pages] == ours
    assert len(pages) > 20 and any('\\"kutip\\"' in dot for dot in ours)


@pytest.mark.parametrize("sop_id", SEED_IDS)
def test_graphviz_draws_the_dot_without_complaint(sop_id: str) -> None:
    dot = (GOLDEN / f"{sop_id}.dot").read_text(encoding="utf-8")
    result = subprocess.run(["neato", "-n2", "-Tsvg"], input=dot, capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stderr == ""
    assert "<svg" in result.stdout


def _svg(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _groups(root: ET.Element, css: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{{{SVG_NS}}}g") if css in (g.get("class") or "").split()]


def _bbox(group: ET.Element) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for shape in group:
        if shape.tag == f"{{{SVG_NS}}}rect":
            x, y = float(shape.get("x", 0)), float(shape.get("y", 0))
            xs += [x, x + float(shape.get("width", 0))]
            ys += [y, y + float(shape.get("height", 0))]
        elif shape.tag in (f"{{{SVG_NS}}}polygon", f"{{{SVG_NS}}}path"):
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.get("points") or shape.get("d") or "")]
            xs += numbers[0::2]
            ys += numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.parametrize("sop_id", SEED_IDS)
def test_svg_has_lanes_symbols_and_text_alternative(catalogue: Catalogue, sop_id: str) -> None:
    sop = catalogue.get(sop_id)
    root = _svg(web_diagram(sop).svg)
    assert root.get("role") == "img"
    assert root.find("svg:title", NS) is not None and sop.nama in (root.find("svg:title", NS).text or "")
    assert "tabel Prosedur" in (root.find("svg:desc", NS).text or "")
    headers = ["".join(t.text or "" for t in g.iter(f"{{{SVG_NS}}}text")) for g in _groups(root, "header")]
    for role in sop.pelaksana:
        assert role.name.replace(" ", "") in {h.replace(" ", "") for h in headers}, role.name

    symbols = _groups(root, "sym")
    expected = sum(len(s.roles) for s in sop.langkah)
    assert len(symbols) == expected, "one symbol per performer of every step (a chain or joint step has several)"
    flow = sop.flow_steps
    for step in sop.langkah:
        mine = [g for g in symbols if (g.get("id") or "").startswith(f"sym-{step.key}-")]
        assert len(mine) == len(step.roles)
        texts = {"".join(t.text or "" for t in g.iter(f"{{{SVG_NS}}}text")) for g in mine}
        assert texts <= {step.no}
        shapes = {c.split("-", 1)[1] for g in mine for c in (g.get("class") or "").split() if c.startswith("sym-")}
        if step.kind is StepKind.KEPUTUSAN:
            assert shapes == {"decision"}
        elif step.key in (flow[0].key, flow[-1].key) and step.performance is not Performance.RANTAI:
            assert shapes == {"terminator"}
        elif step.performance is not Performance.RANTAI:
            assert shapes == {"process"}
    # No symbol outside its lane: each symbol's box lies inside its column.
    for step in sop.langkah:
        for n, role in enumerate(step.roles):
            lane = sop.role_names.index(role)
            [group] = [g for g in symbols if g.get("id") == f"sym-{step.key}-{n}"]
            [column] = [g for g in root.iter(f"{{{SVG_NS}}}g") if g.get("id") == f"col-lane-{lane}"]
            x1, y1, x2, y2 = _bbox(group)
            cx1, cy1, cx2, cy2 = _bbox(column)
            assert cx1 < x1 and x2 < cx2 and cy1 < y1 and y2 < cy2, (step.no, role)


def test_decisions_have_labelled_exits(catalogue: Catalogue) -> None:
    root = _svg(web_diagram(catalogue.get("dawarblandong-pengukuran-data-kinerja")).svg)
    labels = {"".join(t.text or "" for t in g.iter(f"{{{SVG_NS}}}text")) for g in _groups(root, "route-label")}
    assert labels == {"Ya", "Tidak"}
    assert len(_groups(root, "route-ya")) == 1 and len(_groups(root, "route-tidak")) == 1


def test_terminators_are_true_capsules(catalogue: Catalogue) -> None:
    root = _svg(web_diagram(catalogue.get("bangsal-pengumpulan-data-kinerja")).svg)
    capsules = _groups(root, "sym-terminator")
    assert len(capsules) == 2
    for group in capsules:
        rect = group.find("svg:rect", NS)
        assert rect is not None
        assert float(rect.get("rx", 0)) == pytest.approx(float(rect.get("height", 0)) / 2)


def test_web_diagram_says_its_text_style_once(catalogue: Catalogue) -> None:
    """Family, commonest size and anchor on the root (inherited), not on each text: every
    text still resolves to the portal's font stack, and bold labels keep their weight."""
    root = _svg(web_diagram(catalogue.get("dawarblandong-pengukuran-data-kinerja")).svg)
    texts = list(root.iter(f"{{{SVG_NS}}}text"))
    assert len(texts) > 50
    assert root.get("font-family") == CSS_FONT_STACK and root.get("font-size") and root.get("text-anchor")
    assert all(t.get("font-family") is None for t in texts)
    assert sum(t.get("font-size") is None for t in texts) > len(texts) / 2
    assert any(t.get("font-weight") == "bold" for t in texts)  # headers and Ya/Tidak


def _contrast(one: str, other: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_lines_of_the_printed_and_stand_alone_diagram_stand_out() -> None:
    """WCAG 1.4.11 for the PDF and the stand-alone SVG (the web page restyles them per
    scheme; tests/test_browser.py measures those): rules and lines at 3:1 or more against
    every fill they are drawn on."""
    fills = [c for key, c in diagram.COLORS.items() if key not in ("grid", "ink")] + list(diagram.FILL.values())
    for line in ("grid", "ink"):
        worst = min(_contrast(diagram.COLORS[line], fill) for fill in fills)
        assert worst >= 3, (line, round(worst, 2))


def test_rendering_is_deterministic(catalogue: Catalogue) -> None:
    sop = catalogue.get("lumajang-pengumpulan-data-kinerja")
    assert web_diagram(sop).svg == web_diagram(sop).svg


def test_hostile_text_is_escaped_in_dot_and_svg(complex_catalogue: Catalogue) -> None:
    sop = complex_catalogue.get("rumit")
    drawing = web_diagram(sop)
    texts = " ".join(t.text or "" for t in _svg(drawing.svg).iter(f"{{{SVG_NS}}}text"))
    assert 'Mulai "kutip" {kurung} \\ garis miring' in texts


def _segments(points: tuple[tuple[float, float], ...]) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    return list(pairwise(points))


def _crosses(seg: tuple[tuple[float, float], tuple[float, float]], box: tuple[float, float, float, float]) -> bool:
    (x1, y1), (x2, y2) = seg
    bx1, by1, bx2, by2 = box
    eps = 0.5
    lx, hx, ly, hy = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
    return lx < bx2 - eps and hx > bx1 + eps and ly < by2 - eps and hy > by1 + eps


def _check_routing(page: Page) -> None:
    boxes = {s.id: (s.box.x, s.box.y, s.box.right, s.box.bottom) for s in page.symbols}

    def touching(point: tuple[float, float]) -> set[str]:
        x, y = point
        return {k for k, (x1, y1, x2, y2) in boxes.items() if x1 - 0.5 <= x <= x2 + 0.5 and y1 - 0.5 <= y <= y2 + 0.5}

    for route in page.routes:
        segments = _segments(route.points)
        assert all(a[0] == b[0] or a[1] == b[1] for a, b in segments), f"{route.id} is not orthogonal"
        for n, seg in enumerate(segments):
            # The first and last segment meet their own symbol on its outline (a diamond's
            # slanted side lies inside its bounding box); every other symbol is off limits.
            own = (touching(seg[0]) if n == 0 else set()) | (touching(seg[1]) if n == len(segments) - 1 else set())
            for symbol_id, box in boxes.items():
                if symbol_id not in own:
                    assert not _crosses(seg, box), f"{route.id} crosses {symbol_id}"
    for r1, r2 in combinations(page.routes, 2):
        for (a1, a2), (b1, b2) in ((s, t) for s in _segments(r1.points) for t in _segments(r2.points)):
            if a1[0] == a2[0] == b1[0] == b2[0]:  # both vertical on one line
                overlap = min(max(a1[1], a2[1]), max(b1[1], b2[1])) - max(min(a1[1], a2[1]), min(b1[1], b2[1]))
            elif a1[1] == a2[1] == b1[1] == b2[1]:  # both horizontal on one line
                overlap = min(max(a1[0], a2[0]), max(b1[0], b2[0])) - max(min(a1[0], a2[0]), min(b1[0], b2[0]))
            else:
                continue
            assert overlap <= 0.5, f"{r1.id} and {r2.id} lie on each other"


@pytest.mark.parametrize("sop_id", SEED_IDS)
def test_seed_routes_never_cross_symbols_or_each_other(catalogue: Catalogue, sop_id: str) -> None:
    [page] = layout_sheet(catalogue.get(sop_id), WEB_SPEC)
    _check_routing(page)


def test_complex_routes_never_cross_symbols_or_each_other(complex_catalogue: Catalogue) -> None:
    sop = complex_catalogue.get("rumit")
    [page] = layout_sheet(sop, WEB_SPEC)
    _check_routing(page)
    # Every flow edge is drawn: 2 per decision, 1 per other step but the last, plus chain/joint links.
    flow = [s for s in sop.langkah if s.has_symbol]
    edges = sum(len(s.successors) for s in flow)
    assert len([r for r in page.routes if r.id.startswith("edge-")]) == edges
    assert len([r for r in page.routes if r.kind == "joint"]) == 2
    assert len([r for r in page.routes if r.kind == "chain"]) == 2


def test_consecutive_steps_in_one_lane_are_joined_straight(catalogue: Catalogue) -> None:
    sop = catalogue.get("bangsal-pengumpulan-data-kinerja")
    [page] = layout_sheet(sop, WEB_SPEC)
    lanes = {s.step: s.lane for s in page.symbols}
    straight = 0
    for route in page.routes:
        a = next(
            s for s in page.symbols if s.box.cx == route.points[0][0] and abs(s.box.bottom - route.points[0][1]) < 0.01
        )
        b = next(
            s for s in page.symbols if s.box.cx == route.points[-1][0] and abs(s.box.y - route.points[-1][1]) < 0.01
        )
        if lanes[a.step] == lanes[b.step]:
            assert len(route.points) == 2 and route.points[0][0] == route.points[1][0]
            straight += 1
    assert straight == 7  # 3->4 and 5->6->...->11


def test_rows_align_across_lanes_and_text_fits(catalogue: Catalogue) -> None:
    sop = catalogue.get("pace-pengumpulan-data-kinerja")
    [page] = layout_sheet(sop, WEB_SPEC)
    rows = {r.key: r.box for r in page.rows}
    for symbol in page.symbols:
        row = rows[symbol.step]
        assert row.y < symbol.box.y and symbol.box.bottom < row.bottom, "every symbol sits inside its step's row"
    for row in page.rows:
        for cell in row.cells:
            column = next(c for c in page.columns if c.key == cell.column)
            assert cell.box.x >= column.x and cell.box.right <= column.x + column.width, "text never overflows"
            assert cell.box.bottom <= row.box.bottom


def test_pagination_adds_lettered_connector_pairs(complex_catalogue: Catalogue) -> None:
    sop = complex_catalogue.get("rumit")
    pages = layout_sheet(sop, SheetSpec(steps_per_page=3))
    # 10 rows (heading row 4 stays with 4a): [1 2 3] [4 4a 4b] [5 6 7] [8]
    assert [[r.key for r in p.rows if not r.is_strip] for p in pages] == [
        ["langkah-1", "langkah-2", "langkah-3"],
        ["langkah-4", "langkah-4a", "langkah-4b"],
        ["langkah-5", "langkah-6", "langkah-7"],
        ["langkah-8"],
    ]
    connectors = [(p.number, s) for p in pages for s in p.symbols if s.shape is Shape.CONNECTOR]
    letters = [s.label for _, s in connectors]
    assert letters and all(letters.count(letter) == 2 for letter in letters), "connectors come in pairs"
    for letter in set(letters):
        [(p1, _), (p2, _)] = [(n, s) for n, s in connectors if s.label == letter]
        assert p1 != p2, "a pair joins two pages"
    for page in pages:
        _check_routing(page)
