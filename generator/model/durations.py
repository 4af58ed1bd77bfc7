"""Parsing of the Waktu column ("10 menit", "1 hari", "5 Jam untuk ...") into minutes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class TimeUnit(StrEnum):
    """Units that SOPs use for Waktu; a day is a working day."""

    MENIT = "menit"
    JAM = "jam"
    HARI = "hari"
    MINGGU = "minggu"
    BULAN = "bulan"
    TAHUN = "tahun"


MINUTES_PER_WORKDAY = 8 * 60
"""One working day. Seed SOPs write a day's work as "480 menit", so 8 hours it is."""

MINUTES_PER_UNIT: dict[TimeUnit, int] = {
    TimeUnit.MENIT: 1,
    TimeUnit.JAM: 60,
    TimeUnit.HARI: MINUTES_PER_WORKDAY,
    TimeUnit.MINGGU: 5 * MINUTES_PER_WORKDAY,
    TimeUnit.BULAN: 20 * MINUTES_PER_WORKDAY,
    TimeUnit.TAHUN: 240 * MINUTES_PER_WORKDAY,
}
"""Working-time conversions: a week is 5 working days, a month 20, a year 240."""

_UNIT_WORDS: dict[str, TimeUnit] = {
    "menit": TimeUnit.MENIT,
    "jam": TimeUnit.JAM,
    "hari kerja": TimeUnit.HARI,
    "hari": TimeUnit.HARI,
    "minggu": TimeUnit.MINGGU,
    "pekan": TimeUnit.MINGGU,
    "bulan": TimeUnit.BULAN,
    "tahun": TimeUnit.TAHUN,
}

_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_PATTERN = re.compile(
    rf"^\s*(?P<low>{_NUMBER})"
    rf"(?:\s*(?:-|–|s\.?\s?d\.?|sampai(?:\s+dengan)?)\s*(?P<high>{_NUMBER}))?"
    r"\s*(?P<unit>menit|jam|hari\s+kerja|hari|minggu|pekan|bulan|tahun)(?![a-z])\.?"
    r"(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)


_NOT_FIXED = re.compile(
    r"^\s*(?:waktu(?:nya)?\s*:?\s*)?"  # "Waktu Tentatif sesuai Per UU", as one office prints it
    r"(?:-+|–|—|tentatif|sesuai\b|menurut\b|berdasarkan\b|menyesuaikan|tergantung|bergantung|situasional|"
    r"kondisional|insidentil|insidental|bervariasi|tidak\s+tentu|tidak\s+menentu|tidak\s+ditentukan|"
    r"fleksibel|sewaktu-waktu)",
    re.IGNORECASE,
)
"""How SOPs write, on purpose, that a step has no fixed time (a step with no minutes: the
total leaves it out and says so)."""


@dataclass(frozen=True, slots=True)
class Duration:
    """A Waktu cell: the text as written and, when recognised, its value in minutes."""

    text: str
    """Exactly as written in the source; this is what pages and sheets show."""
    value: float | None = None
    """The number (the upper bound of a range such as "1-3 hari")."""
    unit: TimeUnit | None = None
    note: str = ""
    """Words after the duration, e.g. "untuk menyusun laporan triwulan"."""

    @property
    def recognised(self) -> bool:
        """True when the text starts with a number and a known unit."""
        return self.unit is not None

    @property
    def deliberate(self) -> bool:
        """True when unrecognised text says on purpose that the time is not fixed
        ("Tentatif sesuai jadwal pimpinan", "Menyesuaikan", "-"): not a typo to report."""
        return self.unit is None and bool(_NOT_FIXED.match(self.text))

    @property
    def minutes(self) -> float | None:
        """Working minutes, or ``None`` when the text is not a recognisable duration."""
        if self.unit is None or self.value is None:
            return None
        return self.value * MINUTES_PER_UNIT[self.unit]


def _number(text: str) -> float:
    """A number written the Indonesian way: "1.000" is a thousand, "1,5" one and a half.
    A point followed by anything but groups of three digits stays a decimal point ("1.5")."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "")
    return float(text.replace(",", "."))


PLAUSIBLE_MINUTES = 60 * MINUTES_PER_WORKDAY
"""Longest time one step of an SOP plausibly takes (60 working days); longer is reported."""


def parse_duration(text: str) -> Duration:
    """Parse a Waktu cell. Unrecognised text is kept as written with no value."""
    match = _PATTERN.match(text)
    if not match:
        return Duration(text=text)
    low = _number(match["low"])
    high = _number(match["high"]) if match["high"] else low
    unit_word = re.sub(r"\s+", " ", match["unit"].lower())
    return Duration(
        text=text,
        value=max(low, high),
        unit=_UNIT_WORDS[unit_word],
        note=match["rest"].strip(),
    )


def format_number(value: float, digits: int = 1) -> str:
    """A number the Indonesian way: decimal comma, dot for thousands, no trailing ",0"."""
    rounded = round(value, digits)
    if rounded == int(rounded):
        whole = f"{int(rounded):,}".replace(",", ".")
        return whole
    text = f"{rounded:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def workdays(minutes: float) -> float:
    """Minutes of work as working days (:data:`MINUTES_PER_WORKDAY` minutes each)."""
    return minutes / MINUTES_PER_WORKDAY


def format_workdays(minutes: float) -> str:
    """Minutes of work in working days: "17,5 hari kerja"."""
    return f"{format_number(workdays(minutes))} hari kerja"


def format_minutes(minutes: float) -> str:
    """Minutes as a short Indonesian phrase: "45 menit", "3 jam 40 menit", "17,5 hari kerja"."""
    if minutes < 60:
        return f"{format_number(minutes)} menit"
    if minutes < MINUTES_PER_WORKDAY:
        hours, rest = divmod(round(minutes), 60)
        return f"{hours} jam" + (f" {rest} menit" if rest else "")
    return format_workdays(minutes)
