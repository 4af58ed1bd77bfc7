"""Artifact cache and reproducibility: unchanged sources are never redrawn; same sources, same bytes."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.pipeline.portal import Portal, PortalSettings

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
    assert stamped[f"unduh/{SOPS[0]}/lembar-sop.pdf"] != first[f"unduh/{SOPS[0]}/lembar-sop.pdf"]
    metadata = PdfReader(io.BytesIO(stamped[f"unduh/{SOPS[0]}/lembar-sop.pdf"])).metadata
    assert metadata is not None and metadata["/CreationDate"].startswith("D:20231114")
