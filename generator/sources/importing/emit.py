"""A draft written as a YAML source a person can read: the fields in the guide's order, each
note as a comment above the value it is about."""

from __future__ import annotations

import re
from typing import Any

import yaml

from generator.model.text import printable
from generator.sources.importing.draft import Draft, Path_

ORDER = (
    "id",
    "nama_sop",
    "nomor_sop",
    "pemerintah",
    "instansi",
    "unit",
    "alamat",
    "sub_unit",
    "kop",
    "tanggal_pembuatan",
    "tanggal_revisi",
    "tanggal_efektif",
    "disahkan_oleh",
    "dasar_hukum",
    "kualifikasi_pelaksana",
    "keterkaitan",
    "peralatan_perlengkapan",
    "peringatan",
    "pencatatan_pendataan",
    "judul_uraian",
    "pelaksana",
    "langkah",
)
STEP_ORDER = (
    "no",
    "id",
    "kegiatan",
    "pelaksana",
    "rantai",
    "jenis",
    "ya",
    "tidak",
    "lanjut_ke",
    "kelengkapan",
    "waktu",
    "output",
    "keterangan",
    "sub_langkah",
)


_FLOW_SPECIAL = set(",[]{}:#&*!|>'\"%@`")


def scalar(value: Any, *, flow: bool = False) -> str:
    """One value as YAML (quoted whenever plain YAML would read it as something else;
    ``flow``: inside ``[...]`` or ``{...}``, where a comma also ends a value)."""
    if value is None or value == "":
        return '""'
    if isinstance(value, bool | int | float):
        return yaml.safe_dump(value, default_flow_style=True).split("\n")[0].removesuffix(" ...")
    text = str(value)
    dumped = yaml.safe_dump(text, allow_unicode=True, width=10_000, default_style=None).rstrip("\n")
    dumped = dumped.removesuffix("\n...").rstrip("\n")  # YAML's end-of-document mark, not a text's "..."
    special = flow and any(char in _FLOW_SPECIAL for char in text)
    if "\n" in dumped or dumped.startswith(("'", '"')) or special or _needs_quotes(text) or _UNSAFE.search(text):
        return _quoted(text)
    return dumped


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
"""Characters that end a line, or that YAML refuses or reads otherwise, inside a value."""

_KEY = re.compile(r"[a-z_][a-z0-9_]*")
"""A key written as it is: a field name of the format. Any other key (from a Word file's own
metadata) is written quoted, as text: never as YAML structure."""


def _quoted(text: str) -> str:
    """``text`` in double quotes on one line, each line end and control character escaped
    (``\\n``, ``\\x1b``): whatever an imported file holds stays one value."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        code = ord(char)
        named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
        return named or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")

    return '"' + _UNSAFE.sub(escape, text.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def _key(name: object) -> str:
    """A mapping key as YAML: a field name as it is, anything else quoted."""
    return name if isinstance(name, str) and _KEY.fullmatch(name) else _quoted(str(name))


def _needs_quotes(text: str) -> bool:
    # Text YAML would read as a date, a number or a boolean stays text.
    loaded = yaml.safe_load(text) if text.strip() else ""
    return not isinstance(loaded, str) or loaded != text


def _comment(lines: list[str], indent: str, text: str) -> None:
    for part in text.split("; "):  # a line end in a quoted value stays inside its comment (escaped)
        lines.append(f"{indent}# {printable(part)}")


def _flow(value: Any) -> str:
    """Any value in YAML's flow style, on one line."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(key)}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    return scalar(value, flow=True)


def _item(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(key)}: {scalar(item, flow=True)}" for key, item in value.items()) + "}"
    return scalar(value, flow=True)


def _write(lines: list[str], key: str, value: Any, path: Path_, indent: str, notes: dict[Path_, str]) -> None:
    if path in notes:
        _comment(lines, indent, notes[path])
    shown = _key(key)
    if isinstance(value, dict) and not value:
        lines.append(f"{indent}{shown}: {{}}")
    elif isinstance(value, dict):
        lines.append(f"{indent}{shown}:")
        for name, item in value.items():
            _write(lines, name, item, (*path, name), indent + "  ", notes)
    elif (
        isinstance(value, list)
        and value
        and all(not isinstance(v, dict | list) for v in value)
        and key == "pelaksana"
        and len(path) > 2
    ):
        lines.append(f"{indent}{shown}: [{', '.join(scalar(v, flow=True) for v in value)}]")
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value) and len(path) > 2:
        lines.append(f"{indent}{shown}: [{', '.join(_item(v) for v in value)}]")
    elif isinstance(value, list):
        if not value:
            lines.append(f"{indent}{shown}: []")
            return
        lines.append(f"{indent}{shown}:")
        for index, item in enumerate(value):
            if (*path, index) in notes:
                _comment(lines, indent + "  ", notes[(*path, index)])
            lines.append(f"{indent}  - {_item(item)}")
    else:
        lines.append(f"{indent}{shown}: {scalar(value)}")


def to_yaml(draft: Draft, source: str, summary: list[str]) -> str:
    """The draft as a source file, headed by where it came from and what to check."""
    lines = [
        "# yaml-language-server: $schema=../sop.schema.json",
        "#",
        # The file's name and anything read from it stay inside their comment (escaped).
        f"# Draf hasil impor dari {printable(source)} ({printable(draft.format)}).",
        "# Periksa setiap baris bertanda '#' sebelum SOP ini diterbitkan:",
    ]
    lines += [f"#   - {printable(line)}" for line in summary] or ["#   - (tidak ada tebakan)"]
    data = draft.data
    notes = draft.notes
    for key in [*ORDER, *(k for k in data if k not in ORDER)]:
        if key not in data:
            continue
        value = data[key]
        if key == "langkah":
            lines.append("")
            lines.append("langkah:")
            for index, step in enumerate(value):
                at: Path_ = ("langkah", index)
                first = True
                for name in [*STEP_ORDER, *(k for k in step if k not in STEP_ORDER)]:
                    if name not in step:
                        continue
                    prefix = "  - " if first else "    "
                    if (*at, name) in notes:
                        _comment(lines, "    ", notes[(*at, name)])
                    value_of = step[name]
                    if name == "sub_langkah":
                        lines.append(prefix + "sub_langkah:")
                        lines += [f"      - {_flow(sub)}" for sub in value_of]
                    elif isinstance(value_of, dict | list):
                        lines.append(f"{prefix}{_key(name)}: {_flow(value_of)}")
                    else:
                        lines.append(f"{prefix}{_key(name)}: {scalar(value_of)}")
                    first = False
            continue
        if key in ("dasar_hukum", "pelaksana"):
            lines.append("")
        _write(lines, key, value, (key,), "", notes)
    return "\n".join(lines) + "\n"
