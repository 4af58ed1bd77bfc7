"""The machine-readable catalogue (``api/sop.json``) that other systems and the tests read."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from generator.indexes.lifecycle import history
from generator.indexes.views import DocumentFlow, Duty, RoleView, Views
from generator.model.documents import Document, DocumentCatalogue, sop_documents
from generator.model.durations import MINUTES_PER_WORKDAY, workdays
from generator.model.sop import Item, Sop, Step
from generator.site import (
    CHECKLIST_FILE,
    DIAGRAM_FILE,
    LEGAL_PAGE,
    RECENT_PAGE,
    REVIEW_PAGE,
    SHEET_FILE,
    SiteLayout,
    api_detail,
    api_document,
    api_role,
    document_src,
    family_src,
    role_src,
)
from generator.sources.catalogue import Catalogue

"""Where the catalogue is published, relative to the site root."""

SCHEMA_VERSION = 3
"""Bumped when a field changes meaning or disappears (adding fields does not bump it).
2: the index lists a summary of each SOP; the whole entry is in ``api/sop/<id>.json``.
3: a role's ``duties`` and a document's ``used_in`` and ``path`` moved from the index to
   ``api/jabatan/<id>.json`` and ``api/dokumen/<id>.json`` (``detail_url``)."""


def _step(sop: Sop, step: Step, layout: SiteLayout, known: frozenset[str]) -> dict[str, Any]:
    minutes = step.waktu.minutes if step.waktu else None
    documents = [
        {"id": document_id, "role": role, "url": layout.workbook(document_id, sop)}
        for document_id, role in step.documents
        if document_id in known
    ]
    return {
        "key": step.key,
        "no": step.no,
        "kegiatan": step.kegiatan,
        "pelaksana": list(step.roles),
        "performance": step.performance.value,
        "kind": step.kind.value,
        "next": [sop.step(k).no for k in step.successors],
        "next_keys": list(step.successors),
        "symbols": [
            {"pelaksana": role, "kind": kind.value} for role, kind in zip(step.roles, step.symbol_kinds, strict=True)
        ],
        "branches": [
            {
                "kind": b.kind.value,
                "from": step.roles[b.source] if step.roles else None,
                "to": b.target,
                "to_no": sop.step(b.target).no if b.target else None,
                "to_pelaksana": sop.step(b.target).roles[b.entry] if b.target and sop.step(b.target).roles else None,
            }
            for b in step.branches
        ],
        "parent": step.parent,
        "kelengkapan": [item.text for item in step.kelengkapan],
        "waktu": step.waktu.text if step.waktu else None,
        "waktu_minutes": minutes,
        "output": [item.text for item in step.output],
        "keterangan": step.keterangan,
        "documents": documents,
    }


def sop_entry(sop: Sop, layout: SiteLayout, documents: DocumentCatalogue | None = None) -> dict[str, Any]:
    """One SOP as the catalogue lists it."""
    documents = documents or DocumentCatalogue()
    approver = sop.disahkan_oleh
    return {
        "id": sop.id,
        "nama": sop.nama,
        "nomor": sop.nomor,
        "pemerintah": sop.pemerintah,
        "instansi": sop.instansi,
        "unit": sop.unit,
        "sub_unit": sop.sub_unit,
        "url": layout.page_url(sop),
        "diagram_url": layout.artifact(sop, DIAGRAM_FILE),
        "sheet_pdf_url": layout.artifact(sop, SHEET_FILE),
        "checklist_pdf_url": layout.artifact(sop, CHECKLIST_FILE),
        "source": sop.source,
        "fingerprint": sop.fingerprint,
        "tanggal_pembuatan": sop.tanggal_pembuatan.iso() if sop.tanggal_pembuatan else None,
        "tanggal_revisi": sop.tanggal_revisi.iso() if sop.tanggal_revisi else None,
        "tanggal_efektif": sop.tanggal_efektif.iso() if sop.tanggal_efektif else None,
        "tanggal_teks": {
            name: date.text
            for name, date in (
                ("pembuatan", sop.tanggal_pembuatan),
                ("revisi", sop.tanggal_revisi),
                ("efektif", sop.tanggal_efektif),
            )
            if date
        },
        "disahkan_oleh": {
            "jabatan": approver.jabatan,
            "nama": approver.nama,
            "pangkat": approver.pangkat,
            "nip": approver.nip,
        },
        "pelaksana": list(sop.role_names),
        "total_time": {
            "minutes": sop.total.minutes,
            "workdays": round(workdays(sop.total.minutes), 2),
            "minutes_per_workday": MINUTES_PER_WORKDAY,
            "path": [sop.step(k).no for k in sop.total.path],
            "untimed": [sop.step(k).no for k in sop.total.untimed],
            "loops_ignored": sop.total.loops_ignored,
        },
        "steps": [_step(sop, step, layout, documents.ids) for step in sop.langkah],
        "workbooks": [
            {"id": use.document.id, "title": use.document.title, "url": layout.workbook(use.document.id, sop)}
            for use in sop_documents(sop, documents)
        ],
    }


def _items(items: tuple[Item, ...], sop: Sop, layout: SiteLayout, known: frozenset[str]) -> list[dict[str, Any]]:
    return [
        {
            "text": item.text,
            "document": item.document,
            "url": layout.workbook(item.document, sop) if item.document in known else None,
        }
        for item in items
    ]


def _role_summary(layout: SiteLayout, role: RoleView) -> dict[str, Any]:
    return {
        "id": role.id,
        "name": role.name,
        "declared": role.declared,
        "spellings": list(role.spellings),
        "url": layout.url(role_src(role.id)),
        "sops": list(role.sop_ids),
    }


def _duty(duty: Duty, sop: Sop, layout: SiteLayout, known: frozenset[str]) -> dict[str, Any]:
    return {
        "sop": duty.sop_id,
        "step": duty.step_key,
        "no": duty.no,
        "kegiatan": duty.kegiatan,
        "waktu": duty.waktu or None,
        "waktu_minutes": duty.minutes,
        "performance": duty.performance.value,
        "with": list(duty.others),
        "needs": _items(duty.needs, sop, layout, known),
        "produces": _items(duty.produces, sop, layout, known),
    }


def _role(views: Views, layout: SiteLayout, role: RoleView) -> dict[str, Any]:
    by_id = views.catalogue.by_id
    known = views.catalogue.documents.ids
    return _role_summary(layout, role) | {"duties": [_duty(d, by_id[d.sop_id], layout, known) for d in role.duties]}


def roles_index(views: Views, layout: SiteLayout) -> list[dict[str, Any]]:
    """Every jabatan with the steps it performs ("Tugas per jabatan")."""
    return [_role(views, layout, role) for role in views.roles]


def legal_index(views: Views, layout: SiteLayout) -> list[dict[str, Any]]:
    """Every regulation cited, once, with the SOPs citing it ("Dasar hukum")."""
    page = layout.url(LEGAL_PAGE)
    return [
        {
            "id": r.key,
            "label": r.label,
            "recognised": r.kind is not None,
            "type": r.kind.name if r.kind else None,
            "issuer": r.issuer or None,
            "number": r.number or None,
            "year": r.year or None,
            "title": r.title or None,
            "titles": list(r.titles),
            "url": f"{page}#{r.key}",
            "cited_by": [{"sop": c.sop_id, "text": c.text} for c in r.cited_by],
        }
        for r in views.regulations
    ]


def _paths(flows: Iterable[DocumentFlow]) -> list[dict[str, Any]]:
    return [
        {
            "sop": flow.sop_id,
            "steps": [
                {
                    "step": s.step_key,
                    "no": s.no,
                    "kegiatan": s.kegiatan,
                    "pelaksana": list(s.roles),
                    "needs": list(s.needs),
                    "produces": list(s.produces),
                }
                for s in flow.steps
            ],
            "produced_at": [s.no for s in flow.producers],
            "consumed_at": [s.no for s in flow.consumers],
        }
        for flow in flows
    ]


def document_paths(views: Views, layout: SiteLayout) -> dict[str, list[dict[str, Any]]]:
    """Per document id, the steps that produce and consume it in each SOP, in flow order."""
    return {document_id: _paths(flows) for document_id, flows in views.document_flows.items()}


def families_index(views: Views, layout: SiteLayout) -> list[dict[str, Any]]:
    """Families of SOPs doing the same job, with their comparison page."""
    return [
        {
            "id": f.id,
            "name": f.name,
            "description": f.description or None,
            "declared_by": f.declared_by,
            "url": layout.url(family_src(f.id)),
            "sops": list(f.sop_ids),
            "phases": list(f.phases),
        }
        for f in views.families
    ]


def lifecycle_entry(views: Views, sop: Sop) -> dict[str, Any]:
    """An SOP's history and review status (merged into its catalogue entry)."""
    review = views.reviews[sop.id]

    def iso(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "riwayat": [
            {
                "tanggal": e.iso(),
                "kejadian": e.label,
                "perubahan": e.perubahan or None,
                "disetujui_oleh": e.disetujui_oleh or None,
                "declared": e.declared,
            }
            for e in history(sop)
        ],
        "review": {
            "state": review.state.value,
            "due": review.due,
            "evaluation_months": review.policy.evaluasi_bulan,
            "monitoring_months": review.policy.monitoring_bulan,
            "last_evaluation": iso(review.evaluated),
            "evaluation_due": iso(review.evaluation_due),
            "last_monitoring": iso(review.monitored),
            "monitoring_due": iso(review.monitoring_due),
            "reasons": list(review.reasons()),
        },
        "keluarga": views.family_of[sop.id].id if sop.id in views.family_of else None,
        "roles": dict(views.column_roles[sop.id]),
        "dasar_hukum": [c.key for c in views.citations[sop.id]],
        "links_to": list(views.links_to[sop.id]),
        "linked_from": list(views.linked_from[sop.id]),
    }


SUMMARY_FIELDS = (
    "id",
    "nama",
    "nomor",
    "pemerintah",
    "instansi",
    "unit",
    "sub_unit",
    "url",
    "fingerprint",
    "tanggal_pembuatan",
    "tanggal_revisi",
    "tanggal_efektif",
    "tanggal_teks",
    "total_time",
    "keluarga",
)
"""What the index says of each SOP; the rest is in the SOP's own file (``detail_url``)."""


def sop_document(catalogue: Catalogue, layout: SiteLayout, views: Views, sop: Sop) -> dict[str, Any]:
    """Everything about one SOP (``api/sop/<id>.json``)."""
    return (
        {"schema_version": SCHEMA_VERSION} | sop_entry(sop, layout, catalogue.documents) | lifecycle_entry(views, sop)
    )


def sop_summary(catalogue: Catalogue, layout: SiteLayout, views: Views, sop: Sop) -> dict[str, Any]:
    """What the index says of one SOP: :data:`SUMMARY_FIELDS` of its whole entry, its review
    status and the address of its own file."""
    entry = sop_entry(sop, layout, catalogue.documents) | lifecycle_entry(views, sop)
    return {key: entry[key] for key in (*SUMMARY_FIELDS, "review")} | {"detail_url": api_detail(sop.id)}


def catalogue_document(
    catalogue: Catalogue,
    layout: SiteLayout,
    views: Views,
    summary: Callable[[Sop], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The catalogue's index as a JSON-ready mapping (deterministic, given the review date):
    a summary of each SOP with the address of its own file, and the indexes across SOPs.
    ``summary`` gives an SOP's summary (default :func:`sop_summary`; the pipeline passes
    one that remembers summaries of unchanged SOPs between rebuilds)."""
    documents = catalogue.documents
    summary = summary or partial(sop_summary, catalogue, layout, views)
    sops = [summary(sop) for sop in catalogue.sops]
    roles = [
        _role_summary(layout, role) | {"duty_count": len(role.duties), "detail_url": api_role(role.id)}
        for role in views.roles
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "count": len(catalogue.sops),
        "sops": sops,
        "documents": [_document(d, layout) | {"detail_url": api_document(d.id)} for d in documents.documents],
        "roles": roles,
        "legal_bases": legal_index(views, layout),
        "families": families_index(views, layout),
        "review": {
            "date": views.today.isoformat(),
            "url": layout.url(REVIEW_PAGE),
            "due": [sop.id for sop in catalogue.sops if views.reviews[sop.id].due],
        },
        "recent_url": layout.url(RECENT_PAGE),
    }


def _document(document: Document, layout: SiteLayout) -> dict[str, Any]:
    return {
        "id": document.id,
        "title": document.title,
        "description": document.description,
        "for_every_sop": document.for_every_sop,
        "template_url": layout.workbook(document.id),
        "url": layout.url(document_src(document.id)),
    }


def _document_head(catalogue: Catalogue, layout: SiteLayout, document_id: str) -> dict[str, Any]:
    document = catalogue.documents.get(document_id)
    return (
        {"schema_version": SCHEMA_VERSION}
        | _document(document, layout)
        | {
            "used_in": [
                {"sop": sop.id, "step": no, "role": role, "url": layout.workbook(document.id, sop)}
                for sop, use in catalogue.document_users.get(document.id, ())
                for no, role in use.roles
            ],
        }
    )


def document_detail(catalogue: Catalogue, layout: SiteLayout, views: Views, document_id: str) -> dict[str, Any]:
    """Everything about one document (``api/dokumen/<id>.json``): where each SOP makes or
    needs it, and its path through each SOP."""
    return _document_head(catalogue, layout, document_id) | {"path": _paths(views.document_flows.get(document_id, ()))}


def role_detail(views: Views, layout: SiteLayout, role_id: str) -> dict[str, Any]:
    """Everything about one role (``api/jabatan/<id>.json``): every step it performs."""
    return {"schema_version": SCHEMA_VERSION} | _role(views, layout, views.role_by_id[role_id])


def _json(document: dict[str, Any]) -> str:
    # Compact: the catalogue of a large portal runs to megabytes; tools pretty-print it if needed.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def catalogue_json(
    catalogue: Catalogue,
    layout: SiteLayout,
    views: Views,
    summary: Callable[[Sop], dict[str, Any]] | None = None,
) -> str:
    """The catalogue's index as stable JSON text (``summary``: see :func:`catalogue_document`)."""
    return _json(catalogue_document(catalogue, layout, views, summary))


def sop_json(catalogue: Catalogue, layout: SiteLayout, views: Views, sop: Sop) -> str:
    """One SOP's catalogue file as stable JSON text."""
    return _json(sop_document(catalogue, layout, views, sop))


_DUTY_TEXT: dict[int, tuple[Duty, Sop, SiteLayout, frozenset[str], str]] = {}
"""Each duty's JSON text, by the duty's identity (kept alive), with what it was written
from. While serving, an unchanged SOP keeps its duty objects (see ``indexes.views``), so an
edit writes only its own SOP's steps into a role's file, not the thousands of others."""


def _duty_text(duty: Duty, sop: Sop, layout: SiteLayout, known: frozenset[str]) -> str:
    memo = _DUTY_TEXT.get(id(duty))
    if memo is None or memo[0] is not duty or memo[1] is not sop or memo[2] != layout or memo[3] is not known:
        if len(_DUTY_TEXT) > 500_000:
            _DUTY_TEXT.clear()
        text = _json(_duty(duty, sop, layout, known)).rstrip("\n")
        memo = _DUTY_TEXT[id(duty)] = (duty, sop, layout, known, text)
    return memo[4]


def role_json(views: Views, layout: SiteLayout, role_id: str) -> str:
    """One role's catalogue file as stable JSON text: :func:`role_detail`, with each duty
    written once and remembered ("duties" is the last member)."""
    role = views.role_by_id[role_id]
    by_id = views.catalogue.by_id
    known = views.catalogue.documents.ids
    head = _json({"schema_version": SCHEMA_VERSION} | _role_summary(layout, role)).rstrip("\n")
    duties = ",".join(_duty_text(d, by_id[d.sop_id], layout, known) for d in role.duties)
    return f'{head[:-1]},"duties":[{duties}]}}\n'


_FLOW_TEXT: dict[int, tuple[DocumentFlow, str]] = {}
"""Each document flow's JSON text, by the flow's identity (kept alive). While serving, an
unchanged SOP keeps its flow objects (see ``indexes.views``), so an edit writes only its
own SOP's share of a document's file, not the paths of the hundreds of others."""


def _flow_text(flow: DocumentFlow) -> str:
    memo = _FLOW_TEXT.get(id(flow))
    if memo is None or memo[0] is not flow:
        if len(_FLOW_TEXT) > 200_000:
            _FLOW_TEXT.clear()
        memo = _FLOW_TEXT[id(flow)] = (flow, _json(_paths((flow,))[0]).rstrip("\n"))
    return memo[1]


def forget_duty_texts() -> None:
    """Let go of the duties' and document flows' JSON texts remembered for the next build of
    this process (a build that makes its files once needs them no more)."""
    _DUTY_TEXT.clear()
    _FLOW_TEXT.clear()


def document_json(catalogue: Catalogue, layout: SiteLayout, views: Views, document_id: str) -> str:
    """One document's catalogue file as stable JSON text: :func:`document_detail`, with each
    SOP's path written once and remembered ("path" is the last member)."""
    head = _json(_document_head(catalogue, layout, document_id)).rstrip("\n")
    paths = ",".join(_flow_text(flow) for flow in views.document_flows.get(document_id, ()))
    return f'{head[:-1]},"path":[{paths}]}}\n'
