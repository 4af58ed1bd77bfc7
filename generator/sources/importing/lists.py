"""A cell's or a section's list, as printed: its items, the numbers printed before them, and
in words what the importer did to the text (parted it, took the numbers off), for a comment.

Text stays as written: only a number that the portal prints itself ("1.", "2)") is taken off
an item, and only when every item carries one; a letter ("a.") or a dash stays. A text is
parted into items at its numbers (1, 2, 3 ... in order), or at ";" when it holds at least two
(one ";" is a sentence's, not a list's).
"""

from __future__ import annotations

import re

from generator.model.sop import Numbering

_NUMBER = re.compile(r"^(?:[-•*]\s*)?(\d{1,2})\s*[.)]?\s+(?=\S)")
"""A number before an item ("1. ", "2) ", "- 1 ")."""
_NUMBERED = re.compile(r"(?:^|(?<=\s))(\d{1,2})[.)](?=\s|[A-Z])")
"""A number inside a text that holds a whole list ("1. Surat 2. KTP")."""


def numbered_lines(lines: list[str]) -> tuple[list[str], list[int] | None]:
    """Lines that each begin with a number: the items without it, and the numbers; else the
    lines as written and ``None``."""
    found = [_NUMBER.match(line) for line in lines]
    if not lines or not all(found):
        return list(lines), None
    return [line[m.end() :].strip() for line, m in zip(lines, found, strict=True) if m], [
        int(m.group(1)) for m in found if m
    ]


def part_text(text: str) -> tuple[list[str], list[int] | None, str]:
    """One text holding a list: its items, their numbers (``None``: not numbered), and what
    was done ("" when the text is one item as written)."""
    text = text.strip()
    if not text:
        return [], None, ""
    starts, expected = [], 1
    for match in _NUMBERED.finditer(text):
        if int(match.group(1)) == expected:
            starts.append(match)
            expected += 1
    if len(starts) >= 2 or (starts and starts[0].start() == 0):
        head = text[: starts[0].start()].strip()
        items = [
            text[m.end() : (starts[i + 1].start() if i + 1 < len(starts) else len(text))].strip()
            for i, m in enumerate(starts)
        ]
        numbers = list(range(1, len(items) + 1))
        if head:  # text before "1.": an item of its own, unnumbered
            return [head, *items], None, "dipisah pada nomor butirnya (1., 2., ...)"
        how = "dipisah pada nomor butirnya (1., 2., ...)" if len(items) > 1 else ""
        return [item for item in items if item], numbers, how
    if text.count(";") >= 2:
        parts = [part.strip() + ";" for part in text.split(";")]
        parts[-1] = parts[-1][:-1]
        return [part for part in parts if part.strip(" ;")], None, "dipisah pada tanda \u201c;\u201d"
    return [text], None, ""


def read_list(lines: list[str], *, parted: bool) -> tuple[list[str], list[int] | None, str]:
    """A list of ``lines`` (``parted``: each line a cell's whole text, which may hold several
    items): the items, their printed numbers, and what was done."""
    if not parted:
        plain, printed = numbered_lines([line for line in lines if line.strip()])
        how = "nomor butir dilepas dari teksnya (lembar SOP mencetak nomornya)" if printed else ""
        return plain, printed, how
    items: list[str] = []
    numbers: list[int] | None = []
    hows: list[str] = []
    for line in lines:
        got, got_numbers, how = part_text(line)
        items += got
        numbers = numbers + got_numbers if numbers is not None and got_numbers is not None else None
        if how and how not in hows:
            hows.append(how)
    if numbers == [] and items:
        numbers = None
    if numbers and len(numbers) == 1 and len(items) == 1:  # "1. Surat" alone
        hows.append("nomor butir dilepas dari teksnya")
    return items, numbers, "; ".join(hows)


def numbering(key: str, count: int, numbers: list[int] | None) -> Numbering | list[int] | None:
    """The ``cetak.penomoran`` that prints a list as the paper does (``None``: the official
    way, numbered 1, 2, 3, ..., a lone Peringatan as a sentence)."""
    if count == 0:
        return None
    if numbers is None:
        return None if key == "peringatan" and count == 1 else Numbering.TANPA
    if numbers == list(range(1, count + 1)):
        return Numbering.URUT if key == "peringatan" and count == 1 else None
    return numbers if len(numbers) == count else None
