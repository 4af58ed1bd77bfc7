"""Golden files for the seed SOPs: the loaded model (as the catalogue entry) and the Markdown page.

Run with UPDATE_GOLDEN=1 to rewrite them, then read the diff before committing.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from generator.pipeline.portal import LIST_MARKER, Portal, PortalSettings
from generator.site import SiteLayout
from generator.web.api import document_paths, families_index, legal_index, lifecycle_entry, roles_index, sop_entry
from generator.web.pages import render_sop_page
from generator.web.viewpages import comparison

from .conftest import ROOT, UPDATE_GOLDEN

GOLDEN = Path(__file__).parent / "golden"
SEED_IDS = sorted(p.stem for p in (ROOT / "sop_sources" / "sop").glob("*.yaml"))
TODAY = dt.date(2026, 11, 21)
"""The review date of the golden files (reviews depend on the build date)."""


@pytest.fixture(scope="module")
def portal() -> Portal:
    return Portal(PortalSettings(root=ROOT, sources=ROOT / "sop_sources", today=TODAY))


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
    context = portal.views.context(sop)
    content = render_sop_page(
        sop, portal.catalogue, portal.env, SiteLayout(), context=context, diagram="<svg>DIAGRAM</svg>"
    )
    _check(f"{sop_id}.md", content)


def test_home_list(portal: Portal) -> None:
    _check("home-list.md", portal.fill_list(f"intro\n\n{LIST_MARKER}\n", "index.md"))


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def test_role_index(portal: Portal) -> None:
    _check("index-roles.json", _json(roles_index(portal.views, SiteLayout())))


def test_legal_index(portal: Portal) -> None:
    _check("index-legal.json", _json(legal_index(portal.views, SiteLayout())))


def test_document_paths(portal: Portal) -> None:
    _check("index-documents.json", _json(document_paths(portal.views, SiteLayout())))


def test_families_and_comparison(portal: Portal) -> None:
    families = families_index(portal.views, SiteLayout())
    rows = {
        family.id: [
            {
                "label": row.label,
                "differs": row.differs,
                "note": row.note,
                "cells": [
                    {"text": c.text, "mark": c.mark, "items": [[text, odd] for text, odd in c.items]} for c in row.cells
                ],
            }
            for row in comparison(portal.views, family)
        ]
        for family in portal.views.families
    }
    _check("index-families.json", _json({"families": families, "comparison": rows}))


def test_lifecycle(portal: Portal) -> None:
    entries = {sop.id: lifecycle_entry(portal.views, sop) for sop in portal.catalogue.sops}
    _check("index-lifecycle.json", _json(entries))
