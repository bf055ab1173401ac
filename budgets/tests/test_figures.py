from decimal import Decimal as D

import pytest

from budgets.figures import Amounts, change, execution_rate, money, percent, sum_money


def test_sum_of_nothing_stated_is_none_not_zero():
    assert sum_money([None, None]) is None
    assert sum_money([None, D("1.20")]) == D("1.20")


def test_change_and_percent_rounding():
    c = change(D("1304.57"), D("1326.27"))
    assert (c.amount, c.percent, c.direction, c.abs_amount) == (D("-21.70"), D("-1.64"), "减少", D("21.70"))
    assert change(D("5"), D("5")).direction == "持平"
    assert change(D("1"), None) is None


def test_percent_with_zero_denominator_is_undefined():
    assert percent(D("1"), D("0")) is None


def test_execution_rate():
    assert execution_rate(D("76"), D("100")) == D("76.00")
    assert execution_rate(D("89.97"), D("90")) == D("99.97")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        money(0.1)


def test_stated_total_preferred_column_by_column():
    stated = Amounts(full_year_budget=D("10.00"))
    derived = Amounts(full_year_budget=D("9.00"), actual=D("8.00"))
    merged = stated.prefer(derived)
    assert (merged.full_year_budget, merged.actual) == (D("10.00"), D("8.00"))
