"""Every output path has exactly one owner.

An SOP id, an instansi name, a document id, the section setting or a hand-written page can
each name a path in the built site. Two of them naming the same file (an SOP whose id is
the slug of an instansi, an SOP called ``templat`` beside the blank templates, a page in
``docs/`` where the portal writes its own) would let one silently overwrite the other.
Before anything is rendered, every page and file the build will write is claimed with its
owner, and a path claimed twice is an error naming both.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.model.problems import NOWHERE, Position, Problem
from generator.model.sop import Sop
from generator.site import SiteLayout


@dataclass(frozen=True)
class Owner:
    """Who puts a path in the site, in words, and where a maintainer changes it."""

    description: str
    """E.g. "SOP `camat` (sop_sources/sop/camat.yaml:1)"."""
    file: str = ""
    """The source file (or config) to report the problem in; "" for the portal itself."""
    position: Position = NOWHERE
    field: str = ""
    hint: str = ""
    """How to move this owner's path elsewhere."""


@dataclass(frozen=True)
class Claim:
    """One output of the build: a file, or a folder the owner fills alone."""

    path: str
    """Path in the built site; a folder ends with ``/``."""
    owner: Owner


def site_file(src: str, layout: SiteLayout, *, is_page: bool) -> str:
    """The file a generated or hand-written page (``is_page``) or file becomes in the site."""
    if not is_page:
        return src
    url = layout.url(src)
    return url + "index.html" if url == "" or url.endswith("/") else url


def sop_owner(sop: Sop, field: str = "id") -> Owner:
    """An SOP as the owner of its page and downloads (or of an instansi page, ``field="instansi"``)."""
    line = dict(sop.field_lines).get(field, 0)
    where = f"{sop.source}:{line}" if line else sop.source
    if field == "id":
        hint = "beri SOP ini `id` lain" + (" (atau ganti nama berkasnya)" if not line else "")
        return Owner(f"SOP `{sop.id}` ({where})", sop.source, Position(line, 0), "id", hint)
    return Owner(
        f"halaman instansi `{sop.instansi}` (dari `instansi` di {where})",
        sop.source,
        Position(line, 0),
        "instansi",
        "",
    )


def hand_written(docs_dir: Path, root: Path, layout: SiteLayout) -> Iterator[Claim]:
    """The pages and files a maintainer wrote under ``docs/`` (MkDocs publishes them as they are)."""
    if not docs_dir.is_dir():
        return
    for path in sorted(docs_dir.rglob("*")):
        relative = path.relative_to(docs_dir).as_posix()
        if not path.is_file() or any(part.startswith(".") for part in relative.split("/")):
            continue
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        owner = Owner(
            f"berkas tulisan tangan {shown}",
            shown,
            NOWHERE,
            "",
            "pindahkan atau ganti nama berkas ini; jalur itu dipakai portal",
        )
        yield Claim(site_file(relative, layout, is_page=path.suffix == ".md"), owner)


def collisions(claims: Iterable[Claim]) -> list[Problem]:
    """A problem for each path claimed by two owners (a folder counts for everything under it)."""
    files: dict[str, Owner] = {}
    folders: dict[str, Owner] = {}
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()

    def clash(path: str, first: Owner, again: Owner) -> None:
        if first == again or (first.description, again.description) in seen:
            return
        seen.add((first.description, again.description))
        problems.append(_problem(path, first, again))

    ordered = list(claims)
    for claim in ordered:
        if claim.path.endswith("/"):
            other = folders.get(claim.path)
            if other is not None:
                clash(claim.path, other, claim.owner)
            else:
                folders[claim.path] = claim.owner
    for claim in ordered:
        if claim.path.endswith("/"):
            continue
        other = files.get(claim.path)
        if other is not None:
            clash(claim.path, other, claim.owner)
            continue
        files[claim.path] = claim.owner
        folder = posixpath.dirname(claim.path)
        while folder:
            holder = folders.get(folder + "/")
            if holder is not None and holder != claim.owner:
                clash(claim.path, holder, claim.owner)
                break
            folder = posixpath.dirname(folder)
    return problems


def _problem(path: str, first: Owner, again: Owner) -> Problem:
    """The collision, reported at the owner a maintainer can change (an SOP's id before a name
    the portal derives, a source before the portal)."""

    def rank(owner: Owner) -> int:  # a source with a fix to offer, then any source, then the portal
        return 2 if owner.file and owner.hint else 1 if owner.file else 0

    at, other = (again, first) if rank(again) >= rank(first) else (first, again)
    hint = at.hint or other.hint or "ganti salah satu nama agar jalurnya berbeda"
    return Problem.at(
        at.file or "mkdocs.yml",
        at.position,
        f"jalur `{path}` di situs dipakai dua kali: oleh {at.description} dan oleh {other.description}",
        "output-collision",
        field=at.field,
        found=other.description,
        hint=hint + "; satu jalur hanya boleh punya satu pemilik, kalau tidak yang satu menimpa yang lain",
    )
