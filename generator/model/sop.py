"""The typed, frozen model of an SOP that every renderer reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from generator.model.dates import SopDate
from generator.model.durations import Duration


class StepKind(StrEnum):
    """What a step's symbol is: a process box or a decision diamond."""

    PROSES = "proses"
    KEPUTUSAN = "keputusan"


class Performance(StrEnum):
    """How the roles of a step take part in it."""

    TUNGGAL = "tunggal"
    """One role performs the step."""
    BERSAMA = "bersama"
    """Several roles perform it together (a meeting): one symbol touching every lane."""
    RANTAI = "rantai"
    """Several symbols in one row, one per role, in order (a chain of checks)."""


@dataclass(frozen=True, slots=True)
class Role:
    """One pelaksana: a column of the flowchart."""

    name: str
    """The column header, as the SOP writes it."""
    code: str | None = None
    """Optional short name that steps may use instead of ``name``."""
    jabatan: str | None = None
    """Id of the role in the portal's jabatan list (``portal.yaml``) this column is, when
    the SOP says so explicitly (otherwise the name is matched against the list)."""


@dataclass(frozen=True, slots=True)
class Approver:
    """The official who signs the SOP (Disahkan oleh)."""

    jabatan: str = ""
    """The title on one line (the printed lines joined by a space)."""
    nama: str = ""
    pangkat: str = ""
    nip: str = ""
    jabatan_lines: tuple[str, ...] = ()
    """The title's lines as the paper prints them, each as written (its comma included);
    empty when the source writes the title as one plain line."""

    @property
    def title_lines(self) -> tuple[str, ...]:
        """The title as it is printed: the source's own lines, else its one line."""
        return self.jabatan_lines or ((self.jabatan,) if self.jabatan else ())


@dataclass(frozen=True, slots=True)
class Link:
    """A Keterkaitan entry: text, or a reference to another SOP of the portal."""

    text: str
    sop_id: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """A Kelengkapan or Output entry: text, possibly naming a document template."""

    text: str
    """As the SOP writes it."""
    document: str | None = None
    """Id of the document (template) it names, if any."""


class BranchKind(StrEnum):
    """Which arrow leaves a symbol: the plain flow, or a decision's Ya or Tidak."""

    FLOW = "flow"
    YA = "ya"
    TIDAK = "tidak"


@dataclass(frozen=True, slots=True)
class Branch:
    """An arrow leaving a step's row for another step (or nowhere, when the SOP only says it
    in words)."""

    kind: BranchKind
    target: str | None
    """Key of the step it enters; ``None`` for a Tidak the SOP writes only in the text."""
    source: int = -1
    """Index (in the row's symbols) of the symbol it leaves; -1 is the last."""
    entry: int = 0
    """Index (in the target row's symbols) of the symbol it enters; 0 is the first."""
    connector: str = ""
    """Label of the pair of on-page connectors (small circles) the paper draws instead of
    this arrow's line ("" = a line)."""
    drawn: bool = True
    """False when the paper draws no line for this branch at all (a Tidak said only in words)."""


@dataclass(frozen=True, slots=True)
class Step:
    """One row of the procedure table (a sub-step is a row of its own)."""

    key: str
    """Unique within the SOP: the step's ``id`` or a generated ``langkah-N``."""
    no: str
    """The number as written (``"6"`` may occur twice; ``"2a"`` for sub-steps)."""
    kegiatan: str
    roles: tuple[str, ...]
    """Performing roles by their column name, in flow order; empty for a heading row."""
    performance: Performance
    kind: StepKind
    """The kind of the row's last symbol (the step's outcome)."""
    branches: tuple[Branch, ...]
    """Arrows leaving the row: one flow for a process, Ya and Tidak for a decision (also of
    a decision inside a chain), none for the last step."""
    kelengkapan: tuple[Item, ...] = ()
    waktu: Duration | None = None
    output: tuple[Item, ...] = ()
    keterangan: str = ""
    parent: str | None = None
    """Key of the parent step when this is a sub-step."""
    tahap: str = ""
    """Phase of the job the step belongs to, for comparing SOPs of one family ("" = none)."""
    line: int = 0
    """Line of the step in its source file."""
    symbol_kinds: tuple[StepKind, ...] = ()
    """Kind of each symbol of the row, in the order of ``roles`` (several decisions may
    stand in one chain)."""
    butir: tuple[str, ...] = ()
    """Items the row lists under its Kegiatan, printed a., b., c. (one row, one symbol)."""

    @property
    def lettered_items(self) -> tuple[str, ...]:
        """The row's items as printed: "a. ...", "b. ...", ..."""
        return tuple(f"{_letter(i)}. {item}" for i, item in enumerate(self.butir))

    @property
    def successors(self) -> tuple[str, ...]:
        """Keys of the steps the flow goes to next (main continuation first, no repeats)."""
        return tuple(dict.fromkeys(b.target for b in self.branches if b.target is not None))

    def branch(self, kind: BranchKind, source: int = -1) -> Branch | None:
        """The branch of ``kind`` leaving symbol ``source`` (the last by default)."""
        last = len(self.roles) - 1
        wanted = last if source < 0 else source
        for b in self.branches:
            if b.kind is kind and (last if b.source < 0 else b.source) == wanted:
                return b
        return None

    @property
    def open_branches(self) -> tuple[Branch, ...]:
        """Tidak branches the SOP states only in words (no arrow drawn to a step)."""
        return tuple(b for b in self.branches if b.target is None)

    @property
    def has_symbol(self) -> bool:
        """False for a parent row that only groups sub-steps."""
        return bool(self.roles)

    @property
    def documents(self) -> tuple[tuple[str, str], ...]:
        """(document id, "kelengkapan" or "output") for every document the step names."""
        needs = tuple((i.document, "kelengkapan") for i in self.kelengkapan if i.document)
        makes = tuple((i.document, "output") for i in self.output if i.document)
        return needs + makes

    @property
    def yes(self) -> str | None:
        """Target of the "Ya" branch of the row's last decision."""
        found = self.branch(BranchKind.YA) if self.kind is StepKind.KEPUTUSAN else None
        return found.target if found else None

    @property
    def no_branch(self) -> str | None:
        """Target of the "Tidak" branch of the row's last decision (``None`` when open)."""
        found = self.branch(BranchKind.TIDAK) if self.kind is StepKind.KEPUTUSAN else None
        return found.target if found else None


def _letter(index: int) -> str:
    """a, b, ..., z, aa, ab, ... for index 0, 1, ..."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


@dataclass(frozen=True, slots=True)
class SheetForm:
    """How the signed paper draws its procedure table, where it differs from the portal's
    default (``cetak``)."""

    column_numbers: bool = False
    """A row numbering the columns (1, 2, 3, ...) under the header (``nomor_kolom``)."""
    symbol_numbers: bool = True
    """Step numbers inside the symbols (``nomor_simbol``)."""
    rounded_process: bool = False
    """Process boxes with rounded corners (``kotak_proses: bulat``)."""
    portrait: bool = False
    """Printed on upright paper (``orientasi: tegak``); the official form is landscape."""


class RevisionKind(StrEnum):
    """What happened to an SOP on a date of its history."""

    PEMBUATAN = "pembuatan"
    REVISI = "revisi"
    EVALUASI = "evaluasi"
    MONITORING = "monitoring"


@dataclass(frozen=True, slots=True)
class Revision:
    """One entry of an SOP's history (``riwayat``), as the source declares it."""

    tanggal: SopDate
    jenis: RevisionKind
    perubahan: str = ""
    """What changed (or what the evaluation or monitoring found)."""
    disetujui_oleh: str = ""
    """Who approved it."""
    line: int = 0


@dataclass(frozen=True, slots=True)
class ReviewPolicy:
    """How often an SOP is evaluated (and revised if needed) and monitored, in months."""

    evaluasi_bulan: int = 12
    monitoring_bulan: int = 6


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where one decision leads, in words."""

    role: str
    """The pelaksana who decides."""
    yes: str
    no: str


@dataclass(frozen=True, slots=True)
class TotalTime:
    """The procedure's estimated duration along its longest start-to-end path."""

    minutes: float
    path: tuple[str, ...]
    """Keys of the steps on the longest path."""
    untimed: tuple[str, ...] = ()
    """Keys of steps on that path whose Waktu is missing or not a recognisable duration."""
    loops_ignored: bool = False
    """True when the flow has loops back (they are not counted: the estimate assumes no rework)."""


DEFAULT_LABELS: dict[str, str] = {
    "nomor_sop": "Nomor SOP",
    "tanggal_pembuatan": "Tanggal Pembuatan",
    "tanggal_revisi": "Tanggal Revisi",
    "tanggal_efektif": "Tanggal Efektif",
    "disahkan_oleh": "Disahkan oleh",
    "nama_sop": "Nama SOP",
    "dasar_hukum": "Dasar Hukum",
    "kualifikasi_pelaksana": "Kualifikasi Pelaksana",
    "keterkaitan": "Keterkaitan",
    "peralatan_perlengkapan": "Peralatan/Perlengkapan",
    "peringatan": "Peringatan",
    "pencatatan_pendataan": "Pencatatan dan Pendataan",
    "no": "No",
    "kegiatan": "Kegiatan",
    "pelaksana": "Pelaksana",
    "mutu_baku": "Mutu Baku",
    "kelengkapan": "Kelengkapan",
    "waktu": "Waktu",
    "output": "Output",
    "keterangan": "Keterangan",
}
"""The labels of the official form (Permen PANRB 35/2012); a source may keep its own."""

CAPITAL_LABELS = frozenset(
    {
        "dasar_hukum",
        "kualifikasi_pelaksana",
        "keterkaitan",
        "peralatan_perlengkapan",
        "peringatan",
        "pencatatan_pendataan",
        "pelaksana",
        "mutu_baku",
    }
)
"""Labels the official form prints in capitals (the identity grid and the table's groups)."""

LISTS = (
    "dasar_hukum",
    "kualifikasi_pelaksana",
    "keterkaitan",
    "peralatan_perlengkapan",
    "peringatan",
    "pencatatan_pendataan",
)
"""The identity sheet's lists, whose numbering a source may give as printed (``cetak.penomoran``)."""


class Numbering(StrEnum):
    """How a list of the identity sheet is numbered when the source gives no numbers."""

    URUT = "urut"
    """1, 2, 3, ... (even a single entry is printed "1.")."""
    TANPA = "tanpa"
    """No numbers at all."""


@dataclass(frozen=True, slots=True)
class Sop:
    """One SOP, validated and resolved."""

    id: str
    source: str
    """Path of the source file relative to the project (for messages and the page footer)."""
    fingerprint: str
    """Short hash of the source bytes, printed on copies to match them with the portal."""
    nama: str
    nomor: str = ""
    pemerintah: str = ""
    instansi: str = ""
    alamat: str = ""
    unit: str = ""
    sub_unit: str = ""
    tanggal_pembuatan: SopDate | None = None
    tanggal_revisi: SopDate | None = None
    tanggal_efektif: SopDate | None = None
    disahkan_oleh: Approver = field(default_factory=Approver)
    dasar_hukum: tuple[str, ...] = ()
    kualifikasi_pelaksana: tuple[str, ...] = ()
    keterkaitan: tuple[Link, ...] = ()
    peralatan_perlengkapan: tuple[str, ...] = ()
    peringatan: tuple[str, ...] = ()
    pencatatan_pendataan: tuple[str, ...] = ()
    judul_uraian: str = ""
    pelaksana: tuple[Role, ...] = ()
    langkah: tuple[Step, ...] = ()
    total: TotalTime = field(default_factory=lambda: TotalTime(0.0, ()))
    logo: str = ""
    """Absolute path of the logo for the printed sheet ("" when the source names none)."""
    paper: str = ""
    """Paper of the printed sheet for this SOP ("" = the portal's setting)."""
    steps_per_page: int | None = None
    """Steps per procedure page for this SOP (``None`` = the portal's setting)."""
    keluarga: str = ""
    """Id of the family of SOPs doing the same job in different offices ("" = by name)."""
    riwayat: tuple[Revision, ...] = ()
    """Declared history, oldest first."""
    peninjauan: ReviewPolicy | None = None
    """This SOP's own review periods (``None`` = the portal's)."""
    date_lines: tuple[tuple[str, int], ...] = ()
    """Line of each identity date in the source (for review notices)."""
    field_lines: tuple[tuple[str, int], ...] = ()
    """Line of the fields the site's paths come from (``id``, ``instansi``), for messages."""
    labels: tuple[tuple[str, str], ...] = ()
    """Labels the signed paper prints instead of the official ones ("Kualitas Pelaksana")."""
    terminators: bool = True
    """Whether the first and last symbols are drawn as start/end capsules (some forms draw none)."""
    page_breaks: tuple[str, ...] = ()
    """Keys of steps that begin a new procedure page on the signed paper."""
    form: SheetForm = field(default_factory=SheetForm)
    """How the paper draws its procedure table (column numbers, symbol numbers, corners, orientation)."""
    kop: tuple[str, ...] = ()
    """The letterhead's lines as the paper prints them, each as written (``kop``); empty
    when the sheet prints the instansi hierarchy (pemerintah, instansi, unit, sub-unit)."""
    numbering: tuple[tuple[str, Numbering | tuple[int, ...]], ...] = ()
    """Per identity list (``cetak.penomoran``): its numbers as printed (1, 3, 4, ...), or
    how it is numbered; a list not named here is numbered the official way."""

    def label(self, key: str) -> str:
        """The label of a part of the form: as the source prints it, else the official one."""
        return dict(self.labels).get(key, DEFAULT_LABELS[key])

    def printed_label(self, key: str) -> str:
        """The label as the sheet prints it: the source's own exactly as written, else the
        official one in the official form's case (capitals for the grid and the groups)."""
        own = dict(self.labels).get(key)
        if own is not None:
            return own
        return DEFAULT_LABELS[key].upper() if key in CAPITAL_LABELS else DEFAULT_LABELS[key]

    @property
    def kop_lines(self) -> tuple[str, ...]:
        """The letterhead as printed: the source's own lines, else the instansi hierarchy in
        capitals, top to bottom."""
        if self.kop:
            return self.kop
        return tuple(line.upper() for line in (self.pemerintah, self.instansi, self.unit, self.sub_unit) if line)

    def item_numbers(self, key: str) -> tuple[int, ...] | None:
        """The number printed before each entry of the identity list ``key`` (one of
        :data:`LISTS`), or ``None`` when its entries carry no numbers. The official way numbers
        every list, a single entry "1." too, except a single Peringatan, printed as a sentence."""
        count = len(getattr(self, key))
        given = dict(self.numbering).get(key)
        if isinstance(given, tuple):
            return given
        if given is Numbering.TANPA or count == 0:
            return None
        if given is None and key == "peringatan" and count == 1:
            return None
        return tuple(range(1, count + 1))

    def step(self, key: str) -> Step:
        """The step with this key."""
        for step in self.langkah:
            if step.key == key:
                return step
        raise KeyError(key)

    def jump(self, source: str, target: str, *, onward: str = "ke") -> str:
        """Where the flow goes from step ``source`` to step ``target``, in words: "kembali ke
        langkah 3" when the target stands at or before the source, else "<onward> langkah 9"."""
        keys = [s.key for s in self.langkah]
        back = keys.index(target) <= keys.index(source)
        return f"{'kembali ke' if back else onward} langkah {self.step(target).no}"

    def outcomes(self, step: Step, *, onward: str = "ke") -> list[Outcome]:
        """Where each decision of a step's row leads, in words (several decisions may stand in
        one chain; a Tidak given only in the text reads "lihat uraian kegiatan")."""
        found: list[Outcome] = []
        last = len(step.roles) - 1
        for index, kind in enumerate(step.symbol_kinds):
            if kind is not StepKind.KEPUTUSAN:
                continue
            if index < last:
                yes = f"lanjut ke {step.roles[index + 1]}"
            else:
                branch = step.branch(BranchKind.YA)
                yes = self._branch_words(step, branch, onward) if branch else ""
            no = step.branch(BranchKind.TIDAK, index)
            found.append(Outcome(step.roles[index], yes, self._branch_words(step, no, onward) if no else ""))
            if step.performance is Performance.BERSAMA:
                break  # one decision taken together
        return found

    def _branch_words(self, step: Step, branch: Branch, onward: str) -> str:
        if branch.target is None:
            return "lihat uraian kegiatan"
        words = self.jump(step.key, branch.target, onward=onward)
        target = self.step(branch.target)
        if len(target.roles) > 1 and target.performance is Performance.RANTAI:
            words += f" ({target.roles[branch.entry]})"
        return words

    @property
    def flow_steps(self) -> tuple[Step, ...]:
        """Steps that carry a symbol, in order (heading rows of sub-steps excluded)."""
        return tuple(s for s in self.langkah if s.has_symbol)

    @property
    def role_names(self) -> tuple[str, ...]:
        """Column headers in order."""
        return tuple(r.name for r in self.pelaksana)
