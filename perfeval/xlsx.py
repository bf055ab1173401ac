"""Helpers shared by every Excel export and import (openpyxl).

Text written into a cell must never become a formula when the file is opened or a cell is
edited. openpyxl stores any string starting with ``=`` as a formula, and spreadsheet programs
read ``+``, ``-``, ``@`` (and a leading tab / carriage return) as the start of one. Every export
therefore goes through ``workbook_bytes``, which stores such text as a plain text cell with
Excel's quote prefix: the user sees exactly what was typed ("=17个"), and nothing is ever
evaluated — no apostrophe added to the text, so an export → import round trip changes nothing.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
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


def write_only_cell(ws, value: object, *, number_format: str | None = None, style: str | None = None) -> WriteOnlyCell:
    """A cell of a write-only worksheet (streamed exports), formula-safe as ``workbook_bytes``
    makes a normal workbook: formula-like text is a quote-prefixed text cell. ``style`` is the
    name of a registered named style (one style record for every cell that uses it)."""
    cell = WriteOnlyCell(ws, value=cell_value(value))
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if style:
        cell.style = style
    if number_format and value is not None:
        cell.number_format = number_format
    return cell
