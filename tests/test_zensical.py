"""Zensical, the second site engine: the seeds built with it publish what the MkDocs build
publishes (the same pages, each SOP page with its diagram, step table and downloads, the same
download files), with the same Indonesian search data, atomically like MkDocs builds."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator.pipeline.portal import DIAGRAM_MARKER, LIST_MARKER
from generator.zensical_engine import SEARCH_UI, SEARCH_WORKER, UI_WORDS

from .conftest import ROOT, ParsedPage, build, built_site, minimal_sop, site_sops

DOWNLOADS = (".pdf", ".xlsx", ".docx")


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory, "zensical")


def _html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def _page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _steps(html: str) -> list[str]:
    """The step numbers of an SOP page's step table."""
    table = html.split('<div class="sop-steps">', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<td class="sop-no">([^<]*)</td>', table)


def _links(html: str, css_class: str) -> list[str]:
    """The ``href`` of each link inside the elements of a class (downloads: ``sop-actions``)."""
    parts = html.split(f'class="{css_class}"')[1:]
    return [href for part in parts for href in re.findall(r'href="([^"]+)"', part.split("</div>", 1)[0])]


def test_both_engines_publish_the_same_pages(site: Path, zensical_site: Path) -> None:
    assert _html_pages(zensical_site) == _html_pages(site)
    assert len(_html_pages(site)) > 40


def test_every_sop_page_has_its_diagram_step_table_and_downloads(site: Path, zensical_site: Path) -> None:
    sops = site_sops(zensical_site)
    assert len(sops) == 5
    for sop in sops:
        url = sop["url"].strip("/")
        mkdocs_page, zensical_page = _page(site, url), _page(zensical_site, url)
        assert DIAGRAM_MARKER not in zensical_page
        diagram = zensical_page.split('class="sop-diagram', 1)[1][:3000]
        assert "<svg" in diagram and 'role="img"' in diagram, url
        assert _steps(zensical_page) == _steps(mkdocs_page) != [], url
        downloads = _links(zensical_page, "sop-actions")
        assert downloads == _links(mkdocs_page, "sop-actions") and len(downloads) == 3, url
        for href in downloads:
            assert (zensical_site / url / href).resolve().is_file(), (url, href)
        workbooks = re.findall(r'class="sop-doc-link" href="([^"]+)"', zensical_page)
        assert workbooks == re.findall(r'class="sop-doc-link" href="([^"]+)"', mkdocs_page), url
        for href in workbooks:
            assert (zensical_site / url / href).resolve().is_file(), (url, href)


def test_the_download_files_are_the_same(site: Path, zensical_site: Path) -> None:
    def downloads(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.suffix in DOWNLOADS}

    made = downloads(zensical_site)
    assert made.keys() == downloads(site).keys()
    assert {Path(name).suffix for name in made} == set(DOWNLOADS)
    assert made == downloads(site)  # byte for byte: both come from the same cache
    for folder in ("api", "schema"):
        files = {p.relative_to(site).as_posix() for p in (site / folder).rglob("*") if p.is_file()}
        assert files == {
            p.relative_to(zensical_site).as_posix() for p in (zensical_site / folder).rglob("*") if p.is_file()
        }
        for name in files:
            assert (zensical_site / name).read_bytes() == (site / name).read_bytes(), name


def test_the_home_page_lists_the_sops_and_explains_abbreviations(site: Path, zensical_site: Path) -> None:
    html = (zensical_site / "index.html").read_text(encoding="utf-8")
    assert LIST_MARKER not in html and "sop:daftar" not in html
    listed = set(re.findall(r'href="(sop/[^"#]+)"', html.split('class="sop-list', 1)[1]))
    assert {sop["url"] for sop in site_sops(zensical_site)} <= listed
    sop_page = _page(zensical_site, site_sops(zensical_site)[0]["url"].strip("/"))
    mkdocs_page = _page(site, site_sops(site)[0]["url"].strip("/"))
    explained = set(re.findall(r'<abbr title="([^"]+)"', sop_page))
    assert explained and explained == set(re.findall(r'<abbr title="([^"]+)"', mkdocs_page))


def test_the_menu_holds_every_generated_section(site: Path, zensical_site: Path) -> None:
    def menu(root: Path) -> set[str]:
        """The pages the menu links to (Zensical writes the page itself as ``././``)."""
        page = ParsedPage((root / "jabatan" / "index.html").read_text(encoding="utf-8"))
        links = [
            attrs.get("href") or ""
            for tag, attrs in page.tags
            if tag == "a" and "md-nav__link" in (attrs.get("class") or "")
        ]
        return {urljoin("http://portal/jabatan/", href) for href in links}

    assert menu(zensical_site) == menu(site)


def test_the_search_index_carries_the_portal_search_data(site: Path, zensical_site: Path) -> None:
    """The portal's search files are written from Zensical's sections as from MkDocs' (by the
    same engine-neutral function): the same kinds of files, the same pages, SOPs, numbers."""

    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in (root / "search").rglob("*") if p.is_file()}

    def kinds(root: Path) -> set[str]:
        return {re.sub(r"-[0-9-]+\.js$", "", name) for name in files(root)}

    assert kinds(zensical_site) == kinds(site)
    made = json.loads((zensical_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    reference = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert made["config"]["sop"].keys() == reference["config"]["sop"].keys()

    def searched(root: Path) -> str:
        return " ".join((root / name).read_text(encoding="utf-8") for name in sorted(files(root)))

    for sop in site_sops(zensical_site):
        for text in (searched(zensical_site), searched(site)):
            assert sop["url"] in text and sop["nomor"] in text


def test_a_source_error_leaves_the_previous_site_untouched(project_copy: Path) -> None:
    out = project_copy / "site"
    first = build(project_copy, out, "--engine", "zensical")
    assert first.returncode == 0, first.stderr
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    (project_copy / "sop_sources" / "sop" / "rusak.yaml").write_text(
        minimal_sop("rusak").replace("waktu: 10 menit", "waktu: [10"), encoding="utf-8"
    )
    failed = build(project_copy, out, "--engine", "zensical")
    assert failed.returncode == 1
    assert "rusak.yaml" in failed.stderr and "situs sebelumnya tidak diubah" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert not list(project_copy.glob(".site.*")), "a staging folder was left behind"


def test_a_failing_zensical_build_leaves_the_previous_site_untouched(project_copy: Path) -> None:
    out = project_copy / "site"
    assert build(project_copy, out, "--engine", "zensical").returncode == 0
    index = (out / "index.html").read_bytes()
    main = project_copy / "overrides" / "main.html"  # a broken theme override: Zensical cannot render
    main.write_text(main.read_text(encoding="utf-8").replace("{{ super() }}", "{{ super( }}", 1), encoding="utf-8")
    failed = build(project_copy, out, "--engine", "zensical")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Zensical gagal membangun situs" in failed.stderr and "situs sebelumnya tidak diubah" in failed.stderr
    assert (out / "index.html").read_bytes() == index
    assert not list(project_copy.glob(".site.*")), "a staging folder was left behind"


def test_the_engine_is_chosen_on_the_command_line_and_make() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "ENGINE ?= mkdocs" in makefile and "build --engine $(ENGINE)" in makefile
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    pinned = [line for line in lock if line.startswith("zensical==")]
    assert pinned and pinned[0] in (ROOT / "requirements.in").read_text(encoding="utf-8")


def test_an_sop_page_shows_its_roles_before_its_content(site: Path, zensical_site: Path) -> None:
    """Material puts a page's tags (an SOP's roles) above it; Zensical's own partial puts them
    below: the staging theme puts them first again."""
    url = site_sops(site)[0]["url"].strip("/")
    for root in (site, zensical_site):
        html = _page(root, url)
        assert html.index('class="md-tags"') < html.index('class="sop-trail"'), root


def test_the_search_box_speaks_indonesian(zensical_site: Path) -> None:
    (bundle,) = (zensical_site / "assets" / "javascripts").glob("bundle.*.js")
    script = bundle.read_text(encoding="utf-8")
    for english, indonesian in UI_WORDS.items():
        assert english not in script and indonesian in script
    html = (zensical_site / "index.html").read_text(encoding="utf-8")
    assert SEARCH_WORKER in html and SEARCH_UI in html
    index = json.loads((zensical_site / "search.json").read_text(encoding="utf-8"))
    assert index["config"]["sop"] and not any("tags" in item for item in index["items"])
