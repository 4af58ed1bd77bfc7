"""Reading a file someone named: a regular file only, never more than a bound, and every
failure said in Indonesian.

A name may lead anywhere: a FIFO (reading waits for a writer that never comes), ``/dev/zero``
behind a link (reading never ends), a folder, or a 52 MB file where a page of text was
expected. :func:`read_bounded` opens without waiting, asks the open file what it is, and
reads at most its bound, so every one of these ends at once with a message; the sources'
YAML reader and the importers read through it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from generator.model.problems import PortalError


class FileRefused(PortalError, ValueError):
    """A named file that is not read, with the reason in Indonesian (its ``str``)."""

    def __init__(self, message: str, code: str = "unreadable", size: int = 0) -> None:
        super().__init__(message)
        self.code = code
        """``unreadable``, ``not-regular`` or ``too-large``."""
        self.size = size
        """For ``too-large``: the size found (at least the bound plus one)."""


_ERRORS = {
    errno.ENOENT: "berkas tidak ditemukan",
    errno.ENOTDIR: "berkas tidak ditemukan (salah satu foldernya bukan folder)",
    errno.EACCES: "tidak ada izin untuk membaca berkas ini",
    errno.EPERM: "tidak ada izin untuk membaca berkas ini",
    errno.EISDIR: "ini sebuah folder, bukan berkas",
    errno.ELOOP: "tautan (symlink) yang berputar tanpa ujung",
    errno.ENAMETOOLONG: "nama berkas terlalu panjang",
    errno.EEXIST: "berkas dengan nama itu sudah ada",
    errno.ENOSPC: "disk penuh",
    errno.EROFS: "disk hanya dapat dibaca",
    errno.EIO: "galat baca/tulis pada disk",
    errno.EMFILE: "terlalu banyak berkas terbuka",
    errno.ENXIO: "perangkat atau pipa tanpa lawan",
}


def os_error_text(exc: OSError) -> str:
    """What went wrong with a file, in Indonesian: never Python's "[Errno 2] No such file"."""
    known = _ERRORS.get(exc.errno or 0)
    if known:
        return known
    name = errno.errorcode.get(exc.errno or 0, "")
    return f"galat sistem berkas{f' ({name})' if name else ''}"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "sebuah folder"
    if stat.S_ISFIFO(mode):
        return "sebuah pipa (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "sebuah perangkat (mis. /dev/zero)"
    if stat.S_ISSOCK(mode):
        return "sebuah soket"
    return "bukan berkas biasa"


def megabytes(size: int) -> str:
    """A size as a person reads it: ``52 MB``, ``1,5 MB``, ``300 KB``."""
    if size >= 10 * 1024 * 1024:
        return f"{size // (1024 * 1024)} MB"
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(size // 1024, 1)} KB"


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (a link to one is followed), at most
    ``limit`` of them: :class:`FileRefused` when it is anything else, is larger, or cannot be
    opened. Opening does not wait (a FIFO would wait for a writer), and the size is taken
    from the open file, then read no further than the bound (a file may grow meanwhile)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise FileRefused(os_error_text(exc)) from exc
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"{_kind(info.st_mode)}, bukan berkas biasa; tidak dibaca", "not-regular")
        if info.st_size > limit:
            raise FileRefused(
                f"berkas {megabytes(info.st_size)}, paling besar {megabytes(limit)}", "too-large", info.st_size
            )
        os.set_blocking(handle, True)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(handle, min(remaining, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise FileRefused(os_error_text(exc)) from exc
    finally:
        os.close(handle)
    data = b"".join(chunks)
    if len(data) > limit:
        raise FileRefused(f"berkas lebih dari {megabytes(limit)}", "too-large", len(data))
    return data
