"""The published JSON Schema: in sync with the committed copy, and true to the validator."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from generator.sources.documents import document_schema, document_schema_json
from generator.sources.shared import shared_schema, shared_schema_json
from generator.sources.sop import schema_json
from generator.sources.sop_schema import sop_schema
from generator.sources.yaml_reader import read_yaml

from .conftest import ROOT

SEEDS = sorted((ROOT / "sop_sources" / "sop").glob("*.yaml"))


def test_committed_schema_matches_the_generator() -> None:
    committed = (ROOT / "sop_sources" / "sop.schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(), "run `make schema` and commit sop_sources/sop.schema.json"


def test_committed_document_schema_matches_the_generator() -> None:
    committed = (ROOT / "sop_sources" / "dokumen.schema.json").read_text(encoding="utf-8")
    assert committed == document_schema_json(), "run `make schema` and commit sop_sources/dokumen.schema.json"


def test_committed_portal_schema_matches_the_generator() -> None:
    committed = (ROOT / "sop_sources" / "portal.schema.json").read_text(encoding="utf-8")
    assert committed == shared_schema_json(), "run `make schema` and commit sop_sources/portal.schema.json"


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(shared_schema())
    Draft202012Validator.check_schema(document_schema())
    Draft202012Validator.check_schema(sop_schema())


@pytest.mark.parametrize("path", [*SEEDS, ROOT / "docs" / "panduan" / "contoh-sop.yaml"], ids=lambda p: p.name)
def test_sources_satisfy_the_schema(path: Path) -> None:
    # Read as the generator reads (keys are text: `no:` is the step number, not YAML 1.1's false).
    doc, problems = read_yaml(path)
    assert problems == [] and doc is not None
    errors = list(Draft202012Validator(sop_schema()).iter_errors(doc.data))
    assert errors == []


def test_schema_rejects_a_decision_without_ya_and_leaves_tidak_open() -> None:
    def errors(step: dict[str, object]) -> list[str]:
        data = {"nama_sop": "x", "pelaksana": ["A"], "langkah": [{"no": 1, "kegiatan": "x", "pelaksana": "A", **step}]}
        return [str(e.validator) for e in Draft202012Validator(sop_schema()).iter_errors(data)]

    assert errors({"jenis": "keputusan", "tidak": 1}) == ["required"]
    # A Tidak written only in the text: the validator warns, the schema accepts it.
    assert errors({"jenis": "keputusan", "ya": 2}) == []


def test_every_field_has_an_indonesian_description() -> None:
    schema = sop_schema()
    for name, prop in schema["properties"].items():
        assert prop.get("description"), name
    for name, prop in schema["$defs"]["langkah"]["properties"].items():
        assert prop.get("description"), name
