"""The Jinja2 environment every output renders with (pages, print HTML), and the escaping
of source text for the two contexts it lands in: HTML and Markdown."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from generator.model.durations import MINUTES_PER_WORKDAY, format_minutes, format_number
from generator.model.sop import Performance, StepKind

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


def template_environment(extra_dirs: Iterable[Path] = ()) -> jinja2.Environment:
    """The Jinja2 environment for every generated text: autoescaping on, strict undefined.

    Folders in ``extra_dirs`` are searched before the generator's own templates, so a
    portal can override any template (the way ``overrides/`` works for the theme).
    """
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in extra_dirs if d.is_dir()]
    loaders.append(jinja2.PackageLoader("generator", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        md=md_text,
        md_cell=md_cell,
        text=html_text,
        minutes=format_minutes,
        number=format_number,
    )
    env.globals.update(StepKind=StepKind, Performance=Performance, MINUTES_PER_WORKDAY=MINUTES_PER_WORKDAY)
    return env
