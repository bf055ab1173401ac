from decimal import Decimal

import pytest

from perfeval.xlsx import safe_cell_text


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", '=HYPERLINK("http://x")'])
def test_formula_like_text_is_neutralised(text):
    assert safe_cell_text(text) == "'" + text


@pytest.mark.parametrize("value", ["人大会议次数", "≥20次", Decimal("-1.00"), 3, None])
def test_other_values_pass_through(value):
    assert safe_cell_text(value) == value
