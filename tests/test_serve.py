"""`make serve` (``mkdocs serve --dirty``) as a maintainer uses it: a source saved with an error
keeps the last good site served, with the errors on every page (MkDocs alone leaves every
request hanging until the error is fixed); edits under ``overrides/`` rebuild too."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import ENV, ParsedPage

SOP = "pace-pengumpulan-data-kinerja"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """A running ``mkdocs serve`` and what it has logged."""

    def __init__(self, project: Path) -> None:
        self.port = _free_port()
        self.log: list[str] = []
        config = str(project / "mkdocs.yml")
        self.process = subprocess.Popen(
            # As `make serve` runs it: a dirty build redoes only the pages an edit changed.
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", config, "-a", f"127.0.0.1:{self.port}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=ENV,
            start_new_session=True,  # its own process group: stopped with its render workers
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        try:
            for line in self.process.stdout:
                self.log.append(line)
        except ValueError:  # the pipe was closed at teardown
            pass

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        raise AssertionError(f"{what} did not happen:\n" + "".join(self.log[-40:]))

    def logged(self, text: str, after: int = 0) -> bool:
        return any(text in line for line in self.log[after:])

    def get(self, path: str) -> str:
        # A short timeout: a request that hangs (MkDocs' behaviour after a failed rebuild) fails.
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=10) as response:
            return str(response.read().decode("utf-8"))


@pytest.fixture
def server(project_copy: Path) -> Iterator[Server]:
    running = Server(project_copy)
    try:
        running.wait_for(lambda: running.logged("Serving on"), "the first build")
        yield running
    finally:
        os.killpg(running.process.pid, signal.SIGTERM)
        running.process.wait(timeout=30)
        assert running.process.stdout is not None
        running.process.stdout.close()


def _rebuilt(server: Server, mark: int) -> Callable[[], bool]:
    return lambda: server.logged("Reloading browsers", after=mark) or server.logged("stuck", after=mark)


def test_a_source_error_keeps_the_last_good_site_served(server: Server, project_copy: Path) -> None:
    page = f"sop/{SOP}/"
    assert "PENGUMPULAN DATA KINERJA" in server.get(page)
    assert "sop-serve-errors" not in server.get(page)
    other = next(p.stem for p in (project_copy / "sop_sources" / "sop").glob("*.yaml") if p.stem != SOP)
    other_json = server.get(f"api/sop/{other}.json")

    source = project_copy / "sop_sources" / "sop" / f"{SOP}.yaml"
    good = source.read_text(encoding="utf-8")
    mark = len(server.log)
    source.write_text(good.replace("pelaksana: Sekcam\n", "pelaksana: Sekcamm\n", 1), encoding="utf-8")
    server.wait_for(_rebuilt(server, mark), "the rebuild after the error")
    assert not server.logged("stuck", after=mark), "MkDocs would leave every request hanging"
    assert server.logged("pratinjau tetap menampilkan versi terakhir yang benar", after=mark)

    served = ParsedPage(server.get(page))
    assert "PENGUMPULAN DATA KINERJA" in served.text  # the last good page
    assert "Sumber SOP bermasalah (1 galat)" in served.text
    assert f"sop_sources/sop/{SOP}.yaml:" in served.text and "Sekcamm" in served.text
    assert "Sumber SOP bermasalah" in server.get("")  # on every page

    mark = len(server.log)
    fixed_source = good.replace("nama_sop: PENGUMPULAN DATA KINERJA", "nama_sop: PENGUMPULAN DATA KINERJA BARU")
    source.write_text(fixed_source, encoding="utf-8")
    server.wait_for(_rebuilt(server, mark), "the rebuild after the fix")
    fixed = server.get(page)
    assert "PENGUMPULAN DATA KINERJA BARU" in fixed and "sop-serve-errors" not in fixed
    # The catalogue files an edit changes are served anew; the others stay as they were.
    assert "PENGUMPULAN DATA KINERJA BARU" in server.get(f"api/sop/{SOP}.json")
    assert "PENGUMPULAN DATA KINERJA BARU" in server.get("api/sop.json")
    assert server.get(f"api/sop/{other}.json") == other_json
    # Review notices are said when they are new (the renamed SOP's), not again on every save.
    notices = [line for line in server.log[mark:] if "perlu ditinjau" in line]
    assert notices and all("BARU" in line for line in notices), notices
    assert len([line for line in server.log[:mark] if "perlu ditinjau" in line]) > len(notices)
    assert server.logged("sama seperti tadi (tidak diulang)", after=mark)
    # The page came first; the new name's PDFs follow, into the served site. The page's
    # links to them are not reported broken meanwhile.
    server.wait_for(lambda: server.logged("dibuat setelah halamannya tampil", after=mark), "the downloads")
    assert not server.logged("not found among documentation files", after=mark), "".join(server.log[mark:])
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/unduh/{SOP}/{SOP}-lembar-sop.pdf", timeout=10) as pdf:
        text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf.read())).pages)
    assert "PENGUMPULAN DATA KINERJA BARU" in text, "".join(server.log[mark:])


def test_edits_to_the_stylesheet_rebuild(server: Server, project_copy: Path) -> None:
    stylesheet = project_copy / "overrides" / "assets" / "stylesheets" / "sop.css"
    assert ".sop-uji-serve" not in server.get("assets/stylesheets/sop.css")
    mark = len(server.log)
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\n.sop-uji-serve { color: red; }\n")
    server.wait_for(_rebuilt(server, mark), "the rebuild after a stylesheet edit")
    assert ".sop-uji-serve" in server.get("assets/stylesheets/sop.css")
