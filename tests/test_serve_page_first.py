"""`make serve` at the size of a province: an edit to an SOP's text shows on that SOP's page
first, made from its file alone, and the full rebuild follows with everything else the edit
changes (``generator/mkdocs_preview.py``). An edit the page alone cannot show takes the full
rebuild straight away."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from .conftest import ENV, ROOT
from .test_serve import SOP, Server, server  # noqa: F401 (the fixture)

STEP = "kegiatan: Perintah untuk"
EDITED = "kegiatan: Segera perintah untuk"

IN_PROCESS = """
import json, sys, threading
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileModifiedEvent

def main():
    project, site, sop, old, new = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
    url = "http://127.0.0.1:8000/"
    def config():
        loaded = load_config(config_file=str(project / "mkdocs.yml"), site_dir=site)
        loaded.site_url = url
        return loaded
    first = config()
    first.plugins.on_startup(command="serve", dirty=True)
    build(first, serve_url=url, dirty=True)
    # As `mkdocs serve` sets it up (the server is not started: its builder is called here).
    server = LiveReloadServer(lambda: build(config(), serve_url=url, dirty=True), "127.0.0.1", 0, site)
    server.watch(str(project / "sop_sources"))
    server = first.plugins.on_serve(server, config=first, builder=server.builder)
    source = project / "sop_sources" / "sop" / f"{sop}.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    server.builder.changes.on_any_event(FileModifiedEvent(str(source)))  # what the watcher reports
    pages = {str(p): p.stat().st_mtime_ns for p in Path(site).rglob("index.html")}
    server.builder()
    page = Path(site, "sop", sop, "index.html")
    result = {
        "first": page.read_text(encoding="utf-8"),
        "rewritten": sorted(p for p, ns in pages.items() if Path(p).stat().st_mtime_ns != ns),
        "follow_up": server._want_rebuild,
        "catalogue": Path(site, "api", "sop", f"{sop}.json").read_text(encoding="utf-8"),
    }
    if not result["follow_up"]:  # a full rebuild, its after-work on a thread: now a change comes
        server._want_rebuild = True
        after = [t for t in threading.enumerate() if t.name == "sop-setelah"]
        for thread in after:
            thread.join(timeout=1.5)  # (it would idle 2 s before collecting)
        result["gave_way"] = bool(after) and not any(t.is_alive() for t in after)
    server._want_rebuild = False
    server.builder()
    result["after_work"] = [t.name for t in threading.enumerate() if t.name == "sop-setelah"]
    result["search_after"] = "".join(p.read_text(encoding="utf-8") for p in Path(site, "search", "sop").iterdir())
    result["full"] = page.read_text(encoding="utf-8")
    result["catalogue_after"] = Path(site, "api", "sop", f"{sop}.json").read_text(encoding="utf-8")
    print(json.dumps(result))

if __name__ == "__main__":
    main()
"""
"""`mkdocs serve --dirty`'s first build and two rebuilds, in one process: the builder the
plugin gives the server is called as the server calls it after the watcher saw the edit."""


def _without_tag_links(page: str) -> str:
    """The page with its role tags as plain labels. A dirty rebuild's tags plugin knows only
    the role listings that rebuild read again, so the page the full rebuild writes has its tags
    without links; the page made first keeps the last build's links. (A known limit of
    ``mkdocs serve --dirty``; ``make site`` links them.)"""
    return re.sub(r'<a href="[^"]*" class="md-tag">([^<]*)</a>', r'<span class="md-tag">\1</span>', page)


def _serve_in_process(project: Path, old: str, new: str) -> dict[str, object]:
    script = project.parent / "serve_in_process.py"
    script.write_text(IN_PROCESS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(project), str(project.parent / "served"), SOP, old, new],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**ENV, "SOP_BENCH_NO_DOWNLOADS": "1"},  # (no PDFs: not what this tests)
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_an_edited_step_shows_on_its_page_first_as_the_full_rebuild_makes_it(project_copy: Path) -> None:
    result = _serve_in_process(project_copy, STEP, EDITED)
    # The first rebuild wrote the edited SOP's page alone, with the edit, and asked for the full one.
    assert "Segera perintah untuk" in str(result["first"])
    assert result["rewritten"] == [str(project_copy.parent / "served" / "sop" / SOP / "index.html")]
    assert result["follow_up"] is True
    assert "Segera" not in str(result["catalogue"])  # the catalogue file waits for the full rebuild
    # The full rebuild then made the same page, and the rest.
    assert _without_tag_links(str(result["full"])) == _without_tag_links(str(result["first"]))
    assert "Segera perintah untuk" in str(result["catalogue_after"])
    # The edit was shown already, so the full rebuild wrote the search index and collected its
    # garbage before it reloaded the browser: nothing is left running behind the next save.
    assert result["after_work"] == []
    assert "segera" in str(result["search_after"]).lower()


def test_an_edit_with_a_new_problem_takes_the_full_rebuild_at_once(project_copy: Path) -> None:
    result = _serve_in_process(project_copy, "pelaksana: Sekcam\n", "pelaksana: Sekcamm\n")
    assert result["follow_up"] is False  # no page made first: the full rebuild ran
    assert "Sumber SOP bermasalah (1 galat)" in str(result["first"])  # its error bar on the last good page
    # What followed that rebuild on a thread (search index, collection) gave way at once to a
    # change saved meanwhile, whose page would otherwise wait for it.
    assert result["gave_way"] is True


def test_make_serve_reloads_the_page_first_then_the_whole_site(server: Server, project_copy: Path) -> None:  # noqa: F811
    source = project_copy / "sop_sources" / "sop" / f"{SOP}.yaml"
    mark = len(server.log)
    source.write_text(source.read_text(encoding="utf-8").replace(STEP, EDITED, 1), encoding="utf-8")

    def reloads() -> int:
        return sum("Reloading browsers" in line for line in server.log[mark:])

    server.wait_for(lambda: reloads() >= 2, "the page first, then the full rebuild")
    first = next(i for i, line in enumerate(server.log[mark:]) if "Reloading browsers" in line)
    assert any(f"sop/{SOP}.md diperbarui lebih dulu" in line for line in server.log[mark : mark + first])
    assert "Segera perintah untuk" in server.get(f"sop/{SOP}/")
    assert "Segera perintah untuk" in server.get(f"api/sop/{SOP}.json")
