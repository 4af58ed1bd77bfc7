"""The document source kind (``sop_sources/dokumen/*.yaml``): its schema, the rules beyond
it, and the :class:`~generator.model.documents.Document` it builds."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generator.model.documents import (
    PLACEHOLDER,
    Column,
    Document,
    DocumentCatalogue,
    Field,
    Kind,
    SheetDef,
)
from generator.model.problems import Problem
from generator.sources.collect import Collector
from generator.sources.document import SourceDocument, YamlPath
from generator.sources.kinds import SourceKind
from generator.sources.sop_schema import ID_PATTERN

DOCUMENT_FOLDER = "dokumen"
"""Sub-folder of the sources folder holding one YAML file per document."""

RESERVED_SHEETS = frozenset({"Petunjuk", "Daftar"})
"""Sheet names the generator uses itself (instructions; hidden choice lists)."""


def _kind_props(*, column: bool) -> dict[str, Any]:
    kinds = [k.value for k in Kind if column or k not in (Kind.NOMOR,)]
    props: dict[str, Any] = {
        "jenis": {"enum": kinds, "description": "Jenis isian: " + ", ".join(kinds) + "."},
        "pilihan": {
            "type": "array",
            "items": {"type": "string"},
            "minItems": 1,
            "description": "Pilihan langsung (untuk jenis pilihan/centang).",
        },
        "daftar": {"type": "string", "description": "Nama daftar pilihan di `daftar` (untuk jenis pilihan)."},
        "rumus": {
            "type": "string",
            "pattern": "^=",
            "description": "Rumus Excel; `{kunci}` = sel kolom itu di baris ini.",
        },
        "format": {"enum": ["bulat", "desimal", "persen", "teks", "tanggal"], "description": "Tampilan hasil rumus."},
        "kosong": {
            "type": ["string", "number"],
            "description": "Hasil rumus selagi isian masih kosong (bawaan: teks kosong).",
        },
    }
    return props


def document_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one document source file."""
    field_def = {
        "type": "object",
        "additionalProperties": False,
        "required": ["label", "jenis"],
        "properties": {
            "label": {"type": "string", "minLength": 1, "description": "Label isian."},
            **_kind_props(column=False),
            "sumber": {"enum": ["pelaksana"], "description": "Untuk centang: satu baris per pelaksana SOP."},
            "tinggi": {"type": "integer", "minimum": 1, "maximum": 20, "description": "Jumlah baris isian."},
        },
    }
    column_def = {
        "type": "object",
        "additionalProperties": False,
        "required": ["kunci", "judul", "jenis"],
        "properties": {
            "kunci": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$", "description": "Kunci kolom untuk rumus."},
            "judul": {"type": "string", "minLength": 1, "description": "Judul kolom."},
            **_kind_props(column=True),
            "lebar": {"type": "number", "minimum": 3, "maximum": 100, "description": "Lebar kolom (karakter)."},
            "terkunci": {"type": "boolean", "description": "Kolom berisi teks tetap (bukan isian)."},
            "minimal": {
                "type": "number",
                "description": "Nilai terkecil yang diterima isian angka (mis. 0 untuk target).",
            },
        },
    }
    sheet_def = {
        "type": "object",
        "additionalProperties": False,
        "required": ["nama", "jenis"],
        "properties": {
            "nama": {
                "type": "string",
                "minLength": 1,
                "maxLength": 31,
                "pattern": r"^[^\[\]:*?/\\]+$",
                "description": "Nama lembar kerja (paling banyak 31 karakter).",
            },
            "judul": {"type": "string", "description": "Judul yang tercetak di atas lembar."},
            "jenis": {"enum": ["formulir", "tabel"], "description": "formulir (label: isian) atau tabel."},
            "kepala": {"type": "boolean", "description": "Awali dengan identitas SOP (bawaan: ya)."},
            "isian": {"type": "array", "items": field_def, "description": "Isian formulir, atau isian di atas tabel."},
            "kolom": {"type": "array", "items": column_def, "minItems": 1, "description": "Kolom tabel."},
            "baris": {"type": "integer", "minimum": 0, "maximum": 500, "description": "Jumlah baris isian kosong."},
            "isi": {"type": "array", "items": {"type": "object"}, "description": "Baris yang sudah terisi."},
            "isi_dari": {"enum": ["langkah"], "description": "Isi baris dari langkah-langkah SOP."},
            "total": {
                "type": "object",
                "additionalProperties": {"enum": ["jumlah", "rata-rata"]},
                "description": "Baris total: kunci kolom -> jumlah atau rata-rata.",
            },
            "ringkasan": {"type": "array", "items": field_def, "description": "Baris hasil di bawah tabel."},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://sop-portal.invalid/schema/dokumen.schema.json",
        "title": "Templat dokumen SOP",
        "type": "object",
        "additionalProperties": False,
        "required": ["judul", "lembar"],
        "properties": {
            "id": {"type": "string", "pattern": ID_PATTERN, "description": "Kunci dokumen (bawaan: nama berkas)."},
            "judul": {"type": "string", "minLength": 1, "description": "Judul dokumen."},
            "deskripsi": {"type": "string", "description": "Untuk apa dokumen ini."},
            "petunjuk": {"type": "array", "items": {"type": "string"}, "description": "Petunjuk pengisian."},
            "kertas": {"enum": ["A4", "F4"], "description": "Ukuran kertas cetak."},
            "orientasi": {"enum": ["potret", "lanskap"], "description": "Arah kertas."},
            "untuk_setiap_sop": {"type": "boolean", "description": "Formulir yang menyertai setiap SOP."},
            "daftar": {
                "type": "object",
                "description": "Daftar pilihan: nama -> nilai; atau tabel nilai: nama -> [[teks, angka], ...].",
                "additionalProperties": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": ["string", "array"],
                        "items": {"type": ["string", "number"]},
                        "minItems": 2,
                        "maxItems": 2,
                    },
                },
            },
            "lembar": {"type": "array", "minItems": 1, "items": sheet_def, "description": "Lembar-lembar kerja."},
        },
    }


def _field(data: dict[str, Any]) -> Field:
    return Field(
        label=data["label"].strip(),
        kind=Kind(data["jenis"]),
        choices=tuple(data.get("pilihan", ())),
        list_name=data.get("daftar", ""),
        from_roles=data.get("sumber") == "pelaksana",
        height=int(data.get("tinggi", 1)),
        formula=data.get("rumus", ""),
        number_format=data.get("format", ""),
        blank=data.get("kosong", ""),
    )


def _column(data: dict[str, Any]) -> Column:
    return Column(
        key=data["kunci"],
        title=data["judul"].strip(),
        kind=Kind(data["jenis"]),
        width=float(data.get("lebar", 14)),
        choices=tuple(data.get("pilihan", ())),
        list_name=data.get("daftar", ""),
        formula=data.get("rumus", ""),
        number_format=data.get("format", ""),
        locked=bool(data.get("terkunci", False)),
        blank=data.get("kosong", ""),
        minimum=float(data["minimal"]) if isinstance(data.get("minimal"), int | float) else None,
    )


def _expand_rows(rows: list[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    expanded: list[dict[str, Any]] = []
    for row in rows:
        repeat = int(row.get("ulang", 1)) if isinstance(row.get("ulang", 1), int) else 1
        values = {k: v for k, v in row.items() if k != "ulang"}
        expanded.extend(dict(values) for _ in range(max(repeat, 1)))
    return tuple(expanded)


def _build(out: Collector, default_id: str, root: Path) -> Document | None:
    """The :class:`Document` of a schema-valid source (see :class:`SourceKind`)."""
    doc = out.doc
    data = doc.data
    lists: list[tuple[str, tuple[str, ...]]] = []
    lookups: list[tuple[str, tuple[tuple[str, float], ...]]] = []
    for name, values in (data.get("daftar") or {}).items():
        if all(isinstance(v, list) for v in values):
            pairs = []
            for i, (key, number) in enumerate(values):
                if not isinstance(number, int | float) or isinstance(number, bool):
                    out.add(
                        ("daftar", name, i, 1),
                        "nilai tabel harus angka",
                        "wrong-type",
                        found=repr(number),
                        hint="tulis pasangan seperti [AA, 100]",
                    )
                    number = 0
                pairs.append((str(key), float(number)))
            lookups.append((name, tuple(pairs)))
        elif all(isinstance(v, str) for v in values):
            lists.append((name, tuple(values)))
        else:
            out.add(
                ("daftar", name),
                "daftar mencampur teks dan pasangan [teks, angka]",
                "bad-value",
                hint="pakai salah satu bentuk saja",
            )
    sheets = []
    for sheet in data["lembar"]:
        sheets.append(
            SheetDef(
                name=sheet["nama"].strip(),
                title=sheet.get("judul", sheet["nama"]).strip(),
                kind=sheet["jenis"],
                header=sheet.get("kepala", True),
                fields=tuple(_field(f) for f in sheet.get("isian", [])),
                columns=tuple(_column(c) for c in sheet.get("kolom", [])),
                rows=int(sheet.get("baris", 0)),
                prefilled=_expand_rows(sheet.get("isi", [])),
                rows_from_steps=sheet.get("isi_dari") == "langkah",
                totals=tuple((sheet.get("total") or {}).items()),
                summary=tuple(_field(f) for f in sheet.get("ringkasan", [])),
            )
        )
    document = Document(
        id=data.get("id") or default_id,
        title=data["judul"].strip(),
        description=(data.get("deskripsi") or "").strip(),
        source=doc.display,
        fingerprint=hashlib.sha256(doc.raw).hexdigest()[:10],
        sheets=tuple(sheets),
        instructions=tuple(line.strip() for line in data.get("petunjuk", [])),
        paper=data.get("kertas", "A4"),
        landscape=data.get("orientasi", "potret") == "lanskap",
        lists=tuple(lists),
        lookups=tuple(lookups),
        for_every_sop=bool(data.get("untuk_setiap_sop", False)),
    )
    for problem in _rule_problems(document, data):
        out.add(problem[0], problem[1], problem[2], hint=problem[3], found=problem[4] if len(problem) > 4 else None)
    return document


DOCUMENT_KIND: SourceKind[Document] = SourceKind(
    name="dokumen",
    location=f"{DOCUMENT_FOLDER}/",
    schema=document_schema,
    build=_build,
    contents="sebuah templat dokumen (judul, lembar, ...)",
    start_hint="mulai berkas dengan `judul: ...` dan `lembar:` (lihat templat yang sudah ada)",
)
"""Document templates: one file per document under ``sop_sources/dokumen/``."""

document_schema_json = DOCUMENT_KIND.schema_json


def build_document(doc: SourceDocument, default_id: str) -> tuple[Document | None, list[Problem]]:
    """Validate one document source and build its :class:`Document`."""
    return DOCUMENT_KIND.load(doc, default_id, doc.path.parent)


def _rule_problems(document: Document, data: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    if not re.match(ID_PATTERN, document.id):
        yield (
            (),
            "nama berkas tidak bisa dipakai sebagai id dokumen",
            "bad-id",
            "tambahkan `id: ...` (huruf kecil, angka, tanda hubung)",
        )
    names = [s.name for s in document.sheets]
    list_names = {n for n, _ in document.lists} | {n for n, _ in document.lookups}
    for i, sheet in enumerate(document.sheets):
        base: YamlPath = ("lembar", i)
        if sheet.name in RESERVED_SHEETS:
            yield (
                (*base, "nama"),
                f"nama lembar `{sheet.name}` dipakai oleh generator",
                "reserved-sheet",
                "pilih nama lain",
            )
        if names.count(sheet.name) > 1:
            yield (
                (*base, "nama"),
                f"nama lembar `{sheet.name}` dipakai dua kali",
                "duplicate-sheet",
                "beri setiap lembar nama berbeda",
            )
        keys = [c.key for c in sheet.columns]
        if sheet.kind == "tabel" and not sheet.columns:
            yield (base, "lembar tabel tidak punya kolom", "missing-field", "tambahkan `kolom:`")
        for j, column in enumerate(sheet.columns):
            if keys.count(column.key) > 1:
                yield (
                    (*base, "kolom", j, "kunci"),
                    f"kunci kolom `{column.key}` dipakai dua kali",
                    "duplicate-key",
                    "beri setiap kolom kunci berbeda",
                )
            yield from _choice_problems((*base, "kolom", j), column.kind, column.choices, column.list_name, list_names)
            if column.kind is Kind.RUMUS and not column.formula:
                yield ((*base, "kolom", j), "kolom rumus tanpa `rumus`", "missing-field", "tambahkan `rumus: =...`")
            yield from _function_problems((*base, "kolom", j, "rumus"), column.formula)
            for ref in PLACEHOLDER.findall(column.formula):
                if not _reference_ok(ref, document, sheet):
                    yield (
                        (*base, "kolom", j, "rumus"),
                        f"rujukan `{{{ref}}}` di rumus tidak dikenal",
                        "bad-formula",
                        "pakai kunci kolom yang ada: " + ", ".join(keys),
                        f"{{{ref}}}",
                    )
        for group, fields in (("isian", sheet.fields), ("ringkasan", sheet.summary)):
            for j, item in enumerate(fields):
                yield from _choice_problems(
                    (*base, group, j), item.kind, item.choices, item.list_name, list_names, from_roles=item.from_roles
                )
                yield from _function_problems((*base, group, j, "rumus"), item.formula)
                for ref in PLACEHOLDER.findall(item.formula):
                    if not _reference_ok(ref, document, sheet):
                        yield (
                            (*base, group, j, "rumus"),
                            f"rujukan `{{{ref}}}` di rumus tidak dikenal",
                            "bad-formula",
                            "pakai `{total:kunci}`, `{kunci:kolom}` atau `{daftar:nama}`",
                            f"{{{ref}}}",
                        )
        for key, _mode in sheet.totals:
            if key not in keys:
                yield (
                    (*base, "total", key),
                    f"kolom total `{key}` tidak ada",
                    "bad-value",
                    "pakai salah satu kunci kolom: " + ", ".join(keys),
                )
        raw_rows = data["lembar"][i].get("isi", [])
        for j, row in enumerate(raw_rows):
            for key in row:
                if key != "ulang" and key not in keys:
                    yield (
                        (*base, "isi", j, key),
                        f"kolom `{key}` tidak ada di lembar ini",
                        "unknown-key",
                        "pakai salah satu kunci kolom: " + ", ".join(keys),
                    )


ALLOWED_FUNCTIONS = frozenset(
    {
        "ABS",
        "AND",
        "AVERAGE",
        "AVERAGEIF",
        "AVERAGEIFS",
        "CHOOSE",
        "CONCATENATE",
        "COUNT",
        "COUNTA",
        "COUNTBLANK",
        "COUNTIF",
        "COUNTIFS",
        "DATE",
        "DAY",
        "HLOOKUP",
        "IF",
        "IFERROR",
        "IFS",
        "INDEX",
        "INT",
        "ISBLANK",
        "ISERROR",
        "ISNUMBER",
        "LEFT",
        "LEN",
        "LOOKUP",
        "LOWER",
        "MATCH",
        "MAX",
        "MEDIAN",
        "MID",
        "MIN",
        "MOD",
        "MONTH",
        "NETWORKDAYS",
        "NOT",
        "OR",
        "POWER",
        "PRODUCT",
        "RIGHT",
        "ROUND",
        "ROUNDDOWN",
        "ROUNDUP",
        "ROWS",
        "SQRT",
        "SUM",
        "SUMIF",
        "SUMIFS",
        "SUMPRODUCT",
        "SWITCH",
        "TEXT",
        "TRIM",
        "UPPER",
        "VALUE",
        "VLOOKUP",
        "WEEKDAY",
        "YEAR",
    }
)
"""Calculation functions a template's formulas may use. Functions that reach the network or
other files or change what a cell refers to (WEBSERVICE, HYPERLINK, INDIRECT, CALL, ...)
are refused: a workbook downloaded from the portal must only calculate."""

_STRING = re.compile(r'"[^"]*"')
_FUNCTION = re.compile(r"(?<![A-Za-z0-9_.])([A-Za-z][A-Za-z0-9._]*)\s*\(")


def _function_problems(path: YamlPath, formula: str) -> Iterator[tuple[Any, ...]]:
    """A formula's functions outside :data:`ALLOWED_FUNCTIONS`, each reported once."""
    code = PLACEHOLDER.sub("0", _STRING.sub('""', formula))
    for name in dict.fromkeys(match.upper() for match in _FUNCTION.findall(code)):
        if name not in ALLOWED_FUNCTIONS:
            yield (
                path,
                f"fungsi `{name}` tidak diizinkan dalam rumus templat",
                "forbidden-function",
                "pakai fungsi hitung biasa (SUM, IF, ROUND, VLOOKUP, ...); fungsi yang membuka jaringan, "
                "berkas lain atau rujukan tak langsung tidak diizinkan",
                name,
            )


def _choice_problems(
    path: YamlPath, kind: Kind, choices: tuple[str, ...], list_name: str, lists: set[str], *, from_roles: bool = False
) -> Iterator[tuple[Any, ...]]:
    if kind in (Kind.PILIHAN, Kind.CENTANG) and not (choices or list_name or from_roles):
        yield (path, "isian pilihan tanpa pilihan", "missing-field", "tambahkan `pilihan: [...]` atau `daftar: nama`")
    if list_name and list_name not in lists:
        yield (
            (*path, "daftar"),
            f"daftar `{list_name}` tidak ada di `daftar`",
            "unknown-list",
            "tambahkan daftar itu di bagian `daftar` dokumen ini",
        )


def _reference_ok(ref: str, document: Document, sheet: SheetDef) -> bool:
    target = sheet
    name = ref
    if "!" in ref:
        sheet_name, name = ref.split("!", 1)
        found = [s for s in document.sheets if s.name == sheet_name]
        if not found:
            return False
        target = found[0]
    keys = {c.key for c in target.columns}
    if name.startswith("total:"):
        return name[6:] in {k for k, _ in target.totals}
    if name.startswith("daftar:"):
        return name[7:] in {n for n, _ in document.lists} | {n for n, _ in document.lookups}
    if name.endswith(":kolom"):
        return name[:-6] in keys
    return name in keys and "!" not in ref


def load_documents(source_dir: Path, display: Callable[[Path], str]) -> DocumentCatalogue:
    """Read and validate every document under ``source_dir/dokumen``; ``display`` names files."""
    problems: list[Problem] = []
    documents: list[Document] = []
    seen: dict[str, str] = {}
    for path in DOCUMENT_KIND.files(source_dir):
        doc, document, found = DOCUMENT_KIND.read(path, display(path), source_dir.parent)
        problems.extend(found)
        if doc is None or document is None:
            continue
        if document.id in seen:
            out = Collector(doc)
            out.add(
                ("id",),
                f"id dokumen `{document.id}` sudah dipakai",
                "duplicate-id",
                found=f"juga dipakai oleh {seen[document.id]}",
                hint="beri setiap dokumen id yang berbeda",
            )
            problems.extend(out.problems)
            continue
        seen[document.id] = doc.display
        documents.append(document)
    return DocumentCatalogue(tuple(documents), tuple(problems))
