"""A synthetic but realistic SOP corpus for the benchmark, the same every time for the same N.

N SOPs spread over offices (about 25 per kecamatan), 6 to 20 steps, 3 to 7 roles,
decisions that loop back, joint steps, and documents with templates, written as
ordinary source files into a copy of the project (config, pages, theme, templates).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ROLES = [
    "Camat",
    "Sekretaris Kecamatan",
    "Kasubbag Umum dan Kepegawaian",
    "Kasubbag Perencanaan dan Keuangan",
    "Kasi Pemerintahan",
    "Kasi Pelayanan Umum",
    "Kasi Pemberdayaan Masyarakat",
    "Kasi Trantib",
    "Staf Pelaksana",
    "Staf Penerima Surat",
    "Tim SAKIP",
    "Bendahara",
]
VERBS = [
    "Menerima",
    "Memeriksa",
    "Menyusun",
    "Mengoreksi",
    "Menandatangani",
    "Menyampaikan",
    "Mengarsipkan",
    "Menghimpun",
    "Memvalidasi",
    "Merekapitulasi",
    "Mendisposisikan",
    "Membahas",
    "Mengunggah",
    "Memverifikasi",
    "Menganalisis",
]
OBJECTS = [
    "surat masuk dan lembar disposisi",
    "data kinerja dari masing-masing seksi",
    "konsep laporan kinerja",
    "berkas permohonan beserta kelengkapannya",
    "dokumen perencanaan kinerja tahunan",
    "rekapitulasi capaian indikator kinerja",
    "nota dinas kepada pejabat terkait",
    "lembar kerja evaluasi akuntabilitas kinerja",
    "hasil pengukuran kinerja triwulan",
    "surat pengantar pengiriman laporan",
]
EXTRAS = [
    "",
    "",
    " sesuai ketentuan yang berlaku",
    " untuk ditindaklanjuti",
    " kepada atasan langsung",
    " dan mencatatnya dalam buku agenda",
    " menggunakan format yang telah ditetapkan",
]
TIMES = [
    "5 menit",
    "10 menit",
    "15 menit",
    "30 menit",
    "60 menit",
    "1 jam",
    "2 jam",
    "3 jam",
    "1 hari",
    "2 hari",
    "480 menit",
    "1 minggu",
]
DOCUMENTS = [
    "lembar-disposisi",
    "format-pengumpulan-data-kinerja",
    "kertas-kerja-pengukuran-kinerja",
    "rekapitulasi-capaian",
    "lke-akip",
]
PLAIN = ["Nota Dinas", "Surat masuk", "Notulen Rapat", "ATK", "Komputer", "Arsip", "Laporan triwulan"]
UNITS = ["", "SUB BAGIAN UMUM DAN KEPEGAWAIAN", "SUB BAGIAN PERENCANAAN DAN KEUANGAN", "SEKSI PEMERINTAHAN"]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _item(rng: random.Random) -> str:
    if rng.random() < 0.45:
        document = rng.choice(DOCUMENTS)
        return f"{{dokumen: {document}, teks: {_quote(document.replace('-', ' ').capitalize())}}}"
    return _quote(rng.choice(PLAIN))


def sop_source(index: int, offices: int) -> str:
    """The YAML source of synthetic SOP number ``index`` (deterministic)."""
    rng = random.Random(2026 * 100_003 + index)
    office = index % offices + 1
    roles = rng.sample(ROLES, rng.randint(3, 7))
    count = rng.randint(6, 20)
    lines = [
        f"id: sop-{index:04d}",
        f"nama_sop: {_quote(f'{rng.choice(VERBS)} {rng.choice(OBJECTS)} ({index})')}",
        f"nomor_sop: {_quote(f'065/{index:04d}/416-{300 + office}/2025')}",
        f"pemerintah: PEMERINTAH KABUPATEN UJI {1 + office // 20}",
        f"instansi: KECAMATAN UJI {office:03d}",
    ]
    unit = rng.choice(UNITS)
    if unit:
        lines.append(f"unit: {unit}")
    lines += [
        "tanggal_pembuatan: 2 Januari 2025",
        "tanggal_efektif: 1 Februari 2025",
        "disahkan_oleh: {jabatan: "
        + _quote(f"CAMAT UJI {office:03d}")
        + ', nama: NAMA PEJABAT, nip: "197001011990031001"}',
        "dasar_hukum:",
        "  - Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 35 Tahun 2012 "
        "tentang Pedoman Penyusunan Standar Operasional Prosedur Administrasi Pemerintahan",
        "  - Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas Kinerja Instansi Pemerintah",
        "kualifikasi_pelaksana: [Memahami tugas pokok dan fungsi, Mampu mengoperasikan komputer]",
        "peralatan_perlengkapan: [Komputer, Printer, ATK]",
        "peringatan: Bila SOP ini tidak dilaksanakan, maka pekerjaan tertunda.",
        "pencatatan_pendataan: [Disimpan sebagai arsip elektronik dan manual]",
        "pelaksana: [" + ", ".join(_quote(r) for r in roles) + "]",
        "langkah:",
    ]
    for n in range(1, count + 1):
        kegiatan = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(EXTRAS)}"
        if 2 < n < count and rng.random() < 0.1:
            performer = "[" + ", ".join(_quote(r) for r in rng.sample(roles, 2)) + "]"
        else:
            performer = _quote(rng.choice(roles))
        step = [f"  - no: {n}", f"    kegiatan: {_quote(kegiatan)}", f"    pelaksana: {performer}"]
        if 2 < n < count and rng.random() < 0.15:
            step += ["    jenis: keputusan", f"    ya: {n + 1}", f"    tidak: {rng.randint(1, n - 1)}"]
        step += [
            "    kelengkapan: [" + ", ".join(_item(rng) for _ in range(rng.randint(1, 2))) + "]",
            f"    waktu: {rng.choice(TIMES)}",
            f"    output: [{_item(rng)}]",
        ]
        lines += step
    return "\n".join(lines) + "\n"


def make_corpus(target: Path, count: int) -> Path:
    """A project in ``target`` holding ``count`` synthetic SOPs (the folder is replaced)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", target / "docs")
    shutil.copytree(ROOT / "overrides", target / "overrides")
    shutil.copytree(ROOT / "sop_sources" / "dokumen", target / "sop_sources" / "dokumen")
    shutil.copy2(ROOT / "sop_sources" / "portal.yaml", target / "sop_sources" / "portal.yaml")
    folder = target / "sop_sources" / "sop"
    folder.mkdir(parents=True)
    offices = max(3, count // 25)
    for index in range(1, count + 1):
        (folder / f"sop-{index:04d}.yaml").write_text(sop_source(index, offices), encoding="utf-8")
    return target
