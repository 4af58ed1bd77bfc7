"""Zensical glue: builds the portal with Zensical, the successor of Material for MkDocs.

This is the only module of the generator that knows Zensical. Zensical reads the same
``mkdocs.yml``, theme overrides and Markdown as MkDocs but runs no MkDocs plugin, so what
the ``sop-portal`` plugin does inside a MkDocs build is done here around Zensical's:

1. the engine-neutral pipeline (:class:`Portal`) renders everything;
2. a staging project is written beside the site: ``docs/`` with the hand-written pages (the
   SOP list filled in at its marker), the generated pages and the downloads as files, and a
   ``mkdocs.yml`` with the navigation filled, the glossary handed to ``abbr`` and the
   plugins Zensical does not run left out;
3. ``zensical build`` (its command line, the documented interface) builds it;
4. the finished HTML fragments (the inline diagram) go in at their markers, and the portal's
   search index is written from the sections Zensical indexed (the engine-neutral
   :func:`write_search_index`, as for MkDocs), which the portal's own search worker reads;
5. the site replaces the previous one only when all of that succeeded (:func:`publish`).
"""

from __future__ import annotations

import importlib.util
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.model.problems import PortalError
from generator.pipeline.portal import GeneratedFile, Portal
from generator.pipeline.publish import publish
from generator.sources.files import os_error_text
from generator.web.pages import nav_entries
from generator.web.search import SEARCH_INDEX, sop_entries
from generator.web.search_index import write_search_index

PLUGIN_NAME = "sop-portal"
"""The MkDocs plugin's name in ``mkdocs.yml``; Zensical would ignore it, it is left out."""

ZENSICAL_INDEX = "search.json"
"""Where Zensical writes its search index (``{"config", "items": [{location, title, text, ...}]}``)."""

SEARCH_WORKER = "assets/javascripts/sop-search-zensical.js"
"""The worker Zensical's search box runs (named in the pages' configuration by
``overrides/main.html``, from ``extra.sop_search_worker``)."""

SEARCH_UI = "assets/javascripts/sop-search-zensical-ui.js"
"""Where the site gets the page's side of it (the corrected-spelling line), loaded by every page."""

SEARCH_SCRIPTS = {
    SEARCH_WORKER: Path(__file__).with_name("zensical_search.js"),
    SEARCH_UI: Path(__file__).with_name("zensical_search_ui.js"),
}
"""The portal's search in Zensical's dialect: the worker and the page's side (see the files)."""

UI_WORDS = {
    '"No results"': '"Tidak ada dokumen yang sesuai"',
    '"Loading search\\u2026"': '"Memuat pencarian\\u2026"',
    '"Search is unavailable. Reload the page to try again."': (
        '"Pencarian tidak tersedia. Muat ulang halaman lalu coba lagi."'
    ),
    '"Search results"': '"Hasil pencarian"',
    '"aria-label":"Search"': '"aria-label":"Cari"',
    'placeholder:"Search"': 'placeholder:"Cari"',
    '"Close search"': '"Tutup pencarian"',
    '"Filters"': '"Saring"',
    'children:"Tags"': 'children:"Jabatan"',
    '"result":"results"': '"dokumen ditemukan":"dokumen ditemukan"',
    'Intl.NumberFormat("en-US")': 'Intl.NumberFormat("id-ID")',
}
"""Zensical's search box has its words in English in its script (Material's had them in the
theme's translations): each is put in Indonesian in the built script. A word that is no
longer there (another Zensical release) fails the build, so that none stays in English."""

THEME_VARIANT = "classic"
"""Zensical's look that is Material for MkDocs' own (its default, ``modern``, is a new design):
the portal looks the same whichever engine built it."""

Say = Callable[[str], None]


def _say(message: str) -> None:
    print(message, file=sys.stderr)


# ---------------------------------------------------------------- the configuration


class _ConfigLoader(yaml.SafeLoader):
    """``mkdocs.yml`` as MkDocs reads it: ``!ENV`` tags resolved from the environment."""


def _env_tag(loader: _ConfigLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``, as MkDocs (pyyaml_env_tag) reads it:
    the first variable set, its value read as YAML; else the last item when there are several."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node, deep=True)
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    else:
        raise yaml.constructor.ConstructorError(None, None, "!ENV memerlukan nama atau daftar nama", node.start_mark)
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.load(os.environ[name], Loader=_ConfigLoader)
    return default


_ConfigLoader.add_constructor("!ENV", _env_tag)


def read_config(config_file: Path) -> dict[str, Any]:
    """The project's ``mkdocs.yml``, its ``!ENV`` values resolved (:class:`PortalError` when
    it cannot be read)."""
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise PortalError(f"{config_file.name} tidak dapat dibaca: {exc}") from exc
    if not isinstance(data, dict):
        raise PortalError(f"{config_file.name} tidak berisi pengaturan (harus berupa pemetaan kunci: nilai)")
    return data


def _placeholder(nav: list[Any], target: str) -> int | None:
    for i, entry in enumerate(nav):
        if isinstance(entry, dict) and len(entry) == 1 and next(iter(entry.values())) == target:
            return i
    return None


def filled_nav(nav: list[Any], portal: Portal) -> list[Any]:
    """``nav`` with each generated section's placeholder (``sop/``, ``jabatan/``, ...) replaced
    by its pages: what the MkDocs plugin does in ``on_config`` (the same rule, engine-neutral)."""
    nav = list(nav)
    sections = {f"{portal.settings.layout.section}/": nav_entries(portal.catalogue, portal.settings.layout)}
    sections.update(portal.view_pages.nav())
    for target, entries in sections.items():
        index = _placeholder(nav, target)
        if index is not None:
            nav[index] = {next(iter(nav[index])): entries}
    return nav


def _explained(extensions: Any, portal: Portal) -> Any:
    """``markdown_extensions`` with the glossary of ``portal.yaml`` handed to ``abbr`` (when it
    is enabled), the way the MkDocs plugin hands it: ``mkdocs.yml``'s own entries win."""
    meanings = {spelling: term.arti for spelling, term in portal.catalogue.shared.glossary_by_spelling.items()}
    if not isinstance(extensions, list):
        return extensions
    result: list[Any] = []
    for entry in extensions:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name in ("abbr", "markdown.extensions.abbr"):
            options = dict(options or {})
            options["glossary"] = {**meanings, **(options.get("glossary") or {})}
            entry = {name: options}
        result.append(entry)
    return result


TAGS = '{% include "partials/tags.html" %}'


def tags_first(partial: str) -> str:
    """Zensical's ``partials/content.html`` with the page's tags before its content, where
    Material shows them (Zensical shows them after it): an SOP page's roles head the page
    whichever engine built it. Unchanged when Zensical's partial is not as expected."""
    lines = partial.splitlines(keepends=True)
    tags = [line for line in lines if line.strip() == TAGS]
    first = next((i for i, line in enumerate(lines) if line.strip().startswith("{% include")), None)
    if len(tags) != 1 or first is None:
        return partial
    rest = [line for line in lines if line.strip() != TAGS]
    return "".join([*rest[:first], tags[0], *rest[first:]])


def write_theme(project: Path, custom_dir: Path | None) -> Path:
    """The staging theme folder: the project's overrides, and Zensical's content partial
    with the tags first (:func:`tags_first`) unless the overrides have their own."""
    theme = project / "overrides"
    if custom_dir is not None and custom_dir.is_dir():
        shutil.copytree(custom_dir, theme)
    content = theme / "partials" / "content.html"
    spec = importlib.util.find_spec("zensical")
    installed = Path(spec.origin).parent / "templates" / "partials" / "content.html" if spec and spec.origin else None
    if not content.exists() and installed is not None and installed.is_file():
        content.parent.mkdir(parents=True, exist_ok=True)
        content.write_text(tags_first(installed.read_text(encoding="utf-8")), encoding="utf-8")
    return theme


IFRAME_WORKER = "assets/javascripts/iframe-worker.js"
"""The Web Worker shim for ``file://`` pages, vendored in ``overrides/``."""


def _offline(plugins: Any) -> bool:
    """Whether the (resolved) plugins turn the offline plugin on."""
    entries = (
        plugins.items()
        if isinstance(plugins, dict)
        else (next(iter(p.items())) if isinstance(p, dict) else (p, {}) for p in plugins or [])
    )
    for name, options in entries:
        if str(name).removeprefix("material/") == "offline":
            return bool((options or {}).get("enabled", True))
    return False


def staging_config(config: dict[str, Any], root: Path, portal: Portal, theme_dir: str | None = None) -> dict[str, Any]:
    """The configuration Zensical builds the staging project with (``theme_dir``: the staging
    theme folder, see :func:`write_theme`)."""
    staged = dict(config)
    staged["docs_dir"] = "docs"
    staged["site_dir"] = "site"
    theme = dict(staged.get("theme") or {})
    custom = theme.get("custom_dir")
    if theme_dir is not None:
        theme["custom_dir"] = theme_dir
    elif isinstance(custom, str):
        theme["custom_dir"] = str((root / custom).resolve())
    theme.setdefault("variant", THEME_VARIANT)
    staged["theme"] = theme
    if isinstance(staged.get("nav"), list):
        staged["nav"] = filled_nav(staged["nav"], portal)
    plugins = staged.get("plugins")
    if isinstance(plugins, list):
        staged["plugins"] = [p for p in plugins if not (p == PLUGIN_NAME or (isinstance(p, dict) and PLUGIN_NAME in p))]
    elif isinstance(plugins, dict):
        staged["plugins"] = {k: v for k, v in plugins.items() if k != PLUGIN_NAME}
    staged["markdown_extensions"] = _explained(staged.get("markdown_extensions"), portal)
    staged["extra"] = {**(staged.get("extra") or {}), "sop_search_worker": SEARCH_WORKER}
    if _offline(staged.get("plugins")):
        # Zensical's offline plugin loads the iframe-worker shim from a CDN unless the page
        # already has one: the copy vendored in overrides/, as the MkDocs plugin does.
        staged["extra"]["polyfills"] = [IFRAME_WORKER]
    staged["extra_javascript"] = [*(staged.get("extra_javascript") or []), SEARCH_UI]
    return staged


# ---------------------------------------------------------------- the staging project


def _html_path(portal: Portal, page_src: str) -> str:
    """The file a page source becomes in the site."""
    url = portal.settings.layout.url(page_src)
    return url + "index.html" if url == "" or url.endswith("/") else url


_HTML_LINK = re.compile(r'(?<=\s)(href|src)="([^"#/][^"]*)"')
"""A relative link in a page's raw HTML (not an anchor, not a path from the site's root)."""


def source_relative(markdown: str, page_src: str, directory_urls: bool) -> str:
    """``markdown`` with the links of its raw HTML made relative to the page's source file.

    The generator writes raw HTML links relative to the page's address, as MkDocs leaves
    raw HTML alone: from ``sop/x.md``, shown at ``sop/x/``, a download is
    ``../../unduh/...``. Zensical reads every link of a page relative to its source file, as
    MkDocs reads Markdown links, and would make that one ``../../../unduh/...``. With
    directory URLs the two differ by the page's own folder (``x/``), which is put in front
    of each such link here (``x/../../unduh/...`` = ``../unduh/...``).
    """
    name = posixpath.basename(page_src).removesuffix(".md")
    if not directory_urls or name == "index":
        return markdown

    def relative(match: re.Match[str]) -> str:
        attribute, url = match.group(1), match.group(2)
        if ":" in url.split("/", 1)[0]:  # an address with a scheme (https:, mailto:, data:)
            return match.group(0)
        path, mark, rest = url.partition("#") if "#" in url else url.partition("?")
        joined = posixpath.normpath(posixpath.join(name, path))
        if path.endswith("/") and not joined.endswith("/"):
            joined += "/"
        if joined in (".", "./"):
            joined = "./"
        return f'{attribute}="{joined}{mark}{rest}"'

    return _HTML_LINK.sub(relative, markdown)


def write_docs(project: Path, docs_dir: Path, portal: Portal, generated: list[GeneratedFile]) -> None:
    """The staging ``docs/``: the hand-written pages (the SOP list filled in), then the
    generated pages with their fragments' markers (filled in after the build) and files."""
    docs = project / "docs"
    if docs_dir.is_dir():
        shutil.copytree(docs_dir, docs, symlinks=False)
        for page in docs.rglob("*.md"):
            text = page.read_text(encoding="utf-8")
            src = page.relative_to(docs).as_posix()
            filled = portal.fill_list(text, src)
            if filled != text:  # the list's links, written for MkDocs
                filled = source_relative(filled, src, portal.settings.layout.directory_urls)
            if filled != text:
                page.write_text(filled, encoding="utf-8")
    for path, script in SEARCH_SCRIPTS.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(script, docs / path)
    for file in generated:
        target = docs / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.source is not None:
            # A download in the cache. Zensical resolves a page's link to a file only when the
            # file is there (else it writes the link one folder off): each one is linked in
            # (no copy; the cache file is never changed in place), and Zensical copies it.
            try:
                os.link(file.source, target)
            except OSError:
                shutil.copyfile(file.source, target)
        elif file.is_page and isinstance(file.content, str):
            text = source_relative(file.content, file.path, portal.settings.layout.directory_urls)
            target.write_text(text, encoding="utf-8")
        else:
            content = file.content
            target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def finish_site(site: Path, portal: Portal, generated: list[GeneratedFile]) -> None:
    """What the MkDocs plugin does after the pages are rendered: the diagrams in at their
    markers, the portal's search index."""
    for file in generated:
        if not (file.is_page and file.fragments):
            continue
        page = site / _html_path(portal, file.path)
        html = page.read_text(encoding="utf-8")
        for marker, fragment in file.fragments:
            if marker not in html:
                raise PortalError(f"{file.path}: penanda {marker} tidak ada di halaman yang dibangun")
            html = html.replace(marker, fragment, 1)
        page.write_text(html, encoding="utf-8")
    if portal_search_index(site, portal):
        zensical_search(site, portal)


def search_docs(site: Path) -> list[dict[str, Any]]:
    """The searchable sections of the built pages, ``{location, title, text}`` each (and the
    page's ``tags``, an SOP's performers, as Material's index has them), from the index
    Zensical wrote."""
    index = json.loads((site / ZENSICAL_INDEX).read_text(encoding="utf-8"))
    docs = []
    for item in index.get("items", []):
        doc = {key: item.get(key, "") for key in ("location", "title", "text")}
        if item.get("tags"):
            doc["tags"] = list(item["tags"])
        docs.append(doc)
    return docs


def portal_search_index(site: Path, portal: Portal) -> bool:
    """The portal's search index (:func:`write_search_index`, the same for every engine)
    written from the sections Zensical indexed. False when search is switched off."""
    if not (site / ZENSICAL_INDEX).is_file():
        return False
    entries = sop_entries(portal.catalogue.sops, portal.settings.layout)
    config = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["trimmer"]}  # Material's, in its stub
    write_search_index(site, search_docs(site), entries, portal.catalogue.shared, config=config)
    return True


def zensical_search(site: Path, portal: Portal) -> None:
    """Let Zensical's search box search with the portal's worker (:data:`SEARCH_SCRIPTS`, in
    the site already): Zensical's index carrying the portal's search data (the box hands its
    index to the worker; it shows each hit from its own items), and the box's words in
    Indonesian."""
    portal_index = json.loads((site / SEARCH_INDEX).read_text(encoding="utf-8"))
    index_file = site / ZENSICAL_INDEX
    index = json.loads(index_file.read_text(encoding="utf-8"))
    index["config"] = {**index.get("config", {}), **portal_index.get("config", {})}
    # Each hit shows its page's path; an SOP's instansi joins it, as MkDocs' results show it
    # beside the title (two SOPs of one title differ). Zensical's filter by tags is left out:
    # the portal's worker does not filter, and the panel would stand empty beside the results.
    offices = {url: entry.instansi for url, entry in sop_entries(portal.catalogue.sops, portal.settings.layout).items()}
    for item in index.get("items", []):
        item.pop("tags", None)
        office = offices.get(str(item.get("location", "")).split("#")[0])
        if office and office not in item.get("path", []):
            item["path"] = [*item.get("path", []), office]
    index["docs"] = portal_index.get("docs", [])
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    index_file.write_text(text, encoding="utf-8")
    offline = site / "search.js"  # the same index as a script, for a portal opened from disk
    if offline.is_file():
        offline.write_text(f"var __index = {text}", encoding="utf-8")
    for bundle in (site / "assets" / "javascripts").glob("bundle.*.js"):
        script = bundle.read_text(encoding="utf-8")
        missing = [english for english in UI_WORDS if english not in script]
        if missing:
            raise PortalError(
                f"kata kotak pencarian Zensical tidak ditemukan di {bundle.name}: {', '.join(missing)} "
                "(versi Zensical lain?): perbarui UI_WORDS di generator/zensical_engine.py"
            )
        for english, indonesian in UI_WORDS.items():
            script = script.replace(english, indonesian)
        bundle.write_text(script, encoding="utf-8")


# ---------------------------------------------------------------- the build


def run_zensical(project: Path, *, strict: bool = False, say: Say = _say) -> int:
    """``zensical build`` of the staging project (its messages passed on); its exit status."""
    command = [sys.executable, "-m", "zensical", "build", "--config-file", str(project / "mkdocs.yml")]
    if strict:
        command.append("--strict")
    try:
        result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    except OSError as exc:
        say(f"Zensical tidak dapat dijalankan: {os_error_text(exc)}")
        return 1
    for line in (result.stdout + result.stderr).splitlines():
        if line.strip():
            say(f"zensical: {line}")
    if result.returncode != 0 and "No module named zensical" in result.stderr:
        say("Zensical belum terpasang: jalankan `make setup` (requirements.lock memuatnya).")
    return result.returncode


def _leftovers(site_dir: Path) -> None:
    """Remove staging projects of Zensical builds that were killed (their process is gone)."""
    for left in site_dir.parent.glob(f".{site_dir.name}.zensical-*"):
        pid = left.name.rpartition("-")[2]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(left, ignore_errors=True)
        except PermissionError:
            pass


def build_site(config_file: Path, site_dir: Path, portal: Portal, *, strict: bool = False, say: Say = _say) -> int:
    """Build the portal with Zensical into a fresh sibling of ``site_dir`` that replaces it
    only on success. Returns 0 on success, 1 on failure (``site_dir`` then stays as it was)."""
    root = config_file.parent.resolve()
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    _leftovers(site_dir)
    project = site_dir.with_name(f".{site_dir.name}.zensical-{os.getpid()}")

    def build_into(staging: Path) -> int:
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir()
        try:
            config = read_config(config_file)
            try:
                generated = portal.generate()
            except PortalError as exc:
                raise PortalError(f"artefak SOP tidak dapat dibuat: {exc}") from exc
            report = os.environ.get("SOP_BUILD_REPORT")
            if report:  # the benchmark reads stage times and cache use from here (as from the plugin)
                Path(report).write_text(json.dumps(portal.report(), indent=1), encoding="utf-8")
            docs_dir = root / str(config.get("docs_dir") or "docs")
            write_docs(project, docs_dir, portal, generated)
            custom = (config.get("theme") or {}).get("custom_dir")
            write_theme(project, root / custom if isinstance(custom, str) else None)
            staged = staging_config(config, root, portal, theme_dir="overrides")
            (project / "mkdocs.yml").write_text(
                yaml.safe_dump(staged, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            status = run_zensical(project, strict=strict, say=say)
            if status != 0:
                say("Zensical gagal membangun situs (lihat pesannya di atas).")
                return 1
            site = project / "site"
            finish_site(site, portal, generated)
            site.rename(staging)
            return 0
        except PortalError as exc:
            say(str(exc))
            return 1
        except OSError as exc:
            say(f"situs tidak dapat ditulis: {os_error_text(exc)}")
            return 1
        finally:
            shutil.rmtree(project, ignore_errors=True)

    return publish(site_dir, build_into)
