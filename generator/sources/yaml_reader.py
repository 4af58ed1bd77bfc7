"""The YAML reader: safe reading that remembers where every key and value stands in the file."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.model.problems import NOWHERE, Position, Problem
from generator.sources.document import SourceDocument, YamlPath
from generator.sources.files import FileRefused, read_bounded
from generator.sources.readers import register_reader

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A real SOP source is a few kilobytes; anything this large is a mistake (or an attack)."""

MAX_NODES = 100_000
"""Upper bound on values built from one file, counting every alias expansion (alias bombs)."""

WORD_BREAKS = {0x0B: " ", 0x0C: " "}
"""Word's manual line break and page break, read as spaces."""

_UNPRINTABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters YAML refuses (C0 and C1 controls other than tab and line ends, lone surrogates)."""

MAX_DEPTH = 40
"""Upper bound on nesting; an SOP is four levels deep, a self-referencing alias is endless."""


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false are booleans.

    YAML 1.1 also reads yes/no/on/off as booleans, so a column titled "No" or a choice
    "Ya"/"No" would silently become true/false. Editors (VS Code's YAML support) follow
    YAML 1.2 too, so what a clerk sees highlighted is what the generator reads.
    """


_FastLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", _Loader)
"""libyaml's parser when PyYAML has it (ten times faster); the pure-Python one otherwise."""
if _FastLoader is not _Loader:

    class _CLoader(_FastLoader):  # type: ignore[valid-type,misc]
        """CSafeLoader with the same YAML 1.2 booleans as :class:`_Loader`."""

    _FastLoader = _CLoader

for _loader in {_Loader, _FastLoader}:
    _loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )


_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _NodeBudgetExceeded(Exception):
    pass


class _TooDeep(Exception):
    def __init__(self, position: Position) -> None:
        super().__init__(position)
        self.position = position


class _ControlCharacter(Exception):
    def __init__(self, position: Position, char: str) -> None:
        super().__init__(position)
        self.position = position
        self.char = char


class _DuplicateKey(Exception):
    def __init__(self, key: str, first: Position, again: Position) -> None:
        super().__init__(key)
        self.key = key
        self.first = first
        self.again = again


_TRANSLATIONS: tuple[tuple[re.Pattern[str], str, str | None], ...] = (
    (
        re.compile(r"found character '\\t' that cannot start any token"),
        "karakter tab dipakai untuk indentasi; YAML hanya menerima spasi",
        "ganti setiap tab di awal baris dengan spasi (mis. 2 spasi per tingkat)",
    ),
    (
        re.compile(r"mapping values are not allowed here"),
        "tanda titik dua (:) muncul di tempat yang tidak diharapkan",
        'teks yang memuat ": " harus diapit tanda kutip, mis. kegiatan: "Catatan: ..."',
    ),
    (
        re.compile(r"could not find expected ':'"),
        "tanda titik dua (:) setelah nama kolom tidak ditemukan",
        "tulis setiap kolom sebagai `nama_kolom: nilai`",
    ),
    (
        re.compile(r"expected <block end>, but found"),
        "indentasi tidak konsisten",
        "samakan jumlah spasi di awal baris untuk butir yang setingkat",
    ),
    (
        re.compile(r"found undefined alias"),
        "alias (*nama) dipakai tanpa anchor (&nama) yang sesuai",
        "hapus alias itu atau tulis nilainya langsung",
    ),
    (
        re.compile(r"found unexpected end of stream|found unexpected end"),
        "berkas berakhir sebelum teks selesai (ada tanda kutip yang belum ditutup?)",
        "periksa tanda kutip dan kurung yang dibuka tetapi belum ditutup",
    ),
    (
        re.compile(r"expected a single document"),
        "berkas memuat lebih dari satu dokumen YAML (dipisah `---`)",
        "satu berkas hanya boleh memuat satu SOP; pindahkan SOP lain ke berkas sendiri",
    ),
)


def _translate_yaml_error(exc: yaml.MarkedYAMLError) -> tuple[str, str | None]:
    text = f"{exc.context or ''} {exc.problem or ''}".strip()
    for pattern, message, hint in _TRANSLATIONS:
        if pattern.search(text):
            return message, hint
    return "sintaks YAML tidak valid", "periksa indentasi, tanda kutip dan tanda titik dua di sekitar baris ini"


def _utf16(raw: bytes) -> str:
    """``"UTF-16"`` when the bytes are UTF-16 text (with a byte-order mark, or without one:
    a zero byte beside most ASCII letters, as Windows tools save "Unicode"), else ``""``."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16"
    sample = raw[:4096]
    if len(sample) < 4:
        return ""
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    half = len(sample) // 2
    return "UTF-16" if max(zeros_even, zeros_odd) > half * 0.6 else ""


@register_reader(".yaml", ".yml")
def read_yaml(path: Path, display: str | None = None) -> tuple[SourceDocument | None, list[Problem]]:
    """Read one YAML file safely.

    Returns the document (or ``None`` when it cannot be read at all) and the problems
    found on the way: unreadable bytes, syntax errors, duplicate keys, alias bombs.
    Only YAML's safe types are ever constructed.
    """
    shown = display or str(path)
    try:
        raw = read_bounded(path, MAX_FILE_BYTES)  # a regular file, never read past the bound
    except FileRefused as exc:
        if exc.code != "too-large":
            return None, [Problem.at(shown, NOWHERE, f"berkas tidak dapat dibaca: {exc}", "unreadable")]
        return None, [
            Problem.at(
                shown,
                NOWHERE,
                "berkas terlalu besar untuk sebuah sumber SOP",
                "file-too-large",
                expected=f"paling besar {MAX_FILE_BYTES // 1024} KB",
                found=f"{exc.size // 1024} KB",
                hint="pecah berkas ini menjadi satu berkas per SOP",
            )
        ]
    utf16 = _utf16(raw)
    if utf16:
        return None, [
            Problem.at(
                shown,
                Position(1, 1),
                f"berkas tersimpan dengan pengodean {utf16}, bukan UTF-8",
                "not-utf8",
                found=f"{utf16} (setiap huruf dua bita)",
                hint="simpan ulang berkas dengan pengodean UTF-8 (di editor: Save with Encoding › UTF-8; "
                "di Notepad: Simpan Sebagai › Pengodean UTF-8)",
            )
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Problem.at(
                shown,
                Position(line, column),
                "berkas bukan teks UTF-8",
                "not-utf8",
                found=f"bita 0x{raw[exc.start]:02x}",
                hint="simpan ulang berkas dengan pengodean UTF-8 (di editor: Save with Encoding › UTF-8)",
            )
        ]
    return parse_yaml_text(text, path=path, display=shown, raw=raw)


def parse_yaml_text(
    text: str, *, path: Path, display: str, raw: bytes = b""
) -> tuple[SourceDocument | None, list[Problem]]:
    """Parse YAML text into a :class:`SourceDocument` (see :func:`read_yaml`).

    libyaml parses; when it finds an error, the pure-Python parser parses again, since
    its messages are the ones translated for maintainers.

    Word's manual line break (U+000B) and page break (U+000C), which text copied out of a
    Word table carries, become spaces (one character for one, so positions stay true); any
    other invisible control character is reported at its line and column.
    """
    text = text.translate(WORD_BREAKS)
    bad = _UNPRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        return None, [_control_problem(display, Position(line, column), bad.group())]
    deep = _too_deep(text)
    if deep is not None:
        return None, [_too_deep_problem(display, deep)]
    try:
        fast = _FastLoader(text)
        try:
            node = fast.get_single_node()
        finally:
            fast.dispose()
    except yaml.YAMLError:
        node = None
        fast = None
    if fast is not None:
        return _build_document(node, path=path, display=display, raw=raw)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Position(mark.line + 1, mark.column + 1) if mark else NOWHERE
        message, hint = _translate_yaml_error(exc)
        found = (exc.problem or "").strip() or None
        return None, [Problem.at(display, pos, message, "yaml-syntax", found=found, hint=hint)]
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without a mark
        return None, [Problem.at(display, NOWHERE, "sintaks YAML tidak valid", "yaml-syntax", found=str(exc))]
    finally:
        loader.dispose()
    return _build_document(node, path=path, display=display, raw=raw)


def positions_again(doc: SourceDocument) -> tuple[dict[YamlPath, Position], dict[YamlPath, Position]]:
    """The positions of every value and key of a document read before, found again in its
    bytes (see :meth:`SourceDocument.release_positions`)."""
    again, _problems = parse_yaml_text(doc.raw.decode("utf-8-sig"), path=doc.path, display=doc.display, raw=doc.raw)
    return (again.values, again.keys) if again is not None else ({}, {})


_OPENERS = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSERS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _too_deep(text: str) -> Position | None:
    """Where the text nests deeper than :data:`MAX_DEPTH`, found by scanning its tokens
    (the scanner is iterative); ``None`` when it does not.

    This runs before composing: libyaml composes nested collections recursively in C, and a
    few hundred thousand ``[`` crash the process instead of raising an error. A sequence
    written at its key's indentation opens no block, so the count may be up to half the true
    depth; the builder checks the exact depth of what passes.
    """
    depth = 0
    try:
        for token in yaml.scan(text, Loader=_FastLoader):
            if isinstance(token, _OPENERS):
                depth += 1
                if depth > MAX_DEPTH:
                    return Position(token.start_mark.line + 1, token.start_mark.column + 1)
            elif isinstance(token, _CLOSERS):
                depth -= 1
    except yaml.YAMLError:  # a syntax error: the parser reports it with its position
        return None
    return None


def _control_problem(display: str, position: Position, char: str, *, escaped: bool = False) -> Problem:
    how = (
        "ditulis sebagai kode `\\x..`/`\\u....` dalam tanda kutip"
        if escaped
        else "sering terbawa saat menyalin dari Word atau PDF"
    )
    return Problem.at(
        display,
        position,
        "teks memuat karakter kendali yang tidak terlihat",
        "control-character",
        found=f"U+{ord(char):04X}",
        hint=f"hapus karakter itu ({how}); ketik ulang kata di sekitarnya bila perlu",
    )


def _too_deep_problem(display: str, position: Position) -> Problem:
    return Problem.at(
        display,
        position,
        "nilai bersarang terlalu dalam",
        "too-deep",
        expected=f"paling dalam {MAX_DEPTH} tingkat",
        hint="sebuah SOP hanya beberapa tingkat dalamnya; periksa kurung `[` `{`, tanda `-` yang "
        "berulang, atau alias (`*nama`) yang merujuk dirinya sendiri di sekitar baris ini",
    )


def _build_document(
    node: Node | None, *, path: Path, display: str, raw: bytes
) -> tuple[SourceDocument | None, list[Problem]]:
    doc = SourceDocument(
        path=path, display=display, data=None, raw=raw, positions_from=positions_again if raw else None
    )
    if node is None:
        return doc, []
    builder = _Builder(doc)
    try:
        return _built(doc, builder, node, display)
    finally:
        builder.close()


def _built(
    doc: SourceDocument, builder: _Builder, node: Node, display: str
) -> tuple[SourceDocument | None, list[Problem]]:
    try:
        doc.data = builder.build(node, ())
    except _TooDeep as exc:
        return None, [_too_deep_problem(display, exc.position)]
    except _NodeBudgetExceeded:
        if len(builder.distinct) < builder.count:  # values repeated by aliases made the count
            return None, [
                Problem.at(
                    display,
                    NOWHERE,
                    "berkas memuat terlalu banyak nilai setelah alias diuraikan (kemungkinan 'alias bomb')",
                    "alias-bomb",
                    expected=f"paling banyak {MAX_NODES} nilai",
                    hint="jangan memakai anchor/alias (&/*) berlapis; tulis nilainya langsung",
                )
            ]
        return None, [  # as written: far more than any SOP (a table of 10,000 steps is not an alias bomb)
            Problem.at(
                display,
                NOWHERE,
                f"berkas memuat lebih dari {MAX_NODES} nilai; sebuah SOP memuat beberapa ratus",
                "too-many-values",
                expected=f"paling banyak {MAX_NODES} nilai",
                hint="pecah berkas ini menjadi beberapa SOP",
            )
        ]
    except yaml.MarkedYAMLError as exc:  # e.g. a tag with no safe constructor (!!python/object)
        mark = exc.problem_mark or exc.context_mark
        pos = Position(mark.line + 1, mark.column + 1) if mark else NOWHERE
        return None, [
            Problem.at(
                display,
                pos,
                "tag YAML tidak dikenal atau tidak diizinkan",
                "yaml-syntax",
                found=(exc.problem or "").strip() or None,
                hint="hapus tag yang diawali `!` (mis. `!!python/...`); tulis nilainya sebagai teks biasa",
            )
        ]
    except _ControlCharacter as exc:
        return None, [_control_problem(display, exc.position, exc.char, escaped=True)]
    except _DuplicateKey as exc:
        return None, [
            Problem.at(
                display,
                exc.again,
                f"kolom `{exc.key}` ditulis dua kali dalam satu bagian",
                "duplicate-key",
                found=f"pertama di baris {exc.first.line}, lagi di baris {exc.again.line}",
                hint="hapus salah satunya; YAML diam-diam memakai yang terakhir",
            )
        ]
    return doc, []


def _clean(value: str, node: Node) -> str:
    """A string value with Word's breaks as spaces; a control character written as an escape
    in a quoted string (``"\\x1b"``) raises, as one in the raw text does."""
    value = value.translate(WORD_BREAKS)
    bad = _UNPRINTABLE.search(value)
    if bad:
        raise _ControlCharacter(Position(node.start_mark.line + 1, node.start_mark.column + 1), bad.group())
    return value


class _Builder:
    """Turns a composed node tree into plain data while recording positions."""

    def __init__(self, doc: SourceDocument) -> None:
        self.doc = doc
        self.count = 0
        self.distinct: set[int] = set()
        """The nodes built and keys read (by identity): fewer than :attr:`count` when aliases
        repeated some."""
        self.constructor = _Loader("")

    def close(self) -> None:
        """Let the node tree go now: the constructor remembers every node it built, and a
        loader refers to itself (its parser's state), so without this the tree waits for the
        cyclic collector (which a build pauses while it loads the sources)."""
        self.constructor.constructed_objects.clear()
        self.constructor.dispose()

    def build(self, node: Node, path: YamlPath) -> Any:
        self.count += 1
        self.distinct.add(id(node))
        if self.count > MAX_NODES:
            raise _NodeBudgetExceeded
        if len(path) > MAX_DEPTH:
            raise _TooDeep(Position(node.start_mark.line + 1, node.start_mark.column + 1))
        self.doc.values.setdefault(path, Position(node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self._key(key_node)
                key_pos = Position(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if key in result:
                    first = self.doc.keys.get((*path, key), key_pos)
                    raise _DuplicateKey(key, first, key_pos)
                self.doc.keys.setdefault((*path, key), key_pos)
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if node.tag == _TIMESTAMP:
            # Dates are kept as text; the validator parses them (ISO or "30 Juni 2022") and
            # reports an impossible one (2023-02-30) at its line, which YAML's own date
            # type would raise on.
            return node.value
        try:
            value = self.constructor.construct_object(node)
        except (ValueError, OverflowError):  # a value YAML resolves to a type but cannot build
            return node.value
        if isinstance(value, dt.datetime | dt.date):  # an explicit !!timestamp tag
            return node.value
        if isinstance(value, bytes):
            return node.value
        return _clean(value, node) if isinstance(value, str) else value

    def _key(self, node: Node) -> str:
        self.count += 1
        self.distinct.add(id(node))
        if isinstance(node, ScalarNode):
            return _clean(str(node.value), node)
        # Complex keys never make sense in an SOP source; show them as text so the
        # unknown-key check reports them with their position.
        return f"<{type(node).__name__}>"
