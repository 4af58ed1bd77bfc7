"""The tree is the pipeline: each stage imports only its own stage or earlier ones, the three
output stages (web, print, office) do not import each other, and only the glue knows MkDocs."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "generator"

STAGES: dict[str, int] = {
    "generator.model": 0,
    "generator.sources": 1,
    "generator.indexes": 2,
    "generator.site": 3,
    "generator.templating": 3,
    "generator.web": 4,
    "generator.print": 4,
    "generator.office": 4,
    "generator.pipeline": 5,
    "generator.settings": 6,
    "generator.mkdocs_plugin": 7,
    "generator.mkdocs_incremental": 7,
    "generator.mkdocs_preview": 7,
    "generator.zensical_engine": 7,
    "generator.__main__": 7,
}
"""Rank of each stage: load/validate -> model -> indexes -> site map -> outputs -> build -> glue."""

OUTPUTS = {"generator.web", "generator.print", "generator.office"}
"""Stages of the same rank that must stay apart (a PDF never needs the web pages)."""

GLUE = {"generator.mkdocs_plugin", "generator.mkdocs_incremental", "generator.mkdocs_preview"}
"""The only modules that may import MkDocs (the plugin, and its incremental builds)."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> str:
    matches = [s for s in STAGES if module == s or module.startswith(s + ".")]
    assert matches, f"{module} belongs to no stage: add it to STAGES"
    return max(matches, key=len)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import (use generator.<stage>.<module>)"
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    result: dict[str, set[str]] = {}
    for name, path in modules.items():
        if name == "generator":  # the package's own __init__: a docstring, no imports
            assert imports_of(path) <= {"__future__", "__future__.annotations"}
            continue
        result[name] = {m for m in imports_of(path) if m in modules or m.split(".")[0] == "mkdocs"}
    return result


def violations(edges: dict[str, set[str]]) -> list[str]:
    """Imports that go against the pipeline, as readable lines."""
    wrong = []
    for importer, imported in edges.items():
        source = stage_of(importer)
        for target_module in sorted(imported):
            if target_module.split(".")[0] == "mkdocs":
                if importer not in GLUE:
                    wrong.append(f"{importer} imports MkDocs ({target_module})")
                continue
            target = stage_of(target_module)
            if STAGES[target] > STAGES[source]:
                wrong.append(f"{importer} ({source}) imports a later stage: {target_module}")
            elif source != target and source in OUTPUTS and target in OUTPUTS:
                wrong.append(f"{importer} ({source}) imports another output stage: {target_module}")
    return wrong


def test_every_module_belongs_to_a_stage() -> None:
    for module in graph():
        stage_of(module)


def test_no_module_imports_a_later_stage_or_mkdocs() -> None:
    assert violations(graph()) == []


def test_the_checker_sees_a_wrong_import() -> None:
    edges = {
        "generator.model.sop": {"generator.web.pages"},
        "generator.print.sheet": {"generator.web.pages"},
        "generator.sources.catalogue": {"mkdocs.config"},
        "generator.web.pages": {"generator.site", "generator.model.sop"},
    }
    assert violations(edges) == [
        "generator.model.sop (generator.model) imports a later stage: generator.web.pages",
        "generator.print.sheet (generator.print) imports another output stage: generator.web.pages",
        "generator.sources.catalogue imports MkDocs (mkdocs.config)",
    ]


def test_the_core_and_the_cli_load_without_mkdocs() -> None:
    """Importing the pipeline (and the CLI module) never loads MkDocs: the engine stays swappable."""
    code = (
        "import sys, generator.pipeline.portal, generator.__main__, generator.sources.catalogue, generator.settings; "
        "sys.exit(1 if any(m == 'mkdocs' or m.startswith('mkdocs.') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
