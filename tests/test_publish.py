"""Atomic publishing: what a killed build leaves beside the site is cleared by the next one."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from generator.pipeline.publish import publish, sweep


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def _folder(path: Path, text: str) -> Path:
    path.mkdir()
    (path / "index.html").write_text(text, encoding="utf-8")
    return path


def test_leftovers_of_a_killed_build_are_cleared(tmp_path: Path) -> None:
    site = _folder(tmp_path / "site", "sekarang")
    dead = _dead_pid()
    _folder(tmp_path / f".site.new-{dead}", "setengah jadi")
    _folder(tmp_path / f".site.old-{dead}", "salinan lama")
    running = _folder(tmp_path / f".site.new-{os.getppid()}", "build lain yang masih berjalan")
    other = _folder(tmp_path / ".site-offline.old-1", "situs lain")
    sweep(site)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["site", running.name, other.name])
    assert (site / "index.html").read_text(encoding="utf-8") == "sekarang"


def test_a_build_killed_between_the_renames_gets_its_site_back(tmp_path: Path) -> None:
    dead = _dead_pid()
    _folder(tmp_path / f".site.old-{dead}", "situs terakhir")
    sweep(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "situs terakhir"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_publish_sweeps_before_building(tmp_path: Path) -> None:
    _folder(tmp_path / "site", "lama")
    _folder(tmp_path / f".site.new-{_dead_pid()}", "x" * 1000)

    def build_into(folder: Path) -> int:
        _folder(folder, "baru")
        return 0

    assert publish(tmp_path / "site", build_into) == 0
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "baru"
    # The replaced site is removed in the background (the build does not wait for it).
    deadline = time.monotonic() + 20
    while len(list(tmp_path.iterdir())) > 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
