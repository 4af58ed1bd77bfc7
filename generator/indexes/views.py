"""Indexes across SOPs: who does what, which regulations, how documents move, which SOPs
do the same job, which SOPs refer to each other, and which are due for review.

Everything here is plain data computed once per build from the catalogue; the pages,
the catalogue JSON and the tests all read the same :class:`Views`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from generator.indexes.legal import Citation, Regulation, read_citation, regulation_index
from generator.indexes.lifecycle import ReviewStatus, review_status
from generator.model.shared import SharedCatalogue
from generator.model.sop import Item, Performance, Sop, Step
from generator.model.text import UniqueSlugs, role_key, slug
from generator.sources.catalogue import Catalogue

# ---------------------------------------------------------------------------- roles


@dataclass(frozen=True, slots=True)
class Duty:
    """One step a role performs (alone, with others, or as one link of a chain)."""

    sop_id: str
    step_key: str
    no: str
    kegiatan: str
    waktu: str
    minutes: float | None
    performance: Performance
    others: tuple[str, ...]
    """The other roles of a joint step or chain, by their canonical names."""
    needs: tuple[Item, ...]
    produces: tuple[Item, ...]


@dataclass(frozen=True)
class RoleView:
    """A jabatan across the portal."""

    id: str
    name: str
    spellings: tuple[str, ...]
    """Column headers the SOPs use for it, as written."""
    declared: bool
    """True when it is in the jabatan list of portal.yaml."""
    duties: tuple[Duty, ...]

    @cached_property
    def sop_ids(self) -> tuple[str, ...]:
        """SOPs the role takes part in, in catalogue order (computed once: every page of the
        role's paged list shows the count)."""
        return tuple(dict.fromkeys(d.sop_id for d in self.duties))

    @cached_property
    def total_minutes(self) -> float:
        """Time of all its timed steps, summed (a workload indication, not a path)."""
        return sum(d.minutes or 0 for d in self.duties)

    @cached_property
    def groups(self) -> tuple[tuple[str, tuple[Duty, ...]], ...]:
        """Its duties SOP by SOP, in catalogue order (computed once, for the pages of the
        role's paged list, each of which shows one window of them)."""
        found: dict[str, list[Duty]] = {}
        for duty in self.duties:
            found.setdefault(duty.sop_id, []).append(duty)
        return tuple((sop_id, tuple(duties)) for sop_id, duties in found.items())


def _display_name(spellings: list[str]) -> str:
    """The spelling to show: the most used, preferring one not written in capitals."""
    counts = Counter(spellings)
    return max(counts, key=lambda s: (not s.isupper(), counts[s], -spellings.index(s)))


# ---------------------------------------------------------------------------- documents


@dataclass(frozen=True, slots=True)
class DocumentStep:
    """A step that uses or makes a document, in the flow of one SOP."""

    step_key: str
    no: str
    kegiatan: str
    roles: tuple[str, ...]
    """Canonical role names."""
    needs: tuple[str, ...]
    """How the step's Kelengkapan writes the document (empty when it does not need it)."""
    produces: tuple[str, ...]
    """How the step's Output writes it (empty when it does not make it)."""


@dataclass(frozen=True, slots=True)
class DocumentFlow:
    """A document's path through one SOP: the steps that make it and use it, in order."""

    sop_id: str
    steps: tuple[DocumentStep, ...]

    @property
    def producers(self) -> tuple[DocumentStep, ...]:
        return tuple(s for s in self.steps if s.produces)

    @property
    def consumers(self) -> tuple[DocumentStep, ...]:
        return tuple(s for s in self.steps if s.needs)


# ---------------------------------------------------------------------------- families


@dataclass(frozen=True, slots=True)
class Family:
    """SOPs doing the same job in different offices."""

    id: str
    name: str
    description: str
    sop_ids: tuple[str, ...]
    phases: tuple[str, ...]
    """Phases to compare time by: declared in portal.yaml, else as the steps name them."""
    declared_by: str
    """"keluarga" (a shared key in the sources) or "nama" (the same SOP name)."""


def _without_trailing_remark(text: str) -> str:
    """``text`` without a bracketed remark at its end: from the first "(" after the ")"
    before the last one. (The pattern ``\\([^)]*\\)\\s*$`` says the same, but tried at every
    "(" of a name full of them it takes time to the square of its length.)"""
    stripped = text.rstrip()
    if not stripped.endswith(")"):
        return text
    opening = stripped.find("(", stripped.rfind(")", 0, len(stripped) - 1) + 1)
    return text[:opening] if opening != -1 else text


def name_key(name: str) -> str:
    """Names that mean the same SOP: case, punctuation, a leading "Prosedur"/"SOP" and a
    trailing remark in brackets do not count."""
    text = _without_trailing_remark(name.casefold())
    text = re.sub(r"^\s*(?:sop|prosedur|standar operasional prosedur)\b", "", text)
    return slug(text)


# ---------------------------------------------------------------------------- per SOP


@dataclass(frozen=True, slots=True)
class SopContext:
    """What one SOP's page shows of the other SOPs (and the part of its page cache key that
    comes from outside its own source)."""

    roles: tuple[tuple[str, str, str], ...]
    """(column name, role id, role name) for each column."""
    legal: tuple[tuple[str, str], ...]
    """(entry as written, regulation key) for each Dasar Hukum entry."""
    family: Family | None
    siblings: tuple[tuple[str, str, str], ...]
    """(id, name, instansi) of the other SOPs of its family."""
    links_to: tuple[tuple[str, str], ...]
    """(id, name) of the portal SOPs it names in Keterkaitan."""
    linked_from: tuple[tuple[str, str], ...]
    """(id, name) of the portal SOPs that name it."""
    review: ReviewStatus


_SOP_DUTIES: dict[int, tuple[Sop, object, dict[str, list[Duty]]]] = {}
_SOP_FLOWS: dict[int, tuple[Sop, object, tuple[tuple[str, DocumentFlow], ...]]] = {}
"""Per SOP (by identity, kept alive), its duties and document flows with what they were
computed from: ``mkdocs serve`` rebuilds in one process, and an unchanged SOP's share of
the views is not computed again (only its roles' names may change it)."""


def _sop_duties(sop: Sop, mapping: dict[str, str], names: dict[str, str]) -> dict[str, list[Duty]]:
    """The steps each role performs in one SOP (remembered while the SOP and its roles'
    names are unchanged)."""
    key = (tuple(mapping.items()), tuple(names[rid] for rid in mapping.values()))
    memo = _SOP_DUTIES.get(id(sop))
    if memo is not None and memo[0] is sop and memo[1] == key:
        return memo[2]
    if len(_SOP_DUTIES) > 50_000:
        _SOP_DUTIES.clear()
        _SOP_FLOWS.clear()
    duties: dict[str, list[Duty]] = {}
    for step in sop.flow_steps:
        ids = list(dict.fromkeys(mapping[name] for name in step.roles))
        for rid in ids:
            duties.setdefault(rid, []).append(
                Duty(
                    sop_id=sop.id,
                    step_key=step.key,
                    no=step.no,
                    kegiatan=step.kegiatan,
                    waktu=step.waktu.text if step.waktu else "",
                    minutes=step.waktu.minutes if step.waktu else None,
                    performance=step.performance,
                    others=tuple(names[o] for o in ids if o != rid),
                    needs=step.kelengkapan,
                    produces=step.output,
                )
            )
    _SOP_DUTIES[id(sop)] = (sop, key, duties)
    return duties


_LAST_SHARED: list[SharedCatalogue] = []
_COLUMNS: dict[int, tuple[Sop, SharedCatalogue, dict[str, str]]] = {}
"""Per SOP (by identity, kept alive), each column name's role id, with the shared catalogue
(``portal.yaml``) it was read against: kept from one ``mkdocs serve`` rebuild to the next."""


def _same_shared(shared: SharedCatalogue) -> SharedCatalogue:
    """The previous build's shared catalogue when this one equals it (so that the per-SOP
    memos can compare it by identity)."""
    if _LAST_SHARED and _LAST_SHARED[0] == shared:
        return _LAST_SHARED[0]
    _LAST_SHARED[:] = [shared]
    return shared


def _columns(sop: Sop, shared: SharedCatalogue) -> dict[str, str]:
    """Each column name of the SOP with the id of the role it is (declared or by name)."""
    memo = _COLUMNS.get(id(sop))
    if memo is not None and memo[0] is sop and memo[1] is shared:
        return memo[2]
    mapping = {}
    for role in sop.pelaksana:
        declared = shared.role_by_id.get(role.jabatan or "") or shared.role_by_name.get(role_key(role.name))
        if declared is None and role.code:
            declared = shared.role_by_name.get(role_key(role.code))
        mapping[role.name] = declared.id if declared else slug(role_key(role.name), "jabatan")
    if len(_COLUMNS) > 50_000:
        _COLUMNS.clear()
    _COLUMNS[id(sop)] = (sop, shared, mapping)
    return mapping


class Views:
    """Every cross-SOP index of one catalogue on one build date."""

    def __init__(self, catalogue: Catalogue, today: dt.date) -> None:
        self.catalogue = catalogue
        self.today = today
        self._contexts: dict[str, SopContext] = {}

    # -- roles ---------------------------------------------------------------

    @cached_property
    def column_roles(self) -> dict[str, dict[str, str]]:
        """Per SOP id, each column name's role id."""
        shared = _same_shared(self.catalogue.shared)
        return {sop.id: _columns(sop, shared) for sop in self.catalogue.sops}

    @cached_property
    def roles(self) -> tuple[RoleView, ...]:
        """Every role of the portal, declared ones under their declared name; by name."""
        shared = self.catalogue.shared
        spellings: dict[str, list[str]] = {}
        duties: dict[str, list[Duty]] = {}
        for sop in self.catalogue.sops:
            mapping = self.column_roles[sop.id]
            for role in sop.pelaksana:
                spellings.setdefault(mapping[role.name], []).append(role.name)
        names = {
            rid: shared.role_by_id[rid].nama if rid in shared.role_by_id else _display_name(written)
            for rid, written in spellings.items()
        }
        for sop in self.catalogue.sops:
            for rid, found in _sop_duties(sop, self.column_roles[sop.id], names).items():
                duties.setdefault(rid, []).extend(found)
        views = [
            RoleView(
                id=rid,
                name=names[rid],
                spellings=tuple(dict.fromkeys(written)),
                declared=rid in shared.role_by_id,
                duties=tuple(duties.get(rid, ())),
            )
            for rid, written in spellings.items()
        ]
        return tuple(sorted(views, key=lambda r: (r.name.casefold(), r.id)))

    @cached_property
    def role_by_id(self) -> dict[str, RoleView]:
        return {r.id: r for r in self.roles}

    def role_names(self, sop: Sop) -> tuple[str, ...]:
        """The SOP's roles by their canonical names, in column order, without repeats."""
        mapping = self.column_roles[sop.id]
        return tuple(dict.fromkeys(self.role_by_id[mapping[r.name]].name for r in sop.pelaksana))

    # -- legal bases ---------------------------------------------------------

    @cached_property
    def citations(self) -> dict[str, tuple[Citation, ...]]:
        """Per SOP id, each Dasar Hukum entry read as a citation."""
        return {sop.id: tuple(read_citation(text) for text in sop.dasar_hukum) for sop in self.catalogue.sops}

    @cached_property
    def regulations(self) -> tuple[Regulation, ...]:
        pairs = [(sop.id, c) for sop in self.catalogue.sops for c in self.citations[sop.id]]
        return regulation_index(pairs)

    # -- documents -----------------------------------------------------------

    @cached_property
    def document_flows(self) -> dict[str, tuple[DocumentFlow, ...]]:
        """Per document id, its path through each SOP that names it in a step."""
        flows: dict[str, list[DocumentFlow]] = {d.id: [] for d in self.catalogue.documents.documents}
        names = {role.id: role.name for role in self.roles}
        for sop in self.catalogue.sops:
            mapping = self.column_roles[sop.id]
            key = (tuple(mapping.items()), tuple(names[rid] for rid in mapping.values()), self.catalogue.documents)
            memo = _SOP_FLOWS.get(id(sop))
            if memo is None or memo[0] is not sop or memo[1] != key:
                found = []
                for use in self.catalogue.document_uses[sop.id]:
                    if use.steps:
                        steps = tuple(self._document_step(sop, step, mapping, use.document.id) for step in use.steps)
                        found.append((use.document.id, DocumentFlow(sop.id, steps)))
                memo = _SOP_FLOWS[id(sop)] = (sop, key, tuple(found))
            for document_id, flow in memo[2]:
                flows.setdefault(document_id, []).append(flow)
        return {k: tuple(v) for k, v in flows.items()}

    def _document_step(self, sop: Sop, step: Step, mapping: dict[str, str], document_id: str) -> DocumentStep:
        return DocumentStep(
            step_key=step.key,
            no=step.no,
            kegiatan=step.kegiatan,
            roles=tuple(dict.fromkeys(self.role_by_id[mapping[r]].name for r in step.roles)),
            needs=tuple(i.text for i in step.kelengkapan if i.document == document_id),
            produces=tuple(i.text for i in step.output if i.document == document_id),
        )

    # -- families ------------------------------------------------------------

    @cached_property
    def families(self) -> tuple[Family, ...]:
        """Families with two SOPs or more: declared by a shared ``keluarga``, else by name."""
        shared = self.catalogue.shared
        groups: dict[tuple[str, str], list[Sop]] = {}
        for sop in self.catalogue.sops:
            group = ("keluarga", sop.keluarga) if sop.keluarga else ("nama", name_key(sop.nama))
            groups.setdefault(group, []).append(sop)
        families = []
        used = UniqueSlugs()  # a shared key and an SOP name may read alike
        for (how, key), members in groups.items():
            if len(members) < 2:
                continue
            declared = shared.family_by_id.get(key) if how == "keluarga" else None
            name = declared.nama if declared else _display_name([s.nama for s in members]).strip()
            phases = declared.tahap if declared and declared.tahap else ()
            if not phases:
                phases = tuple(dict.fromkeys(s.tahap for m in members for s in m.flow_steps if s.tahap))
            family_id = used.make(key)
            families.append(
                Family(
                    id=family_id,
                    name=name,
                    description=declared.keterangan if declared else "",
                    sop_ids=tuple(s.id for s in members),
                    phases=phases,
                    declared_by=how,
                )
            )
        return tuple(sorted(families, key=lambda f: f.name.casefold()))

    @cached_property
    def family_of(self) -> dict[str, Family]:
        return {sop_id: f for f in self.families for sop_id in f.sop_ids}

    # -- keterkaitan ---------------------------------------------------------

    @cached_property
    def links_to(self) -> dict[str, tuple[str, ...]]:
        """Per SOP id, the portal SOPs its Keterkaitan names."""
        by_id = self.catalogue.by_id
        return {
            sop.id: tuple(dict.fromkeys(k.sop_id for k in sop.keterkaitan if k.sop_id in by_id and k.sop_id != sop.id))
            for sop in self.catalogue.sops
        }

    @cached_property
    def linked_from(self) -> dict[str, tuple[str, ...]]:
        """Per SOP id, the portal SOPs whose Keterkaitan names it."""
        found: dict[str, list[str]] = {sop.id: [] for sop in self.catalogue.sops}
        for source, targets in self.links_to.items():
            for target in targets:
                found[target].append(source)
        return {k: tuple(v) for k, v in found.items()}

    # -- lifecycle -----------------------------------------------------------

    @cached_property
    def reviews(self) -> dict[str, ReviewStatus]:
        """Per SOP id, its review status on the build date."""
        policy = self.catalogue.shared.review
        return {sop.id: review_status(sop, policy, self.today) for sop in self.catalogue.sops}

    # -- one SOP -------------------------------------------------------------

    def context(self, sop: Sop) -> SopContext:
        """What the SOP's page shows of the rest of the portal (computed once per SOP: the
        page cache key and the page itself both ask for it)."""
        if sop.id not in self._contexts:
            self._contexts[sop.id] = self._context(sop)
        return self._contexts[sop.id]

    def _context(self, sop: Sop) -> SopContext:
        by_id = self.catalogue.by_id
        mapping = self.column_roles[sop.id]
        family = self.family_of.get(sop.id)
        return SopContext(
            roles=tuple((r.name, mapping[r.name], self.role_by_id[mapping[r.name]].name) for r in sop.pelaksana),
            legal=tuple((c.text, c.key) for c in self.citations[sop.id]),
            family=family,
            siblings=tuple(
                (i, by_id[i].nama, by_id[i].instansi) for i in (family.sop_ids if family else ()) if i != sop.id
            ),
            links_to=tuple((i, by_id[i].nama) for i in self.links_to[sop.id]),
            linked_from=tuple((i, by_id[i].nama) for i in self.linked_from[sop.id]),
            review=self.reviews[sop.id],
        )
