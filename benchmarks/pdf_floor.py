"""How close each PDF is to the cheapest page WeasyPrint can make: the seeds' official sheet
and checklist timed against a bare one-page table of the same rows (the floor), in one run.

    .venv/bin/python -m benchmarks.pdf_floor [rounds]

Prints per-document milliseconds and the ratio to the floor (median of the rounds), and the
PDFs' sizes. The floor is made as the documents are (the print stylesheet parsed once per
process, fonts gathered once per process), so the ratio counts only what the documents add.
"""

from __future__ import annotations

import html
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from generator.print.checklist import render_checklist
from generator.print.pdf import RenderedPdf, render_pdf
from generator.print.printing import PrintSettings, stylesheet
from generator.print.sheet import Sheet, render_sheet
from generator.sources.catalogue import load_catalogue
from generator.templating import template_environment

ROOT = Path(__file__).resolve().parent.parent


def bare_table(rows: list[tuple[str, str, str]]) -> str:
    """One A4 page: a plain table of the steps (number, activity, time), the portal's fonts."""
    body = "".join(
        f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td><td>{html.escape(c)}</td></tr>" for a, b, c in rows
    )
    return (
        "<html><head><style>@page { size: A4; margin: 15mm }</style></head><body>"
        f"<table><tr><th>No</th><th>Kegiatan</th><th>Waktu</th></tr>{body}</table></body></html>"
    )


def floor_pdf(rows: list[tuple[str, str, str]]) -> RenderedPdf:
    """The floor: the bare table, printed with the print stylesheet."""
    return render_pdf(bare_table(rows), root=ROOT, stylesheets=(stylesheet(),))


def timed(work: Callable[[], object], sizes: list[int]) -> float:
    """Seconds ``work`` takes; the size of the PDF it makes goes to ``sizes``."""
    started = time.perf_counter()
    made = work()
    elapsed = time.perf_counter() - started
    pdf = made.pdf if isinstance(made, Sheet) else made
    assert isinstance(pdf, RenderedPdf)
    sizes.append(len(pdf.data))
    return elapsed


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    catalogue = load_catalogue(ROOT / "sop_sources", ROOT)
    env = template_environment(())
    settings = PrintSettings(root=ROOT)
    floor_pdf([("1", "pemanasan", "1 menit")])  # WeasyPrint's import and fonts
    floor: list[float] = []
    sheet: list[float] = []
    checklist: list[float] = []
    sizes: dict[str, list[int]] = {"floor": [], "sheet": [], "checklist": []}
    for _ in range(rounds):
        for sop in catalogue.sops:
            rows = [(s.no, s.kegiatan, s.waktu.text if s.waktu else "") for s in sop.langkah]
            floor.append(timed(lambda rows=rows: floor_pdf(rows), sizes["floor"]))
            sheet.append(timed(lambda sop=sop: render_sheet(sop, env, settings), sizes["sheet"]))
            checklist.append(timed(lambda sop=sop: render_checklist(sop, env, settings), sizes["checklist"]))
    count = len(catalogue.sops)
    base = statistics.median(floor)
    print(f"floor (bare one-page table of the steps): {1000 * base:.0f} ms, {sum(sizes['floor'][:count])} bytes")
    for name, key, times in (("official sheet", "sheet", sheet), ("checklist", "checklist", checklist)):
        median = statistics.median(times)
        total = sum(sizes[key][:count])
        print(f"{name}: {1000 * median:.0f} ms = {median / base:.1f} x the floor, {total} bytes for {count} SOPs")


if __name__ == "__main__":
    main()
