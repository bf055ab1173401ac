"""Helpers shared by every Excel export and import (openpyxl).

Text written into a cell must never become a formula when the file is opened or a cell is
edited. openpyxl stores any string starting with ``=`` as a formula, and spreadsheet programs
read ``+``, ``-``, ``@`` (and a leading tab / carriage return) as the start of one. Every export
therefore goes through ``workbook_bytes``, which stores such text as a plain text cell with
Excel's quote prefix: the user sees exactly what was typed ("=17个"), and nothing is ever
evaluated — no apostrophe added to the text, so an export → import round trip changes nothing.
"""

from __future__ import annotations

from copy import copy
from datetime import date, time, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font
from openpyxl.styles.fills import Fill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "0.00"  # two decimals, no thousands separators (as the pages and the PDF)
PERCENT_FORMAT = '0.00"%"'


# What an export writes into a cell (openpyxl refuses anything else).
CellValue = str | int | float | Decimal | date | time | timedelta | None


def cell_value(value: object) -> CellValue:
    """``value`` as a cell holds it; a ``TypeError`` for anything a cell cannot hold (as openpyxl
    would refuse it), so a row of mixed values is checked before it is written."""
    if value is None or isinstance(value, str | int | float | Decimal | date | time | timedelta):
        return value
    raise TypeError(f"不能写入单元格的值：{value!r}")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralise_formulas(wb: Workbook) -> int:
    """Make every formula-like text cell of ``wb`` a quote-prefixed text cell; returns how many."""
    count = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if is_formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    count += 1
    return count


def workbook_bytes(wb: Workbook) -> bytes:
    """The .xlsx file of ``wb``, with formula-like text neutralised. Use for every export."""
    neutralise_formulas(wb)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


class CellStyles:
    """Styles cells of one workbook, each combination of style objects hashed once.

    Assigning ``cell.font = Font(...)`` (or a border, fill, alignment, number format) makes
    openpyxl hash the style object to find its index in the workbook's style tables — on every
    assignment. Exports style hundreds of cells with a handful of combinations: the first cell
    of a combination is styled the ordinary way, every later one gets a copy of that cell's style
    indices (what openpyxl's own worksheet copy does). One instance per workbook (the indices
    belong to it). Pass module-level style constants: combinations are told apart by object
    identity, so a new ``Font(...)`` per call would defeat the cache (but stay correct).
    """

    cached = True  # off: every cell styled by assignment (bench/pages.py measures both)

    @classmethod
    def of(cls, wb: Workbook) -> CellStyles:
        """The workbook's own instance (kept on the workbook, gone with it)."""
        styles = getattr(wb, "_perfeval_cell_styles", None)
        if styles is None:
            styles = cls()
            wb._perfeval_cell_styles = styles  # type: ignore[attr-defined]
        return styles

    def __init__(self) -> None:
        self._styles: dict[tuple, object] = {}
        self._keep: list[object] = []  # the style objects of the keys stay alive (ids unique)

    def apply(
        self,
        cell: Any,  # a Cell or MergedCell: its style array (``_style``) is not in the stubs
        *,
        font: Font | None = None,
        border: Border | None = None,
        fill: Fill | None = None,
        alignment: Alignment | None = None,
        number_format: str | None = None,
    ) -> None:
        # The cell's present style is part of the key: the result is what the assignments give.
        key = (tuple(cell._style or ()), id(font), id(border), id(fill), id(alignment), number_format)
        style = self._styles.get(key) if self.cached else None
        if style is not None:
            cell._style = copy(style)
            return
        if font is not None:
            cell.font = font
        if border is not None:
            cell.border = border
        if fill is not None:
            cell.fill = fill
        if alignment is not None:
            cell.alignment = alignment
        if number_format is not None:
            cell.number_format = number_format
        self._styles[key] = copy(cell._style)
        self._keep.extend((font, border, fill, alignment))


def write_only_cell(
    ws: WriteOnlyWorksheet, value: object, *, number_format: str | None = None, style: str | None = None
) -> Cell:
    """A cell of a write-only worksheet (streamed exports), formula-safe as ``workbook_bytes``
    makes a normal workbook: formula-like text is a quote-prefixed text cell. ``style`` is the
    name of a registered named style (one style record for every cell that uses it)."""
    cell = WriteOnlyCell(ws, value=cell_value(value))  # type: ignore[arg-type]  # (stub too narrow)
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if style:
        cell.style = style
    if number_format and value is not None:
        cell.number_format = number_format
    return cell
