"""What a phone downloads for its first search: a built site served on localhost, a fresh
headless Chromium per query, the query typed into the search box letter by letter, and the
bytes the server sent for search (the worker, Material's stub index, the index parts) counted.

    python -m benchmarks.search_bytes build/search-n1000 [--query WORDS ...] [--paste] [--json]

:func:`measure` returns the numbers as a dict (for ``make bench``). The bytes are as sent,
uncompressed; ``gzip`` is what they would be with a server that compresses (level 6), which
most do for JavaScript and JSON.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

WORKER = "assets/javascripts/sop-search.js"
SEARCH_DIR = "search"

DEFAULT_QUERIES = ("kinerja", "pengump", "kinreja", "laporan kinerja")
"""One word, a prefix, a typo, two words; a number is added from the site's own index."""


class _Counting(http.server.SimpleHTTPRequestHandler):
    """Serves the site, noting each response's path and size."""

    log: list[tuple[str, int]]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        outputfile.write(data)
        self.log.append((self.path.split("?", 1)[0], len(data)))


@contextmanager
def serve(site: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """The site on a local port; the list every response is noted in."""
    log: list[tuple[str, int]] = []
    handler = functools.partial(type("Handler", (_Counting,), {"log": log}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", log
    finally:
        server.shutdown()
        server.server_close()


def chromium() -> Any:
    """A headless Chromium as the tests start it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_window_size(390, 844)  # a phone's viewport
    return driver


_SNAPSHOT = """
    const meta = document.querySelector(".md-search-result__meta");
    return {
        meta: meta ? meta.textContent : "",
        items: [...document.querySelectorAll(".md-search-result__item h1")].map(h => h.textContent.trim()),
    };
"""


def type_query(driver: Any, base: str, query: str, timeout: float = 30, *, paste: bool = False) -> list[str]:
    """Opens the home page, types ``query`` into the search box (``paste``: all but its last
    letter at once, so that only the whole query is searched); the titles found, once the
    results stop changing."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(base)
    WebDriverWait(driver, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".md-search__input")))
    driver.execute_script('document.querySelector("label[for=__search]").click()')  # the header's search button
    box = WebDriverWait(driver, timeout).until(ec.element_to_be_clickable((By.CSS_SELECTOR, "input.md-search__input")))
    if paste:
        driver.execute_script("arguments[0].value = arguments[1]", box, query[:-1])
        query = query[-1]
    box.send_keys(query)
    previous: object = None
    state: dict[str, Any] = {"meta": "", "items": []}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = driver.execute_script(_SNAPSHOT)
        if "Ketik" not in state["meta"] and state == previous:
            break
        previous = state
        time.sleep(0.5)
    return list(state["items"])


def _is_search(path: str) -> bool:
    return path.lstrip("/").startswith(SEARCH_DIR + "/") or path.endswith(
        ("/sop-search.js", "/sop-search-ui.js", "/iframe-worker.js")
    )


def _gzip_size(site: Path, path: str) -> int:
    try:
        return len(gzip.compress((site / path.lstrip("/")).read_bytes(), 6, mtime=0))
    except OSError:
        return 0


def index_on_disk(site: Path) -> dict[str, int]:
    """Files and bytes of the search index on disk (``search/``, the worker included)."""
    files = [p for p in (site / SEARCH_DIR).rglob("*") if p.is_file()] + [site / WORKER]
    files = [p for p in files if p.exists()]
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "gzip": sum(_gzip_size(site, str(p.relative_to(site))) for p in files),
    }


def site_number(site: Path) -> str | None:
    """An SOP number of the site, to search for (from the index parts, or the old index)."""
    numbers = site / SEARCH_DIR / "sop" / "numbers.js"
    if numbers.exists():
        text = numbers.read_text(encoding="utf-8")
        rows = json.loads(text[text.index(",") + 1 : text.rindex(")")])
        return str(rows[len(rows) // 2][0]) if rows else None
    old = site / SEARCH_DIR / "search_index.json"
    if old.exists():
        for doc in json.loads(old.read_text(encoding="utf-8")).get("docs", ()):
            if doc.get("nomor"):
                return str(doc["nomor"])
    return None


def measure(site: Path, queries: Sequence[str] | None = None, *, paste: bool = False) -> dict[str, Any]:
    """Bytes of the first search of each query (a fresh browser each; typed letter by letter,
    each letter a search as on a phone, or ``paste``d), and of the index on disk:
    ``{"site", "paste", "index", "queries": [{"query", "bytes", "gzip", "files", "results",
    "first"}], "max_bytes", "max_gzip"}``."""
    site = Path(site).resolve()
    chosen = list(queries or DEFAULT_QUERIES)
    if queries is None and (number := site_number(site)):
        chosen.insert(3, number)
    report: dict[str, Any] = {"site": str(site), "paste": paste, "index": index_on_disk(site), "queries": []}
    with serve(site) as (base, log):
        for query in chosen:
            driver = chromium()
            try:
                log.clear()
                titles = type_query(driver, base, query, paste=paste)
            finally:
                driver.quit()
            fetched = [(path, size) for path, size in log if _is_search(path)]
            report["queries"].append(
                {
                    "query": query,
                    "bytes": sum(size for _, size in fetched),
                    "gzip": sum(_gzip_size(site, path) for path, _ in fetched),
                    "files": len(fetched),
                    "results": len(titles),
                    "first": titles[0] if titles else "",
                }
            )
    report["max_bytes"] = max((q["bytes"] for q in report["queries"]), default=0)
    report["max_gzip"] = max((q["gzip"] for q in report["queries"]), default=0)
    return report


def _kb(value: int) -> str:
    return f"{value / 1000:,.1f} kB"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("site", type=Path, help="a built site (the folder holding index.html)")
    parser.add_argument("--query", action="append", help="a query to type (repeatable; default: a set of five)")
    parser.add_argument("--paste", action="store_true", help="paste each query instead of typing it")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = measure(args.site, args.query, paste=args.paste)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    index = report["index"]
    disk = f"{_kb(index['bytes'])} in {index['files']} files (gzip {_kb(index['gzip'])})"
    print(f"{report['site']}: search index on disk {disk}")
    for q in report["queries"]:
        print(
            f"  {q['query']!r:32} first search {_kb(q['bytes']):>10} (gzip {_kb(q['gzip']):>9})"
            f" in {q['files']:3} files;"
            f" {q['results']} results, first {q['first'][:40]!r}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
