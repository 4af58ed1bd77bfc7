"""XlsxWriter's workbook, with each distinct formula prepared once per process, and the
time XlsxWriter spends writing the file counted (for the benchmark).

XlsxWriter runs some thirty regular expressions over every formula, data validation and
conditional format it writes (to spell Excel's newer functions with their ``_xlfn.``
prefix): a third of a document template's time. The templates of a thousand SOPs write
the same few hundred formulas over and over, so the result is remembered. The
preparation is a pure function of the formula and two flags, which make the key.
"""

from __future__ import annotations

import time

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

_PREPARED: dict[tuple[str, bool, bool], str] = {}
_LIMIT = 100_000
"""Formulas remembered at most (the memo starts afresh beyond, so memory stays bounded)."""


class FormulaWorksheet(Worksheet):  # type: ignore[misc]
    """A worksheet that remembers how each formula was prepared."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        key = (formula, bool(expand_future_functions), bool(self.use_future_functions))
        prepared = _PREPARED.get(key)
        if prepared is None:
            if len(_PREPARED) >= _LIMIT:
                _PREPARED.clear()
            prepared = _PREPARED[key] = super()._prepare_formula(formula, expand_future_functions)
        return prepared


WRITER_SECONDS = [0.0]
"""Seconds this process has spent in XlsxWriter writing workbooks out (``close``: the XML of
every part, zipped). The calls that fill the cells before it count as the generator's."""


class Workbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """``xlsxwriter.Workbook`` whose worksheets are :class:`FormulaWorksheet`."""

    worksheet_class = FormulaWorksheet

    def close(self) -> None:
        started = time.perf_counter()
        try:
            super().close()
        finally:
            WRITER_SECONDS[0] += time.perf_counter() - started


def writer_total() -> float:
    """All seconds so far in XlsxWriter writing workbooks out, in this process."""
    return WRITER_SECONDS[0]
