"""Content-addressed cache of expensive results: artifacts (diagram SVG, PDFs, workbooks),
rendered pages, and parsed sources.

An artifact is stored under a key that hashes everything that determines it: the
model it is drawn from, the settings, the generator's own code and templates, and the
versions of the tools that draw it (Graphviz, WeasyPrint, XlsxWriter, the font). An
unchanged SOP is therefore never drawn twice, and any change anywhere that could alter
an artifact gives it a new key. Deleting ``.cache/`` forces a cold build.
"""

from __future__ import annotations

import ast
import hashlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from functools import cache
from importlib import metadata
from pathlib import Path

from generator.print.textmetrics import font_file

CACHE_DIR = ".cache"
"""The cache folder, at the project root (gitignored)."""

PACKAGE = Path(__file__).resolve().parents[1]


ARTIFACT_ROOT = "generator.pipeline.jobs"
"""The module that renders artifacts: their code is what it imports, transitively."""

ARTIFACT_TEMPLATES = ("templates/print",)
"""Template folders the artifacts are drawn from (pages' templates are not among them)."""


def _module_file(name: str) -> Path | None:
    """The file of a ``generator.*`` module, or ``None`` (not ours, or not a module)."""
    parts = name.split(".")
    if parts[0] != PACKAGE.name:
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of a module except those under ``if TYPE_CHECKING:`` (never imported)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _imported(path: Path, name: str) -> set[str]:
    """The ``generator.*`` modules a module's source imports (and the packages around them)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
    with_parents: set[str] = set()
    for module in found:
        parts = module.split(".")
        with_parents.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return {module for module in with_parents if _module_file(module) is not None}


def import_closure(root: str) -> list[Path]:
    """The files of ``root`` and of every ``generator`` module it imports, transitively."""
    seen: dict[str, Path] = {}
    parts = root.split(".")
    stack = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    while stack:
        name = stack.pop()
        path = _module_file(name)
        if name in seen or path is None:
            continue
        seen[name] = path
        stack.extend(_imported(path, name))
    return sorted(set(seen.values()))


def _hash_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@cache
def code_fingerprint() -> str:
    """Hash of all the generator's code and templates (what a rendered page depends on)."""
    return _hash_files(
        [
            path
            for path in sorted(PACKAGE.rglob("*"))
            if path.is_file() and path.suffix in {".py", ".j2", ".css", ".json"} and "__pycache__" not in path.parts
        ]
    )


@cache
def artifact_fingerprint() -> str:
    """Hash of the code and templates that draw diagrams, PDFs and workbooks: the modules
    the renderer imports and the print templates. Changing a page template or the MkDocs
    plugin keeps every PDF cached; changing anything a PDF is drawn with does not."""
    templates = [path for folder in ARTIFACT_TEMPLATES for path in sorted((PACKAGE / folder).rglob("*"))]
    return _hash_files(import_closure(ARTIFACT_ROOT) + [path for path in templates if path.is_file()])


@cache
def tool_versions() -> str:
    """Versions of the drawing tools and the font file, as one string."""
    parts = []
    for package in ("weasyprint", "pydyf", "xlsxwriter", "graphviz", "pyhanko", "segno", "fonttools"):
        try:
            parts.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{package}=-")
    try:
        dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
        parts.append(dot.stderr.strip() or dot.stdout.strip())
    except OSError:
        parts.append("dot=-")

    for bold in (False, True):
        try:
            font = font_file(bold)
            parts.append(f"{font.name}:{font.stat().st_size}")
        except Exception:  # no font: rendering fails with its own clear error
            parts.append("font=-")
    return ";".join(parts)


def artifact_key(kind: str, *inputs: object, code: str | None = None) -> str:
    """The cache key of a result of ``kind`` made from ``inputs`` (their reprs must be
    deterministic); ``code`` is the fingerprint of the code making it (default: all of it)."""
    digest = hashlib.sha256()
    for part in (kind, code or code_fingerprint(), tool_versions(), *map(repr, inputs)):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class ArtifactCache:
    """Results on disk under ``<root>/.cache/<folder>``, written atomically; each instance
    counts its own hits and misses."""

    def __init__(self, root: Path, *, enabled: bool = True, folder: str = "artifacts") -> None:
        self.folder = root / CACHE_DIR / folder
        self.enabled = enabled
        self.hits = 0
        self.misses = 0
        self.damaged = 0
        """Entries found damaged (removed and made again)."""

    def key(self, kind: str, *inputs: object) -> str:
        """The key of a result of ``kind`` made from ``inputs`` (see :func:`artifact_key`)."""
        return artifact_key(kind, *inputs)

    def discard(self, key: str, suffix: str) -> None:
        """Remove an entry that turned out unreadable."""
        path = self.path(key, suffix)
        path.unlink(missing_ok=True)
        _checksum(path).unlink(missing_ok=True)

    def path(self, key: str, suffix: str) -> Path:
        """Where the artifact with this key lives."""
        where = (self.folder, key, suffix)
        found = _PATHS.get(where)
        if found is None:  # pathlib is slow to join: a rebuild asks for thousands of these
            if len(_PATHS) > 200_000:
                _PATHS.clear()
            found = _PATHS[where] = self.folder / key[:2] / f"{key}{suffix}"
        return found

    def size(self, path: Path) -> int:
        """The size of an entry, as recorded when it was checked (else from the disk)."""
        seen = _VERIFIED.get(path)
        return seen[1] if seen is not None else path.stat().st_size

    def get(self, key: str, suffix: str, *, trusted: bool = False) -> Path | None:
        """The cached file, or ``None`` (counts hits and misses).

        An entry is used only when its bytes still hash to the checksum written with it: a
        file truncated by a full disk, damaged on disk or edited by hand is removed and made
        again, never published. ``trusted`` (``mkdocs serve`` rebuilds): an entry this
        process has already checked is taken without looking at the disk again.
        """
        path = self.path(key, suffix)
        if self.enabled and trusted and path in _VERIFIED:
            self.hits += 1
            return path
        if self.enabled and path.is_file():
            intact = _intact(path)
            if intact:
                self.hits += 1
                return path
            self.discard(key, suffix)
            self.damaged += 1
        self.misses += 1
        return None

    def put(self, key: str, suffix: str, data: bytes) -> Path:
        """Store ``data`` and its checksum; each is a temporary file renamed into place, so
        readers never see half a file, and the checksum is written last."""
        path = self.path(key, suffix)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, data)
        stat = path.stat()
        record = f"{_digest(data)} {stat.st_size} {stat.st_mtime_ns} {stat.st_ino}"
        _write_atomically(_checksum(path), record.encode("ascii"))
        _VERIFIED[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino, _checksum(path).stat().st_mtime_ns)
        return path


_PATHS: dict[tuple[Path, str, str], Path] = {}
"""Entry paths by folder, key and suffix, made once per process."""

_VERIFIED: dict[Path, tuple[int, int, int, int]] = {}
"""Entries this process has already checked, with the stat they had (``mkdocs serve``
rebuilds in one process: an entry is hashed once, not on every rebuild)."""


def _intact(path: Path) -> bool:
    """True when the entry is as it was written: the same size, time and inode as recorded
    with its checksum (a truncated, rewritten or replaced file differs in one of them), or
    else bytes that still hash to the checksum. A warm build of a thousand SOPs then reads
    300 MB of artifacts only when something touched them."""
    try:
        stat, check = path.stat(), _checksum(path).stat()
        seen = (stat.st_mtime_ns, stat.st_size, stat.st_ino, check.st_mtime_ns)
        if _VERIFIED.get(path) == seen:
            return True
        record = _checksum(path).read_text(encoding="ascii").split()
        now = [str(stat.st_size), str(stat.st_mtime_ns), str(stat.st_ino)]
        written = record[1:] == now
        intact = bool(record) and (written or record[0] == _digest(path.read_bytes()))
        if intact and not written:  # hashed and good: record its stat, so it is not hashed again
            _write_atomically(_checksum(path), " ".join([record[0], *now]).encode("ascii"))
            check = _checksum(path).stat()
            seen = (stat.st_mtime_ns, stat.st_size, stat.st_ino, check.st_mtime_ns)
    except (OSError, UnicodeDecodeError):
        return False
    if intact:
        _VERIFIED[path] = seen
    return intact


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checksum(path: Path) -> Path:
    """The file holding the SHA-256 of an entry's bytes."""
    return path.with_name(path.name + ".sha256")


def _write_atomically(path: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
