"""SVG text drawn by WeasyPrint a line at a time instead of a letter at a time.

WeasyPrint draws each SVG ``<text>`` letter by letter: a Pango layout, a text matrix and a
text object for every character (it must, for SVG's per-letter ``x``/``dx``/``rotate``
lists). The flowchart's texts use none of that: one ``x`` and one ``y`` each, plain
left-to-right Latin text. For such a text this module has WeasyPrint lay the whole line
out once and draw it as one run, with kerning and ligatures off so every glyph keeps the
advance it has when drawn alone: the same glyphs at the same places (within a few
hundredths of a point, the rounding of glyph widths in the PDF), in a third of the time
and half the bytes. Any other text goes to WeasyPrint's own drawing, unchanged.

A centred or right-aligned line (``text-anchor`` ``middle`` or ``end``) WeasyPrint draws
into a transparency group of its own (a form XObject), which it then moves left by half or
all of the line's width: a third of the flowchart's texts, each a PDF object. This module
draws such a line where the move would put it, straight onto the page: the same glyphs at
the same places, a third fewer bytes.

WeasyPrint looks its SVG drawers up in ``weasyprint.svg.TAGS`` and recognises text nodes
by comparing with its ``text`` function, so :func:`install` puts this drawer in both
places, and wraps ``SVG.draw_node`` to take the anchor of a line it draws. It does so only
when they hold the functions it was written against, and a test draws texts both ways and
compares the glyphs.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from typing import Any

_SIMPLE_TEXT = re.compile("\\A[\u0020-\u007e\u00a0-\u024f\u2010-\u2027\u2030-\u205e\u2190-\u21ff]*\\Z")
"""Characters drawn alike alone and in a line when kerning and ligatures are off: Latin
letters, digits, punctuation, dashes, quotes and arrows. No combining marks, no
right-to-left or joining scripts (those the sheet reorders itself, letter by letter:
:func:`generator.print.diagram.for_print`)."""

_PER_LETTER = ("dx", "dy", "rotate", "letter-spacing", "textLength", "lengthAdjust")
"""Attributes that place or size letters one by one: such a text is drawn by WeasyPrint."""

_BASELINE = ("dominant-baseline", "alignment-baseline", "display-anchor")
"""Attributes that move the line off its baseline: such a text is drawn by WeasyPrint."""

_ONE_LENGTH = re.compile(r"\A\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?(?:[a-z]+|%)?\s*\Z")
"""A single coordinate (a list of them places letters one by one)."""

_INSTALL_LOCK = threading.Lock()
_original: Callable[..., Any] | None = None
_original_draw_node: Callable[..., Any] | None = None

_ANCHOR = "_sop_text_anchor"
"""Attribute of a WeasyPrint SVG node whose anchor :func:`draw_node` took: its shift is
applied by :func:`draw_text` instead of by a group."""


def _svg_modules() -> tuple[Any, Any]:
    """WeasyPrint's ``svg`` package and its ``svg.text`` module (the package's ``text``
    attribute is the drawing function, which hides the module)."""
    import weasyprint.svg
    import weasyprint.svg.text  # puts the module in sys.modules

    return weasyprint.svg, sys.modules["weasyprint.svg.text"]


def is_line_text(node: Any) -> bool:
    """Whether WeasyPrint would draw ``node`` exactly as one line (see the module's note)."""
    attrib = node.attrib
    text = node.text
    return (
        node.tag == "text"
        and bool(text)
        and _SIMPLE_TEXT.match(text) is not None
        and not any(name in attrib for name in _PER_LETTER)
        and not any(name in attrib for name in _BASELINE)
        and attrib.get("direction", "ltr") == "ltr"
        and all(_ONE_LENGTH.match(attrib[axis]) for axis in ("x", "y") if axis in attrib)
        and next(iter(node), None) is None  # no <tspan>: its text is drawn by its own node
    )


_GROUP_STATE = ("transform", "opacity", "filter", "clip-path", "mask", "display", "style", "font-size")
"""Attributes with which a ``<g>`` changes how its children are drawn (beyond the attributes
they inherit from it, which WeasyPrint copies into them whether or not it is drawn)."""


def draw_node(svg: Any, node: Any, font_size: float, fill_stroke: bool = True, context: Any = None) -> None:
    """WeasyPrint's ``SVG.draw_node``, except that

    - a centred or right-aligned line of text (:func:`is_line_text`, left to right) is not
      drawn into a group of its own to be moved into place: :func:`draw_text` draws it in
      place;
    - a ``<g>`` that only holds its children (none of :data:`_GROUP_STATE`) has them drawn
      without a graphics state of its own around them (each child saves and restores its
      own): WeasyPrint's work for the group (transform, opacity, filter, clip, mask and
      marker look-ups, a ``q``/``Q`` pair) is skipped; the flowchart has a hundred."""
    assert _original_draw_node is not None
    attrib = node.attrib
    if node.tag == "g" and fill_stroke and not any(name in attrib for name in _GROUP_STATE):
        for child in node:
            svg.draw_node(child, font_size, fill_stroke, context)
        return
    anchor = attrib.get("text-anchor")
    if anchor in ("middle", "end") and node.tag == "text" and is_line_text(node):
        attrib["text-anchor"] = "start"  # WeasyPrint makes no group for a start-anchored text
        setattr(node, _ANCHOR, anchor)
    _original_draw_node(svg, node, font_size, fill_stroke, context)


def draw_text(svg: Any, node: Any, font_size: float) -> None:
    """WeasyPrint's SVG text drawer, one line at a time when :func:`is_line_text`."""
    assert _original is not None
    anchor = getattr(node, _ANCHOR, None)
    if not is_line_text(node):
        _original(svg, node, font_size)
        return
    try:
        layout, style, x, y, baseline = _prepare(svg, node, font_size)
    except Exception:  # anything WeasyPrint's own drawer copes with, it draws as before
        if anchor is None:
            _original(svg, node, font_size)
        else:
            _draw_in_group(svg, node, font_size, anchor)
        return
    if anchor is not None:
        # Where WeasyPrint's group would have moved the line: left by half or all of the
        # width of its text box, which for one line is the line's width.
        _x, _y, width, _height = node.text_bounding_box
        x -= width / 2 if anchor == "middle" else width
    _draw(svg, node, font_size, layout, style, x, y, baseline)


def _draw_in_group(svg: Any, node: Any, font_size: float, anchor: str) -> None:
    """WeasyPrint's own drawing of an anchored text whose anchor :func:`draw_node` took:
    into a group, moved into place, as ``SVG.draw_node`` does it."""
    from weasyprint.svg.bounding_box import EMPTY_BOUNDING_BOX, is_valid_bounding_box

    assert _original is not None
    node.attrib["text-anchor"] = anchor
    page = svg.stream
    group = svg.stream = page.add_group(0, 0, 0, 0)  # BBox set after drawing
    node.text_bounding_box = EMPTY_BOUNDING_BOX
    try:
        _original(svg, node, font_size)
    finally:
        svg.stream = page
    page.push_state()
    if is_valid_bounding_box(node.text_bounding_box):
        x, y, width, height = node.text_bounding_box
        group.extra["BBox"][:] = (x - font_size, y - font_size, x + width + font_size, y + height + font_size)
        page.transform(e=-(width / 2 if anchor == "middle" else width))
    page.draw_x_object(group.id)
    page.pop_state()


def _prepare(svg: Any, node: Any, font_size: float) -> tuple[Any, Any, float, float, float]:
    """Lay the line out (nothing drawn yet) and move SVG's text cursor past it, as
    WeasyPrint's drawer does letter by letter."""
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.utils import size
    from weasyprint.text.ffi import FROM_UNITS, pango
    from weasyprint.text.line_break import create_layout, line_size

    _svg_package, text_module = _svg_modules()
    # The style WeasyPrint's drawer builds, with kerning and ligatures off: each glyph then
    # advances as far as when it is laid out alone.
    style = text_module.Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    if weight == "normal":
        style["font_weight"] = 400
    elif weight == "bold":
        style["font_weight"] = 700
    else:
        try:
            style["font_weight"] = int(weight)
        except ValueError:
            style["font_weight"] = 400
    style["font_size"] = font_size
    style["font_kerning"] = "none"
    style["font_variant_ligatures"] = "none"

    # What split_first_line does for a line of unbounded width, without letting the Pango
    # layout go: it is drawn as it is (no letter or word spacing to add when drawing).
    layout = create_layout(node.text, style, svg.context, None, 0)
    first_line, _next = layout.get_first_line()
    width, height = line_size(first_line, style)
    baseline = pango.pango_layout_get_baseline(layout.layout) * FROM_UNITS

    attrib = node.attrib
    x = size(attrib["x"].strip(), font_size, svg.inner_width) if "x" in attrib else None
    y = size(attrib["y"].strip(), font_size, svg.inner_height) if "y" in attrib else None
    if x:
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1]
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box,
        ((x_position, y_position - baseline), (x_position + width, y_position - baseline + height)),
    )
    return layout, style, x_position, y_position, baseline


def _draw(svg: Any, node: Any, font_size: float, layout: Any, style: Any, x: float, y: float, baseline: float) -> None:
    """Draw the laid-out line as one text run, in the graphic state WeasyPrint's drawer sets."""
    from weasyprint.draw.text import draw_first_line
    from weasyprint.matrix import Matrix

    _svg_package, text_module = _svg_modules()
    svg.stream.push_state()
    fill, stroke = _text_paint(svg, node, font_size)
    svg.stream.begin_text()
    svg.fill_stroke(fill, stroke, text=True)
    box = text_module.TextBox(layout, style)
    box.baseline = baseline
    draw_first_line(svg.stream, box, "none", "none", Matrix(a=1, d=-1, e=x, f=y))
    svg.stream.end_text()
    svg.stream.pop_state()


_COLOURS: dict[str, Any] = {}
"""Fill colours parsed, by their text (a flowchart has two or three)."""


def _text_paint(svg: Any, node: Any, font_size: float) -> tuple[Any, Any]:
    """The fill and stroke of a text, as ``SVG.set_graphical_state`` gives them; for a text
    filled with a plain colour and not stroked (the flowchart's), only its fill colour is
    set: the dashes, caps, joins and mitre limit WeasyPrint sets too are for strokes."""
    attrib = node.attrib
    stroke = attrib.get("stroke", "").strip()
    fill = attrib.get("fill", "black").strip()
    if (
        (stroke and stroke != "none")
        or "fill-opacity" in attrib
        or fill.startswith(("url(", "context-"))
        or len(_COLOURS) > 64
    ):
        paint: tuple[Any, Any] = svg.set_graphical_state(node, font_size)
        return paint
    if not fill or fill == "none":
        return None, None
    colour = _COLOURS.get(fill)
    if colour is None:
        from weasyprint.svg.utils import color

        colour = _COLOURS[fill] = color(fill)
    svg.stream.set_color(colour)
    return fill, None


def install() -> bool:
    """Make WeasyPrint draw SVG text with :func:`draw_text` and SVG nodes with
    :func:`draw_node` (once per process). Returns whether it does: not when WeasyPrint's SVG
    drawer is not the one this module knows."""
    global _original, _original_draw_node
    with _INSTALL_LOCK:
        svg_package, text_module = _svg_modules()
        if _original is not None:
            return svg_package.TAGS.get("text") is draw_text
        original = getattr(text_module, "text", None)
        tags = getattr(svg_package, "TAGS", None)
        svg_class: Any = getattr(svg_package, "SVG", None)
        original_draw_node = getattr(svg_class, "draw_node", None)
        if (
            original is None
            or not isinstance(tags, dict)
            or tags.get("text") is not original
            or getattr(svg_package, "text", None) is not original
            or not hasattr(text_module, "TextBox")
            or not hasattr(text_module, "Style")
            or original_draw_node is None
            or getattr(original_draw_node, "__qualname__", "") != "SVG.draw_node"
        ):
            return False
        _original = original
        _original_draw_node = original_draw_node
        for tag, drawer in list(tags.items()):
            if drawer is original:
                tags[tag] = draw_text
        # draw_node recognises text nodes with ``TAGS.get(node.tag) == text``.
        svg_package.text = draw_text
        svg_class.draw_node = draw_node
        return True
