"""Artifact cache and reproducibility: unchanged sources are never redrawn; same sources, same bytes."""

from __future__ import annotations

import hashlib
import io
import pickle
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.pipeline import portal as portal_module
from generator.pipeline.portal import Portal, PortalSettings
from generator.sources import catalogue as catalogue_module

from .conftest import ROOT

SOPS = ("lumajang-pengumpulan-data-kinerja", "pengumpulan-data-kinerja-lkj")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with two of the seed SOPs and all document templates."""
    (tmp_path / "sop_sources" / "sop").mkdir(parents=True)
    for sop_id in SOPS:
        shutil.copy(ROOT / "sop_sources" / "sop" / f"{sop_id}.yaml", tmp_path / "sop_sources" / "sop")
    shutil.copytree(ROOT / "sop_sources" / "dokumen", tmp_path / "sop_sources" / "dokumen")
    shutil.copy(ROOT / "sop_sources" / "portal.yaml", tmp_path / "sop_sources")
    return tmp_path


def _portal(project: Path, **kwargs: object) -> Portal:
    return Portal(PortalSettings(root=project, sources=project / "sop_sources", **kwargs))  # type: ignore[arg-type]


def _artifacts(portal: Portal) -> dict[str, bytes]:
    return {f.path: f.read_bytes() for f in portal.generate() if not f.is_page}


def test_second_build_takes_everything_from_the_cache(project: Path) -> None:
    first = _portal(project, jobs=2)
    built = _artifacts(first)
    assert first.cache.hits == 0 and first.cache.misses == len([s for s in first.stats])
    second = _portal(project, jobs=2)
    assert _artifacts(second) == built
    assert second.cache.misses == 0 and second.cache.hits == first.cache.misses
    assert all(stat.cached for stat in second.stats)


def test_changing_one_sop_redraws_exactly_its_artifacts(project: Path) -> None:
    _artifacts(_portal(project))
    source = project / "sop_sources" / "sop" / f"{SOPS[1]}.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("15 Menit", "20 Menit", 1), encoding="utf-8")
    again = _portal(project)
    _artifacts(again)
    redrawn = {(s.sop_id, s.kind) for s in again.stats if not s.cached}
    assert redrawn and {sop_id for sop_id, _ in redrawn} == {SOPS[1]}
    kinds = {kind for _, kind in redrawn}
    assert {"diagram", "lembar-sop", "daftar-periksa"} <= kinds
    assert all(s.cached for s in again.stats if s.sop_id != SOPS[1])


def test_deleting_the_cache_forces_a_cold_build(project: Path) -> None:
    _artifacts(_portal(project))
    shutil.rmtree(project / ".cache")
    cold = _portal(project)
    _artifacts(cold)
    assert cold.cache.hits == 0


def test_cold_builds_are_byte_identical(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _artifacts(_portal(project, use_cache=False, jobs=1))
    second = _artifacts(_portal(project, use_cache=False, jobs=2))
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stamped = _artifacts(_portal(project, use_cache=False))
    assert stamped[f"unduh/{SOPS[0]}/{SOPS[0]}-lembar-sop.pdf"] != first[f"unduh/{SOPS[0]}/{SOPS[0]}-lembar-sop.pdf"]
    metadata = PdfReader(io.BytesIO(stamped[f"unduh/{SOPS[0]}/{SOPS[0]}-lembar-sop.pdf"])).metadata
    assert metadata is not None and metadata["/CreationDate"].startswith("D:20231114")


def _entries(project: Path, folder: str, suffix: str) -> list[Path]:
    return sorted((project / ".cache" / folder).rglob(f"*{suffix}"))


def test_damaged_entries_are_made_again_never_published(project: Path) -> None:
    first = _portal(project)
    built = _artifacts(first)
    pdfs = _entries(project, "artifacts", ".pdf")
    workbooks = _entries(project, "artifacts", ".xlsx")
    pages = _entries(project, "pages", ".md")
    # Two PDFs per SOP, and each instansi's register; a page per SOP and per view.
    assert len(pdfs) == 4 + len(first.registers) and workbooks
    assert len(pages) == 2 + len(first.view_pages.plan())
    pages = [entry for entry in pages if "sop_id:" in entry.read_text(encoding="utf-8")]
    # A truncated PDF (a full disk), a flipped byte in a workbook, a page edited by hand,
    # and an entry whose checksum file is gone.
    pdfs[0].write_bytes(pdfs[0].read_bytes()[:1000])
    data = bytearray(workbooks[0].read_bytes())
    data[len(data) // 2] ^= 0xFF
    workbooks[0].write_bytes(bytes(data))
    pages[0].write_text("# disunting\n", encoding="utf-8")
    Path(f"{pdfs[1]}.sha256").unlink()

    portal_module._RENDERED.clear()  # this process remembers the pages it made: test the files on disk
    again = _portal(project)
    rebuilt = _artifacts(again)
    assert rebuilt == built  # every published file is whole again, byte for byte
    assert again.cache.damaged == 3 and again.page_cache.damaged == 1
    assert again.cache.misses == 3 and again.page_cache.misses == 1
    for name, data in rebuilt.items():
        if name.endswith(".pdf"):
            assert len(PdfReader(io.BytesIO(data)).pages) >= 1
    pages_now = [f for f in again.generate() if f.is_page and f.path.startswith("sop/")]
    assert all("# disunting" not in str(f.content) for f in pages_now)


def test_parse_results_of_the_wrong_shape_are_made_again(project: Path) -> None:
    first = _portal(project)
    catalogue_module._PARSED.clear()  # this process remembers what it parsed: test the files on disk
    entries = _entries(project, "sources", ".pickle")
    assert len(entries) == 2
    # A pickle of another shape (an older generator's, or someone's file) and a torn one;
    # their checksums are rewritten so only the shape check can catch them.
    for entry, data in zip(entries, (pickle.dumps({"sop": "lain"}), b"\x80\x05not a pickle"), strict=True):
        entry.write_bytes(data)
        Path(f"{entry}.sha256").write_text(hashlib.sha256(data).hexdigest(), encoding="ascii")
    again = _portal(project)
    assert again.ok and [s.id for s in again.catalogue.sops] == [s.id for s in first.catalogue.sops]
    assert again.catalogue.sops == first.catalogue.sops


def test_artifact_code_is_everything_the_renderer_imports() -> None:
    """The artifact fingerprint hashes the renderer's import closure: compare it with the
    modules a fresh interpreter really loads to render (a module missed here could change a
    PDF without changing its key)."""
    import json
    import subprocess
    import sys

    from generator.pipeline.cache import ARTIFACT_ROOT, PACKAGE, import_closure

    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import json, sys; import {ARTIFACT_ROOT}; "
            "print(json.dumps(sorted(m.__file__ for n, m in sys.modules.items() "
            "if n.split('.')[0] == 'generator' and getattr(m, '__file__', None))))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    imported = {Path(path).resolve() for path in json.loads(loaded)}
    closure = set(import_closure(ARTIFACT_ROOT))
    assert imported == closure
    assert PACKAGE / "web" / "pages.py" not in closure and PACKAGE / "mkdocs_plugin.py" not in closure


def test_page_code_changes_keep_artifacts_and_print_code_changes_redraw(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.pipeline import cache as cache_module

    _artifacts(_portal(project))
    # A new page template (the whole-code fingerprint changes, the artifacts' does not).
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another page template")
    pages_changed = _portal(project)
    _artifacts(pages_changed)
    assert pages_changed.cache.misses == 0
    # A new print template: every artifact gets a new key.
    monkeypatch.setattr(cache_module, "artifact_fingerprint", lambda: "another sheet template")
    monkeypatch.setattr("generator.pipeline.portal.artifact_fingerprint", lambda: "another sheet template")
    print_changed = _portal(project)
    assert print_changed.cache.hits == 0 and _artifacts(print_changed)


def test_an_overridden_print_template_redraws_the_pdfs(project: Path) -> None:
    """An office's own sheet template (overrides/sop/print/) is part of the PDFs' keys."""
    overrides = project / "overrides" / "sop"
    _artifacts(_portal(project, template_dirs=(overrides,)))
    (overrides / "print").mkdir(parents=True)
    sheet = (ROOT / "generator" / "templates" / "print" / "sheet.html.j2").read_text(encoding="utf-8")
    own = sheet.replace("</body>", "<p>KOP KANTOR</p></body>")
    (overrides / "print" / "sheet.html.j2").write_text(own, encoding="utf-8")
    again = _portal(project, template_dirs=(overrides,))
    built = _artifacts(again)
    redrawn = {kind for _, kind in {(s.sop_id, s.kind) for s in again.stats if not s.cached}}
    assert {"lembar-sop", "daftar-periksa"} <= redrawn and "diagram" not in redrawn
    sheet_pdf = next(data for path, data in built.items() if path.endswith("-lembar-sop.pdf"))
    assert "KOP KANTOR" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(sheet_pdf)).pages)


def test_a_warm_build_trusts_entries_as_written_and_hashes_touched_ones(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries are checked against the size, time and inode recorded with their checksum:
    untouched ones are not read again (a warm build of a thousand SOPs would hash 300 MB);
    a touched one is hashed, and used when its bytes are still right."""
    import os

    from generator.pipeline import cache as cache_module

    built = _artifacts(_portal(project))
    hashed: list[int] = []
    digest = cache_module._digest

    def counting(data: bytes) -> str:
        hashed.append(len(data))
        return digest(data)

    monkeypatch.setattr(cache_module, "_digest", counting)
    cache_module._VERIFIED.clear()  # as a new process
    again = _portal(project)
    assert _artifacts(again) == built and again.cache.misses == 0
    assert hashed == []
    touched = _entries(project, "artifacts", ".pdf")[0]
    os.utime(touched, ns=(1, 1))  # same bytes, another time: hashed, and still good
    cache_module._VERIFIED.clear()
    third = _portal(project)
    assert _artifacts(third) == built and third.cache.misses == 0 and third.cache.damaged == 0
    assert hashed == [touched.stat().st_size]
    # Found good, its new time is recorded: the next build does not hash it again.
    cache_module._VERIFIED.clear()
    assert _artifacts(_portal(project)) == built and hashed == [touched.stat().st_size]


def test_entries_a_build_checked_are_taken_by_the_next_without_reading_them(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build writes down the entries it checked (``checked``, with each one's size, time and
    inode): the next process takes those without opening their checksum files, and an entry
    changed since is checked again, found damaged and made again."""
    import os

    from generator.pipeline import cache as cache_module

    first = _portal(project)
    built = _artifacts(first)
    first.save_checked()
    listed = (project / ".cache" / "artifacts" / cache_module.CHECKED).read_text(encoding="ascii").splitlines()
    assert len(listed) == len(_entries(project, "artifacts", ".sha256"))
    checks: list[Path] = []
    intact = cache_module._intact

    def counting(path: Path) -> bool:
        checks.append(path)
        return intact(path)

    monkeypatch.setattr(cache_module, "_intact", counting)
    cache_module._VERIFIED.clear()  # as a new process
    cache_module._CHECKED.clear()
    portal_module._RENDERED.clear()
    assert _artifacts(_portal(project)) == built and checks == []
    pdf = _entries(project, "artifacts", ".pdf")[0]
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0xFF
    pdf.write_bytes(bytes(data))
    os.utime(pdf, ns=(2, 2))  # whatever the clock, a time other than the one written down
    cache_module._VERIFIED.clear()
    cache_module._CHECKED.clear()
    again = _portal(project)
    assert _artifacts(again) == built
    assert checks == [pdf] and again.cache.damaged == 1 and again.cache.misses == 1


def test_compiled_templates_are_kept_between_processes_and_a_damaged_copy_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    from generator.pipeline.cache import compiled_templates
    from generator.templating import template_environment

    def render() -> None:
        env = template_environment()
        env.bytecode_cache = compiled_templates(tmp_path, "pages")
        env.get_template("print/sheet.html.j2")

    compiled: list[str] = []
    compile_source = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        compiled.append(str(name))
        return compile_source(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    render()
    first = len(compiled)
    stored = sorted((tmp_path / ".cache").rglob("__jinja2_*.cache"))
    assert first >= 1 and len(stored) == first
    render()  # a new environment (as in the next build): nothing compiled
    assert len(compiled) == first
    for copy in stored:  # cut short (a full disk): compiled again, rendered all the same
        copy.write_bytes(copy.read_bytes()[:20])
    render()
    assert len(compiled) == 2 * first


def test_the_renderers_modules_are_remembered_by_the_codes_fingerprint() -> None:
    """The artifact fingerprint's module list is found once per version of the code and kept
    in the package's ``__pycache__``: the same list as parsing every module finds."""
    from generator.pipeline import cache as cache_module

    expected = cache_module.import_closure(cache_module.ARTIFACT_ROOT)
    assert cache_module._artifact_modules() == expected
    memo = next((cache_module.PACKAGE / "__pycache__").glob("sop-artifact-modules-*.txt"))
    memo.write_text("tidak/ada.py\n", encoding="utf-8")  # a list naming a file that is gone
    assert cache_module._artifact_modules() == expected
    assert memo.read_text(encoding="utf-8").splitlines() == [
        path.relative_to(cache_module.PACKAGE).as_posix() for path in expected
    ]


def test_a_few_downloads_made_beside_the_pages_go_to_one_worker_process(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made beside the pages (the build's process busy with them), a handful of PDFs and
    workbooks go to one worker process, not one per core, and come out as rendered here."""
    from concurrent.futures import ProcessPoolExecutor

    from generator.pipeline import jobs as jobs_module

    portal = _portal(project, jobs=2)
    keyed = [pair for pair in portal._keyed_jobs() if pair[0].stage != "diagram"][:3]
    wanted = [job for job, _ in keyed]
    here = [made.data for made in jobs_module.run_jobs(wanted, portal.printing, (), 2)]
    pools: list[int] = []

    class Counted(ProcessPoolExecutor):
        def __init__(self, max_workers: int, **kwargs: object) -> None:
            pools.append(max_workers)
            super().__init__(max_workers, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jobs_module, "ProcessPoolExecutor", Counted)
    beside = [made.data for made in jobs_module.run_jobs(wanted, portal.printing, (), 2, beside=True)]
    assert pools == [1]
    assert [len(data) for data in beside] == [len(data) for data in here]
    assert [data[:4] for data in beside] == [data[:4] for data in here]
