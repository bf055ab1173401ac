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


def test_adjustment_is_full_year_minus_year_start_and_blank_stays_blank():
    from budgets.figures import ProjectFigure, YearFigures

    assert Amounts(initial_budget=D("236.00"), full_year_budget=D("275.61")).adjustment == D("39.61")
    assert Amounts(initial_budget=D("50.00"), full_year_budget=D("40.00")).adjustment == D("-10.00")
    assert Amounts(full_year_budget=D("275.61")).adjustment is None  # year-start not stated: unknown
    rows = [
        ProjectFigure(None, 1, "甲", D("10.00"), D("10.00"), D("10.00"), ""),
        ProjectFigure(None, 2, "年中追加", D("0.00"), D("5.00"), D("5.00"), "", kind="unitemised"),
    ]
    empty = Amounts()
    figures = YearFigures({}, empty, empty, {}, empty, empty, empty, projects=rows)
    assert [p.adjustment for p in figures.projects] == [D("0.00"), D("5.00")]
    assert figures.project_totals.adjustment == D("5.00")
    assert [p.name for p in figures.unitemised_projects] == ["年中追加"]
    assert figures.itemised_project_totals.full_year_budget == D("10.00")
