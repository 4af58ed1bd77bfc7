"""Problems placed where they are: a collector for one source, "did you mean", field paths
a clerk can follow, and JSON Schema errors in plain Indonesian (shared by every source kind)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from generator.model.problems import Problem, Severity
from generator.model.text import MAX_ID_LENGTH
from generator.sources.document import SourceDocument, YamlPath
from generator.sources.sop_schema import ID_PATTERN

TYPE_NAMES = {
    "string": "teks",
    "array": "daftar (butir-butir diawali `- `)",
    "object": "pemetaan (baris-baris `kolom: nilai`)",
    "integer": "bilangan bulat",
    "number": "angka",
    "null": "kosong",
    "boolean": "true/false",
}


def describe_value(value: Any) -> str:
    """How a found value is shown in a message: its kind and a short excerpt."""
    if value is None:
        return "kosong"
    if isinstance(value, bool):
        return f"nilai ya/tidak (boolean) {str(value).lower()}"
    if isinstance(value, int | float):
        return f"angka {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f'teks "{shown}"'
    if isinstance(value, list):
        return f"daftar berisi {len(value)} butir"
    if isinstance(value, dict):
        return "pemetaan dengan kolom " + ", ".join(f"`{k}`" for k in list(value)[:5])
    return type(value).__name__


def describe_path(path: YamlPath, data: Any) -> str:
    """A field path a clerk can follow: ``langkah ke-3 (no. 3) › pelaksana``."""
    parts: list[str] = []
    node = data
    for part in path:
        if isinstance(part, int):
            label = f"ke-{part + 1}"
            item = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(item, dict) and "no" in item and isinstance(item["no"], str | int):
                label += f" (no. {item['no']})"
            if parts:
                parts[-1] = f"{parts[-1]} {label}"
            else:  # pragma: no cover - the root is always a mapping
                parts.append(label)
            node = item
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return " › ".join(parts)


@dataclass
class Collector:
    """Gathers the problems of one source file, each placed at its YAML path."""

    doc: SourceDocument
    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        path: YamlPath,
        message: str,
        code: str,
        *,
        key: bool = False,
        expected: str | None = None,
        found: str | None = None,
        hint: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Report a problem at the value (or, with ``key``, the key) at ``path``."""
        self.problems.append(
            Problem.at(
                self.doc.display,
                self.doc.where(path, key=key),
                message,
                code,
                field=describe_path(path, self.doc.data),
                expected=expected,
                found=found,
                hint=hint,
                severity=severity,
            )
        )

    @property
    def has_errors(self) -> bool:
        """True once an error (not only warnings) has been reported."""
        return any(p.is_error for p in self.problems)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word`` (case does not count), or ``None`` when none is close."""
    pool = list(choices)
    folded = {c.casefold(): c for c in pool}
    match = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def schema_problems(out: Collector, data: Any, validator: Draft202012Validator) -> None:
    """Check ``data`` against a JSON Schema and report each violation in Indonesian."""
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        _translate(out, error)


def _translate(out: Collector, error: ValidationError) -> None:
    path: YamlPath = tuple(error.absolute_path)
    kind = error.validator
    # jsonschema types these as possibly unset; every error from iter_errors has them.
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    instance: Any = error.instance
    validator_value: Any = error.validator_value
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        for extra in instance:
            if extra in allowed:
                continue
            guess = did_you_mean(extra, allowed)
            out.add(
                (*path, extra),
                f"kolom `{extra}` tidak dikenal",
                "unknown-key",
                key=True,
                expected="salah satu kolom: " + ", ".join(allowed),
                found=f"`{extra}`",
                hint=f"maksudnya `{guess}`?" if guess else "hapus kolom ini atau periksa ejaannya",
            )
        return
    if kind == "required":
        match = re.match(r"'(.+)' is a required property", error.message)
        missing = match[1] if match else str(validator_value)
        is_branch = missing in {"ya", "tidak"}
        out.add(
            path,
            f"kolom wajib `{missing}` belum ada"
            + (f" (langkah keputusan harus punya cabang `{missing}`)" if is_branch else ""),
            "missing-branch" if is_branch else "missing-field",
            expected=f"kolom `{missing}`",
            found="tidak ada",
            hint=(
                f"tulis nomor langkah tujuan bila jawabannya {missing.capitalize()}, mis. `{missing}: 10`"
                if is_branch
                else f"tambahkan `{missing}: ...` pada bagian ini"
            ),
        )
        return
    if kind == "type":
        wanted = validator_value if isinstance(validator_value, list) else [validator_value]
        expected = " atau ".join(TYPE_NAMES.get(str(w), str(w)) for w in wanted if w != "null")
        hint: str | None = None
        if "string" in wanted and isinstance(instance, int | float | bool):
            hint = 'beri tanda kutip agar dibaca sebagai teks, mis. "' + str(instance) + '"'
        elif instance is None:
            hint = "isi nilainya, atau hapus kolom ini bila memang opsional"
        elif "array" in wanted and isinstance(instance, dict | str):
            hint = "tulis sebagai daftar: setiap butir pada baris sendiri diawali `- `"
        elif "object" in wanted:
            hint = "tulis sebagai baris-baris `kolom: nilai` yang menjorok di bawah nama bagian ini"
        else:
            hint = f"ubah nilai ini menjadi {expected}"
        out.add(
            path,
            "jenis nilai tidak sesuai",
            "wrong-type",
            expected=expected,
            found=describe_value(instance),
            hint=hint,
        )
        return
    if kind == "enum":
        allowed = [str(v) for v in validator_value]
        guess = did_you_mean(str(instance), allowed)
        out.add(
            path,
            "nilai tidak dikenal",
            "bad-value",
            expected="salah satu dari: " + ", ".join(allowed),
            found=describe_value(instance),
            hint=f"maksudnya `{guess}`?" if guess else "tulis salah satu nilai yang diharapkan",
        )
        return
    if kind in {"minItems", "minLength"}:
        out.add(
            path,
            "tidak boleh kosong",
            "empty-value",
            expected="sedikitnya " + str(validator_value) + (" butir" if kind == "minItems" else " huruf"),
            found=describe_value(instance),
            hint="isi nilainya atau hapus kolom ini",
        )
        return
    if kind == "pattern" and validator_value == ID_PATTERN and len(str(instance)) > MAX_ID_LENGTH:
        out.add(
            path,
            f"id terlalu panjang ({len(instance)} huruf)",
            "long-id",
            expected=f"paling panjang {MAX_ID_LENGTH} huruf: id menjadi nama folder dan berkas",
            found=describe_value(instance),
            hint="pakai beberapa kata pertama nama SOP sebagai id",
        )
        return
    if kind == "pattern":
        out.add(
            path,
            "format id tidak sesuai",
            "bad-id",
            expected="huruf kecil, angka dan tanda hubung, mis. `bangsal-pengumpulan-data-kinerja`",
            found=describe_value(instance),
            hint="ganti spasi dengan tanda hubung dan pakai huruf kecil",
        )
        return
    out.add(
        path,
        "nilai tidak sesuai format",
        "schema",
        found=describe_value(instance),
        hint="periksa nilai ini terhadap Panduan Format Sumber SOP",
    )
