"""The shared catalogue of ``sop_sources/portal.yaml``: review periods, jabatan, SOP families
and the glossary of abbreviations.

It is optional. Without it every SOP is reviewed every 12 months and monitored every 6,
roles are matched by their written name only, and families are SOPs with the same name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from generator.model.problems import Problem
from generator.model.sop import ReviewPolicy
from generator.model.text import role_key


@dataclass(frozen=True, slots=True)
class DeclaredRole:
    """A jabatan of the portal's list, with the other names SOPs write it by."""

    id: str
    nama: str
    alias: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class DeclaredFamily:
    """SOPs doing the same job in different offices, compared side by side."""

    id: str
    nama: str
    keterangan: str = ""
    tahap: tuple[str, ...] = ()
    """The phases of the job, in order; steps name one of them in ``tahap``."""
    line: int = 0


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """An abbreviation of the portal's glossary (``glosarium:``) and what it stands for.

    ``alias`` holds other spellings of the same abbreviation (``Kasubag`` for ``Kasubbag``);
    search treats them all as one word and pages explain each where it appears.
    """

    singkatan: str
    arti: str
    alias: tuple[str, ...] = ()
    line: int = 0

    @property
    def spellings(self) -> tuple[str, ...]:
        """The abbreviation and its other spellings, in the order written."""
        return (self.singkatan, *self.alias)


@dataclass(frozen=True)
class SharedCatalogue:
    """The content of ``portal.yaml`` (all defaults when the file does not exist)."""

    review: ReviewPolicy = field(default_factory=ReviewPolicy)
    roles: tuple[DeclaredRole, ...] = ()
    families: tuple[DeclaredFamily, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    problems: tuple[Problem, ...] = ()

    @cached_property
    def role_by_id(self) -> dict[str, DeclaredRole]:
        """Declared roles by id."""
        return {r.id: r for r in self.roles}

    @cached_property
    def role_by_name(self) -> dict[str, DeclaredRole]:
        """Declared roles by the :func:`role_key` of their name and of every alias."""
        found: dict[str, DeclaredRole] = {}
        for role in self.roles:
            for name in (role.nama, *role.alias):
                found.setdefault(role_key(name), role)
        return found

    @cached_property
    def glossary_by_spelling(self) -> dict[str, GlossaryTerm]:
        """Glossary terms by every spelling (the abbreviation and its aliases, as written)."""
        found: dict[str, GlossaryTerm] = {}
        for term in self.glossary:
            for spelling in term.spellings:
                found.setdefault(spelling, term)
        return found

    @cached_property
    def family_by_id(self) -> dict[str, DeclaredFamily]:
        """Declared families by id."""
        return {f.id: f for f in self.families}
