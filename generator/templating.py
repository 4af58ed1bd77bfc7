"""The Jinja2 environment every output renders with (pages, print HTML), and the escaping
of source text for the two contexts it lands in: HTML and Markdown."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from generator.model.durations import MINUTES_PER_WORKDAY, format_minutes, format_number
from generator.model.shared import GlossaryTerm
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


def css_string(text: object) -> Markup:
    """Text as a quoted CSS string for a document's ``<style>``: every character but letters,
    digits, the space and ``.,:-/·`` written as a CSS escape (``\\22 `` for a quote), so no
    text can end the string, the rule or the ``<style>`` element, nor hold an entity."""
    kept = " .,:-/\u00b7"
    return Markup('"' + "".join(c if c.isalnum() or c in kept else f"\\{ord(c):x} " for c in str(text)) + '"')


class Abbreviations:
    """A glossary's abbreviations explained in HTML text: each spelling (a whole word, case
    counted, as Python-Markdown's ``abbr`` extension matches it in Markdown text) becomes
    ``<abbr title="meaning">``. For the parts of a page written as HTML, which Markdown's
    extensions never see (the step table and cards)."""

    def __init__(self, glossary: Iterable[GlossaryTerm]) -> None:
        self.meanings: dict[str, str] = {}
        for term in glossary:
            for spelling in term.spellings:
                self.meanings.setdefault(str(escape(spelling)), term.arti)
        # Longest first, so that "LKjIP" is not read as "LKj" and a rest.
        alternatives = "|".join(re.escape(s) for s in sorted(self.meanings, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<![\w&#])(?:{alternatives})(?!\w)") if alternatives else None

    def __call__(self, text: object) -> Markup:
        """``text`` escaped for HTML, its abbreviations explained."""
        escaped = str(html_text(text))
        if self.pattern is None:
            return Markup(escaped)
        return Markup(self.pattern.sub(self._explained, escaped))

    def used(self, texts: Iterable[str]) -> list[tuple[tuple[str, ...], str]]:
        """(spellings, meaning) of the abbreviations found in ``texts``, spellings of one
        meaning together, in alphabetical order (a page's list of its abbreviations: a phone
        shows no ``title``)."""
        if self.pattern is None:
            return []
        found: dict[str, dict[str, None]] = {}
        for text in texts:
            for match in self.pattern.finditer(str(html_text(text))):
                found.setdefault(self.meanings[match[0]], {})[Markup(match[0]).unescape()] = None
        listed = [(tuple(spellings), meaning) for meaning, spellings in found.items()]
        return sorted(listed, key=lambda entry: entry[0][0].casefold())

    def _explained(self, match: re.Match[str]) -> str:
        return f'<abbr title="{escape(self.meanings[match[0]])}">{match[0]}</abbr>'


@functools.lru_cache(maxsize=4)
def abbreviations(glossary: tuple[GlossaryTerm, ...]) -> Abbreviations:
    """The :class:`Abbreviations` of a glossary (made once per glossary)."""
    return Abbreviations(glossary)


@jinja2.pass_context
def abbr_text(context: jinja2.runtime.Context, text: object) -> Markup:
    """Filter ``abbr``: like ``text``, with the abbreviations of the template's ``glossary``
    (an :class:`Abbreviations`, when the page has one) explained."""
    explain = context.get("glossary")
    return explain(text) if isinstance(explain, Abbreviations) else html_text(text)


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
        css_string=css_string,
        abbr=abbr_text,
        minutes=format_minutes,
        number=format_number,
    )
    env.globals.update(StepKind=StepKind, Performance=Performance, MINUTES_PER_WORKDAY=MINUTES_PER_WORKDAY)
    return env
