"""Field-by-field agreement of two SOPs (an import against a hand transcription, or an
exported Word file read back against its source)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.sop import LISTS, Item, Sop, Step


@dataclass(frozen=True)
class Field:
    """One compared field: its name, and the two values as text."""

    name: str
    got: str
    want: str

    @property
    def ok(self) -> bool:
        return _norm(self.got) == _norm(self.want)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _items(items: tuple[Item, ...]) -> str:
    return " | ".join(item.text for item in items)


def _documents(items: tuple[Item, ...]) -> str:
    return " | ".join(item.document or "-" for item in items)


def _flow(step: Step) -> str:
    """Where a step's lines go (its Ya, Tidak and jumps; an open Tidak says so)."""
    parts = []
    for branch in step.branches:
        target = branch.target or "(terbuka)"
        parts.append(f"{branch.kind.value}:{target}" + (f"@{branch.entry}" if branch.entry else ""))
    return " ".join(parts) + (" rantai:" + ">".join(step.roles) if step.performance.value == "rantai" else "")


def _numbering(sop: Sop) -> str:
    return " ".join(
        f"{key}={','.join(map(str, sop.item_numbers(key) or ())) or '-'}" for key in LISTS if getattr(sop, key)
    )


IDENTITY_FIELDS = (
    "nama_sop",
    "nomor_sop",
    "pemerintah",
    "instansi",
    "unit",
    "alamat",
    "kop",
    "tanggal_pembuatan",
    "tanggal_revisi",
    "tanggal_efektif",
    "disahkan_oleh.jabatan",
    "disahkan_oleh.nama",
    "disahkan_oleh.pangkat",
    "disahkan_oleh.nip",
)
"""The identity block's fields (a wrong one must carry a comment in the draft)."""


def compare_form(got: Sop, want: Sop) -> list[Field]:
    """:func:`compare`, and the form as printed: the letterhead's lines, the labels, the
    items' numbers, and per step where its lines go and its Keterangan."""
    fields = compare(got, want)
    fields.insert(6, Field("kop", " / ".join(got.kop_lines), " / ".join(want.kop_lines)))
    fields.append(Field("label", _labels(got), _labels(want)))
    fields.append(Field("penomoran", _numbering(got), _numbering(want)))
    for index, step in enumerate(want.langkah):
        mine = got.langkah[index] if index < len(got.langkah) else None
        at = f"langkah {step.no}"
        fields.append(Field(f"{at}.alur", _flow(mine) if mine else "", _flow(step)))
        fields.append(Field(f"{at}.keterangan", mine.keterangan if mine else "", step.keterangan))
    return fields


def _labels(sop: Sop) -> str:
    return " ".join(f"{key}={text}" for key, text in sorted(sop.labels))


def compare(got: Sop, want: Sop) -> list[Field]:
    """Every identity field, every list, the roles, and per step its text, performers,
    symbol, time, inputs, outputs and the templates they name."""
    approver, wanted = got.disahkan_oleh, want.disahkan_oleh
    fields = [
        Field("nama_sop", got.nama, want.nama),
        Field("nomor_sop", got.nomor, want.nomor),
        Field("pemerintah", got.pemerintah, want.pemerintah),
        Field("instansi", got.instansi, want.instansi),
        Field("unit", got.unit, want.unit),
        Field("alamat", got.alamat, want.alamat),
    ]
    for name in ("tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif"):
        a, b = getattr(got, name), getattr(want, name)
        fields.append(Field(name, a.text if a else "", b.text if b else ""))
    fields.append(Field("disahkan_oleh.jabatan", " / ".join(approver.title_lines), " / ".join(wanted.title_lines)))
    for name in ("nama", "pangkat", "nip"):
        fields.append(Field(f"disahkan_oleh.{name}", getattr(approver, name), getattr(wanted, name)))
    for name in ("dasar_hukum", "kualifikasi_pelaksana", "peralatan_perlengkapan", "pencatatan_pendataan"):
        fields.append(Field(name, " | ".join(getattr(got, name)), " | ".join(getattr(want, name))))
    fields.append(
        Field("keterkaitan", " | ".join(k.text for k in got.keterkaitan), " | ".join(k.text for k in want.keterkaitan))
    )
    fields.append(Field("peringatan", " | ".join(got.peringatan), " | ".join(want.peringatan)))
    fields.append(Field("pelaksana", " | ".join(got.role_names), " | ".join(want.role_names)))
    fields.append(Field("jumlah langkah", str(len(got.langkah)), str(len(want.langkah))))
    for index, step in enumerate(want.langkah):
        mine = got.langkah[index] if index < len(got.langkah) else None
        at = f"langkah {step.no}"

        fields += [
            Field(f"{at}.kegiatan", mine.kegiatan if mine else "", step.kegiatan),
            Field(f"{at}.pelaksana", " | ".join(mine.roles) if mine else "", " | ".join(step.roles)),
            Field(f"{at}.simbol", mine.kind.value if mine else "", step.kind.value),
            Field(f"{at}.waktu", mine.waktu.text if mine and mine.waktu else "", step.waktu.text if step.waktu else ""),
            Field(f"{at}.kelengkapan", _items(mine.kelengkapan) if mine else "", _items(step.kelengkapan)),
            Field(f"{at}.output", _items(mine.output) if mine else "", _items(step.output)),
            Field(
                f"{at}.dokumen",
                (_documents(mine.kelengkapan) + " / " + _documents(mine.output)) if mine else "",
                _documents(step.kelengkapan) + " / " + _documents(step.output),
            ),
        ]
    return fields
