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

import jinja2

from generator.print.textmetrics import font_file

CACHE_DIR = ".cache"
"""The cache folder, at the project root (gitignored)."""

PACKAGE = Path(__file__).resolve().parents[1]


def compiled_templates(root: Path, environment: str) -> jinja2.BytecodeCache:
    """Where a template environment keeps its compiled templates between processes, so that a
    build does not compile the theme's and the generator's templates again (Jinja checks each
    template's source against the compiled copy before using it). One folder per environment
    (``environment``: their options differ, and so does the code they compile) and per Jinja
    version."""
    return _CompiledTemplates(root / CACHE_DIR / f"jinja-{jinja2.__version__}" / environment)


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in a folder. A compiled copy that cannot be read
    whole (cut short by a full disk) or written (its folder deleted while serving) is left
    out: the template is compiled as if there were no cache."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged copy (Jinja reads a cut one with pickle, which may raise)
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


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
    return _hash_files(_artifact_modules() + [path for path in templates if path.is_file()])


def _artifact_modules() -> list[Path]:
    """``import_closure(ARTIFACT_ROOT)``, kept between processes in the package's
    ``__pycache__`` under the fingerprint of all the generator's code (which it is a function
    of): parsing every module to find its imports takes a build almost half a second."""
    folder = PACKAGE / "__pycache__"
    memo = folder / f"sop-artifact-modules-{code_fingerprint()[:24]}.txt"
    try:
        paths = [PACKAGE / name for name in memo.read_text(encoding="utf-8").splitlines()]
        if paths and all(path.is_file() for path in paths):
            return paths
    except (OSError, UnicodeDecodeError):
        pass
    paths = import_closure(ARTIFACT_ROOT)
    try:
        folder.mkdir(exist_ok=True)  # (absent where Python writes no bytecode)
        for old in folder.glob("sop-artifact-modules-*.txt"):  # of code since changed
            old.unlink(missing_ok=True)
        _write_atomically(memo, "".join(f"{path.relative_to(PACKAGE).as_posix()}\n" for path in paths).encode())
    except OSError:  # (a read-only installation: found again by the next build)
        pass
    return paths


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
        again, never published. An entry found as a build checked it (the same size, time and
        inode, its checksum file untouched: :meth:`save_checked`) is not read again.
        ``trusted`` (``mkdocs serve`` rebuilds): an entry this process has already checked is
        taken without looking at the disk again.
        """
        path = self.path(key, suffix)
        if self.enabled and trusted and path in _VERIFIED:
            self.hits += 1
            return path
        if self.enabled:
            seen = _seen(path)
            if seen is not None and (_VERIFIED.get(path) == seen or self._checked().get(path.name) == seen):
                _VERIFIED[path] = seen
                self.hits += 1
                return path
            if seen is not None or path.is_file():
                if _intact(path):
                    self.hits += 1
                    return path
                self.discard(key, suffix)
                self.damaged += 1
        self.misses += 1
        return None

    def _checked(self) -> dict[str, tuple[int, int, int, int]]:
        """The entries a build checked, as :meth:`save_checked` wrote them (read once)."""
        checked = _CHECKED.get(self.folder)
        if checked is None:
            checked = _CHECKED[self.folder] = {}
            try:
                lines = (self.folder / CHECKED).read_text(encoding="ascii").splitlines()
            except (OSError, UnicodeDecodeError):
                lines = []
            for line in lines:
                name, *numbers = line.split(" ")
                if len(numbers) == 4 and all(number.isdigit() for number in numbers):
                    checked[name] = (int(numbers[0]), int(numbers[1]), int(numbers[2]), int(numbers[3]))
        return checked

    def save_checked(self) -> None:
        """Write down the entries this process has checked or written, with the size, time
        and inode each had (and its checksum file's time), so that the next build takes them
        as checked unless one of these changed. Written whole, atomically: the list is what
        this build used."""
        if not self.enabled or not self.folder.is_dir():
            return
        folder = str(self.folder)
        checked = {path.name: seen for path, seen in _VERIFIED.items() if os.path.dirname(str(path.parent)) == folder}
        lines = [f"{name} {' '.join(map(str, seen))}\n" for name, seen in sorted(checked.items())]
        _write_atomically(self.folder / CHECKED, "".join(lines).encode("ascii"))

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

CHECKED = "checked"
"""The file of a cache folder listing the entries a build checked (:meth:`ArtifactCache.save_checked`)."""

_CHECKED: dict[Path, dict[str, tuple[int, int, int, int]]] = {}
"""Per cache folder, the entries the last build checked (read once per process)."""


def _seen(path: Path) -> tuple[int, int, int, int] | None:
    """An entry's modification time, size and inode, and its checksum file's time; ``None``
    when either file is missing."""
    name = str(path)
    try:
        stat, check = os.stat(name), os.stat(name + ".sha256")
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino, check.st_mtime_ns)


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
