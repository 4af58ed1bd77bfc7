"""The JSON Schema of an SOP source file: one definition for editors and for the validator.

The structure rules live here once. :mod:`generator.validate` checks sources against
this schema (translating each violation into an Indonesian message with its position)
and then applies the rules a schema cannot express (cross references, dates, flow).
The same schema is published with the portal and committed next to the sources so
editors such as VS Code complete and check the YAML while a clerk types.
"""

from __future__ import annotations

from typing import Any

from generator.model.sop import CAPITAL_LABELS, DEFAULT_LABELS, LISTS, Numbering
from generator.model.text import MAX_ID_LENGTH

SCHEMA_ID = "https://sop-portal.invalid/schema/sop.schema.json"
"""Stable identifier of the schema (not fetched by anything)."""

ID_PATTERN = rf"^(?![\s\S]{{{MAX_ID_LENGTH + 1}}})[a-z0-9]+(?:-[a-z0-9]+)*(?![\s\S])"
"""SOP, step and document ids: lowercase words joined by hyphens, at most
:data:`~generator.model.text.MAX_ID_LENGTH` characters; safe as a file and URL name. The
end is "no character follows" rather than ``$``, which in Python also matches before a final
line break (``id: "bangsal\\n"`` would pass and name a folder with a line break in it); both
lookaheads read the same in Python and in the editors' JavaScript."""

_TEXT = {"type": "string"}
_OPTIONAL_TEXT = {"type": ["string", "null"]}
_NUMBER_OR_TEXT = {"type": ["string", "integer"]}


def _target(description: str) -> dict[str, Any]:
    """A step to go to: its number or id, or ``{langkah: N, pelaksana: X}`` for the symbol of
    one pelaksana inside a row of several symbols."""
    return {
        "type": ["string", "integer", "object"],
        "additionalProperties": False,
        "required": ["langkah"],
        "properties": {
            "langkah": {**_NUMBER_OR_TEXT, "description": "Nomor (atau id) langkah tujuan."},
            "pelaksana": {**_TEXT, "description": "Simbol pelaksana ini di baris langkah tujuan."},
            "penghubung": {
                **_NUMBER_OR_TEXT,
                "description": "Bila kertasnya menggambar sepasang penghubung dalam halaman (lingkaran "
                "kecil bertanda sama) sebagai ganti garis panjang: tanda itu, mis. 1 atau A.",
            },
        },
        "description": description + " Tulis nomor langkah, atau `{langkah: 4, pelaksana: Kabid}` untuk "
        "masuk ke simbol pelaksana tertentu di baris yang memuat beberapa simbol; `penghubung: 1` "
        "menggambar sepasang penghubung dalam halaman sebagai ganti garisnya.",
    }


REVIEW_POLICY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "description": "Jangka peninjauan: SOP dievaluasi (dan direvisi bila perlu) dan dimonitor paling "
    "lambat setiap sekian bulan.",
    "properties": {
        "evaluasi_bulan": {
            "type": "integer",
            "minimum": 1,
            "maximum": 120,
            "description": "Bulan sejak evaluasi atau revisi terakhir (bawaan 12).",
        },
        "monitoring_bulan": {
            "type": "integer",
            "minimum": 1,
            "maximum": 120,
            "description": "Bulan sejak monitoring terakhir (bawaan 6).",
        },
    },
}
"""Review periods: for the whole portal (portal.yaml) or one SOP (its ``peninjauan``)."""


def _text(description: str) -> dict[str, Any]:
    return {**_OPTIONAL_TEXT, "description": description}


def _text_list(description: str) -> dict[str, Any]:
    return {
        "type": ["array", "string", "null"],
        "items": _TEXT,
        "description": description + " Tulis sebagai daftar (satu butir per baris diawali `- `).",
    }


_ITEMS = {
    "type": ["array", "string", "null"],
    "items": {
        "type": ["string", "object"],
        "additionalProperties": False,
        "required": ["dokumen"],
        "properties": {
            "dokumen": {
                "type": "string",
                "pattern": ID_PATTERN,
                "description": "id templat dokumen (sop_sources/dokumen/).",
            },
            "teks": {"type": "string", "description": "Teks seperti tertulis di SOP (bawaan: judul dokumen)."},
        },
    },
}


def _items(description: str) -> dict[str, Any]:
    return {
        **_ITEMS,
        "description": description + " Butir boleh berupa teks, atau `{dokumen: <id>, teks: ...}` untuk "
        "menautkan templat dokumen yang dapat diunduh.",
    }


def _step_properties(*, with_substeps: bool) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": {
            "type": "string",
            "pattern": ID_PATTERN,
            "description": "Kunci unik langkah (opsional). Wajib bila nomor langkah dipakai dua kali "
            "dan langkah itu dirujuk oleh `ya`, `tidak` atau `lanjut_ke`.",
        },
        "no": {**_NUMBER_OR_TEXT, "description": "Nomor langkah seperti tertulis di SOP, mis. 1, 2a, 6."},
        "kegiatan": {"type": "string", "minLength": 1, "description": "Uraian kegiatan langkah ini."},
        "pelaksana": {
            "type": ["string", "array"],
            "items": _TEXT,
            "minItems": 1,
            "description": "Pelaksana langkah: satu nama dari daftar `pelaksana`, atau daftar nama "
            "untuk kegiatan bersama (mis. rapat).",
        },
        "rantai": {
            "type": "array",
            "items": {
                "type": ["string", "object"],
                "additionalProperties": False,
                "required": ["pelaksana"],
                "properties": {
                    "pelaksana": {**_TEXT, "description": "Pelaksana simbol ini."},
                    "jenis": {
                        "enum": ["proses", "keputusan"],
                        "description": "`keputusan` untuk belah ketupat di tengah rantai; jawaban Ya "
                        "lanjut ke simbol berikutnya.",
                    },
                    "tidak": _target("Untuk keputusan di tengah rantai: tujuan bila jawabannya Tidak."),
                    "garis_tidak": {
                        "type": "boolean",
                        "description": "false bila kertasnya tidak menggambar garis Tidak dari belah "
                        "ketupat ini sama sekali.",
                    },
                },
                "description": "Nama pelaksana, atau `{pelaksana: ..., jenis: keputusan, tidak: ...}` "
                "untuk keputusan di tengah rantai.",
            },
            "minItems": 2,
            "description": "Beberapa simbol dalam satu baris: pelaksana berurutan (mis. pemeriksaan "
            "berjenjang), masing-masing boleh keputusan sendiri. Dipakai sebagai ganti `pelaksana`.",
        },
        "jenis": {
            "enum": ["proses", "keputusan"],
            "description": "`proses` (kotak, bawaan) atau `keputusan` (belah ketupat dengan cabang Ya/Tidak).",
        },
        "ya": _target("Untuk keputusan: langkah bila jawabannya Ya."),
        "tidak": _target(
            "Untuk keputusan: langkah bila jawabannya Tidak (biasanya kembali ke langkah sebelumnya). "
            "Boleh tidak ditulis bila SOP hanya menyebutnya dalam uraian (tanpa garis); portal "
            "mencatatnya sebagai informasi (bukan peringatan) dan menggambar jalan keluar Tidak yang terbuka."
        ),
        "lanjut_ke": _target("Untuk proses: langkah berikutnya bila bukan langkah di bawahnya."),
        "garis_tidak": {
            "type": "boolean",
            "description": "Untuk keputusan: false bila kertasnya tidak menggambar garis Tidak sama sekali "
            "(jawaban Tidak hanya ada di uraian; tanpa panah pendek berlabel).",
        },
        "butir": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "minItems": 1,
            "description": "Butir-butir kegiatan dalam baris yang sama (satu simbol), dicetak a., b., c. di "
            "bawah uraian kegiatan.",
        },
        "kelengkapan": _items("Mutu baku: persyaratan/kelengkapan."),
        "waktu": _text(
            'Mutu baku: waktu, ditulis seperti biasa, mis. "10 menit", "3 jam", "1 hari"; waktu yang memang '
            'tidak tetap ditulis seperti di kertas, mis. "Waktu Tentatif sesuai Per UU", "Sesuai jadwal", "-".'
        ),
        "output": _items("Mutu baku: output langkah."),
        "keterangan": _text("Keterangan."),
        "tahap": {
            "type": "string",
            "minLength": 1,
            "description": "Tahap pekerjaan langkah ini (opsional), untuk membandingkan SOP sejenis; "
            "bila keluarga SOP di portal.yaml mendaftar tahapnya, pakai salah satu nama itu.",
        },
    }
    if with_substeps:
        props["sub_langkah"] = {
            "type": "array",
            "minItems": 1,
            "items": {"$ref": "#/$defs/sub_langkah"},
            "description": "Sub-langkah (mis. 2a, 2b, 2c), masing-masing dengan simbolnya sendiri.",
        }
    return props


_DECISION_NEEDS_BRANCHES = {
    "if": {"properties": {"jenis": {"const": "keputusan"}}, "required": ["jenis"]},
    "then": {"required": ["ya"]},
}


def sop_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one SOP source file."""
    step = {
        "type": "object",
        "additionalProperties": False,
        "required": ["no", "kegiatan"],
        "properties": _step_properties(with_substeps=True),
        **_DECISION_NEEDS_BRANCHES,
    }
    substep = {
        "type": "object",
        "additionalProperties": False,
        "required": ["no", "kegiatan"],
        "properties": _step_properties(with_substeps=False),
        **_DECISION_NEEDS_BRANCHES,
    }
    role = {
        "type": ["string", "object"],
        "additionalProperties": False,
        "required": ["nama"],
        "properties": {
            "nama": {"type": "string", "minLength": 1, "description": "Nama jabatan seperti di kepala kolom."},
            "kode": {
                "type": "string",
                "minLength": 1,
                "description": "Sebutan singkat (opsional) yang boleh dipakai di langkah sebagai ganti nama.",
            },
            "jabatan": {
                "type": "string",
                "pattern": ID_PATTERN,
                "description": "id jabatan di daftar `jabatan` sop_sources/portal.yaml, bila nama kolom "
                "ini tidak cukup jelas (mis. `Sekretaris` yang berarti Sekretaris Kecamatan).",
            },
        },
    }
    link = {
        "type": ["string", "object"],
        "additionalProperties": False,
        "required": ["sop"],
        "properties": {
            "sop": {"type": "string", "pattern": ID_PATTERN, "description": "id SOP lain di portal ini."},
            "teks": {"type": "string", "description": "Teks yang ditampilkan (bawaan: nama SOP itu)."},
        },
    }
    revision = {
        "type": "object",
        "additionalProperties": False,
        "required": ["tanggal", "jenis"],
        "properties": {
            "tanggal": {"type": "string", "minLength": 1, "description": "Tanggal, mis. 26 Januari 2024."},
            "jenis": {
                "enum": ["pembuatan", "revisi", "evaluasi", "monitoring"],
                "description": "Apa yang terjadi pada tanggal itu.",
            },
            "perubahan": _text("Apa yang berubah (revisi) atau apa hasilnya (evaluasi, monitoring)."),
            "disetujui_oleh": _text("Siapa yang menyetujui, mis. Camat Lumajang."),
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Sumber SOP Administrasi Pemerintahan",
        "description": "Satu SOP AP (Permen PANRB 35/2012): bagian identitas dan bagian prosedur.",
        "type": "object",
        "additionalProperties": False,
        "required": ["nama_sop", "pelaksana", "langkah"],
        "properties": {
            "id": {
                "type": "string",
                "pattern": ID_PATTERN,
                "description": "Kunci unik SOP di portal (bawaan: nama berkas). Huruf kecil, angka, tanda hubung.",
            },
            "nama_sop": {"type": "string", "minLength": 1, "description": "Nama SOP."},
            "nomor_sop": _text("Nomor SOP sesuai penomoran instansi."),
            "pemerintah": _text("Pemerintah daerah, mis. PEMERINTAH KABUPATEN MOJOKERTO."),
            "instansi": _text("Instansi/perangkat daerah, mis. KECAMATAN BANGSAL."),
            "alamat": _text("Alamat instansi seperti di kop."),
            "kop": {
                "type": ["array", "string", "null"],
                "items": {"type": "string", "minLength": 1},
                "description": "Baris-baris kop lembar SOP persis seperti tercetak, dari atas ke bawah "
                "(huruf besar/kecil dan pemenggalan barisnya), mis. empat baris PEMERINTAH PROVINSI ..., "
                "SATUAN ..., BIDANG ..., SEKSI .... Bila ditulis, menggantikan pemerintah/instansi/unit/"
                "sub_unit/alamat di kop lembar SOP (kolom-kolom itu tetap dipakai untuk pengelompokan).",
            },
            "unit": _text("Unit kerja (mis. sub bagian) bila SOP milik unit tertentu."),
            "sub_unit": _text("Sub-unit di bawah unit, bila ada."),
            "tanggal_pembuatan": _text("Tanggal pembuatan, mis. 30 Juni 2022."),
            "tanggal_revisi": _text("Tanggal revisi terakhir; kosongkan atau tulis - bila belum ada."),
            "tanggal_efektif": _text("Tanggal efektif."),
            "disahkan_oleh": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "description": "Pejabat yang mengesahkan SOP.",
                "properties": {
                    "jabatan": {
                        "type": ["string", "array", "null"],
                        "items": {"type": "string", "minLength": 1},
                        "minItems": 1,
                        "description": "Jabatan, mis. CAMAT BANGSAL. Bila kertasnya memenggal jabatan menjadi "
                        "beberapa baris, tulis sebagai daftar baris persis seperti tercetak (dengan komanya), "
                        "mis. `[KEPALA SATUAN POLISI PAMONG PRAJA, PROVINSI KALIMANTAN BARAT,]`.",
                    },
                    "nama": _text("Nama lengkap dengan gelar."),
                    "pangkat": _text("Pangkat/golongan, bila dicantumkan."),
                    "nip": _text("NIP, sebagai teks (beri tanda kutip)."),
                },
            },
            "dasar_hukum": _text_list("Dasar hukum."),
            "kualifikasi_pelaksana": _text_list("Kualifikasi pelaksana."),
            "keterkaitan": {
                "type": ["array", "string", "null"],
                "items": {"$ref": "#/$defs/keterkaitan"},
                "description": "Keterkaitan: teks, atau `{sop: id}` untuk menautkan SOP lain di portal.",
            },
            "peralatan_perlengkapan": _text_list("Peralatan/perlengkapan."),
            "peringatan": _text_list("Peringatan."),
            "pencatatan_pendataan": _text_list("Pencatatan dan pendataan."),
            "judul_uraian": _text("Judul bagian prosedur bila SOP mencantumkannya (mis. URAIAN SOP : ...)."),
            "logo": {
                "type": "string",
                "minLength": 1,
                "description": "Berkas logo untuk kop lembar SOP (PNG, JPG atau SVG), relatif terhadap berkas ini.",
            },
            "cetak": {
                "type": "object",
                "additionalProperties": False,
                "description": "Pengaturan cetak khusus SOP ini (bawaan: pengaturan portal).",
                "properties": {
                    "kertas": {"enum": ["A4", "F4"], "description": "Ukuran kertas lembar SOP (mendatar)."},
                    "langkah_per_halaman": {
                        "type": "integer",
                        "minimum": 3,
                        "maximum": 20,
                        "description": "Jumlah langkah paling banyak per halaman prosedur.",
                    },
                    "halaman_baru": {
                        "type": "array",
                        "items": _NUMBER_OR_TEXT,
                        "minItems": 1,
                        "description": "Langkah (nomor atau id) yang memulai halaman prosedur baru, seperti "
                        "pada kertas yang ditandatangani; penghubung antarhalaman digambar di situ.",
                    },
                    "simbol_mulai_selesai": {
                        "type": "boolean",
                        "description": "false bila SOP tidak menggambar simbol mulai/selesai (kapsul) pada "
                        "langkah pertama dan terakhir (bawaan: true).",
                    },
                    "nomor_kolom": {
                        "type": "boolean",
                        "description": "true bila kertasnya mencetak baris nomor kolom (1, 2, 3, ...) di bawah "
                        "kepala tabel prosedur.",
                    },
                    "nomor_simbol": {
                        "type": "boolean",
                        "description": "false bila simbol di kertasnya tidak memuat nomor langkah (bawaan: true).",
                    },
                    "kotak_proses": {
                        "enum": ["siku", "bulat"],
                        "description": "Sudut kotak proses: `siku` (bawaan) atau `bulat`.",
                    },
                    "orientasi": {
                        "enum": ["mendatar", "tegak"],
                        "description": "Arah kertas lembar SOP: `mendatar` (bawaan, format resmi) atau `tegak`.",
                    },
                    "penomoran": {
                        "type": "object",
                        "additionalProperties": False,
                        "description": "Nomor butir daftar identitas seperti tercetak, bila berbeda dari format "
                        "resmi (1, 2, 3, ...; satu peringatan saja tanpa nomor), mis. `dasar_hukum: [1, 3, 4]`, "
                        '`peringatan: urut` (satu butir dicetak "1.") atau `kualifikasi_pelaksana: tanpa`.',
                        "properties": {
                            key: {
                                "type": ["string", "array"],
                                "if": {"type": "string"},
                                "then": {"enum": [n.value for n in Numbering]},
                                "items": {"type": "integer", "minimum": 1},
                                "minItems": 1,
                                "description": "`urut` (1, 2, 3, ...; satu butir pun bernomor 1), `tanpa` (tanpa "
                                "nomor), atau daftar nomor yang tercetak di depan setiap butir, mis. [1, 3, 4].",
                            }
                            for key in LISTS
                        },
                    },
                    "label": {
                        "type": "object",
                        "additionalProperties": False,
                        "description": "Label yang tercetak pada SOP bila berbeda dari format resmi, dicetak "
                        "persis seperti ditulis (huruf besar/kecilnya juga), mis. `nomor_sop: NOMOR SOP`, "
                        "`kualifikasi_pelaksana: Kualitas Pelaksana` atau `kegiatan: AKTIVITAS`.",
                        "properties": {
                            key: {
                                "type": "string",
                                "minLength": 1,
                                "description": f"Bawaan: {default.upper() if key in CAPITAL_LABELS else default}.",
                            }
                            for key, default in DEFAULT_LABELS.items()
                        },
                    },
                },
            },
            "keluarga": {
                "type": "string",
                "pattern": ID_PATTERN,
                "description": "Keluarga SOP: kunci bersama SOP yang mengerjakan pekerjaan yang sama di "
                "instansi lain, untuk halaman Perbandingan (bawaan: SOP bernama sama).",
            },
            "peninjauan": REVIEW_POLICY_SCHEMA,
            "riwayat": {
                "type": ["array", "null"],
                "items": {"$ref": "#/$defs/riwayat"},
                "description": "Riwayat SOP: pembuatan, revisi, evaluasi dan monitoring, masing-masing "
                "dengan tanggal, apa yang berubah, dan siapa yang menyetujui.",
            },
            "pelaksana": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/pelaksana"},
                "description": "Pelaksana (kolom flowchart) berurutan seperti di SOP.",
            },
            "langkah": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/langkah"},
                "description": "Langkah-langkah prosedur, berurutan.",
            },
        },
        "$defs": {
            "pelaksana": role,
            "keterkaitan": link,
            "riwayat": revision,
            "langkah": step,
            "sub_langkah": substep,
        },
    }
