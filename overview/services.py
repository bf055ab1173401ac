"""The overview's Excel export."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from perfeval.xlsx import MONEY_FORMAT, PERCENT_FORMAT, cell_value, is_formula_like, write_only_cell

from .models import YearSummary
from .selectors import COLUMNS

EXPORT_CHUNK = 64 * 1024


def overview_export_stream(*, summaries: Iterable[YearSummary]) -> Iterator[bytes]:
    """The overview's filtered, sorted rows (the values of ``overview.selectors.COLUMNS``)
    as a workbook, streamed: one header row with the page's column titles, then one row per
    unit-year with the same cells. openpyxl's write-only workbook writes each row to a temporary
    file as the summaries are read (no cell objects kept, memory flat in the number of rows);
    the finished file is then sent in chunks. Numbers stay numbers (money with
    ``MONEY_FORMAT``); text is made formula-safe."""
    formats = {"money": MONEY_FORMAT, "percent": PERCENT_FORMAT, "score": "0.00"}
    widths = {"text": 16, "int": 8, "score": 10, "percent": 14, "money": 18}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("全部单位总览")
    for col, column in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = 24 if column.key == "name" else widths[column.kind]
    ws.freeze_panes = "A2"
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="D9E1F2")
    header = []
    for column in COLUMNS:
        cell = write_only_cell(ws, column.label)
        cell.font, cell.fill = header_font, header_fill
        header.append(cell)
    ws.append(header)
    count = 0
    kinds = [(column.value, formats.get(column.kind)) for column in COLUMNS]
    for summary in summaries:
        ws.append([_cell(ws, value(summary), number_format) for value, number_format in kinds])
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    with tempfile.TemporaryFile() as file:
        wb.save(file)
        file.seek(0)
        while chunk := file.read(EXPORT_CHUNK):
            yield chunk


def _cell(ws: Any, value: object, number_format: str | None) -> object:
    """A row's value as ``ws.append`` takes it. A plain number or text goes in as it is: a
    ``Cell`` object costs openpyxl a failed assignment and an exception a cell (a third of the
    export's time); a formatted number or formula-like text gets its cell from
    ``write_only_cell``."""
    if value is None or value == "":
        return None
    if (number_format is None and isinstance(value, int | Decimal)) or (
        isinstance(value, str) and not is_formula_like(value)
    ):
        return cell_value(value)
    return write_only_cell(ws, value, number_format=number_format)
