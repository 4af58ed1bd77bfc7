"""How much an imported file may hold, checked while it is read, before anything is built
from it whole.

A 1.9 KB Word file may unpack to a gigabyte, a cell may claim to span two hundred million
columns, a text file may run to 52 MB: read whole, each of these takes gigabytes or
minutes. Every importer reads through these bounds, so any input of up to
:data:`MAX_IMPORT_BYTES` is imported or refused within a minute and 500 MB, and the message
says which bound it met and where (``tabel 2 baris 3``).
"""

from __future__ import annotations

import io
import zlib

from generator.sources.files import FileRefused, megabytes

MAX_IMPORT_BYTES = 10 * 1024 * 1024
"""The largest file ``impor`` reads (a Word SOP with its logos is a few hundred kilobytes)."""

MAX_PART_BYTES = 16 * 1024 * 1024
"""The most one part of a Word file (``word/document.xml``) may unpack to."""

MAX_XML_ELEMENTS = 500_000
"""The most XML elements one part may hold (an SOP of 40 steps with its shapes: about 20,000)."""

MAX_COLUMNS = 63
"""The most columns a table row may have: Word's own limit."""

MAX_ROWS = 20_000
"""The most rows (table rows and lines) a file may give."""

MAX_CELL_CHARS = 20_000
"""The most characters one cell (or line) may hold: ten pages of text."""

MAX_STEPS = 300
"""The most numbered steps a procedure table may have (the longest SOPs seen have 60)."""


def too_large(what: str, found: str, bound: str, where: str = "") -> FileRefused:
    """The refusal of a file that goes past a bound, saying where and which."""
    place = f"{where}: " if where else ""
    return FileRefused(f"{place}{what} ({found}; paling banyak {bound})", "too-large")


def check_row_count(count: int, where: str) -> None:
    """Refuse a file once it gives more rows than :data:`MAX_ROWS`."""
    if count >= MAX_ROWS:
        raise too_large("berkas memuat terlalu banyak baris", f"lebih dari {MAX_ROWS}", f"{MAX_ROWS} baris", where)


def check_columns(count: int, where: str) -> None:
    """Refuse a row of more cells than :data:`MAX_COLUMNS`."""
    if count > MAX_COLUMNS:
        raise too_large("baris tabel terlalu lebar", f"{count} kolom", f"{MAX_COLUMNS} kolom, batas Word", where)


def check_text(text: str, where: str) -> None:
    """Refuse a cell or line longer than :data:`MAX_CELL_CHARS`."""
    if len(text) > MAX_CELL_CHARS:
        raise too_large("teks sel terlalu panjang", f"{len(text)} huruf", f"{MAX_CELL_CHARS} huruf", where)


def check_pdf(data: bytes) -> None:
    """Refuse a PDF whose compressed streams (pages, forms, fonts: all but images) unpack past
    :data:`MAX_PART_BYTES` together: a 10 MB PDF may hold a page whose content inflates to a
    gigabyte, which the PDF reader would inflate whole. Each stream is inflated only as far as
    the bound, and a PDF that cannot be parsed at all is said to be damaged."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import IndirectObject, StreamObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        numbers = [(number, generation) for generation, entries in reader.xref.items() for number in entries]
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise FileRefused("bukan berkas PDF yang utuh (isinya tidak dapat dibaca); apakah berkasnya rusak?") from exc
    unpacked = 0
    for number, generation in numbers:
        try:
            found = reader.get_object(IndirectObject(number, generation, reader))
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
            continue  # an object the PDF reader will not reach either
        if not isinstance(found, StreamObject) or found.get("/Subtype") == "/Image":
            continue  # (images are not inflated to read the text and the drawing)
        filters = found.get("/Filter")
        first = filters[0] if isinstance(filters, list) and filters else filters
        if first not in ("/FlateDecode", "/Fl"):
            unpacked += len(found._data)  # (other filters are read as they are written)
        else:
            inflater = zlib.decompressobj()
            try:
                unpacked += len(inflater.decompress(found._data, MAX_PART_BYTES - unpacked + 1))
            except zlib.error:
                continue  # damaged: the PDF reader says so itself
        if unpacked > MAX_PART_BYTES:
            raise too_large(
                "isi PDF terlalu besar setelah dibuka",
                f"lebih dari {megabytes(MAX_PART_BYTES)}",
                megabytes(MAX_PART_BYTES),
            )


def part_too_large(name: str, size: int) -> FileRefused:
    """The refusal of a Word file one of whose parts unpacks past :data:`MAX_PART_BYTES`."""
    return too_large(
        f"isi berkas Word ({name}) terlalu besar setelah dibuka",
        megabytes(size),
        megabytes(MAX_PART_BYTES),
    )
