"""Atomic site builds: the engine writes into a fresh folder that replaces ``site/`` only on success."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path


def swap_in(new: Path, target: Path) -> None:
    """Put the finished build ``new`` in place of ``target``.

    Both live in the same parent folder, so each step is a rename: the old site stays
    whole until the new one is complete, and the switch itself takes two renames.
    """
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old.exists():
            old.rename(target)
        raise
    if old.exists():
        _remove_later(old)


def _remove_later(folder: Path) -> None:
    """Remove the replaced site without making the build wait for it: thousands of files on a
    busy disk take seconds, and the new site is already in place. A process of its own does it
    (this one may exit first); should it not finish, the next build's :func:`sweep` does."""
    try:  # (the shell starts `rm` in the background and returns at once)
        subprocess.run(
            ["sh", "-c", 'rm -rf -- "$1" </dev/null >/dev/null 2>&1 &', "sh", str(folder)], check=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):  # no shell here: remove it now
        shutil.rmtree(folder, ignore_errors=True)


def sweep(site_dir: Path) -> None:
    """Clear what a killed build left beside ``site_dir``: a half-written ``.site.new-*``
    is removed; a ``.site.old-*`` (the build was killed between the two renames) becomes
    ``site_dir`` again if that is missing, and is removed otherwise. Folders of builds
    still running are left alone."""
    for left in sorted(site_dir.parent.glob(f".{site_dir.name}.*-*")):
        kind, _, pid = left.name.removeprefix(f".{site_dir.name}.").partition("-")
        if kind not in ("new", "old") or not pid.isdigit() or _running(int(pid)):
            continue
        if kind == "old" and not site_dir.exists():
            left.rename(site_dir)
        else:
            shutil.rmtree(left, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def publish(site_dir: Path, build_into: Callable[[Path], int]) -> int:
    """Build into a temporary sibling of ``site_dir`` with ``build_into`` and swap it in.

    ``build_into(folder)`` writes the site into ``folder`` and returns an exit status. On
    failure the temporary folder is removed and ``site_dir`` is left exactly as it was.
    """
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    sweep(site_dir)
    staging = site_dir.with_name(f".{site_dir.name}.new-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    try:
        status = build_into(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if status != 0:
        shutil.rmtree(staging, ignore_errors=True)
        return status
    swap_in(staging, site_dir)
    return 0
