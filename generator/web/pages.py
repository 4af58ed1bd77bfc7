"""Markdown pages of the portal: one per SOP, and the SOP list for the home page."""

from __future__ import annotations

import html
import json
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from generator.indexes.lifecycle import ReviewState, history, long_date
from generator.indexes.views import SopContext
from generator.model.register import Register
from generator.model.sop import BranchKind, Performance, Sop, Step, StepKind
from generator.site import (
    CHECKLIST_FILE,
    DIAGRAM_FILE,
    DOCUMENTS_PAGE,
    LEGAL_PAGE,
    PAGE_SIZE,
    RECENT_PAGE,
    REGISTER_PDF,
    REGISTER_XLSX,
    REVIEW_PAGE,
    SHEET_FILE,
    WORD_FILE,
    InstansiPage,
    SiteLayout,
    document_src,
    family_src,
    instansi_pages,
    rel,
    relpath,
    role_src,
)
from generator.sources.catalogue import Catalogue
from generator.templating import abbreviations, md_text


def theme_text(text: str) -> str:
    """Source text for the theme's templates, which print titles, descriptions, tags and
    navigation labels without escaping them (they expect HTML): entities, on one line."""
    return html.escape(" ".join(text.split()), quote=True)


THEME_TEXT_KEYS = ("title", "description", "tags")
"""Front matter values the theme prints into HTML as they are."""


def front_matter(meta: dict[str, Any], *, hide_toc: bool = True, hide_navigation: bool = False) -> str:
    """YAML front matter for a generated page (``hide_navigation``: the menu is in the tabs
    above the page and in the phone's drawer, not in a sidebar)."""
    meta = {
        key: ([theme_text(v) for v in value] if isinstance(value, list) else theme_text(value))
        if key in THEME_TEXT_KEYS
        else value
        for key, value in meta.items()
    }
    # JSON is valid YAML: every value is quoted and escaped, whatever the source text holds.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    hidden = [name for name, hide in (("navigation", hide_navigation), ("toc", hide_toc)) if hide]
    if hidden:
        lines.append(f"hide: [{', '.join(hidden)}]")
    return "---\n" + "\n".join(lines) + "\n---\n"


def step_label(sop: Sop, key: str) -> str:
    """How a step is named in text: its number as written."""
    return sop.step(key).no


def branch_text(sop: Sop, step: Step) -> str:
    """Where the flow goes after a step, in words, for the step table."""
    outcomes = sop.outcomes(step)
    if len(outcomes) == 1:
        return f"Ya: {outcomes[0].yes}; Tidak: {outcomes[0].no}"
    if outcomes:
        return "; ".join(f"{o.role}: Ya {o.yes}, Tidak {o.no}" for o in outcomes)
    flow = [s.key for s in sop.flow_steps]
    if step.successors and step.key in flow:
        pos = flow.index(step.key)
        natural = flow[pos + 1] if pos + 1 < len(flow) else None
        if step.successors[0] != natural:
            return "Lanjut " + sop.jump(step.key, step.successors[0])
    return ""


def page_texts(sop: Sop) -> Iterator[str]:
    """Every text of an SOP that its page shows, in page order (for its list of abbreviations)."""
    yield sop.nama
    yield from sop.peringatan
    yield from sop.role_names
    yield from sop.dasar_hukum
    yield from sop.kualifikasi_pelaksana
    yield from (link.text for link in sop.keterkaitan)
    yield from sop.peralatan_perlengkapan
    yield from sop.pencatatan_pendataan
    yield sop.judul_uraian
    for step in sop.langkah:
        yield step.kegiatan
        yield from step.roles
        yield from (item.text for item in (*step.kelengkapan, *step.output))
        yield step.keterangan


def symbol_words(sop: Sop, step: Step) -> str:
    """The kind of a step's symbol in words, as the diagram draws it: "Mulai" and "Selesai"
    (the capsules of the first and last step), "Proses" (a box), "Keputusan" (a diamond);
    empty for a row that only groups sub-steps."""
    if not step.has_symbol:
        return ""
    kinds = step.symbol_kinds or (step.kind,)
    words = ["Keputusan"] if StepKind.KEPUTUSAN in kinds else ["Proses"]
    flow = sop.flow_steps
    if sop.terminators and flow:
        ends = [word for key, word in ((flow[0].key, "Mulai"), (flow[-1].key, "Selesai")) if key == step.key]
        if ends:
            # A process at either end is drawn as the capsule; a decision stays a diamond.
            words = ends if words == ["Proses"] else [*ends, *words]
    return " · ".join(words)


@dataclass(frozen=True)
class DiagramLegend:
    """Which of the diagram's symbols and lines an SOP's diagram holds (its legend lists those)."""

    terminators: bool
    processes: bool
    decisions: bool
    tidak_routes: bool
    """A Tidak drawn as an arrow to a step (usually back to an earlier one)."""
    open_tidak: bool
    """A Tidak the SOP states only in words: a short arrow that leads to no step."""
    joint: bool
    """Several roles doing one step together: their boxes joined by a dashed line."""
    chain: bool
    """Several roles doing one step in turn: arrows between the symbols of one row."""


def diagram_legend(sop: Sop) -> DiagramLegend:
    """What the legend of the SOP's diagram explains."""
    flow = sop.flow_steps
    words = {symbol_words(sop, step) for step in flow}
    several = [step for step in flow if len(step.roles) > 1]
    return DiagramLegend(
        terminators=any(w.startswith(("Mulai", "Selesai")) for w in words),
        processes="Proses" in words,
        decisions=any("Keputusan" in w for w in words),
        tidak_routes=any(b.kind is BranchKind.TIDAK and b.target is not None for s in flow for b in s.branches),
        open_tidak=any(s.open_branches for s in flow),
        joint=any(s.performance is Performance.BERSAMA for s in several),
        chain=any(s.performance is Performance.RANTAI for s in several),
    )


def total_note(sop: Sop) -> str:
    """Plain-language caveats of the total time estimate."""
    notes = []
    if sop.total.loops_ignored:
        notes.append("putaran kembali (mis. berkas dikembalikan untuk dilengkapi) tidak dihitung")
    # A time the office wrote as not fixed ("Waktu Tentatif sesuai Per UU") is said as such,
    # apart from a time that is missing or unreadable.
    untimed = [sop.step(k) for k in sop.total.untimed]
    open_ended = [step_label(sop, s.key) for s in untimed if s.waktu is not None and s.waktu.deliberate]
    missing = [step_label(sop, s.key) for s in untimed if s.waktu is None or not s.waktu.deliberate]
    if open_ended:
        notes.append(f"langkah {', '.join(open_ended)} yang waktunya tidak tetap tidak dihitung")
    if missing:
        notes.append(f"langkah {', '.join(missing)} tanpa waktu yang terukur tidak dihitung")
    return "; ".join(notes)


def render_sop_page(
    sop: Sop,
    catalogue: Catalogue,
    env: jinja2.Environment,
    layout: SiteLayout,
    *,
    context: SopContext,
    diagram: str = "",
    diagram_wide: bool = False,
    instansi_page: InstansiPage | None = None,
) -> str:
    """The Markdown page of one SOP; ``context`` is what it shows of the other SOPs and
    ``diagram`` is the inline SVG made by the generator (``diagram_wide`` when it has too
    many lanes to be seen whole and scrolls in its box); ``instansi_page`` is where the
    page's trail leads back to."""
    by_id = catalogue.by_id
    src = layout.page_src(sop)
    uses = catalogue.document_uses[sop.id]
    links = [(link, layout.link(src, by_id[link.sop_id]) if link.sop_id in by_id else None) for link in sop.keterkaitan]
    meta: dict[str, Any] = {
        "title": sop.nama,
        "description": f"SOP {sop.nama}" + (f" — {sop.instansi}" if sop.instansi else ""),
        "sop_id": sop.id,
        # The downloads, for whoever reads the page's meta (the buttons are in the page).
        "sop_sheet": layout.artifact(sop, SHEET_FILE),
        "sop_checklist": layout.artifact(sop, CHECKLIST_FILE),
        "sop_word": layout.artifact(sop, WORD_FILE),
        # Material's tags: each role's page lists the SOPs tagged with it.
        "tags": list(dict.fromkeys(name for _column, _id, name in context.roles)),
    }
    role_of = {column: (role_id, name) for column, role_id, name in context.roles}
    body = env.get_template("sop_page.md.j2").render(
        sop=sop,
        ctx=context,
        links=links,
        branch_text=lambda step: branch_text(sop, step),
        symbol_words=lambda step: symbol_words(sop, step),
        outcomes=sop.outcomes,
        legend=diagram_legend(sop),
        glossary=abbreviations(catalogue.shared.glossary),  # the `abbr` filter's
        abbreviations=abbreviations(catalogue.shared.glossary).used(page_texts(sop)),
        total_note=total_note(sop),
        diagram=Markup(diagram),  # our own SVG: every source text in it is XML-escaped
        diagram_wide=diagram_wide,
        diagram_link=layout.link_to_artifact(src, sop, DIAGRAM_FILE),
        sheet_name=posixpath.basename(layout.artifact(sop, SHEET_FILE)),
        sheet_href=layout.href_from_page(sop, layout.artifact(sop, SHEET_FILE)),
        checklist_href=layout.href_from_page(sop, layout.artifact(sop, CHECKLIST_FILE)),
        word_href=layout.href_from_page(sop, layout.artifact(sop, WORD_FILE)),
        uses=uses,
        use_link=lambda use: relpath(layout.workbook(use.document.id, sop), posixpath.dirname(src)),
        use_name=lambda use: posixpath.basename(layout.workbook(use.document.id, sop)),
        item_href=lambda item: (
            layout.href_from_page(sop, layout.workbook(item.document, sop))
            if item.document in catalogue.documents.ids
            else ""
        ),
        documents_page=rel(src, DOCUMENTS_PAGE),
        document_link=lambda document_id: rel(src, document_src(document_id)),
        role_href=lambda column: layout.href_from_page(sop, layout.url(role_src(role_of[column][0]))),
        role_name=lambda column: role_of[column][1],
        legal_link=lambda key: rel(src, LEGAL_PAGE) + "#" + key,
        family_link=lambda family_id: rel(src, family_src(family_id)),
        sop_link=lambda sop_id: layout.link(src, by_id[sop_id]),
        history=history(sop),
        review_page=rel(src, REVIEW_PAGE),
        recent_page=rel(src, RECENT_PAGE),
        long_date=long_date,
        ReviewState=ReviewState,
    )
    trail = [(layout.href(src, layout.url(layout.index_src)), "Daftar SOP")]
    if instansi_page is not None:
        trail.append((layout.href(src, layout.url(instansi_page.src)), instansi_page.instansi))
    # The menu is in the tabs above the page (the drawer on a phone); the table of contents
    # takes the sidebar's place beside the page.
    return front_matter(meta, hide_toc=False, hide_navigation=True) + trail_html(trail) + body


def trail_html(trail: list[tuple[str, str]]) -> str:
    """The way back from a page that is not in the navigation: "Daftar SOP › KECAMATAN X"."""
    links = " › ".join(f'<a href="{html.escape(href)}">{html.escape(text)}</a>' for href, text in trail)
    return f'<nav class="sop-trail" aria-label="Jejak halaman" data-search-exclude>{links}</nav>\n\n'


def render_documents_page(catalogue: Catalogue, env: jinja2.Environment, layout: SiteLayout) -> str:
    """The "Templat dokumen" page: every document, where it is used, and its downloads."""
    rows = []
    ordered = sorted(catalogue.documents.documents, key=lambda d: (d.for_every_sop, d.title.casefold()))
    for document in ordered:
        rows.append((document, list(catalogue.document_users.get(document.id, ()))))
    front = front_matter(
        {"title": "Templat dokumen", "description": "Templat Excel dokumen yang dipakai SOP"}, hide_toc=False
    )
    return front + env.get_template("documents_page.md.j2").render(
        rows=rows,
        page_size=PAGE_SIZE,  # a longer list is on the document's own (paged) page
        page_link=lambda sop: layout.link(DOCUMENTS_PAGE, sop),
        blank_link=lambda document: rel(DOCUMENTS_PAGE, layout.workbook(document.id)),
        sop_link=lambda document, sop: rel(DOCUMENTS_PAGE, layout.workbook(document.id, sop)),
        document_link=lambda document: rel(DOCUMENTS_PAGE, document_src(document.id)),
    )


def render_sop_list(catalogue: Catalogue, env: jinja2.Environment, layout: SiteLayout, from_src: str) -> str:
    """Markdown list of every SOP grouped by instansi and unit, linked from ``from_src``."""
    return env.get_template("sop_list.md.j2").render(
        groups=catalogue.by_instansi(),
        link=lambda sop: layout.link(from_src, sop),
        count=len(catalogue.sops),
    )


def render_instansi_page(
    catalogue: Catalogue,
    env: jinja2.Environment,
    layout: SiteLayout,
    page: InstansiPage,
    register: Register | None = None,
) -> str:
    """The overview page of one instansi: its SOPs grouped by unit, then its register (the
    official list with dates and review status, with its PDF and workbook)."""
    instansi, src = page.instansi, page.src
    group = [g for g in catalogue.by_instansi() if g.instansi == instansi]
    body = env.get_template("sop_list.md.j2").render(
        groups=group,
        link=lambda sop: layout.link(src, sop),
        count=sum(len(unit.sops) for unit in group[0].units),
        heading=False,
    )
    if register is not None:
        by_id = catalogue.by_id
        body += env.get_template("register.md.j2").render(
            register=register,
            link=lambda entry: layout.link(src, by_id[entry.sop_id]),
            pdf=posixpath.basename(page.register(REGISTER_PDF)),  # next to the page
            xlsx=posixpath.basename(page.register(REGISTER_XLSX)),
        )
    front = front_matter(
        {"title": instansi, "description": f"Daftar SOP {instansi}"}, hide_toc=True, hide_navigation=True
    )
    trail = trail_html([(layout.href(src, layout.url(layout.index_src)), "Daftar SOP")])
    return front + trail + f"# {md_text(instansi)}\n\n" + body


def nav_entries(catalogue: Catalogue, layout: SiteLayout) -> list[Any]:
    """Navigation of the SOP section in MkDocs ``nav`` form: its "Daftar SOP" page only.

    The instansi and SOP pages are reached from that page (and the home page), not listed in
    the navigation: a list that grows with the portal would be copied into every page (at a
    thousand SOPs, most of each page's bytes). Each page carries a trail back instead.
    """
    return [layout.index_src]


def render_sop_index(catalogue: Catalogue, env: jinja2.Environment, layout: SiteLayout) -> str:
    """The "Daftar SOP" page: every instansi with its units and the number of its SOPs."""
    src = layout.index_src
    pages = {page.instansi: page.src for page in instansi_pages(catalogue, layout)}
    body = env.get_template("sop_index.md.j2").render(
        groups=catalogue.by_instansi(),
        link=lambda instansi: rel(src, pages[instansi]),
        total=len(catalogue.sops),
    )
    front = front_matter({"title": "Daftar SOP", "description": "SOP setiap instansi"}, hide_toc=True)
    return front + body
