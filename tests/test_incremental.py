"""Rebuilds in one process (``mkdocs serve``): only what an edit touches is made again, and
what comes out is exactly what a fresh build makes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.pipeline.portal import Portal, PortalSettings
from generator.site import api_document, api_role
from generator.web.api import document_detail, role_detail
from generator.web.viewpages import ViewPages

from .conftest import ROOT

EDITED = "lumajang-pengumpulan-data-kinerja"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The seeds, plus copies of them under other ids (so that roles, documents and
    families hold SOPs the edit does not touch)."""
    sources = tmp_path / "sop_sources"
    shutil.copytree(ROOT / "sop_sources", sources)
    for seed in sorted((sources / "sop").glob("*.yaml")):
        if seed.stem != EDITED:
            text = seed.read_text(encoding="utf-8")
            copy = text.replace(f"id: {seed.stem}", f"id: {seed.stem}-salinan", 1)
            if copy != text:
                (sources / "sop" / f"{seed.stem}-salinan.yaml").write_text(copy, encoding="utf-8")
    return tmp_path


def _outputs(portal: Portal) -> dict[str, bytes]:
    """Every generated page and text file (artifacts are the cache's, tested elsewhere)."""
    return {f.path: f.read_bytes() for f in portal.generate() if f.source is None}


FRESH = """
import sys
from pathlib import Path
from generator.pipeline.portal import Portal, PortalSettings
project, out = Path(sys.argv[1]), Path(sys.argv[2])
portal = Portal(PortalSettings(root=project, sources=project / "sop_sources", jobs=1))
for f in portal.generate():
    if f.source is None:
        (out / f.path).parent.mkdir(parents=True, exist_ok=True)
        (out / f.path).write_bytes(f.read_bytes())
"""
"""A build in a new process: nothing remembered from the builds this test made."""


def _portal(project: Path) -> Portal:
    return Portal(PortalSettings(root=project, sources=project / "sop_sources", jobs=1))


def test_a_rebuild_makes_only_what_the_edit_touches_and_the_same_as_a_fresh_build(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[str] = []
    render = ViewPages._render

    def counting(self: ViewPages, template: str, src: str, *args: object, **kwargs: object) -> str:
        rendered.append(src)
        return render(self, template, src, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ViewPages, "_render", counting)
    first = _portal(project)
    before = _outputs(first)
    every_view = set(rendered)
    assert len(every_view) > 20

    # Nothing changed: nothing is rendered again.
    rendered.clear()
    assert _outputs(_portal(project)) == before and rendered == []

    # Rename the SOP and change a step's time.
    source = project / "sop_sources" / "sop" / f"{EDITED}.yaml"
    text = source.read_text(encoding="utf-8")
    edited = text.replace("nama_sop: ", "nama_sop: Revisi ", 1).replace("waktu: 15 menit", "waktu: 25 menit", 1)
    assert edited.count("Revisi ") == text.count("Revisi ") + 1 and "waktu: 25 menit" in edited
    source.write_text(edited, encoding="utf-8")
    rendered.clear()
    again = _outputs(_portal(project))
    touched = set(rendered)

    # What a fresh process makes from the same sources, with the same settings.
    out = project / "segar"
    subprocess.run([sys.executable, "-c", FRESH, str(project), str(out)], check=True, cwd=ROOT, capture_output=True)
    fresh = {path: (out / path).read_bytes() for path in again}
    assert again == fresh
    assert again != before

    # The views that show the edited SOP were made again; the others were not.
    changed = {path for path in fresh if fresh[path] != before.get(path)}
    assert {p for p in changed if p in every_view} <= touched
    assert touched < every_view, "a view page that does not show the SOP was rendered again"
    untouched = every_view - touched
    assert any(p.startswith("jabatan/") for p in untouched) and any(p.startswith("dokumen/") for p in untouched)
    # The SOP's own page and catalogue file changed, another SOP's did not.
    assert f"sop/{EDITED}.md" in changed and f"api/sop/{EDITED}.json" in changed
    assert "api/sop/pace-pengumpulan-data-kinerja-salinan.json" not in changed


def test_an_edit_inside_a_step_leaves_the_section_pages(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The section pages list every SOP by name: a changed step text renders none of them
    again (and the pages that show the step are still exactly what a fresh build makes)."""
    rendered: list[str] = []
    render = ViewPages._render

    def counting(self: ViewPages, template: str, src: str, *args: object, **kwargs: object) -> str:
        rendered.append(src)
        return render(self, template, src, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ViewPages, "_render", counting)
    _outputs(_portal(project))
    source = project / "sop_sources" / "sop" / f"{EDITED}.yaml"
    text = source.read_text(encoding="utf-8")
    step = text.index("kegiatan: ") + len("kegiatan: ")
    source.write_text(text[:step] + "Segera " + text[step:], encoding="utf-8")
    rendered.clear()
    again = _outputs(_portal(project))
    sections = {
        "jabatan/index.md",
        "dasar-hukum.md",
        "perbandingan/index.md",
        "perlu-ditinjau.md",
        "perubahan-terbaru.md",
    }
    assert not sections & set(rendered)
    assert any(src.startswith("jabatan/") for src in rendered)  # the step's roles show it
    out = project / "segar"
    subprocess.run([sys.executable, "-c", FRESH, str(project), str(out)], check=True, cwd=ROOT, capture_output=True)
    assert again == {path: (out / path).read_bytes() for path in again}


def test_document_and_role_files_are_their_whole_detail_after_an_edit(project: Path) -> None:
    """``api/dokumen/<id>.json`` and ``api/jabatan/<id>.json`` are written from each SOP's
    remembered share: after an edit in the same process each is still, byte for byte, the
    document's or role's whole detail as JSON."""
    _outputs(_portal(project))
    source = project / "sop_sources" / "sop" / f"{EDITED}.yaml"
    text = source.read_text(encoding="utf-8")
    step = text.index("kegiatan: ") + len("kegiatan: ")
    source.write_text(text[:step] + "Segera " + text[step:], encoding="utf-8")
    portal = _portal(project)
    outputs = _outputs(portal)
    layout = portal.settings.layout
    checked = 0
    for document in portal.catalogue.documents.documents:
        detail = document_detail(portal.catalogue, layout, portal.views, document.id)
        written = outputs[api_document(document.id)]
        assert written == (json.dumps(detail, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        checked += bool(detail["path"])
    every = b"".join(outputs[api_document(d.id)] for d in portal.catalogue.documents.documents)
    assert checked >= 3 and b"Segera " in every
    for role in portal.views.roles:
        role_text = json.dumps(role_detail(portal.views, layout, role.id), ensure_ascii=False, separators=(",", ":"))
        assert outputs[api_role(role.id)] == (role_text + "\n").encode("utf-8")
    every = b"".join(outputs[api_role(r.id)] for r in portal.views.roles)
    assert len(portal.views.roles) >= 3 and b"Segera " in every
