"""A Word sheet that came from the portal, brought back: what it changes in its SOP's source,
field by field, and the source with only those changes made.

The sheet carries what an office edits (the identity, the six sections, the pelaksana, each
step's row); the source carries more (its id, ``riwayat``, ``peninjauan``, links to other
SOPs, the logo, comments). So the source is never written anew: each changed field's value
is replaced where it stands in the source's text, everything else is kept byte for byte,
and a revision entry is proposed in ``riwayat`` (with ``tanggal_revisi`` brought level with
it), marked as a proposal for a person to confirm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.model.dates import parse_date
from generator.model.sop import Branch, BranchKind, Item, Performance, Sop, Step, StepKind
from generator.sources.importing.emit import scalar
from generator.sources.sop import step_rows
from generator.sources.yaml_reader import parse_yaml_text

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Change:
    """One field the sheet changes."""

    label: str
    """The field in words, as the difference names it (``langkah 3 · kegiatan``)."""
    old: str
    new: str
    path: Path_
    """Where the field is in the source's data (the step's path for a step field)."""
    key: str
    """The source's key for it (``kegiatan``, ``pelaksana``, ``nama_sop``, ...)."""
    step: str = ""
    """Key of the step it belongs to ("" for an identity field)."""


# -- the difference -----------------------------------------------------------------------

IDENTITY = (
    ("nama_sop", "nama", "Nama SOP"),
    ("nomor_sop", "nomor", "Nomor SOP"),
    ("pemerintah", "pemerintah", "pemerintah"),
    ("instansi", "instansi", "instansi"),
    ("unit", "unit", "unit"),
    ("sub_unit", "sub_unit", "sub unit"),
    ("alamat", "alamat", "alamat"),
    ("tanggal_pembuatan", "tanggal_pembuatan", "Tanggal Pembuatan"),
    ("tanggal_revisi", "tanggal_revisi", "Tanggal Revisi"),
    ("tanggal_efektif", "tanggal_efektif", "Tanggal Efektif"),
    ("judul_uraian", "judul_uraian", "judul tabel prosedur"),
)
"""Identity fields: the source's key, the model's attribute, the words for it."""

LISTS = (
    ("dasar_hukum", "Dasar Hukum"),
    ("kualifikasi_pelaksana", "Kualifikasi Pelaksana"),
    ("keterkaitan", "Keterkaitan"),
    ("peralatan_perlengkapan", "Peralatan/Perlengkapan"),
    ("peringatan", "Peringatan"),
    ("pencatatan_pendataan", "Pencatatan dan Pendataan"),
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return getattr(value, "text", value) if not isinstance(value, str) else value


def _list(items: tuple[Any, ...]) -> str:
    return "; ".join(_text(item) for item in items)


def _items(items: tuple[Item, ...]) -> str:
    return "; ".join(item.text + (f" [templat {item.document}]" if item.document else "") for item in items)


def _performers(step: Step) -> str:
    kinds = [kind.value for kind in step.symbol_kinds] or [step.kind.value]
    if step.performance is Performance.RANTAI:
        return "berurutan: " + " → ".join(
            f"{role}{' (keputusan)' if kind == 'keputusan' else ''}"
            for role, kind in zip(step.roles, kinds, strict=False)
        )
    joined = ", ".join(step.roles)
    words = f"bersama: {joined}" if step.performance is Performance.BERSAMA else joined
    return words + (" (keputusan)" if step.kind is StepKind.KEPUTUSAN else "")


def _branches(sop: Sop, step: Step) -> str:
    names = {BranchKind.YA: "Ya", BranchKind.TIDAK: "Tidak", BranchKind.FLOW: "lanjut"}
    parts = []
    for branch in sorted(step.branches, key=_branch_order):
        if branch.target is None:
            parts.append(f"{names[branch.kind]} → (terbuka)")
            continue
        target = sop.step(branch.target)
        into = f" ({target.roles[branch.entry]})" if branch.entry and branch.entry < len(target.roles) else ""
        parts.append(f"{names[branch.kind]} → langkah {target.no}{into}")
    return "; ".join(parts)


def _branch_order(branch: Branch) -> tuple[int, str, int]:
    return (branch.source, branch.kind.value, branch.entry)


def _flow(sop: Sop, step: Step) -> tuple[Any, ...]:
    """A step's arrows, comparable across the two SOPs (targets by key)."""
    return tuple(
        sorted(
            ((b.kind.value, b.target or "", b.source, b.entry) for b in step.branches),
        )
    )


def differences(original: Sop, imported: Sop, paths: dict[str, Path_]) -> list[Change]:
    """Every field ``imported`` changes in ``original``: identity, sections, pelaksana, and per
    step (matched by its key) its number, activity, performers, arrows, inputs, time, outputs
    and remark; steps added or removed. ``paths`` gives each original step's path."""
    changes: list[Change] = []
    for key, attribute, words in IDENTITY:
        old, new = _text(getattr(original, attribute)), _text(getattr(imported, attribute))
        if _same(old, new):
            continue
        changes.append(Change(words, old, new, (key,), key))
    for name in ("jabatan", "nama", "pangkat", "nip"):
        old, new = getattr(original.disahkan_oleh, name), getattr(imported.disahkan_oleh, name)
        if not _same(old, new):
            changes.append(Change(f"Disahkan oleh · {name}", old, new, ("disahkan_oleh", name), name))
    for key, words in LISTS:
        old, new = _list(getattr(original, key)), _list(getattr(imported, key))
        if not _same(old, new):
            changes.append(Change(words, old, new, (key,), key))
    if original.role_names != imported.role_names:
        changes.append(
            Change(
                "Pelaksana (kolom)",
                ", ".join(original.role_names),
                ", ".join(imported.role_names),
                ("pelaksana",),
                "pelaksana",
            )
        )
    mine = {step.key: step for step in imported.langkah}
    theirs = {step.key: step for step in original.langkah}
    if [s.key for s in original.langkah] != [s.key for s in imported.langkah]:
        added = [s for s in imported.langkah if s.key not in theirs]
        removed = [s for s in original.langkah if s.key not in mine]
        old = ", ".join(s.no for s in original.langkah)
        new = ", ".join(s.no for s in imported.langkah)
        what = "; ".join(
            [f"ditambah langkah {', '.join(s.no for s in added)}"] * bool(added)
            + [f"dihapus langkah {', '.join(s.no for s in removed)}"] * bool(removed)
        )
        changes.append(Change(f"susunan langkah{f' ({what})' if what else ''}", old, new, ("langkah",), "langkah"))
    for step in original.langkah:
        other = mine.get(step.key)
        if other is None:
            continue
        at = paths.get(step.key, ("langkah",))
        name = f"langkah {step.no}"
        fields = (
            ("no", "nomor", step.no, other.no),
            ("kegiatan", "kegiatan", step.kegiatan, other.kegiatan),
            ("pelaksana", "pelaksana", _performers(step), _performers(other)),
            ("kelengkapan", "kelengkapan", _items(step.kelengkapan), _items(other.kelengkapan)),
            ("waktu", "waktu", step.waktu.text if step.waktu else "", other.waktu.text if other.waktu else ""),
            ("output", "output", _items(step.output), _items(other.output)),
            ("keterangan", "keterangan", step.keterangan, other.keterangan),
        )
        for key, words, old, new in fields:
            if not _same(old, new):
                changes.append(Change(f"{name} · {words}", old, new, at, key, step.key))
        if _flow(original, step) != _flow(imported, other):
            changes.append(
                Change(
                    f"{name} · panah (Ya/Tidak/lanjut)",
                    _branches(original, step),
                    _branches(imported, other),
                    at,
                    "cabang",
                    step.key,
                )
            )
    return changes


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def summary(changes: list[Change], limit: int = 8) -> str:
    """What changed, in one line for ``riwayat`` (``perubahan``)."""
    named = list(dict.fromkeys(change.label for change in changes))
    shown = "; ".join(named[:limit])
    more = f"; dan {len(named) - limit} isian lain" if len(named) > limit else ""
    return f"Disunting lewat lembar Word: {shown}{more}"


# -- the source's text --------------------------------------------------------------------


class _Text:
    """The source's text and its parsed nodes, with the edits to make to it."""

    def __init__(self, text: str) -> None:
        self.text = text
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if not isinstance(root, MappingNode):
            raise ValueError("sumber SOP bukan pemetaan YAML")
        self.root = root
        self.edits: list[tuple[int, int, str]] = []

    def apply(self) -> str:
        out = self.text
        spans = sorted(self.edits, key=lambda edit: (edit[0], edit[1]), reverse=True)
        for index, (start, end, replacement) in enumerate(spans):
            later = spans[index - 1] if index else None
            if later is not None and end > later[0]:
                raise ValueError("perubahan tumpang tindih di sumber")
            out = out[:start] + replacement + out[end:]
        return out

    def node(self, path: Path_) -> tuple[Node, ScalarNode | None, MappingNode | None]:
        """The node at ``path``, its key node and the mapping it is in (``KeyError``: none)."""
        node: Node = self.root
        key_node: ScalarNode | None = None
        parent: MappingNode | None = None
        for part in path:
            if isinstance(part, int):
                if not isinstance(node, SequenceNode) or part >= len(node.value):
                    raise KeyError(path)
                node, key_node, parent = node.value[part], None, None
                continue
            if not isinstance(node, MappingNode):
                raise KeyError(path)
            holder: MappingNode = node
            for key, value in holder.value:
                if isinstance(key, ScalarNode) and key.value == part:
                    node, key_node, parent = value, key, holder
                    break
            else:
                raise KeyError(path)
        return node, key_node, parent

    def has(self, path: Path_) -> bool:
        try:
            self.node(path)
        except KeyError:
            return False
        return True

    def end(self, node: Node) -> int:
        """Where a value ends in the text (a block collection: where its last item ends)."""
        if isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
            last = node.value[-1]
            return self.end(last[1] if isinstance(last, tuple) else last)
        return int(node.end_mark.index)

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        found = self.text.find("\n", index)
        return len(self.text) if found < 0 else found + 1

    def set(self, path: Path_, value: Any, *, order: tuple[str, ...] = ()) -> None:
        """Write ``value`` at ``path`` (a key of a mapping): replacing the value where it
        stands, or adding the key after the one before it in ``order``; ``None`` removes it."""
        try:
            node, key_node, parent = self.node(path)
        except KeyError:
            if value is not None:
                self._add(path, value, order)
            return
        if value is None:
            self._remove(path)
            return
        assert key_node is not None and parent is not None
        inside_flow = bool(parent.flow_style)
        colon = int(key_node.end_mark.index)
        if isinstance(node, ScalarNode) or getattr(node, "flow_style", False) or inside_flow or _inline(value):
            start, end = int(node.start_mark.index), self.end(node)
            if isinstance(node, ScalarNode) and node.style in ("|", ">") and self.text[end - 1 : end] == "\n":
                end -= 1  # a block scalar ends with its line break: the break stays
            if start == end and not inside_flow:  # an empty value: its comment said so, and goes
                line = self.line_end(colon)
                end = line - 1 if self.text[line - 1 : line] == "\n" else line
                self.edits.append((colon, end, ": " + _render(value)))
                return
            if start == end or (isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style):
                start = colon  # a block turned inline: right after the key
                self.edits.append((start, end, ": " + _render(value, flow=inside_flow)))
                return
            self.edits.append((start, end, _render(value, flow=inside_flow)))
            return
        indent = int(node.start_mark.column) if isinstance(node, SequenceNode) else int(key_node.start_mark.column) + 2
        self.edits.append((colon, self.end(node), ":\n" + _block(value, indent)))

    def _add(self, path: Path_, value: Any, order: tuple[str, ...]) -> None:
        holder_path, key = path[:-1], str(path[-1])
        holder, _key, _parent = self.node(holder_path)
        assert isinstance(holder, MappingNode)
        keys = [k.value for k, _v in holder.value if isinstance(k, ScalarNode)]
        before = [k for k in order[: order.index(key)] if k in keys] if key in order else keys
        flow = bool(holder.flow_style)
        if flow:
            if before:
                value_node = next(v for k, v in holder.value if k.value == before[-1])
                self.edits.append((self.end(value_node), self.end(value_node), f", {key}: {_render(value, flow=True)}"))
            else:
                first = holder.value[0][0]
                index = int(first.start_mark.index)
                self.edits.append((index, index, f"{key}: {_render(value, flow=True)}, "))
            return
        column = int(holder.value[0][0].start_mark.column) if holder.value else 0
        entry = f"{key}: {_render(value)}" if _inline(value) else f"{key}:\n{_block(value, column + 2)}"
        if before:
            value_node = next(v for k, v in holder.value if k.value == before[-1])
            index = self.end(value_node)
            self.edits.append((index, index, "\n" + " " * column + entry))
        else:
            index = int(holder.value[0][0].start_mark.index)
            self.edits.append((index, index, entry + "\n" + " " * column))

    def _remove(self, path: Path_) -> None:
        node, key_node, parent = self.node(path)
        assert key_node is not None and parent is not None
        if parent.flow_style:
            pairs = parent.value
            index = next(i for i, (k, _v) in enumerate(pairs) if k is key_node)
            if index > 0:
                start = self.end(pairs[index - 1][1])
                self.edits.append((start, self.end(node), ""))
            elif len(pairs) > 1:
                self.edits.append((int(key_node.start_mark.index), int(pairs[1][0].start_mark.index), ""))
            else:
                self.edits.append((int(key_node.start_mark.index), self.end(node), ""))
            return
        start = self.line_start(int(key_node.start_mark.index))
        if self.text[start : int(key_node.start_mark.index)].strip():  # "- key: ..." (first key of an item)
            raise ValueError("kunci pertama butir tidak dapat dihapus di tempat")
        self.edits.append((start, self.line_end(self.end(node)), ""))


def source_data(text: str) -> dict[str, Any]:
    """A source's data, read as ``check`` reads it (YAML 1.2: ``no:`` is a key, not false)."""
    document, _problems = parse_yaml_text(text, path=Path("sumber.yaml"), display="sumber")
    data = document.data if document is not None else None
    return data if isinstance(data, dict) else {}


def with_value(text: str, path: Path_, value: Any) -> str:
    """``text`` with the value at ``path`` replaced (added when missing)."""
    edit = _Text(text)
    edit.set(path, value, order=TOP_ORDER)
    return edit.apply()


def _inline(value: Any) -> bool:
    """True when a value is written on its key's line (a scalar, or a list of short texts)."""
    return not isinstance(value, (list, dict)) or not value


def _render(value: Any, *, flow: bool = False) -> str:
    if isinstance(value, (list, dict)):
        return _flow_text(value)
    return scalar(value, flow=flow)


def _flow_text(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow_text(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow_text(item) for item in value) + "]"
    return scalar(value, flow=True)


def _block(value: Any, indent: int) -> str:
    """A list or mapping in block style, each entry on a line at ``indent`` (a list's items
    written as flow values, as the sources write them)."""
    pad = " " * indent
    if isinstance(value, list):
        return "\n".join(f"{pad}- {_render(item)}" for item in value)
    return "\n".join(f"{pad}{key}: {_render(item)}" for key, item in value.items())


# -- writing the changes ------------------------------------------------------------------

STEP_ORDER = (
    "no",
    "id",
    "kegiatan",
    "tahap",
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
TOP_ORDER = (
    "id",
    "nama_sop",
    "keluarga",
    "nomor_sop",
    "pemerintah",
    "instansi",
    "unit",
    "sub_unit",
    "alamat",
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
)


def _draft_steps(langkah: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for step in langkah:
        yield step
        yield from _draft_steps(step.get("sub_langkah") or [])


def step_paths(data: dict[str, Any], original: Sop) -> dict[str, Path_]:
    """Each original step's path in its source's data, by key (the model keeps the steps in
    the source's order, sub-steps after their heading)."""
    rows = [path for path, _data in step_rows(data.get("langkah") or [])]
    return {step.key: path for step, path in zip(original.langkah, rows, strict=False)}


@dataclass
class Update:
    """The source with the sheet's changes made."""

    text: str
    revision: str
    """The proposed ``riwayat`` entry, as written."""
    revised_date: bool
    """``tanggal_revisi`` was brought level with the proposed entry."""


def update_source(
    text: str,
    original: Sop,
    draft: dict[str, Any],
    changes: list[Change],
    *,
    today: str,
    source: str,
) -> Update:
    """``text`` (the original source) with ``changes`` made, their values taken from
    ``draft`` (the sheet read as a source's data), and a revision entry dated ``today``
    proposed in ``riwayat``. Steps added or removed in the sheet rewrite ``langkah`` as
    the draft has it; otherwise each changed field is replaced where it stands."""
    data = source_data(text)
    edit = _Text(text)
    paths = step_paths(data, original)
    keys = {step.key: step for step in original.langkah}
    explicit = {key for key, path in paths.items() if _get(data, path).get("id")}
    drafted = {str(step.get("id", "")): step for step in _draft_steps(draft.get("langkah") or [])}

    def reference(value: Any) -> Any:
        """A branch target as the original source refers to steps: its id, else its number."""
        if isinstance(value, dict):
            return {**value, "langkah": reference(value.get("langkah"))}
        key = str(value)
        if key in keys and key not in explicit:
            number = keys[key].no
            return int(number) if number.isdigit() else number
        return value

    rewritten = (
        _restructure(edit, data, paths, draft.get("langkah") or [], reference, explicit)
        if any(change.key == "langkah" for change in changes)
        else set()
    )
    fields: dict[str, set[str]] = {}
    for change in changes:
        if not change.step or change.step in rewritten:
            continue
        wanted = fields.setdefault(change.step, set())
        if change.key == "pelaksana":
            wanted |= {"pelaksana", "rantai", "jenis"}
        elif change.key == "cabang":
            wanted |= {"ya", "tidak", "lanjut_ke", "jenis"}
            wanted |= {"rantai"} if "rantai" in drafted.get(change.step, {}) else set()
        else:
            wanted.add(change.key)
    for key, names in fields.items():
        step = drafted.get(key, {})
        at = paths[key]
        for name in sorted(names, key=STEP_ORDER.index):
            value = step.get(name)
            if name in ("ya", "tidak", "lanjut_ke", "rantai"):
                value = _refs(value, reference)
            edit.set((*at, name), value if value not in ("", [], None) else None, order=STEP_ORDER)
    for change in changes:
        if change.step or change.key == "langkah":
            continue
        if change.path[0] == "disahkan_oleh":
            value = (draft.get("disahkan_oleh") or {}).get(change.key) or None
            if not edit.has(("disahkan_oleh",)):
                edit.set(("disahkan_oleh",), {change.key: value}, order=TOP_ORDER)
            else:
                edit.set(change.path, value, order=("jabatan", "nama", "pangkat", "nip"))
            continue
        if change.key == "pelaksana":
            edit.set(("pelaksana",), _roles(data.get("pelaksana") or [], draft.get("pelaksana") or []))
            continue
        if change.key == "keterkaitan":
            edit.set(
                ("keterkaitan",), _links(data.get("keterkaitan"), draft.get("keterkaitan")) or None, order=TOP_ORDER
            )
            continue
        value = draft.get(change.key)
        if (
            change.key == "peringatan"
            and isinstance(value, list)
            and len(value) == 1
            and isinstance(data.get(change.key), str)
        ):
            value = value[0]
        edit.set((change.key,), value if value not in ("", [], None) else None, order=TOP_ORDER)
    what = summary(changes)
    revised = _revised(data, draft, changes, today)
    if revised:
        note = "# Usulan impor: disamakan dengan revisi di riwayat; ubah bila tanggal revisinya lain"
        _annotated(edit, ("tanggal_revisi",), today, note)
    entry = {"tanggal": today, "jenis": "revisi", "perubahan": what}
    comment = (
        f"# Usulan impor dari {source} ({today}): periksa `perubahan`, tambahkan `disetujui_oleh`, "
        "lalu hapus komentar ini"
    )
    _propose(edit, data, entry, comment)
    return Update(edit.apply(), _flow_text(entry), revised)


def _restructure(
    edit: _Text,
    data: dict[str, Any],
    paths: dict[str, Path_],
    langkah: list[dict[str, Any]],
    reference: Callable[[Any], Any],
    explicit: set[str],
) -> set[str]:
    """Steps added or removed in the sheet, made in the text: a removed step's item taken
    out, an added one written after the step before it; a step whose sub-steps changed
    written anew. The steps written anew (their keys, and their sub-steps') are returned;
    when the steps were also put in another order, the whole ``langkah`` is."""
    before = [key for key, path in paths.items() if len(path) == 2]
    after = [str(step.get("id", "")) for step in langkah]
    kept = [key for key in after if key in before]
    node, _key, _parent = edit.node(("langkah",))
    if kept != [key for key in before if key in after] or not isinstance(node, SequenceNode) or node.flow_style:
        edit.set(("langkah",), [_clean_step(step, reference, explicit) for step in langkah])
        return set(paths) | set(after)
    items = node.value
    rewritten: set[str] = set()
    for key in before:
        if key not in after:
            item = items[int(paths[key][1])]
            edit.edits.append((edit.line_start(int(item.start_mark.index)), edit.line_end(edit.end(item)), ""))
    previous: Node | None = None
    first = items[0]
    pad = " " * (int(first.start_mark.column) - 2)
    for step in langkah:
        key = str(step.get("id", ""))
        if key in before:
            item = items[int(paths[key][1])]
            subs = [str(sub.get("id", "")) for sub in step.get("sub_langkah") or []]
            had = [k for k, path in paths.items() if len(path) == 4 and path[1] == paths[key][1]]
            if subs != had:  # sub-steps added or removed: the step written anew
                edit.edits.append(
                    (int(item.start_mark.index), edit.end(item), _flow_text(_clean_step(step, reference, explicit)))
                )
                rewritten |= {key, *had}
            previous = item
            continue
        line = f"- {_flow_text(_clean_step(step, reference, explicit))}"
        if previous is None:
            start = edit.line_start(int(first.start_mark.index))
            edit.edits.append((start, start, f"{pad}{line}\n"))
        else:
            end = edit.end(previous)
            edit.edits.append((end, end, f"\n{pad}{line}"))
    return rewritten


def _get(data: Any, path: Path_) -> dict[str, Any]:
    for part in path:
        data = data[part]
    return data if isinstance(data, dict) else {}


def _refs(value: Any, reference: Callable[[Any], Any]) -> Any:
    """Branch targets in a step's values (``ya``, ``tidak``, a chain's ``tidak``) written as
    the original refers to steps."""
    if value is None:
        return None
    if isinstance(value, list):
        return [
            {**entry, "tidak": reference(entry["tidak"])} if isinstance(entry, dict) and "tidak" in entry else entry
            for entry in value
        ]
    if isinstance(value, (str, int, dict)):
        return reference(value)
    return value


def _clean_step(step: dict[str, Any], reference: Callable[[Any], Any], explicit: set[str]) -> dict[str, Any]:
    """A draft step as the source writes it: no generated id, targets by number, the keys in
    the guide's order."""
    out: dict[str, Any] = {}
    order = {key: index for index, key in enumerate(STEP_ORDER)}
    for key, value in sorted(step.items(), key=lambda pair: order.get(pair[0], len(order))):
        if key == "id" and str(value) not in explicit:
            continue
        if key in ("ya", "tidak", "lanjut_ke", "rantai"):
            value = _refs(value, reference)
        if key == "sub_langkah":
            value = [_clean_step(sub, reference, explicit) for sub in value]
        out[key] = value
    return out


def _roles(original: list[Any], drafted: list[Any]) -> list[Any]:
    """The pelaksana list of the sheet, each entry as the original wrote it when its name is
    unchanged (keeping its jabatan and short code), else at the same place."""

    def name(entry: Any) -> str:
        return str(entry.get("nama") if isinstance(entry, dict) else entry)

    by_name = {name(entry): entry for entry in original}
    out: list[Any] = []
    for index, entry in enumerate(drafted):
        wanted = name(entry)
        if wanted in by_name:
            out.append(by_name[wanted])
        elif len(original) == len(drafted) and isinstance(original[index], dict):
            out.append({**original[index], "nama": wanted})
        else:
            out.append(entry)
    return out


def _links(original: Any, drafted: Any) -> list[Any]:
    """The Keterkaitan of the sheet, keeping each link to another SOP: by its text, or (the
    list as long as before) at the same place."""
    before = [original] if isinstance(original, str) else list(original or [])
    after = [drafted] if isinstance(drafted, str) else list(drafted or [])
    texts = {(entry.get("teks") if isinstance(entry, dict) else entry): entry for entry in before}
    out: list[Any] = []
    for index, entry in enumerate(after):
        text = entry.get("teks") if isinstance(entry, dict) else entry
        if text in texts:
            out.append(texts[text])
        elif len(before) == len(after) and isinstance(linked := before[index], dict) and linked.get("sop"):
            out.append({**linked, "teks": text})
        else:
            out.append(entry)
    return out


def _revised(data: dict[str, Any], draft: dict[str, Any], changes: list[Change], today: str) -> bool:
    """True when ``tanggal_revisi`` (as the sheet leaves it) is older than ``today``."""
    edited = next((change for change in changes if change.key == "tanggal_revisi"), None)
    current = draft.get("tanggal_revisi") if edited else data.get("tanggal_revisi")
    if edited is not None and current:
        return False  # the office wrote its own revision date in Word: kept
    found = parse_date(str(current)) if current else None
    when = parse_date(today)
    return found is None or (when is not None and found.value < when.value)


def _annotated(edit: _Text, path: Path_, value: Any, comment: str) -> None:
    """Write a top-level scalar with a comment line above it."""
    if edit.has(path):
        node, key_node, _parent = edit.node(path)
        assert key_node is not None
        start = edit.line_start(int(key_node.start_mark.index))
        end = edit.end(node)
        if node.start_mark.index == node.end_mark.index:  # empty: its comment said so, and goes
            line = edit.line_end(int(key_node.end_mark.index))
            end = line - 1 if edit.text[line - 1 : line] == "\n" else line
            edit.edits.append((int(key_node.end_mark.index), end, f": {scalar(value)}"))
        else:
            edit.edits.append((int(node.start_mark.index), end, scalar(value)))
        edit.edits.append((start, start, comment + "\n"))
        return
    edit.set(path, value, order=TOP_ORDER)
    # The comment goes with the added key: rewrite the last edit to carry it.
    start, end, replacement = edit.edits.pop()
    lines = replacement.split("\n")
    if replacement.startswith("\n"):
        edit.edits.append((start, end, "\n" + comment + replacement))
    else:
        edit.edits.append((start, end, comment + "\n" + "\n".join(lines)))


def _propose(edit: _Text, data: dict[str, Any], entry: dict[str, Any], comment: str) -> None:
    """Add ``entry`` at the end of ``riwayat`` (the list made when there is none), with
    ``comment`` above it."""
    line = _flow_text(entry)
    if not edit.has(("riwayat",)):
        text = edit.text
        tail = "" if text.endswith("\n") else "\n"
        edit.edits.append((len(text), len(text), f"{tail}\nriwayat:\n  {comment}\n  - {line}\n"))
        return
    node, key_node, _parent = edit.node(("riwayat",))
    assert key_node is not None
    if isinstance(node, SequenceNode) and not node.flow_style and node.value:
        column = int(node.start_mark.column)
        end = edit.end(node)
        pad = " " * column
        edit.edits.append((end, end, f"\n{pad}{comment}\n{pad}- {line}"))
        return
    # A flow list (or an empty one): written out as a block list, its entries kept.
    entries = [_flow_text(item) for item in data.get("riwayat") or []]
    body = "".join(f"  - {item}\n" for item in entries) + f"  {comment}\n  - {line}"
    edit.edits.append((int(key_node.end_mark.index), edit.end(node), ":\n" + body))
