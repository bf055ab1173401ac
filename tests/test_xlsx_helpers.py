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
