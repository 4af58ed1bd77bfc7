"""Search that speaks Indonesian: the build-time data (generator/web/search.py) and the
portal's search worker (overrides/assets/javascripts/sop-search.js) in a real Chromium, typed
into Material's real search box, online and from disk, on the seeds and on SOPs of other
offices (tests/cases/offices) whose words appear nowhere in the seeds."""

from __future__ import annotations

import bisect
import functools
import http.server
import json
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from benchmarks.search_bytes import serve
from generator.model.shared import DeclaredRole, GlossaryTerm, SharedCatalogue
from generator.web.search import (
    SopEntry,
    affix_stem,
    enrich,
    plain,
    sastrawi_stem,
    stem_map,
    synonym_groups,
    words,
)
from generator.web.search_index import build_search_files, read_search_files, sections, write_search_index

from .conftest import ROOT, build
from .test_browser import ZENSICAL_FIELD, _chromium, _QuietHandler, _wait

OFFICES = ROOT / "tests" / "cases" / "offices"
WORKER = ROOT / "overrides" / "assets" / "javascripts" / "sop-search.js"

# ---------------------------------------------------------------- build-time data


def _same_word(a: str, b: str) -> bool:
    """Whether the worker finds ``b`` for ``a``: the same Sastrawi stem or the same affix stem."""
    return sastrawi_stem(a) == sastrawi_stem(b) or affix_stem(a) == affix_stem(b)


@pytest.mark.parametrize(
    "forms",
    [
        ["mengukur", "pengukuran", "ukur", "diukur"],
        ["menegakkan", "penegakan"],
        ["dihukum", "hukuman", "hukum"],
        ["pengumpulan", "mengumpulkan", "kumpul", "dikumpulkan"],
        ["menerbitkan", "penerbitan", "diterbitkan", "terbit"],
        ["memeriksa", "pemeriksaan", "diperiksa"],
    ],
)
def test_word_forms_meet_at_one_stem(forms: list[str]) -> None:
    for other in forms[1:]:
        assert _same_word(forms[0], other), (forms[0], other)


def test_different_words_keep_different_stems() -> None:
    assert not _same_word("kinerja", "kerjasama")
    assert not _same_word("surat", "saran")
    assert affix_stem("disposisi") != affix_stem("komposisi")


def test_numbers_are_one_word_and_label_and_value_are_two() -> None:
    text = plain("<td>Nomor SOP</td> <td>065 / 112 / 416-317 / 2023</td>")
    assert words(text)[:3] == ["nomor", "sop", "065/112/416-317/2023"]
    assert "416" in words(text)  # its parts are words too
    assert words("Kasi/Kasubbag Sub-Bagian") == ["kasi", "kasubbag", "sub", "bagian"]
    assert words("Rp 1.500.000,-") == ["rp", "1.500.000", "1", "500", "000"]


def test_stem_map_holds_only_what_changes() -> None:
    stems = stem_map(["pengukuran", "ukur", "kinerja", "427.90/26", "di", "diukur"])
    assert stems["pengukuran"] == "ukur" and stems["diukur"] == "ukur"
    assert "ukur" not in stems and "427.90/26" not in stems and "di" not in stems


def test_synonym_groups_join_roles_and_glossary_sharing_a_name() -> None:
    shared = SharedCatalogue(
        roles=(DeclaredRole("sekretaris-kecamatan", "Sekretaris Kecamatan", ("Sekcam", "Sekretaris Camat")),),
        glossary=(
            GlossaryTerm("Sekcam", "Sekretaris Kecamatan"),
            GlossaryTerm("Kasubbag", "Kepala Subbagian", ("Kasubag",)),
        ),
    )
    groups = synonym_groups(shared)
    assert ["sekretaris kecamatan", "sekcam", "sekretaris camat"] in groups
    assert ["kasubbag", "kepala subbagian", "kasubag"] in groups
    assert len(groups) == 2


def test_enrich_marks_kinds_and_names_each_sops_instansi_once() -> None:
    index = {
        "config": {"lang": ["en"]},
        "docs": [
            {"location": "sop/a/", "title": "Pengukuran", "text": ""},
            {"location": "sop/a/#prosedur", "title": "Prosedur", "text": "<p>Mengukur kinerja</p>"},
            {"location": "panduan/format-sumber/", "title": "Format", "text": ""},
            {"location": "jabatan/", "title": "Tugas per jabatan", "text": ""},
        ],
    }
    sops = {"sop/a/": SopEntry(instansi="KECAMATAN A", nomor="1 / 2 / 2024")}
    once = enrich(index, sops, SharedCatalogue())
    kinds = [doc["kind"] for doc in once["docs"]]
    assert kinds == ["sop", "sop", "panduan", "halaman"]
    assert once["docs"][0]["instansi"] == "KECAMATAN A" and once["docs"][0]["nomor"] == "1 / 2 / 2024"
    assert "instansi" not in once["docs"][1]
    assert once["config"]["sop"]["stems"]["mengukur"] == "ukur"
    twice = enrich(json.loads(json.dumps(once)), sops, SharedCatalogue())
    assert twice == once


def _records(files: dict[str, Any]) -> dict[str, list[Any]]:
    """Every postings record of the index parts, by key."""
    return {record[0]: record for name, chunk in files.items() if name.startswith("c-") for record in chunk}


def test_the_built_index_carries_the_search_data(site: Path) -> None:
    files = read_search_files(site)
    records = _records(files)
    assert records["pengukuran"][4] == "ukur"
    assert "pengukuran" in records["ukur"][5]  # the forms of a stem, for highlighting
    synonyms = files["manifest"]["synonyms"]
    assert any("sekcam" in group and "sekretaris kecamatan" in group for group in synonyms)
    assert "427.90/26/01/2024" in {number for number, _page in files["numbers"]}
    # the identity table reads "Nomor SOP 427.90/…", not "Nomor SOP427.90/…"
    assert any("Nomor SOP 427.90/26/01/2024" in doc["text"] for doc in sections(site))
    # the engine's own index is a stub that says where the parts are
    stub = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert stub["docs"] == [] and stub["config"]["sop"]["path"] == "search/sop/"
    pages = (site / "index.html").read_text(encoding="utf-8")
    assert "assets/javascripts/sop-search.js" in pages and "sop-search-ui.js" in pages


# ---------------------------------------------------------------- the worker's twin functions


def test_worker_splits_and_stems_as_the_build_does(site: Path, browser_page: WebDriver) -> None:
    """The worker's `words` and `affixStem` give what Python's give, on every word of the
    portal and of the other offices' SOPs."""
    texts = [plain(doc["title"] + " " + doc["text"]) for doc in sections(site)]
    texts += [path.read_text(encoding="utf-8") for path in sorted(OFFICES.glob("*.yaml"))]
    vocabulary = sorted({w for text in texts for w in words(text)})
    assert len(vocabulary) > 1000
    browser_page.execute_script(WORKER.read_text(encoding="utf-8"))
    js_words = browser_page.execute_script("return arguments[0].map(t => sopSearch.words(sopSearch.plain(t)))", texts)
    assert js_words == [words(plain(text)) for text in texts]
    js_stems = browser_page.execute_script("return arguments[0].map(w => sopSearch.affixStem(w))", vocabulary)
    mismatches = [
        (w, py, js) for w, py, js in zip(vocabulary, map(affix_stem, vocabulary), js_stems, strict=True) if py != js
    ]
    assert mismatches == []


# ---------------------------------------------------------------- typed into the search box


@dataclass(frozen=True)
class Hit:
    page: str
    """The result's page, relative to the site (``sop/x/``, or ``sop/x.html`` offline)."""
    title: str
    tags: tuple[str, ...]


def _page_of(href: str, base: str) -> str:
    path = urlparse(href).path
    return path[len(urlparse(base).path) :] if path.startswith(urlparse(base).path) else path


def _search(driver: WebDriver, base: str, query: str, *, at_once: bool = False) -> tuple[list[Hit], str]:
    """Type ``query`` into the search box of the home page (``at_once``: pasted, so that only
    the whole query is searched); the results once they stop changing, and the notice under
    their count."""
    driver.get(base + ("index.html" if base.startswith("file:") else ""))
    if driver.find_elements(By.CSS_SELECTOR, ".md-search__button"):  # Zensical: a dialog in a shadow root
        driver.find_element(By.CSS_SELECTOR, ".md-search__button").click()
        box = WebDriverWait(driver, 10).until(lambda d: d.execute_script(ZENSICAL_FIELD))
    else:
        driver.find_element(By.CSS_SELECTOR, "label.md-search__icon, .md-search__input").click()
        box = _wait(driver, "input.md-search__input")
    if at_once:
        driver.execute_script("arguments[0].value = arguments[1]", box, query[:-1])
        box.send_keys(query[-1])
    else:
        box.send_keys(query)

    # One read of the page at a time, in the page itself: Material re-renders the list while
    # results arrive, so elements found in one call may be gone at the next.
    snapshot = """
        for (const host of document.querySelectorAll("body > *")) {
            // Zensical's box: one hit per page, its section's title, the page's path (the page's
            // title for a section, and an SOP's instansi last) and the section's text.
            const root = host.shadowRoot;
            const count = root && root.querySelector("dialog [role=status]");
            if (!count) continue;
            const notice = root.querySelector(".sop-search-notice");
            const meta = count.textContent;
            return {
                meta: meta && !meta.includes("Memuat") ? meta : "Ketik",
                notice: notice && !notice.hidden ? notice.textContent : "",
                items: [...root.querySelectorAll("dialog [role=option]")].map(item => {
                    const path = [...item.querySelectorAll("menu li")].map(t => t.textContent.trim());
                    const h2 = item.querySelector("h2") ? item.querySelector("h2").textContent.trim() : "";
                    return {
                        href: item.href,
                        title: new URL(item.href).hash && path.length ? path[0] : h2,
                        tags: path.length > 1 ? [path[path.length - 1]] : [],
                    };
                }),
            };
        }
        const meta = document.querySelector(".md-search-result__meta");
        const notice = document.querySelector(".sop-search-notice");
        return {
            meta: meta ? meta.textContent : "",
            notice: notice && !notice.hidden ? notice.textContent : "",
            items: [...document.querySelectorAll(".md-search-result__item")].map(item => ({
                href: item.querySelector("a") ? item.querySelector("a").href : "",
                title: item.querySelector("h1") ? item.querySelector("h1").textContent.trim() : "",
                tags: [...item.querySelectorAll("a:first-child .md-tag")].map(t => t.textContent.trim()),
            })),
        };
    """
    previous: object = None
    state: dict[str, Any] = {"meta": "", "notice": "", "items": []}
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        state = driver.execute_script(snapshot)
        searched = "Ketik" not in state["meta"]  # Material's placeholder: not searched yet
        # No results yet may be the index's parts still loading (slow on a busy machine): no
        # query here expects none, so an empty list is waited out to the deadline.
        if searched and state == previous and state["items"]:
            break
        previous = state
        time.sleep(0.4)
    hits = [
        Hit(_page_of(item["href"], base).split("?")[0], item["title"], tuple(item["tags"])) for item in state["items"]
    ]
    return hits, state["notice"].strip()


def _serve(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser_page() -> Iterator[WebDriver]:
    driver = _chromium()
    driver.get("about:blank")
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def offices_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's sources with the SOPs of four other offices added."""
    project = tmp_path_factory.mktemp("kantor-lain")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("docs", "overrides", "sop_sources"):
        shutil.copytree(ROOT / folder, project / folder)
    for source in OFFICES.glob("*.yaml"):
        shutil.copy2(source, project / "sop_sources" / "sop" / source.name)
    return project


SMALL_CHUNKS = {"SOP_SEARCH_CHUNK_BYTES": "6000"}
"""The offices' portal is small: its postings in chunks of 6 kB make many of them, so that
the browser tests cross chunk boundaries as a portal of a thousand SOPs does."""


@pytest.fixture(scope="module")
def online(offices_project: Path, engine: str) -> Iterator[str]:
    """The offices' portal as each engine builds it (MkDocs, then Zensical), served."""
    site = offices_project / f"site-{engine}"
    result = build(offices_project, site, "--engine", engine, env=SMALL_CHUNKS)
    assert result.returncode == 0, result.stdout + result.stderr
    yield from _serve(site)


@pytest.fixture(scope="module")
def offline(offices_project: Path) -> str:
    """The same portal as `make site-offline` builds it, opened from disk."""
    site = offices_project / "site-offline"
    result = build(offices_project, site, env={"SOP_OFFLINE": "true", "SOP_DIRECTORY_URLS": "false", **SMALL_CHUNKS})
    assert result.returncode == 0, result.stdout + result.stderr
    return site.as_uri() + "/"


def _sop(page: str) -> str:
    """The SOP id of a result page (online ``sop/x/``, offline ``sop/x.html``), or ``""``."""
    if not page.startswith("sop/"):
        return ""
    return page[len("sop/") :].removesuffix(".html").strip("/")


FIRST = [
    # the seeds
    ("mengukur kinerja", "dawarblandong-pengukuran-data-kinerja"),
    ("ukur", "dawarblandong-pengukuran-data-kinerja"),
    ("pengumpulan data kinerja pace", "pace-pengumpulan-data-kinerja"),
    ("427.90/26/01/2024", "lumajang-pengumpulan-data-kinerja"),
    ("427.90 / 26 / 01 / 2024", "lumajang-pengumpulan-data-kinerja"),
    ("065/112/416-317/2023", "dawarblandong-pengukuran-data-kinerja"),  # printed with spaces
    # other offices: words the seeds never use
    ("menegakkan perda", "satpolpp-penegakan-perda"),
    ("menerbitkan kartu keluarga", "dukcapil-penerbitan-kartu-keluarga"),
    ("474.1 / 123 / 35.09.411 / 2023", "dukcapil-penerbitan-kartu-keluarga"),
    ("400.9/15/436.9.11/2024", "kelurahan-sktm"),
    ("kepala seksi kedaruratan", "bpbd-laporan-bencana"),
    ("surat keterangan tidak mampu", "kelurahan-sktm"),
]


@pytest.mark.parametrize(("query", "expected"), FIRST)
def test_the_named_sop_comes_first(browser_page: WebDriver, online: str, query: str, expected: str) -> None:
    hits, _ = _search(browser_page, online, query)
    assert hits, f"nothing found for {query!r}"
    assert _sop(hits[0].page) == expected, [h.page for h in hits[:5]]


@pytest.mark.parametrize(
    ("query", "corrected", "expected"),
    [
        ("kinreja", "kinerja", {"pace-pengumpulan-data-kinerja", "dawarblandong-pengukuran-data-kinerja"}),
        ("kartu kelaurga", "kartu keluarga", {"dukcapil-penerbitan-kartu-keluarga"}),
        ("bencna", "bencana", {"bpbd-laporan-bencana"}),
    ],
)
def test_a_typo_finds_the_word_and_says_so(
    browser_page: WebDriver, online: str, query: str, corrected: str, expected: set[str]
) -> None:
    hits, notice = _search(browser_page, online, query)
    assert f"Menampilkan hasil untuk \u201c{corrected}\u201d" in notice
    assert expected <= {_sop(h.page) for h in hits[:5]}


def test_no_notice_when_the_words_are_found(browser_page: WebDriver, online: str) -> None:
    hits, notice = _search(browser_page, online, "kinerja")
    assert hits and notice == ""


def test_word_forms_find_each_other(browser_page: WebDriver, online: str) -> None:
    """ "kumpul" finds "pengumpulan", "hukuman" finds "Dasar Hukum" sections."""
    hits, _ = _search(browser_page, online, "kumpul data kinerja")
    top = [_sop(h.page) for h in hits[:4]]
    assert all("pengumpulan" in sop for sop in top), top
    hits, _ = _search(browser_page, online, "hukuman")
    assert sum(1 for h in hits if _sop(h.page)) >= 5


def test_posts_are_found_by_any_of_their_names(browser_page: WebDriver, online: str) -> None:
    hits, _ = _search(browser_page, online, "Kasubbag")
    found = [_sop(h.page) for h in hits[:4]]
    # Bangsal writes "Kasi/Kasubbag", Pace "Kasubag", Lumajang "Kasubbag Keuangan"
    assert {
        "bangsal-pengumpulan-data-kinerja",
        "pace-pengumpulan-data-kinerja",
        "lumajang-pengumpulan-data-kinerja",
    } <= set(found), found
    hits, _ = _search(browser_page, online, "Sekretaris Camat")
    assert "dawarblandong-pengukuran-data-kinerja" in [_sop(h.page) for h in hits[:4]]  # writes "Sekcam"


def test_sops_of_one_title_are_told_apart_and_guides_come_last(browser_page: WebDriver, online: str) -> None:
    hits, _ = _search(browser_page, online, "pengumpulan data kinerja")
    sops = [h for h in hits if _sop(h.page)]
    same_title = [h for h in sops if h.title.casefold() == "pengumpulan data kinerja"]
    assert len(same_title) >= 2
    assert all(h.tags for h in sops), "every SOP result names its instansi"
    assert len({h.tags for h in same_title}) == len(same_title)
    assert _sop(hits[0].page)
    hits, _ = _search(browser_page, online, "Kasubbag")
    pages = [h.page for h in hits]
    guides = [i for i, p in enumerate(pages) if p.startswith(("panduan/format-sumber", "panduan/mengimpor-sop"))]
    others = [i for i, p in enumerate(pages) if i not in guides]
    assert guides and (not others or min(guides) > max(others)), pages


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mengukur kinerja", "dawarblandong-pengukuran-data-kinerja"),
        ("427.90/26/01/2024", "lumajang-pengumpulan-data-kinerja"),
        ("menegakkan perda", "satpolpp-penegakan-perda"),
    ],
)
def test_the_offline_copy_searches_the_same(browser_page: WebDriver, offline: str, query: str, expected: str) -> None:
    hits, _ = _search(browser_page, offline, query)
    assert hits and _sop(hits[0].page) == expected, [h.page for h in hits[:5]]


def test_the_offline_copy_corrects_typos_too(browser_page: WebDriver, offline: str) -> None:
    hits, notice = _search(browser_page, offline, "kinreja")
    assert hits and "kinerja" in notice


# ---------------------------------------------------------------- what a first search downloads


def test_the_writer_is_deterministic_and_its_chunks_bounded(tmp_path: Path) -> None:
    docs = [
        {"location": f"sop/s{n}/", "title": f"Pengukuran kinerja {n}", "text": f"<p>Mengukur data ke-{n}</p>"}
        for n in range(40)
    ] + [{"location": f"sop/s{n}/#langkah", "title": "Langkah", "text": "Diukur dan dilaporkan"} for n in range(40)]
    docs.sort(key=lambda doc: doc["location"])
    sops = {f"sop/s{n}/": SopEntry(instansi=f"KECAMATAN {n}", nomor=f"{n} / 2 / 2024") for n in range(40)}
    shared = SharedCatalogue(glossary=(GlossaryTerm("Kasubbag", "Kepala Subbagian"),))
    first = build_search_files(docs, sops, shared, chunk_bytes=400)
    assert build_search_files([dict(doc) for doc in docs], sops, shared, chunk_bytes=400) == first
    chunks = [text for path, text in first.items() if "/c-" in path]
    assert len(chunks) > 5
    for text in chunks:
        records = json.loads(text[text.index(",") + 1 : text.rindex(")")])
        assert len(records) == 1 or len(json.dumps(records, separators=(",", ":"))) <= 400 + 2
    # written twice: the same files, the same bytes; a file of an earlier build is gone
    (tmp_path / "search" / "sop").mkdir(parents=True)
    (tmp_path / "search" / "sop" / "c-999.js").write_text("stale", encoding="utf-8")
    paths = write_search_index(tmp_path, docs, sops, shared, chunk_bytes=400)
    once = {path: (tmp_path / path).read_bytes() for path in paths}
    assert not (tmp_path / "search" / "sop" / "c-999.js").exists()
    assert write_search_index(tmp_path, docs, sops, shared, chunk_bytes=400) == paths
    assert {path: (tmp_path / path).read_bytes() for path in paths} == once
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == paths
    # what the postings say: "diukur" is in every step section, stemmed to "ukur" with the rest
    records = _records(read_search_files(tmp_path))
    assert records["diukur"][4] == "ukur" and {"diukur", "mengukur", "pengukuran"} <= set(records["ukur"][5])
    assert sum(records["diukur"][1][1::2]) == 40


@dataclass(frozen=True)
class Counted:
    base: str
    log: list[tuple[str, int]]
    """(path, bytes) of every response."""
    site: Path


@pytest.fixture(scope="module")
def counted(online: str, offices_project: Path, engine: str) -> Iterator[Counted]:
    """The online portal again, served by a server that notes what it sends."""
    with serve(offices_project / f"site-{engine}") as (base, log):
        yield Counted(base, log, offices_project / f"site-{engine}")


def test_a_first_search_downloads_only_some_parts(counted: Counted, engine: str) -> None:
    if engine == "zensical":
        pytest.skip(
            "Zensical's search box downloads its own whole index (search.json) to show each hit's "
            "title, path and text from it; the portal's worker still loads only the parts it needs"
        )
    driver = _chromium()  # a browser that has cached nothing
    try:
        counted.log.clear()
        hits, _ = _search(driver, counted.base, "menegakkan perda", at_once=True)
    finally:
        driver.quit()
    assert hits and _sop(hits[0].page) == "satpolpp-penegakan-perda"
    fetched = {path.lstrip("/"): size for path, size in counted.log if path.lstrip("/").startswith("search/")}
    folder = counted.site / "search"
    on_disk = {p.relative_to(counted.site).as_posix(): p.stat().st_size for p in folder.rglob("*") if p.is_file()}
    chunks = [p for p in on_disk if "/c-" in p]
    assert len(chunks) >= 10, "the test portal is cut into many chunks"
    fetched_chunks = [p for p in fetched if "/c-" in p]
    assert 0 < len(fetched_chunks) <= len(chunks) // 2, fetched_chunks
    fragments = [p for p in fetched if "/f-" in p]
    assert 0 < len(fragments) <= 12 < len([p for p in on_disk if "/f-" in p])
    assert "search/sop/vocabulary.js" not in fetched  # no typo to correct
    assert fetched["search/search_index.json"] < 2000  # Material's own index: a stub
    assert sum(fetched.values()) < sum(on_disk.values()) / 3, (sum(fetched.values()), sum(on_disk.values()))


def _prefix_from_another_chunk(site: Path) -> tuple[str, str, set[str]]:
    """A beginning of a word whose records lie in a later chunk than the beginning's own,
    with the word and the pages holding it (few pages in all begin with it, so that every
    one is shown)."""
    files = read_search_files(site)
    manifest = files["manifest"]
    firsts = manifest["chunks"]
    pages = [row[0] for group in range(manifest["titles"]) for row in files[f"t-{group}"]]
    page_of = [page for page, count in zip(pages, manifest["counts"], strict=True) for _ in range(count)]
    records = sorted(_records(files).values(), key=lambda record: record[0])
    vocabulary = [record for record in records if isinstance(record[1], list) and record[0].isascii()]

    def pages_of(record: list[Any]) -> set[str]:
        docs, doc = set(), 0
        for delta in record[1][0::2]:
            doc += delta
            docs.add(page_of[doc])
        return docs

    for record in vocabulary:
        word = record[0]
        if not word.isalpha() or len(word) < 7:
            continue
        for size in range(4, len(word) - 1):
            prefix = word[:size]
            own, other = bisect.bisect_right(firsts, prefix) - 1, bisect.bisect_right(firsts, word) - 1
            if not 0 < other - own < 4 or any(r[0] == prefix for r in records):
                continue
            completed = [r for r in vocabulary if r[0].startswith(prefix)]
            found = set().union(*(pages_of(r) for r in completed))
            if len(completed) < 40 and len(found) <= 6:
                return prefix, word, pages_of(record)
    raise AssertionError("no beginning crosses a chunk boundary")


@pytest.mark.parametrize("where", ["online", "offline"])
def test_a_beginning_finds_a_word_of_another_chunk(
    browser_page: WebDriver, offices_project: Path, where: str, engine: str, request: pytest.FixtureRequest
) -> None:
    base = request.getfixturevalue(where)  # online: built by each engine; offline: by MkDocs
    site = offices_project / (f"site-{engine}" if where == "online" else "site-offline")
    prefix, word, pages = _prefix_from_another_chunk(site)
    hits, _ = _search(browser_page, base, prefix)
    assert {h.page for h in hits} & pages, (prefix, word, pages, [h.page for h in hits])


def test_the_offline_copy_loads_its_parts_as_scripts(offline: str, offices_project: Path) -> None:
    """From disk the worker runs each part as a script: Material's inlined index is a stub."""
    site = offices_project / "site-offline" / "search"
    assert (site / "search_index.js").stat().st_size < 2000
    assert (site / "sop" / "manifest.js").read_text(encoding="utf-8").startswith('sopSearchData("manifest",')


def test_a_word_on_every_page_lists_the_best_hundred_and_counts_them(browser_page: WebDriver, tmp_path: Path) -> None:
    """The worker alone, in a Worker, on an index of 150 pages that all hold "laporan": 100
    listed, 150 counted; teasers for the first ten, titles for the rest."""
    docs = [
        {"location": f"sop/s{n:03d}/", "title": f"Laporan nomor {n}", "text": "laporan " * (1 + n % 7)}
        for n in range(150)
    ]
    sops = {f"sop/s{n:03d}/": SopEntry(instansi=f"KECAMATAN {n % 5}", nomor=f"{n}/A/2024") for n in range(150)}
    write_search_index(tmp_path, docs, sops, SharedCatalogue(), chunk_bytes=2000)
    (tmp_path / "assets" / "javascripts").mkdir(parents=True)
    shutil.copy2(WORKER, tmp_path / "assets" / "javascripts" / "sop-search.js")
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>", encoding="utf-8")
    stub = json.loads((tmp_path / "search" / "search_index.json").read_text(encoding="utf-8"))
    for base in _serve(tmp_path):
        browser_page.get(base)
        result = browser_page.execute_async_script(
            """
            const [stub, done] = arguments;
            const worker = new Worker("assets/javascripts/sop-search.js");
            worker.onmessage = (ev) => {
                if (ev.data.type === 1) worker.postMessage({ type: 2, data: "laporan" });
                if (ev.data.type === 3) { done(ev.data.data); worker.terminate(); }
            };
            worker.postMessage({ type: 0, data: stub });
            """,
            stub,
        )
    assert len(result["items"]) == 100 and result["sop"] == {"total": 150, "shown": 100}
    first, last = result["items"][0][0], result["items"][-1][0]
    assert "<mark>laporan</mark>" in first["text"] and first["tags"]
    assert last["text"] == "" and "<mark>Laporan</mark>" in last["title"] and last["tags"]
