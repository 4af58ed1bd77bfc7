"""`make bench` runs at HEAD: the whole benchmark on a tiny corpus, as a smoke test.

This checks that the benchmark runs and measures what it says (every case built, the
cache behaving as the targets need); it asserts no time. The timings are in BENCHMARKS.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import ENV, ROOT


def test_the_benchmark_runs_at_head(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "3", "--no-downloads", "4"],
        cwd=ROOT,
        env={**ENV, "SOP_BENCH_OUT": str(tmp_path), "SOP_BENCH_ROUNDS": "2", "SOP_BENCH_EDITS": "2"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    every = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    runs = {run["case"]: run for run in every if run["n"] == 3}
    assert set(runs) == {
        "cold-1core",
        "cold",
        "warm",
        "zensical",
        "make-site-full",
        "make-site-same",
        "one-changed",
        "make-site-changed",
        "mkdocs-alone",
        "edit-loop",
    }
    # `make site` after the change publishes what the full build of the same sources did.
    compared = runs["make-site-changed"]["report"]["same_as_full"]
    assert compared["files"] > 100 and compared["differ"] == compared["in_one_only"] == 0, compared
    assert runs["make-site-changed"]["report"]["cache_misses"] == 0  # the full build before made them
    # The first search's bytes, measured in a browser on the warm site.
    search = runs["warm"]["report"]["search"]
    assert search["max_bytes"] > 0 and all(q["results"] > 0 for q in search["queries"][:1])
    # The corpus built without downloads: no PDF made, pages and diagrams there.
    large = {run["case"]: run for run in every if run["n"] == 4}
    assert set(large) == {
        "no-downloads-cold",
        "no-downloads-same",
        "no-downloads-changed",
        "no-downloads-warm",
        "no-downloads-alone",
        "no-downloads-edit-loop",
    }
    assert large["no-downloads-warm"]["report"]["rendered"] == []  # (its downloads are left unmade)
    large_loop = large["no-downloads-edit-loop"]["report"]
    assert len(large_loop["edit_to_page_seconds"]) == 2 and large_loop["edit_to_downloads_seconds"] == []
    # Each save's page was made first, the whole site after it (generator/mkdocs_preview.py).
    pairs = zip(large_loop["edit_to_page_seconds"], large_loop["edit_to_site_seconds"], strict=True)
    assert all(0 < page < whole for page, whole in pairs)
    assert "N=4 (no downloads): warm mkdocs build/MkDocs-alone" in (tmp_path / "results.md").read_text("utf-8")
    assert {item.split(":")[1] for item in large["no-downloads-cold"]["report"]["rendered"]} == {"diagram"}
    assert large["no-downloads-cold"]["report"]["weight"]["sop_page_median_kb"] > 0
    # Two saves in one serving session, each measured to its page and to its downloads.
    loop = runs["edit-loop"]["report"]
    shown, made = loop["edit_to_page_seconds"], loop["edit_to_downloads_seconds"]
    assert len(shown) == len(made) == 2 and all(0 < a < b for a, b in zip(shown, made, strict=True))
    # The warm ratio compares the fastest of builds alternated with the baseline's, CPU too.
    for case in ("warm", "mkdocs-alone"):
        rounds = runs[case]["report"]["rounds"]
        assert len(rounds) == 2 and runs[case]["seconds"] == min(r["seconds"] for r in rounds)
        assert runs[case]["cpu_seconds"] > 0
    assert runs["warm"]["report"]["weight"]["sop_page_median_kb"] > 0
    assert all(run["seconds"] > 0 and run["peak_mib"] > 0 for run in every)
    assert runs["cold"]["report"]["sops"] == 3 and runs["cold"]["report"]["cache_misses"] > 0
    # The renderers' share is measured apart from the generator's own: WeasyPrint and Graphviz,
    # and XlsxWriter writing the workbooks out (part of each workbook's time, never all of it).
    cold = runs["cold"]["report"]
    assert 0 < cold["tool_cpu_seconds"] < cold["render_cpu_seconds"]
    assert 0 < cold["writer_cpu_seconds"] < cold["render_cpu_seconds"] - cold["tool_cpu_seconds"]
    assert runs["warm"]["report"]["cache_misses"] == 0  # nothing redrawn when nothing changed
    assert {item.split(":")[0] for item in runs["one-changed"]["report"]["rendered"]} == {"sop-0001"}
    results = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "| 3 | mkdocs-alone |" in results and "warm/MkDocs-alone" in results
    assert "cold generator overhead" in results and "counting XlsxWriter's writing as the generator's" in results
    # The baseline builds the real build's navigation: every generated page is in both sites.
    real = {p.relative_to(tmp_path / "site-3").as_posix() for p in (tmp_path / "site-3").rglob("*.html")}
    alone = {p.relative_to(tmp_path / "site-alone-3").as_posix() for p in (tmp_path / "site-alone-3").rglob("*.html")}
    assert real == alone
    sites = ("site-3", "site-alone-3")
    for page in ("index.html", "sop/sop-0001/index.html"):
        links = [(tmp_path / site / page).read_text(encoding="utf-8").count("md-nav__link") for site in sites]
        assert links[0] == links[1] > 10, (page, links)
