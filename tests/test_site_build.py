"""End to end: the real sources through `mkdocs build --strict`, and atomic failed builds."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.web.search_index import sections

from .conftest import ROOT, ParsedPage, site_sops
from .conftest import build as _build
from .conftest import run_python as _python


def _text(html: str) -> str:
    """The visible text of ``html``; an explained abbreviation (``<abbr>``) reads as its word."""
    return ParsedPage(re.sub(r"</?abbr\b[^>]*>", "", html)).text


def test_the_catalogue_index_stays_small_and_names_each_sop_s_own_file(site: Path) -> None:
    index = (site / "api" / "sop.json").read_text(encoding="utf-8")
    data = json.loads(index)
    assert data["schema_version"] == 3
    for summary in data["sops"]:
        assert "steps" not in summary and summary["detail_url"] == f"api/sop/{summary['id']}.json"
        detail = (site / summary["detail_url"]).read_text(encoding="utf-8")
        assert len(detail) > 4 * len(json.dumps(summary, ensure_ascii=False, separators=(",", ":")))


def test_catalogue_lists_every_seed_with_its_steps(site: Path) -> None:
    data = json.loads((site / "api" / "sop.json").read_text(encoding="utf-8"))
    assert data["count"] == 5 and len(data["sops"]) == 5
    by_id = {s["id"]: s for s in site_sops(site)}
    bangsal = by_id["bangsal-pengumpulan-data-kinerja"]
    assert bangsal["nomor"] == "065/975/416-310/2022"
    assert bangsal["pelaksana"] == ["Camat", "Sekcam", "Kasi/Kasubbag", "Pelaksana"]
    assert len(bangsal["steps"]) == 11
    assert bangsal["steps"][7]["waktu"] == "3 jam" and bangsal["steps"][7]["waktu_minutes"] == 180
    for sop in by_id.values():
        page = site / sop["url"] / "index.html"
        assert page.is_file(), sop["url"]
        text = _text(page.read_text(encoding="utf-8"))
        for step in sop["steps"]:
            assert " ".join(step["kegiatan"].split()) in text


def test_sop_page_shows_identity_lists_warning_and_table(site: Path) -> None:
    html = (site / "sop" / "dawarblandong-pengukuran-data-kinerja" / "index.html").read_text(encoding="utf-8")
    text = _text(html)
    for expected in (
        "065 / 112 / 416-317 / 2023",
        "5 Oktober 2023",
        "AKHMAD TAUFIQ, S.Sos., MM.",
        "NIP. 19700626 199003 1 006",
        "Dasar Hukum",
        "Kualifikasi Pelaksana",
        "Keterkaitan",
        "Peralatan/Perlengkapan",
        "Pencatatan dan Pendataan",
        "Ya: ke langkah 10; Tidak: kembali ke langkah 7",
        "4,1 hari kerja",
    ):
        assert expected in text, expected
    assert re.search(r'class="admonition warning"[^>]*>\s*<p class="admonition-title">Peringatan</p>', html)
    headers = re.findall(r"<th scope=\"col\">([^<]+)</th>", html)
    assert headers == ["No", "Kegiatan", "Pelaksana", "Kelengkapan", "Waktu", "Output", "Keterangan"]
    assert html.count('<tr id="langkah-') == 11


def test_abbreviations_of_the_glossary_are_explained_where_they_appear(site: Path) -> None:
    """portal.yaml's `glosarium` on a built page: in its Markdown (Python-Markdown's `abbr`,
    given the glossary by the plugin), in its step table and cards (the generator's), and on a
    hand-written page; never inside code."""
    html = (site / "sop" / "dawarblandong-pengukuran-data-kinerja" / "index.html").read_text(encoding="utf-8")
    sakip = '<abbr title="Sistem Akuntabilitas Kinerja Instansi Pemerintah">SAKIP</abbr>'
    warning = html[html.index('class="admonition warning"') :].split("</div>")[0]
    assert 'evaluasi <abbr title="Akuntabilitas Kinerja Instansi Pemerintah">AKIP</abbr>' in warning
    table = html[html.index('<div class="sop-steps">') :].split("</table>")[0]
    assert f"Tim {sakip} menyusun rencana kegiatan" in table
    assert '<abbr title="Sekretaris Kecamatan">SEKCAM</abbr>' in table  # an alias of Sekcam
    cards = html[html.index('<ol class="sop-cards__list"') :].split("</ol>")[0]
    assert f"Tim {sakip} menyusun rencana kegiatan" in cards
    # A phone shows no `title`: the page lists its abbreviations and their meanings too.
    listed = html[html.index('<dl class="sop-abbreviations"') :].split("</dl>")[0]
    assert "<dt>SAKIP</dt><dd>Sistem Akuntabilitas Kinerja Instansi Pemerintah</dd>" in listed
    assert "<dt>SEKCAM, Sekcam</dt><dd>Sekretaris Kecamatan</dd>" in listed  # one meaning, two spellings
    guide = (site / "panduan" / "cara-memakai" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="Sekretaris Kecamatan">Sekcam</abbr>' in guide
    assert "<code>Sekcam</code>" in guide  # code is shown as written


def test_step_cards_legend_and_maintainer_notes_stay_out_of_search(site: Path) -> None:
    """The step cards repeat the step table for phones: search sees each step once."""
    docs = list(sections(site))
    sop = [d for d in docs if d["location"].startswith("sop/dawarblandong-pengukuran-data-kinerja/")]
    text = " ".join(d["title"] + " " + d["text"] for d in sop)
    assert text.count("menganalisa hasil rekapitulasi") == 1
    for phrase in ("Jika Tidak", "berurutan dari atas", "Arti simbol", "Belah ketupat", "sidik", "Untuk pengelola"):
        assert phrase not in text, phrase
    assert "Singkatan" not in {d["title"] for d in sop}


def test_sop_page_embeds_the_diagram_and_links_the_svg(site: Path) -> None:
    for sop in site_sops(site):
        assert sop["diagram_url"] == f"unduh/{sop['id']}/{sop['id']}-diagram.svg"
        standalone = (site / sop["diagram_url"]).read_text(encoding="utf-8")
        assert standalone.startswith("<svg") and 'role="img"' in standalone
        html = (site / sop["url"] / "index.html").read_text(encoding="utf-8")
        inline = html[html.index('<div class="sop-diagram"') :]
        assert inline.index("<svg") < inline.index("</svg>")
        assert 'width="100%"' in inline[: inline.index(">", inline.index("<svg"))]
        assert f'href="../../{sop["diagram_url"]}"' in html


def test_sop_page_has_print_buttons_to_real_pdfs(site: Path) -> None:
    for sop in site_sops(site):
        html = (site / sop["url"] / "index.html").read_text(encoding="utf-8")
        actions = html[html.index('<div class="sop-actions"') :]
        actions = actions[: actions.index("</div>")]
        for label, key in (
            ("Cetak lembar SOP (PDF)", "sheet_pdf_url"),
            ("Unduh daftar periksa (PDF)", "checklist_pdf_url"),
        ):
            href = re.search(rf'href="([^"]+)"[^>]*>\s*{re.escape(label)}', actions)
            assert href, label
            assert href[1] == f"../../{sop[key]}"
            pdf = site / sop[key]
            assert pdf.read_bytes().startswith(b"%PDF-")


def test_print_opens_the_sheet_and_the_other_buttons_download(site: Path) -> None:
    """The "Cetak" button opens the official sheet in the browser (to print it), in a new
    tab; the checklist and the Word sheet are downloads."""
    for sop in site_sops(site):
        html = (site / sop["url"] / "index.html").read_text(encoding="utf-8")
        actions = html[html.index('<div class="sop-actions"') :]
        actions = actions[: actions.index("</div>")]
        buttons = {label: attributes for attributes, label in re.findall(r"<a ([^>]*)>\s*([^<]*?)\s*</a>", actions)}
        assert set(buttons) == {"Cetak lembar SOP (PDF)", "Unduh daftar periksa (PDF)", "Unduh Word"}
        printing = buttons.pop("Cetak lembar SOP (PDF)")
        assert 'target="_blank"' in printing and 'rel="noopener"' in printing
        assert not re.search(r"(^|\s)download(\s|=|$)", printing), printing
        for label, attributes in buttons.items():
            assert re.search(r"(^|\s)download(\s|=|$)", attributes), label


def test_every_download_is_named_after_its_sop(site: Path) -> None:
    """A clerk saving several SOPs' files into one folder: no file overwrites another and
    each name says whose it is (``<sop-id>-lembar-sop.pdf``, ``<sop-id>-<dokumen>.xlsx``,
    ``<instansi>-daftar-sop.pdf``)."""
    names: list[str] = []
    for sop in site_sops(site):
        folder = site / "unduh" / sop["id"]
        files = sorted(p.name for p in folder.iterdir())
        assert len(files) >= 8 and all(name.startswith(f"{sop['id']}-") for name in files), files
        expected = {f"{sop['id']}-{kind}" for kind in ("lembar-sop.pdf", "daftar-periksa.pdf", "lembar-sop.docx")}
        assert expected | {f"{sop['id']}-diagram.svg"} <= set(files)
        assert {f"{sop['id']}-{w['id']}.xlsx" for w in sop["workbooks"]} <= set(files)
        names += files
    registers = sorted(p.name for p in (site / "sop").glob("*/*-daftar-sop.*"))
    assert "kecamatan-lumajang-daftar-sop.pdf" in registers and "kecamatan-lumajang-daftar-sop.xlsx" in registers
    assert not list((site / "sop").glob("*/daftar-sop.*"))
    names += registers
    assert len(names) == len(set(names)), "two downloads share a name"


def test_step_documents_link_to_real_workbooks(site: Path) -> None:
    linked = 0
    for sop in site_sops(site):
        html = (site / sop["url"] / "index.html").read_text(encoding="utf-8")
        for step in sop["steps"]:
            for document in step["documents"]:
                assert (site / document["url"]).read_bytes().startswith(b"PK"), document["url"]
                assert f'href="../../{document["url"]}"' in html
                linked += 1
        for workbook in sop["workbooks"]:
            assert (site / workbook["url"]).is_file()
        assert {"monitoring-pelaksanaan-sop", "evaluasi-penerapan-sop"} <= {w["id"] for w in sop["workbooks"]}
    assert linked >= 40
    data = json.loads((site / "api" / "sop.json").read_text(encoding="utf-8"))
    assert len(data["documents"]) == 7
    for document in data["documents"]:
        assert (site / document["template_url"]).is_file()


def test_documents_page_lists_every_template_and_its_uses(site: Path) -> None:
    text = _text((site / "dokumen" / "index.html").read_text(encoding="utf-8"))
    for title in (
        "Lembar Disposisi",
        "Format Pengumpulan Data Kinerja",
        "Kertas Kerja Pengukuran Kinerja",
        "Rekapitulasi Capaian Kinerja",
        "Lembar Kerja Evaluasi AKIP (LKE)",
        "Formulir Monitoring Pelaksanaan SOP AP",
        "Formulir Evaluasi Penerapan SOP AP",
    ):
        assert title in text
    assert "dihasilkan di langkah 4, 5, 6, 7; diperlukan di langkah 5, 6, 7" in text  # the kertas kerja of 002


def test_home_lists_sops_grouped_by_instansi_and_unit(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    text = _text(html)
    order = [
        text.index(h)
        for h in (
            "KECAMATAN BANGSAL",
            "KECAMATAN DAWARBLANDONG",
            "SUB BAGIAN PENYUSUNAN PROGRAM",
            "KECAMATAN LUMAJANG",
            "KECAMATAN PACE",
            "Instansi tidak disebutkan",
        )
    ]
    assert order == sorted(order)
    assert html.count('href="sop/') >= 5
    assert "<!-- sop:daftar -->" not in html


def _nav(html: str) -> str:
    """The primary navigation (the table of contents, in the secondary sidebar, left out)."""
    start = html.index('class="md-nav md-nav--primary')  # (--lifted: the menu is in the tabs)
    ends = [html.find(marker, start) for marker in ('md-sidebar--secondary"', 'class="md-content"')]
    return html[start : min(e for e in ends if e > 0)]


def test_the_sop_list_leads_to_each_instansi_and_back(site: Path) -> None:
    listing = ParsedPage((site / "sop" / "index.html").read_text(encoding="utf-8"))
    assert "5 SOP dari 5 instansi" in listing.text
    assert "kecamatan-lumajang/" in listing.links and "SUB BAGIAN KEUANGAN" in listing.text
    page = (site / "sop" / "lumajang-pengumpulan-data-kinerja" / "index.html").read_text(encoding="utf-8")
    trail = page[page.index('class="sop-trail"') :].split("</nav>")[0]
    assert 'href="../">Daftar SOP</a> › <a href="../kecamatan-lumajang/">KECAMATAN LUMAJANG</a>' in trail


def test_the_navigation_is_the_same_on_every_page(site: Path) -> None:
    """No list that grows with the portal (SOPs, instansi, roles, documents, families) is
    copied into every page: the navigation holds the sections' own pages only."""
    pages = [
        site / "sop" / "lumajang-pengumpulan-data-kinerja" / "index.html",
        site / "sop" / "dawarblandong-pengukuran-data-kinerja" / "index.html",
        site / "sop" / "kecamatan-pace" / "index.html",
        site / "jabatan" / "camat" / "index.html",
    ]
    navs = [ParsedPage(_nav(p.read_text(encoding="utf-8"))).text for p in pages]
    assert len(set(navs)) == 1
    nav = navs[0]
    assert "Daftar SOP" in nav and "Tugas per jabatan" in nav and "Perbandingan" in nav
    for grows in ("KECAMATAN", "Prosedur Pengumpulan", "Camat", "Lembar Kerja Evaluasi"):
        assert grows not in nav, grows


def test_instansi_overview_pages(site: Path) -> None:
    text = _text((site / "sop" / "kecamatan-lumajang" / "index.html").read_text(encoding="utf-8"))
    assert "SUB BAGIAN KEUANGAN" in text and "Prosedur Pengumpulan Data Kinerja" in text
    assert "427.90/26/01/2024" in text


def test_search_index_keeps_indonesian_words_whole(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["en"]
    assert index["config"]["pipeline"] == ["trimmer"], "no stemmer, no English stop words"
    corpus = " ".join(doc["text"] + " " + doc["title"] for doc in sections(site))
    for word in ("disposisi", "LKE", "Sekcam", "065/975/416-310/2022", "pengukuran"):
        assert word in corpus, word


def test_search_holds_what_people_look_for_not_the_views_repeating_it(site: Path) -> None:
    """Role, document and comparison pages repeat the SOPs' steps; the SOP pages' own lists of
    templates and similar SOPs repeat other pages. Search finds each thing where it is written."""
    docs = list(sections(site))
    pages = {doc["location"].split("#")[0] for doc in docs}
    assert not [p for p in pages if p.startswith(("jabatan/", "dokumen/", "perbandingan/")) and p.count("/") > 1]
    assert {"jabatan/", "dokumen/", "perbandingan/", "dasar-hukum/"} <= pages  # their index pages stay
    sop = [doc for doc in docs if doc["location"].startswith("sop/lumajang-pengumpulan-data-kinerja/")]
    titles = {doc["title"] for doc in sop}
    assert {"Dasar Hukum", "Prosedur"} <= titles
    assert not titles & {"Formulir dan templat", "SOP sejenis"}
    assert "Geser ke samping" not in " ".join(doc["text"] for doc in sop)
    # The steps are still found on their SOP's page.
    assert any("disposisi" in doc["text"].lower() for doc in sop)


def test_theme_is_indonesian_material(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="id"' in html
    assert "assets/javascripts/bundle." in html  # the real Material theme
    assert "fonts.googleapis.com" not in html


def test_schema_is_published(site: Path) -> None:
    published = json.loads((site / "schema" / "sop.schema.json").read_text(encoding="utf-8"))
    assert published["title"] == "Sumber SOP Administrasi Pemerintahan"


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_failed_build_leaves_previous_site_untouched(project_copy: Path, tmp_path: Path) -> None:
    site = project_copy / "site"
    first = _build(project_copy, site)
    assert first.returncode == 0, first.stderr
    before = _digest(site)

    broken = project_copy / "sop_sources" / "sop" / "pace-pengumpulan-data-kinerja.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("pelaksana: Sekcam\n", "pelaksana: Sekcamm\n", 1), encoding="utf-8"
    )
    second = _build(project_copy, site)

    assert second.returncode != 0
    assert "sop_sources/sop/pace-pengumpulan-data-kinerja.yaml:" in second.stderr
    assert "pelaksana `Sekcamm` tidak ada" in second.stderr
    assert "Traceback" not in second.stderr
    assert _digest(site) == before
    assert not list(project_copy.glob(".site.*")), "no staging folder is left behind"


def test_a_download_that_cannot_be_made_fails_the_build_and_keeps_the_site(project_copy: Path) -> None:
    """The downloads are made beside the pages, on worker processes: one that fails (an office's
    checklist template, broken) fails the build in Indonesian, names the template, and leaves the
    published site as it was."""
    site = project_copy / "site"
    first = _build(project_copy, site)
    assert first.returncode == 0, first.stderr
    before = _digest(site)

    override = project_copy / "overrides" / "sop" / "print" / "checklist.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text("<p>{% if %}</p>\n", encoding="utf-8")
    second = _build(project_copy, site)

    assert second.returncode != 0
    assert "artefak SOP tidak dapat dibuat" in second.stderr and "checklist.html.j2" in second.stderr, second.stderr
    assert "Traceback" not in second.stderr
    assert _digest(site) == before
    assert not list(project_copy.glob(".site.*")), "no staging folder is left behind"


def test_plain_mkdocs_build_fails_cleanly_on_source_errors(project_copy: Path) -> None:
    """`mkdocs build` straight from mkdocs.yml stops before touching site/ too."""
    site = project_copy / "site"
    site.mkdir()
    (site / "keep.txt").write_text("lama", encoding="utf-8")
    (project_copy / "sop_sources" / "sop" / "rusak.yaml").write_text("nama_sop: [\n", encoding="utf-8")
    result = _python("mkdocs", "build", "-f", str(project_copy / "mkdocs.yml"))
    assert result.returncode == 1
    assert "sop_sources/sop/rusak.yaml:2:1" in result.stderr
    assert (site / "keep.txt").read_text(encoding="utf-8") == "lama"


def test_the_documented_example_passes_the_strict_check(project_copy: Path) -> None:
    """The guide tells maintainers to copy docs/panduan/contoh-sop.yaml into sop_sources/sop/:
    it must pass what `make check` runs, the strict build included."""
    shutil.copy2(ROOT / "docs" / "panduan" / "contoh-sop.yaml", project_copy / "sop_sources" / "sop")
    checked = _python("generator", "--root", str(project_copy), "check", "--strict")
    assert checked.returncode == 0, checked.stderr[-2000:]
    assert "6 SOP valid; 0 galat, 0 peringatan" in checked.stdout
    built = _build(project_copy, project_copy / "site", "--strict")
    assert built.returncode == 0, built.stderr[-2000:]


def test_a_strict_failure_lists_its_warnings_in_indonesian(project_copy: Path) -> None:
    source = project_copy / "sop_sources" / "sop" / "pace-pengumpulan-data-kinerja.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("waktu: 15 menit", "waktu: lima belas mnt", 1), encoding="utf-8")
    site = project_copy / "site"
    cli = _python("generator", "--root", str(project_copy), "build", "--strict", "--site-dir", str(site))
    plain = _python("mkdocs", "build", "--strict", "-f", str(project_copy / "mkdocs.yml"), "-d", str(site))
    for result in (cli, plain):
        assert result.returncode == 1
        assert "Build ketat (--strict) dihentikan: 1 peringatan dianggap galat" in result.stderr
        assert "  - sop_sources/sop/pace-pengumpulan-data-kinerja.yaml:68:12: peringatan" in result.stderr
        assert "waktu tidak dikenali sebagai durasi" in result.stderr
        assert "Traceback" not in result.stderr
    # The CLI says it in Indonesian only (MkDocs' English line is not repeated).
    assert "Aborted with" not in cli.stdout + cli.stderr
    assert "situs sebelumnya tidak diubah" in cli.stderr


def test_check_command_reports_and_exits_non_zero(project_copy: Path) -> None:
    (project_copy / "sop_sources" / "sop" / "kosong.yaml").write_text("", encoding="utf-8")
    result = _python("generator", "--root", str(project_copy), "check")
    assert result.returncode == 1
    assert "sop_sources/sop/kosong.yaml:1:1: galat: berkas kosong" in result.stderr
    assert "5 SOP valid; 1 galat" in result.stdout


def test_serve_keeps_the_configured_site_url_for_qr_codes(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    from generator.mkdocs_plugin import _configured_site_url

    (tmp_path / "docs").mkdir()
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: x\nsite_url: https://sop.contoh.go.id/\n", encoding="utf-8")
    config = load_config(str(config_file))
    config.site_url = "http://127.0.0.1:8000/"  # what `mkdocs serve` does
    assert _configured_site_url(config) == "https://sop.contoh.go.id/"


def test_generated_pages_are_not_written_into_docs(site: Path) -> None:
    assert not (ROOT / "docs" / "sop").exists()


def test_render_writes_what_the_build_publishes(project_copy: Path) -> None:
    """The CLI and the plugin read the same settings from mkdocs.yml: with a site address, another
    section and F4 paper, `render` writes byte for byte the files `build` publishes."""
    config = project_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("# site_url: https://sop.example.go.id/", "site_url: https://sop.contoh.go.id/")
    text = text.replace("Daftar SOP: sop/", "Daftar SOP: prosedur/")
    options = "      sources: sop_sources\n"
    text = text.replace(options, options + "      section: prosedur\n      paper: F4\n")
    config.write_text(text, encoding="utf-8")
    site = project_copy / "site"
    built = _build(project_copy, site)
    assert built.returncode == 0, built.stderr
    out = project_copy / "rendered"
    rendered = _python("generator", "--root", str(project_copy), "render", "--out", str(out))
    assert rendered.returncode == 0, rendered.stderr
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    pages = [f for f in files if f.endswith(".md")]
    assert "prosedur/bangsal-pengumpulan-data-kinerja.md" in pages
    others = [f for f in files if not f.endswith(".md")]
    bangsal = "unduh/bangsal-pengumpulan-data-kinerja/bangsal-pengumpulan-data-kinerja"  # its files' path and prefix
    assert len(others) > 40 and f"{bangsal}-lembar-sop.pdf" in others
    for name in others:
        assert (out / name).read_bytes() == (site / name).read_bytes(), name
    sheet = PdfReader(site / f"{bangsal}-lembar-sop.pdf")
    assert round(float(sheet.pages[0].mediabox.width) / 72 * 25.4) == 330  # F4, landscape
    checklist = PdfReader(site / f"{bangsal}-daftar-periksa.pdf")
    links = {str(a.get_object()["/A"]["/URI"]) for page in checklist.pages for a in page.get("/Annots", [])}
    assert f"https://sop.contoh.go.id/{bangsal}-lembar-disposisi.xlsx" in links


def test_a_render_failure_is_a_clean_build_error(project_copy: Path) -> None:
    """A broken template (here an override) stops the build with a message, not a traceback."""
    overrides = project_copy / "overrides" / "sop" / "print"
    overrides.mkdir(parents=True)
    (overrides / "checklist.html.j2").write_text("{% if %}", encoding="utf-8")
    site = project_copy / "site"
    result = _build(project_copy, site)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert not site.exists()


# ---------------------------------------------------------------- views across SOPs


def _page_text(site: Path, url: str) -> str:
    """The text of a page's article (navigation and table of contents left out)."""
    html = (site / url / "index.html").read_text(encoding="utf-8")
    return _text(html[html.index("<article") : html.index("</article>")])


def _catalogue(site: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((site / "api" / "sop.json").read_text(encoding="utf-8"))
    return data


def test_role_view_merges_spellings_and_lists_every_step(site: Path) -> None:
    text = _page_text(site, "jabatan/sekretaris-kecamatan")
    assert "Ditulis di SOP sebagai: “Sekcam”, “SEKCAM”, “Sekretaris”" in text
    for step in (
        "Menyampaikan format pengumpulan data dan informasi kinerja dari masing-masing bagian",  # Bangsal 2
        "Sekcam melakukan rapat dengan Tim SAKIP",  # Dawarblandong 2, joint
        "Meneruskan surat Kepada Camat melalui Sekretaris Camat",  # Lumajang 2, chain
        "Mencermati dan mengoreksi data kinerja",  # Pace 8
    ):
        assert step in text
    assert "bersama TIM SAKIP" in text and "berantai dengan Staf Penerima Surat" in text
    assert "LKj" not in text, "the Satpol PP's Sekretaris is another role"
    # Material's tags: the SOP pages tagged with the role are listed, and their tag links here.
    html = (site / "jabatan" / "sekretaris-kecamatan" / "index.html").read_text(encoding="utf-8")
    assert html.count('href="../../sop/') >= 8
    page = (site / "sop" / "lumajang-pengumpulan-data-kinerja" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a [^>]*href="../../jabatan/sekretaris-kecamatan/#tag:sekretaris-kecamatan"', page)
    index = _page_text(site, "jabatan")
    assert "Jabatan Pelaksana Pelaksana, Jabatan Pelaksana 2 11" in index


def test_legal_view_joins_spellings_and_is_linked_from_each_sop(site: Path) -> None:
    html = (site / "dasar-hukum" / "index.html").read_text(encoding="utf-8")
    text = _page_text(site, "dasar-hukum")
    assert text.count("Undang-Undang Nomor 23 Tahun 2014 ¶") == 1
    assert 'id="uu-23-2014"' in html and 'id="permen-panrb-53-2014"' in html
    section = text[text.index("Undang-Undang Nomor 23 Tahun 2014") : text.index("Peraturan Pemerintah Nomor 12")]
    assert "Dirujuk oleh 2 SOP" in section and "KECAMATAN BANGSAL" in section and "DAWARBLANDONG" in section
    panrb53 = text[text.index("Birokrasi Nomor 53 Tahun 2014 ¶") :]
    assert "Dirujuk oleh 1 SOP" in panrb53[:300]  # the LKj SOP cites it twice, in two spellings
    page = (site / "sop" / "lumajang-pengumpulan-data-kinerja" / "index.html").read_text(encoding="utf-8")
    for anchor in re.findall(r'href="../../dasar-hukum/#([a-z0-9-]+)"', page):
        assert f'id="{anchor}"' in html
    assert len(re.findall(r'href="../../dasar-hukum/#', page)) == 2


def test_document_view_follows_the_document_through_each_sop(site: Path) -> None:
    text = _page_text(site, "dokumen/lembar-disposisi")
    flows = text[text.index("Alur dokumen") :]
    bangsal = flows[flows.index("PENGUMPULAN DATA KINERJA ¶ KECAMATAN BANGSAL") :]
    assert "1 Memerintahkan pengisian LKE dan penyusunan Dokumen AKIP Camat Lembar disposisi" in bangsal
    assert "2 Menyampaikan format pengumpulan data" in bangsal
    paths = {d["id"]: d for d in _catalogue(site)["documents"]}  # type: ignore[attr-defined]
    detail = json.loads((site / paths["lembar-disposisi"]["detail_url"]).read_text(encoding="utf-8"))
    bangsal_path = next(p for p in detail["path"] if p["sop"] == "bangsal-pengumpulan-data-kinerja")
    assert bangsal_path["produced_at"] == ["1", "2"] and bangsal_path["consumed_at"] == ["2"]
    assert (site / paths["lembar-disposisi"]["url"] / "index.html").is_file()


def test_comparison_view_puts_the_seed_family_side_by_side(site: Path) -> None:
    html = (site / "perbandingan" / "pengumpulan-data-kinerja" / "index.html").read_text(encoding="utf-8")
    text = _page_text(site, "perbandingan/pengumpulan-data-kinerja")
    for name in ("KECAMATAN BANGSAL", "KECAMATAN DAWARBLANDONG", "KECAMATAN LUMAJANG", "KECAMATAN PACE"):
        assert name in text
    assert "Jumlah langkah berbeda 11 paling banyak 11 paling banyak 7 paling sedikit 9 8" in text
    assert "Tahap: Perintah dan disposisi" in text and "Tahap: Penyampaian dan pengarsipan" in text
    assert 'class="sop-diff-item">Staf Penerima Surat</li>' in html
    assert "Sama di semua SOP" not in text.split("Pelaksana berbeda")[1][:40]
    page = _page_text(site, "sop/pace-pengumpulan-data-kinerja")
    assert "SOP sejenis" in page and "Bandingkan berdampingan" in page


def test_review_views_list_overdue_and_recent_sops(site: Path) -> None:
    text = _page_text(site, "perlu-ditinjau")
    assert "5 dari 5 SOP perlu ditinjau" in text  # the newest seed took effect on 1 Februari 2024
    assert "tidak tercantum" in text  # the LKj SOP has no dates
    recent = _page_text(site, "perubahan-terbaru")
    order = [recent.index(d) for d in ("26 Januari 2024", "5 Oktober 2023", "30 Juni 2022", "4 Januari 2021")]
    assert order == sorted(order)
    assert "26 Januari 2024 Prosedur Pengumpulan Data Kinerja KECAMATAN LUMAJANG Revisi tidak dicatat" in recent
    assert "SOP tanpa tanggal: Prosedur pengumpulan data kinerja (LKj)" in recent
    page = _page_text(site, "sop/lumajang-pengumpulan-data-kinerja")
    assert "Perlu ditinjau" in page and "sudah lewat jatuh tempo" in page
    assert "Riwayat ¶ Tanggal Kejadian Perubahan Disetujui oleh 1 Pebruari 2024 Mulai berlaku" in page
    assert "26 Januari 2024 Revisi tidak dicatat" in page


def test_catalogue_carries_the_indexes_with_working_urls(site: Path) -> None:
    data = _catalogue(site)
    for key in ("roles", "legal_bases", "families"):
        assert data[key], key
    for role in data["roles"]:  # type: ignore[attr-defined]
        assert (site / role["url"] / "index.html").is_file()
        # The index names the role; its steps are in the role's own file.
        assert "duties" not in role and role["detail_url"] == f"api/jabatan/{role['id']}.json"
        detail = json.loads((site / role["detail_url"]).read_text(encoding="utf-8"))
        assert len(detail["duties"]) == role["duty_count"] > 0
        assert {k: v for k, v in detail.items() if k in role} == {k: v for k, v in role.items() if k in detail}
    for document in data["documents"]:  # type: ignore[attr-defined]
        assert "used_in" not in document and "path" not in document
        detail = json.loads((site / document["detail_url"]).read_text(encoding="utf-8"))
        assert detail["id"] == document["id"] and (detail["used_in"] or document["for_every_sop"]), document["id"]
        for use in detail["used_in"]:
            assert (site / use["url"]).is_file()
    for family in data["families"]:  # type: ignore[attr-defined]
        assert (site / family["url"] / "index.html").is_file()
    html = (site / "dasar-hukum" / "index.html").read_text(encoding="utf-8")
    for regulation in data["legal_bases"]:  # type: ignore[attr-defined]
        page, anchor = regulation["url"].split("#")
        assert page == "dasar-hukum/" and f'id="{anchor}"' in html
    sops = {s["id"]: s for s in site_sops(site)}
    lumajang = sops["lumajang-pengumpulan-data-kinerja"]
    assert lumajang["review"]["due"] and lumajang["review"]["evaluation_due"] == "2025-02-01"
    assert [e["kejadian"] for e in lumajang["riwayat"]] == ["Mulai berlaku", "Revisi", "Pembuatan"]
    assert (
        lumajang["roles"]["Sekretaris"] == "sekretaris-kecamatan" and lumajang["keluarga"] == "pengumpulan-data-kinerja"
    )
    assert set(data["review"]["due"]) == set(sops)  # type: ignore[index]


def test_check_warns_about_reviews_without_failing(tmp_path: Path) -> None:
    result = _python("generator", "--root", str(ROOT), "check", "--strict")
    assert result.returncode == 0, result.stderr
    assert "5 SOP perlu ditinjau" in result.stdout
    source = ROOT / "sop_sources" / "sop" / "lumajang-pengumpulan-data-kinerja.yaml"
    lines = source.read_text(encoding="utf-8").splitlines()
    newest = next(i for i, line in enumerate(lines, start=1) if line.startswith("tanggal_efektif:"))
    assert f"sop_sources/sop/lumajang-pengumpulan-data-kinerja.yaml:{newest}: peringatan" in result.stderr


def test_build_loads_and_checks_the_sources_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`python -m generator build` hands its checked catalogue to the MkDocs build."""
    import shutil

    from generator import __main__ as cli
    from generator.pipeline import portal as pipeline

    from .conftest import minimal_sop

    shutil.copy2(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    for folder in ("docs", "overrides"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "sop_sources" / "sop").mkdir(parents=True)
    (tmp_path / "sop_sources" / "sop" / "satu.yaml").write_text(minimal_sop("satu"), encoding="utf-8")
    calls: list[Path] = []
    real = pipeline.load_catalogue

    def counting(source_dir: Path, *args: object, **kwargs: object) -> object:
        calls.append(source_dir)
        return real(source_dir, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "load_catalogue", counting)
    status = cli.main(["--root", str(tmp_path), "build", "--site-dir", str(tmp_path / "site")])
    assert status == 0
    assert (tmp_path / "site" / "sop" / "satu" / "index.html").is_file()
    assert len(calls) == 1


def test_each_instansi_publishes_its_sop_register(site: Path) -> None:
    """The list a Bagian Organisasi asks for: nomor, nama, dates and review status, on the
    instansi's page, as a PDF and as a workbook."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    folder = site / "sop" / "kecamatan-lumajang"
    text = _text((folder / "index.html").read_text(encoding="utf-8"))
    assert "Register SOP" in text and "Cetak daftar SOP (PDF)" in text
    assert "427.90/26/01/2024 Prosedur Pengumpulan Data Kinerja 5 Januari 2024 26 Januari 2024 1 Pebruari 2024" in text
    pdf = " ".join(page.extract_text() for page in PdfReader(folder / "kecamatan-lumajang-daftar-sop.pdf").pages)
    assert "DAFTAR STANDAR OPERASIONAL PROSEDUR (SOP)" in pdf and "KECAMATAN LUMAJANG" in pdf
    assert "427.90/26/01/2024" in pdf and "Perlu ditinjau (evaluasi sejak" in pdf
    sheet = load_workbook(folder / "kecamatan-lumajang-daftar-sop.xlsx").active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(rows) if row[0] == "No")
    assert rows[header][:3] == ["No", "Nomor SOP", "Nama SOP"]
    entry = rows[header + 1]
    assert entry[0] == 1 and entry[1] == "427.90/26/01/2024" and entry[4] == "5 Januari 2024"
    assert str(entry[7]).startswith("Perlu ditinjau")
    assert sheet.auto_filter.ref and sheet.freeze_panes
    # An office with two SOPs lists both, numbered.
    mojokerto = _text((site / "sop" / "kecamatan-bangsal" / "index.html").read_text(encoding="utf-8"))
    assert "065/975/416-310/2022" in mojokerto
