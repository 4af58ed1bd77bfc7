"""One settings object for the plugin and the CLI, built from the ``sop-portal`` options of
``mkdocs.yml`` (so ``python -m generator render`` writes what ``mkdocs build`` writes).

The options and their defaults are declared once, by the plugin's config class; this module
turns their values into :class:`~generator.pipeline.portal.PortalSettings` without MkDocs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.model.problems import PortalError
from generator.pipeline.portal import PortalSettings
from generator.print.pdf import signing_from_env
from generator.print.printing import PrintSettings
from generator.site import SiteLayout


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
            raise ConfigError(f"logo untuk {owner!r} tidak ditemukan di dalam proyek: {name}")
        logos[owner] = str(path)
    layout = SiteLayout(section=options["section"], directory_urls=directory_urls)
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
            signing=signing_from_env(options["tte_p12"], options["tte_password_env"]),
            layout=layout,
        ),
        jobs=int(environ.get("SOP_JOBS") or options["jobs"]),
        use_cache=bool(options["cache"]) and environ.get("SOP_NO_CACHE") != "1",
        docs_dir=docs_dir,
    )
