"""The official SOP sheet and the checklist, read back from the real PDFs WeasyPrint makes."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from generator.print.checklist import render_checklist
from generator.print.diagram import SVG_NS, page_dot
from generator.print.layout import layout_sheet, paginate
from generator.print.pdf import MM, SIGNATURE_FIELD, FetchRefused, Signing, fetch_resource
from generator.print.printing import PrintSettings
from generator.print.sheet import Sheet, render_sheet, sheet_spec
from generator.sources.catalogue import Catalogue, load_catalogue
from generator.templating import template_environment

from .conftest import ROOT, SourceWriter

SEED_IDS = sorted(p.stem for p in (ROOT / "sop_sources" / "sop").glob("*.yaml"))
ENV = template_environment()


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(ROOT / "sop_sources", ROOT)


@pytest.fixture(scope="module")
def sheets(catalogue: Catalogue) -> dict[str, Sheet]:
    # All seeds rendered in one process, one after another, as the build does.
    settings = PrintSettings(root=ROOT, site_url="https://sop.contoh.go.id/")
    return {sop.id: render_sheet(sop, ENV, settings) for sop in catalogue.sops}


def _pages(data: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("sop_id", SEED_IDS)
def test_sheet_has_every_identity_field_and_step(catalogue: Catalogue, sheets: dict[str, Sheet], sop_id: str) -> None:
    sop = catalogue.get(sop_id)
    text = " ".join(_pages(sheets[sop_id].pdf.data))
    expected = [
        sop.nama.upper(),
        "Nomor SOP",
        "Tanggal Pembuatan",
        "Tanggal Revisi",
        "Tanggal Efektif",
        "Disahkan oleh",
        "Nama SOP",
        "DASAR HUKUM",
        "KUALIFIKASI PELAKSANA",
        "KETERKAITAN",
        "PERALATAN/PERLENGKAPAN",
        "PERINGATAN",
        "PENCATATAN DAN PENDATAAN",
        "PELAKSANA",
        "MUTU BAKU",
    ]
    expected += [sop.nomor, sop.disahkan_oleh.jabatan, sop.disahkan_oleh.nama, sop.disahkan_oleh.nip]
    expected += [d.text for d in (sop.tanggal_pembuatan, sop.tanggal_revisi, sop.tanggal_efektif) if d]
    expected += [
        *sop.dasar_hukum,
        *sop.kualifikasi_pelaksana,
        *sop.peralatan_perlengkapan,
        *sop.pencatatan_pendataan,
        *sop.peringatan,
        *(link.text for link in sop.keterkaitan),
    ]
    expected += [line.upper() for line in (sop.pemerintah, sop.instansi, sop.unit) if line]
    expected += [role.name for role in sop.pelaksana]
    for step in sop.langkah:
        expected += [step.kegiatan, *(i.text for i in step.kelengkapan), *(i.text for i in step.output)]
        expected += [step.waktu.text] if step.waktu else []
    missing = [item for item in expected if item and _norm(item) not in text]
    assert missing == []


@pytest.mark.parametrize("sop_id", SEED_IDS)
def test_procedure_pages_are_drawn_not_fallback_text(sheets: dict[str, Sheet], sop_id: str) -> None:
    pages = _pages(sheets[sop_id].pdf.data)
    procedure = [p for p in pages if "MUTU BAKU" in p]
    assert len(procedure) == len(sheets[sop_id].procedure_pages)
    for page in procedure:
        # A drawing that failed to load shows its text alternative instead of the table.
        assert "Isi yang sama tersedia sebagai tabel Prosedur" not in page


def test_page_size_and_orientation_follow_configuration(catalogue: Catalogue) -> None:
    sop = catalogue.get("lumajang-pengumpulan-data-kinerja")
    for paper, (width_mm, height_mm) in {"A4": (297, 210), "F4": (330, 215)}.items():
        sheet = render_sheet(sop, ENV, PrintSettings(root=ROOT, paper=paper))
        for page in PdfReader(io.BytesIO(sheet.pdf.data)).pages:
            assert float(page.mediabox.width) == pytest.approx(width_mm * MM, abs=0.5)
            assert float(page.mediabox.height) == pytest.approx(height_mm * MM, abs=0.5)
    checklist = render_checklist(sop, ENV, PrintSettings(root=ROOT, paper="F4"))
    page = PdfReader(io.BytesIO(checklist.data)).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((215 * MM, 330 * MM), abs=0.5)


def test_an_sop_can_choose_its_own_paper_and_paging(write_sources: SourceWriter, tmp_path: Path) -> None:
    steps = "\n".join(
        f"  - {{no: {i}, kegiatan: Langkah nomor {i} selesai, pelaksana: {'A' if i % 2 else 'B'}, waktu: {i} menit}}"
        for i in range(1, 21)
    )
    source = f"nama_sop: Panjang\ncetak: {{kertas: F4, langkah_per_halaman: 6}}\npelaksana: [A, B]\nlangkah:\n{steps}\n"
    catalogue = load_catalogue(write_sources({"panjang.yaml": source}), tmp_path)
    assert catalogue.problems == ()
    sop = catalogue.get("panjang")
    sheet = render_sheet(sop, ENV, PrintSettings(root=tmp_path, paper="A4", steps_per_page=8))
    reader = PdfReader(io.BytesIO(sheet.pdf.data))
    assert float(reader.pages[0].mediabox.width) == pytest.approx(330 * MM, abs=0.5)
    # The pagination rule: 20 steps, at most 6 a page -> 4 procedure pages.
    assert [len([r for r in p.rows if not r.is_strip]) for p in sheet.procedure_pages] == [6, 6, 6, 2]
    expected = paginate(sop.langkah, 6)
    assert len(sheet.procedure_pages) == len(expected) == 4
    assert sum("MUTU BAKU" in page for page in _pages(sheet.pdf.data)) == 4
    for step in sop.langkah:
        assert sum(step.kegiatan in page for page in _pages(sheet.pdf.data)) == 1


def _connectors(sheet: Sheet) -> list[tuple[int, str]]:
    found = []
    drawings = re.findall(r'<img class="drawing" alt="" src="data:image/svg\+xml;base64,([^"]+)"', sheet.html)
    for number, data in enumerate(drawings, start=1):
        svg = base64.b64decode(data).decode("utf-8")
        root = ET.fromstring(svg)
        for group in root.iter(f"{{{SVG_NS}}}g"):
            if "sym-connector" in (group.get("class") or ""):
                found.append((number, "".join(t.text or "" for t in group.iter(f"{{{SVG_NS}}}text"))))
    return found


def test_off_page_connectors_come_in_lettered_pairs(catalogue: Catalogue, sheets: dict[str, Sheet]) -> None:
    # Eleven rows fit one page; at most eight a page (as an office may ask), they turn.
    sop = catalogue.get("dawarblandong-pengukuran-data-kinerja")
    sheet = render_sheet(sop, ENV, PrintSettings(root=ROOT, steps_per_page=8))
    connectors = _connectors(sheet)
    # 8 -> 9 continues on the next page (A); 9's "Tidak" loops back to 7 on the first (B).
    assert sorted(connectors) == [(1, "A"), (1, "B"), (2, "A"), (2, "B")]
    # Each letter is printed on both procedure pages, a word of its own. Read by where the
    # letters stand: on the second page B's circle stands just left of A's, and a reader
    # that joins runs in drawing order (pypdf) prints them as "AB".
    with pdfplumber.open(io.BytesIO(sheet.pdf.data)) as document:
        pages = [{w["text"] for w in page.extract_words()} for page in document.pages]
    procedure = [words for words in pages if "MUTU" in words]
    assert len(procedure) == 2
    for letter in ("A", "B"):
        assert all(letter in words for words in procedure)
    for page_sheet in sheets.values():
        letters = [letter for _, letter in _connectors(page_sheet)]
        assert all(letters.count(letter) == 2 for letter in letters)


def test_graphviz_draws_every_print_page_without_complaint(catalogue: Catalogue) -> None:
    for sop in catalogue.sops:
        for page in layout_sheet(sop, sheet_spec("A4", 8)):
            result = subprocess.run(
                ["neato", "-n2", "-Tsvg"],
                input=page_dot(page, font_size=7.5),
                capture_output=True,
                text=True,
                check=False,
            )
            assert (result.returncode, result.stderr) == (0, ""), (sop.id, page.number)


def test_signature_field_covers_the_signature_block(sheets: dict[str, Sheet]) -> None:
    reader = PdfReader(io.BytesIO(sheets["bangsal-pengumpulan-data-kinerja"].pdf.data))
    fields = reader.get_fields() or {}
    assert SIGNATURE_FIELD in fields
    assert fields[SIGNATURE_FIELD].get("/FT") == "/Sig"
    assert "/V" not in fields[SIGNATURE_FIELD], "not signed without a certificate"
    [annotation] = [a.get_object() for a in reader.pages[0].get("/Annots", []) if a.get_object().get("/T") == "TTE"]
    x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
    assert x2 - x1 == pytest.approx(60 * MM, abs=1.5) and y2 - y1 == pytest.approx(24 * MM, abs=1.5)
    page_width = float(reader.pages[0].mediabox.width)
    assert page_width / 2 < x1 < page_width, "in the right block of the identity table"


def test_pdf_is_archival_with_embedded_fonts(sheets: dict[str, Sheet]) -> None:
    data = sheets["pace-pengumpulan-data-kinerja"].pdf.data
    reader = PdfReader(io.BytesIO(data))
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in metadata or "<pdfaid:part>2</pdfaid:part>" in metadata
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            descriptor = font.get_object()
            descendant = descriptor.get("/DescendantFonts")
            desc = (descendant[0].get_object() if descendant else descriptor).get("/FontDescriptor")
            assert desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), "embedded"
            fonts.add(str(descriptor.get("/BaseFont")))
    assert any("Liberation-Sans" in name for name in fonts)


def test_footer_has_page_numbers_number_fingerprint_and_qr(catalogue: Catalogue, sheets: dict[str, Sheet]) -> None:
    sop = catalogue.get("bangsal-pengumpulan-data-kinerja")
    pages = _pages(sheets[sop.id].pdf.data)
    for number, text in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in text
        assert sop.nomor in text and sop.fingerprint in text
    reader = PdfReader(io.BytesIO(sheets[sop.id].pdf.data))
    assert all(page.images for page in reader.pages), "the QR code is on every page when a site URL is set"
    plain = render_sheet(sop, ENV, PrintSettings(root=ROOT))
    assert not PdfReader(io.BytesIO(plain.pdf.data)).pages[-1].images


def test_footer_names_the_last_revision(catalogue: Catalogue, sheets: dict[str, Sheet]) -> None:
    revised = _pages(sheets["lumajang-pengumpulan-data-kinerja"].pdf.data)
    assert all("revisi 26 Januari 2024" in _norm(text) for text in revised)
    assert not any("revisi" in _norm(t) for t in _pages(sheets["bangsal-pengumpulan-data-kinerja"].pdf.data))


def test_declared_history_is_printed_on_the_last_page(tmp_path: Path) -> None:
    sources = tmp_path / "sop_sources"
    shutil.copytree(ROOT / "sop_sources", sources)  # the example links to a seed SOP
    (sources / "sop" / "contoh.yaml").write_bytes((ROOT / "docs" / "panduan" / "contoh-sop.yaml").read_bytes())
    catalogue = load_catalogue(sources, tmp_path)
    sop = catalogue.get("contoh-pelayanan-surat-keterangan")
    pages = _pages(render_sheet(sop, ENV, PrintSettings(root=tmp_path)).pdf.data)
    last = _norm(pages[-1])
    assert "RIWAYAT SOP" in last
    for expected in (
        "2 Januari 2025 Pembuatan Disusun oleh Seksi Pelayanan Umum Camat Contoh",
        "3 Maret 2025 Revisi Waktu langkah 2 diubah dari 1 hari menjadi 30 menit Camat Contoh",
        "1 September 2025 Monitoring Berjalan dengan baik Sekretaris Kecamatan",
    ):
        assert expected in last
    assert last.index("2 Januari 2025") < last.index("3 Maret 2025"), "oldest first, like a register"
    assert not any("RIWAYAT SOP" in _norm(p) for p in pages[:-1])


def test_checklist_lists_every_step_with_outcomes_and_signoff(catalogue: Catalogue) -> None:
    sop = catalogue.get("dawarblandong-pengukuran-data-kinerja")
    text = " ".join(_pages(render_checklist(sop, ENV, PrintSettings(root=ROOT)).data))
    for needed in (
        "DAFTAR PERIKSA PELAKSANAAN SOP",
        "Periode",
        "Nama pelaksana",
        "Tanggal mulai",
        "Tanggal selesai",
        "Paraf",
        "Mengetahui",
        sop.nama,
        sop.nomor,
    ):
        assert needed in text, needed
    for step in sop.langkah:
        assert _norm(step.kegiatan) in text
    assert "Ya, lanjut ke langkah 10" in text and "Tidak, kembali ke langkah 7" in text


LONG_STEP = "Memeriksa kelengkapan berkas permohonan beserta lampiran yang diajukan oleh pemohon dan mencatatnya"


def _long_sop(steps: int, repeats: int) -> str:
    """An SOP of ``steps`` steps whose texts run to ``repeats`` long sentences (some outputs too)."""
    rows = "\n".join(
        f"  - {{no: {i}, kegiatan: 'Langkah{i} {' '.join([LONG_STEP] * repeats)}', pelaksana: {'A' if i % 2 else 'B'},"
        f" waktu: 10 menit, output: 'Berkas {i} {LONG_STEP if i % 3 == 0 else ''}'}}"
        for i in range(1, steps + 1)
    )
    return f"id: panjang\nnama_sop: Uji {steps}\ninstansi: KANTOR UJI\npelaksana: [A, B]\nlangkah:\n{rows}\n"


@pytest.mark.parametrize("steps", range(8, 41, 2))
def test_the_checklist_signature_never_stands_alone_on_a_page(write_sources: SourceWriter, steps: int) -> None:
    """Whatever the length, the page with the signature block also holds the last step (the
    block is not left alone on a page after the table). Step texts of one to three long
    sentences move the page breaks through every position."""
    sources = write_sources({"panjang.yaml": _long_sop(steps, 1 + (steps // 2) % 3)})
    (sop,) = load_catalogue(sources, sources.parent).sops
    pages = _pages(render_checklist(sop, ENV, PrintSettings(root=sources.parent)).data)
    signed = [n for n, text in enumerate(pages) if "Mengetahui" in text and "Tanggal: ...." in text]
    last = [n for n, text in enumerate(pages) if f"Langkah{steps} " in text]
    assert len(signed) == 1 and signed == last, (len(pages), signed, last)
    assert all(f"Langkah{i} " in " ".join(pages) for i in range(1, steps + 1))


def _self_signed(tmp_path: Path) -> tuple[Path, bytes, object]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Camat Uji"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kecamatan Uji"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .sign(key, hashes.SHA256())
    )
    password = b"rahasia-uji"
    data = pkcs12.serialize_key_and_certificates(
        b"camat", key, cert, None, serialization.BestAvailableEncryption(password)
    )
    path = tmp_path / "camat.p12"
    path.write_bytes(data)
    return path, password, cert


def test_configured_certificate_signs_the_sheet(catalogue: Catalogue, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    p12, password, cert = _self_signed(tmp_path)
    sop = catalogue.get("lumajang-pengumpulan-data-kinerja")
    sheet = render_sheet(sop, ENV, PrintSettings(root=ROOT, signing=Signing(p12=p12, password=password)))
    pem = tmp_path / "camat.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))  # type: ignore[attr-defined]
    reader = PdfFileReader(io.BytesIO(sheet.pdf.data))
    [signature] = reader.embedded_signatures
    assert signature.field_name == SIGNATURE_FIELD
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[load_cert_from_pemder(str(pem))]))
    assert status.intact and status.valid and status.trusted
    assert "Common Name: Camat Uji" in status.signing_cert.subject.human_friendly
    # Any change after signing breaks the signature.
    tampered = sheet.pdf.data.replace(b"PELAKSANA", b"PELAKSANX", 1)
    if tampered != sheet.pdf.data:
        [bad] = PdfFileReader(io.BytesIO(tampered)).embedded_signatures
        assert not validate_pdf_signature(bad, ValidationContext(trust_roots=[load_cert_from_pemder(str(pem))])).intact


def test_wrong_certificate_password_is_a_clear_error(catalogue: Catalogue, tmp_path: Path) -> None:
    from generator.model.problems import RenderError

    p12, _password, _cert = _self_signed(tmp_path)
    sop = catalogue.get("lumajang-pengumpulan-data-kinerja")
    with pytest.raises(RenderError, match="sertifikat TTE tidak dapat dibuka"):
        render_sheet(sop, ENV, PrintSettings(root=ROOT, signing=Signing(p12=p12, password=b"salah")))


def test_renderer_only_reads_project_files_and_data_urls(tmp_path: Path) -> None:
    inside = tmp_path / "logo.svg"
    inside.write_text("<svg/>", encoding="utf-8")
    assert fetch_resource(tmp_path, inside.as_uri())[0] == b"<svg/>"
    assert fetch_resource(tmp_path, "data:text/plain;base64,aGFp") == (b"hai", "text/plain")
    for url in (
        "https://example.com/x.png",
        "http://127.0.0.1/x.css",
        "file:///etc/passwd",
        (tmp_path / ".." / "x").as_uri(),
        "ftp://example.com/x",
    ):
        with pytest.raises(FetchRefused):
            fetch_resource(tmp_path, url)


def test_a_document_reaching_for_the_network_is_refused(tmp_path: Path) -> None:
    from generator.print.pdf import render_pdf

    html = '<html><body><img src="https://example.com/logo.png"><p>x</p></body></html>'
    with pytest.raises(FetchRefused):
        render_pdf(html, root=tmp_path)


def test_a_pdf_has_the_same_bytes_first_or_after_others(catalogue: Catalogue) -> None:
    """The fonts and the parsed print stylesheet are shared by every document of a thread:
    a sheet and a checklist come out the same with them fresh (a new thread) as after the
    other SOPs'."""
    settings = PrintSettings(root=ROOT, site_url="https://sop.contoh.go.id/")
    first, *others = catalogue.sops

    def both() -> tuple[bytes, bytes]:
        return render_sheet(first, ENV, settings).pdf.data, render_checklist(first, ENV, settings).data

    for sop in others:
        render_sheet(sop, ENV, settings)
        render_checklist(sop, ENV, settings)
    after_others = both()
    with ThreadPoolExecutor(1) as fresh_thread:
        fresh = fresh_thread.submit(both).result()
    assert after_others == fresh


def test_checklist_names_each_template_file_once_below_the_table(catalogue: Catalogue) -> None:
    """A document's cell says it has a template; its file name (six lines in an 18 mm column
    when it stood in every cell) is printed once, in the list under the table."""
    sop = catalogue.get("pace-pengumpulan-data-kinerja")
    pdf = render_checklist(sop, ENV, PrintSettings(root=ROOT))
    text = " ".join(_norm(page) for page in _pages(pdf.data))
    items = [i for step in sop.langkah for i in (*step.kelengkapan, *step.output) if i.document]
    files = {f"pace-pengumpulan-data-kinerja-{i.document}.xlsx" for i in items}
    assert len(files) == 2 and text.count("(templat xlsx)") == len(items), text
    for name in files:
        assert text.count(name) == 1, name
    assert text.index("Templat xlsx dokumen di atas") > text.index("Tanggal:")
    assert pdf.pages == 1  # nine steps on one portrait page, signature and list included


def test_checklist_links_workbooks_where_the_portal_puts_them(catalogue: Catalogue) -> None:
    from generator.site import SiteLayout

    sop = catalogue.get("dawarblandong-pengukuran-data-kinerja")
    layout = SiteLayout(section="prosedur", downloads="berkas")
    settings = PrintSettings(root=ROOT, site_url="https://sop.contoh.go.id/portal/", layout=layout)
    reader = PdfReader(io.BytesIO(render_checklist(sop, ENV, settings).data))
    links = {
        str(a.get_object()["/A"]["/URI"])
        for page in reader.pages
        for a in page.get("/Annots", [])
        if "/A" in a.get_object()
    }
    base = "https://sop.contoh.go.id/portal/berkas/dawarblandong-pengukuran-data-kinerja/"
    assert f"{base}dawarblandong-pengukuran-data-kinerja-kertas-kerja-pengukuran-kinerja.xlsx" in links
    assert f"{base}dawarblandong-pengukuran-data-kinerja-rekapitulasi-capaian.xlsx" in links
    assert settings.address(layout.page_url(sop)) == (
        "https://sop.contoh.go.id/portal/prosedur/dawarblandong-pengukuran-data-kinerja/"
    )


RTL_SOP = """\
id: arab
nama_sop: Pelayanan Uji
instansi: KECAMATAN UJI
pelaksana: [Camat, "مدير"]
langkah:
  - {no: 1, kegiatan: "Menerima berkas السلام عليكم ورحمة الله 😀", pelaksana: Camat, waktu: 10 menit}
  - {no: 2, kegiatan: "Memeriksa ✅ شكرا", pelaksana: "مدير", waktu: 10 menit}
"""


def test_right_to_left_text_is_joined_and_ordered_for_print() -> None:
    from generator.print.diagram import for_print

    svg = '<svg><text x="1">Menerima &amp; شكرا الله</text><text x="2">Latin &lt;b&gt;</text></svg>'
    printed = for_print(svg)
    # Seen order, joined letters (presentation forms), the word Allah kept as letters,
    # escaping kept, Latin lines untouched; an SVG without such text is returned as it is.
    assert "Menerima &amp; ﻪﻠﻟﺍ ﺍﺮﻜﺷ" in printed
    assert "\ufdf2" not in printed and '<text x="2">Latin &lt;b&gt;</text>' in printed
    assert for_print("<svg><text>Latin</text></svg>") == "<svg><text>Latin</text></svg>"


def test_arabic_and_emoji_print_in_both_pdfs(write_sources: SourceWriter) -> None:
    sources = write_sources({"arab.yaml": RTL_SOP})
    catalogue = load_catalogue(sources, sources.parent)
    (sop,) = catalogue.sops
    settings = PrintSettings(root=sources.parent)
    sheet = render_sheet(sop, ENV, settings)
    procedure = _pages(sheet.pdf.data)[-1]
    assert "ﻣﺪﻳﺮ" in procedure or "ﺮﻳﺪﻣ" in procedure  # the role, joined (WeasyPrint drew it letter by letter)
    assert "ﺍﺮﻜﺷ" in procedure or "ﺷﻜﺮﺍ" in procedure
    checklist = render_checklist(sop, ENV, settings)
    # Emoji come from a colour emoji font (drawn as images), not as empty boxes.
    for pdf in (sheet.pdf.data, checklist.data):
        reader = PdfReader(io.BytesIO(pdf))
        images = sum(len(page.images) for page in reader.pages)
        assert images >= 1
