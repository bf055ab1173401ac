"""The overview's Excel export."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from perfeval.xlsx import MONEY_FORMAT, PERCENT_FORMAT, cell_value, workbook_bytes

from .selectors import COLUMNS, OverviewRow


def overview_export_xlsx(*, rows: Iterable[OverviewRow]) -> bytes:
    """The overview's filtered, sorted rows (``overview.selectors.overview_rows``) as a
    workbook: one header row with the page's column titles, then one row per unit-year with the
    same cells. Numbers stay numbers (money with ``MONEY_FORMAT``); text is made formula-safe."""

    formats = {"money": MONEY_FORMAT, "percent": PERCENT_FORMAT, "score": "0.00"}
    widths = {"text": 16, "int": 8, "score": 10, "percent": 14, "money": 18}
    wb = Workbook()
    ws = wb.worksheets[0]  # a new workbook's one sheet
    ws.title = "全部单位总览"
    for col, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=column.label)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        ws.column_dimensions[get_column_letter(col)].width = 24 if column.key == "name" else widths[column.kind]
    for r, row in enumerate(rows, start=2):
        for col, item in enumerate(row.cells, start=1):
            value = cell_value(item.value) if item.value != "" else None  # the page's "—"
            cell = ws.cell(row=r, column=col, value=value)
            if item.kind in formats and value is not None:
                cell.number_format = formats[item.kind]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(ws.max_row, 1)}"
    return workbook_bytes(wb)
