"""How close each PDF is to the cheapest page WeasyPrint can make: the seeds' official sheet
and checklist timed against a bare one-page table of the same rows (the floor), in one run.

    .venv/bin/python -m benchmarks.pdf_floor [rounds]

Prints per-document milliseconds and the ratio to the floor (median of the rounds).
"""

from __future__ import annotations

import html
import statistics
import sys
import time
from pathlib import Path

from generator.print.checklist import render_checklist
from generator.print.pdf import render_pdf
from generator.print.printing import PrintSettings, stylesheet
from generator.print.sheet import render_sheet
from generator.sources.catalogue import load_catalogue
from generator.templating import template_environment

ROOT = Path(__file__).resolve().parent.parent


def bare_table(rows: list[tuple[str, str, str]]) -> str:
    """One A4 page: a plain table of the steps (number, activity, time), the portal's fonts."""
    body = "".join(
        f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td><td>{html.escape(c)}</td></tr>" for a, b, c in rows
    )
    return (
        f"<html><head><style>{stylesheet()}@page {{ size: A4; margin: 15mm }}</style></head><body>"
        f"<table><tr><th>No</th><th>Kegiatan</th><th>Waktu</th></tr>{body}</table></body></html>"
    )


def timed(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    catalogue = load_catalogue(ROOT / "sop_sources", ROOT)
    env = template_environment(())
    settings = PrintSettings(root=ROOT)
    render_pdf(bare_table([("1", "pemanasan", "1 menit")]), root=ROOT)  # WeasyPrint's import and fonts
    floor, sheet, checklist = [], [], []
    for _ in range(rounds):
        for sop in catalogue.sops:
            rows = [(s.no, s.kegiatan, s.waktu.text if s.waktu else "") for s in sop.langkah]
            floor.append(timed(lambda rows=rows: render_pdf(bare_table(rows), root=ROOT)))
            sheet.append(timed(lambda sop=sop: render_sheet(sop, env, settings)))
            checklist.append(timed(lambda sop=sop: render_checklist(sop, env, settings)))
    base = statistics.median(floor)
    print(f"floor (bare one-page table of the steps): {1000 * base:.0f} ms")
    for name, times in (("official sheet", sheet), ("checklist", checklist)):
        median = statistics.median(times)
        print(f"{name}: {1000 * median:.0f} ms = {median / base:.1f} x the floor")


if __name__ == "__main__":
    main()
