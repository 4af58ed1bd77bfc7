"""Markdown pages of the views across SOPs: jabatan, dasar hukum, documents, comparisons,
review and recent changes. Each page is rendered from :class:`generator.views.Views`."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import jinja2
from markupsafe import Markup

from generator.indexes.lifecycle import HistoryEntry, ReviewState, last_change, long_date
from generator.indexes.views import Family, Views
from generator.model.durations import format_minutes
from generator.model.sop import Sop, StepKind
from generator.site import (
    DOCUMENTS_PAGE,
    DOCUMENTS_SECTION,
    FAMILIES_SECTION,
    LEGAL_PAGE,
    PAGE_SIZE,
    RECENT_PAGE,
    REVIEW_PAGE,
    ROLES_SECTION,
    SiteLayout,
    document_page_src,
    document_src,
    family_src,
    page_count,
    rel,
    role_page_src,
    role_src,
)
from generator.web.pages import front_matter, theme_text, trail_html

RECENT_LIMIT = 30
"""SOPs listed on the "Perubahan terbaru" page."""


def listing_directive(tag: str) -> str:
    """Material's tags listing for one tag, written so that no name can end the comment."""
    args = json.dumps({"include": [tag]}, ensure_ascii=True)
    # YAML reads JSON; \\u escapes keep "-->" and ">" of a name out of the HTML comment.
    args = args.replace("-", "\\u002d").replace(">", "\\u003e")
    return f"<!-- material/tags {args} -->"


@dataclass(frozen=True)
class PlannedPage:
    """A view page before it is rendered."""

    src: str
    """Page source, relative to the docs root."""
    description: str
    """What the page is, in words (for a message about its path)."""
    render: Callable[[], str]
    source: str = ""
    """The source file the page comes from, when one file does (a document's page)."""
    sops: tuple[str, ...] | None = None
    """The SOPs whose content the page shows (``None``: all of them)."""
    extra: object = None
    """What else of the views the page shows (its repr is part of the page's key).
    Together with :attr:`sops` and the portal-wide inputs (templates, layout, documents,
    shared settings, role names, the date), it determines the page: while ``mkdocs serve``
    rebuilds, a page whose inputs are unchanged is not rendered again."""


@dataclass(frozen=True)
class Cell:
    """One SOP's value in a comparison row; ``items`` for lists (each flagged when unusual)."""

    text: str = ""
    items: tuple[tuple[str, bool], ...] = ()
    differs: bool = False
    """Highlighted: the lowest or highest value of a row whose values differ."""
    mark: str = ""
    """Why it is highlighted, in words ("paling singkat", "paling banyak")."""


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    differs: bool
    """True when the SOPs do not all agree on this row."""
    note: str = ""


def _text_row(label: str, values: list[str]) -> Row:
    """A row shown for reference only (instansi, number): never compared."""
    return Row(label, tuple(Cell(text=v) for v in values), False)


def _number_row(
    label: str,
    values: list[float | None],
    shown: list[str],
    words: tuple[str, str] = ("paling sedikit", "paling banyak"),
) -> Row:
    """A row of quantities: when they differ, the lowest and the highest are highlighted,
    unless most SOPs share that value (then the others are the ones that stand out)."""
    present = [v for v in values if v is not None]
    differs = len(set(values)) > 1
    low, high = (min(present), max(present)) if present else (None, None)
    cells = []
    for value, text in zip(values, shown, strict=True):
        mark = ""
        if differs and value is not None and low != high and values.count(value) * 2 <= len(values):
            mark = words[0] if value == low else words[1] if value == high else ""
        cells.append(Cell(text=text, differs=bool(mark), mark=mark))
    return Row(label, tuple(cells), differs)


def _set_row(label: str, sets: list[list[str]]) -> Row:
    """A row of lists: an entry found in at most half of the SOPs is highlighted."""
    counts = Counter(v for s in sets for v in dict.fromkeys(s))
    everywhere = sorted((v for v, n in counts.items() if n == len(sets)), key=str.casefold)
    cells = tuple(Cell(items=tuple((v, counts[v] * 2 <= len(sets)) for v in s)) for s in sets)
    differs = len(everywhere) != len(counts)
    note = ("Sama di semua SOP: " + ", ".join(everywhere)) if everywhere and differs else ""
    return Row(label, cells, differs, note)


def comparison(views: Views, family: Family) -> list[Row]:
    """The rows of a family's comparison table, one cell per SOP."""
    sops = [views.catalogue.by_id[i] for i in family.sop_ids]
    uses = views.catalogue.document_uses
    reg_label = {r.key: r.label for r in views.regulations}
    quick = ("paling singkat", "paling lama")

    def count_row(label: str, numbers: list[int]) -> Row:
        return _number_row(label, [float(n) for n in numbers], [str(n) for n in numbers])

    totals = [s.total.minutes for s in sops]
    rows = [
        _text_row("Instansi", [s.instansi or "–" for s in sops]),
        _text_row("Nomor SOP", [s.nomor or "–" for s in sops]),
        count_row("Jumlah langkah", [len(s.flow_steps) for s in sops]),
        count_row(
            "Keputusan (cabang Ya/Tidak)", [sum(st.kind is StepKind.KEPUTUSAN for st in s.langkah) for s in sops]
        ),
        count_row("Jumlah pelaksana", [len(views.role_names(s)) for s in sops]),
        _number_row(
            "Perkiraan total waktu",
            list(totals),
            [format_minutes(m) for m in totals],
            quick,
        ),
    ]
    for phase in family.phases:
        values: list[float | None] = []
        shown = []
        for sop in sops:
            steps = [st for st in sop.flow_steps if st.tahap == phase]
            minutes = sum((st.waktu.minutes or 0) for st in steps if st.waktu)
            values.append(minutes if steps else None)
            shown.append(f"{format_minutes(minutes)} ({len(steps)} langkah)" if steps else "–")
        rows.append(_number_row(f"Tahap: {phase}", values, shown, quick))
    if family.phases:
        untagged = [len([st for st in s.flow_steps if not st.tahap]) for s in sops]
        if any(untagged):
            rows.append(count_row("Langkah tanpa tahap", untagged))
    rows.append(_set_row("Pelaksana", [list(views.role_names(s)) for s in sops]))
    rows.append(_set_row("Dokumen (templat)", [[u.document.title for u in uses[s.id] if u.steps] for s in sops]))
    rows.append(
        _set_row(
            "Dasar hukum",
            [list(dict.fromkeys(reg_label[c.key] for c in views.citations[s.id])) for s in sops],
        )
    )
    return rows


def _windows(ids: list[str]) -> list[tuple[str, ...]]:
    """``ids`` in pages of :data:`PAGE_SIZE` (one empty page for none)."""
    return [tuple(ids[i : i + PAGE_SIZE]) for i in range(0, len(ids), PAGE_SIZE)] or [()]


def _nth(windows: list[tuple[str, ...]], number: int) -> tuple[str, ...]:
    return windows[number - 1] if number <= len(windows) else ()


class ViewPages:
    """Renders every view page; ``pages()`` yields (source path, Markdown)."""

    def __init__(self, views: Views, env: jinja2.Environment, layout: SiteLayout) -> None:
        self.views = views
        self.env = env
        self.layout = layout
        self.by_id = views.catalogue.by_id
        self._plan: list[PlannedPage] | None = None
        self._lists: dict[str, tuple[list[Any], list[Sop]]] = {}

    def _render(
        self,
        template: str,
        src: str,
        meta: dict[str, Any],
        *,
        wide: bool = False,
        up: tuple[str, str] | None = None,
        **context: Any,
    ) -> str:
        """A view page; ``up`` is the (page source, menu name) of the section page its trail
        leads back to, for a page that is not in the navigation itself."""
        body = self.env.get_template(template).render(
            href_from=lambda target: self.layout.href(src, target),
            page_url=self.layout.page_url,
            workbook_url=self.layout.workbook,
            src=src,
            views=self.views,
            by_id=self.by_id,
            sop_link=lambda sop: self.layout.link(src, sop),
            role_link=lambda role_id: rel(src, role_src(role_id)),
            document_link=lambda document_id: rel(src, document_src(document_id)),
            family_link=lambda family_id: rel(src, family_src(family_id)),
            legal_link=lambda key: rel(src, LEGAL_PAGE) + "#" + key,
            workbook_link=lambda document_id, sop=None: rel(src, self.layout.workbook(document_id, sop)),
            long_date=long_date,
            **context,
        )
        trail = trail_html([(self.layout.href(src, self.layout.url(up[0])), up[1])]) if up else ""
        # A page outside the navigation has no menu branch of its own to show in the sidebar:
        # the menu is in the tabs above it, and the page takes the sidebar's width.
        return front_matter(meta, hide_toc=wide, hide_navigation=up is not None) + trail + body

    def plan(self) -> list[PlannedPage]:
        """Every view page, not yet rendered: its source path, what it is, how to render it
        (planned once: the build claims the paths first, then renders them)."""
        if self._plan is None:
            self._plan = self._make_plan()
        return list(self._plan)

    def _make_plan(self) -> list[PlannedPage]:
        views = self.views
        # The section pages show every SOP by its name and office only, with what the view
        # says of it: their keys hold exactly that, so an edit that changes neither leaves them.
        outline = tuple((sop.id, sop.nama, sop.instansi) for sop in views.catalogue.sops)
        role_summary = tuple(
            (r.id, r.name, r.spellings, r.declared, len(r.sop_ids), len(r.duties), r.total_minutes) for r in views.roles
        )
        reviews = tuple(views.reviews[sop.id] for sop in views.catalogue.sops)
        changes = tuple(last_change(sop) for sop in views.catalogue.sops)
        found = [
            PlannedPage(
                f"{ROLES_SECTION}/index.md",
                "halaman bawaan `Tugas per jabatan`",
                self.roles_index,
                sops=(),
                extra=role_summary,
            ),
            PlannedPage(
                LEGAL_PAGE, "halaman bawaan `Dasar hukum`", self.legal, sops=(), extra=(views.regulations, outline)
            ),
            PlannedPage(
                f"{FAMILIES_SECTION}/index.md",
                "halaman bawaan `Perbandingan`",
                self.families_index,
                sops=(),
                extra=(views.families, outline),
            ),
            PlannedPage(
                REVIEW_PAGE,
                "halaman bawaan `Perlu ditinjau`",
                self.review,
                sops=(),
                extra=(reviews, outline, views.catalogue.shared.review, views.today),
            ),
            PlannedPage(
                RECENT_PAGE, "halaman bawaan `Perubahan terbaru`", self.recent, sops=(), extra=(changes, outline)
            ),
        ]
        for role in views.roles:
            windows = _windows(list(role.sop_ids))
            header = (role.id, role.name, role.spellings, role.declared, len(role.duties), role.total_minutes)
            found += [
                PlannedPage(
                    role_page_src(role.id, number),
                    f"halaman jabatan `{role.name}`" + (f" (halaman {number})" if number > 1 else ""),
                    partial(self.role, role.id, number),
                    sops=window,
                    extra=(header, number, len(windows)),
                )
                for number, window in enumerate(windows, start=1)
            ]
        for document in views.catalogue.documents.documents:
            flows, every = self._document_lists(document.id)
            flow_ids = _windows([sop.id for sop, _ in flows])
            every_ids = _windows([sop.id for sop in every])
            count = max(len(flow_ids), len(every_ids))
            found += [
                PlannedPage(
                    document_page_src(document.id, number),
                    f"halaman dokumen `{document.id}`" + (f" (halaman {number})" if number > 1 else ""),
                    partial(self.document, document.id, number),
                    document.source,
                    sops=tuple(dict.fromkeys(_nth(flow_ids, number) + _nth(every_ids, number))),
                    extra=(document.id, number, count, len(flows), len(every)),
                )
                for number in range(1, count + 1)
            ]
        labels = {r.key: r.label for r in views.regulations}
        found += [
            PlannedPage(
                family_src(f.id),
                f"halaman perbandingan `{f.name}`",
                partial(self.family, f),
                sops=f.sop_ids,
                extra=(f, [labels[c.key] for sop_id in f.sop_ids for c in views.citations[sop_id]]),
            )
            for f in views.families
        ]
        return found

    def pages(self) -> list[tuple[str, str]]:
        """Every view page as (source path, Markdown)."""
        return [(planned.src, planned.render()) for planned in self.plan()]

    def nav(self) -> dict[str, list[Any]]:
        """Navigation of each generated section, keyed by its placeholder: its index page only
        (the pages of each role, document and family are reached from there; listed in the
        navigation they would be copied into every page of the portal)."""
        return {
            f"{ROLES_SECTION}/": [f"{ROLES_SECTION}/index.md"],
            f"{DOCUMENTS_SECTION}/": [DOCUMENTS_PAGE],
            f"{FAMILIES_SECTION}/": [f"{FAMILIES_SECTION}/index.md"],
        }

    # -- pages ---------------------------------------------------------------

    def roles_index(self) -> str:
        src = f"{ROLES_SECTION}/index.md"
        return self._render(
            "views/roles_index.md.j2",
            src,
            {"title": "Tugas per jabatan", "description": "Langkah SOP yang dikerjakan setiap jabatan"},
            roles=self.views.roles,
        )

    def _pager(self, src: str, page_src: Callable[[int], str], count: int) -> list[tuple[int, str]]:
        """Links to every page of a paged list, from page ``src`` (none for a single page)."""
        if count <= 1:
            return []
        return [(n, self.layout.href(src, self.layout.url(page_src(n)))) for n in range(1, count + 1)]

    def role(self, role_id: str, number: int = 1) -> str:
        role = self.views.role_by_id[role_id]
        groups = role.groups
        count = page_count(len(groups))
        src = role_page_src(role_id, number)
        window = slice((number - 1) * PAGE_SIZE, number * PAGE_SIZE)
        title = role.name + (f" (halaman {number} dari {count})" if count > 1 else "")
        return self._render(
            "views/role_page.md.j2",
            src,
            {"title": title, "description": f"Tugas {role.name} di semua SOP", "search": {"exclude": True}},
            up=(f"{ROLES_SECTION}/index.md", "Tugas per jabatan"),
            role=role,
            groups=[(self.by_id[sop_id], list(duties)) for sop_id, duties in groups[window]],
            all_groups=len(groups),
            number=number,
            pager=self._pager(src, partial(role_page_src, role_id), count),
            # The tag as the SOP pages carry it (theme text), in a comment no name can close.
            listing=Markup(
                listing_directive(theme_text(role.name))
            ),  # our own comment; the name inside is JSON-escaped
            item_href=lambda item, sop: (
                self.layout.workbook(item.document, sop) if item.document in self.views.catalogue.documents.ids else ""
            ),
        )

    def legal(self) -> str:
        groups: dict[str, list[Any]] = {}
        for regulation in self.views.regulations:
            heading = regulation.kind.name if regulation.kind else "Lainnya (ditulis tanpa nomor dan tahun)"
            groups.setdefault(heading, []).append(regulation)
        return self._render(
            "views/legal_page.md.j2",
            LEGAL_PAGE,
            {"title": "Dasar hukum", "description": "Peraturan yang menjadi dasar hukum SOP"},
            groups=list(groups.items()),
        )

    def _document_lists(self, document_id: str) -> tuple[list[Any], list[Sop]]:
        """The document's flows (with their SOPs) and every SOP using it: made once per
        document, for each page of its paged lists (callers do not change them)."""
        lists = self._lists.get(document_id)
        if lists is None:
            flows = self.views.document_flows[document_id]
            every = [sop for sop, _ in self.views.catalogue.document_users.get(document_id, ())]
            lists = self._lists[document_id] = ([(self.by_id[f.sop_id], f) for f in flows], every)
        return lists

    def document_pages(self, document_id: str) -> int:
        """How many pages a document's page runs to (:data:`PAGE_SIZE` SOPs each)."""
        flows, every = self._document_lists(document_id)
        return page_count(max(len(flows), len(every)))

    def document(self, document_id: str, number: int = 1) -> str:
        document = self.views.catalogue.documents.get(document_id)
        flows, every = self._document_lists(document_id)
        count = self.document_pages(document_id)
        src = document_page_src(document_id, number)
        window = slice((number - 1) * PAGE_SIZE, number * PAGE_SIZE)
        title = document.title + (f" (halaman {number} dari {count})" if count > 1 else "")
        return self._render(
            "views/document_page.md.j2",
            src,
            {"title": title, "description": document.description or document.title, "search": {"exclude": True}},
            up=(DOCUMENTS_PAGE, "Dokumen"),
            document=document,
            flows=flows[window],
            every=every[window],
            all_flows=len(flows),
            all_every=len(every),
            number=number,
            pager=self._pager(src, partial(document_page_src, document_id), count),
        )

    def families_index(self) -> str:
        return self._render(
            "views/families_index.md.j2",
            f"{FAMILIES_SECTION}/index.md",
            {"title": "Perbandingan SOP sejenis", "description": "SOP untuk pekerjaan yang sama di instansi berbeda"},
            families=self.views.families,
        )

    def family(self, family: Family) -> str:
        return self._render(
            "views/family_page.md.j2",
            family_src(family.id),
            {
                "title": f"Perbandingan: {family.name}",
                "description": f"Perbandingan SOP {family.name}",
                "search": {"exclude": True},
            },
            wide=True,  # the table needs the width more than a table of contents
            up=(f"{FAMILIES_SECTION}/index.md", "Perbandingan"),
            family=family,
            sops=[self.by_id[i] for i in family.sop_ids],
            rows=comparison(self.views, family),
        )

    def review(self) -> str:
        reviews = self.views.reviews
        sops = self.views.catalogue.sops
        due = [s for s in sops if reviews[s.id].due]
        due.sort(key=lambda s: (reviews[s.id].evaluation_due or reviews[s.id].today, s.nama.casefold()))
        soon = [s for s in sops if reviews[s.id].state is ReviewState.SEGERA]
        policy = self.views.catalogue.shared.review
        return self._render(
            "views/review_page.md.j2",
            REVIEW_PAGE,
            {"title": "Perlu ditinjau", "description": "SOP yang sudah waktunya dievaluasi atau dimonitor"},
            due=due,
            soon=soon,
            reviews=reviews,
            policy=policy,
            today=self.views.today,
            total=len(sops),
        )

    def recent(self) -> str:
        latest: list[tuple[HistoryEntry, Sop]] = []
        undated = []
        for sop in self.views.catalogue.sops:
            entry = last_change(sop)
            if entry is None:
                undated.append(sop)
            else:
                latest.append((entry, sop))
        latest.sort(key=lambda pair: (pair[0].date, pair[1].nama.casefold()), reverse=True)
        return self._render(
            "views/recent_page.md.j2",
            RECENT_PAGE,
            {"title": "Perubahan terbaru", "description": "SOP yang paling akhir dibuat atau direvisi"},
            latest=latest[:RECENT_LIMIT],
            undated=undated,
            limit=RECENT_LIMIT,
        )
