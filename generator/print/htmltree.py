"""The printed documents' HTML read into the tree WeasyPrint's HTML5 parser would build, by
the XML parser, when the markup is plain enough for both to build the same tree.

WeasyPrint reads HTML with tinyhtml5, an HTML5 parser in pure Python: about a millisecond
per kilobyte of markup, a twentieth of a checklist's printing. The templates write plain
markup: every element closed, lower-case names, double-quoted attributes, text escaped by
Jinja. Such markup is well-formed XML once its void elements (``<br>``, ``<img>``,
``<meta>``) are closed, and Python's expat reads it in a tenth of the time. Where HTML5
builds another tree than the markup says, :func:`html_tree` does what the HTML5 parser
does (a ``<tbody>`` around rows written straight into a ``<table>``, the whitespace before
``<head>`` dropped, the whitespace after ``</body>`` moved into the body, ``xmlns`` kept
as an attribute of an inline ``<svg>``); where it might restructure the markup (a block
inside a paragraph, a list item in a list item, stray text in a table, comments, raw text
with entities, elements it does not know), it returns ``None`` and WeasyPrint parses the
markup itself. A test compares the two trees for every printed document of the seeds.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

SVG_NS = "http://www.w3.org/2000/svg"
_SVG = f"{{{SVG_NS}}}"
_XMLNS_ATTRIBUTE = "{http://www.w3.org/2000/xmlns/}xmlns"

_DOCTYPE = "<!DOCTYPE html>"
_VOID = re.compile(r"<(br|img|meta)\b([^<>]*?)/?>")
"""The void elements the templates write, closed for the XML parser."""

_UNSAFE = re.compile(
    r"<!--|<\?|<!\[|<!(?!DOCTYPE html>)"  # comments, processing instructions, CDATA
    r"|='"  # a single-quoted attribute
    r"|xmlns:"  # a namespace prefix (HTML5 keeps it as an attribute, XML takes it)
    r"|\s[\w:.-]+=\"[^\"]*[\t\n\r]"  # a tab or line break in an attribute (XML makes it a space)
    r"|&(?!(?:amp|lt|gt|quot|#34|#39);)"  # character references other than Jinja's
    r"|<(?:pre|textarea|listing|plaintext|xmp|script|noscript|template|math)\b",
    re.IGNORECASE,
)
"""What the XML parser reads otherwise than HTML5, or what the check below does not know."""

_STYLE = re.compile(r"<style\b[^>]*>([^<]*)</style>")

_PHRASING = frozenset(("span", "strong", "em", "b", "i", "u", "small", "sub", "sup", "a", "br", "img", "code"))
_FLOW = frozenset(("div", "p", "section", "h1", "h2", "h3", "h4", "ol", "ul", "li", "table"))
_TABLE_PARTS = frozenset(("colgroup", "thead", "tbody", "tfoot", "tr", "td", "th"))
_HEAD = frozenset(("meta", "title", "style"))
_BODY = _PHRASING | _FLOW | _TABLE_PARTS
_CLOSES_P = _FLOW | _TABLE_PARTS
"""Elements whose start tag HTML5 lets close an open ``<p>`` (or that cannot be in one)."""


def html_tree(html: str) -> ET.Element | None:
    """The tree tinyhtml5 builds from ``html`` (``namespace_html_elements=False``, as
    WeasyPrint asks), or ``None`` when the markup is not plain enough to read it faster."""
    if not html.startswith(_DOCTYPE) or _UNSAFE.search(html):
        return None
    if any("&" in text for text in _STYLE.findall(html)):
        return None  # HTML5 keeps a <style>'s "&amp;" as written; XML would decode it
    end = html.rfind("</html>")
    after = html[end + len("</html>") :] if end >= 0 else "x"
    if after.strip():
        return None
    try:
        root = ET.fromstring(_VOID.sub(r"<\1\2/>", html[len(_DOCTYPE) :]))
    except ET.ParseError:
        return None
    if not _plain(root):
        return None
    root.text = None  # HTML5 drops the whitespace before <head>
    _head, body = list(root)
    for table in body.iter("table"):
        _wrap_rows(table)
    # The whitespace after </body> and after </html> goes into the body.
    trailing = (body.tail or "") + after
    body.tail = None
    if trailing:
        last = body[-1] if len(body) else None
        if last is not None:
            last.tail = (last.tail or "") + trailing
        else:
            body.text = (body.text or "") + trailing
    for svg in body.iter(f"{_SVG}svg"):
        svg.attrib[_XMLNS_ATTRIBUTE] = SVG_NS  # HTML5 keeps the declaration as an attribute
    return root


def _blank(text: str | None) -> bool:
    """Whether ``text`` is missing or HTML5's whitespace (ASCII: no-break spaces are text)."""
    return not text or not text.strip(" \t\n\f\r")


def _plain(root: ET.Element) -> bool:
    """Whether HTML5 builds the tree the markup says (but for what :func:`html_tree` does)."""
    if root.tag != "html" or root.attrib.keys() - {"lang"} or not _blank(root.text):
        return False
    children = list(root)
    if [child.tag for child in children] != ["head", "body"] or not _blank(children[0].tail):
        return False
    head, body = children
    if head.attrib or not _blank(head.text):
        return False
    for element in head:
        if element.tag not in _HEAD or len(element) or not _blank(element.tail) or not _lower(element):
            return False
    return not body.attrib and _plain_body(body)


def _lower(element: ET.Element) -> bool:
    """Whether the element's attribute names are as HTML5 leaves them (lower case)."""
    return all(name == name.lower() and ":" not in name and "{" not in name for name in element.attrib)


def _plain_body(body: ET.Element) -> bool:
    """Whether HTML5 keeps the body's elements where the markup puts them."""
    stack: list[tuple[ET.Element, tuple[str, ...]]] = [(child, ()) for child in body]
    while stack:
        element, ancestors = stack.pop()
        tag = element.tag
        if tag.startswith(_SVG):
            if not _plain_svg(element):
                return False
            continue
        if tag not in _BODY or not _lower(element):
            return False
        parent = ancestors[-1] if ancestors else "body"
        if (
            (tag in _CLOSES_P and "p" in ancestors)  # HTML5 would end the paragraph here
            or (tag == "a" and "a" in ancestors)
            or (tag in _HEADINGS and any(a in _HEADINGS for a in ancestors))
            or (tag == "li" and _list_item_in_list_item(ancestors))
            or (tag in ("td", "th") and parent != "tr")
            or (tag == "tr" and parent not in ("table", "thead", "tbody", "tfoot"))
            or (tag in ("colgroup", "thead", "tbody", "tfoot") and parent != "table")
        ):
            return False
        if tag in _TABLE_CONTENT:
            # Only table parts inside, nothing but whitespace around them (HTML5 moves any
            # other text or element out of the table).
            allowed = _TABLE_CONTENT[tag]
            if not _blank(element.text) or any(child.tag not in allowed or not _blank(child.tail) for child in element):
                return False
        # Inside a table, nothing outside it is closed: the table starts a new scope.
        inner = ("table",) if tag == "table" else (*ancestors, tag)
        stack.extend((child, inner) for child in element)
    return True


_HEADINGS = frozenset(("h1", "h2", "h3", "h4"))
_TABLE_CONTENT = {
    "table": frozenset(("colgroup", "thead", "tbody", "tfoot", "tr")),
    "colgroup": frozenset(),  # an empty column group (its span attribute says how many columns)
    "thead": frozenset(("tr",)),
    "tbody": frozenset(("tr",)),
    "tfoot": frozenset(("tr",)),
    "tr": frozenset(("td", "th")),
}


def _list_item_in_list_item(ancestors: tuple[str, ...]) -> bool:
    """Whether an ``<li>`` would end an open list item (HTML5 ends it unless a list or a
    table starts between them)."""
    for ancestor in reversed(ancestors):
        if ancestor == "li":
            return True
        if ancestor in ("ol", "ul", "table"):
            return False
    return False


def _wrap_rows(table: ET.Element) -> None:
    """Rows written straight into a table, in a ``<tbody>`` as HTML5 puts them (one for each
    run of rows)."""
    children = list(table)
    if not any(child.tag == "tr" for child in children):
        return
    for child in children:
        table.remove(child)
    group: ET.Element | None = None
    for child in children:
        if child.tag == "tr":
            if group is None:
                group = ET.SubElement(table, "tbody")
            group.append(child)
        else:
            group = None
            table.append(child)


def _plain_svg(svg: ET.Element) -> bool:
    """Whether an inline ``<svg>`` is as HTML5 reads it: the SVG elements the templates draw
    with (whose names HTML5 leaves as they are), attribute names as HTML5 writes them (it
    lower-cases them, then gives some their mixed case back: ``viewBox``)."""
    from tinyhtml5.constants import adjust_svg_attributes  # type: ignore[import-untyped]

    for element in svg.iter():
        if not element.tag.startswith(_SVG) or element.tag[len(_SVG) :] not in _SVG_TAGS:
            return False
        for name in element.attrib:
            if ":" in name or "{" in name or name in adjust_svg_attributes:
                return False
            if name != name.lower() and name not in adjust_svg_attributes.values():
                return False
    return True


_SVG_TAGS = frozenset(
    ("svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "title", "desc")
)
"""SVG elements whose names HTML5 leaves as written."""


def parsed_html(html: str, *, base_url: str, url_fetcher: Any) -> Any:
    """WeasyPrint's ``HTML`` of ``html``: from :func:`html_tree` when it reads the markup,
    else parsed by WeasyPrint."""
    from weasyprint import HTML
    from weasyprint.urls import ensure_url

    tree = html_tree(html)
    if tree is None or not _knows_html_class():
        return HTML(string=html, base_url=base_url, url_fetcher=url_fetcher)
    import cssselect2  # type: ignore[import-untyped]

    document = HTML.__new__(HTML)
    # What HTML.__init__ sets after parsing (a test holds that it still sets just these).
    document.base_url = ensure_url(base_url)  # as HTML.__init__ has it; no <base> (_HEAD)
    document.url_fetcher = url_fetcher
    document.media_type = "print"
    document.wrapper_element = cssselect2.ElementWrapper.from_html_root(tree, content_language=None)
    document.etree_element = document.wrapper_element.etree_element
    return document


_HTML_ATTRIBUTES = frozenset(("base_url", "url_fetcher", "media_type", "wrapper_element", "etree_element"))
_known: bool | None = None


def _knows_html_class() -> bool:
    """Whether WeasyPrint's ``HTML`` keeps what :func:`parsed_html` sets, and nothing else."""
    global _known
    if _known is None:
        from weasyprint import HTML

        _known = set(vars(HTML(string="<p>x</p>", base_url="/")).keys()) == _HTML_ATTRIBUTES
    return _known
