"""Swimlane flowcharts: the computed geometry written as DOT and drawn by Graphviz.

Every position comes from :mod:`generator.layout`; Graphviz (``neato -n2``: nodes and
edges keep the positions given) draws the shapes, arrows and text. The SVG is then
tidied for the web: a title and description for screen readers, CSS classes so the
drawing follows the light and dark colour schemes, true capsules for the terminators.
"""

from __future__ import annotations

import dataclasses
import html
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

import graphviz
from arabic_reshaper import ArabicReshaper
from bidi import get_display
from graphviz.quoting import ESCAPE_UNESCAPED_QUOTES as _ESCAPE_QUOTES
from graphviz.quoting import HTML_STRING as _HTML_STRING
from graphviz.quoting import ID as _DOT_ID
from graphviz.quoting import KEYWORDS as _DOT_KEYWORDS
from graphviz.quoting import NoHtml

from generator.model.problems import RenderError
from generator.model.sop import Sop
from generator.print.flowchart import corner_radius
from generator.print.layout import ARROW_LENGTH, Page, Route, Shape, SheetSpec, Symbol, layout_sheet
from generator.print.neato import draw_svg
from generator.print.textmetrics import CSS_FONT_STACK, FONT_FAMILY, LINE_HEIGHT, text_width
from generator.print.timing import tool

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


def _serialize(root: ET.Element) -> str:
    """SVG text with SVG as the default namespace (no ``ns0:`` prefixes).

    ElementTree keeps prefixes in a process-wide map that other libraries (WeasyPrint's
    PDF metadata writer) change, so the mapping is set again right before each use.
    """
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


WEB_SPEC = SheetSpec()
"""The web diagram: No | Kegiatan | one column per pelaksana."""

WEB_FIT_WIDTH_PT = 1000.0
"""Width the web diagram aims at: up to :data:`WEB_FIT_LANES` lanes, it narrows its lanes (down
to :data:`WEB_MIN_LANE`) to stay within it, so the page can show it whole at desktop width."""
WEB_FIT_LANES = 8
WEB_MIN_LANE = 84.0
WEB_FIT_PX = 1080.0
"""Pixels the content column offers a diagram at a 1400 px window (SOP pages widen it)."""


def web_spec(lanes: int) -> SheetSpec:
    """The web diagram's spec for an SOP with ``lanes`` pelaksana."""
    fixed = sum(width for _key, _title, width in WEB_SPEC.leading)
    fitting = (WEB_FIT_WIDTH_PT - fixed) / max(lanes, 1)
    return dataclasses.replace(WEB_SPEC, lane_width=max(WEB_MIN_LANE, min(WEB_SPEC.lane_width, fitting)))


COLORS = {
    "grid": "#737b8f",  # 3:1 or more against every fill below (WCAG 1.4.11)
    "header": "#e4e8f4",
    "lane": "#f4f6fb",
    "lane_alt": "#ffffff",
    "symbol": "#ffffff",
    "ink": "#1f2430",
    "decision": "#fff7e0",
    "terminator": "#e8f4ea",
    "connector": "#eef0ff",
}
"""Colours of the stand-alone SVG and the PDF; the portal's CSS restyles them per scheme."""

FILL = {
    Shape.TERMINATOR: COLORS["terminator"],
    Shape.PROCESS: COLORS["symbol"],
    Shape.DECISION: COLORS["decision"],
    Shape.CONNECTOR: COLORS["connector"],
    Shape.ON_PAGE: COLORS["connector"],
}

GRAPHVIZ_SHAPE = {
    Shape.TERMINATOR: "box",  # corners made fully round after drawing: Graphviz has no capsule
    Shape.PROCESS: "box",
    Shape.DECISION: "diamond",
    Shape.CONNECTOR: "invhouse",  # the pentagon pointing down: the off-page connector
    Shape.ON_PAGE: "circle",  # the on-page connector
}


def _inch(points: float) -> str:
    return f"{points / 72:.4f}"


def _pos(x: float, y: float, height: float) -> str:
    return f"{x:.2f},{height - y:.2f}!"


def _label(lines: Iterable[str], justify: str) -> str:
    """A DOT label with every line escaped (backslashes, quotes, <...>) and justified."""
    end = {"left": "\\l", "center": "\\n", "right": "\\r"}[justify]
    return "".join(graphviz.escape(line) + end for line in lines)


def _spline(points: tuple[tuple[float, float], ...], height: float, arrow: bool) -> str:
    """Edge ``pos``: a straight-segment B-spline, ending short of the tip when there is an arrowhead."""
    pts = list(points)
    tip = pts[-1]
    if arrow:
        (x1, y1), (x2, y2) = pts[-2], pts[-1]
        length = max(abs(x2 - x1), abs(y2 - y1)) or 1.0
        back = min(ARROW_LENGTH, length)
        pts[-1] = (x2 - (x2 - x1) / length * back, y2 - (y2 - y1) / length * back)
    control = [pts[0]]
    for a, b in pairwise(pts):
        control += [a, b, b]
    coords = " ".join(f"{x:.2f},{height - y:.2f}" for x, y in control)
    return (f"e,{tip[0]:.2f},{height - tip[1]:.2f} " if arrow else "") + coords


_QUOTED: dict[str, str] = {}
"""Values quoted so far (colours, classes, shapes repeat on every page); plain strings only."""


def _quote(value: str) -> str:
    """A DOT identifier or attribute value, quoted as the graphviz package quotes it."""
    if type(value) is str and value in _QUOTED:
        return _QUOTED[value]
    if _HTML_STRING.match(value) and not isinstance(value, NoHtml):
        quoted = value
    elif not _DOT_ID.match(value) or value.lower() in _DOT_KEYWORDS:
        quoted = f'"{_ESCAPE_QUOTES(value)}"'
    else:
        quoted = value
    if type(value) is str and len(value) < 40 and len(_QUOTED) < 10_000:
        _QUOTED[value] = quoted
    return quoted


def _attributes(label: str | None, attrs: dict[str, str]) -> str:
    listed = [f"label={_quote(label)}"] if label is not None else []
    listed += [f"{_quote(key)}={_quote(value)}" for key, value in sorted(attrs.items()) if value is not None]
    return f" [{' '.join(listed)}]" if listed else ""


class _Dot:
    """DOT source written as text, the same text ``graphviz.Digraph`` writes (tested against
    it): the package's builder checks and wraps each call, which cost a sheet more than
    the geometry did."""

    def __init__(self, name: str) -> None:
        self.lines = [f"digraph {_quote(name)} {{\n"]

    def attr(self, kind: str, **attrs: str) -> None:
        self.lines.append(f"\t{kind}{_attributes(None, attrs)}\n")

    def node(self, name: str, label: str | None = None, **attrs: str) -> None:
        self.lines.append(f"\t{_quote(name)}{_attributes(label, attrs)}\n")

    def edge(self, tail: str, head: str, **attrs: str) -> None:
        self.lines.append(f"\t{_quote(tail)} -> {_quote(head)}{_attributes(None, attrs)}\n")

    @property
    def source(self) -> str:
        return "".join(self.lines) + "}\n"


@dataclass(frozen=True)
class Drawing:
    """A rendered page: the DOT source and the SVG Graphviz made of it."""

    dot: str
    svg: str


def page_dot(page: Page, *, font_size: float = WEB_SPEC.font_size, graph_id: str = "diagram") -> str:
    """DOT source of one page, with every node and edge at its computed position."""
    h = page.height
    g = _Dot("sop")
    g.attr(
        "graph",
        bb=f"0,0,{page.width:.2f},{h:.2f}",
        notranslate="true",
        outputorder="nodesfirst",
        pad="0.06",
        bgcolor="white",
        label="",
        id=graph_id,
    )
    g.attr(
        "node",
        fontname=FONT_FAMILY,
        fontsize=f"{font_size:g}",
        fontcolor=COLORS["ink"],
        fixedsize="true",
        margin="0",
        penwidth="0.8",
        label="",
        shape="box",
        color=COLORS["grid"],
    )
    g.attr("edge", color=COLORS["ink"], penwidth="1", arrowsize="0.6", arrowhead="normal", fontname=FONT_FAMILY)

    def box_node(name: str, x: float, y: float, w: float, bh: float, **attrs: str) -> None:
        g.node(name, pos=_pos(x + w / 2, y + bh / 2, h), width=_inch(w), height=_inch(bh), **attrs)

    # Columns: shaded lanes, plain text columns; then the header row; then row lines.
    body_top = page.header_height
    lane_number = 0
    for col in page.columns:
        fill = COLORS["lane_alt"]
        css = "column"
        if col.lane is not None:
            fill = COLORS["lane"] if lane_number % 2 == 0 else COLORS["lane_alt"]
            css = "column lane"
            lane_number += 1
        box_node(
            f"col_{col.key}",
            col.x,
            body_top,
            col.width,
            h - body_top,
            style="filled",
            fillcolor=fill,
            id=f"col-{col.key}",
            **{"class": css},
        )
    for head in page.header:
        box_node(
            f"head_{head.key}",
            head.box.x,
            head.box.y,
            head.box.w,
            head.box.h,
            style="filled",
            fillcolor=COLORS["header"],
            label=_label(head.lines, "center"),
            fontname=f"{FONT_FAMILY} Bold",
            fontsize=f"{head.size:g}",
            id=f"head-{head.key}",
            **{"class": "header"},
        )
    for row in page.rows:
        box_node(
            f"row_{row.key}",
            row.box.x,
            row.box.y,
            row.box.w,
            row.box.h,
            style="solid",
            **{"class": "strip" if row.is_strip else "row"},
        )
    for row in page.rows:
        for cell in row.cells:
            justify = "center" if cell.column == "no" else "left"
            x = cell.box.x
            if justify == "center":
                col = next(c for c in page.columns if c.key == cell.column)
                x = col.x + (col.width - cell.box.w) / 2
            # Slack: Graphviz pads labels by a few points (and a few per cent) beyond the
            # glyph advances; the text itself starts where the layout put it.
            slack = 8 + cell.box.w * 0.05
            box_node(
                f"text_{row.key}_{cell.column}",
                x - slack / 4,
                cell.box.y - 2,
                cell.box.w + slack,
                cell.box.h + 4,
                shape="none",
                label=_label(cell.lines, justify),
                id=_text_id(row.key, cell.column),
                **{"class": f"text text-{cell.column}"},
            )
    for symbol in page.symbols:
        _symbol_node(g, symbol, h)
    for route in page.routes:
        _route_edge(g, route, page, h, font_size)
    source: str = g.source
    return source


def _text_id(row: str, column: str) -> str:
    return f"text-{row}-{column}"


def text_starts(page: Page) -> dict[str, float]:
    """Where each left-aligned cell text begins (the layout's x), by its drawing's id:
    Graphviz centres a label's block in its node by its own estimate of the text's width,
    so the drawn text is moved back to where the layout measured it to start."""
    return {
        _text_id(row.key, cell.column): cell.box.x for row in page.rows for cell in row.cells if cell.column != "no"
    }


def _symbol_node(g: _Dot, symbol: Symbol, height: float) -> None:
    style = "rounded,filled" if symbol.shape is Shape.TERMINATOR or symbol.rounded else "filled"
    g.node(
        symbol.id,
        pos=_pos(symbol.box.cx, symbol.box.cy, height),
        width=_inch(symbol.box.w),
        height=_inch(symbol.box.h),
        shape=GRAPHVIZ_SHAPE[symbol.shape],
        style=style,
        fillcolor=FILL[symbol.shape],
        color=COLORS["ink"],
        label=_label([symbol.label], "center"),
        **({"fontsize": f"{symbol.label_size:g}"} if symbol.label_size else {}),
        id=symbol.id,
        **{"class": f"sym sym-{symbol.shape.value}" + (" sym-rounded" if symbol.rounded else "")},
    )


def _route_edge(g: _Dot, route: Route, page: Page, height: float, font_size: float) -> None:
    # Graphviz wants nodes at both ends; with -n2 the given spline is drawn as is.
    tail, head = _endpoints(route, page)
    attrs = {"pos": _spline(route.points, height, route.arrow), "id": route.id, "class": f"route route-{route.kind}"}
    if not route.arrow:
        attrs.update(dir="none", style="dashed")
    g.edge(tail, head, **attrs)
    if route.label and route.label_at:
        size = route.label_size or font_size
        w = text_width(route.label, size) + 8
        lh = size * LINE_HEIGHT
        x, y = route.label_at
        left = x if route.label_anchor == "start" else x - w
        g.node(
            f"label_{route.id}",
            pos=_pos(left + w / 2, y - lh / 2, height),
            width=_inch(w),
            height=_inch(lh),
            shape="none",
            label=_label([route.label], "center"),
            fontname=f"{FONT_FAMILY} Bold",
            **({"fontsize": f"{size:g}"} if route.label_size and route.label_size != font_size else {}),
            **{"class": f"route-label route-label-{route.kind}"},
        )


def _endpoints(route: Route, page: Page) -> tuple[str, str]:
    def nearest(point: tuple[float, float]) -> str:
        x, y = point
        best = min(page.symbols, key=lambda s: abs(s.box.cx - x) + abs(s.box.cy - y))
        return best.id

    return nearest(route.points[0]), nearest(route.points[-1])


_PATH_NUMBERS = re.compile(r"-?\d+(?:\.\d+)?")


def _tidy_svg(
    svg: str,
    *,
    title: str,
    description: str,
    element_id: str,
    id_prefix: str = "",
    shared_text: bool = False,
    starts: dict[str, float] | None = None,
    radius: dict[str, float] | None = None,
) -> str:
    """Graphviz's SVG, made accessible and styleable. ``shared_text``: the text's family, and
    its commonest size and anchor, said once on the root instead of on each of a hundred
    ``<text>`` elements (they inherit): a tenth of a web page's weight. ``starts``: where
    cell texts begin (:func:`text_starts`); ``radius``: corner radius of rounded boxes."""
    root = ET.fromstring(svg)
    for group in root.iter(f"{{{SVG_NS}}}g"):
        start = (starts or {}).get(group.get("id") or "")
        if start is not None:
            for text in group.iter(f"{{{SVG_NS}}}text"):
                text.set("text-anchor", "start")
                text.set("x", f"{start:.2f}")
        corner = (radius or {}).get(group.get("id") or "")
        if corner is not None:
            _capsule(group, corner)
    if id_prefix:
        # Several drawings in one document (the printed sheet's pages) need distinct ids.
        for element in root.iter():
            if element.get("id"):
                element.set("id", f"{id_prefix}{element.get('id')}")
    # Graphviz's <title>s name internal nodes; a screen reader should hear ours instead.
    for parent in root.iter():
        for child in list(parent):
            if child.tag == f"{{{SVG_NS}}}title":
                parent.remove(child)
    for group in root.iter(f"{{{SVG_NS}}}g"):
        if "sym-terminator" in (group.get("class") or ""):
            _capsule(group)
    for text in root.iter(f"{{{SVG_NS}}}text"):
        # Graphviz names the face ("Liberation Sans Bold"); browsers want family + weight,
        # and Arial as the metric-compatible fallback.
        if (text.get("font-family") or "").endswith(" Bold"):
            text.set("font-weight", "bold")
        text.set("font-family", CSS_FONT_STACK)
    if shared_text:
        _share_text_style(root)
    title_el = ET.Element(f"{{{SVG_NS}}}title", {"id": f"{element_id}-title"})
    title_el.text = title
    desc_el = ET.Element(f"{{{SVG_NS}}}desc", {"id": f"{element_id}-desc"})
    desc_el.text = description
    root.insert(0, desc_el)
    root.insert(0, title_el)
    root.set("role", "img")
    root.set("aria-labelledby", f"{element_id}-title {element_id}-desc")
    root.set("class", "sop-diagram-svg")
    for element in root.iter():
        if element.text is not None and not element.text.strip():
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
    return _serialize(root)


def _share_text_style(root: ET.Element) -> None:
    """Move the text attributes most ``<text>`` elements repeat to the root ``<svg>``."""
    texts = list(root.iter(f"{{{SVG_NS}}}text"))
    for name in ("font-family", "font-size", "text-anchor"):
        values = Counter(value for text in texts if (value := text.get(name)) is not None)
        if not values:
            continue
        common, _count = values.most_common(1)[0]
        root.set(name, common)
        for text in texts:
            if text.get(name) == common:
                del text.attrib[name]


def _capsule(group: ET.Element, radius: float | None = None) -> None:
    """The symbol's outline as a rectangle with round corners: of ``radius``, or fully round
    ends (a capsule)."""
    for child in list(group):
        if child.tag == f"{{{SVG_NS}}}path":
            numbers = [float(n) for n in _PATH_NUMBERS.findall(child.get("d", ""))]
            xs, ys = numbers[0::2], numbers[1::2]
            x, y, w, h = min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)
            rect = ET.Element(
                f"{{{SVG_NS}}}rect",
                {
                    "x": f"{x:.2f}",
                    "y": f"{y:.2f}",
                    "width": f"{w:.2f}",
                    "height": f"{h:.2f}",
                    "rx": f"{h / 2 if radius is None else radius:.2f}",
                    "ry": f"{h / 2 if radius is None else radius:.2f}",
                    "fill": child.get("fill", "none"),
                    "stroke": child.get("stroke", "black"),
                },
            )
            group.insert(list(group).index(child), rect)
            group.remove(child)


def render_page(
    page: Page,
    *,
    title: str,
    description: str,
    element_id: str,
    font_size: float,
    id_prefix: str = "",
    shared_text: bool = False,
) -> Drawing:
    """Draw one page with Graphviz and return its DOT and tidied SVG.

    ``id_prefix`` is put before every id in the SVG, for documents holding several drawings.
    """
    dot = page_dot(page, font_size=font_size)
    try:
        # In this process when Graphviz's library loads (:mod:`generator.print.neato`); its
        # notes never reach the terminal, and the tests run neato on every page's DOT and
        # fail on any warning.
        with tool("dot"):
            raw = draw_svg(dot)
    except graphviz.ExecutableNotFound as exc:
        raise RenderError("Graphviz (dot/neato) belum terpasang; jalankan `make setup` (paket graphviz)") from exc
    except graphviz.CalledProcessError as exc:
        raise RenderError(f"Graphviz gagal menggambar diagram: {exc.stderr!r}") from exc
    svg = _tidy_svg(
        raw,
        title=title,
        description=description,
        element_id=element_id,
        id_prefix=id_prefix,
        shared_text=shared_text,
        starts=text_starts(page),
        radius={s.id: corner_radius(s) for s in page.symbols if s.rounded},
    )
    return Drawing(dot=dot, svg=svg)


_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
"""Hebrew and Arabic letters (with their presentation forms)."""
_TEXT = re.compile(r"(<text\b[^>]*>)([^<]*)(</text>)")
_RESHAPER = ArabicReshaper(configuration={"ARABIC LIGATURE ALLAH": "no"})
"""Arabic letters in their joined forms; the word Allah is kept as letters (few fonts have
that ligature, and a missing glyph prints as a box)."""


def for_print(svg: str) -> str:
    """The SVG as the PDF renderer needs it: each line of right-to-left text (Arabic,
    Hebrew) in the order it is seen, Arabic letters in their joined forms.

    WeasyPrint draws SVG text one character at a time, so it neither joins Arabic letters nor
    reorders a right-to-left run (browsers do both, so the web keeps the text as written).
    """
    if not _RIGHT_TO_LEFT.search(svg):
        return svg

    def visual(match: re.Match[str]) -> str:
        text = html.unescape(match[2])
        if not _RIGHT_TO_LEFT.search(text):
            return match[0]
        return match[1] + html.escape(get_display(_RESHAPER.reshape(text)), quote=False) + match[3]

    return _TEXT.sub(visual, svg)


_ROOT_TAG = re.compile(r"<svg\b[^>]*>")
_ATTRIBUTE = re.compile(r'\s([\w:-]+)="([^"]*)"')


def inline_svg(svg: str, *, lanes: int = 0, min_scale: float = 0.8, max_scale: float = 1.25) -> str:
    """The SVG for embedding in a page: as wide as the page, but never scaled down so far
    that its text becomes illegible (the wrapper scrolls sideways on a phone instead).
    A diagram of up to :data:`WEB_FIT_LANES` lanes may shrink (to 60 %) to be seen whole at
    desktop width; a wider one keeps its size and scrolls in its box.

    Only the root tag changes; it is rewritten as text (the SVG is ours and well formed),
    which is much cheaper than parsing a drawing per page.
    """
    match = _ROOT_TAG.search(svg)
    if match is None:
        raise RenderError("diagram tanpa elemen <svg>")
    attributes = dict(_ATTRIBUTE.findall(match[0]))
    width_px = float(attributes.get("width", "0pt").removesuffix("pt")) * 96 / 72
    if 0 < lanes <= WEB_FIT_LANES and width_px * min_scale > WEB_FIT_PX:
        min_scale = max(0.6, WEB_FIT_PX / width_px)
    attributes.pop("height", None)
    attributes["width"] = "100%"
    attributes["style"] = f"min-width:{width_px * min_scale:.0f}px;max-width:{width_px * max_scale:.0f}px;height:auto"
    tag = "<svg" + "".join(f' {name}="{value}"' for name, value in attributes.items()) + ">"
    return svg[: match.start()] + tag + svg[match.end() :]


def describe(sop: Sop) -> str:
    """The text alternative of an SOP's diagram."""
    roles = ", ".join(sop.role_names)
    decisions = sum(1 for s in sop.flow_steps for kind in s.symbol_kinds if kind.value == "keputusan")
    text = (
        f"Diagram alir {len(sop.langkah)} langkah dalam {len(sop.pelaksana)} kolom pelaksana ({roles})"
        + (f", dengan {decisions} keputusan" if decisions else "")
        + ". Isi yang sama tersedia sebagai tabel Prosedur."
    )
    return text


def web_diagram(sop: Sop) -> Drawing:
    """The SOP's swimlane diagram for the web page (one page, no connectors)."""
    [page] = layout_sheet(sop, web_spec(len(sop.pelaksana)))
    return render_page(
        page,
        title=f"Diagram alir SOP {sop.nama}",
        description=describe(sop),
        element_id=f"diagram-{sop.id}",
        font_size=page.font_size,
        shared_text=True,
    )
