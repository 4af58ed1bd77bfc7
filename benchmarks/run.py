"""`make bench`: build synthetic corpora of N SOPs and report stage times, cache use and peak memory.

For each N: a cold build (empty cache); warm builds with no change alternated with MkDocs
alone building the same pages (the generator's output written as plain files, no plugin),
the fastest of each compared; a warm build with one SOP changed; and `mkdocs serve` with
one source saved several times. For the smallest N also a cold build on one worker, to
show what the second core buys. Results: a Markdown table on stdout and in
build/bench/results.md, raw numbers in build/bench/results.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from benchmarks.corpus import make_corpus
from benchmarks.search_bytes import index_on_disk
from benchmarks.search_bytes import measure as first_search

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("SOP_BENCH_OUT") or ROOT / "build" / "bench")
"""Where corpora, sites and results go (the smoke test points it at a temporary folder)."""


@dataclass
class Run:
    """One measured build."""

    n: int
    case: str
    seconds: float
    peak_mib: float
    site_mib: float = 0.0
    report: dict[str, Any] = field(default_factory=dict)
    cpu_seconds: float = 0.0
    """User and system CPU of the whole process tree (less moved by a busy disk than wall time)."""


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        ppid = int(fields.get("PPid", "0").strip() or 0)
        children.setdefault(ppid, []).append(int(entry.name))
        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, peak memory (MiB, the whole process tree) and CPU seconds (user and
    system, the command and the workers it waited for) of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(process.pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    stop.set()
    sampler.join()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"build failed: {' '.join(command)}\n{stderr[-3000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return seconds, peak / 2**20, cpu


def _size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def build(project: Path, case: str, n: int, **env_extra: str) -> Run:
    """One `mkdocs build` of the project, with the generator's report."""
    report = OUT / f"report-{n}-{case}.json"
    site = OUT / f"site-{n}"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOP_BUILD_REPORT": str(report), **env_extra}
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    seconds, peak, cpu = measure(command, env)
    return Run(n, case, seconds, peak, _size_mib(site), json.loads(report.read_text()), cpu)


def make_site(project: Path, case: str, n: int, **env_extra: str) -> Run:
    """One ``make site`` build (``python -m generator build``) into ``site-make-N``: the first
    records what the site was built from, later ones make only what changed
    (:mod:`generator.mkdocs_incremental`)."""
    report = OUT / f"report-{n}-{case}.json"
    report.unlink(missing_ok=True)
    site = OUT / f"site-make-{n}"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOP_BUILD_REPORT": str(report), **env_extra}
    command = [sys.executable, "-m", "generator", "--root", str(project), "build", "--site-dir", str(site)]
    seconds, peak, cpu = measure(command, env)
    return Run(n, case, seconds, peak, _size_mib(site), json.loads(report.read_text()), cpu)


def same_files(one: Path, other: Path) -> dict[str, int]:
    """How two built sites compare, file for file: files in each, and files that differ or are
    in one only (0 and 0 when a ``make site`` after a change published what a full build does)."""

    def digests(site: Path) -> dict[str, bytes]:
        return {
            p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).digest()
            for p in site.rglob("*")
            if p.is_file()
        }

    a, b = digests(one), digests(other)
    return {
        "files": len(a),
        "files_full": len(b),
        "differ": sum(1 for path in a.keys() & b.keys() if a[path] != b[path]),
        "in_one_only": len(a.keys() ^ b.keys()),
    }


def alone_build(config: Path, n: int) -> Run:
    """MkDocs (same theme, extensions and navigation) building the generator's pages as plain
    files: one build of the project :func:`prepare_alone` wrote."""
    site = OUT / f"site-alone-{n}"
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    seconds, peak, cpu = measure(command, {**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return Run(n, "mkdocs-alone", seconds, peak, _size_mib(site), cpu_seconds=cpu)


def prepare_alone(project: Path, n: int, *, downloads: bool = True) -> Path:
    """The generator's output for ``project`` written as plain files of a project without the
    plugin (same theme, extensions and navigation); returns its ``mkdocs.yml``. Without
    ``downloads``, the PDFs, Word sheets and workbooks are left out, as a ``--no-downloads``
    build leaves them unmade."""
    from generator.mkdocs_plugin import filled_nav
    from generator.pipeline.portal import Portal, PortalSettings

    alone = OUT / f"alone-{n}"
    if alone.exists():
        shutil.rmtree(alone)
    shutil.copytree(project / "docs", alone / "docs")
    shutil.copytree(project / "overrides", alone / "overrides")
    portal = Portal(PortalSettings(root=project, sources=project / "sop_sources", template_dirs=()))
    for generated in portal.generate(defer=not downloads):
        if generated.deferred:
            continue
        target = alone / "docs" / generated.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(generated.read_bytes())
    index = alone / "docs" / "index.md"
    index.write_text(portal.fill_list(index.read_text(encoding="utf-8"), "index.md"), encoding="utf-8")
    from mkdocs.utils.yaml import yaml_load  # reads the !ENV tags mkdocs.yml uses

    with (project / "mkdocs.yml").open(encoding="utf-8") as handle:
        config = yaml_load(handle)
    config["plugins"] = [p for p in config["plugins"] if not (isinstance(p, dict) and "sop-portal" in p)]
    # The same navigation as the real build: every generated section filled in.
    config["nav"] = filled_nav(config["nav"], portal)
    (alone / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return alone / "mkdocs.yml"


def zensical_build(project: Path, n: int) -> Run:
    """One build of the warm project with Zensical instead of MkDocs (``build --engine
    zensical``: the same pipeline, Zensical renders the pages), with the generator's report."""
    report = OUT / f"report-{n}-zensical.json"
    site = OUT / f"site-zensical-{n}"
    env = {**os.environ, "SOP_BUILD_REPORT": str(report), "SOP_JOBS": "2"}
    command = [sys.executable, "-m", "generator", "--root", str(project), "build", "--engine", "zensical"]
    seconds, peak, cpu = measure([*command, "--site-dir", str(site)], env)
    return Run(n, "zensical", seconds, peak, _size_mib(site), json.loads(report.read_text()), cpu)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


EDITS = int(os.environ.get("SOP_BENCH_EDITS") or 5)
"""Edits made one after another in one `mkdocs serve` session (each measured)."""

ROUNDS = int(os.environ.get("SOP_BENCH_ROUNDS") or 3)
"""Warm builds and MkDocs-alone builds, alternated, for the warm ratio (the fastest of each)."""

LARGE_ROUNDS = int(os.environ.get("SOP_BENCH_LARGE_ROUNDS") or 1)
"""The same for a corpus built without downloads (``--no-downloads``: each build is long)."""


PAGE_FIRST = "diperbarui lebih dulu"
"""What `make serve` logs when it made an edited SOP's page before the full rebuild."""


def edit_loop(project: Path, n: int, edits: int = EDITS, *, downloads: bool = True) -> Run:
    """`make serve` (``mkdocs serve --dirty``) on the warm project, a maintainer saving one
    source ``edits`` times, a few seconds apart: seconds from each save to the browsers being
    told to reload (the page updated), and to its downloads being made (not ``downloads``:
    none are, as in a ``--no-downloads`` build)."""
    import signal

    log: list[tuple[float, str]] = []
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(project / "mkdocs.yml")]
    command += ["-a", f"127.0.0.1:{_free_port()}"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOP_JOBS": "2"}
    if not downloads:
        env["SOP_BENCH_NO_DOWNLOADS"] = "1"
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    peak = 0

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            log.append((time.perf_counter(), line))

    def wait_for(text: str, after: float, timeout: float = 900) -> float:
        nonlocal peak
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            peak = max(peak, _tree_rss(process.pid))
            for moment, line in list(log):
                if moment >= after and text in line:
                    return moment
            time.sleep(0.05)
        raise SystemExit(f"edit loop: '{text}' never came:\n" + "".join(line for _, line in log[-30:]))

    threading.Thread(target=read, daemon=True).start()
    shown: list[float] = []
    whole: list[float] = []
    made: list[float] = []
    source = project / "sop_sources" / "sop" / "sop-0002.yaml"
    original = source.read_text(encoding="utf-8")
    try:
        wait_for("Serving on", 0, timeout=3600)  # (the first build: long for a large corpus)
        for _ in range(edits):
            time.sleep(3)  # the watcher's first look, then a maintainer reading the page between saves
            saved = time.perf_counter()
            # A new text each time: an edit made before would find its downloads in the cache.
            edit = f"  - no: 1\n    keterangan: disunting {time.time_ns()}\n"
            source.write_text(original.replace("  - no: 1\n", edit, 1), encoding="utf-8")
            page_at = wait_for("Reloading browsers", saved)
            shown.append(page_at - saved)
            # The edited SOP's page made first (generator/mkdocs_preview.py): the full rebuild
            # follows and reloads the browser again, with everything else the edit changed.
            first = any(saved <= moment <= page_at and PAGE_FIRST in line for moment, line in list(log))
            whole.append((wait_for("Reloading browsers", page_at + 1e-6) if first else page_at) - saved)
            if downloads:
                made.append(wait_for("dibuat setelah halamannya tampil", saved) - saved)
    finally:
        source.write_text(original, encoding="utf-8")  # the corpus as it was
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    report = {"edit_to_page_seconds": shown, "edit_to_site_seconds": whole, "edit_to_downloads_seconds": made}
    return Run(n, "edit-loop", statistics.median(shown), peak / 2**20, report=report)


def warm_rounds(project: Path, n: int, rounds: int = ROUNDS, *, downloads: bool = True) -> tuple[list[Run], list[Run]]:
    """Warm builds and MkDocs-alone builds of the same pages, alternated ``rounds`` times, so
    that both meet the same moments of a shared machine (not ``downloads``: both without the
    PDFs, Word sheets and workbooks, cases ``no-downloads-warm`` and ``no-downloads-alone``)."""
    config = prepare_alone(project, n, downloads=downloads)
    env = {"SOP_JOBS": "2"} if downloads else {"SOP_JOBS": "2", "SOP_BENCH_NO_DOWNLOADS": "1"}
    warm: list[Run] = []
    alone: list[Run] = []
    for _ in range(rounds):
        warm.append(build(project, "warm" if downloads else "no-downloads-warm", n, **env))
        alone.append(alone_build(config, n))
        if not downloads:
            alone[-1].case = "no-downloads-alone"
    return warm, alone


def page_weight(site: Path) -> dict[str, float]:
    """Sizes (KB) of what a reader downloads: SOP pages (median, largest), the search index,
    the catalogue index, the largest document page."""
    pages = sorted(p.stat().st_size for p in site.glob("sop/sop-*/index.html"))
    documents = [p.stat().st_size for p in site.glob("dokumen/**/index.html")]
    return {
        "sop_page_median_kb": pages[len(pages) // 2] / 1024 if pages else 0.0,
        "sop_page_max_kb": pages[-1] / 1024 if pages else 0.0,
        "search_index_kb": index_on_disk(site)["bytes"] / 1024,
        "catalogue_index_kb": (site / "api" / "sop.json").stat().st_size / 1024,
        "document_page_max_kb": max(documents, default=0) / 1024,
    }


def bench(n: int, *, cores: bool) -> list[Run]:
    project = make_corpus(OUT / f"corpus-{n}", n)
    runs: list[Run] = []
    if cores:
        runs.append(build(project, "cold-1core", n, SOP_JOBS="1"))
        shutil.rmtree(project / ".cache")
    runs.append(build(project, "cold", n, SOP_JOBS="2"))
    warm, alone = warm_rounds(project, n)
    runs.append(_fastest(warm))
    runs[-1].report["weight"] = page_weight(OUT / f"site-{n}")
    runs[-1].report["search"] = first_search(OUT / f"site-{n}")
    runs.append(zensical_build(project, n))
    runs.append(make_site(project, "make-site-full", n, SOP_JOBS="2"))  # no record yet: a full build
    runs.append(make_site(project, "make-site-same", n, SOP_JOBS="2"))
    source = project / "sop_sources" / "sop" / "sop-0001.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("  - no: 1\n", "  - no: 1\n    keterangan: diubah\n", 1),
        encoding="utf-8",
    )
    runs.append(build(project, "one-changed", n, SOP_JOBS="2"))
    runs.append(make_site(project, "make-site-changed", n, SOP_JOBS="2"))
    runs[-1].report["same_as_full"] = same_files(OUT / f"site-make-{n}", OUT / f"site-{n}")
    runs.append(_fastest(alone))
    runs.append(edit_loop(project, n))
    for run in runs:
        print(f"N={n:5d} {run.case:13s} {run.seconds:8.1f} s  peak {run.peak_mib:7.0f} MiB", file=sys.stderr)
    return runs


def bench_without_downloads(n: int) -> list[Run]:
    """A corpus too large to print in the time at hand (``--no-downloads N``): ``make site``
    without its PDFs, Word sheets and workbooks (``SOP_BENCH_NO_DOWNLOADS``), cold (empty
    cache), again with nothing changed, and after one changed SOP. What it measures grows
    with N in one process: loading, diagrams, pages, MkDocs, peak memory."""
    project = make_corpus(OUT / f"corpus-{n}", n)
    env = {"SOP_JOBS": "2", "SOP_BENCH_NO_DOWNLOADS": "1"}
    shutil.rmtree(OUT / f"site-make-{n}", ignore_errors=True)
    runs = [make_site(project, "no-downloads-cold", n, **env), make_site(project, "no-downloads-same", n, **env)]
    warm, alone = warm_rounds(project, n, LARGE_ROUNDS, downloads=False)
    runs += [_fastest(warm), _fastest(alone)]
    source = project / "sop_sources" / "sop" / "sop-0001.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("  - no: 1\n", "  - no: 1\n    keterangan: diubah\n", 1),
        encoding="utf-8",
    )
    runs.append(make_site(project, "no-downloads-changed", n, **env))
    runs[0].report["weight"] = page_weight(OUT / f"site-make-{n}")
    loop = edit_loop(project, n, downloads=False)
    loop.case = "no-downloads-edit-loop"
    runs.append(loop)
    for run in runs:
        print(f"N={n:5d} {run.case:13s} {run.seconds:8.1f} s  peak {run.peak_mib:7.0f} MiB", file=sys.stderr)
    return runs


def _fastest(runs: list[Run]) -> Run:
    """The fastest of repeated builds (what the code costs, less the machine's moments), with
    every run's wall and CPU seconds in its report."""
    best = min(runs, key=lambda run: run.seconds)
    best.report["rounds"] = [{"seconds": run.seconds, "cpu_seconds": run.cpu_seconds} for run in runs]
    best.cpu_seconds = min(run.cpu_seconds for run in runs)
    return best


def _stage(run: Run, name: str) -> float:
    return float(run.report.get("stages", {}).get(name, 0.0))


def _artifact_seconds(run: Run) -> float:
    """Wall seconds of the artifact stages (diagrams, PDFs, Word, workbooks; a build makes the
    downloads the cache lacks beside the pages, as its stage ``unduhan``)."""
    return sum(_stage(run, s) for s in ("diagram", "pdf", "docx", "xlsx", "unduhan"))


def table(runs: list[Run]) -> str:
    lines = [
        "| N | case | total s | load+validate | pages | diagrams | PDFs | Word | workbooks | downloads beside "
        "MkDocs | MkDocs | peak MiB | site MiB | rendered |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    # "downloads beside MkDocs": the PDFs, Word sheets and workbooks the cache lacked, made on
    # the workers while MkDocs made the pages (their wall time overlaps the MkDocs column).
    for run in runs:
        generator = sum(_stage(run, s) for s in ("muat+validasi", "diagram", "pdf", "docx", "xlsx", "halaman"))
        mkdocs = run.seconds - generator if run.report else run.seconds
        rendered = run.report.get("cache_misses", "") if run.report else ""
        lines.append(
            f"| {run.n} | {run.case} | {run.seconds:.1f} | {_stage(run, 'muat+validasi'):.2f} | "
            f"{_stage(run, 'halaman'):.2f} | {_stage(run, 'diagram'):.1f} | {_stage(run, 'pdf'):.1f} | "
            f"{_stage(run, 'docx'):.1f} | {_stage(run, 'xlsx'):.1f} | {_stage(run, 'unduhan'):.1f} | "
            f"{mkdocs:.1f} | {run.peak_mib:.0f} | "
            f"{run.site_mib:.0f} | {rendered} |"
        )
    return "\n".join(lines)


def checks(runs: list[Run]) -> list[str]:
    """The targets of the brief, each with its measured value."""
    by = {(r.n, r.case): r for r in runs}
    ns = sorted({r.n for r in runs})
    out = []
    for n in ns:
        if (n, "cold") not in by:
            out += _checks_without_downloads(by, n)
            continue
        warm, alone, changed, cold = by[(n, "warm")], by[(n, "mkdocs-alone")], by[(n, "one-changed")], by[(n, "cold")]
        pairs = [
            f"{w['seconds']:.1f}/{a['seconds']:.1f}"
            for w, a in zip(warm.report.get("rounds", []), alone.report.get("rounds", []), strict=True)
        ]
        out.append(
            f"N={n}: warm/MkDocs-alone = {warm.seconds / alone.seconds:.2f} (target <= 1.2; fastest of "
            f"{len(pairs)} alternated builds each, wall s {', '.join(pairs)}); CPU "
            f"{warm.cpu_seconds / alone.cpu_seconds:.2f} ({warm.cpu_seconds:.1f}/{alone.cpu_seconds:.1f} s); "
            f"warm rendered {warm.report['cache_misses']} artifacts (target 0)"
        )
        changed_sops = {item.split(":")[0] for item in changed.report["rendered"]}
        out.append(
            f"N={n}: one SOP changed -> rendered {changed.report['cache_misses']} artifacts, "
            f"all of {sorted(changed_sops)} (target: only sop-0001)"
        )
        with_writer = (
            _stage(cold, "muat+validasi")
            + _stage(cold, "halaman")
            + cold.report["render_cpu_seconds"]
            - cold.report["tool_cpu_seconds"]
        )
        own = with_writer - cold.report.get("writer_cpu_seconds", 0.0)
        total_cpu = (
            cold.report["render_cpu_seconds"] + _stage(cold, "muat+validasi") + _stage(cold, "halaman") + alone.seconds
        )
        out.append(
            f"N={n}: cold generator overhead (CPU beyond MkDocs and the renderers: Graphviz, WeasyPrint, "
            f"XlsxWriter writing the file) = {own:.1f} s of {total_cpu:.1f} s = {100 * own / total_cpu:.1f} % "
            f"(target < 10 %); counting XlsxWriter's writing as the generator's: {100 * with_writer / total_cpu:.1f} %"
        )
        out.append(f"N={n}: peak memory cold {cold.peak_mib:.0f} MiB, warm {warm.peak_mib:.0f} MiB (target < 1536)")
        if (n, "edit-loop") in by:
            loop = by[(n, "edit-loop")]
            shown, made = loop.report["edit_to_page_seconds"], loop.report["edit_to_downloads_seconds"]
            out.append(
                f"N={n}: edit loop (mkdocs serve --dirty, {len(shown)} saves): page updated after "
                f"{', '.join(f'{s:.1f}' for s in shown)} s (median {statistics.median(shown):.1f}, "
                f"slowest {max(shown):.1f}; target < 3), the whole site after median "
                f"{statistics.median(loop.report.get('edit_to_site_seconds') or shown):.1f} s, downloads after median "
                f"{statistics.median(made):.1f} s; serve peak {loop.peak_mib:.0f} MiB"
            )
        if (n, "make-site-changed") in by:
            full, same, edit = (by[(n, case)] for case in ("make-site-full", "make-site-same", "make-site-changed"))
            compared = edit.report["same_as_full"]
            out.append(
                f"N={n}: make site after one changed SOP {edit.seconds:.1f} s (target < 10; full "
                f"{full.seconds:.1f} s, nothing changed {same.seconds:.1f} s); published site against a full "
                f"build of the same sources: {compared['files']}/{compared['files_full']} files, "
                f"{compared['differ']} differ, {compared['in_one_only']} in one only (target 0 and 0); "
                f"peak {edit.peak_mib:.0f} MiB"
            )
        search = warm.report.get("search")
        if search:
            queries = ", ".join(f"{q['query']!r} {q['bytes'] / 1000:.0f}" for q in search["queries"])
            out.append(
                f"N={n}: first search downloads at most {search['max_bytes'] / 1000:.0f} kB "
                f"({search['max_gzip'] / 1000:.0f} kB compressed; target <= 1500 at N=1000), per query in kB: "
                f"{queries}; the whole index on disk {search['index']['bytes'] / 1000:.0f} kB in "
                f"{search['index']['files']} files"
            )
        weight = warm.report.get("weight")
        if weight:
            out.append(
                f"N={n}: SOP page median {weight['sop_page_median_kb']:.0f} KB (max {weight['sop_page_max_kb']:.0f}; "
                f"target < 80), search index {weight['search_index_kb']:.0f} KB, catalogue index "
                f"{weight['catalogue_index_kb']:.0f} KB, largest document page {weight['document_page_max_kb']:.0f} KB"
            )
    if (ns[0], "cold-1core") in by:
        one, two = (_artifact_seconds(by[(ns[0], case)]) for case in ("cold-1core", "cold"))
        out.append(
            f"N={ns[0]}: artifact stage 1 core {one:.1f} s, 2 cores {two:.1f} s, "
            f"speed-up {one / two:.2f} (target >= 1.6)"
        )
    ns = [n for n in ns if (n, "cold") in by]
    if len(ns) > 1:
        small, large = ns[0], ns[-1]
        for case in ("cold", "warm", "mkdocs-alone"):
            ratio = by[(large, case)].seconds / by[(small, case)].seconds
            size = by[(large, case)].site_mib / by[(small, case)].site_mib
            out.append(
                f"{case}: time x{ratio:.1f}, site size x{size:.1f} from N={small} to N={large} "
                f"({large // small}x the SOPs; target <= 11)"
            )
    return out


def _checks_without_downloads(by: dict[tuple[int, str], Run], n: int) -> list[str]:
    cold, same, edit, warm, alone, loop = (
        by[(n, f"no-downloads-{case}")] for case in ("cold", "same", "changed", "warm", "alone", "edit-loop")
    )
    weight = cold.report.get("weight", {})
    shown = loop.report["edit_to_page_seconds"]
    whole = loop.report.get("edit_to_site_seconds") or shown
    return [
        f"N={n} (pages and diagrams, no downloads): cold {cold.seconds:.0f} s (load+validate "
        f"{_stage(cold, 'muat+validasi'):.0f} s, diagrams {_stage(cold, 'diagram'):.0f} s, pages "
        f"{_stage(cold, 'halaman'):.0f} s), peak {cold.peak_mib:.0f} MiB (target < 2048); nothing changed "
        f"{same.seconds:.1f} s, peak {same.peak_mib:.0f} MiB; one SOP changed {edit.seconds:.1f} s, "
        f"peak {edit.peak_mib:.0f} MiB; SOP page median {weight.get('sop_page_median_kb', 0):.0f} KB "
        f"(max {weight.get('sop_page_max_kb', 0):.0f})",
        f"N={n} (no downloads): warm mkdocs build/MkDocs-alone = {warm.seconds / alone.seconds:.2f} "
        f"({warm.seconds:.0f}/{alone.seconds:.0f} s, fastest of {len(warm.report.get('rounds', []))}; CPU "
        f"{warm.cpu_seconds / alone.cpu_seconds:.2f}); make site after one changed SOP/MkDocs-alone = "
        f"{edit.seconds / alone.seconds:.2f}; nothing changed/MkDocs-alone = {same.seconds / alone.seconds:.2f}",
        f"N={n} (no downloads): edit loop (mkdocs serve --dirty, {len(shown)} saves): page updated after "
        f"{', '.join(f'{s:.1f}' for s in shown)} s (median {statistics.median(shown):.1f}; target < 3), "
        f"the whole site after {', '.join(f'{s:.1f}' for s in whole)} s; serve peak {loop.peak_mib:.0f} MiB",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "sizes", nargs="*", type=int, help="corpus sizes (default 100 500 1000, unless --no-downloads is given)"
    )
    parser.add_argument(
        "--no-downloads",
        type=int,
        action="append",
        default=[],
        metavar="N",
        help="also a corpus of N SOPs built without its downloads (pages, diagrams, MkDocs, memory)",
    )
    args = parser.parse_args()
    if not args.sizes and not args.no_downloads:
        args.sizes = [100, 500, 1000]
    OUT.mkdir(parents=True, exist_ok=True)
    runs: list[Run] = []
    for i, n in enumerate(args.sizes):
        runs += bench(n, cores=i == 0)
    for n in args.no_downloads:
        runs += bench_without_downloads(n)
    machine = f"{platform.node() and 'this machine'}: {os.cpu_count()} cores, Python {platform.python_version()}"
    text = "\n".join(
        [f"Measured {date.today().isoformat()} on {machine}.", "", table(runs), "", *[f"- {c}" for c in checks(runs)]]
    )
    print(text)
    (OUT / "results.md").write_text(text + "\n", encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps([asdict(r) for r in runs], indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
