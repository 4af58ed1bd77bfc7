"""The machine-readable catalogue (``api/sop.json``) that other systems and the tests read."""

from __future__ import annotations

import json
from typing import Any

from .catalogue import Catalogue
from .documents import DocumentCatalogue, sop_documents
from .durations import MINUTES_PER_WORKDAY
from .model import Sop, Step
from .pages import CHECKLIST_FILE_NAME, DIAGRAM_FILE, SHEET_FILE_NAME, SiteLayout

API_PATH = "api/sop.json"
"""Where the catalogue is published, relative to the site root."""

SCHEMA_VERSION = 1
"""Bumped when a field changes meaning or disappears (adding fields does not bump it)."""


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
        "sheet_pdf_url": layout.artifact(sop, SHEET_FILE_NAME),
        "checklist_pdf_url": layout.artifact(sop, CHECKLIST_FILE_NAME),
        "source": sop.source,
        "fingerprint": sop.fingerprint,
        "tanggal_pembuatan": sop.tanggal_pembuatan.value.isoformat() if sop.tanggal_pembuatan else None,
        "tanggal_revisi": sop.tanggal_revisi.value.isoformat() if sop.tanggal_revisi else None,
        "tanggal_efektif": sop.tanggal_efektif.value.isoformat() if sop.tanggal_efektif else None,
        "disahkan_oleh": {
            "jabatan": approver.jabatan,
            "nama": approver.nama,
            "pangkat": approver.pangkat,
            "nip": approver.nip,
        },
        "pelaksana": list(sop.role_names),
        "total_time": {
            "minutes": sop.total.minutes,
            "workdays": round(sop.total.minutes / MINUTES_PER_WORKDAY, 2),
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


def catalogue_document(catalogue: Catalogue, layout: SiteLayout) -> dict[str, Any]:
    """The whole catalogue as a JSON-ready mapping (deterministic: no timestamps)."""
    documents = catalogue.documents
    return {
        "schema_version": SCHEMA_VERSION,
        "count": len(catalogue.sops),
        "sops": [sop_entry(sop, layout, documents) for sop in catalogue.sops],
        "documents": [
            {
                "id": document.id,
                "title": document.title,
                "description": document.description,
                "for_every_sop": document.for_every_sop,
                "template_url": layout.workbook(document.id),
                "used_in": [
                    {"sop": sop.id, "step": no, "role": role, "url": layout.workbook(document.id, sop)}
                    for sop in catalogue.sops
                    for use in catalogue.document_uses[sop.id]
                    if use.document.id == document.id
                    for no, role in use.roles
                ],
            }
            for document in documents.documents
        ],
    }


def catalogue_json(catalogue: Catalogue, layout: SiteLayout) -> str:
    """The catalogue as stable, pretty JSON text."""
    # Compact: the catalogue of a large portal runs to megabytes; tools pretty-print it if needed.
    return json.dumps(catalogue_document(catalogue, layout), ensure_ascii=False, separators=(",", ":")) + "\n"
