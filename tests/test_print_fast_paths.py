"""The shortcuts that make the printed sheet cheaper draw what the slow paths drew: the
flowchart's SVG text a line at a time (:mod:`generator.print.svgtext`) and Graphviz run in
this process (:mod:`generator.print.neato`)."""

from __future__ import annotations

import dataclasses
import io
import subprocess
from typing import Any

import pdfplumber
import pytest

from generator.model.problems import RenderError
from generator.model.sop import Performance, StepKind
from generator.print import htmltree, neato, svgtext
from generator.print import pdf as pdf_module
from generator.print import sheet as sheet_module
from generator.print.checklist import render_checklist
from generator.print.diagram import page_dot
from generator.print.layout import layout_sheet
from generator.print.pdf import MM, render_pdf
from generator.print.printing import PrintSettings
from generator.print.sheet import fixed_tables, render_sheet, sheet_spec, svg_image
from generator.sources.catalogue import load_catalogue
from generator.templating import template_environment

from .conftest import ROOT

# Texts as the flowchart has them (start- and middle-anchored, regular and bold, with
# dashes, quotes and an arrow), and ones the shortcut must leave to WeasyPrint.
SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="400pt" height="120pt" viewBox="0 0 400 120"
 font-family="Liberation Sans, Arial, Helvetica, sans-serif" font-size="7.50" text-anchor="middle">
<g><text text-anchor="start" x="10.5" y="15" fill="#1f2430">Memerintahkan LKE – “AKIP” (masing2) → Camat</text></g>
<g><text x="200" y="30" font-weight="bold" fill="#1f2430">PELAKSANA · MUTU BAKU</text></g>
<g><text x="200" y="45" font-size="6.25" fill="#1f2430">Keterangan, Waktu: 10 menit; WAVE AV To</text></g>
<g><text text-anchor="end" x="390" y="60">Kasubag Program, Evaluasi dan Keuangan</text></g>
<g><text x="50" y="75" dx="0 2 2 2">spaced</text></g>
<g><text text-anchor="start" x="10" y="90">Café naïve Ärzte fi fl ffi</text></g>
</svg>"""


def _chars(pdf: bytes) -> list[dict[str, Any]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [
            {"text": c["text"], "x0": c["x0"], "top": c["top"], "font": c["fontname"], "size": c["size"]}
            for page in document.pages
            for c in page.chars
            if c["text"] != " "
        ]


def _drawn(monkeypatch: pytest.MonkeyPatch, *, original: bool, svg: str = SVG) -> list[dict[str, Any]]:
    assert svgtext.install()
    if original:
        svg_package, _text_module = svgtext._svg_modules()
        monkeypatch.setattr(svg_package, "text", svgtext._original)
        monkeypatch.setattr(svg_package.SVG, "draw_node", svgtext._original_draw_node)
        for tag, drawer in list(svg_package.TAGS.items()):
            if drawer is svgtext.draw_text:
                monkeypatch.setitem(svg_package.TAGS, tag, svgtext._original)
    html = f"<html><body>{svg_image(svg)}</body></html>"
    chars = _chars(render_pdf(html, root=ROOT).data)
    monkeypatch.undo()
    return chars


def test_svg_text_is_drawn_a_line_at_a_time() -> None:
    assert svgtext.install(), "WeasyPrint's SVG text drawer is not the one svgtext was written against"
    svg_package, _text_module = svgtext._svg_modules()
    # draw_node recognises text nodes by comparing with svg.text: both must be ours.
    assert svg_package.TAGS["text"] is svgtext.draw_text
    assert svg_package.text is svgtext.draw_text
    # ... and an anchored line is drawn in place, not in a group moved into place.
    assert svg_package.SVG.draw_node is svgtext.draw_node


def test_line_text_puts_the_same_glyphs_where_letter_by_letter_drawing_did(monkeypatch: pytest.MonkeyPatch) -> None:
    # WeasyPrint swallows any error while drawing an SVG: a broken shortcut would leave the
    # flowchart without its words, so the words are read back, not just counted.
    letters = _drawn(monkeypatch, original=True)
    lines = _drawn(monkeypatch, original=False)
    assert "".join(str(c["text"]) for c in lines) == "".join(str(c["text"]) for c in letters)
    assert "Memerintahkan" in "".join(str(c["text"]) for c in lines)
    key = lambda c: (round(float(c["top"]), 1), float(c["x0"]))  # noqa: E731
    for line, letter in zip(sorted(lines, key=key), sorted(letters, key=key), strict=True):
        assert (line["text"], line["font"]) == (letter["text"], letter["font"])
        assert float(line["size"]) == pytest.approx(float(letter["size"]), abs=1e-3)
        assert float(line["top"]) == pytest.approx(float(letter["top"]), abs=0.01)
        # Glyph widths are rounded to a thousandth of an em in the PDF: a few hundredths
        # of a point (a hundredth of a millimetre) across a line.
        assert float(line["x0"]) == pytest.approx(float(letter["x0"]), abs=0.06), line


def test_anchored_lines_are_drawn_in_place_not_in_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    # WeasyPrint draws a centred or right-aligned text into a form XObject of its own; the
    # shortcut draws it in place: one XObject is left on the page (the centred text placed
    # letter by letter, which WeasyPrint draws), against four. Where the letters are, the
    # test above compares.
    html = f"<html><body>{svg_image(SVG)}</body></html>"
    assert svgtext.install()
    with pdfplumber.open(io.BytesIO(render_pdf(html, root=ROOT).data)) as document:
        assert len(document.pages[0].page_obj.resources["XObject"]) == 1
    svg_package, _text_module = svgtext._svg_modules()
    monkeypatch.setattr(svg_package.SVG, "draw_node", svgtext._original_draw_node)
    with pdfplumber.open(io.BytesIO(render_pdf(html, root=ROOT).data)) as document:
        assert len(document.pages[0].page_obj.resources["XObject"]) == 4


def test_an_anchored_line_the_shortcut_cannot_lay_out_is_drawn_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    # Should the shortcut fail on a line whose anchor it took, WeasyPrint's own drawer
    # draws it, in a group moved into place, as WeasyPrint does.
    letters = _drawn(monkeypatch, original=True)
    assert svgtext.install()

    def broken(*args: object) -> None:
        raise ValueError("not laid out")

    monkeypatch.setattr(svgtext, "_prepare", broken)
    html = f"<html><body>{svg_image(SVG)}</body></html>"
    fallback = _chars(render_pdf(html, root=ROOT).data)
    monkeypatch.undo()
    key = lambda c: (round(float(c["top"]), 1), float(c["x0"]))  # noqa: E731
    assert len(fallback) == len(letters)
    for drawn, letter in zip(sorted(fallback, key=key), sorted(letters, key=key), strict=True):
        assert drawn["text"] == letter["text"]
        assert float(drawn["x0"]) == pytest.approx(float(letter["x0"]), abs=0.01)
        assert float(drawn["top"]) == pytest.approx(float(letter["top"]), abs=0.01)


def test_only_plain_single_position_text_takes_the_shortcut() -> None:
    class Node:
        def __init__(self, text: str, **attrib: str) -> None:
            self.tag, self.text, self.attrib = "text", text, attrib

        def get(self, name: str, default: object = None) -> object:
            return self.attrib.get(name, default)

        def __iter__(self):  # type: ignore[no-untyped-def]
            return iter(())

    assert svgtext.is_line_text(Node("Kasubag Program – Evaluasi → Camat", x="10.5", y="-20"))
    assert not svgtext.is_line_text(Node("per letter", x="1 2 3", y="5"))
    assert not svgtext.is_line_text(Node("shifted", x="1", dx="2"))
    assert not svgtext.is_line_text(Node("rotated", x="1", rotate="10"))
    assert not svgtext.is_line_text(Node("مرحبا", x="1"))  # joined and reordered by for_print
    assert not svgtext.is_line_text(Node("e\u0301", x="1"))  # a combining accent
    assert not svgtext.is_line_text(Node("", x="1"))


def _seed_dots() -> list[str]:
    catalogue = load_catalogue(ROOT / "sop_sources", ROOT)
    return [
        page_dot(page, font_size=page.font_size)
        for sop in catalogue.sops
        for page in layout_sheet(sop, sheet_spec("A4", 8))
    ]


@pytest.mark.skipif(not neato.uses_library(), reason="Graphviz's library is not installed")
def test_graphviz_in_process_writes_what_the_command_writes() -> None:
    for dot in _seed_dots():
        command = subprocess.run(["neato", "-n2", "-Tsvg"], input=dot, capture_output=True, text=True, check=True)
        assert neato.draw_svg(dot) == command.stdout


@pytest.mark.skipif(not neato.uses_library(), reason="Graphviz's library is not installed")
def test_graphviz_in_process_reports_a_broken_graph() -> None:
    with pytest.raises(RenderError, match="Graphviz"):
        neato.draw_svg("digraph { a -> }")
    assert neato.draw_svg('digraph { a [pos="0,0!"] }').startswith("<?xml")  # and still draws after


def test_graphviz_command_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    dot = _seed_dots()[0]
    expected = neato.draw_svg(dot)
    monkeypatch.setattr(neato, "_loaded", None)
    monkeypatch.setattr(neato, "_unavailable", True)
    assert not neato.uses_library()
    assert neato._draw_with_command(dot) == neato.draw_svg(dot) == expected


@pytest.mark.parametrize("sop_id", ["bangsal-pengumpulan-data-kinerja", "dawarblandong-pengukuran-data-kinerja"])
def test_fixed_identity_tables_print_the_page_the_automatic_layout_does(
    sop_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sop = next(s for s in load_catalogue(ROOT / "sop_sources", ROOT).sops if s.id == sop_id)
    settings, env = PrintSettings(root=ROOT), template_environment()
    fixed = render_sheet(sop, env, settings)
    assert 'class="identity fixed"' in fixed.html and 'class="grid fixed"' in fixed.html
    monkeypatch.setattr(sheet_module, "fixed_tables", lambda *args: False)
    automatic = render_sheet(sop, env, settings)
    assert 'class="identity"' in automatic.html
    assert fixed.pdf.data == automatic.pdf.data


def test_a_word_wider_than_its_column_keeps_the_automatic_layout() -> None:
    sop = load_catalogue(ROOT / "sop_sources", ROOT).sops[0]
    width = 800.0
    kop, links = list(sop.kop_lines), [link.text for link in sop.keterkaitan]
    assert fixed_tables(sop, kop, links, 8.5, width)
    long_word = "Peraturan" * 12
    assert not fixed_tables(dataclasses.replace(sop, dasar_hukum=(long_word,)), kop, links, 8.5, width)
    assert not fixed_tables(dataclasses.replace(sop, nomor=long_word), kop, links, 8.5, width)
    assert not fixed_tables(sop, [long_word], links, 8.5, width)
    assert not fixed_tables(sop, kop, [long_word], 8.5, width)


def test_checklist_fields_keep_their_shares_of_the_page() -> None:
    # The fields table is laid out fixed with its widths as shares; the automatic layout
    # spread 28, 60, 8, 28 and 60 mm over the whole width in the same proportions.
    sop = load_catalogue(ROOT / "sop_sources", ROOT).sops[0]
    pdf = render_checklist(sop, template_environment(), PrintSettings(root=ROOT))
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        page = document.pages[0]
        words = page.extract_words()
        content = page.width - 2 * 10 * MM
        start = next(w["x0"] for w in words if w["text"] == "Periode")
        second = next(w["x0"] for w in words if w["text"] == "Tanggal" and w["top"] < 200)
        assert start == pytest.approx(10 * MM, abs=0.5)
        assert second - start == pytest.approx(content * (28 + 60 + 8) / 184, abs=0.05)
        top = next(w["top"] for w in words if w["text"] == "Periode")
        rule = min((line for line in page.lines if line["top"] > top), key=lambda line: (line["top"], line["x0"]))
        assert rule["x0"] - start == pytest.approx(content * 28 / 184, abs=0.05)
        assert rule["x1"] - rule["x0"] == pytest.approx(content * 60 / 184, abs=0.05)


def test_checklist_signoff_columns_are_halves() -> None:
    # The signature block's table is laid out fixed, its two columns of no set width
    # sharing the width equally (as 50 % each did with the automatic layout).
    sop = load_catalogue(ROOT / "sop_sources", ROOT).sops[0]
    pdf = render_checklist(sop, template_environment(), PrintSettings(root=ROOT))
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        page = document.pages[-1]
        words = page.extract_words()
        content = page.width - 2 * 10 * MM
        left = next(w for w in words if w["text"] == "Pelaksana,")
        right = next(w for w in words if w["text"] == "Mengetahui,")
        assert (left["x0"] + left["x1"]) / 2 == pytest.approx(10 * MM + content / 4, abs=0.5)
        assert (right["x0"] + right["x1"]) / 2 == pytest.approx(10 * MM + 3 * content / 4, abs=0.5)


def test_lean_user_agent_stylesheet_prints_what_the_whole_one_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    # The seeds' checklists have numbered and bulleted lists (markers), links and hanging
    # numbers; their sheets tables, an inline SVG and a signature field.
    catalogue = load_catalogue(ROOT / "sop_sources", ROOT)
    settings, env = PrintSettings(root=ROOT), template_environment()
    assert pdf_module.lean_user_agent_stylesheet() is not None
    sheets = catalogue.sops[:2]

    def printed() -> list[bytes]:
        return [render_checklist(sop, env, settings).data for sop in catalogue.sops] + [
            render_sheet(sop, env, settings).pdf.data for sop in sheets
        ]

    lean = printed()
    monkeypatch.setattr(pdf_module, "_uses_lean_user_agent", lambda *args: False)
    assert printed() == lean


@pytest.mark.parametrize(
    "html",
    [
        '<p style="display: list-item">a paragraph as a list item</p>',
        '<p style="float: footnote">a footnote</p>',
        '<aside style="position: note()">a note</aside>',
        "<style>dd { DISPLAY: LIST-ITEM }</style><dl><dd>a definition</dd></dl>",
    ],
)
def test_documents_that_use_the_dropped_rules_get_the_whole_user_agent_stylesheet(html: str) -> None:
    assert not pdf_module._uses_lean_user_agent(html, ())
    assert not pdf_module._uses_lean_user_agent("<p>text</p>", (html,))
    assert pdf_module._uses_lean_user_agent("<ol><li>item</li></ol>", ("li { color: red }",))


def _same_tree(a: Any, b: Any) -> bool:
    """Whether two ElementTree trees hold the same elements, attributes and text."""
    return (
        (a.tag, a.attrib, a.text or None, a.tail or None) == (b.tag, b.attrib, b.text or None, b.tail or None)
        and len(a) == len(b)
        and all(_same_tree(x, y) for x, y in zip(a, b, strict=True))
    )


def _printed_html() -> list[str]:
    """The HTML of every seed's sheet and checklist, with and without the portal's address
    (QR codes, links), and of a checklist whose texts are hostile."""
    catalogue = load_catalogue(ROOT / "sop_sources", ROOT)
    env = template_environment()
    captured: list[str] = []
    hostile = dataclasses.replace(
        catalogue.sops[0],
        nama='"kutip" & <b>tebal</b> \u202eterbalik — ‘’ a\u00a0b',
        unit="Baris\nbaru\r\nlagi",
    )
    tabbed = dataclasses.replace(catalogue.sops[0], nama="Tab\tdi nama")  # in an attribute: HTML5 reads it
    for settings in (PrintSettings(root=ROOT), PrintSettings(root=ROOT, site_url="https://sop.example.go.id/")):
        for sop in catalogue.sops:
            captured.append(render_sheet(sop, env, settings).html)
        captured.extend(
            env.get_template("print/checklist.html.j2").render(
                sop=sop,
                item_html=lambda item: item.text,
                templates=[],
                StepKind=StepKind,
                Performance=Performance,
                qr="",
                page_css="",
                created="",
            )
            for sop in (*catalogue.sops, hostile, tabbed)
        )
    return captured


def test_plain_markup_is_read_into_the_tree_the_html5_parser_builds() -> None:
    import tinyhtml5

    documents = _printed_html()
    unread = []
    for html in documents:
        tree = htmltree.html_tree(html)
        if tree is None:
            unread.append(html)
            continue
        assert _same_tree(tree, tinyhtml5.parse(html, namespace_html_elements=False)), html[:200]
    assert len(unread) == 2 and all("Tab\tdi nama" in html for html in unread)


def test_documents_read_by_the_xml_parser_print_as_parsed_by_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = load_catalogue(ROOT / "sop_sources", ROOT)
    settings = PrintSettings(root=ROOT, site_url="https://sop.example.go.id/")
    env = template_environment()
    sops = catalogue.sops[:2]

    def printed() -> list[bytes]:
        return [render_checklist(sop, env, settings).data for sop in sops] + [
            render_sheet(sop, env, settings).pdf.data for sop in sops
        ]

    fast = printed()
    assert htmltree._knows_html_class()
    monkeypatch.setattr(htmltree, "html_tree", lambda html: None)
    assert printed() == fast


@pytest.mark.parametrize(
    "body",
    [
        "<p>a paragraph <div>with a block</div></p>",
        "<ul><li>one <span><li>two</li></span></li></ul>",
        "<table>stray text<tr><td>x</td></tr></table>",
        "<table><tr><td>x</td></tr><p>after</p></table>",
        "<table><colgroup>stray text</colgroup><tr><td>x</td></tr></table>",
        "<!-- a comment --><p>x</p>",
        "<p>a&nbsp;b</p>",
        "<p class='single'>x</p>",
        '<p title="line\nbreak">x</p>',
        "<P>upper case</P>",
        "<pre>\nkept</pre>",
        '<a href="#a">one <a href="#b">two</a></a>',
        '<svg xmlns="http://www.w3.org/2000/svg" viewbox="0 0 1 1"><path d="M0 0"/></svg>',
        "<form><input></form>",
        "<table>\u00a0<tr><td>a no-break space is text</td></tr></table>",
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><path d="M0 0"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><clippath id="c"/></svg>',
    ],
)
def test_markup_html5_would_restructure_is_left_to_the_html5_parser(body: str) -> None:
    head = '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n</head>\n'
    html = f"{head}<body>\n{body}\n</body>\n</html>\n"
    assert htmltree.html_tree(html) is None
    plain = html.replace(body, "<p>plain</p>")
    assert htmltree.html_tree(plain) is not None
    assert htmltree.html_tree(html.replace("<head>", "<head><style>a::after { content: '&amp;' }</style>")) is None


# Groups as the flowchart nests them (a transformed graph, plain groups of shapes and text,
# a dashed route), and ones whose state the shortcut leaves to WeasyPrint.
GROUPS_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="300pt" height="120pt" viewBox="0 0 300 120">
<g class="graph" transform="translate(4 116)">
<g class="node"><polygon fill="#f4f6fb" stroke="#737b8f" stroke-width="0.8" points="0,-110 90,-110 90,-60 0,-60"/>
<text text-anchor="middle" x="45" y="-80" font-family="Liberation Sans" font-size="7.50" fill="#1f2430">Camat</text></g>
<g class="edge"><path fill="none" stroke="black" stroke-dasharray="3,2" d="M90,-85C120,-85 120,-40 150,-40"/>
<polygon fill="black" stroke="black" points="150,-43 156,-40 150,-37 150,-43"/></g>
<g opacity="0.5"><rect x="160" y="-100" width="40" height="30" fill="#c00"/></g>
<g fill="#06c" stroke="#333"><rect x="210" y="-100" width="40" height="30"/>
<text x="212" y="-20" font-family="Liberation Sans" font-size="7.50">Sekcam</text></g>
</g></svg>"""


def _drawing(pdf: bytes) -> list[tuple[Any, ...]]:
    """What a page draws: its glyphs and its shapes, with their places and colours."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        shapes = [
            (
                kind,
                round(float(o["x0"]), 2),
                round(float(o["top"]), 2),
                round(float(o["x1"]), 2),
                round(float(o["bottom"]), 2),
                str(o.get("stroking_color")),
                str(o.get("non_stroking_color")),
                o.get("fill"),
                o.get("stroke"),
                str(o.get("dash")),
            )
            for kind in ("rects", "curves", "lines")
            for o in getattr(page, kind)
        ]
        glyphs = [
            (c["text"], round(float(c["x0"]), 2), round(float(c["top"]), 2), str(c["non_stroking_color"]))
            for c in page.chars
        ]
        return sorted(shapes) + sorted(glyphs)


def test_plain_groups_draw_what_weasyprint_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    # The shortcut draws a plain group's children without a graphics state of its own, and
    # a text's fill without stroke settings: the same shapes and glyphs in the same colours.
    html = f"<html><body>{svg_image(GROUPS_SVG)}</body></html>"
    assert svgtext.install()
    fast = render_pdf(html, root=ROOT).data
    svg_package, _text_module = svgtext._svg_modules()
    monkeypatch.setattr(svg_package.SVG, "draw_node", svgtext._original_draw_node)
    monkeypatch.setattr(svgtext, "_text_paint", lambda svg, node, size: svg.set_graphical_state(node, size))
    slow = render_pdf(html, root=ROOT).data
    assert fast != slow  # fewer q/Q pairs and state operators
    drawn = _drawing(fast)
    assert any(shape[0] == "curves" for shape in drawn) and any(len(item) == 4 for item in drawn)
    assert drawn == _drawing(slow)
