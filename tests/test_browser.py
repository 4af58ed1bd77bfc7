"""The built portal in a real browser: Debian's Chromium, driven by Selenium through
chromium-driver, against the site served on localhost (and, built for offline use, opened
straight from disk). Accessibility is checked with axe-core, run inside the page."""

from __future__ import annotations

import functools
import http.server
import itertools
import json
import re
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import ROOT, ParsedPage, build

SOP_ID = "dawarblandong-pengukuran-data-kinerja"
PHONE = (390, 844)
DESKTOP = (1366, 900)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 (a free port)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _chromium() -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        # Chromium's own background traffic (updates, sync) is not the portal's: keep it off
        # so that the network log holds only what the pages ask for.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-features=Translate,OptimizationHints,MediaRouter",
        # No flag that loosens file:// rules: the offline portal must work in a plain browser.
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_window_size(*DESKTOP)
    return driver


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    driver = _chromium()
    yield driver
    driver.quit()


def _requests(driver: WebDriver) -> list[str]:
    """URLs the pages requested since the last call (from Chromium's performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _wait(driver: WebDriver, css: str, timeout: float = 15) -> Any:
    return WebDriverWait(driver, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


# ---------------------------------------------------------------- pages


def test_home_lists_every_sop(browser: WebDriver, base_url: str) -> None:
    browser.get(base_url)
    links = {a.get_attribute("href"): a.text for a in browser.find_elements(By.CSS_SELECTOR, ".sop-list a")}
    catalogue = json.loads(urllib.request.urlopen(base_url + "api/sop.json").read())
    assert {base_url + s["url"]: s["nama"] for s in catalogue["sops"]} == links


def test_sop_page_shows_diagram_table_and_working_downloads(browser: WebDriver, base_url: str) -> None:
    browser.get(f"{base_url}sop/{SOP_ID}/")
    diagram = browser.find_element(By.CSS_SELECTOR, ".sop-diagram svg")
    assert diagram.is_displayed() and diagram.size["width"] > 300
    assert diagram.get_attribute("role") == "img"
    rows = browser.find_elements(By.CSS_SELECTOR, ".sop-steps tbody tr")
    assert len(rows) == 11
    buttons = {a.text: a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".sop-actions a")}
    assert set(buttons) == {"Cetak lembar SOP (PDF)", "Unduh daftar periksa (PDF)", "Unduh Word"}
    for name, href in buttons.items():
        with urllib.request.urlopen(href) as response:
            start = response.read(5)
            assert response.status == 200 and start == (b"PK\x03\x04\x14" if name == "Unduh Word" else b"%PDF-"), name
    word = urllib.request.urlopen(buttons["Unduh Word"]).read()
    assert b"word/document.xml" in word  # a Word document, not just any zip
    workbooks = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a.sop-doc-link")]
    assert workbooks
    for href in set(workbooks):
        with urllib.request.urlopen(href) as response:
            assert response.read(2) == b"PK", href  # an .xlsx is a zip


def test_every_internal_link_image_and_download_resolves(site: Path, base_url: str) -> None:
    """Crawl the whole site over HTTP from the home page: no 404, no missing anchor."""
    pages: dict[str, ParsedPage] = {}
    checked: dict[str, int] = {}
    queue = [base_url]
    anchors: list[tuple[str, str, str]] = []
    while queue:
        url = queue.pop()
        if url in pages:
            continue
        with urllib.request.urlopen(url) as response:
            parser = ParsedPage(response.read().decode("utf-8"))
        pages[url] = parser
        for link in parser.links:
            target, fragment = urldefrag(urljoin(url, link))
            if urlparse(target).netloc != urlparse(base_url).netloc:
                continue
            if target not in checked:
                try:
                    with urllib.request.urlopen(target) as response:
                        checked[target] = response.status
                        kind = response.headers.get("Content-Type", "")
                except urllib.error.HTTPError as error:
                    checked[target] = error.code
                    kind = ""
                if kind.startswith("text/html") and target not in pages:
                    queue.append(target)
            if fragment and target.endswith(("/", ".html")):
                anchors.append((url, target, fragment))
    broken = {url: status for url, status in checked.items() if status != 200}
    assert broken == {}
    missing = [(page, target, f) for page, target, f in anchors if target in pages and f not in pages[target].ids]
    assert missing == []
    html_files = {p for p in site.rglob("*.html") if p.name != "404.html"}
    assert len(pages) >= len(html_files) - 1, "every page is reachable by links"
    kinds = {Path(urlparse(u).path).suffix for u in checked}
    assert {".pdf", ".xlsx", ".svg", ".css", ".js", ".json"} <= kinds, kinds


@pytest.mark.parametrize("query", ["disposisi", "LKE", "Sekcam", "065/975/416"])
def test_search_finds_what_staff_type(browser: WebDriver, base_url: str, query: str) -> None:
    browser.get(base_url)
    browser.find_element(By.CSS_SELECTOR, "label.md-search__icon, .md-search__input").click()
    box = _wait(browser, "input.md-search__input")
    box.send_keys(query)
    WebDriverWait(browser, 20).until(
        lambda d: (
            d.find_elements(By.CSS_SELECTOR, ".md-search-result__item")
            or "Tidak ada" in d.find_element(By.CSS_SELECTOR, ".md-search-result__meta").text
        )
    )
    results = browser.find_elements(By.CSS_SELECTOR, ".md-search-result__item")
    assert results, f"no result for {query!r}"
    text = " ".join(r.text for r in results[:10]).casefold()
    assert query.casefold().split("/")[0] in text


PHONE_PAGES = [
    "",
    f"sop/{SOP_ID}/",
    "sop/lumajang-pengumpulan-data-kinerja/",
    "jabatan/",
    "jabatan/sekretaris-kecamatan/",
    "dasar-hukum/",
    "dokumen/",
    "dokumen/lke-akip/",
    "perbandingan/pengumpulan-data-kinerja/",
    "perlu-ditinjau/",
    "perubahan-terbaru/",
    "panduan/format-sumber/",
]


def test_phone_width_has_no_sideways_page_scroll(base_url: str) -> None:
    """On a phone only the diagram and wide tables scroll sideways, inside their own box."""
    driver = _chromium()
    try:
        driver.set_window_size(*PHONE)
        for path in PHONE_PAGES:
            driver.get(base_url + path)
            width = driver.execute_script("return document.documentElement.clientWidth")
            scroll = driver.execute_script("return document.documentElement.scrollWidth")
            assert scroll <= width, f"{path or 'home'} scrolls sideways ({scroll} > {width})"
        driver.get(f"{base_url}sop/{SOP_ID}/")
        box = driver.find_element(By.CSS_SELECTOR, ".sop-diagram")
        assert driver.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", box)
    finally:
        driver.quit()


def test_no_request_leaves_localhost(base_url: str) -> None:
    driver = _chromium()
    try:
        _requests(driver)
        seen = []
        for path in PHONE_PAGES:
            driver.get(base_url + path)
            seen += _requests(driver)
        driver.get(base_url)
        driver.find_element(By.CSS_SELECTOR, "label.md-search__icon, .md-search__input").click()
        _wait(driver, "input.md-search__input").send_keys("kinerja")
        _wait(driver, ".md-search-result__item", 20)
        seen += _requests(driver)
    finally:
        driver.quit()
    assert len(seen) > 50
    outside = sorted({u for u in seen if not u.startswith((base_url, "data:", "blob:"))})
    assert outside == []


# ---------------------------------------------------------------- accessibility

AXE_RULES = [
    "color-contrast",
    "document-title",
    "empty-heading",
    "heading-order",
    "html-has-lang",
    "image-alt",
    "link-name",
    "td-headers-attr",
    "th-has-data-cells",
]
"""axe-core rules for what the issue asks: headings in order, tables with header cells,
text alternatives for images, contrast. (The bundled axe-core 3.1 predates its SVG rules;
the diagram's text alternative is checked directly below.)"""


def _axe(driver: WebDriver) -> list[dict[str, Any]]:
    driver.set_script_timeout(120)  # contrast is worked out element by element on long pages
    Axe(driver).inject()  # the axe-core bundled with the package: nothing is fetched
    script = """
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: "rule", values: arguments[0]}})
           .then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));
    """
    result = json.loads(driver.execute_async_script(script, AXE_RULES))
    assert not isinstance(result, dict), result
    violations: list[dict[str, Any]] = result
    return violations


def _describe(violations: list[dict[str, Any]]) -> list[str]:
    return [f"{v['id']}: {n['target']} {n.get('failureSummary', '')[:160]}" for v in violations for n in v["nodes"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_accessibility_in_both_colour_schemes(browser: WebDriver, base_url: str, scheme: str) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
    )
    try:
        browser.get(base_url)
        browser.execute_script("localStorage.clear()")  # no remembered choice: follow the system
        problems = []
        for path in PHONE_PAGES:
            browser.get(base_url + path)
            chosen = browser.execute_script("return document.body.getAttribute('data-md-color-scheme')")
            assert chosen == ("slate" if scheme == "dark" else "default")
            problems += [f"{path or 'home'} {p}" for p in _describe(_axe(browser))]
        assert problems == []
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_diagrams_and_headings_have_text(browser: WebDriver, base_url: str) -> None:
    browser.get(f"{base_url}sop/{SOP_ID}/")
    svg = browser.find_element(By.CSS_SELECTOR, ".sop-diagram svg")
    labelled = svg.get_attribute("aria-labelledby") or ""
    title = browser.execute_script("return arguments[0].querySelector('title')?.textContent || ''", svg)
    assert "Pengukuran Data Kinerja" in title and labelled
    levels = [int(h.tag_name[1]) for h in browser.find_elements(By.CSS_SELECTOR, "article h1, article h2, article h3")]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))


# ---------------------------------------------------------------- offline (file://)


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The portal as `make site-offline` builds it."""
    out = tmp_path_factory.mktemp("offline") / "site-offline"
    result = build(ROOT, out, "--strict", env={"SOP_OFFLINE": "true", "SOP_DIRECTORY_URLS": "false"})
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_offline_build_works_from_disk(browser: WebDriver, offline_site: Path) -> None:
    home = (offline_site / "index.html").as_uri()
    _requests(browser)  # forget earlier tests' requests
    browser.get(home)
    link = browser.find_element(By.CSS_SELECTOR, f'.sop-list a[href$="{SOP_ID}.html"]')
    link.click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith(f"{SOP_ID}.html"))
    assert browser.find_element(By.CSS_SELECTOR, ".sop-diagram svg").is_displayed()
    hrefs = [a.get_attribute("href") or "" for a in browser.find_elements(By.CSS_SELECTOR, "article a[href]")]
    local = [h for h in hrefs if h.startswith("file://")]
    assert local and all(Path(urlparse(h).path).exists() for h in local), "every link points at a file"
    assert not any(re.search(r"/$", urlparse(h).path) for h in local), "no folder links: file:// shows no index"
    browser.get(home)
    browser.find_element(By.CSS_SELECTOR, "label.md-search__icon, .md-search__input").click()
    _wait(browser, "input.md-search__input").send_keys("disposisi")
    results = WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".md-search-result__item"))
    assert results
    assert any("disposisi" in r.text.casefold() for r in results)
    # Search ran in the vendored Web Worker shim, and nothing was asked of the network.
    requested = _requests(browser)
    assert any(u.endswith("/assets/javascripts/iframe-worker.js") for u in requested)
    assert any(u.endswith("/search/search_index.js") for u in requested)
    assert [u for u in requested if not u.startswith(("file://", "data:"))] == []
    html = (offline_site / "index.html").read_text(encoding="utf-8")
    assert "://" not in "".join(re.findall(r'<script[^>]+src="([^"]+)"', html))


def _lanes_sop(sop_id: str, lanes: int) -> str:
    roles = [f"Pejabat Nomor {n} Bidang Urusan" for n in range(1, lanes + 1)]
    steps = "\n".join(
        f"  - {{no: {i}, kegiatan: Melaksanakan tahap {i}, pelaksana: '{roles[(i * 3) % lanes]}', waktu: 10 menit}}"
        for i in range(1, 7)
    )
    return (
        f"id: {sop_id}\nnama_sop: Diagram {lanes} kolom\ninstansi: KANTOR UJI\npelaksana:\n"
        + "".join(f"  - '{r}'\n" for r in roles)
        + f"langkah:\n{steps}\n"
    )


@pytest.fixture(scope="module")
def wide_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A portal holding an 8-lane and a 12-lane SOP, served on 127.0.0.1."""
    project = tmp_path_factory.mktemp("lebar")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("docs", "overrides"):
        shutil.copytree(ROOT / folder, project / folder)
    sources = project / "sop_sources" / "sop"
    sources.mkdir(parents=True)
    (sources / "delapan.yaml").write_text(_lanes_sop("delapan", 8), encoding="utf-8")
    (sources / "dua-belas.yaml").write_text(_lanes_sop("dua-belas", 12), encoding="utf-8")
    site = project / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_diagram_of_eight_lanes_is_seen_whole_at_desktop_width(wide_site: str) -> None:
    driver = _chromium()
    try:
        driver.set_window_size(1400, 1000)
        driver.get(f"{wide_site}sop/delapan/")
        box = _wait(driver, ".sop-diagram")
        svg = driver.find_element(By.CSS_SELECTOR, ".sop-diagram svg")
        # Nothing hidden: the box does not scroll and the drawing ends inside the content column.
        assert not driver.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth + 1", box)
        right = driver.execute_script("return arguments[0].getBoundingClientRect().right", svg)
        column = driver.execute_script("return document.querySelector('.md-content').getBoundingClientRect().right")
        assert right <= column + 1
        assert not driver.find_elements(By.CSS_SELECTOR, ".sop-diagram-hint")
    finally:
        driver.quit()


def test_a_wider_diagram_scrolls_in_its_box_with_a_hint_and_a_full_size_link(wide_site: str) -> None:
    driver = _chromium()
    try:
        for width in (1400, 390):
            driver.set_window_size(width, 1000)
            driver.get(f"{wide_site}sop/dua-belas/")
            box = _wait(driver, ".sop-diagram--wide")
            assert driver.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", box)
            hint = driver.find_element(By.CSS_SELECTOR, ".sop-diagram-hint")
            assert hint.is_displayed() and "12 kolom pelaksana" in hint.text
            page = driver.execute_script("return document.documentElement.scrollWidth")
            assert page <= driver.execute_script("return document.documentElement.clientWidth")
        link = driver.find_element(By.LINK_TEXT, "Buka diagram ukuran penuh")
        assert link.get_attribute("href").endswith("/unduh/dua-belas/dua-belas-diagram.svg")
        assert link.get_attribute("target") == "_blank"
    finally:
        driver.quit()


# ---------------------------------------------------------------- printing a page (Ctrl+P)


def _print_to_pdf(driver: WebDriver, name: str | None = None) -> list[str]:
    """The page as Chromium prints it (A4), each printed page's text on one line; the PDF
    is kept in ``build/test-prints/<name>.pdf`` to be looked at."""
    import base64
    import io

    from pypdf import PdfReader

    printed = driver.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69})
    data = base64.b64decode(printed["data"])
    if name:
        folder = ROOT / "build" / "test-prints"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.pdf").write_bytes(data)
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_a_printed_sop_page_points_to_the_official_sheet_without_web_controls(
    browser: WebDriver, base_url: str, site: Path
) -> None:
    """Printing the SOP page from the browser: first a line naming the official PDF sheet and
    where to get it; the content follows; buttons, search, menus, tabs and the diagram's
    hints are not printed. On screen the line is not shown."""
    browser.get(f"{base_url}sop/{SOP_ID}/")
    assert not browser.find_element(By.CSS_SELECTOR, ".sop-print-pointer").is_displayed()
    pages = _print_to_pdf(browser, SOP_ID)
    text = " ".join(pages)
    sheet = f"{SOP_ID}-lembar-sop.pdf"
    assert pages[0].startswith(f"Lembar SOP resmi untuk ditandatangani: {sheet} — unduh dari halaman ini"), pages[0]
    assert f"{base_url}unduh/{SOP_ID}/{sheet}" in "".join(pages[0].split()), "the sheet's address"
    assert (site / "unduh" / SOP_ID / sheet).is_file()
    for web_only in (
        "Cetak lembar SOP (PDF)",
        "Unduh daftar periksa (PDF)",
        "Unduh Word",
        "Buka diagram ukuran penuh",
        "Unduh diagram alir (SVG)",
        "Geser ke samping",
        "Portal SOP Administrasi Pemerintahan",  # the header
        "Cara memakai portal",  # the navigation
        "Lewati ke isi",  # the skip link
    ):
        assert web_only not in text, web_only
    assert not [p for p in pages if "Cari" in p.split()], "the search box"
    catalogue = json.loads((site / "api" / "sop" / f"{SOP_ID}.json").read_text(encoding="utf-8"))
    for heading in ("Dasar Hukum", "Prosedur", "Formulir dan templat"):
        assert heading in text, heading
    for step in catalogue["steps"]:
        words = step["kegiatan"].split()
        # A step's row is never split between pages: its first and last words on one page.
        first, last = " ".join(words[:3]), " ".join(words[-2:])
        assert any(first in page and last in page for page in pages), step["kegiatan"]


def test_a_printed_page_keeps_each_heading_with_its_text(browser: WebDriver, base_url: str) -> None:
    """Eighty headings, each followed by a paragraph of 1 to 9 lines, fill many printed pages:
    no heading ends a page with its text on the next (Chromium moves it along)."""
    browser.get(f"{base_url}sop/{SOP_ID}/")
    browser.execute_script("""
        let html = "";
        for (let n = 1; n <= 80; n++) {
          html += `<h2>Judul bagian ${n}</h2><p>Isi bagian ${n} mulai.${" kata".repeat(14 * (1 + (n * 7) % 9))}</p>`;
        }
        document.querySelector("article").insertAdjacentHTML("beforeend", html);
    """)
    pages = _print_to_pdf(browser)
    assert len(pages) > 10
    apart = [n for n in range(1, 81) if not any(f"Judul bagian {n} Isi bagian {n} mulai" in page for page in pages)]
    assert apart == [], "headings printed apart from their text"
