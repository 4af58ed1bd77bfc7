"""`make site` after a change makes only what the change touches, and publishes, file for file,
what a full build of the same sources publishes (`generator/mkdocs_incremental.py`)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT, build

EDITED = "lumajang-pengumpulan-data-kinerja"
OTHER = "dawarblandong-pengukuran-data-kinerja"
MADE = re.compile(r"build bertahap, (\d+) berkas dibuat ulang, (\d+) berkas tetap")


def _tree(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


class Project:
    """A copy of the project with its published site; each step edits it, builds the site
    incrementally and builds the same sources in full elsewhere to compare."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.site = root / "site"
        self.fulls = 0

    def source(self, sop_id: str) -> Path:
        return self.root / "sop_sources" / "sop" / f"{sop_id}.yaml"

    def edit(self, path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path.name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def make_site(self) -> tuple[int, int] | None:
        """`make site`'s build; returns (files made, files kept) when it was incremental."""
        result = build(self.root, self.site)
        assert result.returncode == 0, result.stdout + result.stderr
        found = MADE.search(result.stderr)
        return (int(found[1]), int(found[2])) if found else None

    def full(self) -> dict[str, str]:
        """A full build of the same sources (a new folder: no record to build from)."""
        self.fulls += 1
        out = self.root / f"full-{self.fulls}"
        result = build(self.root, out)
        assert result.returncode == 0, result.stdout + result.stderr
        assert not MADE.search(result.stderr), "a new folder is built whole"
        tree = _tree(out)
        shutil.rmtree(out)
        return tree

    def assert_same_as_full(self) -> None:
        incremental, full = _tree(self.site), self.full()
        assert sorted(incremental) == sorted(full), "the same files"
        differ = [path for path in incremental if incremental[path] != full[path]]
        assert not differ, f"files that differ from a full build: {differ[:10]}"

    def page(self, sop_id: str) -> Path:
        return self.site / "sop" / sop_id / "index.html"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    root = tmp_path_factory.mktemp("incremental") / "proj"
    root.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("docs", "overrides", "sop_sources"):
        shutil.copytree(ROOT / folder, root / folder)
    project = Project(root)
    assert project.make_site() is None, "the first build has no record: it builds everything"
    yield project


def test_nothing_changed_makes_nothing(project: Project) -> None:
    made = project.make_site()
    assert made is not None and made[0] == 0 and made[1] > 100
    project.assert_same_as_full()


def test_one_changed_step_makes_its_sop_again_and_keeps_the_rest(project: Project) -> None:
    other = project.page(OTHER).stat().st_ino
    edited = project.page(EDITED).stat().st_ino
    project.edit(project.source(EDITED), "  - no: 1\n", "  - no: 1\n    keterangan: diubah untuk uji\n")
    made = project.make_site()
    assert made is not None
    assert 0 < made[0] < 40, f"only what the edit touches is made again ({made[0]} files)"
    assert "diubah untuk uji" in project.page(EDITED).read_text(encoding="utf-8")
    assert project.page(EDITED).stat().st_ino != edited, "the edited SOP's page is made again"
    assert project.page(OTHER).stat().st_ino == other, "another SOP's page is the published file"
    project.assert_same_as_full()


def test_a_renamed_sop_is_followed_by_the_pages_that_list_it(project: Project) -> None:
    text = project.source(EDITED).read_text(encoding="utf-8")
    title = re.search(r"^nama_sop: (.+)$", text, re.M)
    assert title is not None
    project.edit(project.source(EDITED), f"nama_sop: {title[1]}", f"nama_sop: {title[1]} Terpadu")
    made = project.make_site()
    assert made is not None and made[0] > 0
    listings = [p for p in project.site.rglob("*.html") if "Terpadu" in p.read_text(encoding="utf-8")]
    assert len(listings) > 2, "its page, its instansi's list and the role pages show the new name"
    project.assert_same_as_full()


def test_a_changed_performer_is_followed_by_the_role_pages(project: Project) -> None:
    """A page's tags (its performers) changed: the role pages list it under its new role,
    and every unchanged page is listed as a full build lists it (the pages not made give the
    tags plugin their front matter as the last build read it)."""
    source = project.source(EDITED)
    text = source.read_text(encoding="utf-8")
    assert "Kasubbag Keuangan" in text
    source.write_text(text.replace("Kasubbag Keuangan", "Bendahara Pengeluaran Kecamatan"), encoding="utf-8")
    made = project.make_site()
    assert made is not None and made[0] > 0 and made[1] > 100
    listed = [
        p for p in project.site.rglob("*.html") if "Bendahara Pengeluaran Kecamatan" in p.read_text(encoding="utf-8")
    ]
    assert len(listed) > 1, "its page and the role pages show the new role"
    project.assert_same_as_full()


def test_an_added_and_a_removed_sop(project: Project) -> None:
    copy = project.source(OTHER).read_text(encoding="utf-8").replace(f"id: {OTHER}", f"id: {OTHER}-baru", 1)
    copy = copy.replace("065 / 112 / 416-317 / 2023", "065 / 113 / 416-317 / 2023", 1)
    project.source(f"{OTHER}-baru").write_text(copy, encoding="utf-8")
    assert project.make_site() is not None
    assert project.page(f"{OTHER}-baru").exists()
    project.assert_same_as_full()
    project.source(f"{OTHER}-baru").unlink()
    assert project.make_site() is not None
    assert not project.page(f"{OTHER}-baru").exists(), "a removed SOP's page leaves the site"
    assert not (project.site / "sop" / f"{OTHER}-baru").exists()
    project.assert_same_as_full()


def test_a_change_to_what_every_page_shows_makes_every_page(project: Project) -> None:
    project.edit(project.root / "mkdocs.yml", "site_name: Portal SOP", "site_name: Portal SOP Kabupaten")
    made = project.make_site()
    assert made is None or made[1] == 0, "nothing is kept from the published site"
    assert "Portal SOP Kabupaten" in project.page(OTHER).read_text(encoding="utf-8")
    project.assert_same_as_full()


def test_a_failed_build_keeps_the_site_and_its_record(project: Project) -> None:
    before = _tree(project.site)
    good = project.source(OTHER).read_text(encoding="utf-8")
    project.source(OTHER).write_text(good.replace("langkah:", "langkah: [", 1), encoding="utf-8")
    result = build(project.root, project.site)
    assert result.returncode != 0
    assert _tree(project.site) == before, "the published site is untouched"
    project.source(OTHER).write_text(good, encoding="utf-8")
    made = project.make_site()
    assert made is not None and made[0] == 0, "the record still describes the published site"


def test_a_site_written_by_something_else_is_built_whole(project: Project) -> None:
    stray = project.site / "catatan.txt"
    stray.write_text("ditulis tangan", encoding="utf-8")
    os.utime(project.site)  # (a folder written into moves its times)
    assert project.make_site() is None, "a site folder changed since its record is built whole"
    assert not stray.exists()
    project.assert_same_as_full()
