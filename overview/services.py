"""The overview's Excel export."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from perfeval.xlsx import MONEY_FORMAT, PERCENT_FORMAT, write_only_cell

from .models import YearSummary
from .selectors import COLUMNS, overview_row

EXPORT_CHUNK = 64 * 1024


def overview_export_stream(*, summaries: Iterable[YearSummary]) -> Iterator[bytes]:
    """The overview's filtered, sorted rows (the cells of ``overview.selectors.overview_rows``)
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
    for row in map(overview_row, summaries):
        ws.append(
            [
                write_only_cell(ws, item.value if item.value != "" else None, number_format=formats.get(item.kind))
                for item in row.cells
            ]
        )
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    with tempfile.TemporaryFile() as file:
        wb.save(file)
        file.seek(0)
        while chunk := file.read(EXPORT_CHUNK):
            yield chunk
