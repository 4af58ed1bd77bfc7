"""SVG text drawn by WeasyPrint a line at a time instead of a letter at a time.

WeasyPrint draws each SVG ``<text>`` letter by letter: a Pango layout, a text matrix and a
text object for every character (it must, for SVG's per-letter ``x``/``dx``/``rotate``
lists). The flowchart's texts use none of that: one ``x`` and one ``y`` each, plain
left-to-right Latin text. For such a text this module has WeasyPrint lay the whole line
out once and draw it as one run, with kerning and ligatures off so every glyph keeps the
advance it has when drawn alone: the same glyphs at the same places (within a few
hundredths of a point, the rounding of glyph widths in the PDF), in a third of the time
and half the bytes. Any other text goes to WeasyPrint's own drawing, unchanged.

WeasyPrint looks its SVG drawers up in ``weasyprint.svg.TAGS`` and recognises text nodes
by comparing with its ``text`` function, so :func:`install` puts this drawer in both
places. It does so only when they hold the function it was written against, and a test
draws a text both ways and compares the glyphs.
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


def draw_text(svg: Any, node: Any, font_size: float) -> None:
    """WeasyPrint's SVG text drawer, one line at a time when :func:`is_line_text`."""
    assert _original is not None
    if not is_line_text(node):
        _original(svg, node, font_size)
        return
    try:
        prepared = _prepare(svg, node, font_size)
    except Exception:  # anything WeasyPrint's own drawer copes with, it draws as before
        _original(svg, node, font_size)
        return
    _draw(svg, node, font_size, *prepared)


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
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    svg.fill_stroke(fill, stroke, text=True)
    box = text_module.TextBox(layout, style)
    box.baseline = baseline
    draw_first_line(svg.stream, box, "none", "none", Matrix(a=1, d=-1, e=x, f=y))
    svg.stream.end_text()
    svg.stream.pop_state()


def install() -> bool:
    """Make WeasyPrint draw SVG text with :func:`draw_text` (once per process). Returns
    whether it does: not when WeasyPrint's SVG drawer is not the one this module knows."""
    global _original
    with _INSTALL_LOCK:
        svg_package, text_module = _svg_modules()
        if _original is not None:
            return svg_package.TAGS.get("text") is draw_text
        original = getattr(text_module, "text", None)
        tags = getattr(svg_package, "TAGS", None)
        if (
            original is None
            or not isinstance(tags, dict)
            or tags.get("text") is not original
            or getattr(svg_package, "text", None) is not original
            or not hasattr(text_module, "TextBox")
            or not hasattr(text_module, "Style")
        ):
            return False
        _original = original
        for tag, drawer in list(tags.items()):
            if drawer is original:
                tags[tag] = draw_text
        # draw_node recognises text nodes with ``TAGS.get(node.tag) == text``.
        svg_package.text = draw_text
        return True
