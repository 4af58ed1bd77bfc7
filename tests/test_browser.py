"""The built portal in a real browser: Debian's Chromium, driven by Selenium through
chromium-driver, against the site served on localhost (and, built for offline use, opened
straight from disk). Accessibility is checked with axe-core, run inside the page."""

from __future__ import annotations

import contextlib
import functools
import http.server
import itertools
import json
import re
import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
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

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing address gets the portal's 404 page, as a web server set up for it does."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def site(engine_site: Path) -> Path:
    """The real project as each engine builds it (MkDocs, then Zensical): every test of the
    served portal runs against both (ids ``mkdocs`` and ``zensical``)."""
    return engine_site


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


# The search box: Material's (MkDocs) is part of the page; Zensical's is a dialog it draws in a
# shadow root when its search button is pressed. Both run the portal's worker.

ZENSICAL_FIELD = """
for (const host of document.querySelectorAll("body > *")) {
    const field = host.shadowRoot && host.shadowRoot.querySelector("dialog input");
    if (field) return field;
}
return null;
"""

SEARCH_STATE = """
for (const host of document.querySelectorAll("body > *")) {
    const root = host.shadowRoot;
    const count = root && root.querySelector("dialog [role=status]");
    if (count) {
        const notice = root.querySelector(".sop-search-notice");
        return {
            count: count.textContent,
            items: [...root.querySelectorAll("dialog [role=option]")].map(item => item.textContent),
            notice: notice && !notice.hidden ? notice.textContent : "",
        };
    }
}
const meta = document.querySelector(".md-search-result__meta");
const notice = document.querySelector(".sop-search-notice");
return {
    count: meta ? meta.textContent : "",
    items: [...document.querySelectorAll(".md-search-result__item")].map(item => item.textContent),
    notice: notice && !notice.hidden ? notice.textContent : "",
};
"""


def _open_search(driver: WebDriver, *, phone: bool = False) -> Any:
    """Open the search box as a reader does (Material: its field, on a phone its magnifier;
    Zensical: its search button) and return the field to type into."""
    zensical = bool(driver.find_elements(By.CSS_SELECTOR, ".md-search__button"))
    if phone:
        opener = "label.md-header__button[for='__search']"
    else:
        opener = ".md-search__button" if zensical else "label.md-search__icon, .md-search__input"
    driver.find_element(By.CSS_SELECTOR, opener).click()
    if zensical:
        return WebDriverWait(driver, 10).until(lambda d: d.execute_script(ZENSICAL_FIELD))
    return _wait(driver, "input.md-search__input")


def _search_state(driver: WebDriver) -> dict[str, Any]:
    """What the search box shows: the count line, each result's text and the notice under the
    count (read in one script call: the box redraws while results arrive)."""
    return dict(driver.execute_script(SEARCH_STATE))


def _results(driver: WebDriver, timeout: float = 20) -> list[str]:
    """The results' texts once they stop changing (each letter typed is searched: "L" may
    find nothing before "LKE" finds something), none once the box stays at none."""
    previous: dict[str, Any] | None = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _search_state(driver)
        if state == previous and (state["items"] or "Tidak ada" in state["count"]):
            return list(state["items"])
        previous = state
        time.sleep(0.4)
    return list(_search_state(driver)["items"])


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
    _open_search(browser).send_keys(query)
    results = _results(browser)
    assert results, f"no result for {query!r}"
    text = " ".join(results[:10]).casefold()
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
        _open_search(driver).send_keys("kinerja")
        assert _results(driver)
        seen += _requests(driver)
    finally:
        driver.quit()
    assert len(seen) > 50
    outside = sorted({u for u in seen if not u.startswith((base_url, "data:", "blob:"))})
    assert outside == []


# ---------------------------------------------------------------- accessibility

AXE_SCRIPT = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core 4.x as pinned by tests/axe/package-lock.json; `make test` installs it with npm
(`npm ci --prefix tests/axe`). The test injects it into each page: nothing is fetched."""

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
"""Every axe-core rule for WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its best practices."""

A11Y_PAGES = [
    "",  # home
    "sop/",  # Daftar SOP
    f"sop/{SOP_ID}/",  # an SOP page
    "sop/kecamatan-lumajang/",  # an instansi page (units, register)
    "jabatan/",  # role index
    "jabatan/sekretaris-kecamatan/",  # a role page
    "dasar-hukum/",  # legal bases
    "dokumen/",  # documents index
    "dokumen/lke-akip/",  # a document page
    "perbandingan/",  # comparisons index
    "perbandingan/pengumpulan-data-kinerja/",  # a comparison page
    "perlu-ditinjau/",  # review pages
    "perubahan-terbaru/",
    "panduan/cara-memakai/",  # guides
    "panduan/format-sumber/",
    "panduan/mengimpor-sop/",
    "halaman-yang-tidak-ada/",  # the 404 page, as the server answers a missing address
]
"""One page of every type the portal has (it has no tags page: roles are its tag pages)."""


@functools.cache
def _axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT.relative_to(ROOT)} is missing: `make test` installs it (npm ci --prefix tests/axe)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def _settled(driver: WebDriver) -> None:
    """Wait two frames (Material's scripts wrap tables and set up the page after `load`) and
    the end of every transition under way (an opening search fades in: colours measured
    halfway through it are not the page's)."""
    driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        requestAnimationFrame(() => requestAnimationFrame(() => {
          const ending = document.getAnimations()
            .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
            .map(a => a.finished.catch(() => null));
          Promise.all(ending).then(() => done(true));
        }));
        """
    )


def _axe(driver: WebDriver) -> list[dict[str, Any]]:
    driver.set_script_timeout(180)  # contrast is worked out element by element on long pages
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(_axe_source())
    script = """
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
           .then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));
    """
    result = json.loads(driver.execute_async_script(script, AXE_TAGS))
    assert not isinstance(result, dict), result
    violations: list[dict[str, Any]] = result
    return violations


def _describe(violations: list[dict[str, Any]], where: str) -> list[str]:
    """One line per element: the rule, the page, the element and what axe says to fix."""
    return [
        f"{v['id']} @ {where}: {' '.join(map(str, n['target']))} — "
        + " ".join(n.get("failureSummary", "").split())[:300]
        for v in violations
        for n in v["nodes"]
    ]


@contextlib.contextmanager
def _colour_scheme(driver: WebDriver, scheme: str) -> Iterator[None]:
    """The system's colour scheme, and every page opened as on a first visit: Material
    remembers the palette a page showed (localStorage) and a later page keeps it, whatever
    the system's scheme has become."""
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
    )
    forget = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": "localStorage.clear()"})
    try:
        yield
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": forget["identifier"]})
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def _wait_for_scheme(driver: WebDriver, scheme: str) -> None:
    """Material's script switches the page to the system's scheme once it has started: wait
    for it (the page first shows the palette listed first, the light one)."""
    wanted = "slate" if scheme == "dark" else "default"
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.body.getAttribute('data-md-color-scheme')") == wanted,
        f"the page does not switch to the {scheme} scheme",
    )


NESTED_BOXES = """
const scrolls = e => /(auto|scroll)/.test(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1;
const boxes = [...document.querySelectorAll("article *")].filter(scrolls);
return boxes
  .filter(e => boxes.some(outer => outer !== e && outer.contains(e)))
  .map(e => e.tagName.toLowerCase() + "." + [...e.classList].join("."));
"""
"""The content's boxes that scroll sideways inside another such box (one box per table)."""


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_accessibility_of_every_page_type(browser: WebDriver, base_url: str, scheme: str, width: int) -> None:
    """axe-core 4.x, all of its WCAG 2.2 A/AA and best-practice rules: no violation on any
    page type, in the light and the dark scheme, on a desktop and on a phone."""
    browser.set_window_size(width, 900)
    try:
        with _colour_scheme(browser, scheme):
            problems = []
            for path in A11Y_PAGES:
                browser.get(base_url + path)
                _wait_for_scheme(browser, scheme)
                _settled(browser)
                where = f"{path or 'beranda'} [{scheme} {width}px]"
                problems += _describe(_axe(browser), where)
                problems += [
                    f"scroll box in a scroll box @ {where}: {box}" for box in browser.execute_script(NESTED_BOXES)
                ]
            assert problems == [], "\n".join(problems)
    finally:
        browser.set_window_size(*DESKTOP)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_accessibility_with_search_results_and_the_menu_open(base_url: str, scheme: str) -> None:
    """The same rules over what opens on every page: the search with its results (a typo, so
    the corrected-spelling line shows too) at both widths, and the phone's drawer menu."""
    driver = _chromium()
    try:
        with _colour_scheme(driver, scheme):
            problems = []
            for width, query in ((1400, "laporran"), (390, "mengukur kinerja")):
                driver.set_window_size(width, 900)
                driver.get(base_url)
                _wait_for_scheme(driver, scheme)
                _open_search(driver, phone=width < 600).send_keys(query)
                assert _results(driver)
                if width == 1400:  # "Menampilkan hasil untuk “laporan”"
                    WebDriverWait(driver, 10).until(lambda d: _search_state(d)["notice"])
                _settled(driver)
                problems += _describe(_axe(driver), f"pencarian “{query}” [{scheme} {width}px]")
            driver.get(f"{base_url}sop/{SOP_ID}/")
            _wait_for_scheme(driver, scheme)
            driver.find_element(By.CSS_SELECTOR, "label.md-header__button[for='__drawer']").click()
            _settled(driver)
            problems += _describe(_axe(driver), f"menu ponsel [{scheme} 390px]")
            assert problems == [], "\n".join(problems)
    finally:
        driver.quit()


def test_a_wide_table_is_reached_and_scrolled_with_the_keyboard(base_url: str) -> None:
    """On a phone the register's columns do not fit: its one scroll box is in the tab order,
    named, and the arrow keys scroll it."""
    driver = _chromium()
    try:
        driver.set_window_size(*PHONE)
        driver.get(base_url + "sop/kecamatan-lumajang/")
        _settled(driver)
        box = driver.find_element(By.CSS_SELECTOR, ".sop-list .md-typeset__scrollwrap[tabindex='0'][role='region']")
        assert "Register SOP" in (box.get_attribute("aria-label") or "")
        for _ in range(300):  # Tab through the page until the box has the focus
            driver.switch_to.active_element.send_keys(Keys.TAB)
            if driver.execute_script("return document.activeElement === arguments[0]", box):
                break
        else:
            pytest.fail("the table's scroll box is never reached with Tab")
        driver.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
        WebDriverWait(driver, 5).until(lambda d: d.execute_script("return arguments[0].scrollLeft > 0", box))
    finally:
        driver.quit()


ENGLISH = re.compile(r"Made with|Material for MkDocs|Not found|Skip to content|Back to top|\bSearch\b")
"""Material's English text, which an Indonesian portal must not show."""


def test_pages_speak_indonesian_and_show_no_empty_banner(base_url: str) -> None:
    problems = []
    for path in A11Y_PAGES:
        try:
            html = urllib.request.urlopen(base_url + path).read().decode("utf-8")
        except urllib.error.HTTPError as error:
            assert error.code == 404 and path.startswith("halaman-yang-tidak-ada")
            html = error.read().decode("utf-8")
        page = ParsedPage(html)
        labels = " ".join(str(a.get("aria-label") or "") + " " + str(a.get("title") or "") for _t, a in page.tags)
        problems += [f"{path or 'beranda'}: {m}" for m in ENGLISH.findall(page.text + " " + labels)]
        # The banner is for `mkdocs serve` with source errors only, never empty.
        problems += [f"{path or 'beranda'}: banner" for tag, a in page.tags if "md-banner" in (a.get("class") or "")]
    assert problems == []
    not_found = ParsedPage(urllib.request.urlopen(base_url + "404.html").read().decode("utf-8"))
    assert "Halaman tidak ditemukan" in not_found.text


def test_skip_link_lands_before_the_downloads(browser: WebDriver, base_url: str) -> None:
    browser.get(f"{base_url}sop/{SOP_ID}/")
    skip = browser.find_element(By.CSS_SELECTOR, "a.md-skip")
    assert skip.get_attribute("textContent").strip() == "Lewati ke isi"
    target = browser.find_element(By.CSS_SELECTOR, urlparse(skip.get_attribute("href")).fragment.join(['[id="', '"]']))
    actions = browser.find_element(By.CSS_SELECTOR, ".sop-actions")
    following = browser.execute_script("return arguments[0].compareDocumentPosition(arguments[1])", target, actions)
    assert following & 4, "the download buttons come after the skip link's target"  # DOCUMENT_POSITION_FOLLOWING


DIAGRAM_CONTRAST = """
// Every line of the diagram (rules, symbol outlines, routes) against every surface it can
// cross (page, lane, header and symbol fills): the worst contrast of each kind of line.
const svg = document.querySelector(".sop-diagram svg");
const page = getComputedStyle(document.body).backgroundColor;
const parse = c => {
  const m = c.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  return [r, g, b, a];
};
const over = (top, below) =>
  top[3] >= 1 ? top : [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3])).concat(1);
const lum = c => {
  const [r, g, b] = c.slice(0, 3).map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (x, y) => { const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p); return (a + 0.05) / (b + 0.05); };
const base = parse(page);
const surfaces = [base];
for (const el of svg.querySelectorAll(".column > polygon, .header > polygon, .sym > :is(path, rect, polygon)")) {
  const fill = parse(getComputedStyle(el).fill);
  if (fill && fill[3] > 0) surfaces.push(over(fill, base));
}
const kinds = {
  "garis kolom": ".column > polygon",
  "garis judul": ".header > polygon",
  "garis baris": ".row > polygon, .strip > polygon",
  "tepi simbol": ".sym > path, .sym > rect, .sym > polygon",
  "alur": ".route > path",
};
const worst = {};
for (const [kind, css] of Object.entries(kinds)) {
  for (const el of svg.querySelectorAll(css)) {
    const style = getComputedStyle(el);
    const stroke = parse(style.stroke);
    if (!stroke || stroke[3] === 0 || style.strokeWidth === "0px") continue;
    for (const s of surfaces) {
      const r = ratio(over(stroke, s), s);
      const key = kind + " " + [...el.parentNode.classList].filter(c => c.startsWith("route-")).join(" ");
      worst[key.trim()] = Math.min(worst[key.trim()] ?? 99, r);
    }
  }
}
// The legend draws the same lines on the page.
for (const el of document.querySelectorAll(".sop-legend__icon .lg-line")) {
  const stroke = parse(getComputedStyle(el).stroke);
  const key = "legenda " + (el.classList.contains("lg-tidak") ? "alur tidak" : "alur");
  if (stroke) worst[key] = Math.min(worst[key] ?? 99, ratio(over(stroke, base), base));
}
return worst;
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_diagram_lines_and_routes_stand_out(browser: WebDriver, base_url: str, scheme: str) -> None:
    """WCAG 1.4.11: the lines that carry meaning (lanes, rows, symbols, routes) have a
    contrast of 3:1 or more against whatever they are drawn on (axe-core does not look
    inside an SVG's drawing)."""
    with _colour_scheme(browser, scheme):
        browser.get(f"{base_url}sop/{SOP_ID}/")
        _wait_for_scheme(browser, scheme)
        worst: dict[str, float] = browser.execute_script(DIAGRAM_CONTRAST)
    kinds = {"garis kolom", "tepi simbol", "alur route-flow", "alur route-tidak", "legenda alur tidak"}
    assert kinds <= set(worst), worst
    assert {kind: round(r, 2) for kind, r in worst.items() if r < 3} == {}


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
def offline_site(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    """The portal as `make site-offline` builds it, by each engine."""
    out = tmp_path_factory.mktemp(f"offline-{engine}") / "site-offline"
    env = {"SOP_OFFLINE": "true", "SOP_DIRECTORY_URLS": "false"}
    result = build(ROOT, out, "--strict", "--engine", engine, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_offline_build_works_from_disk(browser: WebDriver, offline_site: Path, engine: str) -> None:
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
    _open_search(browser).send_keys("disposisi")
    results = _results(browser)
    assert results
    assert any("disposisi" in r.casefold() for r in results)
    # Search ran in the vendored Web Worker shim, and nothing was asked of the network.
    requested = _requests(browser)
    assert any(u.endswith("/assets/javascripts/iframe-worker.js") for u in requested)
    index = "/search.js" if engine == "zensical" else "/search/search_index.js"  # each engine's inlined index
    assert any(u.endswith(index) for u in requested)
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


def _print_to_pdf(driver: WebDriver, keep: Path | None = None) -> list[str]:
    """The page as Chromium prints it (A4), each printed page's text on one line; the PDF
    is kept as ``keep``, to be looked at (``pdftoppm -png -r 50``)."""
    import base64
    import io

    from pypdf import PdfReader

    printed = driver.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69})
    data = base64.b64decode(printed["data"])
    if keep is not None:
        keep.write_bytes(data)
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_a_printed_sop_page_points_to_the_official_sheet_without_web_controls(
    browser: WebDriver, base_url: str, site: Path, tmp_path: Path
) -> None:
    """Printing the SOP page from the browser: first a line naming the official PDF sheet and
    where to get it; the content follows; buttons, search, menus, tabs and the diagram's
    hints are not printed. On screen the line is not shown."""
    browser.get(f"{base_url}sop/{SOP_ID}/")
    assert not browser.find_element(By.CSS_SELECTOR, ".sop-print-pointer").is_displayed()
    pages = _print_to_pdf(browser, tmp_path / f"{SOP_ID}.pdf")
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


# ---------------------------------------------------------------- finding the way, reading on a phone

SEVEN_LANES = [
    "Camat",
    "Sekretaris Kecamatan",
    "Kepala Seksi Pemerintahan dan Ketenteraman Umum",
    "Kepala Subbagian Umum dan Kepegawaian",
    "Kepala Seksi Pelayanan Umum",
    "Pengadministrasi Umum pada Seksi Pelayanan",
    "Petugas Loket Pelayanan Terpadu Kecamatan",
]
CAMAT, SEKCAM, KASI_PEM, KASUBBAG, KASI_PEL, ADMIN, LOKET = SEVEN_LANES
TWELVE_STEPS: list[dict[str, Any]] = [
    # (no, text, roles, how they take part, kind in words, time, needs, makes, decision)
    {"kegiatan": "Menerima permohonan surat keterangan dari warga", "roles": [LOKET], "kind": "Mulai",
     "waktu": "10 menit", "needs": ["Formulir permohonan", "KTP pemohon"], "makes": ["Lembar disposisi"]},
    {"kegiatan": "Mencatat permohonan di buku register", "roles": [ADMIN], "kind": "Proses",
     "waktu": "15 menit", "needs": ["Lembar disposisi"], "makes": ["Berkas permohonan"]},
    {"kegiatan": "Memeriksa kelengkapan berkas permohonan", "roles": [KASI_PEL], "kind": "Keputusan",
     "waktu": "20 menit", "needs": ["Berkas permohonan"], "makes": ["Berkas lengkap"], "ya": 4, "tidak": 1},
    {"kegiatan": "Rapat pembahasan permohonan", "roles": [KASI_PEL, KASI_PEM], "together": "pelaksana",
     "kind": "Proses", "waktu": "1 jam", "needs": ["Berkas lengkap"], "makes": ["Notulen rapat"]},
    {"kegiatan": "Memeriksa keadaan di lapangan", "roles": [KASI_PEM], "kind": "Proses",
     "waktu": "1 hari", "needs": ["Notulen rapat"], "makes": ["Laporan pemeriksaan"]},
    {"kegiatan": "Menyusun konsep surat keterangan", "roles": [KASUBBAG], "kind": "Proses",
     "waktu": "2 jam", "needs": ["Laporan pemeriksaan"], "makes": ["Konsep surat"]},
    {"kegiatan": "Memaraf konsep surat berjenjang", "roles": [KASUBBAG, SEKCAM], "together": "rantai",
     "kind": "Proses", "waktu": "30 menit", "needs": ["Konsep surat"], "makes": ["Konsep surat berparaf"]},
    {"kegiatan": "Meneliti konsep surat", "roles": [SEKCAM], "kind": "Keputusan",
     "waktu": "30 menit", "needs": ["Konsep surat berparaf"], "makes": ["Konsep disetujui"], "ya": 9, "tidak": 6},
    {"kegiatan": "Menandatangani surat keterangan", "roles": [CAMAT], "kind": "Proses",
     "waktu": "15 menit", "needs": ["Konsep disetujui"], "makes": ["Surat keterangan"]},
    {"kegiatan": "Memberi nomor dan cap pada surat", "roles": [ADMIN], "kind": "Proses",
     "waktu": "10 menit", "needs": ["Surat keterangan"], "makes": ["Surat bernomor"]},
    {"kegiatan": "Menyerahkan surat kepada pemohon", "roles": [LOKET], "kind": "Proses",
     "waktu": "5 menit", "needs": ["Surat bernomor"], "makes": ["Tanda terima"]},
    {"kegiatan": "Mengarsipkan salinan surat dan berkasnya", "roles": [ADMIN], "kind": "Selesai",
     "waktu": "10 menit", "needs": ["Tanda terima"], "makes": ["Arsip berkas"]},
]  # fmt: skip


def _twelve_step_sop() -> str:
    """An SOP of 12 steps in 7 lanes with long post names: two decisions, a joint step, a
    chain, a document with its template, several inputs to a step."""
    lines = [
        "id: tujuh-lajur",
        "nama_sop: Pelayanan Surat Keterangan Tujuh Pelaksana",
        "instansi: KECAMATAN UJI",
        "pelaksana:",
        *[f"  - '{role}'" for role in SEVEN_LANES],
        "langkah:",
    ]
    for no, step in enumerate(TWELVE_STEPS, 1):
        items = {
            key: ", ".join(
                "{dokumen: lembar-disposisi, teks: Lembar disposisi}" if t == "Lembar disposisi" else f"'{t}'"
                for t in step[field]
            )
            for key, field in (("kelengkapan", "needs"), ("output", "makes"))
        }
        roles = ", ".join(f"'{r}'" for r in step["roles"])
        lines += [
            f"  - no: {no}",
            f"    kegiatan: {step['kegiatan']}",
            f"    {step.get('together', 'pelaksana')}: [{roles}]",
            f"    waktu: {step['waktu']}",
            f"    kelengkapan: [{items['kelengkapan']}]",
            f"    output: [{items['output']}]",
        ]
        if "ya" in step:
            lines += ["    jenis: keputusan", f"    ya: {step['ya']}", f"    tidak: {step['tidak']}"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def phone_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A portal holding the 12-step, 7-lane SOP (with the portal's documents and glossary)."""
    project = tmp_path_factory.mktemp("ponsel")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("docs", "overrides", "sop_sources/dokumen"):
        shutil.copytree(ROOT / folder, project / folder)
    shutil.copy2(ROOT / "sop_sources" / "portal.yaml", project / "sop_sources" / "portal.yaml")
    sources = project / "sop_sources" / "sop"
    sources.mkdir(parents=True)
    (sources / "tujuh-lajur.yaml").write_text(_twelve_step_sop(), encoding="utf-8")
    site = project / "site"
    result = build(project, site, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


OVERFLOWING = """
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('article *')]
        .filter(el => !el.closest('.sop-diagram, table[data-sop-stack] > thead'))
        .filter(el => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5);
        })
        .map(el => el.tagName.toLowerCase() + '.' + el.className + ' ' + el.textContent.slice(0, 40));
"""
"""Elements of the page reaching past the viewport (aside from the diagram's drawing in its scroll
box and the header rows that a stacked table keeps for screen readers, clipped to nothing)."""


def test_a_phone_reads_every_step_of_a_twelve_step_seven_lane_sop(phone_site: str) -> None:
    driver = _chromium()
    try:
        driver.set_window_size(*PHONE)
        driver.get(f"{phone_site}sop/tujuh-lajur/")
        width = driver.execute_script("return document.documentElement.clientWidth")
        assert 360 <= width <= 390
        assert driver.execute_script("return document.documentElement.scrollWidth") <= width
        assert not driver.find_element(By.CSS_SELECTOR, ".sop-steps table").is_displayed()  # the cards instead
        cards = driver.find_elements(By.CSS_SELECTOR, ".sop-cards .sop-card")
        assert len(cards) == 12
        for no, (card, step) in enumerate(zip(cards, TWELVE_STEPS, strict=True), 1):
            assert card.is_displayed()
            text = card.text
            head = card.find_element(By.CSS_SELECTOR, ".sop-card__head").text
            assert head.startswith(f"Langkah {no}") and head.endswith(step["kind"]), head
            for expected in (step["kegiatan"], *step["roles"], step["waktu"], *step["needs"], *step["makes"]):
                assert expected in text, f"langkah {no}: {expected!r} not in {text!r}"
            if "ya" in step:
                back = "kembali ke" if step["tidak"] < no else "ke"
                assert f"Jika Tidak\n{back} langkah {step['tidak']}" in text, text
                assert f"Jika Ya\nke langkah {step['ya']}" in text, text
            left, right = driver.execute_script(
                "const r = arguments[0].getBoundingClientRect(); return [r.left, r.right]", card
            )
            assert left >= 0 and right <= width, f"langkah {no} reaches {right} px of {width}"
            size = driver.execute_script(
                "return parseFloat(getComputedStyle(arguments[0].querySelector('.sop-card__text')).fontSize)", card
            )
            assert size >= 14, f"langkah {no}: text of {size} px"
        # The joint step and the chain say how their performers take part.
        assert "(bersama)" in cards[3].text and "(berurutan)" in cards[6].text
        # The Excel template of a document is a tap away from the step that names it.
        link = cards[0].find_element(By.CSS_SELECTOR, "a.sop-doc-link")
        assert link.get_attribute("href").endswith("-lembar-disposisi.xlsx")
        assert driver.execute_script(OVERFLOWING) == []
        # The diagram is one tap from the cards, its hint stands before it, its legend after.
        driver.find_element(By.LINK_TEXT, "Lihat diagram alir").click()
        top = "return document.getElementById('diagram-alir').getBoundingClientRect().top"
        WebDriverWait(driver, 5).until(lambda d: abs(d.execute_script(top)) < 80)
        order = driver.execute_script("""
            const at = s => document.querySelector(s);
            const before = (a, b) => Boolean(at(a).compareDocumentPosition(at(b)) & Node.DOCUMENT_POSITION_FOLLOWING);
            return [before('.sop-diagram-hint, .sop-diagram-note', '.sop-diagram'),
                    before('.sop-diagram', '.sop-legend')];
        """)
        assert order == [True, True]
        hint = driver.find_element(By.CSS_SELECTOR, ".sop-diagram-hint, .sop-diagram-note")
        assert hint.is_displayed() and "geser" in hint.text.casefold()
        legend = driver.find_element(By.CSS_SELECTOR, ".sop-legend")
        for words in ("Kapsul", "Kotak", "Belah ketupat", "Panah berwarna", "Garis putus-putus", "satu baris"):
            assert words in legend.text, words
        # At desktop width the same steps are the table, and the cards are gone.
        driver.set_window_size(1400, 900)
        driver.get(f"{phone_site}sop/tujuh-lajur/")
        assert not driver.find_element(By.CSS_SELECTOR, ".sop-cards").is_displayed()
        assert len(driver.find_elements(By.CSS_SELECTOR, ".sop-steps tbody tr")) == 12
        assert driver.find_element(By.CSS_SELECTOR, ".sop-steps table").is_displayed()
    finally:
        driver.quit()


def test_the_desktop_home_page_has_a_menu_to_every_view(browser: WebDriver, base_url: str) -> None:
    browser.set_window_size(1400, 900)
    try:
        browser.get(base_url)
        tabs = browser.find_element(By.CSS_SELECTOR, ".md-tabs")
        assert tabs.is_displayed()
        links = {a.text: a.get_attribute("href") for a in tabs.find_elements(By.CSS_SELECTOR, "a") if a.is_displayed()}
        for name, path in (
            ("Daftar SOP", "sop/"),
            ("Tugas per jabatan", "jabatan/"),
            ("Dasar hukum", "dasar-hukum/"),
            ("Dokumen", "dokumen/"),
            ("Peninjauan", "perlu-ditinjau/"),
        ):
            assert links.get(name) == base_url + path, (name, links)
        # The same menu on an SOP page, which is not in it.
        browser.get(f"{base_url}sop/{SOP_ID}/")
        assert browser.find_element(By.CSS_SELECTOR, ".md-tabs").is_displayed()
    finally:
        browser.set_window_size(*DESKTOP)


@pytest.mark.parametrize(
    ("path", "trail"),
    [
        ("jabatan/sekretaris-kecamatan/", [("Tugas per jabatan", "jabatan/")]),
        ("dokumen/lke-akip/", [("Dokumen", "dokumen/")]),
        ("perbandingan/pengumpulan-data-kinerja/", [("Perbandingan", "perbandingan/")]),
        (f"sop/{SOP_ID}/", [("Daftar SOP", "sop/"), ("KECAMATAN DAWARBLANDONG", "sop/kecamatan-dawarblandong/")]),
        ("perlu-ditinjau/", [("Beranda", ""), ("Peninjauan", "perlu-ditinjau/")]),
    ],
)
def test_breadcrumbs_lead_back_up(browser: WebDriver, base_url: str, path: str, trail: list[tuple[str, str]]) -> None:
    browser.get(base_url + path)
    crumbs = browser.find_element(By.CSS_SELECTOR, "nav.sop-trail, nav.md-path")
    assert crumbs.is_displayed()
    links = [(a.text, a.get_attribute("href")) for a in crumbs.find_elements(By.CSS_SELECTOR, "a")]
    assert links == [(text, base_url + target) for text, target in trail]


def test_sop_page_jump_links_and_contents_lead_to_its_parts(browser: WebDriver, base_url: str) -> None:
    for width in (1400, 390):
        browser.set_window_size(width, 900)
        try:
            browser.get(f"{base_url}sop/{SOP_ID}/")
            jumps = browser.find_element(By.CSS_SELECTOR, ".sop-jumps")
            assert jumps.is_displayed()
            # Near the top: on the first screen, even of a phone.
            assert browser.execute_script("return arguments[0].getBoundingClientRect().bottom", jumps) < 844
            names = [a.text for a in jumps.find_elements(By.CSS_SELECTOR, "a")]
            assert names == ["Identitas", "Dasar hukum", "Prosedur", "Formulir"]
            for a in jumps.find_elements(By.CSS_SELECTOR, "a"):
                target = a.get_attribute("href").split("#")[1]
                assert browser.execute_script("return document.getElementById(arguments[0]) !== null", target), target
            if width == 1400:  # Material's table of contents beside the page, with the same parts
                toc = browser.find_element(By.CSS_SELECTOR, ".md-sidebar--secondary .md-nav")
                assert toc.is_displayed()
                entries = [a.get_attribute("href").split("#")[1] for a in toc.find_elements(By.CSS_SELECTOR, "a")]
                assert {"identitas", "dasar-hukum", "prosedur", "formulir"} <= set(entries)
        finally:
            browser.set_window_size(*DESKTOP)


def test_a_phone_sees_sops_first_and_maintainer_notes_folded(base_url: str) -> None:
    driver = _chromium()
    try:
        driver.set_window_size(*PHONE)
        driver.get(base_url)
        first = driver.find_element(By.CSS_SELECTOR, ".sop-list a")
        height = driver.execute_script("return window.innerHeight")
        assert driver.execute_script("return arguments[0].getBoundingClientRect().bottom", first) < height
        maintainer = driver.find_element(By.XPATH, "//details[summary[contains(., 'Untuk pengelola')]]")
        assert maintainer.get_attribute("open") is None
        # The menu is one tap away: the drawer lists every view.
        driver.find_element(By.CSS_SELECTOR, "label.md-header__button[for='__drawer']").click()
        WebDriverWait(driver, 5).until(
            lambda d: (
                "Tugas per jabatan"
                in [a.text for a in d.find_elements(By.CSS_SELECTOR, ".md-nav--primary a") if a.is_displayed()]
            )
        )
        shown = [a.text for a in driver.find_elements(By.CSS_SELECTOR, ".md-nav--primary a") if a.is_displayed()]
        assert {"Daftar SOP", "Tugas per jabatan", "Dasar hukum", "Dokumen", "Peninjauan"} <= set(shown)
        driver.get(f"{base_url}sop/{SOP_ID}/")
        folded = driver.find_element(By.CSS_SELECTOR, "details.sop-maintainer")
        assert folded.get_attribute("open") is None
        assert not driver.find_element(By.CSS_SELECTOR, ".sop-source").is_displayed()
        # Tables other than the SOP list stack their columns, each cell named by its column.
        driver.get(f"{base_url}jabatan/sekretaris-kecamatan/")
        cell = driver.find_element(By.CSS_SELECTOR, "table[data-sop-stack] td[data-label='Kegiatan']")
        assert cell.is_displayed()
        label = driver.execute_script("return getComputedStyle(arguments[0], '::before').content", cell)
        assert label == '"Kegiatan"'
        assert driver.execute_script(OVERFLOWING) == []
    finally:
        driver.quit()
