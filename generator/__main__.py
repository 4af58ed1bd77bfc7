"""Command line: ``python -m generator check|build|render|schema|impor``."""

from __future__ import annotations

import argparse
import dataclasses
import os
import shlex
import sys
from pathlib import Path

from generator.model.problems import PortalError, Problem
from generator.model.sop import Sop
from generator.model.text import printable
from generator.pipeline.memory import long_lived
from generator.pipeline.portal import Portal, PortalSettings
from generator.settings import ConfigError
from generator.sources.catalogue import forget_parsed
from generator.sources.documents import DOCUMENT_KIND
from generator.sources.shared import SHARED_KIND
from generator.sources.sop import SOP_KIND

ENGINES = ("mkdocs", "zensical")
"""The site engines ``build --engine`` takes; MkDocs is the default."""


def _summary(problems: list[Problem]) -> str:
    errors = sum(1 for p in problems if p.is_error)
    warnings = sum(1 for p in problems if p.is_warning)
    information = len(problems) - errors - warnings
    return f"{errors} galat, {warnings} peringatan" + (f", {information} informasi" if information else "")


def _settings(args: argparse.Namespace) -> PortalSettings:
    """The settings of a build from the project's ``mkdocs.yml`` (``--sources`` may override
    where the sources are). Reading the config needs MkDocs, so it is imported here."""
    from generator.mkdocs_plugin import load_settings

    root = Path(args.root).resolve()
    config = root / args.config
    if not config.is_file():
        raise ConfigError(f"berkas konfigurasi tidak ditemukan: {config}")
    settings, _config = load_settings(config)  # ConfigError: said by main(), without a traceback
    if args.sources:
        settings = dataclasses.replace(settings, sources=(root / args.sources).resolve())
    jobs = getattr(args, "jobs", 0)
    if jobs:
        settings = dataclasses.replace(settings, jobs=jobs)
    if getattr(args, "no_cache", False):
        settings = dataclasses.replace(settings, use_cache=False)
    return settings


def _portal(args: argparse.Namespace) -> Portal:
    with long_lived():  # a command runs once per process: what it loads lives to the end
        portal = Portal(_settings(args), progress=lambda message: print(message, file=sys.stderr))
        portal.problems  # noqa: B018 (the checks across SOPs, made while paused too)
        forget_parsed()  # (one command per process: no second load reuses them)
    return portal


def _report(portal: Portal) -> list[Problem]:
    problems = list(portal.problems)
    for problem in problems:
        print(problem.format(), file=sys.stderr)
        print(file=sys.stderr)
    return problems


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every source; exit 1 on errors (or on warnings with --strict)."""
    portal = _portal(args)
    problems = _report(portal)
    count = len(portal.catalogue.sops)
    # Reviews due are warnings the office acts on, not faults of the sources: they never fail
    # the check, not even with --strict (an SOP stays in force until it is evaluated).
    reviews = portal.review_notices
    for notice in reviews:
        print(notice.format(), file=sys.stderr)
        print(file=sys.stderr)
    due = f"; {len(reviews)} SOP perlu ditinjau" if reviews else ""
    print(f"Pemeriksaan selesai: {count} SOP valid; {_summary(problems)}{due}.")
    if not portal.ok or (args.strict and any(p.is_warning for p in problems)):
        return 1
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """Check, then build the site atomically with MkDocs (or Zensical: ``--engine zensical``)."""
    portal = _portal(args)
    if not portal.ok:
        problems = _report(portal)
        print(f"Situs tidak dibangun ({_summary(problems)}); situs sebelumnya tidak diubah.", file=sys.stderr)
        return 1
    root = Path(args.root).resolve()
    if args.engine == "zensical":
        from generator.zensical_engine import build_site as zensical_build

        problems = _report(portal)  # (MkDocs logs them itself, where --strict counts them)
        warnings = [p for p in problems if p.is_warning]
        if args.strict and warnings:
            print(
                f"Build ketat (--strict) dihentikan: {len(warnings)} peringatan dianggap galat, situs tidak "
                "dibangun dan situs sebelumnya tidak diubah.",
                file=sys.stderr,
            )
            return 1
        status = zensical_build(root / args.config, root / args.site_dir, portal, strict=args.strict)
    else:
        from generator.mkdocs_plugin import build_site

        # The sources are loaded and checked once: the build takes this portal (its warnings are
        # logged there, where --strict counts them).
        status = build_site(root / args.config, root / args.site_dir, strict=args.strict, portal=portal, exiting=True)
    if status == 0:
        print(f"Situs selesai dibangun di {args.site_dir}/ ({len(portal.catalogue.sops)} SOP).")
    else:
        print("Pembangunan situs gagal; situs sebelumnya tidak diubah.", file=sys.stderr)
    return status


def cmd_render(args: argparse.Namespace) -> int:
    """Write the generated pages and files to a folder, without any site engine."""
    portal = _portal(args)
    _report(portal)
    if not portal.ok:
        return 1
    out = Path(args.out)
    generated_files = portal.generate()
    for generated in generated_files:
        target = out / generated.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(generated.read_bytes())
    print(f"{len(generated_files)} berkas ditulis ke {out}/.")
    if args.timings:
        print(f"{'SOP':42} {'artefak':34} {'halaman':>7} {'ukuran':>9} {'detik':>7}")
        for stat in portal.stats:
            seconds = "cache" if stat.cached else f"{stat.seconds:7.2f}"
            print(f"{stat.sop_id:42} {stat.kind:34} {stat.pages:7d} {stat.size:9d} {seconds:>7}")
        print("tahap: " + ", ".join(f"{k} {v:.2f} d" for k, v in portal.timings.items()))
    return 0


def named_files(text: str) -> list[str]:
    """The files ``make impor BERKAS="..."`` names (the text reaches here whole, never through
    the shell): the one file the whole text names when there is one ("SOP Cuti (revisi
    2).docx"), else the names in it as a shell would split them, without running anything:
    apart at spaces, a name with spaces in quotes (``'"SOP Surat Masuk.docx" salinan.txt'``)."""
    if not text.strip():
        return []
    if os.path.lexists(text):
        return [text]
    try:
        return shlex.split(text)
    except ValueError as exc:  # an unpaired quote
        raise ConfigError(
            f"BERKAS tidak dapat dibaca: tanda kutip tidak berpasangan dalam “{printable(text)}”; "
            "apit setiap nama yang memuat spasi dengan sepasang tanda kutip"
        ) from exc


def cmd_import(args: argparse.Namespace) -> int:
    """Read existing SOPs (Word, copied text) into draft sources, and the portal's own Word
    sheets back into their SOPs (shown as a difference; written with --perbarui); exit 1
    when any file failed."""
    from functools import cache

    from generator.indexes.lifecycle import build_date, long_date
    from generator.sources.catalogue import load_catalogue
    from generator.sources.documents import load_documents
    from generator.sources.importing import import_file

    root = Path(args.root).resolve()
    settings = _settings(args)
    sources = settings.sources
    documents = load_documents(sources, lambda path: path.relative_to(root).as_posix())

    @cache
    def originals() -> list[Sop]:
        return list(load_catalogue(sources, root).sops)

    today = long_date(build_date())
    names = [*args.files, *(named_files(args.daftar) if args.daftar is not None else [])]
    if not names:
        raise ConfigError('sebutkan berkas yang diimpor, mis. make impor BERKAS="SOP Surat Masuk.docx"')
    failed = written = updated = waiting = 0
    for name in names:
        path = Path(name)
        display = path.resolve().relative_to(root).as_posix() if path.resolve().is_relative_to(root) else str(path)
        result = import_file(
            path, sources, root, documents, display, originals=originals, update=args.perbarui, today=today
        )
        for problem in result.problems:
            print(problem.format(), file=sys.stderr)
            print(file=sys.stderr)
        shown = printable(display)  # a file name printed can neither drive the terminal nor forge a line
        if not result.ok:
            failed += 1
            print(f"{shown}: tidak diimpor (lihat pesan di atas).", file=sys.stderr)
        elif result.original is not None:
            source = (
                result.original.relative_to(root).as_posix()
                if result.original.is_relative_to(root)
                else result.original
            )
            shown_source = printable(str(source))
            if not result.changes:
                print(f"{shown} -> {shown_source}: sama dengan sumbernya, tidak ada yang diubah.")
                continue
            print(f"{shown} -> {shown_source}: {len(result.changes)} isian berubah")
            for change in result.changes:
                print(f"  {printable(change.label)}")
                print(f"    lama: {printable(change.old or '(kosong)')}")
                print(f"    baru: {printable(change.new or '(kosong)')}")
            print(f"  riwayat (usulan revisi, bertanda komentar): {printable(result.revision)}")
            if result.revised_date:
                print(f"  Tanggal Revisi (usulan, mengikuti riwayat): {result.revised_date}")
            if result.updated:
                updated += 1
                print(f"{shown_source} diperbarui; isian lain sumbernya (id, riwayat, peninjauan, tautan, logo) tetap.")
            else:
                waiting += 1
                quoted = f'"{display}"' if not set(display) & set('"$`\\') else shlex.quote(display)
                print(
                    f"Belum ditulis. Untuk menulisnya: make impor BERKAS={printable(quoted)} PERBARUI=1 "
                    f"(atau python -m generator impor --perbarui {printable(shlex.quote(display))})."
                )
        elif result.target is not None:
            written += 1
            target = result.target.relative_to(root).as_posix() if result.target.is_relative_to(root) else result.target
            print(f"{shown} -> {printable(str(target))}")
            for line in result.summary:
                print(f"    periksa: {printable(line)}")
    parts = [f"{written} draf ditulis"]
    if updated or args.perbarui:
        parts.append(f"{updated} SOP diperbarui")
    if waiting:
        parts.append(f"{waiting} SOP berubah belum ditulis")
    parts.append(f"{failed} berkas gagal")
    print(f"Impor selesai: {', '.join(parts)}. Jalankan `make check` setelah memeriksa hasilnya.")
    return 1 if failed else 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the source format (or of documents), or write it to a file."""
    kind = DOCUMENT_KIND if args.documents else SHARED_KIND if args.shared else SOP_KIND
    text = kind.schema_json()
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's notice is for MkDocs users, not clerks
    parser = argparse.ArgumentParser(prog="python -m generator", description="Generator portal SOP.")
    parser.add_argument("--root", default=".", help="folder proyek (bawaan: folder ini)")
    parser.add_argument("--sources", help="folder sumber SOP, relatif terhadap --root (bawaan: dari mkdocs.yml)")
    parser.add_argument("--config", default="mkdocs.yml", help="berkas konfigurasi, relatif terhadap --root")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="periksa semua sumber SOP tanpa membangun situs")
    check.add_argument("--strict", action="store_true", help="peringatan juga dianggap gagal (informasi tidak)")
    check.set_defaults(func=cmd_check)
    build = sub.add_parser("build", help="periksa lalu bangun situs (atomik)")
    build.add_argument("--strict", action="store_true", help="peringatan MkDocs juga dianggap gagal")
    build.add_argument("--site-dir", default="site")
    build.add_argument(
        "--engine",
        choices=ENGINES,
        default="mkdocs",
        help="mesin situs: mkdocs (bawaan) atau zensical (penerus Material for MkDocs)",
    )
    build.set_defaults(func=cmd_build)
    render = sub.add_parser("render", help="tulis halaman dan berkas hasil ke folder, tanpa MkDocs")
    render.add_argument("--out", required=True)
    render.add_argument("--timings", action="store_true", help="cetak waktu dan jumlah halaman tiap artefak")
    render.add_argument("--jobs", type=int, default=0, help="jumlah proses paralel (0: satu per inti)")
    render.add_argument("--no-cache", action="store_true", help="buat ulang semua artefak, abaikan .cache/")
    render.set_defaults(func=cmd_render)
    imports = sub.add_parser(
        "impor", help="baca SOP lama (Word .docx, teks salinan .txt/.md) menjadi draf sumber di sop_sources/sop/"
    )
    imports.add_argument("files", nargs="*", help="berkas SOP yang diimpor")
    imports.add_argument(
        "--daftar",
        metavar="TEKS",
        help="nama berkas dalam satu teks, seperti BERKAS pada `make impor`: nama satu berkas yang ada, "
        "atau beberapa nama dipisah spasi (nama yang memuat spasi diapit tanda kutip)",
    )
    imports.add_argument(
        "--perbarui",
        action="store_true",
        help="lembar Word dari portal ini: tulis perubahannya ke sumber SOP-nya (tanpa ini hanya ditampilkan)",
    )
    imports.set_defaults(func=cmd_import)
    schema = sub.add_parser("schema", help="cetak JSON Schema format sumber")
    schema.add_argument("--write", help="tulis ke berkas ini")
    which = schema.add_mutually_exclusive_group()
    which.add_argument("--documents", action="store_true", help="skema berkas templat dokumen")
    which.add_argument("--shared", action="store_true", help="skema sop_sources/portal.yaml")
    schema.set_defaults(func=cmd_schema)
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
    except PortalError as exc:  # a setting, a tool or a file the command needs: said, no traceback
        print(f"galat: {printable(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Dihentikan.", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("SOP_TRACEBACK") == "1":
            raise
        # A fault of the generator itself, not of the sources: said in Indonesian, with the
        # way to the details for whoever maintains the generator.
        print(
            f"galat di dalam generator ({type(exc).__name__}), bukan pada sumber SOP; laporkan kepada "
            "pengelola portal (jalankan ulang dengan SOP_TRACEBACK=1 untuk rinciannya)",
            file=sys.stderr,
        )
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
