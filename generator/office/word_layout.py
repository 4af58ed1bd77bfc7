"""Where everything of the Word sheet's procedure stands: columns, type sizes, row heights,
pages, symbols, arrows and their labels, in millimetres.

The sheet is a table per page (the header repeated on each), its rows as tall as their text
and their symbol need. Every symbol and arrow is a shape anchored in a pelaksana cell of its
row and placed relative to that cell, so this module decides each one's box from the
columns' widths and the rows' heights it has chosen itself: what it computes is what Word and
LibreOffice draw. The passes, in order: column widths (:func:`columns`), the header's type
(:func:`header`), row heights (:func:`_row`), pages (:func:`_paginate`), symbols and
off-page connectors (:class:`_Page`), then the arrows (:class:`_Router`) and their labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from generator.model.sop import BranchKind, Performance, Sop, Step, StepKind
from generator.office import textfit

PT = 25.4 / 72
"""Millimetres per point."""

PAPER = {"A4": (297.0, 210.0), "F4": (330.0, 215.0)}
"""Landscape page sizes (mm)."""
MARGIN = 12.0
"""Page margins (mm)."""

BODY_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0)
TEXT_STEPS = (8.0, 7.5, 7.0)
"""The body type tried in turn (the largest first) when the procedure needs more pages."""
"""Type sizes of a body cell, largest first: a cell steps down until its longest word fits."""
HEADER_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0)
"""Type sizes of a header cell."""
SYMBOL_TEXT = 7.0
"""The step number inside a symbol (pt)."""
LABEL_SIZE = 6.0
"""Ya/Tidak labels (pt)."""

CELL_PAD_X = 1.5
"""Left and right padding of a text cell (mm)."""
CELL_PAD_Y = 1.06
"""Top and bottom padding of a text cell (mm)."""
HEADER_PAD = 0.6
"""Padding of a header cell on every side (mm)."""
SAFETY = 0.96
"""Share of a cell's width the text is broken to: Word and LibreOffice may set a line a
little wider than its advances add up to."""

CLEARANCE = 2.75
"""Room above and below a symbol in its row, for the arrows' bends and labels (mm)."""
DECISION_CLEARANCE = 3.75
"""The same around a decision, whose two exits each carry a label."""
CONNECTOR_ROW = 9.0
"""Height of a row holding off-page connectors (mm)."""
CONNECTOR_SIZE = (5.0, 5.0)
RULE_GAP = 1.2
"""Least distance between an arrow running along a lane and the lane's rule (mm)."""
STUB = 5.0
"""Length of the arrow of a Tidak the SOP leaves open (mm)."""
TRACK_STEP = 0.7
"""Distance between two arrows running side by side in one gutter (mm)."""
PAGE_SLACK = 4.0
"""Height left free on each procedure page (mm): rows a little taller in Word than here never
push the last row, or the paragraph after the table, onto another page."""


@dataclass(frozen=True)
class Column:
    """One grid column of the procedure table."""

    key: str
    """``no``, ``kegiatan``, ``lane``, ``kelengkapan``, ``waktu``, ``output``, ``keterangan``."""
    x: float
    width: float
    lane: int = -1
    """Index of the pelaksana (``-1``: not a lane)."""


@dataclass(frozen=True)
class HeaderText:
    """A header cell's text, its type size, and whether it runs bottom to top."""

    text: str
    size: float
    rotated: bool = False


@dataclass(frozen=True)
class Header:
    """The two header rows: heights and the type of each cell."""

    heights: tuple[float, float]
    top: dict[str, HeaderText]
    """``no``, ``kegiatan``, ``pelaksana``, ``mutu_baku``, ``keterangan``."""
    lanes: tuple[HeaderText, ...]
    mutu: tuple[HeaderText, HeaderText, HeaderText]

    @property
    def height(self) -> float:
        return self.heights[0] + self.heights[1]


@dataclass(frozen=True)
class CellText:
    """A body cell's paragraphs and type size."""

    lines: tuple[str, ...]
    size: float


@dataclass
class Row:
    """One body row: a step, or a strip of off-page connectors."""

    top: float
    height: float
    step: Step | None = None
    texts: dict[str, CellText] = field(default_factory=dict)
    """Per column key (``no``, ``kegiatan``, ...), the cell's text."""

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def middle(self) -> float:
        return self.top + self.height / 2


@dataclass
class Symbol:
    """A symbol drawn on a page: its box (mm, from the table's top-left), what it is, and the
    cell it is anchored in."""

    kind: str
    """``proses``, ``keputusan``, ``terminator`` or ``penghubung`` (off-page connector)."""
    x0: float
    y0: float
    x1: float
    y1: float
    row: int
    lane: int
    text: str
    """The step number (or the connector's letter) written inside."""
    title: str = ""
    """The machine-readable token of a step's symbol (see ``word.symbol_token``)."""
    words: str = ""
    """Alternative text, in words."""
    step: str = ""
    """Key of the step ("" for a connector)."""
    index: int = 0
    """Which of the step's symbols this is."""
    exits: set[str] = field(default_factory=set)
    """Sides (``top``, ``bottom``, ``left``, ``right``) an arrow already leaves from."""
    strip: str = ""
    """For a connector, the strip it stands in: ``head`` (over the steps) or ``foot``."""

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def port(self, side: str) -> tuple[float, float]:
        return {
            "top": (self.cx, self.y0),
            "bottom": (self.cx, self.y1),
            "left": (self.x0, self.cy),
            "right": (self.x1, self.cy),
        }[side]


@dataclass
class Route:
    """An arrow: its points (mm, from the table's top-left), the cell it is anchored in, and
    its Ya/Tidak label with the label's top-left corner."""

    points: list[tuple[float, float]]
    row: int
    lane: int
    words: str
    label: str = ""
    label_at: tuple[float, float] = (0.0, 0.0)
    arrow: bool = True
    crowded: bool = False
    """No clear way was found: the arrow crosses a symbol or runs along another arrow."""

    @property
    def label_box(self) -> tuple[float, float, float, float]:
        width, height = label_size(self.label)
        x, y = self.label_at
        return x, y, x + width, y + height


def label_size(text: str) -> tuple[float, float]:
    """Width and height (mm) of a Ya/Tidak label's box."""
    return textfit.text_width(text, LABEL_SIZE) * PT + 0.6, LABEL_SIZE * textfit.LINE_PITCH * PT + 0.2


@dataclass
class Page:
    """One procedure page: its rows and what is drawn over them."""

    rows: list[Row]
    symbols: list[Symbol] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)

    @property
    def height(self) -> float:
        return self.rows[-1].bottom if self.rows else 0.0


@dataclass(frozen=True)
class Layout:
    """The procedure of an SOP laid out for the Word sheet."""

    paper: tuple[float, float]
    columns: tuple[Column, ...]
    header: Header
    title: CellText | None
    pages: tuple[Page, ...]
    numbered: bool = False
    """A row numbering the columns stands under the header."""

    @property
    def lanes(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.key == "lane")


# -- columns and header -------------------------------------------------------------------

IDEAL = {"no": 8.0, "kegiatan": 58.0, "kelengkapan": 30.0, "waktu": 17.0, "output": 30.0, "keterangan": 22.0}
"""Widths (mm) the text columns get when the lanes leave room."""
NARROWEST = {"no": 8.0, "kegiatan": 40.0, "kelengkapan": 22.0, "waktu": 13.0, "output": 22.0, "keterangan": 14.0}
"""Widths (mm) they keep however many lanes there are."""
LANE_IDEAL = 18.0
"""Width (mm) a lane gets before the text columns give up any of theirs."""
LANE_WIDEST = 30.0


LANE_NARROWEST = 16.0
"""Width (mm) below which a lane is not made narrower for its title's sake."""


def columns(usable: float, wants: Sequence[float]) -> tuple[Column, ...]:
    """The grid: the text columns at their ideal widths and each lane at least as wide as
    it wants (its title's longest word), the lanes then widened alike, narrowest first, up
    to :data:`LANE_WIDEST`, and what is left to Kegiatan. When the lanes want more than the
    ideal widths leave, the text columns narrow (down to :data:`NARROWEST`), and past that
    every lane narrows in proportion."""
    wants = list(wants) or [LANE_IDEAL]
    widths = dict(IDEAL)
    room = usable - sum(IDEAL.values())
    total = sum(wants)
    if total <= room:
        lanes = _level(wants, room)
    else:
        give = sum(IDEAL[k] - NARROWEST[k] for k in IDEAL)
        need = min(total - room, give)
        for key in widths:
            widths[key] -= (IDEAL[key] - NARROWEST[key]) * need / give
        scale = min(1.0, (room + need) / total)
        lanes = [want * scale for want in wants]
    widths["kegiatan"] += usable - sum(widths.values()) - sum(lanes)
    out: list[Column] = []
    x = 0.0
    for key in ("no", "kegiatan"):
        out.append(Column(key, x, widths[key]))
        x += widths[key]
    for index, lane in enumerate(lanes):
        out.append(Column("lane", x, lane, index))
        x += lane
    for key in ("kelengkapan", "waktu", "output", "keterangan"):
        out.append(Column(key, x, widths[key]))
        x += widths[key]
    return tuple(out)


def _level(wants: list[float], room: float) -> list[float]:
    """Lanes raised to one common width where ``room`` allows (a lane wanting more keeps its
    want), never past :data:`LANE_WIDEST` unless it wants more."""
    low, high = 0.0, LANE_WIDEST
    for _ in range(40):
        middle = (low + high) / 2
        if sum(max(want, middle) for want in wants) <= room:
            low = middle
        else:
            high = middle
    return [max(want, low) for want in wants]


def _inner(width: float, pad: float) -> float:
    """The width (pt) text may take in a cell ``width`` mm wide with ``pad`` mm each side."""
    return (width - 2 * pad) / PT * SAFETY


def _header_text(text: str, width: float) -> HeaderText:
    size = textfit.fitting_size([text], _inner(width, HEADER_PAD), HEADER_SIZES, bold=True)
    return HeaderText(text, size or HEADER_SIZES[-1])


def _text_height(text: HeaderText, width: float) -> float:
    return textfit.block_height([text.text], _inner(width, HEADER_PAD), text.size, bold=True) * PT + 2 * HEADER_PAD


def lane_titles(sop: Sop, usable: float) -> tuple[list[float], float | None]:
    """Per lane, the width its title asks for, and the titles' type size: the largest size
    at which the longest word of every title fits its lane while the text columns keep their
    ideal widths, else 6.5 pt (then 6) with the text columns narrowed as far as that needs;
    ``None`` (titles set bottom to top, lanes alike) when not even 6 pt fits."""
    names = list(sop.role_names) or [""]
    room = usable - sum(IDEAL.values())
    budget = usable - sum(NARROWEST.values())

    def wants(size: float) -> list[float]:
        return [
            max(
                LANE_NARROWEST,
                max((textfit.text_width(word, size, bold=True) for word in name.split()), default=0.0) * PT / SAFETY
                + 2 * HEADER_PAD
                + 0.2,
            )
            for name in names
        ]

    # The largest type the lanes hold while the text columns keep their widths; else the
    # smallest readable type (6.5 pt, then 6), narrowing the text columns as little as it can.
    for size in HEADER_SIZES[:-1]:
        found = wants(size)
        if sum(found) <= room:
            return found, size
    for size in HEADER_SIZES[-2:]:
        found = wants(size)
        if sum(found) <= budget:
            return found, size
    return [budget / len(names)] * len(names), None


def header(sop: Sop, grid: Sequence[Column], titles_size: float | None = None) -> Header:
    """The header's type: each cell at the largest size its longest word fits in; the lane
    titles all at one size, or (when a word of one cannot fit a lane even at the smallest
    size) all set bottom to top, the row as tall as the longest title needs."""
    by_key = {column.key: column for column in grid if column.key != "lane"}
    lanes = [column for column in grid if column.key == "lane"]
    span = sum(column.width for column in lanes)
    mutu_span = sum(by_key[key].width for key in ("kelengkapan", "waktu", "output"))
    top = {
        "no": _header_text(sop.label("no"), by_key["no"].width),
        "kegiatan": _header_text(sop.label("kegiatan"), by_key["kegiatan"].width),
        "pelaksana": _header_text(sop.label("pelaksana"), span),
        "mutu_baku": _header_text(sop.label("mutu_baku"), mutu_span),
        "keterangan": _header_text(sop.label("keterangan"), by_key["keterangan"].width),
    }
    mutu = tuple(_header_text(sop.label(key), by_key[key].width) for key in ("kelengkapan", "waktu", "output"))
    names = list(sop.role_names)
    widths = [column.width for column in lanes]
    mutu_height = max(
        _text_height(text, by_key[key].width)
        for text, key in zip(mutu, ("kelengkapan", "waktu", "output"), strict=True)
    )
    fits = [
        size
        for size in HEADER_SIZES
        if all(
            textfit.words_fit(name, _inner(w, HEADER_PAD), size, bold=True)
            for name, w in zip(names, widths, strict=True)
        )
    ]
    size = fits[0] if fits else titles_size
    if size is not None and all(
        textfit.words_fit(name, (w - 2 * HEADER_PAD) / PT, size, bold=True)
        for name, w in zip(names, widths, strict=True)
    ):
        titles = tuple(HeaderText(name, size) for name in names)
        second = max([_text_height(t, w) for t, w in zip(titles, widths, strict=True)] + [mutu_height])
    else:
        size = 7.0
        across = (min(widths, default=20.0) - 2 * HEADER_PAD) / PT  # the room for lines side by side (pt)
        height = 16.0
        while height < 80:
            room = _inner(height, HEADER_PAD)
            if all(
                textfit.words_fit(name, room, size, bold=True)
                and textfit.block_height([name], room, size, bold=True) <= across
                for name in names
            ):
                break
            height += 2.0
        titles = tuple(HeaderText(name, size, rotated=True) for name in names)
        second = max(height, mutu_height)
    first = max(_text_height(top["pelaksana"], span), _text_height(top["mutu_baku"], mutu_span))
    # No, Kegiatan and Keterangan span both rows: the rows together must hold them.
    spanning = max(_text_height(top[key], by_key[key].width) for key in ("no", "kegiatan", "keterangan"))
    second = max(second, spanning - first)
    return Header((round(first, 2), round(second, 2)), top, titles, mutu)  # type: ignore[arg-type]


# -- rows ---------------------------------------------------------------------------------


def _cell(texts: list[str], width: float, largest: float = BODY_SIZES[0]) -> tuple[CellText, float]:
    """A body cell's text at the largest size (up to ``largest``) its words fit, and its
    height (mm)."""
    inner = _inner(width, CELL_PAD_X)
    sizes = tuple(size for size in BODY_SIZES if size <= largest)
    size = textfit.fitting_size(texts, inner, sizes) or BODY_SIZES[-1]
    height = textfit.block_height(texts, inner, size) * PT + 2 * CELL_PAD_Y if texts else 2 * CELL_PAD_Y
    return CellText(tuple(texts), size), height


def step_texts(step: Step) -> dict[str, list[str]]:
    """The text of each of a step's cells, by column key."""
    return {
        "no": [step.no],
        "kegiatan": [step.kegiatan],
        "kelengkapan": [item.text for item in step.kelengkapan],
        "waktu": [step.waktu.text] if step.waktu else [],
        "output": [item.text for item in step.output],
        "keterangan": [step.keterangan] if step.keterangan else [],
    }


@dataclass(frozen=True)
class Shapes:
    """Symbol sizes (mm) for a lane width."""

    proses: tuple[float, float]
    keputusan: tuple[float, float]
    terminator: tuple[float, float]

    @classmethod
    def for_lane(cls, lane: float) -> Shapes:
        box = min(lane - 4.0, 16.0)
        diamond = min(lane - 5.0, 14.0)  # a gutter each side for the arrows that run past it
        return cls((box, 6.0), (diamond, min(7.5, diamond * 0.7)), (box, 5.5))

    def size(self, kind: str) -> tuple[float, float]:
        if kind == "penghubung":
            return CONNECTOR_SIZE
        found: tuple[float, float] = getattr(self, kind)
        return found


def _row(step: Step, grid: Sequence[Column], kinds: list[str], shapes: Shapes, largest: float) -> Row:
    """A step's row: each cell's text (at most ``largest`` pt), and a height that holds the
    tallest cell and the step's symbols with room for the arrows around them."""
    by_key = {column.key: column for column in grid if column.key != "lane"}
    texts: dict[str, CellText] = {}
    height = 6.0
    for key, lines in step_texts(step).items():
        texts[key], needed = _cell(lines, by_key[key].width, largest)
        height = max(height, needed)
    for kind in kinds:
        room = DECISION_CLEARANCE if kind == "keputusan" or len(kinds) > 1 else CLEARANCE
        height = max(height, shapes.size(kind)[1] + 2 * room)
    return Row(0.0, round(height + 0.05, 2), step, texts)


# -- the layout ---------------------------------------------------------------------------


def symbol_kinds(sop: Sop, step: Step) -> list[str]:
    """What each of a step's symbols is drawn as: decision, process, or (the first and last
    symbol of the procedure, performed by one role) start/end capsule."""
    flow = sop.flow_steps
    ends = {flow[0].key, flow[-1].key} if sop.terminators and flow else set()
    out = []
    count = 1 if step.performance is Performance.BERSAMA else len(step.roles)
    for index in range(count):
        kind = step.symbol_kinds[index] if index < len(step.symbol_kinds) else step.kind
        if kind is StepKind.KEPUTUSAN:
            out.append("keputusan")
        elif step.key in ends and len(step.roles) == 1:
            out.append("terminator")
        else:
            out.append("proses")
    return out


def _paginate(rows: list[Row], sop: Sop, room: float) -> list[list[Row]]:
    """Rows into pages. A page starts at a step the SOP starts a page with; otherwise the
    procedure stays on one page when it fits there, and when it does not it is shared out
    evenly over as few pages as hold it (each keeping room for a strip of connectors at the
    top, but on the first page, and at the bottom, but on the last), at most the SOP's
    steps per page each."""
    parts: list[list[Row]] = [[]]
    for row in rows:
        if parts[-1] and row.step is not None and row.step.key in sop.page_breaks:
            parts.append([])
        parts[-1].append(row)
    limit = sop.steps_per_page or len(rows) or 1
    if len(parts) == 1 and len(rows) <= limit and sum(r.height for r in rows) <= room:
        return [rows]
    pages: list[list[Row]] = []
    for number, part in enumerate(parts):
        first, last = number == 0, number == len(parts) - 1
        count = 1
        while True:
            split = _share(part, count, room, limit, first, last)
            if split is not None:
                pages += split
                break
            count += 1
    return pages


def _share(rows: list[Row], count: int, room: float, limit: int, first: bool, last: bool) -> list[list[Row]] | None:
    """``rows`` over ``count`` pages, each page near an even share of their height (``None``
    when they do not fit); ``first``/``last``: the part opens/closes the procedure."""
    pages: list[list[Row]] = []
    left = list(rows)
    for number in range(count):
        strips = (0.0 if first and number == 0 else CONNECTOR_ROW) + (
            0.0 if last and number == count - 1 else CONNECTOR_ROW
        )
        capacity = room - strips
        remaining = count - number
        share = sum(r.height for r in left) / remaining
        page: list[Row] = []
        used = 0.0
        while left and len(page) < limit:
            height = left[0].height
            if page and (used + height > capacity or (remaining > 1 and used + height / 2 > share)):
                break
            page.append(left.pop(0))
            used += height
        if used > capacity and len(page) > 1:
            return None
        pages.append(page)
    return None if left else [page for page in pages if page]


def page_size(sop: Sop, paper: str) -> tuple[float, float]:
    """Width and height (mm) of the sheet's pages: landscape, upright where the office's paper
    is (``cetak.orientasi: tegak``)."""
    width, height = PAPER.get(sop.paper or paper, PAPER["A4"])
    return (height, width) if _form(sop, "portrait", False) else (width, height)


def _form(sop: Sop, name: str, default: bool) -> bool:
    """A setting of how the office's paper draws its table (``Sop.form``)."""
    form = getattr(sop, "form", None)
    return bool(getattr(form, name, default))


NUMBER_ROW = 4.2
"""Height (mm) of the row numbering the columns under the header (``cetak.nomor_kolom``)."""


def layout(sop: Sop, paper: str, tokens: dict[tuple[str, int], tuple[str, str]]) -> Layout:
    """The procedure's layout on ``paper`` (A4 or F4, landscape). ``tokens`` gives, per
    (step key, symbol index), the symbol's title and alternative text."""
    size = page_size(sop, paper)
    usable = size[0] - 2 * MARGIN - 1.0
    wants, titles_size = lane_titles(sop, usable)
    grid = columns(usable, wants)
    head = header(sop, grid, titles_size)
    lanes = [column for column in grid if column.key == "lane"]
    shapes = Shapes.for_lane(min((lane.width for lane in lanes), default=20.0))
    title = None
    title_height = 0.0
    if sop.judul_uraian:
        title_size = 9.0
        title = CellText((sop.judul_uraian,), title_size)
        title_height = textfit.block_height([sop.judul_uraian], usable / PT * SAFETY, title_size, bold=True) * PT + 2.0
    numbers = NUMBER_ROW if _form(sop, "column_numbers", False) else 0.0
    room = size[1] - 2 * MARGIN - head.height - numbers - max(title_height, 2.0) - PAGE_SLACK
    # The body type steps down (to a readable floor) when that saves a page: a procedure the
    # paper holds on one page holds on one here.
    chosen: list[list[Row]] = []
    for largest in TEXT_STEPS:
        kinds = [symbol_kinds(sop, step) if step.has_symbol else [] for step in sop.langkah]
        rows = [_row(step, grid, k, shapes, largest) for step, k in zip(sop.langkah, kinds, strict=True)]
        split = _paginate(rows, sop, room)
        if not chosen or len(split) < len(chosen):
            chosen = split
        if len(chosen) == 1:
            break
    pages = [_Page(sop, grid, shapes, head.height + numbers, chunk) for chunk in chosen]
    _connect(sop, pages, tokens)
    return Layout(size, grid, head, title, tuple(page.done() for page in pages), numbers > 0)


class _Page:
    """A page being laid out: its step rows, then the connector strips and symbols."""

    def __init__(self, sop: Sop, grid: Sequence[Column], shapes: Shapes, top: float, rows: list[Row]) -> None:
        self.sop = sop
        self.grid = grid
        self.lanes = [column for column in grid if column.key == "lane"]
        self.shapes = shapes
        self.top = top
        self.steps = rows
        self.head: Row | None = None
        """The strip of connectors over the steps (``None``: not needed)."""
        self.foot: Row | None = None
        self.symbols: list[Symbol] = []
        self.routes: list[Route] = []
        self.of_step: dict[tuple[str, int], Symbol] = {}
        self.pending: list[tuple[Symbol | tuple[str, int], Symbol | tuple[str, int] | None, str, str]] = []
        """Arrows to draw once every symbol stands: (from, to, label, words); an arrow to
        ``None`` is a Tidak the SOP leaves open (a short arrow to nowhere)."""

    @property
    def keys(self) -> set[str]:
        return {row.step.key for row in self.steps if row.step is not None}

    def strip(self, where: str) -> Row:
        """The connector strip at the top (``head``) or bottom (``foot``) of the page."""
        if where == "head":
            self.head = self.head or Row(0.0, CONNECTOR_ROW)
            return self.head
        self.foot = self.foot or Row(0.0, CONNECTOR_ROW)
        return self.foot

    @property
    def rows(self) -> list[Row]:
        return [row for row in (self.head, *self.steps, self.foot) if row is not None]

    def place(self, tokens: dict[tuple[str, int], tuple[str, str]]) -> None:
        """Row tops, then each step's symbols in their lanes."""
        y = self.top
        for row in self.rows:
            row.top = y
            y += row.height
        names = [role.name for role in self.sop.pelaksana]
        for number, row in enumerate(self.rows):
            step = row.step
            if step is None or not step.has_symbol:
                continue
            kinds = symbol_kinds(self.sop, step)
            lanes = [names.index(role) for role in step.roles if role in names]
            if not lanes:
                continue
            if step.performance is Performance.BERSAMA:
                low, high = min(lanes), max(lanes)
                width, height = self.shapes.size(kinds[0])
                x0 = self.lane_center(low) - width / 2
                x1 = self.lane_center(high) + width / 2
                self._symbol(step, 0, kinds[0], x0, x1, height, row, number, low, tokens)
                continue
            for index, lane in enumerate(lanes):
                width, height = self.shapes.size(kinds[index])
                center = self.lane_center(lane)
                self._symbol(
                    step, index, kinds[index], center - width / 2, center + width / 2, height, row, number, lane, tokens
                )

    def _symbol(
        self,
        step: Step,
        index: int,
        kind: str,
        x0: float,
        x1: float,
        height: float,
        row: Row,
        number: int,
        lane: int,
        tokens: dict[tuple[str, int], tuple[str, str]],
    ) -> None:
        title, words = tokens.get((step.key, index), ("", ""))
        symbol = Symbol(
            kind,
            x0,
            row.middle - height / 2,
            x1,
            row.middle + height / 2,
            number,
            lane,
            step.no if _form(self.sop, "symbol_numbers", True) else "",
            title,
            words,
            step.key,
            index,
        )
        self.symbols.append(symbol)
        self.of_step[(step.key, index)] = symbol

    def lane_at(self, x: float) -> int:
        """The lane ``x`` lies in."""
        return max((lane.lane for lane in self.lanes if lane.x <= x), default=0)

    def lane_center(self, lane: int) -> float:
        column = self.lanes[lane]
        return column.x + column.width / 2

    def connector(self, where: str, lane: int, letter: str, words: str) -> Symbol:
        """An off-page connector in a strip (``head`` or ``foot``), beside those already in
        that lane's part of the strip: 0, +6, -6, +12 mm... from the lane's middle."""
        row = self.strip(where)
        width, height = CONNECTOR_SIZE
        taken = sum(1 for s in self.symbols if s.kind == "penghubung" and s.lane == lane and s.strip == where)
        shift = (width + 1.0) * ((taken + 1) // 2) * (1 if taken % 2 else -1)
        center = self.lane_center(lane) + shift
        number = self.rows.index(row)
        symbol = Symbol(
            "penghubung",
            center - width / 2,
            row.middle - height / 2,
            center + width / 2,
            row.middle + height / 2,
            number,
            lane,
            letter,
            words=words,
            strip=where,
        )
        self.symbols.append(symbol)
        return symbol

    def done(self) -> Page:
        return Page(self.rows, self.symbols, self.routes)


def _letter(index: int) -> str:
    """A, B, ..., Z, AA, AB, ...: the letters of off-page connector pairs."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _arrows(sop: Sop) -> Iterable[tuple[str, int, str, int, str]]:
    """Every arrow of the flow: (from step, its symbol, to step, its symbol, label)."""
    for step in sop.langkah:
        if not step.has_symbol:
            continue
        count = 1 if step.performance is Performance.BERSAMA else len(step.roles)
        last = count - 1
        for index in range(last):  # a chain: each symbol hands on to the next
            kind = step.symbol_kinds[index] if index < len(step.symbol_kinds) else StepKind.PROSES
            yield step.key, index, step.key, index + 1, "Ya" if kind is StepKind.KEPUTUSAN else ""
        for branch in step.branches:
            if branch.target is None or not getattr(branch, "drawn", True):
                continue
            source = last if branch.source < 0 or branch.source > last else branch.source
            label = {BranchKind.YA: "Ya", BranchKind.TIDAK: "Tidak"}.get(branch.kind, "")
            target = sop.step(branch.target)
            entry = 0 if target.performance is Performance.BERSAMA else branch.entry
            yield step.key, source, branch.target, entry, label


def _connect(sop: Sop, pages: list[_Page], tokens: dict[tuple[str, int], tuple[str, str]]) -> None:
    """Symbols on every page, connectors where an arrow turns the page, then the arrows."""
    page_of = {key: number for number, page in enumerate(pages) for key in page.keys}
    crossing: list[tuple[str, int, str, int, str]] = []
    for arrow in _arrows(sop):
        if page_of.get(arrow[0]) != page_of.get(arrow[2]):
            crossing.append(arrow)
    # Strips first (they move the rows), then the symbols.
    for source, _index, target, _entry, _label in crossing:
        forward = page_of[target] > page_of[source]
        pages[page_of[source]].strip("foot" if forward else "head")
        pages[page_of[target]].strip("head" if forward else "foot")
    for page in pages:
        page.place(tokens)
    for step in sop.langkah:  # a Tidak the SOP leaves open: a short arrow to nowhere
        last = (1 if step.performance is Performance.BERSAMA else len(step.roles)) - 1
        for branch in step.open_branches:
            if not getattr(branch, "drawn", True):
                continue  # the paper draws no Tidak line at all
            leaving = last if branch.source < 0 or branch.source > last else branch.source
            words = f"Tidak: dari langkah {step.no}, lihat uraian kegiatan"
            pages[page_of[step.key]].pending.append(((step.key, leaving), None, "Tidak", words))
    number = 0
    for arrow in _arrows(sop):
        source, index, target, entry, label = arrow
        here, there = page_of[source], page_of[target]
        words = f"{label + ': ' if label else ''}dari langkah {sop.step(source).no} ke langkah {sop.step(target).no}"
        if here == there:
            pages[here].pending.append(((source, index), (target, entry), label, words))
            continue
        letter = _letter(number)
        number += 1
        forward = there > here
        source_step, target_step = sop.step(source), sop.step(target)
        source_lane = pages[here].lane_at(pages[here].of_step[(source, index)].cx)
        target_lane = pages[there].lane_at(pages[there].of_step[(target, entry)].cx)
        out = pages[here].connector(
            "foot" if forward else "head",
            source_lane,
            letter,
            f"Penghubung {letter}: ke langkah {target_step.no}, halaman berikut"
            if forward
            else f"Penghubung {letter}: kembali ke langkah {target_step.no}, halaman sebelumnya",
        )
        into = pages[there].connector(
            "head" if forward else "foot", target_lane, letter, f"Penghubung {letter}: dari langkah {source_step.no}"
        )
        pages[here].pending.append(((source, index), out, label, words))
        pages[there].pending.append((into, (target, entry), "", words))
    for page in pages:
        _Router(page).route_all()


# -- routing ------------------------------------------------------------------------------


Point = tuple[float, float]


def _boxes_meet(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _overlap(a: Point, b: Point, c: Point, d: Point, axis: int) -> bool:
    """True when segments a-b and c-d both run along ``axis`` (0: vertical, 1: across), on
    one line (within 0.4 mm), and share a stretch."""
    other = 1 - axis
    if abs(a[axis] - b[axis]) > 0.01 or abs(c[axis] - d[axis]) > 0.01 or abs(a[axis] - c[axis]) >= 0.4:
        return False
    return (
        min(a[other], b[other]) < max(c[other], d[other]) - 0.2
        and min(c[other], d[other]) < max(a[other], b[other]) - 0.2
    )


class _Router:
    """The arrows of one page, drawn orthogonally: straight down within a lane, across then
    down into the next row's symbol, or along a gutter beside the lanes' rules when they go
    back up or jump over rows. An arrow never leaves a symbol by a side another arrow already
    leaves or enters by, enters by a side no arrow leaves from, never passes through a
    symbol, and never runs along another arrow (bends in the room over and under a row's
    symbols, runs in the gutters beside the rules, each on a track of its own)."""

    def __init__(self, page: _Page) -> None:
        self.page = page
        self.runs: list[tuple[Point, Point]] = []
        """Every segment drawn so far."""
        self.entries: dict[int, set[str]] = {}
        """Per symbol (by id), the sides arrows enter by."""
        self.relaxed = False
        """Set while an arrow that found no clear way is routed again, crossing what it must."""
        self.crowded = False
        """The arrow being routed found no clear way."""
        self._spread_connectors()

    def _spread_connectors(self) -> None:
        """Connectors sharing a lane's part of a strip, spaced evenly across the lane."""
        groups: dict[tuple[str, int], list[Symbol]] = {}
        for symbol in self.page.symbols:
            if symbol.kind == "penghubung":
                groups.setdefault((symbol.strip, symbol.lane), []).append(symbol)
        for (_strip, lane), group in groups.items():
            column = self.page.lanes[lane]
            width = min(CONNECTOR_SIZE[0], column.width / len(group) - 1.0)
            for number, symbol in enumerate(group):
                center = column.x + column.width * (number + 1) / (len(group) + 1)
                symbol.x0, symbol.x1 = center - width / 2, center + width / 2

    # -- what is free ----------------------------------------------------------------------

    def symbol(self, ref: Symbol | tuple[str, int]) -> Symbol:
        return ref if isinstance(ref, Symbol) else self.page.of_step[ref]

    def blocked(self, x0: float, y0: float, x1: float, y1: float, *skip: Symbol, room: float = 0.5) -> bool:
        """True when the box comes within ``room`` of a symbol other than ``skip``."""
        lo_x, hi_x, lo_y, hi_y = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
        return any(
            s not in skip and s.x0 - room < hi_x and lo_x < s.x1 + room and s.y0 - room < hi_y and lo_y < s.y1 + room
            for s in self.page.symbols
        )

    def along(self, a: Point, b: Point) -> bool:
        """True when segment ``a``-``b`` would run along (overlap) a segment already drawn."""
        return any(_overlap(a, b, c, d, 0) or _overlap(a, b, c, d, 1) for c, d in self.runs)

    def clear(self, a: Point, b: Point, *skip: Symbol) -> bool:
        """True when segment ``a``-``b`` passes no symbol but ``skip`` and runs along no arrow
        (anything is clear once :attr:`relaxed`: a crowded page still gets right angles)."""
        return self.relaxed or (not self.blocked(a[0], a[1], b[0], b[1], *skip) and not self.along(a, b))

    def free(self, symbol: Symbol, side: str) -> bool:
        """True when no arrow leaves or enters ``symbol`` by ``side``."""
        return side not in symbol.exits and side not in self.entries.get(id(symbol), set())

    def band(self, row: int, below: bool, x0: float, x1: float) -> float | None:
        """A free height for a run from ``x0`` to ``x1`` in the room under (``below``) or over
        the symbols of row ``row``: nearest the symbols first, never nearer a symbol than
        0.6 mm nor the row's rule than 0.7 mm."""
        line = self.page.rows[row]
        mine = [s for s in self.page.symbols if s.row == row]
        if below:
            start, limit, step = max((s.y1 for s in mine), default=line.middle) + 1.0, line.bottom - 0.7, TRACK_STEP
        else:
            start, limit, step = min((s.y0 for s in mine), default=line.middle) - 1.0, line.top + 0.7, -TRACK_STEP
        heights = [start + k * step for k in range(8) if (start + k * step - limit) * step <= 0]
        if not heights and (limit - start) * step > -0.5:  # a tight row: its one track midway
            heights = [(start + limit) / 2]
        for y in heights:
            if self.clear((x0, y), (x1, y)):
                return y
        return None

    # -- routing ---------------------------------------------------------------------------

    def route_all(self) -> None:
        pending = self.page.pending
        # Arrows to the next symbol of a row first, then those to a row below, then the rest.
        order = sorted(
            pending, key=lambda p: self._rank(self.symbol(p[0]), self.symbol(p[1])) if p[1] is not None else 3
        )
        for source_ref, target_ref, label, words in order:
            source = self.symbol(source_ref)
            self.crowded = False
            points = self._stub(source) if target_ref is None else self._between(source, self.symbol(target_ref), label)
            self.runs += list(pairwise(points))
            self.page.routes.append(Route(points, source.row, source.lane, words, label, crowded=self.crowded))
        for route in self.page.routes:
            if route.label:
                route.label_at = self._label_place(route)

    def _between(self, source: Symbol, target: Symbol, label: str) -> list[Point]:
        """An arrow's points: the short way, else along a gutter, else (a crowded page) along a
        gutter crossing what it must."""
        found = self._short(source, target, label) or self._long(source, target)
        if found is None:
            self.relaxed = self.crowded = True
            found = self._long(source, target) or [source.port("bottom"), target.port("top")]
            self.relaxed = False
        return found

    def _rank(self, source: Symbol, target: Symbol) -> int:
        if source.row == target.row:
            return 0 if target.cx > source.cx else 2
        return 1 if target.row > source.row else 2

    def _enter(self, target: Symbol, side: str) -> None:
        self.entries.setdefault(id(target), set()).add(side)

    def _short(self, s: Symbol, t: Symbol, label: str) -> list[Point] | None:
        """To the next symbol of the row, or down to a row below without passing a symbol:
        straight, across then down, or down, across under the symbol, and down."""
        if s.row == t.row:
            side, into = ("right", "left") if t.cx > s.cx else ("left", "right")
            start, end = s.port(side), t.port(into)
            if self.free(s, side) and self.free(t, into) and self.clear(start, end, s, t):
                s.exits.add(side)
                self._enter(t, into)
                return [start, end]
            return None
        if t.row < s.row:
            return None
        # Straight down where the two overlap across (one symbol may span several lanes).
        low, high = max(s.x0, t.x0) + 1.0, min(s.x1, t.x1) - 1.0
        if low <= high and self.free(s, "bottom"):
            x = t.cx if low <= t.cx <= high else s.cx if low <= s.cx <= high else (low + high) / 2
            if self.clear((x, s.y1), (x, t.y0), s, t):
                s.exits.add("bottom")
                self._enter(t, "top")
                return [(x, s.y1), (x, t.y0)]
        top = t.port("top")
        side = "right" if t.cx > s.cx else "left"
        if s.kind != "keputusan" or label != "Ya":  # a decision's Ya goes down
            start = s.port(side)
            corner = (t.cx, start[1])
            if self.free(s, side) and self.clear(start, corner, s) and self.clear(corner, top, t):
                s.exits.add(side)
                self._enter(t, "top")
                return [start, corner, top]
        if self.free(s, "bottom"):
            start = s.port("bottom")
            y = self.band(s.row, True, s.cx, t.cx)
            if y is not None and self.clear(start, (s.cx, y), s) and self.clear((t.cx, y), top, t):
                s.exits.add("bottom")
                self._enter(t, "top")
                return [start, (s.cx, y), (t.cx, y), top]
        return None

    def _long(self, s: Symbol, t: Symbol) -> list[Point] | None:
        """Out of the source, along a gutter beside the target's lane, and into the target's
        side (the side facing the source unless an arrow leaves the target there); or, within
        a row, under both symbols into the target's bottom (or over them into its top)."""
        for side, below in (("bottom", True), ("top", False)):  # within a row: under, else over
            if s.row != t.row or not self.free(s, side) or not self.free(t, side):
                continue
            y = self.band(s.row, below, s.cx, t.cx)
            if y is not None:
                points = [s.port(side), (s.cx, y), (t.cx, y), t.port(side)]
                if all(self.clear(a, b, s, t) for a, b in pairwise(points)):
                    s.exits.add(side)
                    self._enter(t, side)
                    return points
        facing = "left" if s.cx < t.cx - 0.5 else "right"
        sides = [facing, "right" if facing == "left" else "left"]
        sides.sort(key=lambda side: (side in t.exits, side in self.entries.get(id(t), set())))
        for into in sides:
            end = t.port(into)
            rule = t.lane if into == "left" else self._right_lane(t) + 1
            for x in self._gutter(rule, into):
                leg = self._leg(s, x, end[1])
                if leg is None:
                    continue
                points = [*leg[0], (x, end[1]), end]
                if not self.clear((x, points[-3][1]), (x, end[1])) or not self.clear((x, end[1]), end, t):
                    continue
                s.exits.add(leg[1])
                self._enter(t, into)
                return points
        return None  # nowhere clear

    def _stub(self, s: Symbol) -> list[Point]:
        """A short arrow out of a free side, to nowhere (a Tidak the SOP leaves open)."""
        lanes = self.page.lanes
        left, right = lanes[0].x + RULE_GAP, lanes[-1].x + lanes[-1].width - RULE_GAP
        for side, dx, dy in (("right", 1, 0), ("left", -1, 0), ("bottom", 0, 1)):
            if not self.free(s, side):
                continue
            start = s.port(side)
            end = (start[0] + dx * STUB, start[1] + dy * (CLEARANCE - 0.6))
            if left <= end[0] <= right and self.clear(start, end, s):
                s.exits.add(side)
                return [start, end]
        start = s.port("bottom")
        return [start, (start[0], start[1] + CLEARANCE - 0.6)]

    def _leg(self, s: Symbol, x: float, toward: float) -> tuple[list[Point], str] | None:
        """The way out of ``s`` to the gutter at ``x`` (then run up or down to ``toward``):
        straight across from the side facing it, else down (or up) into the room under (or
        over) the row's symbols and across there, else out of the other side and round."""
        facing = "right" if x > s.cx else "left"
        start = s.port(facing)
        if self.free(s, facing) and self.clear(start, (x, start[1]), s):
            return [start, (x, start[1])], facing
        going_up = toward < s.cy
        for side, below in (("top", False), ("bottom", True)) if going_up else (("bottom", True), ("top", False)):
            if not self.free(s, side):
                continue
            port = s.port(side)
            y = self.band(s.row, below, s.cx, x)
            if y is not None and self.clear(port, (s.cx, y), s):
                return [port, (s.cx, y), (x, y)], side
        other = "left" if facing == "right" else "right"
        if self.free(s, other):
            port = s.port(other)
            out = port[0] + (1.2 if other == "right" else -1.2)
            for below in (not going_up, going_up):
                y = self.band(s.row, below, out, x)
                if y is not None and self.clear(port, (out, port[1]), s) and self.clear((out, port[1]), (out, y), s):
                    return [port, (out, port[1]), (out, y), (x, y)], other
        return None

    def _right_lane(self, t: Symbol) -> int:
        """The rightmost lane a symbol covers (a joint step's spans several)."""
        lanes = self.page.lanes
        return max((i for i, lane in enumerate(lanes) if lane.x < t.x1), default=t.lane)

    def _gutter(self, rule: int, into: str) -> list[float]:
        """Tracks beside lane rule ``rule``, nearest first: in the target's lane first
        (``into`` is the target's side facing the rule), never nearer the rule than
        :data:`RULE_GAP`."""
        lanes = self.page.lanes
        edge = lanes[rule].x if rule < len(lanes) else lanes[-1].x + lanes[-1].width
        inside = 1 if into == "left" else -1  # from the rule towards the target's lane
        directions = [inside, -inside] if 0 < rule < len(lanes) else [1 if rule == 0 else -1]
        return [edge + direction * (RULE_GAP + step * TRACK_STEP) for direction in directions for step in range(5)]

    # -- labels ----------------------------------------------------------------------------

    def _label_place(self, route: Route) -> Point:
        """The top-left of a label beside its arrow, as near the symbol the arrow leaves as it
        can be: along the first segment (then the second), beside one going down, above or
        below one going across; the first place that touches no arrow, no symbol and no rule
        of the table."""
        width, height = label_size(route.label)
        candidates: list[Point] = []
        for (x0, y0), (x1, y1) in list(pairwise(route.points))[:2]:
            length = abs(x1 - x0) + abs(y1 - y0)
            for offset in [0.0, *(0.5 + k for k in range(int(length)))]:
                if abs(x1 - x0) < 0.01:  # down or up
                    sign = 1 if y1 > y0 else -1
                    y = y0 + sign * (0.4 + offset) - (height if sign < 0 else 0.0)
                    candidates += [(x0 + 0.6, y), (x0 - 0.6 - width, y)]
                else:
                    sign = 1 if x1 > x0 else -1
                    x = x0 + sign * (0.5 + offset) - (width if sign < 0 else 0.0)
                    candidates += [(x, y0 - height - 0.3), (x, y0 + 0.3)]
        for left, top in candidates:
            box = (left, top, left + width, top + height)
            if (
                not self._crosses(box)
                and not self.blocked(*box, room=0.0)
                and not self._on_rule(box)
                and not any(
                    _boxes_meet(box, other.label_box) for other in self.page.routes if other.label_at != (0.0, 0.0)
                )
            ):
                return left, top
        return candidates[0]

    def _on_rule(self, box: tuple[float, float, float, float]) -> bool:
        """True when ``box`` lies across a rule of the table (between two rows or lanes) or
        within 0.5 mm of one."""
        x0, y0, x1, y1 = box
        rules_y = [row.top for row in self.page.rows] + [self.page.rows[-1].bottom]
        rules_x = [lane.x for lane in self.page.lanes] + [self.page.lanes[-1].x + self.page.lanes[-1].width]
        return any(y0 - 0.5 < y < y1 + 0.5 for y in rules_y) or any(x0 - 0.5 < x < x1 + 0.5 for x in rules_x)

    def _crosses(self, box: tuple[float, float, float, float]) -> bool:
        """True when an arrow passes through ``box``."""
        x0, y0, x1, y1 = box
        for route in self.page.routes:
            for (ax, ay), (bx, by) in pairwise(route.points):
                if min(ax, bx) <= x1 and x0 <= max(ax, bx) and min(ay, by) <= y1 and y0 <= max(ay, by):
                    return True
        return False
