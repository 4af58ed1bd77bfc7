"""Rendering jobs: one artifact each (diagram, PDF, workbook), run here or on worker processes."""

from __future__ import annotations

import multiprocessing
import posixpath
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

import jinja2

from generator.model.documents import Document
from generator.model.problems import PortalError, RenderError
from generator.model.register import Register
from generator.model.sop import Sop, Step
from generator.office.register import render_register_workbook
from generator.office.word import render_word
from generator.office.workbook import PAPER_CODES, WorkbookContext, render_workbook
from generator.office.xlsx import writer_total
from generator.print.checklist import render_checklist
from generator.print.diagram import web_diagram
from generator.print.printing import PrintSettings, document_datetime
from generator.print.register import render_register
from generator.print.sheet import render_sheet
from generator.print.timing import tool_total
from generator.templating import template_environment

WORKER_BATCH = 400
"""Artifacts rendered by one pool of workers before it is replaced by a fresh one."""

FEW_BESIDE = 16
"""Up to this many artifacts made beside other work of the build's own process (the pages
while MkDocs makes them) go to one worker process: a second would start up again (import
WeasyPrint, load its fonts) and take the core the pages need."""


@dataclass(frozen=True)
class Job:
    """One artifact to render: picklable, so it can go to a worker process."""

    stage: str
    kind: str
    path: str
    suffix: str
    sop: Sop | None = None
    document: Document | None = None
    steps: tuple[Step, ...] = ()
    register: Register | None = None
    """For an instansi's register (``daftar-sop``, ``daftar-sop-xlsx``)."""


class Rendered(NamedTuple):
    """One rendered artifact and what it cost."""

    data: bytes
    pages: int
    """Pages of a PDF, sheets of a workbook (1 for a diagram)."""
    seconds: float
    tool_seconds: float
    """Part of ``seconds`` spent inside Graphviz or WeasyPrint."""
    writer_seconds: float = 0.0
    """Part of ``seconds`` spent inside XlsxWriter writing a workbook out."""


@cache
def _worker_env(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    return template_environment(template_dirs)


def _render(job: Job, printing: PrintSettings, template_dirs: tuple[Path, ...]) -> Rendered:
    """Render one artifact."""
    started = time.perf_counter()
    tools_before, writer_before = tool_total(), writer_total()
    env = _worker_env(template_dirs)
    if job.kind == "diagram":
        assert job.sop is not None
        data, pages = web_diagram(job.sop).svg.encode("utf-8"), 1
    elif job.kind == "lembar-sop":
        assert job.sop is not None
        pdf = render_sheet(job.sop, env, printing).pdf
        data, pages = pdf.data, pdf.pages
    elif job.kind == "daftar-periksa":
        assert job.sop is not None
        checklist = render_checklist(job.sop, env, printing)
        data, pages = checklist.data, checklist.pages
    elif job.kind == "daftar-sop":
        assert job.register is not None
        pdf = render_register(job.register, env, printing, fixed_date())
        data, pages = pdf.data, pdf.pages
    elif job.kind == "daftar-sop-xlsx":
        assert job.register is not None
        paper = PAPER_CODES.get(printing.paper, PAPER_CODES["A4"])
        data, pages = render_register_workbook(job.register, paper, document_datetime(None)), 1
    elif job.kind == "lembar-word":
        assert job.sop is not None
        sop = job.sop
        folder = printing.layout.artifact(sop, "")

        def link(document_id: str) -> str:
            # The workbook's address: on the published portal when its address is known,
            # else next to the file (as downloaded from the portal's own folder).
            path = printing.layout.workbook(document_id, sop)
            return printing.address(path) or posixpath.relpath(path, folder)

        data, pages = render_word(sop, printing.paper_for(sop), link), 2
    else:
        assert job.document is not None
        context = WorkbookContext(sop=job.sop, steps=job.steps, created=document_datetime(job.sop))
        data, pages = render_workbook(job.document, context), len(job.document.sheets)
    return Rendered(
        data, pages, time.perf_counter() - started, tool_total() - tools_before, writer_total() - writer_before
    )


def fixed_date() -> str:
    """The metadata date of a file made for no single SOP (a register): SOURCE_DATE_EPOCH,
    else 1 January 2000, never the clock."""
    return document_datetime(None).strftime("%Y-%m-%dT%H:%M:%SZ")


def _render_star(args: tuple[Job, PrintSettings, tuple[Path, ...]]) -> Rendered:
    job = args[0]
    try:
        return _render(*args)
    except PortalError:
        raise
    except jinja2.TemplateError as exc:
        where = f"{getattr(exc, 'filename', None) or getattr(exc, 'name', None) or 'templat'}"
        line = getattr(exc, "lineno", None)
        raise RenderError(f"templat {where}{f' baris {line}' if line else ''} rusak: {exc.message}") from None
    except Exception as exc:  # reported, with what was being made, instead of a worker's traceback
        owner = (
            job.sop.id
            if job.sop
            else job.document.id
            if job.document
            else job.register.instansi
            if job.register
            else "?"
        )
        raise RenderError(f"{job.kind} untuk {owner} gagal dibuat: {type(exc).__name__}: {exc}") from None


def run_jobs(
    jobs: list[Job], printing: PrintSettings, template_dirs: tuple[Path, ...], workers: int, *, beside: bool = False
) -> Iterator[Rendered]:
    """Render jobs, in order: here for a handful, else on worker processes. ``beside``: this
    process has other work meanwhile (it is a thread of the build): every job goes to a
    worker process, :data:`FEW_BESIDE` or fewer to one.

    Workers start afresh for every batch: WeasyPrint's caches grow with each document,
    and a fresh pool keeps a thousand-SOP build's memory flat (Python 3.11's own worker
    recycling, ``max_tasks_per_child``, can hang the pool).
    """
    args = [(job, printing, template_dirs) for job in jobs]
    if beside:
        workers = 1 if len(args) <= FEW_BESIDE else max(workers, 1)
    elif len(args) < 2 or workers < 2:
        yield from map(_render_star, args)
        return
    for first in range(0, len(args), WORKER_BATCH):
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            yield from pool.map(_render_star, args[first : first + WORKER_BATCH], chunksize=2)
