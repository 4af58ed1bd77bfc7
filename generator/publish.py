"""Atomic site builds: MkDocs writes into a fresh folder that replaces ``site/`` only on success."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
        shutil.rmtree(old, ignore_errors=True)


def build_site(config_file: Path, site_dir: Path, *, strict: bool = False) -> int:
    """Run ``mkdocs build`` into a temporary sibling of ``site_dir`` and swap it in.

    Returns MkDocs' exit status. On failure the temporary folder is removed and
    ``site_dir`` is left exactly as it was.
    """
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = site_dir.with_name(f".{site_dir.name}.new-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    command = [sys.executable, "-m", "mkdocs", "build", "--config-file", str(config_file), "--site-dir", str(staging)]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, env=env, check=False)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        return result.returncode
    swap_in(staging, site_dir)
    return 0
