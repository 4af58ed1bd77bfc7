"""The SOP source kind (``sop_sources/sop/*.yaml``): the rules beyond its schema, and its model.

Every problem is collected (never raised one at a time) with the file, line, column and
field it concerns, in plain Indonesian, so a maintainer can fix a whole file in one go.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.model import flow
from generator.model.dates import FIRST_YEAR, LAST_YEAR, DateFormatError, DateOutOfRange, SopDate, parse_date
from generator.model.durations import PLAUSIBLE_MINUTES, format_minutes, parse_duration
from generator.model.problems import Problem, Severity
from generator.model.sop import (
    LISTS,
    Approver,
    Branch,
    BranchKind,
    Item,
    Link,
    Numbering,
    Performance,
    ReviewPolicy,
    Revision,
    RevisionKind,
    Role,
    SheetForm,
    Sop,
    Step,
    StepKind,
)
from generator.model.text import MAX_ID_LENGTH, slug
from generator.sources.collect import Collector, did_you_mean
from generator.sources.document import SourceDocument, YamlPath
from generator.sources.images import image_refusal
from generator.sources.kinds import SourceKind
from generator.sources.sop_schema import ID_PATTERN, sop_schema


def _texts(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    return tuple(str(v).strip() for v in value if str(v).strip())


def _items(value: Any) -> tuple[Item, ...]:
    if value is None:
        return ()
    entries = [value] if isinstance(value, str) else value
    items: list[Item] = []
    for entry in entries:
        if isinstance(entry, dict):
            items.append(Item(text=_text(entry.get("teks")), document=entry["dokumen"]))
        elif str(entry).strip():
            items.append(Item(text=str(entry).strip()))
    return tuple(items)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


@dataclass
class _RawStep:
    path: YamlPath
    data: dict[str, Any]
    key: str
    no: str
    parent: str | None


def step_rows(langkah: Sequence[Any]) -> Iterator[tuple[YamlPath, dict[str, Any]]]:
    """(YAML path, data) of every step and sub-step of a source's ``langkah``, in order
    (entries that are not mappings are skipped: the schema reports them)."""
    for i, item in enumerate(langkah):
        if not isinstance(item, dict):
            continue
        yield ("langkah", i), item
        for j, sub in enumerate(item.get("sub_langkah") or []):
            if isinstance(sub, dict):
                yield ("langkah", i, "sub_langkah", j), sub


def _flatten_steps(langkah: Sequence[dict[str, Any]]) -> list[_RawStep]:
    rows = [(path, data, f"#{path[1]}" if len(path) > 2 else None) for path, data in step_rows(langkah)]
    counts = Counter(str(data["no"]).strip() for _, data, _ in rows)
    seen: Counter[str] = Counter()
    keys: dict[str, str] = {}
    raw: list[_RawStep] = []
    for path, data, parent in rows:
        no = str(data["no"]).strip()
        seen[no] += 1
        if data.get("id"):
            key = str(data["id"])
        elif counts[no] > 1:
            key = f"langkah-{slug(no)}-{seen[no]}"
        else:
            key = f"langkah-{slug(no)}"
        if parent is None:
            keys[f"#{path[1]}"] = key
        raw.append(_RawStep(path, data, key, no, keys.get(parent) if parent else None))
    return raw


RESERVED_IDS = frozenset({"index"})
"""Ids whose page would be the section's own index page (``sop/index.md``), not the SOP's."""

LOGO_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".svg"})


def _build(out: Collector, default_id: str, root: Path) -> Sop | None:
    """The :class:`Sop` of a schema-valid source (see :class:`SourceKind`)."""
    doc = out.doc
    data = doc.data
    sop_id = data.get("id") or default_id
    if not re.match(ID_PATTERN, sop_id):
        out.add(
            (),
            "nama berkas tidak bisa dipakai sebagai id SOP",
            "bad-id",
            expected=f"huruf kecil, angka dan tanda hubung, paling panjang {MAX_ID_LENGTH} huruf",
            found=f'"{sop_id}"',
            hint="tambahkan kolom `id: ...` (mis. `id: bangsal-pengumpulan-data-kinerja`) atau ganti nama berkas",
        )
    elif sop_id in RESERVED_IDS:
        out.add(
            ("id",) if "id" in data else (),
            f"`{sop_id}` tidak bisa dipakai sebagai id SOP",
            "reserved-id",
            expected="id selain " + ", ".join(f"`{i}`" for i in sorted(RESERVED_IDS)),
            found=f'"{sop_id}"',
            hint="`index` adalah halaman pembuka bagian SOP; beri SOP ini id yang menyebut isinya",
        )

    roles = _roles(out, data["pelaksana"])
    lookup: dict[str, str] = {}
    for role in roles:
        lookup[_norm(role.name)] = role.name
        if role.code:
            lookup[_norm(role.code)] = role.name

    raw_steps = _flatten_steps(data["langkah"])
    labels = [r.name for r in roles] + [r.code for r in roles if r.code]
    steps = _steps(out, raw_steps, lookup, labels)
    dates = {name: _date(out, data, name) for name in ("tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif")}
    approver = data.get("disahkan_oleh") or {}
    logo = _logo(out, data, root)
    printing = data.get("cetak") or {}
    links = tuple(
        Link(text=item, sop_id=None)
        if isinstance(item, str)
        else Link(text=_text(item.get("teks")), sop_id=item["sop"])
        for item in (
            [data["keterkaitan"]] if isinstance(data.get("keterkaitan"), str) else data.get("keterkaitan") or []
        )
    )
    history = _history(out, data, dates.get("tanggal_revisi"))
    policy = data.get("peninjauan")
    lists = {name: _texts(data.get(name)) for name in LISTS if name != "keterkaitan"}
    numbering = _numbering(out, printing, {**{k: len(v) for k, v in lists.items()}, "keterkaitan": len(links)})
    if out.has_errors:
        return None
    total = flow.longest_path(steps)
    return Sop(
        id=sop_id,
        source=doc.display,
        fingerprint=hashlib.sha256(doc.raw).hexdigest()[:10],
        nama=_text(data["nama_sop"]),
        nomor=_text(data.get("nomor_sop")),
        pemerintah=_text(data.get("pemerintah")),
        instansi=_text(data.get("instansi")),
        alamat=_text(data.get("alamat")),
        unit=_text(data.get("unit")),
        sub_unit=_text(data.get("sub_unit")),
        tanggal_pembuatan=dates["tanggal_pembuatan"],
        tanggal_revisi=dates["tanggal_revisi"],
        tanggal_efektif=dates["tanggal_efektif"],
        disahkan_oleh=_approver(approver),
        dasar_hukum=lists["dasar_hukum"],
        kualifikasi_pelaksana=lists["kualifikasi_pelaksana"],
        keterkaitan=links,
        peralatan_perlengkapan=lists["peralatan_perlengkapan"],
        peringatan=lists["peringatan"],
        pencatatan_pendataan=lists["pencatatan_pendataan"],
        judul_uraian=_text(data.get("judul_uraian")),
        pelaksana=tuple(roles),
        langkah=tuple(steps),
        total=total,
        logo=logo,
        paper=printing.get("kertas", ""),
        steps_per_page=printing.get("langkah_per_halaman"),
        keluarga=data.get("keluarga") or "",
        riwayat=history,
        peninjauan=ReviewPolicy(**policy) if policy else None,
        date_lines=tuple((name, doc.where((name,)).line) for name, value in dates.items() if value),
        field_lines=tuple((name, doc.where((name,)).line) for name in ("id", "instansi") if name in data),
        labels=tuple((key, value.strip()) for key, value in (printing.get("label") or {}).items()),
        terminators=printing.get("simbol_mulai_selesai", True),
        page_breaks=_page_breaks(out, printing, steps),
        form=_sheet_form(printing),
        kop=_texts(data.get("kop")),
        numbering=numbering,
    )


SOP_KIND: SourceKind[Sop] = SourceKind(
    name="sop",
    location="sop/",
    schema=sop_schema,
    build=_build,
    contents="sebuah SOP (nama_sop, pelaksana, langkah, ...)",
    start_hint="mulai berkas dengan `nama_sop: ...` di awal baris, tanpa tanda `- ` di depannya",
)
"""SOP sources: one file per SOP under ``sop_sources/sop/``."""

schema_json = SOP_KIND.schema_json


def build_sop(doc: SourceDocument, default_id: str, root: Path | None = None) -> tuple[Sop | None, list[Problem]]:
    """Validate one parsed SOP source and build its :class:`Sop` (``None`` when it has errors).

    ``root`` is the project folder: files a source names (its logo) must lie inside it.
    """
    return SOP_KIND.load(doc, default_id, root or doc.path.parent)


def _approver(data: dict[str, Any]) -> Approver:
    """The signer; a title written as lines (a list, or a block with line breaks) keeps them
    as the paper prints them, and reads as one line elsewhere."""
    title = data.get("jabatan")
    if isinstance(title, list):
        lines = _texts(title)
    elif isinstance(title, str) and "\n" in title.strip():
        lines = _texts(title.strip().splitlines())
    else:
        lines = ()
    return Approver(
        jabatan=" ".join(lines) if lines else _text(title),
        nama=_text(data.get("nama")),
        pangkat=_text(data.get("pangkat")),
        nip=_text(data.get("nip")),
        jabatan_lines=lines if len(lines) > 1 or isinstance(title, list) else (),
    )


def _numbering(
    out: Collector, printing: dict[str, Any], counts: dict[str, int]
) -> tuple[tuple[str, Numbering | tuple[int, ...]], ...]:
    """``cetak.penomoran``: per identity list, its numbers as printed, or `urut` / `tanpa`."""
    found: list[tuple[str, Numbering | tuple[int, ...]]] = []
    for name, value in (printing.get("penomoran") or {}).items():
        if not isinstance(value, list):
            found.append((name, Numbering(value)))
            continue
        numbers = tuple(int(v) for v in value)
        if len(numbers) != counts[name]:
            out.add(
                ("cetak", "penomoran", name),
                f"jumlah nomor `{name}` tidak sama dengan jumlah butirnya",
                "numbering-count",
                expected=f"{counts[name]} nomor, satu untuk setiap butir `{name}`, berurutan seperti tercetak",
                found=f"{len(numbers)} nomor: " + ", ".join(str(n) for n in numbers),
                hint="tulis nomor yang tercetak di depan setiap butir (mis. `[1, 3, 4]`), "
                "atau `urut` bila butirnya dinomori 1, 2, 3 ...",
            )
            continue
        found.append((name, numbers))
    return tuple(found)


def _sheet_form(printing: dict[str, Any]) -> SheetForm:
    """How the paper draws its procedure table (``cetak``: nomor_kolom, nomor_simbol,
    kotak_proses, orientasi)."""
    return SheetForm(
        column_numbers=printing.get("nomor_kolom", False),
        symbol_numbers=printing.get("nomor_simbol", True),
        rounded_process=printing.get("kotak_proses") == "bulat",
        portrait=printing.get("orientasi") == "tegak",
    )


def _connector(value: Any) -> str:
    """The label of the on-page connector pair a branch target names (``penghubung``), or ""."""
    return str(value.get("penghubung", "")).strip() if isinstance(value, dict) else ""


def _tidak_drawn(data: dict[str, Any], index: int | None = None) -> bool:
    """False when the paper draws no Tidak line (``garis_tidak: false``) for the step's own
    decision, or for the decision at ``index`` of its chain."""
    chain = data.get("rantai")
    if index is None or not isinstance(chain, list) or index >= len(chain):
        # the step's own decision (a joint step's symbols share it: no `rantai` entries)
        return data.get("garis_tidak", True) is not False
    entry = chain[index]
    return not (isinstance(entry, dict) and entry.get("garis_tidak") is False)


def _page_breaks(out: Collector, printing: dict[str, Any], steps: list[Step]) -> tuple[str, ...]:
    """Keys of the steps ``cetak.halaman_baru`` names (by number or id)."""
    keys: list[str] = []
    for i, wanted in enumerate(printing.get("halaman_baru") or []):
        text = str(wanted).strip()
        matches = [s.key for s in steps if s.key == text] or [s.key for s in steps if s.no == text]
        if len(matches) != 1:
            out.add(
                ("cetak", "halaman_baru", i),
                f"langkah `{text}` " + ("tidak ada" if not matches else "dipakai oleh beberapa langkah"),
                "missing-target" if not matches else "ambiguous-target",
                hint="tulis nomor langkah yang ada (atau id-nya bila nomornya dipakai dua kali)",
            )
            continue
        keys.append(matches[0])
    return tuple(keys)


def _history(out: Collector, data: dict[str, Any], revised: SopDate | None) -> tuple[Revision, ...]:
    """The declared history, oldest first; warns when `tanggal_revisi` lags behind it."""
    entries: list[Revision] = []
    for i, item in enumerate(data.get("riwayat") or []):
        try:
            when = parse_date(item["tanggal"])
        except DateOutOfRange as exc:
            _far_date(out, ("riwayat", i, "tanggal"), item["tanggal"], exc)
            continue
        except DateFormatError:
            when = None
        if when is None:
            out.add(
                ("riwayat", i, "tanggal"),
                "tanggal riwayat tidak dapat dibaca",
                "bad-date",
                expected='tanggal seperti "26 Januari 2024" atau "2024-01-26"',
                found=f'"{item["tanggal"]}"',
                hint="periksa ejaan bulan dan angka tanggalnya",
            )
            continue
        entries.append(
            Revision(
                tanggal=when,
                jenis=RevisionKind(item["jenis"]),
                perubahan=_text(item.get("perubahan")),
                disetujui_oleh=_text(item.get("disetujui_oleh")),
                line=out.doc.where(("riwayat", i)).line,
            )
        )
    entries.sort(key=lambda r: r.tanggal.value)
    revisions = [r for r in entries if r.jenis is RevisionKind.REVISI]
    if revisions and (revised is None or revised.value < revisions[-1].tanggal.value):
        out.add(
            ("tanggal_revisi",) if "tanggal_revisi" in data else ("riwayat",),
            "tanggal revisi di identitas SOP lebih lama dari revisi terakhir di riwayat",
            "stale-revision-date",
            key="tanggal_revisi" not in data,
            found=revised.text if revised else "kosong",
            expected=f"{revisions[-1].tanggal.text} (revisi terakhir di riwayat)",
            hint="samakan `tanggal_revisi` dengan tanggal revisi terakhir, agar lembar SOP yang dicetak benar",
            severity=Severity.WARNING,
        )
    return tuple(entries)


def _roles(out: Collector, items: list[Any]) -> list[Role]:
    roles: list[Role] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        role = (
            Role(name=item.strip())
            if isinstance(item, str)
            else Role(name=item["nama"].strip(), code=item.get("kode"), jabatan=item.get("jabatan"))
        )
        for label in filter(None, (role.name, role.code)):
            if _norm(label) in seen:
                out.add(
                    ("pelaksana", i),
                    f"pelaksana `{label}` tercantum dua kali",
                    "duplicate-role",
                    found=f"sudah ada sebagai butir ke-{seen[_norm(label)] + 1}",
                    hint="setiap kolom pelaksana hanya boleh muncul sekali",
                )
            seen[_norm(label)] = i
        roles.append(role)
    return roles


def _steps(out: Collector, raw: list[_RawStep], lookup: dict[str, str], lanes: list[str]) -> list[Step]:
    by_ref_id = {r.key: r for r in raw}
    by_no: dict[str, list[_RawStep]] = {}
    for r in raw:
        by_no.setdefault(r.no, []).append(r)
    for r in raw:
        explicit = r.data.get("id")
        if explicit and sum(1 for x in raw if x.data.get("id") == explicit) > 1:
            out.add(
                (*r.path, "id"),
                f"id langkah `{explicit}` dipakai lebih dari sekali",
                "duplicate-step-id",
                hint="beri setiap langkah id yang berbeda",
            )

    def resolve_step(r: _RawStep, path: YamlPath, target: str) -> str | None:
        if target in by_ref_id and by_ref_id[target].data.get("id"):
            return target
        matches = by_no.get(target, [])
        if len(matches) == 1:
            return matches[0].key
        field_name = next((p for p in reversed(path) if isinstance(p, str) and p != "langkah"), "tidak")
        if len(matches) > 1:
            out.add(
                path,
                f"nomor langkah `{target}` dipakai oleh {len(matches)} langkah, tujuan cabang tidak jelas",
                "ambiguous-target",
                hint=f"beri langkah tujuan kolom `id` dan tulis `{field_name}: <id itu>`",
            )
            return None
        out.add(
            path,
            f"langkah tujuan `{target}` tidak ada",
            "missing-target",
            expected="nomor langkah yang ada: " + ", ".join(dict.fromkeys(x.no for x in raw)),
            found=f"`{target}`",
            hint="perbaiki nomor langkah tujuan",
        )
        return None

    def role_of(r: _RawStep, path: YamlPath, name: str) -> str:
        found = lookup.get(_norm(name))
        if found is None:
            guess = did_you_mean(name, lanes)
            out.add(
                path,
                f"pelaksana `{name}` tidak ada di daftar `pelaksana` SOP ini",
                "unknown-role",
                expected="salah satu dari: " + ", ".join(lanes),
                found=f"`{name}`",
                hint=(
                    f"maksudnya `{guess}`?"
                    if guess
                    else "tambahkan ke daftar `pelaksana` di atas, atau perbaiki ejaannya"
                ),
            )
            return name
        return found

    symbol_rows = []
    steps_in: list[tuple[_RawStep, tuple[str, ...], Performance, list[StepKind], dict[int, Any]]] = []
    for r in raw:
        d = r.data
        if "rantai" in d and "pelaksana" in d:
            out.add(
                (*r.path, "rantai"),
                "langkah memakai `pelaksana` dan `rantai` sekaligus",
                "performer-conflict",
                key=True,
                hint="pakai `pelaksana` untuk satu simbol (atau kegiatan bersama), "
                "`rantai` untuk beberapa simbol berurutan",
            )
        kind = StepKind(d.get("jenis", "proses"))
        inner_no: dict[int, Any] = {}  # per symbol of a chain: the `tidak` written on it
        if "rantai" in d:
            entries = d["rantai"]
            names_list: list[str] = []
            kinds: list[StepKind] = []
            for i, entry in enumerate(entries):
                path = (*r.path, "rantai", i)
                if isinstance(entry, dict):
                    names_list.append(role_of(r, (*path, "pelaksana"), entry["pelaksana"]))
                    own = StepKind(entry.get("jenis", "proses"))
                    if "tidak" in entry:
                        if own is StepKind.PROSES:
                            out.add(
                                (*path, "tidak"),
                                "`tidak` hanya untuk simbol keputusan",
                                "branch-on-process",
                                key=True,
                                hint="tambahkan `jenis: keputusan` pada simbol ini, atau hapus `tidak`",
                            )
                        elif i == len(entries) - 1:
                            out.add(
                                (*path, "tidak"),
                                "cabang simbol terakhir rantai ditulis pada langkahnya",
                                "branch-on-last-symbol",
                                key=True,
                                hint="tulis `jenis: keputusan`, `ya` dan `tidak` pada langkah itu sendiri",
                            )
                        else:
                            inner_no[i] = (path, entry["tidak"])
                    kinds.append(own)
                else:
                    names_list.append(role_of(r, path, entry))
                    kinds.append(StepKind.PROSES)
            if kind is StepKind.KEPUTUSAN:
                kinds[-1] = StepKind.KEPUTUSAN
            elif kinds and kinds[-1] is StepKind.KEPUTUSAN and "ya" not in d:
                # The last symbol's branches are the step's own: a decision there needs `ya`.
                out.add(
                    (*r.path, "rantai", len(entries) - 1),
                    "simbol terakhir rantai berupa keputusan, tetapi langkahnya tidak menulis `ya`",
                    "missing-yes",
                    expected="`ya` (dan `tidak`) pada langkah itu sendiri",
                    hint="tulis `jenis: keputusan`, `ya: <langkah>` dan `tidak: <langkah>` pada langkah ini, "
                    "atau hapus `jenis: keputusan` dari simbol terakhir",
                )
                kinds[-1] = StepKind.PROSES
            kind = kinds[-1]
            names = tuple(names_list)
            performance = Performance.RANTAI
            if len(set(names)) != len(names):
                out.add(
                    (*r.path, "rantai"),
                    "pelaksana yang sama disebut dua kali dalam satu rantai",
                    "duplicate-role",
                    found=", ".join(names),
                    hint="satu baris hanya punya satu simbol per kolom pelaksana",
                )
        elif "pelaksana" in d:
            listed = [d["pelaksana"]] if isinstance(d["pelaksana"], str) else d["pelaksana"]
            base = (*r.path, "pelaksana")
            names = tuple(
                role_of(r, base if isinstance(d["pelaksana"], str) else (*base, i), n) for i, n in enumerate(listed)
            )
            kinds = [kind] * len(names)
            performance = Performance.BERSAMA if len(names) > 1 else Performance.TUNGGAL
            if len(set(names)) != len(names):
                out.add(
                    base,
                    "pelaksana yang sama disebut dua kali pada satu langkah",
                    "duplicate-role",
                    found=", ".join(names),
                )
        elif d.get("sub_langkah"):
            names, performance, kinds = (), Performance.TUNGGAL, []
        else:
            out.add(
                r.path,
                "langkah tidak punya pelaksana",
                "missing-performer",
                expected="kolom `pelaksana` (atau `rantai`)",
                found="tidak ada",
                hint="tambahkan `pelaksana: <nama kolom>` sesuai simbol langkah ini di SOP",
            )
            names, performance, kinds = (), Performance.TUNGGAL, []
        if kind is StepKind.PROSES:
            for branch in ("ya", "tidak"):
                if branch in d:
                    out.add(
                        (*r.path, branch),
                        f"`{branch}` hanya untuk langkah keputusan",
                        "branch-on-process",
                        key=True,
                        hint="tambahkan `jenis: keputusan` bila SOP memang menggambar belah ketupat di langkah ini; "
                        "bila tidak, hapus `ya`/`tidak` (pakai `lanjut_ke` untuk melompat)",
                    )
        elif "lanjut_ke" in d:
            out.add(
                (*r.path, "lanjut_ke"),
                "langkah keputusan tidak memakai `lanjut_ke`",
                "next-on-decision",
                key=True,
                hint="tujuan keputusan ditulis di `ya` dan `tidak`",
            )
        if not names and kind is StepKind.KEPUTUSAN:
            out.add(
                r.path,
                "langkah keputusan harus punya pelaksana",
                "missing-performer",
                hint="tambahkan `pelaksana: <nama kolom>` untuk pejabat yang memutuskan",
            )
        if names:
            symbol_rows.append(r)
        steps_in.append((r, names, performance, kinds, inner_no))

    roles_of = {r.key: names for r, names, _p, _k, _i in steps_in}

    first_sub = {x.parent: x.key for x in reversed(raw) if x.parent}

    def with_symbol(key: str | None) -> str | None:
        # A heading row has no symbol: a branch to it enters its first sub-step.
        return first_sub.get(key, key) if key and not roles_of.get(key) else key

    def target(r: _RawStep, path: YamlPath, value: Any) -> tuple[str, int] | None:
        """(step key, symbol index) a branch written as ``value`` at ``path`` enters."""
        if isinstance(value, dict):
            key = with_symbol(resolve_step(r, (*path, "langkah"), str(value["langkah"]).strip()))
            if key is None or "pelaksana" not in value:
                return (key, 0) if key else None
            role = role_of(r, (*path, "pelaksana"), value["pelaksana"])
            if role not in roles_of.get(key, ()):
                out.add(
                    (*path, "pelaksana"),
                    f"baris langkah `{by_ref_id[key].no}` tidak punya simbol `{value['pelaksana']}`",
                    "missing-target-symbol",
                    expected="salah satu dari: " + (", ".join(roles_of.get(key, ())) or "(tanpa simbol)"),
                    found=f"`{value['pelaksana']}`",
                    hint="tulis pelaksana yang memang punya simbol di langkah itu, atau hanya nomor langkahnya",
                )
                return None
            return key, roles_of[key].index(role)
        key = with_symbol(resolve_step(r, path, str(value).strip()))
        return (key, 0) if key else None

    def open_no(path: YamlPath, where: str) -> None:
        # Information, not a warning: a source written as its paper is (the paper draws no
        # Tidak line) must pass the strict check; a forgotten `tidak` is still mentioned.
        out.add(
            path,
            f"keputusan {where}tanpa tujuan `tidak`: jalan keluar Tidak digambar terbuka",
            "open-branch",
            severity=Severity.INFO,
            expected="`tidak: <nomor langkah>` bila SOP menggambar garis Tidak",
            found="tidak ada",
            hint="biarkan bila SOP memang hanya menyebut jawaban Tidak dalam uraian (bukan kesalahan); portal "
            "menggambar panah Tidak pendek berlabel tanpa tujuan",
        )

    order = [r.key for r in symbol_rows]
    steps: list[Step] = []
    for r, names, performance, kinds, inner_no in steps_in:
        d = r.data
        branches: list[Branch] = []
        for index, (path, value) in sorted(inner_no.items()):
            found = target(r, path, value)
            if found:
                branches.append(
                    Branch(
                        BranchKind.TIDAK,
                        found[0],
                        source=index,
                        entry=found[1],
                        connector=_connector(value),
                        drawn=_tidak_drawn(d, index),
                    )
                )
        for index, symbol_kind in enumerate(kinds[:-1]):
            if symbol_kind is StepKind.KEPUTUSAN and index not in inner_no:
                if _tidak_drawn(d, index):
                    open_no((*r.path, "rantai", index), f"`{names[index]}` ")
                branches.append(Branch(BranchKind.TIDAK, None, source=index, drawn=_tidak_drawn(d, index)))

        kind = kinds[-1] if kinds else StepKind(d.get("jenis", "proses"))
        if kind is StepKind.KEPUTUSAN:
            found = target(r, (*r.path, "ya"), d["ya"])
            if found:
                branches.append(Branch(BranchKind.YA, found[0], entry=found[1], connector=_connector(d["ya"])))
            if "tidak" in d:
                found = target(r, (*r.path, "tidak"), d["tidak"])
                if found:
                    branches.append(
                        Branch(
                            BranchKind.TIDAK,
                            found[0],
                            entry=found[1],
                            connector=_connector(d["tidak"]),
                            drawn=_tidak_drawn(d),
                        )
                    )
            else:
                if _tidak_drawn(d):
                    open_no(r.path, "")
                branches.append(Branch(BranchKind.TIDAK, None, drawn=_tidak_drawn(d)))
        elif "lanjut_ke" in d:
            found = target(r, (*r.path, "lanjut_ke"), d["lanjut_ke"])
            if found:
                branches.append(Branch(BranchKind.FLOW, found[0], entry=found[1], connector=_connector(d["lanjut_ke"])))

        elif names:
            pos = order.index(r.key)
            if pos + 1 < len(order):
                branches.append(Branch(BranchKind.FLOW, order[pos + 1]))
        waktu_text = _text(d.get("waktu"))
        waktu = parse_duration(waktu_text) if waktu_text else None
        if waktu is not None and not waktu.recognised and not waktu.deliberate:
            out.add(
                (*r.path, "waktu"),
                "waktu tidak dikenali sebagai durasi; ditampilkan apa adanya dan tidak dihitung dalam total",
                "unrecognised-duration",
                severity=Severity.WARNING,
                expected='angka diikuti satuan menit, jam, hari, minggu, bulan atau tahun (mis. "10 menit")',
                found=f'"{waktu_text}"',
                hint='perbaiki bila salah ketik (mis. "10 mnt" → "10 menit"); bila waktunya memang tidak tetap, '
                'tulis seperti di kertas, diawali "Tentatif", "Sesuai ...", "Menyesuaikan" atau "Waktu Tentatif ..." '
                "(tidak diperingatkan)",
            )
        if waktu is not None and waktu.minutes is not None and waktu.minutes > PLAUSIBLE_MINUTES:
            out.add(
                (*r.path, "waktu"),
                "waktu satu langkah ini tidak wajar (lebih dari 60 hari kerja)",
                "implausible-duration",
                severity=Severity.WARNING,
                expected="paling lama 60 hari kerja untuk satu langkah",
                found=f'"{waktu_text}" = {format_minutes(waktu.minutes)}',
                hint='periksa angka dan satuannya (mis. "99999 hari" salah ketik?); titik adalah pemisah ribuan: '
                '"1.000 menit" = seribu menit',
            )
        line = out.doc.where(r.path).line
        steps.append(
            Step(
                key=r.key,
                no=r.no,
                kegiatan=_text(d["kegiatan"]),
                roles=names,
                performance=performance,
                kind=kind,
                branches=tuple(branches),
                kelengkapan=_items(d.get("kelengkapan")),
                waktu=waktu,
                output=_items(d.get("output")),
                keterangan=_text(d.get("keterangan")),
                parent=r.parent,
                tahap=_text(d.get("tahap")),
                line=line,
                symbol_kinds=tuple(kinds),
                butir=_texts(d.get("butir")),
            )
        )

    if any(p.is_error for p in out.problems) or not order:
        return steps
    successors = {s.key: s.successors for s in steps if s.has_symbol}
    paths = {r.key: r.path for r in raw}
    no_exit = flow.steps_without_exit(order, successors)
    looping = [k for k in no_exit if any(k in flow.reachable(n, successors) for n in successors[k])]
    if looping:
        # One message for the loop itself; the steps after it are unreachable only because of it.
        numbers = ", ".join(by_ref_id[k].no for k in looping)
        out.add(
            paths[looping[0]],
            f"langkah {numbers} membentuk putaran yang tidak pernah sampai ke langkah terakhir",
            "endless-loop",
            found="tidak ada cabang yang keluar dari putaran ini",
            hint="beri putaran jalan keluar: jadikan salah satu langkahnya keputusan dengan `ya` ke langkah "
            "sesudahnya, atau perbaiki `lanjut_ke`/`tidak` yang salah",
        )
        return steps
    reached = flow.reachable(order[0], successors)
    for key in order:
        if key not in reached:
            out.add(
                paths[key],
                "langkah ini tidak pernah dicapai dari langkah pertama",
                "unreachable-step",
                hint="periksa `ya`, `tidak` dan `lanjut_ke` yang melompati langkah ini",
            )
    return steps


def _logo(out: Collector, data: dict[str, Any], root: Path) -> str:
    name = data.get("logo")
    if not name:
        return ""
    path = (out.doc.path.parent / name).resolve()
    if not path.is_relative_to(root.resolve()):
        out.add(
            ("logo",),
            "berkas logo berada di luar folder proyek",
            "logo-outside",
            found=f'"{name}"',
            hint="simpan logo di dalam proyek (mis. sop_sources/logo/) dan rujuk dari sana",
        )
    elif path.suffix.lower() not in LOGO_SUFFIXES or not path.is_file():
        out.add(
            ("logo",),
            "berkas logo tidak ditemukan atau bukan gambar",
            "logo-missing",
            expected="berkas .png, .jpg atau .svg, relatif terhadap berkas SOP ini",
            found=f'"{name}"',
            hint="periksa nama dan letak berkas logo",
        )
    elif refusal := image_refusal(path):
        out.add(
            ("logo",),
            f"berkas logo ditolak: {refusal}",
            "logo-refused",
            found=f'"{name}"',
            hint="simpan logonya kembali dalam ukuran kecil (mis. 500 piksel tingginya) sebagai PNG",
        )
    else:
        return str(path)
    return ""


def _date(out: Collector, data: dict[str, Any], name: str) -> SopDate | None:
    text = _text(data.get(name))
    try:
        return parse_date(text)
    except DateOutOfRange as exc:
        _far_date(out, (name,), text, exc)
    except DateFormatError:
        out.add(
            (name,),
            "tanggal tidak dapat dibaca",
            "bad-date",
            expected='tanggal seperti "30 Juni 2022" atau "2022-06-30", atau seperti tercetak: "Agustus 2023", "2023"',
            found=f'"{text}"',
            hint="periksa ejaan bulan dan angka tanggalnya",
        )
    return None


def _far_date(out: Collector, path: tuple[str | int, ...], text: str, exc: DateOutOfRange) -> None:
    """A date of a year no review can be counted from ("31 Desember 9999": "berlaku selamanya")."""
    out.add(
        path,
        str(exc),
        "date-out-of-range",
        expected=f"tanggal antara tahun {FIRST_YEAR} dan {LAST_YEAR}",
        found=f'"{text}"',
        hint="SOP berlaku sampai dicabut atau diganti: tulis tanggal yang tercetak di SOP, "
        "bukan tanggal 'berlaku selamanya'",
    )
