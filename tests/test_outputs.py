"""Every output path has one owner: a source whose id or name would take a path the portal
(or another source, or a hand-written page) already writes is an error naming both, before
anything is written. Before this, the later file silently overwrote the earlier with exit 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline.outputs import Claim, Owner, collisions
from generator.pipeline.portal import Portal, PortalSettings
from generator.site import SiteLayout

from .conftest import ROOT, SourceWriter, build, minimal_sop


def _portal(sources: Path, *, docs: Path | None = None, layout: SiteLayout | None = None) -> Portal:
    root = sources.parent
    return Portal(
        PortalSettings(root=root, sources=sources, use_cache=False, docs_dir=docs, layout=layout or SiteLayout())
    )


def _collisions(portal: Portal) -> list[str]:
    return [p.format() for p in portal.problems if p.code == "output-collision"]


def test_the_seeds_claim_every_path_once() -> None:
    portal = Portal(PortalSettings(root=ROOT, sources=ROOT / "sop_sources", docs_dir=ROOT / "docs"))
    assert _collisions(portal) == []
    paths = [claim.path for claim in portal.claims()]
    assert len(paths) == len(set(paths))
    # Every page and file the build writes is claimed (a folder claim covers its files).
    folders = [p for p in paths if p.endswith("/")]
    for generated in portal.generate():
        path = generated.path
        if generated.is_page:
            path = path[: -len(".md")] + "/index.html" if not path.endswith("index.md") else path[:-2] + "html"
        assert path in paths or any(path.startswith(f) for f in folders), path


def test_an_sop_named_like_an_instansi_page(write_sources: SourceWriter) -> None:
    # KECAMATAN UJI has its overview page at sop/kecamatan-uji/: an SOP with that id would be
    # written to the same file.
    sources = write_sources(
        {"a.yaml": minimal_sop("uji", "SOP A"), "b.yaml": minimal_sop("kecamatan-uji", "SOP B", "002")}
    )
    portal = _portal(sources)
    assert not portal.ok
    (message,) = _collisions(portal)
    assert message.startswith("sop_sources/sop/b.yaml:1: galat pada `id`: jalur `sop/kecamatan-uji/index.html`")
    assert "SOP `kecamatan-uji` (sop_sources/sop/b.yaml:1)" in message
    assert "halaman instansi `KECAMATAN UJI` (dari `instansi` di sop_sources/sop/a.yaml:4)" in message
    assert "perbaikan : beri SOP ini `id` lain" in message


def test_an_sop_in_the_templates_folder(write_sources: SourceWriter) -> None:
    sources = write_sources({"templat.yaml": minimal_sop("templat")})
    (message,) = _collisions(_portal(sources))
    assert "jalur `unduh/templat/`" in message and "templat kosong dokumen" in message
    assert message.startswith("sop_sources/sop/templat.yaml:1: galat pada `id`")


def test_an_sop_id_from_its_file_name_is_named_as_such(write_sources: SourceWriter) -> None:
    sources = write_sources({"templat.yaml": minimal_sop("x").replace("id: x\n", "")})
    (message,) = _collisions(_portal(sources))
    assert message.startswith("sop_sources/sop/templat.yaml: galat")
    assert "(atau ganti nama berkasnya)" in message


def test_index_is_reserved_for_the_section_page(write_sources: SourceWriter) -> None:
    sources = write_sources({"a.yaml": minimal_sop("index")})
    portal = _portal(sources)
    assert [(p.code, p.line) for p in portal.problems if p.is_error] == [("reserved-id", 1)]


def test_a_hand_written_page_where_the_portal_writes_its_own(write_sources: SourceWriter, tmp_path: Path) -> None:
    sources = write_sources({"a.yaml": minimal_sop("uji")})
    docs = tmp_path / "docs"
    (docs / "sop").mkdir(parents=True)
    (docs / "dasar-hukum.md").write_text("# Dasar hukum kami\n", encoding="utf-8")
    (docs / "sop" / "uji.md").write_text("# Halaman sendiri\n", encoding="utf-8")
    (docs / "api").mkdir()
    (docs / "api" / "sop.json").write_text("{}", encoding="utf-8")
    (docs / ".catatan.md").write_text("tidak diterbitkan\n", encoding="utf-8")  # hidden: MkDocs skips it
    messages = _collisions(_portal(sources, docs=docs))
    assert len(messages) == 3, messages
    joined = "\n".join(messages)
    assert "docs/dasar-hukum.md: galat: jalur `dasar-hukum/index.html`" in joined
    assert "halaman bawaan `Dasar hukum`" in joined
    # The SOP's page is claimed by the SOP and the hand-written file: both are named.
    assert "docs/sop/uji.md: galat: jalur `sop/uji/index.html`" in joined
    assert "SOP `uji` (sop_sources/sop/a.yaml:1)" in joined
    assert "docs/api/sop.json: galat: jalur `api/sop.json`" in joined


def test_without_directory_urls_the_paths_are_compared_as_written(write_sources: SourceWriter) -> None:
    # sop/kecamatan-uji.html and sop/kecamatan-uji/index.html are two files: no collision.
    sources = write_sources({"a.yaml": minimal_sop("uji"), "b.yaml": minimal_sop("kecamatan-uji", "SOP B", "002")})
    assert _collisions(_portal(sources, layout=SiteLayout(directory_urls=False))) == []


def test_a_section_setting_that_lands_on_the_portal_s_own_pages(write_sources: SourceWriter) -> None:
    # `section: dokumen` in mkdocs.yml puts the SOP pages beside the document pages: an SOP
    # whose id is a document's would overwrite that document's page.
    sources = write_sources({"a.yaml": minimal_sop("laporan")})
    (sources / "dokumen").mkdir()
    (sources / "dokumen" / "laporan.yaml").write_text(
        "id: laporan\njudul: Laporan\nlembar:\n  - nama: Laporan\n    jenis: tabel\n    kolom:\n"
        "      - {kunci: uraian, judul: Uraian, jenis: teks}\n",
        encoding="utf-8",
    )
    portal = _portal(sources, layout=SiteLayout(section="dokumen"))
    messages = _collisions(portal)
    assert len(messages) == 2, [p.format() for p in portal.problems]
    # ...and the "Daftar SOP" page would take the place of the documents' own index.
    assert "jalur `dokumen/index.html`" in messages[0] and "halaman bawaan `Daftar SOP`" in messages[0]
    assert "jalur `dokumen/laporan/index.html`" in messages[1]
    assert "halaman dokumen `laporan` (sop_sources/dokumen/laporan.yaml)" in messages[1]


def test_collision_rules() -> None:
    a, b, c = Owner("A", "a.yaml"), Owner("B", "b.yaml"), Owner("portal")
    # A file under a folder another owner fills; two owners of one folder; one owner twice is fine.
    claims = [Claim("unduh/x/", a), Claim("unduh/x/diagram.svg", a), Claim("unduh/x/y.xlsx", b)]
    claims += [Claim("unduh/t/", c), Claim("unduh/t/", b), Claim("p/index.html", c), Claim("p/index.html", c)]
    problems = collisions(claims)
    assert [(p.file, p.message.split(":")[0]) for p in problems] == [
        ("b.yaml", "jalur `unduh/t/` di situs dipakai dua kali"),
        ("b.yaml", "jalur `unduh/x/y.xlsx` di situs dipakai dua kali"),
    ]


@pytest.mark.parametrize("sop_id", ["kecamatan-uji", "templat"])
def test_the_build_stops_and_the_previous_site_stays(project_copy: Path, tmp_path: Path, sop_id: str) -> None:
    folder = project_copy / "sop_sources" / "sop"
    (folder / "a.yaml").write_text(minimal_sop("uji"), encoding="utf-8")
    (folder / "b.yaml").write_text(minimal_sop(sop_id, "SOP B", "002"), encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("lama", encoding="utf-8")
    result = build(project_copy, site)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "sop_sources/sop/b.yaml:1: galat pada `id`: jalur" in result.stderr
    assert "situs sebelumnya tidak diubah" in result.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "lama"


def test_download_names_carry_their_sop_and_stay_within_the_limit() -> None:
    """Every downloaded file is named after its SOP (or instansi); a long id is shortened
    to :data:`DOWNLOAD_NAME_LIMIT` bytes (the file system allows 255), keeping the kind of
    file and a hash that keeps two long ids apart."""
    from generator.site import DOWNLOAD_NAME_LIMIT, download_name

    assert download_name("pace-pengumpulan-data-kinerja", "lembar-sop.pdf") == (
        "pace-pengumpulan-data-kinerja-lembar-sop.pdf"
    )
    base = "-".join(["pengumpulan-data-kinerja-kecamatan-dawarblandong"] * 5)  # 249 characters
    names = set()
    for sop_id in (base, base[:-1] + "x", base[:130], base[:140]):
        for kind in ("lembar-sop.pdf", "daftar-periksa.pdf", "diagram.svg", "lembar-sop.docx"):
            name = download_name(sop_id, kind)
            assert len(name.encode("utf-8")) <= DOWNLOAD_NAME_LIMIT < 255, name
            assert name.startswith(sop_id[:40]) and name.endswith(kind), name
            names.add(name)
        workbook = download_name(sop_id, f"{base}.xlsx")  # a document id as long as the SOP's
        assert len(workbook) <= DOWNLOAD_NAME_LIMIT and workbook.endswith(".xlsx") and workbook.startswith(base[:40])
        names.add(workbook)
    assert len(names) == 4 * 5, "shortened names stay apart"


def test_an_sop_with_a_long_id_publishes_short_download_names(write_sources: SourceWriter) -> None:
    # The longest id there may be (80 characters; a longer one is refused, see test_hostile_input).
    sop_id = "prosedur-pengumpulan-dan-pengukuran-data-kinerja-kecamatan-bangsal-mojokerto-202"
    assert len(sop_id) == 80
    portal = _portal(write_sources({"panjang.yaml": minimal_sop(sop_id)}))
    assert portal.ok, [p.format() for p in portal.problems]
    downloads = [f.path for f in portal.generate() if f.path.startswith("unduh/") and "/templat/" not in f.path]
    assert len(downloads) >= 4  # diagram, sheet, checklist, Word (and workbooks, when documents exist)
    for path in downloads:
        folder, name = path.split("/")[1:]
        assert folder == sop_id and name.startswith(sop_id[:50]) and len(name) <= 120, path
