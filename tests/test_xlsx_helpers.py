"""Formula-like text in any export is stored as text, shown exactly as typed, never evaluated."""

import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from perfeval.xlsx import cell_value, workbook_bytes

FORMULA_LIKE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", '=HYPERLINK("http://x","点我")', "=17个"]


def saved(values):
    wb = Workbook()
    for i, value in enumerate(values, start=1):
        wb.active.cell(row=i, column=1, value=value)
    return workbook_bytes(wb)


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_stays_text_and_unchanged(text):
    content = saved([text])
    cell = load_workbook(BytesIO(content)).active["A1"]
    assert cell.value == text  # no apostrophe added: the user sees what was typed
    assert cell.data_type == "s"
    assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    sheet = zipfile.ZipFile(BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # nothing is stored as a formula


def test_other_values_keep_their_type():
    ws = load_workbook(BytesIO(saved(["人大会议次数", "≥20次", Decimal("-1.00"), 3, None]))).active
    assert [ws.cell(row=i, column=1).value for i in range(1, 6)] == ["人大会议次数", "≥20次", -1, 3, None]
    assert ws["A3"].data_type == "n"
    assert not ws["A1"].quotePrefix


@pytest.mark.parametrize("value", ["≥20次", 3, Decimal("1304.57"), 0.5, None])
def test_cell_value_passes_what_a_cell_holds(value):
    assert cell_value(value) == value


def test_cell_value_refuses_anything_else():
    with pytest.raises(TypeError):
        cell_value(object())


# ---------------------------------------------------------------- cached cell styles


def _styles_of(content: bytes) -> list[tuple]:
    from xml.etree.ElementTree import tostring

    ws = load_workbook(BytesIO(content)).active
    return [
        (c.coordinate, *(tostring(s.to_tree()) for s in (c.font, c.border, c.fill, c.alignment)), c.number_format)
        for row in ws.iter_rows()
        for c in row
    ]


def test_cached_cell_styles_look_exactly_like_assigned_ones(monkeypatch):
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from perfeval.xlsx import CellStyles

    bold, fill, align = Font(bold=True), PatternFill("solid", fgColor="DDEBF7"), Alignment(horizontal="center")
    border = Border(left=Side(style="thin"))

    def build() -> bytes:
        wb = Workbook()
        styles = CellStyles.of(wb)
        for r in range(1, 6):
            styles.apply(wb.active.cell(row=r, column=1, value=r), font=bold, fill=fill, number_format="0.00")
            styles.apply(wb.active.cell(row=r, column=2, value="x"), border=border, alignment=align)
            cell = wb.active.cell(row=r, column=3, value="y")
            cell.font = bold  # already styled: the cache takes the present style into account
            styles.apply(cell, border=border)
        assert len(styles._styles) == 3  # three combinations, each hashed once
        return workbook_bytes(wb)

    cached = _styles_of(build())
    monkeypatch.setattr(CellStyles, "cached", False)
    assigned = _styles_of(build())
    assert cached == assigned
    assert cached[0][1] != cached[1][1]  # bold in column A, not in column B
