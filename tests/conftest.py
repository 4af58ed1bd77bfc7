"""Shared fixtures: the project root and small source trees written on the fly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
"""The project folder."""

UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"
"""Set UPDATE_GOLDEN=1 to rewrite golden files from the current output (then review the diff)."""

MINIMAL_SOP = """\
id: {id}
nama_sop: {nama}
nomor_sop: "{nomor}"
instansi: KECAMATAN UJI
pelaksana:
  - Camat
  - Sekcam
langkah:
  - no: 1
    kegiatan: Memberi perintah
    pelaksana: Camat
    waktu: 10 menit
  - no: 2
    kegiatan: Melaksanakan perintah
    pelaksana: Sekcam
    waktu: 1 jam
"""


def minimal_sop(sop_id: str = "uji", nama: str = "SOP Uji", nomor: str = "001/UJI/2025") -> str:
    """A small valid SOP source."""
    return MINIMAL_SOP.format(id=sop_id, nama=nama, nomor=nomor)


SourceWriter = Callable[[dict[str, str]], Path]


@pytest.fixture
def write_sources(tmp_path: Path) -> SourceWriter:
    """Write ``{file name: YAML text}`` into ``<tmp>/sop_sources/sop/`` and return ``sop_sources``."""

    def write(files: dict[str, str]) -> Path:
        sources = tmp_path / "sop_sources"
        folder = sources / "sop"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
        return sources

    return write


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's site inputs (config, docs, overrides, sources) in a temp folder."""
    target = tmp_path / "proj"
    target.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    for folder in ("docs", "overrides", "sop_sources"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run_python(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m <args>`` as a maintainer would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, env={**ENV, **(env or {})}, check=False
    )


def build(
    project: Path, site: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m generator build`` of ``project`` into ``site``."""
    return run_python("generator", "--root", str(project), "build", "--site-dir", str(site), *extra, env=env)


ENGINES = ("mkdocs", "zensical")
"""The site engines (``build --engine``): MkDocs, the default, and Zensical."""

_BUILT: dict[str, Path] = {}
"""The real project built once per engine in this test session."""


def built_site(factory: pytest.TempPathFactory, engine: str) -> Path:
    """The real project built once with --strict (any warning fails it) by ``engine``."""
    if engine not in _BUILT:
        out = factory.mktemp(f"built-{engine}") / "site"
        result = build(ROOT, out, "--strict", "--engine", engine)
        assert result.returncode == 0, result.stdout + result.stderr
        _BUILT[engine] = out
    return _BUILT[engine]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built once with --strict (any MkDocs warning fails it)."""
    return built_site(tmp_path_factory, "mkdocs")


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each site engine in turn (test ids ``mkdocs`` and ``zensical``)."""
    return str(request.param)


@pytest.fixture(scope="session")
def engine_site(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    """The real project built by each engine in turn (see :func:`built_site`)."""
    return built_site(tmp_path_factory, engine)


LINKING_TAGS = frozenset({"a", "img", "link", "script", "image", "use", "source", "iframe"})
"""Elements whose ``href`` or ``src`` the site must resolve."""


class ParsedPage(HTMLParser):
    """A built HTML page: its elements with their attributes, its text and its scripts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.parts: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.parts).append(data)

    @property
    def text(self) -> str:
        """The visible text, whitespace collapsed."""
        return " ".join(" ".join(self.parts).split())

    @property
    def links(self) -> list[str]:
        """Every ``href`` and ``src`` of the elements that load or link something."""
        return [
            value
            for tag, attrs in self.tags
            if tag in LINKING_TAGS
            for value in (attrs.get("href"), attrs.get("src"))
            if value
        ]

    @property
    def ids(self) -> set[str]:
        """Every element id (the anchors a link may point at)."""
        return {attrs["id"] or "" for _tag, attrs in self.tags if attrs.get("id")}


def catalogue_sops(read: Callable[[str], str]) -> list[dict[str, Any]]:
    """Every SOP's whole catalogue entry: the index ``api/sop.json`` names each SOP's own file.
    ``read`` gives the text of a site path (from a built site, a server or rendered files)."""
    index = json.loads(read("api/sop.json"))
    entries = []
    for summary in index["sops"]:
        entry = json.loads(read(summary["detail_url"]))
        assert {k: v for k, v in entry.items() if k in summary} == {k: v for k, v in summary.items() if k in entry}
        entries.append(entry)
    return entries


def site_sops(site: Path) -> list[dict[str, Any]]:
    """:func:`catalogue_sops` of a built site."""
    return catalogue_sops(lambda path: (site / path).read_text(encoding="utf-8"))
