"""Who performs a step when the file shows no symbol (text copied out of Word or a PDF): a
guess from what the step does, by the kind of post that does such work in an office.

- signing, deciding, giving a disposition ("menandatangani", "menetapkan", "mendisposisikan")
  is the signer's post: the column whose name reads as the title under "Disahkan oleh"
  ("Kasat Pol PP" for KEPALA SATUAN POLISI PAMONG PRAJA), else the head of the office;
- applying, handing in ("mengajukan", "mendaftar") is the applicant's: Pemohon, Wajib Pajak,
  Masyarakat, ...;
- initialling, checking a draft ("memaraf", "memberikan paraf", "mengoreksi") is a middle
  post's: Kasi, Kabid, Kasubbag, Kepala Bidang, ...;
- receiving, recording, typing, handing over ("menerima berkas", "mencatat", "mengetik",
  "menyerahkan") is the staff's: Petugas, Staf, Pelaksana, Operator, ....

Every answer is a guess, and the draft says so at the step.
"""

from __future__ import annotations

import re

from generator.model.text import role_key

_KINDS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "pimpinan",
        re.compile(
            r"(?:^|\b)(?:menandatangani|menetapkan|mengesahkan|mendisposisikan|memberi(?:kan)? disposisi)\b", re.I
        ),
        re.compile(
            r"^(?:kepala(?! (?:seksi|sub|bidang|bagian|urusan|ruangan))|camat|lurah|direktur|bupati|wali ?kota|"
            r"kepala satuan|kepala dinas|kepala badan|inspektur|sekretaris daerah|pimpinan|plt)\b",
            re.I,
        ),
    ),
    (
        "pemohon",
        re.compile(
            r"^(?:mengajukan|mendaftar(?:kan)?|mengisi formulir|menyampaikan (?:permohonan|pengaduan|laporan))\b", re.I
        ),
        re.compile(
            r"^(?:pemohon|wajib|masyarakat|pemilik|pelapor|pengadu|pengusul|peserta|keluarga|warga|penduduk)\b", re.I
        ),
    ),
    (
        "menengah",
        re.compile(r"^(?:memaraf|membubuhkan paraf|memberi(?:kan)? paraf|mengoreksi|menelaah|meneliti konsep)\b", re.I),
        re.compile(r"^(?:kepala (?:seksi|sub|bidang|bagian|urusan|ruangan)|sekretaris|koordinator|ketua)\b", re.I),
    ),
    (
        "staf",
        re.compile(
            r"^(?:menerima (?:berkas|surat|permohonan|dan)|mencatat|mengetik|mengagendakan|menginput|"
            r"mengarsipkan|menyerahkan|mengirim(?:kan)?|mencetak|memindai|menggandakan)\b",
            re.I,
        ),
        re.compile(
            r"^(?:petugas|staf|staff|pelaksana|operator|admin|pengadministrasi|pengelola|juru|pramu|"
            r"jabatan pelaksana)\b",
            re.I,
        ),
    ),
)


def guess(activity: str, roles: list[str], signer: str = "") -> tuple[str, str] | None:
    """``(role, why)`` for a step doing ``activity`` when one column fits the kind of work,
    else ``None``; ``signer``: the title under "Disahkan oleh"."""
    for kind, verbs, posts in _KINDS:
        if not verbs.search(activity.strip()):
            continue
        if kind == "pimpinan" and signer:
            wanted = role_key(signer)
            signing = [r for r in roles if role_key(r) and wanted.startswith(role_key(r))]
            signing = signing or [r for r in roles if role_key(r).split()[:2] == wanted.split()[:2]]
            if len(signing) == 1:
                return signing[0], f"yang {_VERB[kind]} biasanya penanda tangan SOP ({signer})"
        fitting = [r for r in roles if posts.search(role_key(r))]
        if len(fitting) == 1 or (fitting and kind == "pimpinan"):
            chosen = fitting[-1] if kind == "pimpinan" else fitting[0]
            return chosen, f"yang {_VERB[kind]} biasanya {chosen}"
    return None


_VERB = {
    "pimpinan": "menandatangani, menetapkan atau mendisposisikan",
    "pemohon": "mengajukan permohonan",
    "menengah": "memaraf atau mengoreksi",
    "staf": "menerima, mencatat, mengetik atau menyerahkan berkas",
}
