"""One settings object for the plugin and the CLI, built from the ``sop-portal`` options of
``mkdocs.yml`` (so ``python -m generator render`` writes what ``mkdocs build`` writes).

The options and their defaults are declared once, by the plugin's config class; this module
turns their values into :class:`~generator.pipeline.portal.PortalSettings` without MkDocs.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.model.problems import PortalError
from generator.model.text import printable
from generator.pipeline.portal import PortalSettings
from generator.print.pdf import signing_from_env
from generator.print.printing import PrintSettings
from generator.site import SiteLayout
from generator.sources.images import image_refusal


class ConfigError(PortalError):
    """The ``sop-portal`` options in ``mkdocs.yml`` are wrong (e.g. a logo outside the project)."""


def portal_settings(
    root: Path,
    options: Mapping[str, Any],
    *,
    site_url: str = "",
    directory_urls: bool = True,
    docs_dir: Path | None = None,
    environ: Mapping[str, str] = os.environ,
) -> PortalSettings:
    """The pipeline's settings from the plugin ``options`` (validated, with defaults).

    ``root`` is the folder of ``mkdocs.yml``; ``site_url`` the portal's public address (for
    the QR codes); ``docs_dir`` the hand-written pages; ``environ`` may override the worker
    count (``SOP_JOBS``), turn the cache off (``SOP_NO_CACHE=1``) and name the signing
    certificate (``SOP_TTE_P12``).
    """
    logos: dict[str, str] = {}
    for owner, name in options["logos"].items():
        path = (root / name).resolve()
        if not path.is_file() or not path.is_relative_to(root.resolve()):
            raise ConfigError(
                f"`logos` di mkdocs.yml: logo untuk “{printable(owner)}” tidak ditemukan di dalam proyek: "
                f"{printable(name)} (tulis jalur berkas PNG, JPG atau SVG relatif terhadap mkdocs.yml)"
            )
        refusal = image_refusal(path)
        if refusal:
            raise ConfigError(
                f"`logos` di mkdocs.yml: logo untuk “{printable(owner)}” ditolak ({printable(name)}): {refusal}"
            )
        logos[owner] = str(path)
    layout = SiteLayout(section=_section(options["section"]), directory_urls=directory_urls)
    signing = signing_from_env(options["tte_p12"], options["tte_password_env"])
    if signing is not None:
        signing = dataclasses.replace(signing, p12=root / signing.p12)  # relative: to mkdocs.yml
        if not signing.p12.is_file():
            raise ConfigError(
                f"sertifikat TTE tidak ditemukan: {printable(str(signing.p12))} (`tte_p12` di mkdocs.yml atau "
                "SOP_TTE_P12); tulis jalur berkas .p12 yang ada, atau hapus pengaturan itu untuk PDF tanpa TTE"
            )
    return PortalSettings(
        root=root,
        sources=root / options["sources"],
        layout=layout,
        template_dirs=(root / options["templates"],),
        printing=PrintSettings(
            root=root,
            paper=options["paper"],
            steps_per_page=options["steps_per_page"],
            site_url=site_url,
            logos=logos,
            signing=signing,
            layout=layout,
        ),
        jobs=_jobs(environ.get("SOP_JOBS"), options["jobs"]),
        use_cache=bool(options["cache"]) and environ.get("SOP_NO_CACHE") != "1",
        docs_dir=docs_dir,
    )


SECTION_PART = re.compile(r"[a-z0-9][a-z0-9_-]*")
"""One folder of the ``section`` setting: a plain name, never ``..``, a drive or a slash."""


def _section(section: str) -> str:
    """The ``section`` setting when it names a folder inside the site (``sop``, ``layanan/sop``):
    the SOP pages are written there, so ``../../keluar`` would write them outside the site."""
    parts = section.split("/")
    if not all(SECTION_PART.fullmatch(part) for part in parts):
        raise ConfigError(
            f"`section: {printable(section)}` di mkdocs.yml: halaman SOP harus berada di dalam folder situs; "
            "tulis nama folder dari huruf kecil, angka dan tanda hubung, mis. `section: sop`"
        )
    return section


MAX_JOBS = 256
"""More worker processes than any machine the portal is built on has cores for."""


def _jobs(environ_value: str | None, configured: int) -> int:
    """The worker count: ``SOP_JOBS`` when set, else the ``jobs`` setting (0: one per core)."""
    text, where = (environ_value.strip(), "SOP_JOBS") if environ_value else (str(configured), "`jobs` di mkdocs.yml")
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_JOBS:
        raise ConfigError(
            f"{where} harus bilangan bulat 0 sampai {MAX_JOBS} (0: satu proses per inti), bukan “{printable(text)}”"
        )
    return int(text)
