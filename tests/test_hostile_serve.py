"""`make serve` (``mkdocs serve --dirty``) meeting careless edits (issue 26): an SOP whose id
changed, or that was deleted, no longer answers at its old address with its old page and
PDF; a date no review can be counted from keeps the last good site served and never leaves
a request hanging."""

from __future__ import annotations

import os
import re
import signal
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ParsedPage
from .test_serve import SOP, Server, _rebuilt

SHEET = f"unduh/{SOP}/{SOP}-lembar-sop.pdf"


@pytest.fixture
def server(project_copy: Path) -> Iterator[Server]:
    """A running ``mkdocs serve --dirty`` of a copy of the project (as in test_serve)."""
    running = Server(project_copy)
    try:
        running.wait_for(lambda: running.logged("Serving on"), "the first build")
        yield running
    finally:
        os.killpg(running.process.pid, signal.SIGTERM)
        running.process.wait(timeout=30)
        assert running.process.stdout is not None
        running.process.stdout.close()


def _status(server: Server, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/{path}", timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_a_renamed_sop_no_longer_answers_at_its_old_address(server: Server, project_copy: Path) -> None:
    assert _status(server, f"sop/{SOP}/") == 200 and _status(server, SHEET) == 200
    source = project_copy / "sop_sources" / "sop" / f"{SOP}.yaml"
    text = source.read_text(encoding="utf-8")
    assert f"id: {SOP}\n" in text
    mark = len(server.log)
    source.write_text(text.replace(f"id: {SOP}\n", "id: pace-data-kinerja-baru\n", 1), encoding="utf-8")
    server.wait_for(_rebuilt(server, mark), "the rebuild after the rename")
    assert "PENGUMPULAN DATA KINERJA" in ParsedPage(server.get("sop/pace-data-kinerja-baru/")).text
    assert _status(server, f"sop/{SOP}/") == 404  # the old page is gone
    assert _status(server, SHEET) == 404  # and its PDF
    assert _status(server, f"api/sop/{SOP}.json") == 404
    server.wait_for(lambda: server.logged("dibuat setelah halamannya tampil", after=mark), "the new downloads")
    new_sheet = "unduh/pace-data-kinerja-baru/pace-data-kinerja-baru-lembar-sop.pdf"
    assert _status(server, new_sheet) == 200


def test_a_deleted_sop_no_longer_answers(server: Server, project_copy: Path) -> None:
    """Sibling: the source removed (no new id to go to)."""
    mark = len(server.log)
    (project_copy / "sop_sources" / "sop" / f"{SOP}.yaml").unlink()
    server.wait_for(_rebuilt(server, mark), "the rebuild after the deletion")
    assert _status(server, f"sop/{SOP}/") == 404 and _status(server, SHEET) == 404
    assert SOP not in server.get("api/sop.json")


@pytest.mark.parametrize("far", ["31 Desember 9999", "9999-12-31"])
def test_a_far_date_keeps_the_last_good_site_served(server: Server, project_copy: Path, far: str) -> None:
    source = project_copy / "sop_sources" / "sop" / f"{SOP}.yaml"
    text = source.read_text(encoding="utf-8")
    mark = len(server.log)
    source.write_text(re.sub(r"(?m)^tanggal_efektif:.*$", f"tanggal_efektif: {far}", text, count=1), encoding="utf-8")
    assert far in source.read_text(encoding="utf-8")
    server.wait_for(_rebuilt(server, mark), "the rebuild after the far date")
    assert not server.logged("Traceback", after=mark), "".join(server.log[mark:])
    page = ParsedPage(server.get(f"sop/{SOP}/"))  # answers (a request would hang after a crash)
    assert "Sumber SOP bermasalah (1 galat)" in page.text and "9999" in page.text
