"""The shared catalogue ``sop_sources/portal.yaml``: review periods, jabatan and SOP families.

It is optional. Without it every SOP is reviewed every 12 months and monitored every 6,
roles are matched by their written name only, and families are SOPs with the same name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from .errors import Problem
from .model import ReviewPolicy
from .schema import ID_PATTERN, REVIEW_POLICY_SCHEMA
from .validate import Collector, schema_problems
from .yamlsource import read_yaml

SHARED_FILE = "portal.yaml"
"""Name of the shared catalogue in the sources folder."""


def role_key(name: str) -> str:
    """How role names are compared: case, spacing and punctuation do not count."""
    return re.sub(r"[^\w]+", " ", name.casefold()).strip()


def slug(text: str) -> str:
    """An id made from a name: lowercase ASCII words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


@dataclass(frozen=True)
class DeclaredRole:
    """A jabatan of the portal's list, with the other names SOPs write it by."""

    id: str
    nama: str
    alias: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class DeclaredFamily:
    """SOPs doing the same job in different offices, compared side by side."""

    id: str
    nama: str
    keterangan: str = ""
    tahap: tuple[str, ...] = ()
    """The phases of the job, in order; steps name one of them in ``tahap``."""
    line: int = 0


@dataclass(frozen=True)
class SharedCatalogue:
    """The content of ``portal.yaml`` (all defaults when the file does not exist)."""

    review: ReviewPolicy = field(default_factory=ReviewPolicy)
    roles: tuple[DeclaredRole, ...] = ()
    families: tuple[DeclaredFamily, ...] = ()
    problems: tuple[Problem, ...] = ()

    @cached_property
    def role_by_id(self) -> dict[str, DeclaredRole]:
        """Declared roles by id."""
        return {r.id: r for r in self.roles}

    @cached_property
    def role_by_name(self) -> dict[str, DeclaredRole]:
        """Declared roles by the :func:`role_key` of their name and of every alias."""
        found: dict[str, DeclaredRole] = {}
        for role in self.roles:
            for name in (role.nama, *role.alias):
                found.setdefault(role_key(name), role)
        return found

    @cached_property
    def family_by_id(self) -> dict[str, DeclaredFamily]:
        """Declared families by id."""
        return {f.id: f for f in self.families}


def shared_schema() -> dict[str, Any]:
    """The JSON Schema of ``portal.yaml``."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://sop-portal.invalid/schema/portal.schema.json",
        "title": "Pengaturan bersama portal SOP",
        "description": "Jangka peninjauan, daftar jabatan (dengan nama lainnya) dan keluarga SOP.",
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
        },
    }


def shared_schema_json() -> str:
    """The schema as committed next to the sources and published with the portal."""
    return json.dumps(shared_schema(), ensure_ascii=False, indent=2) + "\n"


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(shared_schema())


def load_shared(source_dir: Path, display: str) -> SharedCatalogue:
    """Read and check ``portal.yaml``; ``display`` is its name in messages."""
    path = source_dir / SHARED_FILE
    if not path.is_file():
        return SharedCatalogue()
    doc, problems = read_yaml(path, display)
    if doc is None:
        return SharedCatalogue(problems=tuple(problems))
    out = Collector(doc)
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        out.add((), "isi portal.yaml harus berupa pemetaan `kolom: nilai`", "wrong-type")
        return SharedCatalogue(problems=tuple(problems + out.problems))
    schema_problems(out, data, _validator())
    if out.problems:
        return SharedCatalogue(problems=tuple(problems + out.problems))
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
        problems=tuple(problems + out.problems),
    )
