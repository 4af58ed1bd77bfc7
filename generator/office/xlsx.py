"""XlsxWriter's workbook, with each distinct formula prepared once per process.

XlsxWriter runs some thirty regular expressions over every formula, data validation and
conditional format it writes (to spell Excel's newer functions with their ``_xlfn.``
prefix): a third of a document template's time. The templates of a thousand SOPs write
the same few hundred formulas over and over, so the result is remembered. The
preparation is a pure function of the formula and two flags, which make the key.
"""

from __future__ import annotations

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


class Workbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """``xlsxwriter.Workbook`` whose worksheets are :class:`FormulaWorksheet`."""

    worksheet_class = FormulaWorksheet
