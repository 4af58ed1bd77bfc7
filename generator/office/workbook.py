"""Fillable Excel workbooks (XlsxWriter) from document definitions.

Every workbook has a Petunjuk (instructions) sheet, its form and table sheets and a
hidden Daftar sheet with the choice lists. Input cells are unlocked and tinted; labels,
headers and formulas are locked; sheets are protected without a password so an office
can still adapt a template. Every typed input has data validation with an input and an
error message. Text from the sources is always written as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from generator.model.documents import PLACEHOLDER, Column, Document, Field, Kind, SheetDef
from generator.model.sop import Sop, Step
from generator.office.xlsx import Workbook

PAPER_CODES = {"A4": 9, "F4": 14}
"""Excel paper codes: 9 = A4, 14 = Folio 8.5 x 13 in (the F4 offices use)."""

CHECK = "✓"
"""The mark a checkbox cell takes."""

LIST_SHEET = "Daftar"
INSTRUCTIONS_SHEET = "Petunjuk"

NUMBER_FORMATS = {"bulat": "#,##0", "desimal": "#,##0.00", "persen": "0.00", "tanggal": "dd/mm/yyyy", "teks": "@"}


def _name(text: str) -> str:
    """A workbook-level defined name made from free text."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", text)
    return cleaned if cleaned[:1].isalpha() else f"N_{cleaned}"


@dataclass
class _Plan:
    """Where a table sheet's parts land (0-based rows and columns)."""

    sheet: SheetDef
    columns: dict[str, int] = field(default_factory=dict)
    header_row: int = 0
    first_row: int = 0
    last_row: int = 0
    total_row: int | None = None


@dataclass(frozen=True)
class WorkbookContext:
    """What a workbook is made for: an SOP and the steps that use the document (or nothing)."""

    sop: Sop | None = None
    steps: tuple[Step, ...] = ()
    created: dt.datetime = dt.datetime(2000, 1, 1)


class _Formats:
    def __init__(self, book: Workbook) -> None:
        base = {"font_name": "Arial", "font_size": 10, "valign": "top", "text_wrap": True}
        self.title = book.add_format({**base, "bold": True, "font_size": 13, "text_wrap": False})
        self.subtitle = book.add_format({**base, "italic": True, "font_color": "#444444", "text_wrap": False})
        self.label = book.add_format({**base, "bold": True})
        self.given = book.add_format({**base, "locked": True})
        self.given_border = book.add_format({**base, "locked": True, "border": 1})
        self.head = book.add_format(
            {**base, "bold": True, "border": 1, "bg_color": "#DCE3F3", "align": "center", "valign": "vcenter"}
        )
        self.inputs: dict[str, Format] = {}
        self.formulas: dict[str, Format] = {}
        self.totals: dict[str, Format] = {}
        for key, number_format in {**NUMBER_FORMATS, "": "General"}.items():
            self.inputs[key] = book.add_format(
                {**base, "locked": False, "border": 1, "bg_color": "#FFF6CC", "num_format": number_format}
            )
            self.formulas[key] = book.add_format(
                {**base, "locked": True, "border": 1, "bg_color": "#EEF0F6", "num_format": number_format}
            )
            self.totals[key] = book.add_format(
                {**base, "locked": True, "border": 1, "bg_color": "#DCE3F3", "bold": True, "num_format": number_format}
            )
        self.check = book.add_format({**base, "locked": False, "border": 1, "bg_color": "#FFF6CC", "align": "center"})
        # Conditional formats (only the changes): an input that is wrong, a result that says so.
        self.wrong_input = book.add_format({"bg_color": "#F8C9C4", "font_color": "#8B0000", "bold": True})
        self.wrong_result = book.add_format({"font_color": "#B00000", "bold": True})
        self.note = book.add_format({**base, "font_color": "#444444"})


def _input_format_key(kind: Kind) -> str:
    return {
        Kind.BULAT: "bulat",
        Kind.DESIMAL: "desimal",
        Kind.PERSEN: "persen",
        Kind.TANGGAL: "tanggal",
        Kind.TEKS: "teks",
    }.get(kind, "")


VALIDATION_TEXT: dict[Kind, tuple[str, str]] = {
    Kind.TEKS: ("Isian teks", "Ketik teks, paling banyak 2.000 karakter."),
    Kind.BULAT: ("Bilangan bulat", "Ketik bilangan bulat, tanpa titik ribuan, mis. 12."),
    Kind.DESIMAL: ("Angka", "Ketik angka; pakai koma atau titik desimal sesuai pengaturan komputer."),
    Kind.PERSEN: ("Persen", "Ketik angka persen antara 0 dan 1000, tanpa tanda %, mis. 85,5."),
    Kind.TANGGAL: ("Tanggal", "Ketik tanggal, mis. 31/12/2025."),
    Kind.PILIHAN: ("Pilihan", "Pilih salah satu dari daftar (klik panah di sisi sel)."),
    Kind.CENTANG: ("Centang", f"Pilih {CHECK} bila berlaku; kosongkan bila tidak."),
}


CHECK_MARK = "Periksa"
"""How a formula's result begins when an input it reads is wrong: totals and other formulas
look for it, so one wrong entry shows as wrong all the way to the final score."""

NUMBER_KINDS = (Kind.BULAT, Kind.DESIMAL, Kind.PERSEN)


def _flagged(ref: str) -> str:
    """A condition: the cell (or any cell of the range) ``ref`` holds a "Periksa ..." result."""
    return f'SUMPRODUCT(--(LEFT({ref},{len(CHECK_MARK)})="{CHECK_MARK}"))>0'


def _excel_text(text: str) -> str:
    """A string literal in a formula."""
    return '"' + text.replace('"', '""') + '"'


def _number_text(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def _validation(kind: Kind, list_ref: str = "", minimum: float | None = None) -> dict[str, Any]:
    rule = _base_validation(kind, list_ref)
    if minimum is not None and kind in NUMBER_KINDS:
        shown = _number_text(minimum).replace(".", ",")
        rule.update(
            minimum=max(minimum, rule["minimum"]),
            error_message=rule["error_message"].rstrip(".") + f", paling kecil {shown}.",
        )
    return rule


def _base_validation(kind: Kind, list_ref: str = "") -> dict[str, Any]:
    title, message = VALIDATION_TEXT[kind]
    common = {"input_title": title, "input_message": message, "error_title": "Isian tidak sesuai", "error_type": "stop"}
    if kind is Kind.TEKS:
        return {
            **common,
            "validate": "length",
            "criteria": "<=",
            "value": 2000,
            "error_message": "Teks terlalu panjang (paling banyak 2.000 karakter).",
        }
    if kind is Kind.BULAT:
        return {
            **common,
            "validate": "integer",
            "criteria": "between",
            "minimum": -999_999_999,
            "maximum": 999_999_999,
            "error_message": "Isi dengan bilangan bulat.",
        }
    if kind is Kind.DESIMAL:
        return {
            **common,
            "validate": "decimal",
            "criteria": "between",
            "minimum": -1e15,
            "maximum": 1e15,
            "error_message": "Isi dengan angka.",
        }
    if kind is Kind.PERSEN:
        return {
            **common,
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": 1000,
            "error_message": "Isi dengan angka persen antara 0 dan 1000, tanpa tanda %.",
        }
    if kind is Kind.TANGGAL:
        return {
            **common,
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(1900, 1, 1),
            "maximum": dt.date(2100, 12, 31),
            "error_message": "Isi dengan tanggal, mis. 31/12/2025.",
        }
    return {**common, "validate": "list", "source": list_ref, "error_message": "Pilih salah satu nilai dari daftar."}


class _Builder:
    def __init__(self, document: Document, context: WorkbookContext) -> None:
        self.document = document
        self.context = context
        self.buffer = io.BytesIO()
        self.book = Workbook(
            self.buffer,
            {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
        )
        self.fmt = _Formats(self.book)
        self.lists: dict[str, str] = {}
        self.plans: dict[str, _Plan] = {}
        self.list_sheet: Worksheet | None = None
        self.list_column = 0
        self.span = 1
        """Columns the labels of the current sheet take (the rest holds the values)."""
        self.widths: list[float] = []

    # Choice lists live on a hidden sheet; validations and formulas point at defined names.
    def list_ref(self, values: Sequence[str], name: str) -> str:
        key = _name(f"Daftar_{name}")
        if key in self.lists:
            return self.lists[key]
        assert self.list_sheet is not None
        col = self.list_column
        self.list_column += 1
        self.list_sheet.write_string(0, col, name, self.fmt.label)
        for i, value in enumerate(values, start=1):
            self.list_sheet.write_string(i, col, value)
        letter = xl_col_to_name(col)
        self.book.define_name(key, f"='{LIST_SHEET}'!${letter}$2:${letter}${len(values) + 1}")
        self.lists[key] = f"={key}"
        return self.lists[key]

    def lookup_names(self) -> None:
        assert self.list_sheet is not None
        for name, pairs in self.document.lookups:
            col = self.list_column
            self.list_column += 2
            self.list_sheet.write_string(0, col, name, self.fmt.label)
            for i, (key, number) in enumerate(pairs, start=1):
                self.list_sheet.write_string(i, col, key)
                self.list_sheet.write_number(i, col + 1, number)
            first, second = xl_col_to_name(col), xl_col_to_name(col + 1)
            self.book.define_name(_name(name), f"='{LIST_SHEET}'!${first}$2:${second}${len(pairs) + 1}")
            self.lists[_name(name)] = f"={_name(name)}"
            self.list_ref([k for k, _ in pairs], name + "_kunci")

    def choice_ref(self, choices: tuple[str, ...], list_name: str, fallback: str) -> str:
        if list_name:
            return self.list_ref(self.document.list_values(list_name), list_name)
        return self.list_ref(choices, fallback)

    def build(self) -> bytes:
        document, context = self.document, self.context
        sop = context.sop
        self.book.set_properties(
            {
                "title": document.title,
                "subject": f"Templat {document.title}" + (f" — SOP {sop.nama}" if sop else ""),
                "author": (sop.instansi or sop.pemerintah)
                if sop and (sop.instansi or sop.pemerintah)
                else "Portal SOP",
                "company": sop.instansi if sop else "",
                "comments": f"Dibuat oleh Portal SOP dari {document.source} (sidik {document.fingerprint}).",
                "created": context.created,
            }
        )
        instructions = self.book.add_worksheet(INSTRUCTIONS_SHEET)
        sheets = [(sheet, self.book.add_worksheet(sheet.name)) for sheet in document.sheets]
        self.list_sheet = self.book.add_worksheet(LIST_SHEET)
        self.list_sheet.hide()
        self.list_sheet.protect()
        self.list_ref([CHECK], "centang")
        for name, values in document.lists:
            self.list_ref(values, name)
        self.lookup_names()
        for sheet, _ws in sheets:
            if sheet.kind == "tabel":
                self.plans[sheet.name] = self.plan_table(sheet)
        self.write_instructions(instructions)
        for sheet, ws in sheets:
            if sheet.kind == "formulir":
                self.write_form(sheet, ws)
            else:
                self.write_table(sheet, ws)
        sheets[0][1].activate()
        instructions.set_first_sheet()
        self.book.close()
        return self.buffer.getvalue()

    # -- shared parts -------------------------------------------------------------------
    def page_setup(self, ws: Worksheet, repeat_row: int | None) -> None:
        document = self.document
        ws.set_paper(PAPER_CODES[document.paper])
        if document.landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        ws.fit_to_pages(1, 0)
        if repeat_row is not None:
            ws.repeat_rows(repeat_row)
        title = document.title.replace("&", "&&")
        ws.set_footer(f"&L&8{title}&R&8Halaman &P dari &N")
        ws.protect(
            "",
            {"format_columns": True, "format_rows": True, "select_locked_cells": True, "select_unlocked_cells": True},
        )

    def begin_sheet(self, widths: Sequence[float]) -> None:
        """Remember the column widths; labels take as many columns as make 16 characters."""
        self.widths = list(widths)
        total, span = 0.0, 0
        while span < len(widths) - 1 and total < 16:
            total += widths[span]
            span += 1
        self.span = max(span, 1)

    def label(self, ws: Worksheet, row: int, text: str, fmt: Format | None = None) -> None:
        if self.span > 1:
            ws.merge_range(row, 0, row, self.span - 1, "", fmt or self.fmt.label)
        ws.write_string(row, 0, text, fmt or self.fmt.label)

    def fit_row(self, ws: Worksheet, row: int, text: str, first: int, last: int) -> None:
        """Grow a row so wrapped text in merged cells shows whole (merged cells do not autofit)."""
        chars = sum(self.widths[first : last + 1]) or 10
        lines = max(1, -(-int(len(text) * 1.1) // int(chars)))
        if lines > 1:
            ws.set_row(row, 13.5 * lines)

    def value_range(self, ws: Worksheet, row: int, last: int, fmt: Format, rows: int = 1) -> None:
        first = self.span
        last = max(last, first)
        if last > first or rows > 1:
            ws.merge_range(row, first, row + rows - 1, last, "", fmt)
        else:
            ws.write_blank(row, first, None, fmt)

    def write_sop_block(self, ws: Worksheet, sheet: SheetDef, row: int, width: int) -> int:
        """Title and the SOP identity lines; returns the next free row."""
        ws.write_string(row, 0, sheet.title, self.fmt.title)
        row += 1
        sop = self.context.sop
        ws.write_string(row, 0, f"Templat: {self.document.title}", self.fmt.subtitle)
        row += 2
        if not sheet.header:
            return row
        lines: list[tuple[str, str]] = [
            ("Instansi", " / ".join(x for x in (sop.pemerintah, sop.instansi) if x) if sop else ""),
            ("Unit kerja", " / ".join(x for x in (sop.unit, sop.sub_unit) if x) if sop else ""),
            ("SOP", (sop.nama + (f" (Nomor {sop.nomor})" if sop.nomor else "")) if sop else ""),
        ]
        if self.context.steps or sop is None:
            steps = "; ".join(f"{s.no}. {s.kegiatan}" for s in self.context.steps)
            lines.append(("Langkah SOP", steps))
        for label, value in lines:
            self.label(ws, row, label)
            if sop is None:
                self.value_range(ws, row, width, self.fmt.inputs["teks"])
                ws.data_validation(row, self.span, row, self.span, _validation(Kind.TEKS))
            else:
                self.value_range(ws, row, width, self.fmt.given)
                ws.write_string(row, self.span, value, self.fmt.given)
                self.fit_row(ws, row, value, self.span, max(width, self.span))
            row += 1
        return row + 1

    def write_field(self, ws: Worksheet, item: Field, row: int, width: int, plan: _Plan | None) -> int:
        """A labelled input (or formula) line; returns the next free row."""
        self.label(ws, row, item.label)
        first, last = self.span, max(width, self.span + 1)
        if item.kind is Kind.RUMUS:
            key = item.number_format or ""
            self.value_range(ws, row, last, self.fmt.totals[key])
            ws.write_formula(
                row,
                first,
                self.guarded(item.formula, plan, None),
                self.fmt.totals[key],
                self.blank_of(item.formula, item.blank, plan),
            )
            return row + 1
        if item.kind is Kind.CENTANG:
            options = list(item.choices)
            if item.from_roles:
                options = list(self.context.sop.role_names) if self.context.sop else [""] * 6
            elif item.list_name:
                options = list(self.document.list_values(item.list_name))
            ref = self.list_ref([CHECK], "centang")
            for option in options:
                if option:
                    ws.write_string(row, first, option, self.fmt.given_border)
                else:  # a blank line the office fills with a jabatan
                    ws.write_blank(row, first, None, self.fmt.inputs["teks"])
                    ws.data_validation(row, first, row, first, _validation(Kind.TEKS))
                ws.write_blank(row, first + 1, None, self.fmt.check)
                ws.data_validation(row, first + 1, row, first + 1, _validation(Kind.CENTANG, ref))
                row += 1
            return row
        key = _input_format_key(item.kind)
        height = max(item.height, 1)
        self.value_range(ws, row, last, self.fmt.inputs[key], height)
        ref = self.choice_ref(item.choices, item.list_name, item.label) if item.kind is Kind.PILIHAN else ""
        ws.data_validation(row, first, row, first, _validation(item.kind, ref))
        return row + height

    def blank_of(self, formula: str, declared: str | float, plan: _Plan | None) -> str | float:
        """The result a formula shows in the empty template (stored for LibreOffice).

        A summary that only repeats a total (``={total:x}``) shows that total's value.
        """
        match = re.fullmatch(r"=\{total:([a-z0-9_]+)\}", formula)
        if match and plan is not None:
            return self.total_blank(plan, match[1])
        return declared

    def total_blank(self, plan: _Plan, key: str) -> str | float:
        """The value of a total row cell while only the given rows are filled."""
        column = plan.sheet.columns[plan.columns[key]]
        numbers: list[float] = []
        for values in self.table_rows(plan.sheet):
            value: Any = column.blank if column.kind is Kind.RUMUS else values.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                numbers.append(float(value))
        mode = dict(plan.sheet.totals)[key]
        if mode == "jumlah":
            return sum(numbers)
        return sum(numbers) / len(numbers) if numbers else ""

    # -- forms ----------------------------------------------------------------------------
    def write_form(self, sheet: SheetDef, ws: Worksheet) -> None:
        widths = [26, 34, 16, 16]
        for i, width in enumerate(widths):
            ws.set_column(i, i, width)
        self.begin_sheet(widths)
        row = self.write_sop_block(ws, sheet, 0, 3)
        for item in sheet.fields:
            row = self.write_field(ws, item, row, 3, None)
        for item in sheet.summary:
            row = self.write_field(ws, item, row, 3, None)
        ws.print_area(0, 0, row, 3)
        self.page_setup(ws, None)

    # -- tables -----------------------------------------------------------------------------
    def table_rows(self, sheet: SheetDef) -> list[dict[str, Any]]:
        if sheet.rows_from_steps and self.context.sop is not None:
            return [{"no": s.no, "kegiatan": s.kegiatan} for s in self.context.sop.langkah]
        blank = sheet.rows if sheet.rows or sheet.prefilled else 10
        return [*sheet.prefilled, *({} for _ in range(blank))]

    def plan_table(self, sheet: SheetDef) -> _Plan:
        row = 3 + ((4 if (self.context.steps or self.context.sop is None) else 3) + 1 if sheet.header else 0)
        row += sum(self._field_rows(f) for f in sheet.fields)
        if sheet.fields:
            row += 1
        plan = _Plan(sheet, {c.key: i for i, c in enumerate(sheet.columns)}, header_row=row, first_row=row + 1)
        plan.last_row = plan.first_row + len(self.table_rows(sheet)) - 1
        if sheet.totals:
            plan.total_row = plan.last_row + 1
        return plan

    def _field_rows(self, item: Field) -> int:
        if item.kind is Kind.CENTANG:
            if item.from_roles:
                return len(self.context.sop.pelaksana) if self.context.sop else 6
            return len((item.list_name and self.document.list_values(item.list_name)) or item.choices)
        return 1 if item.kind is Kind.RUMUS else max(item.height, 1)

    def resolve(self, formula: str, plan: _Plan | None, row: int | None) -> str:
        """Replace ``{...}`` placeholders with cell references."""

        def ref(match: re.Match[str]) -> str:
            text = match[1]
            target = plan
            prefix = ""
            if "!" in text:
                sheet_name, text = text.split("!", 1)
                target = self.plans[sheet_name]
                prefix = f"'{sheet_name}'!"
            if text.startswith("daftar:"):
                return _name(f"Daftar_{text[7:]}") if text[7:] not in dict(self.document.lookups) else _name(text[7:])
            assert target is not None
            if text.startswith("total:"):
                assert target.total_row is not None
                cell: str = xl_rowcol_to_cell(target.total_row, target.columns[text[6:]], True, True)
                return prefix + cell
            if text.endswith(":kolom"):
                col = xl_col_to_name(target.columns[text[:-6]])
                return f"{prefix}${col}${target.first_row + 1}:${col}${target.last_row + 1}"
            assert row is not None
            here: str = xl_rowcol_to_cell(row, target.columns[text])
            return prefix + here

        return PLACEHOLDER.sub(ref, formula)

    def guarded(self, formula: str, plan: _Plan | None, row: int | None) -> str:
        """The formula, resolved, giving "Periksa ..." instead of a plausible number when an
        input it reads in its row is wrong (text in a number column, a number below its
        minimum, an answer outside its list) or a total it reads says so."""
        checks: list[tuple[str, str]] = []
        for text in dict.fromkeys(m[1] for m in PLACEHOLDER.finditer(formula)):
            if plan is None or "!" in text:
                continue
            if text.startswith("total:") and plan.total_row is not None:
                ref = self.resolve(f"{{{text}}}", plan, None)
                checks.append((_flagged(ref), f"{CHECK_MARK} isian"))
                continue
            if row is None or ":" in text:
                continue
            column = plan.sheet.columns[plan.columns[text]]
            if column.locked:
                continue
            ref = self.resolve(f"{{{text}}}", plan, row)
            checks += self.input_checks(column, ref)
        body = self.resolve(formula, plan, row).removeprefix("=")
        for condition, message in reversed(checks):
            body = f"IF({condition},{_excel_text(message)},{body})"
        return "=" + body

    def input_checks(self, column: Column, ref: str) -> list[tuple[str, str]]:
        """(condition, message) for each way the input cell ``ref`` of ``column`` can be wrong."""
        found = []
        if column.kind in NUMBER_KINDS:
            found.append((f'AND({ref}<>"",NOT(ISNUMBER({ref})))', f"{CHECK_MARK} {column.title}: bukan angka"))
            if column.minimum is not None:
                least = _number_text(column.minimum)
                shown = least.replace(".", ",")
                found.append(
                    (f"AND(ISNUMBER({ref}),{ref}<{least})", f"{CHECK_MARK} {column.title}: kurang dari {shown}")
                )
        elif column.kind is Kind.PILIHAN:
            values = self.choice_ref(column.choices, column.list_name, column.title).removeprefix("=")
            found.append(
                # An exact comparison: COUNTIF and MATCH would read * and ? in an answer as wildcards.
                (
                    f'AND({ref}<>"",SUMPRODUCT(--({values}={ref}))=0)',
                    f"{CHECK_MARK} {column.title}: tidak ada di daftar",
                )
            )
        return found

    def write_table(self, sheet: SheetDef, ws: Worksheet) -> None:
        plan = self.plans[sheet.name]
        last_col = len(sheet.columns) - 1
        for i, column in enumerate(sheet.columns):
            ws.set_column(i, i, column.width)
        self.begin_sheet([c.width for c in sheet.columns])
        row = self.write_sop_block(ws, sheet, 0, last_col)
        for item in sheet.fields:
            row = self.write_field(ws, item, row, last_col, plan)
        assert row + (1 if sheet.fields else 0) == plan.header_row, (row, plan.header_row)
        ws.set_row(plan.header_row, 30)
        for i, column in enumerate(sheet.columns):
            ws.write_string(plan.header_row, i, column.title, self.fmt.head)
        rows = self.table_rows(sheet)
        for n, values in enumerate(rows):
            r = plan.first_row + n
            for i, column in enumerate(sheet.columns):
                self.write_cell(ws, r, i, column, values, n, plan)
        for i, column in enumerate(sheet.columns):
            if column.kind in (Kind.RUMUS, Kind.NOMOR) or column.locked:
                continue
            ref = (
                self.choice_ref(column.choices, column.list_name, column.title)
                if column.kind in (Kind.PILIHAN, Kind.CENTANG)
                else ""
            )
            if column.kind is Kind.CENTANG:
                ref = self.list_ref([CHECK], "centang")
            ws.data_validation(plan.first_row, i, plan.last_row, i, _validation(column.kind, ref, column.minimum))
            # A value pasted past the validation (or typed as "85 %" text) is marked red.
            top = xl_rowcol_to_cell(plan.first_row, i)
            for condition, _message in self.input_checks(column, top):
                ws.conditional_format(
                    plan.first_row,
                    i,
                    plan.last_row,
                    i,
                    {"type": "formula", "criteria": f"={condition}", "format": self.fmt.wrong_input},
                )
        results = [i for i, c in enumerate(sheet.columns) if c.kind is Kind.RUMUS]
        for i in results:
            ws.conditional_format(
                plan.first_row,
                i,
                plan.total_row if plan.total_row is not None else plan.last_row,
                i,
                {"type": "text", "criteria": "begins with", "value": CHECK_MARK, "format": self.fmt.wrong_result},
            )
        self.book.define_name(
            _name(f"Tabel_{sheet.name}"),
            f"='{sheet.name}'!$A${plan.first_row + 1}:${xl_col_to_name(last_col)}${plan.last_row + 1}",
        )
        end = plan.last_row
        if plan.total_row is not None:
            totals = dict(sheet.totals)
            labels = {"jumlah": "Jumlah", "rata-rata": "Rata-rata"}
            text = " / ".join(sorted({labels[m] for m in totals.values()}))
            label_cols = next(i for i, c in enumerate(sheet.columns) if c.key in totals or i == last_col)
            if label_cols > 1:
                ws.merge_range(plan.total_row, 0, plan.total_row, label_cols - 1, "", self.fmt.totals[""])
            ws.write_string(plan.total_row, 0, text, self.fmt.totals[""])
            for i, column in enumerate(sheet.columns):
                if i < max(label_cols, 1):
                    continue
                key = column.number_format or _input_format_key(column.kind)
                if column.key in totals:
                    rng = self.resolve(f"{{{column.key}:kolom}}", plan, None)
                    computed = f"SUM({rng})" if totals[column.key] == "jumlah" else f'IFERROR(AVERAGE({rng}),"")'
                    # Any text in the column (a wrong input, a "Periksa ..." result) would be
                    # left out of the sum silently: the total says so instead.
                    formula = f'=IF(SUMPRODUCT(ISTEXT({rng})*(LEN({rng})>0))>0,"{CHECK_MARK} isian",{computed})'
                    ws.write_formula(
                        plan.total_row, i, formula, self.fmt.totals[key], self.total_blank(plan, column.key)
                    )
                else:
                    ws.write_blank(plan.total_row, i, None, self.fmt.totals[""])
            end = plan.total_row
        row = end + 2
        for item in sheet.summary:
            row = self.write_field(ws, item, row, last_col, plan)
        ws.freeze_panes(plan.header_row + 1, 0)
        ws.print_area(0, 0, max(row, end), last_col)
        self.page_setup(ws, plan.header_row)

    def write_cell(
        self, ws: Worksheet, row: int, col: int, column: Column, values: dict[str, Any], n: int, plan: _Plan
    ) -> None:
        value = values.get(column.key)
        if column.kind is Kind.RUMUS:
            key = column.number_format or ""
            ws.write_formula(
                row,
                col,
                self.guarded(column.formula, plan, row),
                self.fmt.formulas[key],
                column.blank,
            )
            return
        if column.kind is Kind.NOMOR:
            if value is None:
                ws.write_number(row, col, n + 1, self.fmt.formulas[""])
            else:
                ws.write_string(row, col, str(value), self.fmt.formulas[""])
            return
        fmt = self.fmt.given_border if column.locked else self.fmt.inputs[_input_format_key(column.kind)]
        if column.kind is Kind.CENTANG:
            fmt = self.fmt.check
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            ws.write_string(row, col, "Ya" if value else "Tidak", fmt)
        elif isinstance(value, int | float):
            ws.write_number(row, col, float(value), fmt)
        else:
            ws.write_string(row, col, str(value), fmt)  # never a formula, whatever it starts with
            if len(str(value)) > column.width * 1.15:
                ws.set_row(row, 13.5 * -(-len(str(value)) // int(column.width * 1.15)))

    def write_instructions(self, ws: Worksheet) -> None:
        document, sop = self.document, self.context.sop
        ws.set_column(0, 0, 100)
        ws.write_string(0, 0, f"Petunjuk pengisian: {document.title}", self.fmt.title)
        lines = [document.description] if document.description else []
        if sop is not None:
            lines.append(f"Untuk SOP {sop.nama}" + (f" (Nomor {sop.nomor})" if sop.nomor else "") + ".")
        lines += [
            "",
            "Sel berwarna kuning adalah isian. Sel berwarna abu-abu berisi teks tetap atau rumus yang "
            "menghitung sendiri; rumus tidak perlu diubah.",
            "Klik sebuah isian untuk melihat keterangan; isian pilihan menampilkan panah daftar di sisi sel.",
            "Lembar dilindungi tanpa kata sandi agar rumus tidak terhapus tanpa sengaja. Untuk menyesuaikan "
            "templat: Review › Unprotect Sheet (Excel) atau Alat › Lindungi Lembar (LibreOffice).",
            "",
            *document.instructions,
        ]
        for i, line in enumerate(lines, start=2):
            ws.write_string(i, 0, line, self.fmt.note)
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
        ws.set_paper(PAPER_CODES[document.paper])
        ws.fit_to_pages(1, 0)


def render_workbook(document: Document, context: WorkbookContext) -> bytes:
    """The workbook of ``document`` (for an SOP and its steps, or the blank template)."""
    return _Builder(document, context).build()
