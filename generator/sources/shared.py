"""The ``portal.yaml`` source kind: its schema and the rules beyond it (see :mod:`generator.model.shared`).

It is optional. Without it every SOP is reviewed every 12 months and monitored every 6,
roles are matched by their written name only, families are SOPs with the same name, and no
abbreviation is explained.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from generator.model.shared import DeclaredFamily, DeclaredRole, GlossaryTerm, SharedCatalogue
from generator.model.sop import ReviewPolicy
from generator.model.text import role_key, slug
from generator.sources.collect import Collector
from generator.sources.kinds import SourceKind
from generator.sources.sop_schema import ID_PATTERN, REVIEW_POLICY_SCHEMA

SHARED_FILE = "portal.yaml"
"""Name of the shared catalogue in the sources folder."""


def shared_schema() -> dict[str, Any]:
    """The JSON Schema of ``portal.yaml``."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://sop-portal.invalid/schema/portal.schema.json",
        "title": "Pengaturan bersama portal SOP",
        "description": "Jangka peninjauan, daftar jabatan (dengan nama lainnya), keluarga SOP dan glosarium singkatan.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "peninjauan": REVIEW_POLICY_SCHEMA,
            "jabatan": {
                "type": ["array", "null"],
                "description": "Jabatan yang ditulis dengan beberapa nama di SOP yang berbeda.",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["nama"],
                    "properties": {
                        "id": {"type": "string", "pattern": ID_PATTERN, "description": "Kunci (bawaan: dari nama)."},
                        "nama": {"type": "string", "minLength": 1, "description": "Nama jabatan yang ditampilkan."},
                        "alias": {
                            "type": "array",
                            "items": {"type": "string", "minLength": 1},
                            "description": "Nama lain jabatan ini di kepala kolom SOP (huruf besar/kecil diabaikan).",
                        },
                    },
                },
            },
            "keluarga": {
                "type": ["array", "null"],
                "description": "Keluarga SOP: SOP dari instansi berbeda untuk pekerjaan yang sama.",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id", "nama"],
                    "properties": {
                        "id": {"type": "string", "pattern": ID_PATTERN, "description": "Kunci keluarga."},
                        "nama": {"type": "string", "minLength": 1, "description": "Nama pekerjaan."},
                        "keterangan": {"type": ["string", "null"], "description": "Penjelasan singkat."},
                        "tahap": {
                            "type": "array",
                            "items": {"type": "string", "minLength": 1},
                            "description": "Tahap pekerjaan berurutan; langkah SOP memilih salah satu di `tahap`.",
                        },
                    },
                },
            },
            "glosarium": {
                "type": ["array", "null"],
                "description": (
                    "Singkatan yang umum di SOP dan artinya: dijelaskan di halaman tempat singkatan itu "
                    "muncul dan dikenali oleh pencarian."
                ),
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["singkatan", "arti"],
                    "properties": {
                        "singkatan": {
                            "type": "string",
                            "minLength": 1,
                            "description": (
                                "Singkatan seperti ditulis di SOP (satu kata; huruf besar/kecil dibedakan)."
                            ),
                        },
                        "arti": {"type": "string", "minLength": 1, "description": "Kepanjangan singkatan."},
                        "alias": {
                            "type": "array",
                            "items": {"type": "string", "minLength": 1},
                            "description": "Ejaan lain singkatan yang sama, mis. `Kasubag` untuk `Kasubbag`.",
                        },
                    },
                },
            },
        },
    }


def _glossary(out: Collector) -> tuple[GlossaryTerm, ...]:
    """The ``glosarium:`` entries of a schema-valid ``portal.yaml``, each spelling once."""
    doc = out.doc
    terms: list[GlossaryTerm] = []
    owner: dict[str, str] = {}
    for i, item in enumerate(doc.data.get("glosarium") or []):
        term = GlossaryTerm(
            singkatan=item["singkatan"].strip(),
            arti=" ".join(item["arti"].split()),
            alias=tuple(a.strip() for a in item.get("alias") or []),
            line=doc.where(("glosarium", i)).line,
        )
        bad = False
        for j, spelling in enumerate(term.spellings):
            where = ("glosarium", i, "alias", j - 1) if j else ("glosarium", i, "singkatan")
            if not spelling or any(c.isspace() for c in spelling) or not any(c.isalnum() for c in spelling):
                out.add(
                    where,
                    f"singkatan `{spelling}` harus satu kata",
                    "bad-abbreviation",
                    expected="satu kata tanpa spasi, mis. `SAKIP` atau `Kasubbag`",
                    found=f"`{spelling}`",
                    hint="tulis singkatannya saja; kepanjangannya di `arti`",
                )
                bad = True
            elif spelling in owner:
                out.add(
                    where,
                    f"singkatan `{spelling}` sudah ada di glosarium (`{owner[spelling]}`)",
                    "duplicate-abbreviation",
                    hint="satu singkatan hanya boleh punya satu arti; hapus salah satunya",
                )
                bad = True
            else:
                owner[spelling] = term.singkatan
        if not bad:
            terms.append(term)
    return tuple(terms)


def _build(out: Collector, default_id: str, root: Path) -> SharedCatalogue:
    """The :class:`SharedCatalogue` of a schema-valid ``portal.yaml``."""
    doc = out.doc
    data = doc.data
    roles: list[DeclaredRole] = []
    owner: dict[str, str] = {}
    for i, item in enumerate(data.get("jabatan") or []):
        role = DeclaredRole(
            id=item.get("id") or slug(item["nama"]),
            nama=item["nama"].strip(),
            alias=tuple(a.strip() for a in item.get("alias") or []),
            line=doc.where(("jabatan", i)).line,
        )
        if role.id in {r.id for r in roles}:
            out.add(("jabatan", i), f"id jabatan `{role.id}` sudah dipakai", "duplicate-id", hint="beri id lain")
        for j, name in enumerate((role.nama, *role.alias)):
            key = role_key(name)
            if key in owner and owner[key] != role.id:
                out.add(
                    ("jabatan", i, "alias", j - 1) if j else ("jabatan", i, "nama"),
                    f"nama `{name}` sudah menjadi nama jabatan `{owner[key]}`",
                    "duplicate-alias",
                    hint="satu nama hanya boleh menunjuk satu jabatan; hapus salah satunya",
                )
            owner.setdefault(key, role.id)
        roles.append(role)
    families: list[DeclaredFamily] = []
    for i, item in enumerate(data.get("keluarga") or []):
        if item["id"] in {f.id for f in families}:
            out.add(("keluarga", i, "id"), f"id keluarga `{item['id']}` sudah dipakai", "duplicate-id")
            continue
        families.append(
            DeclaredFamily(
                id=item["id"],
                nama=item["nama"].strip(),
                keterangan=(item.get("keterangan") or "").strip(),
                tahap=tuple(t.strip() for t in item.get("tahap") or []),
                line=doc.where(("keluarga", i)).line,
            )
        )
    policy = data.get("peninjauan") or {}
    return SharedCatalogue(
        review=ReviewPolicy(**policy),
        roles=tuple(roles),
        families=tuple(families),
        glossary=_glossary(out),
    )


SHARED_KIND: SourceKind[SharedCatalogue] = SourceKind(
    name="portal",
    location=SHARED_FILE,
    schema=shared_schema,
    build=_build,
    contents="katalog bersama (peninjauan, jabatan, keluarga, glosarium)",
    start_hint="mulai berkas dengan `jabatan:`, `keluarga:`, `glosarium:` atau `peninjauan:` di awal baris",
    empty=SharedCatalogue(),
)
"""The shared catalogue: one optional file, ``sop_sources/portal.yaml``."""

shared_schema_json = SHARED_KIND.schema_json


def load_shared(source_dir: Path, display: str) -> SharedCatalogue:
    """Read and check ``portal.yaml`` (defaults when it does not exist); ``display`` is its
    name in messages. Its problems are in the result's ``problems``."""
    files = SHARED_KIND.files(source_dir)
    if not files:
        return SharedCatalogue()
    _doc, shared, problems = SHARED_KIND.read(files[0], display, source_dir.parent)
    return dataclasses.replace(shared or SharedCatalogue(), problems=tuple(problems))
