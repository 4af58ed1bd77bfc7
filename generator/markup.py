"""Escaping of source text for the two contexts it lands in: HTML and Markdown."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# Characters Python-Markdown treats as syntax and accepts a backslash escape for.
# Only these may be escaped: a backslash before any other character is shown as is.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def html_text(text: object) -> Markup:
    """Text for an HTML context: special characters become entities; newlines become spaces."""
    return escape(" ".join(str(text).split()))


def md_text(text: object) -> Markup:
    """Text for a Markdown inline context: HTML-escaped, then Markdown syntax neutralised.

    The result renders as exactly the text written in the source: no emphasis, no link,
    no raw HTML, no heading or list marker, whatever the source contains.
    """
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(html_text(text))))


def md_cell(text: object) -> Markup:
    """Like :func:`md_text`, for a Markdown table cell (pipes escaped too)."""
    return Markup(str(md_text(text)).replace("|", "\\|"))
