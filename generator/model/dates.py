"""Parsing of the dates SOPs carry ("30 Juni 2022", "1 Pebruari 2024", "2022-06-30", and
with less precision as printed: "Agustus 2023", "2023")."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

MONTHS: dict[str, int] = {
    "januari": 1,
    "februari": 2,
    "pebruari": 2,
    "maret": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "agustus": 8,
    "agutus": 8,
    "september": 9,
    "oktober": 10,
    "nopember": 11,
    "november": 11,
    "desember": 12,
}
"""Indonesian month names, with the older spellings still found on signed SOPs."""


_LONG = re.compile(r"^\s*(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_NUMERIC = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")
_MONTH_YEAR = re.compile(r"^\s*([A-Za-z]+),?\s+(\d{4})\s*$")
_YEAR = re.compile(r"^\s*(?:Tahun\s+)?(\d{4})\s*$", re.IGNORECASE)

EMPTY_MARKERS = frozenset({"", "-", "–", "—"})
"""What offices write in a date cell that has no date yet (e.g. no revision)."""


class Precision(StrEnum):
    """How exactly a date was printed."""

    HARI = "hari"
    BULAN = "bulan"
    TAHUN = "tahun"


@dataclass(frozen=True, slots=True)
class SopDate:
    """A date as written on the SOP, with its calendar value and precision."""

    text: str
    value: dt.date
    """The day; for a month or a year, its last day (a review counted from "Agustus 2023"
    falls due at the end of the month it names, never earlier)."""
    precision: Precision = Precision.HARI

    def iso(self) -> str:
        """ISO text at the date's own precision: ``2023-08-30``, ``2023-08`` or ``2023``."""
        if self.precision is Precision.TAHUN:
            return f"{self.value.year:04d}"
        if self.precision is Precision.BULAN:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()


FIRST_YEAR = 1900
LAST_YEAR = 2100
"""The years a date may name. Every date is counted from (a review falls due up to 120
months after it, the register and the PDFs carry it), so a date outside these years is
refused at its line instead of failing a computation later: a clerk's "31 Desember 9999"
("berlaku selamanya") would overflow the calendar."""


class DateFormatError(ValueError):
    """The text is not a date the generator understands."""


class DateOutOfRange(DateFormatError):
    """The text is a date, but of a year outside :data:`FIRST_YEAR`–:data:`LAST_YEAR`."""

    def __init__(self, year: int) -> None:
        super().__init__(f"tahun {year} di luar rentang tanggal SOP ({FIRST_YEAR}–{LAST_YEAR})")
        self.year = year


def parse_date(text: str) -> SopDate | None:
    """Parse a date cell; ``None`` for an empty cell, :class:`DateFormatError` if unreadable."""
    stripped = text.strip()
    if stripped in EMPTY_MARKERS:
        return None
    try:
        if match := _ISO.match(stripped):
            year, month, day = (int(g) for g in match.groups())
        elif match := _NUMERIC.match(stripped):
            day, month, year = (int(g) for g in match.groups())
        elif match := _MONTH_YEAR.match(stripped):
            year = int(match[2])
            month = MONTHS.get(match[1].lower(), 0)
            if not month:
                raise DateFormatError(f"nama bulan tidak dikenal: {match[1]}")
            last = _day(year, month, 1).replace(day=calendar.monthrange(year, month)[1])
            return SopDate(text=stripped, value=last, precision=Precision.BULAN)
        elif match := _YEAR.match(stripped):
            return SopDate(text=stripped, value=_day(int(match[1]), 12, 31), precision=Precision.TAHUN)
        elif match := _LONG.match(stripped):
            day, year = int(match[1]), int(match[3])
            month = MONTHS.get(match[2].lower(), 0)
            if not month:
                raise DateFormatError(f"nama bulan tidak dikenal: {match[2]}")
        else:
            raise DateFormatError(stripped)
        return SopDate(text=stripped, value=_day(year, month, day))
    except ValueError as exc:
        if isinstance(exc, DateFormatError):
            raise
        raise DateFormatError(str(exc)) from exc


def _day(year: int, month: int, day: int) -> dt.date:
    """The calendar day, for a year the generator can count from (:data:`LAST_YEAR`)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateOutOfRange(year)
    return dt.date(year, month, day)
