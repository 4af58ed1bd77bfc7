"""Text a PDF viewer copies out of a printed SOP, its tables put back together.

A viewer copies a page's text in the order it is drawn, one line per baseline: the cells of
a table come one after the other, and the first line of a cell is joined to the line before
it when both stand on one baseline. There are no tabs, so the tables are rebuilt from what
the form always has:

- the identity labels with their values after them ("NOMOR SOP 300.1/..."), read as they are;
- two section labels on one line ("DASAR HUKUM Kualitas Pelaksana") followed by the left
  cell's lines and then the right cell's: the right cell begins where a list begins again
  at "1." (also in mid-line), else the paragraphs are shared out in order;
- the procedure table's header ("No Kegiatan PELAKSANA MUTU BAKU Ket"), the role names
  (parted where a line or a title word, "Kasi", "Petugas", "Kepala", ..., begins a name),
  the Mutu Baku labels; then each step from the line that begins with its number: the
  activity's lines, the inputs' lines, the line with the time (the first input line and
  the first output line stand on it when they share its baseline), the outputs' lines.

Every row rebuilt this way is a reading, said in the draft by the notes that the draft
reader makes for text without symbols (who performs each step), and by a note on the roles.
"""

from __future__ import annotations

import re

from generator.sources.importing.labels import identity_label, section_label, two_sections
from generator.sources.importing.tables import Cell, Row, clean

_HEADER = re.compile(r"^no\.?\s+(?:uraian\s+)?(?:kegiatan|prosedur|aktivitas)\b.*\bpelaksana\b", re.I)
_MUTU = re.compile(
    r"(?:^|\s)(?P<req>(?:persyaratan|kelengkapan|persy\.?|perlengkapan|input)"
    r"(?:\s*/\s*(?:persyaratan|kelengkapan))?)\s+(?P<time>waktu)\s+(?P<out>output|hasil|keluaran)\s*$",
    re.I,
)
_DURATION = re.compile(
    r"(?:^|\s)(\d+(?:[.,]\d+)?\s*(?:menit|jam|hari(?:\s+kerja)?|minggu|bulan|tahun)|-)(?=\s|$)", re.I
)
_NUMBERS_ROW = re.compile(r"^(?:\d{1,2}\s+){2,}\d{1,2}$")
_TITLE_WORDS = (
    "kepala|kabid|kabag|kasi|kasie|kasubbag|kasubag|kasubbid|kasubid|kasat|kadis|kaban|sekretaris|sekcam|sekdes|"
    "seklur|camat|lurah|kades|staf|staff|petugas|pelaksana|pemohon|pemilik|wajib|masyarakat|anggota|ketua|"
    "verifikator|dpjp|perawat|keluarga|rs|direktur|admin|operator|bendahara|pengelola|analis|pengadministrasi|"
    "jabatan|bupati|walikota|wali|inspektur|auditor|kaur|kadus|koordinator|tenaga|dokter|bidan|apoteker|pimpinan|"
    "ppk|pptk|pejabat|pelapor|pengadu|pengusul|tim|sub|bagian|seksi|unit|loket|penerima|pengirim|sekretariat"
)
_TITLE = re.compile(rf"^(?:{_TITLE_WORDS})$", re.I)
_PREFIX = re.compile(
    r"^(?:kepala|ketua|anggota|wajib|petugas|staf|kasi|kabid|kasubbag|kasubbid|kasat|sub|jabatan)$", re.I
)
"""Title words a role name goes on after ("Kepala" Dinas, "Anggota" Tim)."""
_CONNECTIVE = re.compile(
    r"(?:,|;|\b(?:dan|atau|yang|untuk|kepada|dari|ke|di|dengan|oleh|atas|pada|serta|dalam))$", re.I
)


def looks_copied_from_viewer(rows: list[Row]) -> bool:
    """True for text of plain lines only that holds a procedure table's header line."""
    return all(row.table < 0 for row in rows) and any(_HEADER.match(row.cells[0].text) for row in rows)


def rebuild(rows: list[Row]) -> tuple[list[Row], list[str]]:
    """The rows with the sections and the procedure table rebuilt as table rows, and what was
    read with a guess (for the draft's notes)."""
    lines = [(row, row.cells[0].text.replace("\f", "").strip()) for row in rows]
    lines = [(row, text) for row, text in lines if text]
    out: list[Row] = []
    guesses: list[str] = []
    index = 0
    table = 0
    while index < len(lines):
        row, text = lines[index]
        pair = two_sections(text)
        if pair:
            body, index = _until_label(lines, index + 1)
            left, right = _share(body)
            out.append(Row((Cell(pair[0][1]), Cell(pair[1][1])), row.where, row.line, table))
            out.append(Row((_cell(left), _cell(right)), row.where, row.line, table))
            table += 1
            continue
        if _HEADER.match(text):
            built, index, note = _procedure(lines, index, table)
            out += built
            guesses += note
            table += 1
            continue
        out.append(Row((Cell(clean(text), raw=text),), row.where, row.line))
        index += 1
    return out, guesses


def _cell(lines: list[str]) -> Cell:
    return Cell(" ".join(lines), raw="\n".join(lines), lines=tuple(lines))


def _until_label(lines: list[tuple[Row, str]], start: int) -> tuple[list[str], int]:
    body: list[str] = []
    index = start
    while index < len(lines):
        text = lines[index][1]
        if two_sections(text) or section_label(text) or identity_label(text) or _HEADER.match(text):
            break
        body.append(text)
        index += 1
    return body, index


_ITEM = re.compile(r"^(?:\d{1,2}|[a-z])[.)]\s")
_RESTART = re.compile(r"(?<=\S)\s+(?=1[.)]\s)")


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines as paragraphs: a line goes on with the one above when it starts in lower case or
    the one above ends on a joining word, and in a numbered list unless it starts an item."""
    found: list[str] = []
    numbered = bool(lines) and bool(_ITEM.match(lines[0]))
    widest = max((len(line) for line in lines), default=0)
    previous = ""
    for line in lines:
        goes_on = (
            found
            and not _ITEM.match(line)
            and (
                line[:1].islower()
                or _CONNECTIVE.search(found[-1])
                or (numbered and (not line[:1].isupper() or len(previous) >= 0.8 * widest))
            )
        )
        previous = line
        if goes_on:
            found[-1] = f"{found[-1]} {line}"
        else:
            found.append(line)
    return found


def _share(body: list[str]) -> tuple[list[str], list[str]]:
    """The lines under two section labels shared between the left cell and the right one."""
    split: list[str] = []
    for line in body:  # "SOP Pelayanan 1. Komputer": the right cell's list begins in mid-line
        parts = _RESTART.split(line, maxsplit=1)
        split += parts if len(parts) == 2 and not _ITEM.match(line) else [line]
    for index, line in enumerate(split[1:], start=1):
        if re.match(r"^1[.)]\s", line) and (_ITEM.match(split[0]) or index > 0):
            return _paragraphs(split[:index]), _paragraphs(split[index:])
    paragraphs = _paragraphs(split)
    if paragraphs and _ITEM.match(paragraphs[0]):
        plain = next((i for i, p in enumerate(paragraphs) if not _ITEM.match(p)), None)
        if plain is not None:
            return paragraphs[:plain], paragraphs[plain:]
    if len(paragraphs) == 1:  # one line each, on one baseline: parted after the left's sentence
        parts = re.split(r"(?<=[.)])\s+(?=[A-Z])", paragraphs[0], maxsplit=1)
        return parts[:1], parts[1:]
    if not paragraphs:
        return [], []
    return paragraphs[:-1], paragraphs[-1:]


def _roles(fragments: list[str]) -> list[str]:
    """Role names out of the lines of the header's role cells: a title word ("Kasi",
    "Petugas", "Kepala") begins a name unless the name before goes on after its last word
    ("Kepala" Dinas, "Anggota" Tim); any other word goes on with the name before (a name
    broken over lines: "Pemilik" / "Reklame")."""
    roles: list[list[str]] = []
    for fragment in fragments:
        for position, word in enumerate(fragment.split()):
            if roles and position == 0 and word[:1].islower() and len(word) <= 4:
                roles[-1][-1] += word  # a word the narrow column broke ("Administra" / "si")
            elif not roles or (_TITLE.match(word.strip(".,")) and not _PREFIX.match(roles[-1][-1])):
                roles.append([word])
            else:
                roles[-1].append(word)
    return [" ".join(words) for words in roles]


def _procedure(lines: list[tuple[Row, str]], start: int, table: int) -> tuple[list[Row], int, list[str]]:
    """The procedure table from its header line on, as rows: one header row, one row per step."""
    header_row, header = lines[start]
    remark = re.search(r"\b(ket\.?|keterangan)\s*$", header, re.I)
    fragments: list[str] = []
    index = start + 1
    labels = ("Kelengkapan", "Waktu", "Output")
    while index < len(lines):
        text = lines[index][1]
        mutu = None
        for back in range(min(3, len(fragments)), -1, -1):  # the labels may be broken over lines
            joined = " ".join([*fragments[len(fragments) - back :], text])
            mutu = _MUTU.search(joined)
            if mutu:
                del fragments[len(fragments) - back :]
                if joined[: mutu.start()].strip():  # the last role's line and the labels on one baseline
                    fragments.append(joined[: mutu.start()].strip())
                break
        if mutu:
            labels = (re.sub(r"(?<=\S)/ ", "/", mutu.group("req")), mutu.group("time"), mutu.group("out"))
            index += 1
            break
        if _NUMBERS_ROW.match(text) or re.match(r"^1\s+\S", text):
            break
        fragments.append(text)
        index += 1
    roles = _roles(fragments)
    if index < len(lines) and _NUMBERS_ROW.match(lines[index][1]):
        index += 1
    header_cells = (
        Cell("No"),
        Cell(header.split()[1] if header.split()[1].lower() != "uraian" else " ".join(header.split()[1:3])),
        *(Cell(role) for role in roles),
        *(Cell(label) for label in labels),
        Cell(remark.group(1) if remark else "Keterangan"),
    )
    out = [Row(header_cells, header_row.where, header_row.line, table)]
    steps: list[tuple[Row, list[str]]] = []
    expected = 1
    while index < len(lines):
        row, text = lines[index]
        if _HEADER.match(text):  # the header repeated on the next page: skip to its steps
            index += 1
            while index < len(lines) and not re.match(rf"^{expected}\s+\S", lines[index][1]):
                index += 1
            continue
        if identity_label(text) or section_label(text):
            break
        number = re.match(rf"^({expected})\s+(\S.*)$", text)
        if number:
            steps.append((row, [number.group(2)]))
            expected += 1
        elif steps:
            steps[-1][1].append(text)
        index += 1
    firsts = sorted(len(body[0]) for _, body in steps)
    median = firsts[len(firsts) // 2] if firsts else 40
    widest = max((length for length in firsts if length <= 1.25 * median), default=40)
    """The activity cell's width in characters, about: its longest first line (a line that two
    cells' words share aside)."""
    for count, (row, body) in enumerate(steps, start=1):
        activity, requirements, time, output, remark_text = _step(body, widest)
        cells = (
            Cell(str(count)),
            Cell(clean(" ".join(activity)), raw=" ".join(activity)),
            *(Cell("") for _ in roles),
            _cell(requirements),
            Cell(time),
            _cell(output),
            Cell(remark_text),
        )
        out.append(Row(cells, row.where, row.line, table))
    note = [f"nama pelaksana dipisah dari baris kepala tabel yang tersalin ({', '.join(roles)}); periksa"]
    return out, index, note


def _step(body: list[str], widest: int) -> tuple[list[str], list[str], str, list[str], str]:
    """A step's lines: the activity, the inputs, the time, the outputs and the remark."""
    at = next((i for i in range(len(body) - 1, -1, -1) if _DURATION.search(body[i]) and _time_line(body, i)), None)
    if at is None:
        return [" ".join(_paragraphs(body))], [], "", [], ""
    line = body[at]
    found = [m for m in _DURATION.finditer(line)]
    match = found[-1] if at == 0 else found[0]
    before, time, after = line[: match.start(1)].strip(), match.group(1), line[match.end(1) :].strip()
    above = body[:at]
    output, remark = _split_capital(after) if after else ("", "")
    if remark:  # the remark's first line stands on the output's baseline: the lines below are its
        output_lines, remark_lines = [output], [remark, *body[at + 1 :]]
    else:
        output_lines, remark_lines = ([after] if after else []) + body[at + 1 :], []
    outputs = _paragraphs(output_lines)
    remarks = " ".join(remark_lines)
    if at == 0:  # activity, inputs and time on one line: the inputs begin at the last capital
        alone, requirement = _split_capital(before)
        return [alone], [requirement] if requirement else [], time, outputs, remarks
    if before:  # an input of one line stands on the time's line: the lines above are the activity
        return [" ".join(_paragraphs(above))], [before], time, outputs, remarks
    activity = [above[0]]
    rest = above[1:]
    first, joined_input = _split_capital(above[0])
    if joined_input and len(above[0]) > 1.25 * widest:  # too long for the activity's cell: an input runs on
        activity, rest = [first], [joined_input, *rest]
    while (
        rest
        and not _ITEM.match(rest[0])
        and not re.search(r"[.)]$", activity[-1])
        and (rest[0][:1].islower() or _CONNECTIVE.search(activity[-1]) or len(activity[-1]) >= 0.8 * widest)
    ):
        activity.append(rest.pop(0))
        last, joined_input = _split_capital(activity[-1])
        if joined_input and len(activity[-1]) > 1.25 * widest:  # the input's first line runs on
            activity[-1] = last
            rest.insert(0, joined_input)
            break
    return [" ".join(activity)], _paragraphs(rest), time, outputs, remarks


def _time_line(body: list[str], index: int) -> bool:
    """A time on the activity's first line is the activity's own words ("dalam 7 hari; ...")
    unless nothing follows that could be the inputs' and outputs' lines."""
    return index > 0 or len(body) == 1


def _split_capital(text: str) -> tuple[str, str]:
    """An activity and the input run into it on one line: parted before the last word in
    capitals after a word in lower case ("Menetapkan keputusan keberatan Konsep keputusan")."""
    words = text.split()
    for position in range(len(words) - 1, 0, -1):
        if words[position][:1].isupper() and words[position][1:2].islower() and words[position - 1][:1].islower():
            return " ".join(words[:position]), " ".join(words[position:])
    return text, ""
