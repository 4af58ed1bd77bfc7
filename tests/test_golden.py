"""Golden files for the seed SOPs: the loaded model (as the catalogue entry) and the Markdown page.

Run with UPDATE_GOLDEN=1 to rewrite them, then read the diff before committing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.api import sop_entry
from generator.pages import SiteLayout, render_sop_page
from generator.portal import LIST_MARKER, Portal, PortalSettings

from .conftest import ROOT, UPDATE_GOLDEN

GOLDEN = Path(__file__).parent / "golden"
SEED_IDS = sorted(p.stem for p in (ROOT / "sop_sources" / "sop").glob("*.yaml"))


@pytest.fixture(scope="module")
def portal() -> Portal:
    return Portal(PortalSettings(root=ROOT, sources=ROOT / "sop_sources"))


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


def test_there_are_five_seeds() -> None:
    assert len(SEED_IDS) == 5


@pytest.mark.parametrize("sop_id", SEED_IDS)
def test_loaded_model(portal: Portal, sop_id: str) -> None:
    entry = sop_entry(portal.catalogue.get(sop_id), SiteLayout(), portal.catalogue.documents)
    _check(f"{sop_id}.json", json.dumps(entry, ensure_ascii=False, indent=2) + "\n")


@pytest.mark.parametrize("sop_id", SEED_IDS)
def test_rendered_markdown(portal: Portal, sop_id: str) -> None:
    # The diagram is Graphviz's work (tested in test_diagram); here a marker stands in for it.
    sop = portal.catalogue.get(sop_id)
    content = render_sop_page(sop, portal.catalogue, portal.env, SiteLayout(), diagram="<svg>DIAGRAM</svg>")
    _check(f"{sop_id}.md", content)


def test_home_list(portal: Portal) -> None:
    _check("home-list.md", portal.fill_list(f"intro\n\n{LIST_MARKER}\n", "index.md"))
