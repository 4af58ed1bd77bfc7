"""Parsing of the dates SOPs carry ("30 Juni 2022", "1 Pebruari 2024", "2022-06-30")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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

EMPTY_MARKERS = frozenset({"", "-", "–", "—"})
"""What offices write in a date cell that has no date yet (e.g. no revision)."""


@dataclass(frozen=True)
class SopDate:
    """A date as written on the SOP, with its calendar value."""

    text: str
    value: dt.date


class DateFormatError(ValueError):
    """The text is not a date the generator understands."""


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
        elif match := _LONG.match(stripped):
            day, year = int(match[1]), int(match[3])
            month = MONTHS.get(match[2].lower(), 0)
            if not month:
                raise DateFormatError(f"nama bulan tidak dikenal: {match[2]}")
        else:
            raise DateFormatError(stripped)
        return SopDate(text=stripped, value=dt.date(year, month, day))
    except ValueError as exc:
        if isinstance(exc, DateFormatError):
            raise
        raise DateFormatError(str(exc)) from exc
