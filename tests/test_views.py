"""Views across SOPs: role normalisation, regulation reading, document paths, families,
links both ways, history and review dates. The golden files of the seeds' indexes are in
test_golden; these tests pin the rules with small, readable cases."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from generator.indexes.legal import read_citation
from generator.indexes.lifecycle import ReviewState, add_months, history, review_notice, review_status
from generator.indexes.views import Views, name_key
from generator.model.shared import GlossaryTerm
from generator.model.sop import ReviewPolicy
from generator.site import SiteLayout
from generator.sources.catalogue import load_catalogue
from generator.sources.shared import load_shared
from generator.templating import abbreviations, template_environment
from generator.web.pages import render_documents_page, render_sop_page
from generator.web.viewpages import ViewPages, comparison, listing_directive

from .conftest import ROOT, SourceWriter

TODAY = dt.date(2026, 11, 21)


def _project(tmp_path: Path, sops: dict[str, str], shared: str | None = None) -> Path:
    sources = tmp_path / "sop_sources"
    (sources / "sop").mkdir(parents=True)
    shutil.copytree(ROOT / "sop_sources" / "dokumen", sources / "dokumen")
    for name, text in sops.items():
        (sources / "sop" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    if shared is not None:
        (sources / "portal.yaml").write_text(textwrap.dedent(shared), encoding="utf-8")
    return sources


def _views(tmp_path: Path, sops: dict[str, str], shared: str | None = None) -> Views:
    sources = _project(tmp_path, sops, shared)
    catalogue = load_catalogue(sources, tmp_path)
    assert catalogue.errors == [], [p.format() for p in catalogue.errors]
    return Views(catalogue, TODAY)


def _sop(name: str, roles: str, steps: str, extra: str = "") -> str:
    return f"nama_sop: {name}\ninstansi: KECAMATAN {name.upper()}\n{extra}pelaksana: {roles}\nlangkah:\n{steps}"


STEPS = """\
  - no: 1
    kegiatan: Memberi perintah
    pelaksana: A
    output: [{dokumen: lembar-disposisi, teks: Disposisi}]
    waktu: 10 menit
  - no: 2
    kegiatan: Melaksanakan
    pelaksana: [A, B]
    kelengkapan: [{dokumen: lembar-disposisi, teks: Lembar disposisi}]
    waktu: 1 jam
"""


# ---------------------------------------------------------------- regulations


@pytest.mark.parametrize(
    ("text", "key", "label", "title"),
    [
        (
            "UU Nomor 23 Tahun 2014 tentang Pemerintahan Daerah (Lembaran Negara Tahun 2014 Nomor 244);",
            "uu-23-2014",
            "Undang-Undang Nomor 23 Tahun 2014",
            "Pemerintahan Daerah",
        ),
        ("Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintah Daerah", "uu-23-2014", None, None),
        (
            "Permenpan nomor 53 tahun 2014 tentang juknis perjanjian kinerja, pelaporan kinerja.",
            "permen-panrb-53-2014",
            "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 53 Tahun 2014",
            "juknis perjanjian kinerja, pelaporan kinerja",
        ),
        ("PermenPAN-RB No. 53 Tahun 2014", "permen-panrb-53-2014", None, ""),
        ("Peraturan Menteri PANRB. Nomor 53 Tahun 2014 tentang X", "permen-panrb-53-2014", None, "X"),
        ("Permendagri Nomor 52 Tahun 2011 tentang SOP", "permen-dalam-negeri-52-2011", None, "SOP"),
        ("Peraturan Presiden RI Nomor 29 Tahun 2014 Tentang SAKIP", "perpres-29-2014", None, "SAKIP"),
        ("Peraturan Daerah Nganjuk No. 08 Tahun 2016 tentang Perangkat", "perda-nganjuk-8-2016", None, None),
        ("Peraturan Daerah Kabupaten Nganjuk Nomor 8 Tahun 2016", "perda-nganjuk-8-2016", None, None),
        ("Peraturan Daerah Kota Mojokerto Nomor 8 Tahun 2016", "perda-kota-mojokerto-8-2016", None, None),
        (
            "Perbup Lumajang Nomor 36 Tahun 2018",
            "perbup-lumajang-36-2018",
            "Peraturan Bupati Lumajang Nomor 36 Tahun 2018",
            "",
        ),
        ("SK Camat tentang Tim SAKIP", "teks-sk-camat-tentang-tim-sakip", "SK Camat tentang Tim SAKIP", ""),
    ],
)
def test_citations_are_read_into_type_number_year_and_title(
    text: str, key: str, label: str | None, title: str | None
) -> None:
    citation = read_citation(text)
    assert citation.key == key
    if label is not None:
        assert citation.label == label
    if title is not None:
        assert citation.title == title
    assert citation.text == text


def test_a_regulation_cited_in_several_spellings_is_one_entry(tmp_path: Path) -> None:
    views = _views(
        tmp_path,
        {
            "a": _sop("A", "[A, B]", STEPS, "dasar_hukum:\n  - UU Nomor 23 Tahun 2014 tentang Pemerintahan Daerah\n"),
            "b": _sop(
                "B",
                "[A, B]",
                STEPS,
                "dasar_hukum:\n  - Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah.\n"
                "  - Peraturan Pemerintah Nomor 12 Tahun 2017\n",
            ),
        },
    )
    keys = [r.key for r in views.regulations]
    assert keys == ["uu-23-2014", "pp-12-2017"]  # hierarchy order: UU before PP
    uu = views.regulations[0]
    assert [c.sop_id for c in uu.cited_by] == ["a", "b"]
    assert uu.title == "Pemerintahan Daerah" and len(uu.spellings) == 2


# ---------------------------------------------------------------- roles


SHARED = """\
jabatan:
  - id: sekretaris-kecamatan
    nama: Sekretaris Kecamatan
    alias: [Sekcam]
keluarga:
  - id: tugas
    nama: Tugas Bersama
    tahap: [Awal, Akhir]
"""


def test_roles_are_normalised_by_case_alias_and_explicit_jabatan(tmp_path: Path) -> None:
    steps = STEPS.replace("pelaksana: A\n", "pelaksana: Camat\n").replace("[A, B]", "[Camat, S]")
    views = _views(
        tmp_path,
        {
            "a": _sop("A", "[Camat, {nama: S, kode: Sekcam}]", steps),
            "b": _sop("B", "[CAMAT, {nama: S, jabatan: sekretaris-kecamatan}]", steps.replace("Camat", "CAMAT")),
            "c": _sop("C", "[camat, Sekretaris]", steps.replace("Camat", "camat").replace("S]", "Sekretaris]")),
        },
        SHARED,
    )
    roles = {r.id: r for r in views.roles}
    assert roles["camat"].name == "Camat"  # the spelling not in capitals wins
    assert set(roles["camat"].spellings) == {"Camat", "CAMAT", "camat"}
    assert len(roles["camat"].duties) == 6 and roles["camat"].sop_ids == ("a", "b", "c")
    # "S" is declared Sekretaris Kecamatan by its code (a) and explicitly (b); a bare
    # "Sekretaris" (c) is another role.
    assert roles["sekretaris-kecamatan"].sop_ids == ("a", "b")
    assert roles["sekretaris"].sop_ids == ("c",)
    joint = [d for d in roles["sekretaris-kecamatan"].duties if d.no == "2"]
    assert joint and joint[0].others == ("Camat",)
    assert [i.document for i in joint[0].needs] == ["lembar-disposisi"]


def test_portal_file_problems_name_the_line(tmp_path: Path) -> None:
    sources = _project(
        tmp_path,
        {},
        """\
        jabatan:
          - nama: Camat
          - nama: Sekretaris Kecamatan
            alias: [CAMAT]
        peninjauan:
          evaluasi_bulan: 0
        """,
    )
    shared = load_shared(sources, "sop_sources/portal.yaml")
    found = sorted((p.code, p.line) for p in shared.problems)
    assert found == [("schema", 6)]
    sources.joinpath("portal.yaml").write_text("jabatan:\n  - nama: Camat\n  - nama: Lurah\n    alias: [camat]\n")
    shared = load_shared(sources, "sop_sources/portal.yaml")
    assert [(p.code, p.line, p.file) for p in shared.problems] == [("duplicate-alias", 4, "sop_sources/portal.yaml")]
    assert "satu nama hanya boleh menunjuk satu jabatan" in (shared.problems[0].hint or "")


def test_portal_glossary_is_read_with_its_spellings(tmp_path: Path) -> None:
    sources = _project(
        tmp_path,
        {},
        """\
        glosarium:
          - singkatan: SAKIP
            arti: Sistem Akuntabilitas   Kinerja Instansi Pemerintah
          - singkatan: Kasubbag
            arti: Kepala Subbagian
            alias: [Kasubag]
        """,
    )
    shared = load_shared(sources, "sop_sources/portal.yaml")
    assert shared.problems == ()
    assert [(t.singkatan, t.arti, t.alias, t.line) for t in shared.glossary] == [
        ("SAKIP", "Sistem Akuntabilitas Kinerja Instansi Pemerintah", (), 2),
        ("Kasubbag", "Kepala Subbagian", ("Kasubag",), 4),
    ]
    assert shared.glossary_by_spelling["Kasubag"].singkatan == "Kasubbag"
    # The portal's own glossary is valid and explains the abbreviations the issue names.
    portal = load_shared(ROOT / "sop_sources", "sop_sources/portal.yaml")
    assert portal.problems == ()
    assert {"SAKIP", "LKE", "LKj", "Bimtek", "Trantibmas", "Kasubag"} <= set(portal.glossary_by_spelling)


def test_portal_glossary_problems_name_the_line_and_field(tmp_path: Path) -> None:
    sources = _project(
        tmp_path,
        {},
        """\
        glosarium:
          - singkatan: SAKIP
            arti: Sistem Akuntabilitas Kinerja Instansi Pemerintah
          - singkatan: Tim SAKIP
            arti: Tim penyusun SAKIP
          - singkatan: LKE
          - singkatan: Kasubbag
            arti: Kepala Subbagian
            alias: [SAKIP]
        """,
    )
    shared = load_shared(sources, "sop_sources/portal.yaml")
    found = [(p.code, p.line, p.field) for p in shared.problems]
    assert found == [("missing-field", 6, "glosarium ke-3")]  # the schema stops the rest
    assert "`arti`" in shared.problems[0].message
    sources.joinpath("portal.yaml").write_text(
        "glosarium:\n"
        "  - {singkatan: SAKIP, arti: Sistem Akuntabilitas Kinerja Instansi Pemerintah}\n"
        "  - {singkatan: Tim SAKIP, arti: Tim penyusun SAKIP}\n"
        "  - singkatan: Kasubbag\n    arti: Kepala Subbagian\n    alias: [Kasubag, SAKIP]\n",
        encoding="utf-8",
    )
    shared = load_shared(sources, "sop_sources/portal.yaml")
    found = [(p.code, p.line, p.field, p.file) for p in shared.problems]
    assert found == [
        ("bad-abbreviation", 3, "glosarium ke-2 › singkatan", "sop_sources/portal.yaml"),
        ("duplicate-abbreviation", 6, "glosarium ke-3 › alias ke-2", "sop_sources/portal.yaml"),
    ]
    assert "`Tim SAKIP` harus satu kata" in shared.problems[0].message
    assert "sudah ada di glosarium" in shared.problems[1].message


def test_abbreviations_are_explained_in_escaped_html_whole_words_only() -> None:
    explain = abbreviations(
        (
            GlossaryTerm("LKj", 'Laporan "Kinerja" <b>'),
            GlossaryTerm("LKjIP", "Laporan Kinerja Instansi Pemerintah"),
            GlossaryTerm("Kasubbag", "Kepala Subbagian", ("Kasubag",)),
        )
    )
    assert str(explain("Kasi/Kasubag <script>LKj</script> LKjIP LKJ aLKj")) == (
        'Kasi/<abbr title="Kepala Subbagian">Kasubag</abbr> &lt;script&gt;'
        '<abbr title="Laporan &#34;Kinerja&#34; &lt;b&gt;">LKj</abbr>&lt;/script&gt; '
        '<abbr title="Laporan Kinerja Instansi Pemerintah">LKjIP</abbr> LKJ aLKj'
    )
    assert str(abbreviations(())("A & B")) == "A &amp; B"
    # The page's list: each meaning once, with every spelling the page uses, A to Z.
    assert explain.used(["Kasubbag dan LKjIP", "Kasubag", "LKj <x>"]) == [
        (("Kasubbag", "Kasubag"), "Kepala Subbagian"),
        (("LKj",), 'Laporan "Kinerja" <b>'),
        (("LKjIP",), "Laporan Kinerja Instansi Pemerintah"),
    ]


# ---------------------------------------------------------------- documents


def test_document_path_follows_the_flow(tmp_path: Path) -> None:
    views = _views(tmp_path, {"a": _sop("A", "[A, B]", STEPS)})
    (flow,) = views.document_flows["lembar-disposisi"]
    assert [s.no for s in flow.producers] == ["1"] and [s.no for s in flow.consumers] == ["2"]
    assert flow.steps[1].roles == ("A", "B") and flow.steps[1].needs == ("Lembar disposisi",)
    assert views.document_flows["lke-akip"] == ()


# ---------------------------------------------------------------- families


def test_families_by_key_or_by_name_and_their_differences(tmp_path: Path) -> None:
    tagged = STEPS.replace("    waktu: 10 menit\n", "    waktu: 10 menit\n    tahap: Awal\n")
    views = _views(
        tmp_path,
        {
            "a": _sop("Pelayanan KTP", "[A, B]", tagged, "keluarga: tugas\n"),
            "b": _sop("Layanan Lain", "[A, B, C]", tagged.replace("waktu: 1 jam", "waktu: 3 jam"), "keluarga: tugas\n"),
            "c": _sop("SOP Pelayanan Surat", "[A, B]", STEPS),
            "d": _sop("Prosedur pelayanan surat (2024)", "[A, B]", STEPS),
            "e": _sop("Sendiri", "[A, B]", STEPS),
        },
        SHARED,
    )
    families = {f.id: f for f in views.families}
    assert set(families) == {"tugas", "pelayanan-surat"}
    assert families["tugas"].name == "Tugas Bersama" and families["tugas"].phases == ("Awal", "Akhir")
    assert set(families["pelayanan-surat"].sop_ids) == {"c", "d"} and families["pelayanan-surat"].declared_by == "nama"
    assert "e" not in views.family_of
    assert name_key("PROSEDUR Pelayanan Surat (LKj)") == name_key("SOP pelayanan surat") == "pelayanan-surat"
    rows = {row.label: row for row in comparison(views, families["tugas"])}
    assert not rows["Jumlah langkah"].differs
    total = rows["Perkiraan total waktu"]
    assert families["tugas"].sop_ids == ("b", "a")  # catalogue order: by instansi
    assert total.differs and [c.mark for c in total.cells] == ["paling lama", "paling singkat"]
    assert [c.text for c in rows["Tahap: Awal"].cells] == ["10 menit (1 langkah)", "10 menit (1 langkah)"]
    assert [c.text for c in rows["Tahap: Akhir"].cells] == ["–", "–"]
    roles = rows["Pelaksana"]
    assert roles.differs and roles.note == "Sama di semua SOP: A, B"
    assert roles.cells[0].items == (("A", False), ("B", False), ("C", True))


# ---------------------------------------------------------------- keterkaitan


def test_links_are_listed_both_ways(tmp_path: Path) -> None:
    views = _views(
        tmp_path,
        {
            "a": _sop("A", "[A, B]", STEPS, "keterkaitan:\n  - sop: b\n  - SOP Lain (teks)\n"),
            "b": _sop("B", "[A, B]", STEPS, "keterkaitan: [{sop: c}]\n"),
            "c": _sop("C", "[A, B]", STEPS, "keterkaitan: [{sop: a}, {sop: c}]\n"),
        },
    )
    assert views.links_to == {"a": ("b",), "b": ("c",), "c": ("a",)}  # a link to itself is no link
    assert views.linked_from == {"a": ("c",), "b": ("a",), "c": ("b",)}
    sop = views.catalogue.get("b")
    page = render_sop_page(sop, views.catalogue, template_environment(), SiteLayout(), context=views.context(sop))
    assert "Dirujuk oleh SOP lain:\n\n- [A](a.md)" in page


# ---------------------------------------------------------------- lifecycle


def test_add_months_keeps_the_day_or_takes_the_month_end() -> None:
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 8, 15), 6) == dt.date(2025, 2, 15)
    assert add_months(dt.date(2024, 11, 1), 14) == dt.date(2026, 1, 1)


def _review_sop(tmp_path: Path, extra: str) -> Views:
    return _views(tmp_path, {"a": _sop("A", "[A, B]", STEPS, extra)})


def test_review_is_counted_from_the_newest_date(tmp_path: Path) -> None:
    views = _review_sop(
        tmp_path,
        "tanggal_pembuatan: 2 Januari 2025\ntanggal_revisi: 1 Desember 2025\n"
        "riwayat:\n  - {tanggal: 1 Desember 2025, jenis: revisi, perubahan: Langkah 2, disetujui_oleh: Camat}\n"
        "  - {tanggal: 1 Oktober 2026, jenis: monitoring}\n",
    )
    status = views.reviews["a"]
    assert status.evaluated == dt.date(2025, 12, 1) and status.evaluation_due == dt.date(2026, 12, 1)
    assert status.monitored == dt.date(2026, 10, 1) and status.monitoring_due == dt.date(2027, 4, 1)
    assert status.state is ReviewState.SEGERA and not status.due  # evaluation due in 10 days
    assert "jatuh tempo pada 1 Desember 2026" in status.sentence()
    entries = history(views.catalogue.get("a"))
    assert [(e.label, e.date_text, e.declared) for e in entries] == [
        ("Monitoring", "1 Oktober 2026", True),
        ("Revisi", "1 Desember 2025", True),
        ("Pembuatan", "2 Januari 2025", False),
    ]


def test_an_overdue_sop_gets_a_warning_that_names_its_file_and_line(tmp_path: Path) -> None:
    views = _review_sop(tmp_path, "tanggal_pembuatan: 2 Januari 2025\ntanggal_efektif: 5 Januari 2025\n")
    sop = views.catalogue.get("a")
    status = views.reviews["a"]
    assert status.state is ReviewState.TERLAMBAT and status.due
    notice = review_notice(sop, status)
    assert notice is not None and not notice.is_error
    assert (notice.file, notice.line, notice.code) == ("sop_sources/sop/a.yaml", 4, "review-due")
    assert "evaluasi (setiap 12 bulan) sudah lewat jatuh tempo sejak 5 Januari 2026" in notice.message
    assert "monitoring (setiap 6 bulan) sudah lewat jatuh tempo sejak 5 Juli 2025" in notice.message


def test_review_periods_come_from_the_sop_then_the_portal(tmp_path: Path) -> None:
    sop = _review_sop(
        tmp_path, "tanggal_pembuatan: 1 Januari 2025\npeninjauan: {evaluasi_bulan: 24, monitoring_bulan: 24}\n"
    ).catalogue.get("a")
    assert review_status(sop, ReviewPolicy(), TODAY).state is ReviewState.TERJADWAL
    assert review_status(sop, ReviewPolicy(1, 1), TODAY).evaluation_due == dt.date(2027, 1, 1)


def test_an_sop_without_dates_is_listed_for_review(tmp_path: Path) -> None:
    views = _review_sop(tmp_path, "")
    assert views.reviews["a"].state is ReviewState.TIDAK_DIKETAHUI and views.reviews["a"].due
    review_page = dict(ViewPages(views, template_environment(), SiteLayout()).pages())["perlu-ditinjau.md"]
    assert "1 dari 1 SOP perlu ditinjau" in review_page and "tidak tercantum" in review_page


# ---------------------------------------------------------------- pages


def test_every_view_page_is_generated_and_the_navigation_holds_index_pages_only(tmp_path: Path) -> None:
    views = _views(
        tmp_path,
        {"a": _sop("A", "[A, B]", STEPS, "keluarga: tugas\n"), "b": _sop("B", "[A, B]", STEPS, "keluarga: tugas\n")},
        SHARED,
    )
    pages = ViewPages(views, template_environment(), SiteLayout())
    sources = dict(pages.pages())
    assert {"jabatan/index.md", "jabatan/a.md", "jabatan/b.md", "dasar-hukum.md", "perbandingan/index.md"} <= set(
        sources
    )
    assert {"perbandingan/tugas.md", "perlu-ditinjau.md", "perubahan-terbaru.md", "dokumen/lke-akip.md"} <= set(sources)
    # A role's, a document's or a family's page is reached from its section's page: listed in
    # the navigation, the sections would be copied into every page and grow with the portal.
    assert pages.nav() == {
        "jabatan/": ["jabatan/index.md"],
        "dokumen/": ["dokumen/index.md"],
        "perbandingan/": ["perbandingan/index.md"],
    }
    for src in ("jabatan/index.md", "perbandingan/index.md"):
        assert all(rel in sources[src] for rel in ("a.md", "b.md") if src.startswith("jabatan")), src
    assert "tugas.md" in sources["perbandingan/index.md"]


def test_a_tags_listing_cannot_be_closed_by_a_role_name() -> None:
    directive = listing_directive('Kasi --> <b>"Umum"</b>')
    assert directive.count("-->") == 1 and directive.endswith(" -->")
    assert ">" not in directive[len("<!-- material/tags ") : -len(" -->")]


def test_roles_written_in_other_scripts_keep_their_own_pages(write_sources: SourceWriter) -> None:
    # Every name with no Latin letter used to become the role id "x": one page for all of them.
    sop = """\
id: {id}
nama_sop: {nama}
pelaksana: ["{a}", "{b}"]
langkah:
  - {{no: 1, kegiatan: Menerima, pelaksana: "{a}"}}
  - {{no: 2, kegiatan: Memeriksa, pelaksana: "{b}"}}
"""
    sources = write_sources(
        {
            "a.yaml": sop.format(id="a", nama="SOP A", a="مدير", b="كاتب"),
            "b.yaml": sop.format(id="b", nama="SOP B", a="Διευθυντής", b="مدير"),
        }
    )
    views = Views(load_catalogue(sources, sources.parent), dt.date(2025, 1, 1))
    ids = {role.name: role.id for role in views.roles}
    assert len(ids) == 3 and len(set(ids.values())) == 3
    assert all(i.startswith("jabatan-") for i in ids.values())
    assert views.role_by_id[ids["مدير"]].sop_ids == ("a", "b")  # the same name is still one role


def test_a_document_used_by_many_sops_is_paged(tmp_path: Path) -> None:
    sops = {f"s{i:02d}": _sop(f"SOP {i:02d}", "[A, B]", STEPS) for i in range(30)}
    views = _views(tmp_path, sops)
    pages = ViewPages(views, template_environment(), SiteLayout())
    sources = dict(pages.pages())
    first, second = sources["dokumen/lembar-disposisi.md"], sources["dokumen/lembar-disposisi/2.md"]
    assert "dokumen/lembar-disposisi/3.md" not in sources
    assert first.count("### [SOP") == 25 and second.count("### [SOP") == 5
    assert "(30 SOP, 25 di halaman ini)" in first and "(halaman 2 dari 2)" in second
    assert '<a href="2/">2</a>' in first and '<strong aria-current="page">1</strong>' in first
    assert '<a href="../">1</a>' in second
    # A document used by a few SOPs stays one page, without a pager.
    assert "sop-pager" not in sources["dokumen/lke-akip.md"]
    # "Templat dokumen" names the count and sends to the paged page instead of listing all 30.
    templates = render_documents_page(views.catalogue, template_environment(), SiteLayout())
    disposition = templates.split("## Lembar Disposisi")[1].split("\n## ")[0]
    assert "Dipakai oleh 30 SOP" in disposition and "[halaman dokumennya](lembar-disposisi.md)" in disposition
    assert "SOP 07" not in disposition


def test_a_role_in_many_sops_is_paged(tmp_path: Path) -> None:
    sops = {f"s{i:02d}": _sop(f"SOP {i:02d}", "[A, B]", STEPS) for i in range(27)}
    views = _views(tmp_path, sops)
    pages = ViewPages(views, template_environment(), SiteLayout())
    sources = dict(pages.pages())
    role = next(r for r in views.roles if r.name == "A")
    first, second = sources[f"jabatan/{role.id}.md"], sources[f"jabatan/{role.id}/2.md"]
    assert f"jabatan/{role.id}/3.md" not in sources
    assert first.count("## [SOP") == 25 and second.count("## [SOP") == 2
    assert "Halaman ini memuat 25 SOP dari 27." in first and "(halaman 2 dari 2)" in second
    assert '<a href="2/">2</a>' in first and '<a href="../">1</a>' in second
    # The tag listing of every SOP with the role is on the first page only.
    assert "material/tags" in first and "material/tags" not in second
    # Paged views stay out of search (they repeat the SOP pages).
    assert "exclude" in first.split("---")[1] and "exclude" in second.split("---")[1]
