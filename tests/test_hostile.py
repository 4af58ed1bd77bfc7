"""One hostile string pushed through every field of a source into every artifact: it must
land as text everywhere (HTML, search index, SVG, DOT, print HTML and PDF, workbooks, JSON)
and never as markup, script, link or formula; names from sources never leave the output."""

from __future__ import annotations

import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from generator.print.diagram import WEB_SPEC, page_dot
from generator.print.layout import layout_sheet
from generator.sources.catalogue import load_catalogue
from generator.web.search_index import sections

from .conftest import ROOT, ParsedPage, build, site_sops

PAYLOAD = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> **tebal** [tautan](http://evil.invalid) "
    '{{ 7*7 }} {% if %} "kutip" \'s\' \\ {a} | =HYPERLINK("http://evil.invalid") ../../etc/passwd & é 😀'
)
"""Markup of every kind the text travels through: HTML, Markdown, Jinja, DOT/record
syntax, CSV/Excel formula, a path, and characters outside ASCII."""

SHORT = '<b>"x"</b> & {y} \\z'
"""For role names (they are lookup keys, so kept shorter, but still markup)."""


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _source() -> str:
    p = _q(PAYLOAD)
    role_a, role_b = _q("Camat " + SHORT), _q("Sekcam " + SHORT)
    return f"""\
id: hostile
nama_sop: {p}
nomor_sop: {p}
pemerintah: {p}
instansi: {p}
alamat: {p}
unit: {p}
sub_unit: {p}
tanggal_pembuatan: 2 Januari 2025
tanggal_revisi: 3 Maret 2025
disahkan_oleh: {{jabatan: {p}, nama: {p}, pangkat: {p}, nip: {p}}}
dasar_hukum: [{p}, {_q("Peraturan Bupati " + PAYLOAD + " Nomor 1 Tahun 2020 tentang " + PAYLOAD)}]
kualifikasi_pelaksana: [{p}]
keterkaitan: [{p}, {{sop: hostile-b, teks: {p}}}]
peralatan_perlengkapan: [{p}]
peringatan: {p}
pencatatan_pendataan: [{p}]
judul_uraian: {p}
riwayat:
  - {{tanggal: 3 Maret 2025, jenis: revisi, perubahan: {p}, disetujui_oleh: {p}}}
pelaksana: [{role_a}, {role_b}]
langkah:
  - no: 1
    kegiatan: {p}
    pelaksana: {role_a}
    kelengkapan: [{p}, {{dokumen: lembar-disposisi, teks: {p}}}]
    waktu: 10 menit
    output: [{p}]
    keterangan: {p}
    tahap: {p}
  - no: 2
    kegiatan: {p}
    jenis: keputusan
    pelaksana: {role_b}
    ya: 3
    tidak: 1
    waktu: {p}
  - no: 3
    kegiatan: {p}
    pelaksana: [{role_a}, {role_b}]
    output: [{{dokumen: lembar-disposisi, teks: {p}}}]
"""


SECOND = """\
id: hostile-b
nama_sop: Pelayanan Lain
instansi: KECAMATAN UJI
pelaksana: [Camat]
langkah:
  - no: 1
    kegiatan: Menerima
    pelaksana: Camat
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    for name in ("mkdocs.yml",):
        shutil.copy2(ROOT / name, root / name)
    for folder in ("docs", "overrides"):
        shutil.copytree(ROOT / folder, root / folder)
    sources = root / "sop_sources"
    shutil.copytree(ROOT / "sop_sources" / "dokumen", sources / "dokumen")
    (sources / "sop").mkdir()
    (sources / "sop" / "hostile.yaml").write_text(_source(), encoding="utf-8")
    (sources / "sop" / "hostile-b.yaml").write_text(SECOND, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    out = project / "site"
    result = build(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _parse(path: Path) -> ParsedPage:
    return ParsedPage(path.read_text(encoding="utf-8"))


def _assert_inert_html(path: Path) -> ParsedPage:
    page = _parse(path)
    for tag, attrs in page.tags:
        assert tag not in ("img",) or attrs.get("src") != "x", f"{path}: the payload's <img> became an element"
        assert not any(name.startswith("on") for name in attrs), f"{path}: an event handler attribute"
        assert "evil.invalid" not in (attrs.get("href") or ""), f"{path}: the payload's link became a link"
    assert not any("alert(" in s for s in page.scripts), f"{path}: the payload ran as a script"
    return page


HTML_PAGES = [
    "sop/hostile/index.html",
    "sop/index.html",
    "dasar-hukum/index.html",
    "perlu-ditinjau/index.html",
    "perubahan-terbaru/index.html",
    "dokumen/lembar-disposisi/index.html",
    "index.html",
]


@pytest.mark.parametrize("page", HTML_PAGES)
def test_html_pages_show_the_payload_as_text(site: Path, page: str) -> None:
    parsed = _assert_inert_html(site / page)
    text = parsed.text
    assert "<script>alert(1)</script>" in text
    if page.startswith("sop/hostile/"):
        assert "**tebal** [tautan](http://evil.invalid) {{ 7*7 }} {% if %}" in text
        assert text.count("<script>alert(1)</script>") >= 15, "every field carries it"


def test_role_pages_and_tags_keep_role_names_as_text(site: Path) -> None:
    roles = sorted(p for p in (site / "jabatan").glob("*/index.html") if p.parent.name != "camat")
    assert len(roles) == 2  # the payload's two roles (the other SOP's plain "Camat" aside)
    for page in roles:
        parsed = _assert_inert_html(page)
        assert SHORT in parsed.text
    sop_page = _parse(site / "sop" / "hostile" / "index.html")
    tags = [attrs for tag, attrs in sop_page.tags if tag == "a" and "md-tag" in (attrs.get("class") or "")]
    assert len(tags) == 2 and all("#tag:" in (a.get("href") or "") for a in tags)


def test_search_index_holds_escaped_text(site: Path) -> None:
    texts = [d["text"] + d["title"] for d in sections(site) if d["location"].startswith("sop/hostile/")]
    assert texts
    joined = " ".join(texts)
    # The index holds HTML that the search box shows as it is: the payload must be entities.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in joined
    assert "<script>" not in joined and "<img" not in joined


def test_svg_and_dot_hold_the_payload_as_text(site: Path, project: Path) -> None:
    svg = (site / "unduh" / "hostile" / "hostile-diagram.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)  # well-formed: quotes, ampersands and brackets are escaped
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert "<script>" in "".join(root.itertext())
    catalogue = load_catalogue(project / "sop_sources", project)
    sop = catalogue.get("hostile")
    dot = page_dot(layout_sheet(sop, WEB_SPEC)[0])
    # DOT labels are quoted strings (never HTML-like <...> labels): quotes and backslashes
    # are escaped, so the text cannot end the string or add attributes.
    assert "label=<" not in dot
    assert '\\"kutip\\"' in dot and " \\\\ {a}" in dot  # \"kutip\" and \\ in the DOT text


def test_pdfs_print_the_payload_as_text(site: Path) -> None:
    for name in ("hostile-lembar-sop.pdf", "hostile-daftar-periksa.pdf"):
        reader = PdfReader(io.BytesIO((site / "unduh" / "hostile" / name).read_bytes()))
        text = " ".join(page.extract_text() or "" for page in reader.pages)
        assert "<script>alert(1)</script>" in " ".join(text.split()), name
        assert not any(
            "/URI" in str(a.get_object()) and "evil" in str(a.get_object())
            for p in reader.pages
            for a in p.get("/Annots") or []
        )


def test_workbooks_hold_the_payload_as_text_never_a_formula(site: Path) -> None:
    path = site / "unduh" / "hostile" / "hostile-lembar-disposisi.xlsx"
    workbook = load_workbook(path)
    found = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                    assert cell.data_type == "s" and not cell.value.startswith("="), cell.coordinate
                    found += 1
    assert found >= 1


def test_catalogue_json_keeps_the_exact_text(site: Path) -> None:
    sop = next(s for s in site_sops(site) if s["id"] == "hostile")
    assert sop["nama"] == PAYLOAD and sop["steps"][0]["kegiatan"] == PAYLOAD
    assert sop["riwayat"][0]["perubahan"] == PAYLOAD


def test_nothing_is_written_outside_the_output(project: Path, site: Path) -> None:
    written = {p.resolve() for p in site.rglob("*")}
    assert all(p.is_relative_to(site.resolve()) for p in written)
    assert not (project / "etc").exists() and not (site.parent.parent / "etc").exists()


@pytest.mark.parametrize("bad_id", ["../../etc/x", "a/b", "..", "CON", "x y"])
def test_ids_that_could_leave_the_output_are_refused(tmp_path: Path, bad_id: str) -> None:
    sources = tmp_path / "sop_sources"
    (sources / "sop").mkdir(parents=True)
    (sources / "sop" / "x.yaml").write_text(SECOND.replace("id: hostile-b", f"id: {_q(bad_id)}"), encoding="utf-8")
    catalogue = load_catalogue(sources, tmp_path)
    assert catalogue.sops == () and [p.line for p in catalogue.errors] == [1]


SECRET = "kata-sandi-bank-123"
"""Content of a file outside the project that a link tries to pull in."""


def test_links_out_of_the_project_are_refused_unread(tmp_path: Path) -> None:
    outside = tmp_path / "luar"
    (outside / "folder").mkdir(parents=True)
    (outside / "rahasia.yaml").write_text(f"rahasia: {SECRET}\n", encoding="utf-8")
    (outside / "folder" / "sop.yaml").write_text(SECOND, encoding="utf-8")
    (outside / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    project = tmp_path / "proyek"
    sources = project / "sop_sources"
    (sources / "sop" / "sub").mkdir(parents=True)
    (sources / "sop" / "a.yaml").symlink_to(outside / "rahasia.yaml")  # a file
    (sources / "sop" / "b").symlink_to(outside / "folder")  # a folder
    (sources / "sop" / "sub" / "putaran").symlink_to(sources / "sop")  # a loop: its files are read once
    (sources / "sop" / "logo.png").symlink_to(outside / "logo.png")
    logo = SECOND.replace("id: hostile-b\n", "id: dengan-logo\nlogo: logo.png\n")
    (sources / "sop" / "c.yaml").write_text(logo, encoding="utf-8")
    escape = SECOND.replace("id: hostile-b\n", "id: logo-jalur\nlogo: ../../../luar/logo.png\n")
    (sources / "sop" / "d.yaml").write_text(escape, encoding="utf-8")

    catalogue = load_catalogue(sources, project)
    found = {(p.file, p.code) for p in catalogue.problems}
    assert found == {
        ("sop_sources/sop/a.yaml", "outside-project"),
        ("sop_sources/sop/b", "outside-project"),
        ("sop_sources/sop/c.yaml", "logo-outside"),
        ("sop_sources/sop/d.yaml", "logo-outside"),
    }
    assert catalogue.sops == () and len(catalogue.problems) == 4
    text = "\n".join(p.format() for p in catalogue.problems)
    assert SECRET not in text and "rahasia:" not in text


def test_a_link_inside_the_project_is_read(tmp_path: Path) -> None:
    sources = tmp_path / "sop_sources"
    (sources / "sop").mkdir(parents=True)
    (tmp_path / "arsip").mkdir()
    (tmp_path / "arsip" / "b.yaml").write_text(SECOND, encoding="utf-8")
    (sources / "sop" / "b.yaml").symlink_to(tmp_path / "arsip" / "b.yaml")
    (tmp_path / "lain").mkdir()
    (sources / "sop" / "lain").symlink_to(tmp_path / "lain")  # a folder elsewhere: not followed, named
    catalogue = load_catalogue(sources, tmp_path)
    assert [s.id for s in catalogue.sops] == ["hostile-b"]
    assert catalogue.sops[0].source == "sop_sources/sop/b.yaml"
    assert [(p.file, p.code) for p in catalogue.errors] == [("sop_sources/sop/lain", "linked-folder")]
