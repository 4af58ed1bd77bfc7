"""The SOP register of one instansi ("Daftar SOP"): the official list of its SOPs that a
Bagian Organisasi asks each office for. Plain text only, so it can go to a worker process
and its repr is its cache key."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One SOP as the register lists it: every date as the SOP writes it."""

    no: int
    sop_id: str
    nomor: str
    nama: str
    unit: str
    pembuatan: str
    revisi: str
    efektif: str
    status: str
    """The review status in words ("Berlaku", "Perlu dievaluasi sejak 1 Februari 2026", ...)."""
    due: bool
    """True when the SOP is due for evaluation or monitoring (or its dates are unknown)."""
    url: str = ""
    """Address of the SOP's page on the portal ("" when the portal's address is not set)."""


@dataclass(frozen=True, slots=True)
class Register:
    """An instansi's register on a date."""

    pemerintah: str
    instansi: str
    alamat: str
    date: str
    """The date the review statuses are counted to, as offices write it."""
    entries: tuple[RegisterEntry, ...]
    policy: str = ""
    """The review periods in words, for the note under the list."""

    @property
    def due(self) -> int:
        """How many SOPs are due for review."""
        return sum(entry.due for entry in self.entries)
