"""数据校验 — each consistency check, on the reference report and on small cases."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from budgets.checks import year_checks
from budgets.figures import year_figures
from budgets.forms import parse_money
from budgets.models import IncomeLine, ProjectLine, SpendingLine, ThreePublicLine

pytestmark = pytest.mark.django_db


def messages(unit_year, code=None):
    unit_year.refresh_from_db()
    return [c.message for c in year_checks(year_figures(unit_year), unit_year) if code is None or c.code == code]


def test_reference_findings(demo_year):
    # The demo enters the 39.61 added during the year as its own row, so the projects reconcile;
    # what is left are the reference's own contradictions, kept as published.
    assert messages(demo_year) == [
        "其中：一般公共预算财政拨款（年初预算数）为 1269.21 万元，大于收入合计 880.51 万元，相差 388.70 万元。",
        "收入合计（上年数）1326.27 万元与支出合计 1336.76 万元不一致，相差 10.49 万元。",
    ]
    # the consistent ones stay quiet: 1028.96 + 275.61 = 1304.57
    assert messages(demo_year, "spending_parts") == []


def test_reference_without_the_unitemised_row_has_the_project_gap(unreconciled_demo_year):
    found = messages(unreconciled_demo_year)
    assert "项目明细金额合计为 236.00 万元，项目支出（全年预算数）为 275.61 万元，相差 39.61 万元。" in found


def test_an_unexplained_adjustment_points_to_the_unitemised_row(unreconciled_demo_year):
    year = unreconciled_demo_year
    year.project_lines.update(full_year_budget=models.F("initial_budget"))
    assert messages(year, "project_adjustment") == [
        "项目支出调整数（全年预算数 − 年初预算数）为 39.61 万元，项目明细调整数合计为 0.00 万元。"
        "年中追加的资金若未细化到具体项目，请添加一行类型为“年中追加（未细化到项目）”的明细。"
    ]


def test_the_unitemised_row_has_no_year_start_budget(demo_year):
    demo_year.project_lines.filter(kind="unitemised").update(initial_budget=D("5.00"))
    assert messages(demo_year, "project_unitemised") == [
        "“年中追加（未细化到项目）”行是年中追加的资金，年初预算数应为 0，现为 5.00 万元（年初预算请列入具体项目）。"
    ]


def test_reference_slip_in_the_explanation_is_found(demo_year):
    demo_year.income_change_note = (
        "2024年，单位预算收入1304.57万元，比上年1326.27万元减少21.76万元，减少1.64%。其中：一般公共预算财政拨款"
        "收入年初预算1269.21万元，比上年1294.30万元减少25.09万元。"
    )
    demo_year.spending_change_note = "本单位支出1304.57万元，比上年1336.76万元减少32.19万元，减少2.41%。"
    demo_year.save()
    assert messages(demo_year, "text_change") == [
        "“收入增减变化原因”中写的“减少21.76万元”与数据不符：按数据计算合计比上年减少21.70 万元（1304.57 − 1326.27）。"
    ]
    # 25.09 (一般公共预算 line) and 1.64% are right; the spending note is right throughout.


def test_wrong_direction_and_percent_are_found(year_a):
    IncomeLine.objects.create(unit_year=year_a, source="total", full_year_budget=D("110"), previous_year=D("100"))
    year_a.income_change_note = "比上年减少10.00万元，增长12%。"
    year_a.save()
    found = messages(year_a, "text_change")
    assert len(found) == 2
    assert "增加10.00 万元" in found[0]
    assert "按数据计算合计比上年增加10.00%" in found[1]


def test_spending_parts_and_basic_parts(year_a):
    SpendingLine.objects.create(unit_year=year_a, kind="total", actual=D("100.00"))
    SpendingLine.objects.create(unit_year=year_a, kind="basic", actual=D("60.00"))
    SpendingLine.objects.create(unit_year=year_a, kind="project", actual=D("30.00"))
    SpendingLine.objects.create(unit_year=year_a, kind="personnel", actual=D("50.00"))
    SpendingLine.objects.create(unit_year=year_a, kind="public", actual=D("5.50"))
    assert messages(year_a, "spending_parts") == [
        "支出合计（全年执行数）为 100.00 万元，基本支出 + 项目支出为 90.00 万元，相差 10.00 万元。"
    ]
    assert messages(year_a, "basic_parts") == [
        "基本支出（全年执行数）为 60.00 万元，人员经费 + 公用经费为 55.50 万元，相差 4.50 万元。"
    ]


def test_project_lines_against_project_spending_column_by_column(year_a):
    SpendingLine.objects.create(unit_year=year_a, kind="project", full_year_budget=D("50.00"), actual=D("40.00"))
    ProjectLine.objects.create(unit_year=year_a, name="甲", full_year_budget=D("30.00"), actual=D("25.00"))
    ProjectLine.objects.create(unit_year=year_a, name="乙", full_year_budget=D("20.00"), actual=D("10.00"))
    # full-year budgets agree (50.00); actuals 35.00 vs 40.00 — said once, with both numbers and the gap
    assert messages(year_a, "project_lines") == [
        "项目明细全年执行数合计为 35.00 万元，项目支出全年执行数为 40.00 万元，相差 5.00 万元。"
    ]


def test_income_total_against_spending_total_only_when_both_known(year_a):
    IncomeLine.objects.create(unit_year=year_a, source="appropriation", full_year_budget=D("100.00"))
    SpendingLine.objects.create(unit_year=year_a, kind="basic", full_year_budget=D("80.00"))
    project = SpendingLine.objects.create(unit_year=year_a, kind="project", initial_budget=D("15.00"))
    # 项目支出 has no 全年预算数 yet: the spending total is not known there, so no warning
    assert messages(year_a, "income_vs_spending") == []
    project.full_year_budget = D("15.00")
    project.save()
    assert messages(year_a, "income_vs_spending") == [
        "收入合计（全年预算数）100.00 万元与支出合计 95.00 万元不一致，相差 5.00 万元。"
    ]


def test_actual_above_budget(year_a):
    SpendingLine.objects.create(unit_year=year_a, kind="basic", full_year_budget=D("80.00"), actual=D("88.00"))
    ProjectLine.objects.create(unit_year=year_a, name="培训", full_year_budget=D("3.00"), actual=D("3.01"))
    ThreePublicLine.objects.create(unit_year=year_a, kind="reception", budget=D("1.00"), actual=D("1.50"))
    assert messages(year_a, "overspent") == [
        "基本支出全年执行数 88.00 万元超过全年预算数 80.00 万元（执行率 110.00%）。",
        "项目“培训”全年执行数 3.01 万元超过全年预算数 3.00 万元（执行率 100.33%）。",
        "三公经费“公务接待费”实际支出数 1.50 万元超过预算数 1.00 万元。",
    ]


def test_spending_against_a_budget_of_zero_has_no_rate(year_a):
    # 执行率 is undefined over a budget of 0: shown as "—" (as the browser shows it), not a crash.
    SpendingLine.objects.create(unit_year=year_a, kind="basic", full_year_budget=D("0.00"), actual=D("5.00"))
    assert messages(year_a, "overspent") == ["基本支出全年执行数 5.00 万元超过全年预算数 0.00 万元（执行率 —%）。"]


def test_general_public_cannot_exceed_its_parent(demo_year):
    assert messages(demo_year, "income_general_public") == [
        "其中：一般公共预算财政拨款（年初预算数）为 1269.21 万元，大于收入合计 880.51 万元，相差 388.70 万元。"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        (None, None),
        ("0", D("0.00")),
        ("1,304.57", D("1304.57")),
        (" 12.5 ", D("12.50")),
        ("１２．３", D("12.30")),
        ("7万元", D("7.00")),
        (3, D("3.00")),
        (1304.57, D("1304.57")),
        ("1.230", D("1.23")),
    ],
)
def test_parse_money_accepts(value, expected):
    assert parse_money(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("abc", "invalid"),
        ("1e3x", "invalid"),
        ("NaN", "invalid"),
        ("-0.01", "negative"),
        ("1.001", "decimals"),
        ("10000000", "magnitude"),
        (True, "invalid"),
    ],
)
def test_parse_money_refuses(value, code):
    with pytest.raises(ValidationError) as error:
        parse_money(value)
    assert error.value.code == code
