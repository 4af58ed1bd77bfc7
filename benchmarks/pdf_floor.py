"""How close each PDF is to the cheapest page WeasyPrint can make: the seeds' official sheet
and checklist timed against a bare one-page table of the same rows (the floor), in one run.

    .venv/bin/python -m benchmarks.pdf_floor [rounds]

Prints per-document milliseconds (median of the rounds), the ratio to the floor, where the
time goes (Graphviz, WeasyPrint, the generator's own Python) and the PDFs' sizes. Besides the
wall-clock time, the CPU time (this process's and Graphviz's): on a machine others share, the
wall clock counts their work too, the CPU time much less so.

Two floors: the floor as first defined, whose page carries the print stylesheet in its own
``<style>`` (parsed again for each page, as every document's was), and the lean floor, printed
as the documents now are (the stylesheet parsed once per process). Both share the process's
fonts, since every PDF goes through :func:`generator.print.pdf.render_pdf`.
"""

from __future__ import annotations

import html
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.print.checklist import render_checklist
from generator.print.pdf import RenderedPdf, render_pdf
from generator.print.printing import PrintSettings, stylesheet
from generator.print.sheet import Sheet, render_sheet
from generator.print.timing import TOOL_SECONDS
from generator.sources.catalogue import load_catalogue
from generator.templating import template_environment

ROOT = Path(__file__).resolve().parent.parent


def bare_table(rows: list[tuple[str, str, str]], css: str = "") -> str:
    """One A4 page: a plain table of the steps (number, activity, time), with ``css`` in its
    ``<style>``."""
    body = "".join(
        f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td><td>{html.escape(c)}</td></tr>" for a, b, c in rows
    )
    return (
        f"<html><head><style>{css}@page {{ size: A4; margin: 15mm }}</style></head><body>"
        f"<table><tr><th>No</th><th>Kegiatan</th><th>Waktu</th></tr>{body}</table></body></html>"
    )


def floor_pdf(rows: list[tuple[str, str, str]]) -> RenderedPdf:
    """The floor as first defined: the print stylesheet inside the page, parsed with it."""
    return render_pdf(bare_table(rows, stylesheet()), root=ROOT)


def lean_floor_pdf(rows: list[tuple[str, str, str]]) -> RenderedPdf:
    """The lean floor: the bare table with the print stylesheet parsed once per process."""
    return render_pdf(bare_table(rows), root=ROOT, stylesheets=(stylesheet(),))


def _cpu_seconds() -> float:
    """CPU seconds of this process and of the child processes it has waited for (Graphviz)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # os.times() counts in 10 ms ticks
    return time.process_time() + children.ru_utime + children.ru_stime


@dataclass
class Timings:
    """What one kind of document took, document by document."""

    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    tools: dict[str, float] = field(default_factory=lambda: {name: 0.0 for name in TOOL_SECONDS})

    def time(self, work: Callable[[], object]) -> None:
        """Run ``work`` once, noting its time, its tools' time and its PDF's size."""
        tools = dict(TOOL_SECONDS)
        cpu = _cpu_seconds()
        started = time.perf_counter()
        made = work()
        self.seconds.append(time.perf_counter() - started)
        self.cpu.append(_cpu_seconds() - cpu)
        for name, spent in TOOL_SECONDS.items():
            self.tools[name] += spent - tools[name]
        pdf = made.pdf if isinstance(made, Sheet) else made
        assert isinstance(pdf, RenderedPdf)
        self.sizes.append(len(pdf.data))

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    def split(self) -> str:
        """Shares of the total time: each tool's, and the rest (the generator's own)."""
        total = sum(self.seconds)
        own = total - sum(self.tools.values())
        parts = [f"{name} {100 * spent / total:.0f}%" for name, spent in self.tools.items() if spent]
        return ", ".join([*parts, f"own {100 * own / total:.0f}%"])


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    catalogue = load_catalogue(ROOT / "sop_sources", ROOT)
    env = template_environment(())
    settings = PrintSettings(root=ROOT)
    lean_floor_pdf([("1", "pemanasan", "1 menit")])  # WeasyPrint's import and fonts
    kinds = {name: Timings() for name in ("floor", "lean floor", "official sheet", "checklist")}
    for _ in range(rounds):
        for sop in catalogue.sops:
            rows = [(s.no, s.kegiatan, s.waktu.text if s.waktu else "") for s in sop.langkah]
            kinds["floor"].time(lambda rows=rows: floor_pdf(rows))
            kinds["lean floor"].time(lambda rows=rows: lean_floor_pdf(rows))
            kinds["official sheet"].time(lambda sop=sop: render_sheet(sop, env, settings))
            kinds["checklist"].time(lambda sop=sop: render_checklist(sop, env, settings))
    count = len(catalogue.sops)
    floor, lean = kinds["floor"], kinds["lean floor"]
    for name, kind in kinds.items():
        wall = f"{1000 * kind.median:.0f} ms"
        cpu = f"CPU {1000 * kind.median_cpu:.0f} ms"
        if "floor" not in name:
            wall += f" = {kind.median / floor.median:.1f} x the floor, {kind.median / lean.median:.1f} x lean"
            cpu += f" = {kind.median_cpu / floor.median_cpu:.1f} x, {kind.median_cpu / lean.median_cpu:.1f} x lean"
        print(f"{name}: {wall}; {cpu}; {sum(kind.sizes[:count])} bytes for {count} SOPs; {kind.split()}")


if __name__ == "__main__":
    main()
