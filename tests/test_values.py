"""Waktu durations and SOP dates as people write them."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.model.dates import DateFormatError, parse_date
from generator.model.durations import TimeUnit, format_minutes, format_number, parse_duration


@pytest.mark.parametrize(
    ("text", "value", "unit", "minutes", "note"),
    [
        ("10 menit", 10, TimeUnit.MENIT, 10, ""),
        ("15 Menit", 15, TimeUnit.MENIT, 15, ""),
        ("3 jam", 3, TimeUnit.JAM, 180, ""),
        ("1 hari", 1, TimeUnit.HARI, 480, ""),
        ("3 hari kerja", 3, TimeUnit.HARI, 1440, ""),
        ("480 menit", 480, TimeUnit.MENIT, 480, ""),
        ("5Jam untuk menyusun laporan triwulan", 5, TimeUnit.JAM, 300, "untuk menyusun laporan triwulan"),
        ("1-3 hari", 3, TimeUnit.HARI, 1440, ""),
        ("2 s.d. 4 jam", 4, TimeUnit.JAM, 240, ""),
        ("1,5 jam", 1.5, TimeUnit.JAM, 90, ""),
        ("2 minggu", 2, TimeUnit.MINGGU, 4800, ""),
        ("1 bulan", 1, TimeUnit.BULAN, 9600, ""),
    ],
)
def test_recognised_durations(text: str, value: float, unit: TimeUnit, minutes: float, note: str) -> None:
    duration = parse_duration(text)
    assert duration.recognised
    assert (duration.value, duration.unit, duration.minutes, duration.note) == (value, unit, minutes, note)
    assert duration.text == text


@pytest.mark.parametrize("text", ["Tentatif sesuai peraturan", "10 mnt", "sepuluh menit", "10", "jam 10", "10 menitan"])
def test_unrecognised_durations_are_kept_as_written(text: str) -> None:
    duration = parse_duration(text)
    assert not duration.recognised
    assert duration.minutes is None
    assert duration.text == text


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(45, "45 menit"), (220, "3 jam 40 menit"), (60, "1 jam"), (480, "1 hari kerja"), (8380, "17,5 hari kerja")],
)
def test_format_minutes(minutes: float, text: str) -> None:
    assert format_minutes(minutes) == text


def test_format_number_uses_indonesian_separators() -> None:
    assert format_number(1234567.25, 2) == "1.234.567,25"
    assert format_number(4.0) == "4"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("30 Juni 2022", dt.date(2022, 6, 30)),
        ("1 Pebruari 2024", dt.date(2024, 2, 1)),
        ("5 Oktober 2023", dt.date(2023, 10, 5)),
        ("2022-06-30", dt.date(2022, 6, 30)),
        ("30/06/2022", dt.date(2022, 6, 30)),
    ],
)
def test_dates(text: str, date: dt.date) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert parsed.value == date
    assert parsed.text == text


@pytest.mark.parametrize("text", ["", "-", " – "])
def test_empty_date_markers(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize("text", ["31 Juny 2022", "31 Februari 2022", "kemarin", "2022-13-01"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(DateFormatError):
        parse_date(text)


def test_time_written_as_not_fixed_is_deliberate_not_a_typo() -> None:
    for text in ("Tentatif sesuai jadwal pimpinan", "Sesuai kebutuhan", "menyesuaikan", "-", "Tidak tentu"):
        duration = parse_duration(text)
        assert duration.minutes is None and duration.deliberate, text
    for text in ("10 mnt", "sepuluh menit", "Segera", "jam kerja"):
        assert not parse_duration(text).deliberate, text
    assert not parse_duration("10 menit").deliberate
