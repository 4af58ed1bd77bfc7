"""The life of an SOP after it is signed: its history, and whether a review is due.

An SOP is evaluated (and revised if needed) at least every 12 months and monitored every
6 months (Permen PANRB 35/2012); a portal or an SOP may set other periods. "Today" is
the build date, taken from ``SOURCE_DATE_EPOCH`` when it is set, so builds repeat.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
from dataclasses import dataclass
from enum import StrEnum

from generator.model.dates import Precision, SopDate
from generator.model.problems import Problem, Severity
from generator.model.sop import ReviewPolicy, RevisionKind, Sop

KIND_LABELS = {
    RevisionKind.PEMBUATAN: "Pembuatan",
    RevisionKind.REVISI: "Revisi",
    RevisionKind.EVALUASI: "Evaluasi",
    RevisionKind.MONITORING: "Monitoring",
}

SOON_DAYS = 30
"""A review due within this many days is announced ahead."""

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def build_date() -> dt.date:
    """The date the portal is built on (``SOURCE_DATE_EPOCH`` when set)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def long_date(value: dt.date, precision: Precision = Precision.HARI) -> str:
    """A date as Indonesian offices write it: ``26 Januari 2024`` (``Januari 2024`` or ``2024``
    for a date known only to the month or the year)."""
    if precision is Precision.TAHUN:
        return str(value.year)
    if precision is Precision.BULAN:
        return f"{MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def add_months(value: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the last day of the month when it has no such day)."""
    month = value.month - 1 + months
    year, month = value.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(value.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One line of an SOP's history as the portal shows it."""

    date: dt.date
    date_text: str
    label: str
    """What happened, in words: Pembuatan, Revisi, Evaluasi, Monitoring, Mulai berlaku."""
    perubahan: str = ""
    disetujui_oleh: str = ""
    declared: bool = True
    """False for entries taken from the identity dates (nothing is known beyond the date)."""
    precision: Precision = Precision.HARI

    def iso(self) -> str:
        """The date as ISO text at its own precision (``2023-08`` for "Agustus 2023")."""
        return SopDate(self.date_text, self.date, self.precision).iso()


def history(sop: Sop) -> tuple[HistoryEntry, ...]:
    """The declared history, plus the identity dates on days it has no entry for; newest first."""
    entries = [
        HistoryEntry(
            r.tanggal.value,
            r.tanggal.text,
            KIND_LABELS[r.jenis],
            r.perubahan,
            r.disetujui_oleh,
            precision=r.tanggal.precision,
        )
        for r in sop.riwayat
    ]
    identity = (
        (sop.tanggal_pembuatan, "Pembuatan"),
        (sop.tanggal_revisi, "Revisi"),
        (sop.tanggal_efektif, "Mulai berlaku"),
    )
    for date, label in identity:
        if date is not None and all(e.date != date.value for e in entries):
            entries.append(HistoryEntry(date.value, date.text, label, declared=False, precision=date.precision))
    # Newest first; on one day, the later event of the lifecycle first.
    order = ["Pembuatan", "Mulai berlaku", "Monitoring", "Evaluasi", "Revisi"]
    return tuple(sorted(entries, key=lambda e: (e.date, order.index(e.label)), reverse=True))


class ReviewState(StrEnum):
    """Where an SOP stands against its review periods."""

    TERJADWAL = "terjadwal"
    """Both the evaluation and the monitoring are within their period."""
    SEGERA = "segera"
    """One of them falls due within :data:`SOON_DAYS`."""
    TERLAMBAT = "terlambat"
    """One of them is overdue."""
    TIDAK_DIKETAHUI = "tidak-diketahui"
    """The source carries no date to count from."""


@dataclass(frozen=True, slots=True)
class ReviewStatus:
    """The review dates of one SOP on the build date."""

    state: ReviewState
    policy: ReviewPolicy
    evaluated: dt.date | None
    """Last evaluation, revision or signing (whichever is newest)."""
    evaluation_due: dt.date | None
    monitored: dt.date | None
    """Last monitoring (or, before the first one, the date the evaluation counts from)."""
    monitoring_due: dt.date | None
    today: dt.date
    precision: Precision = Precision.HARI
    """Precision of the date the evaluation counts from (the due dates share it)."""

    @property
    def due(self) -> bool:
        """True when the SOP belongs on the "Perlu ditinjau" list."""
        return self.state in (ReviewState.TERLAMBAT, ReviewState.TIDAK_DIKETAHUI)

    @property
    def evaluation_overdue(self) -> bool:
        return self.evaluation_due is not None and self.evaluation_due < self.today

    @property
    def monitoring_overdue(self) -> bool:
        return self.monitoring_due is not None and self.monitoring_due < self.today

    def reasons(self) -> tuple[str, ...]:
        """Why a review is (or will soon be) due, in words."""
        if self.state is ReviewState.TIDAK_DIKETAHUI:
            return ("SOP tidak mencantumkan tanggal pembuatan, revisi atau efektif",)
        found = []
        if self.evaluated and self.evaluation_due and self.evaluation_due <= self.soon:
            verb = "sudah lewat jatuh tempo sejak" if self.evaluation_overdue else "jatuh tempo pada"
            found.append(
                f"evaluasi (setiap {self.policy.evaluasi_bulan} bulan) {verb} "
                f"{long_date(self.evaluation_due, self.precision)}, "
                f"dihitung dari {long_date(self.evaluated, self.precision)}"
            )
        if self.monitored and self.monitoring_due and self.monitoring_due <= self.soon:
            verb = "sudah lewat jatuh tempo sejak" if self.monitoring_overdue else "jatuh tempo pada"
            found.append(
                f"monitoring (setiap {self.policy.monitoring_bulan} bulan) {verb} "
                f"{long_date(self.monitoring_due, self.monitoring_precision)}"
            )
        return tuple(found)

    def sentence(self) -> str:
        """The reasons as one sentence, for a notice."""
        text = "; ".join(self.reasons())
        return text[:1].upper() + text[1:]

    monitoring_precision: Precision = Precision.HARI
    """Precision of the date the monitoring counts from."""

    @property
    def soon(self) -> dt.date:
        return self.today + dt.timedelta(days=SOON_DAYS)


def review_status(sop: Sop, default: ReviewPolicy, today: dt.date) -> ReviewStatus:
    """Where ``sop`` stands on ``today`` under its own review periods, or the portal's."""
    policy = sop.peninjauan or default
    counted = (RevisionKind.PEMBUATAN, RevisionKind.REVISI, RevisionKind.EVALUASI)
    dates = [d for d in (sop.tanggal_pembuatan, sop.tanggal_revisi, sop.tanggal_efektif) if d]
    dates += [r.tanggal for r in sop.riwayat if r.jenis in counted]
    if not dates:
        return ReviewStatus(ReviewState.TIDAK_DIKETAHUI, policy, None, None, None, None, today)
    # The newest date, at the end of the period it names ("Agustus 2023": 31 August).
    newest = max(dates, key=lambda d: (d.value, d.precision is Precision.HARI))
    evaluated = newest.value
    monitorings = [r.tanggal for r in sop.riwayat if r.jenis is RevisionKind.MONITORING]
    last_monitoring = max([newest, *monitorings], key=lambda d: (d.value, d.precision is Precision.HARI))
    monitored = last_monitoring.value
    evaluation_due = _due(evaluated, policy.evaluasi_bulan, newest.precision)
    monitoring_due = _due(monitored, policy.monitoring_bulan, last_monitoring.precision)
    first_due = min(evaluation_due, monitoring_due)
    if first_due < today:
        state = ReviewState.TERLAMBAT
    elif first_due <= today + dt.timedelta(days=SOON_DAYS):
        state = ReviewState.SEGERA
    else:
        state = ReviewState.TERJADWAL
    return ReviewStatus(
        state,
        policy,
        evaluated,
        evaluation_due,
        monitored,
        monitoring_due,
        today,
        newest.precision,
        last_monitoring.precision,
    )


def _due(value: dt.date, months: int, precision: Precision) -> dt.date:
    """The day a review counted from ``value`` falls due: ``months`` later, and for a date
    known to the month (or year) only, the end of that month (or year)."""
    due = add_months(value, months)
    if precision is Precision.BULAN:
        return due.replace(day=calendar.monthrange(due.year, due.month)[1])
    if precision is Precision.TAHUN:
        return due.replace(month=12, day=31)
    return due


def review_notice(sop: Sop, status: ReviewStatus) -> Problem | None:
    """The warning `check` prints for an SOP whose review is due (not an error: it still publishes)."""
    if not status.due:
        return None
    line = max((line for _name, line in sop.date_lines), default=0)
    if sop.riwayat:
        line = max(line, sop.riwayat[-1].line)
    return Problem(
        file=sop.source,
        line=line,
        column=0,
        field="",
        message=f"SOP “{sop.nama}” perlu ditinjau: " + "; ".join(status.reasons()),
        code="review-due",
        hint="evaluasi SOP ini, lalu catat hasilnya di `riwayat` (jenis: evaluasi, revisi atau monitoring)",
        severity=Severity.WARNING,
    )


CHANGES = ("Pembuatan", "Revisi")
"""History entries that change the SOP's text (an evaluation or a monitoring may not)."""


def last_change(sop: Sop) -> HistoryEntry | None:
    """The newest creation or revision of the SOP (what "Perubahan terbaru" sorts by)."""
    return next((e for e in history(sop) if e.label in CHANGES), None)
