"""The generated sentences, from the same figures the tables use."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from budgets.figures import year_figures
from budgets.models import IncomeLine, ProjectLine, SpendingLine
from indicators.scoring import YearScore
from reports import prose

pytestmark = pytest.mark.django_db


def test_income_sentence_never_prints_a_part_larger_than_its_total(demo_year):
    # the reference: year-start total 880.51 "其中" 1269.21 — not a part; each figure is named
    # with its basis and the disagreement is said (the unit's explanation follows as a note)
    text = prose.income_sentence(year=2024, figures=year_figures(demo_year), note="人数变动。")
    assert text == (
        "2024年，单位预算收入1304.57万元（经人大批准的年初预算收入880.51万元），比上年1326.27万元减少21.70万元，"
        "减少1.64%。一般公共预算财政拨款收入年初预算1269.21万元，比上年1294.30万元减少25.09万元，"
        "大于年初预算收入合计880.51万元，两者口径不一致。主要变化是：人数变动。"
    )
    assert "其中" not in text


def test_income_sentence_names_a_part_that_fits_as_a_part(demo_year):
    IncomeLine.objects.filter(unit_year=demo_year, source="general_public").update(initial_budget=D("800.00"))
    text = prose.income_sentence(year=2024, figures=year_figures(demo_year))
    assert "其中：一般公共预算财政拨款收入年初预算800.00万元，比上年1294.30万元减少494.30万元。" in text


def test_spending_sentence(demo_year):
    text = prose.spending_sentence(year=2024, figures=year_figures(demo_year), note="厉行节约。")
    assert (
        text
        == "2024年，本单位支出1304.57万元，比上年1336.76万元减少32.19万元，减少2.41%。增减变化的主要原因是：厉行节约。"
    )  # noqa: E501


def test_project_sentences_sum_what_they_list(demo_year):
    figures = year_figures(demo_year)
    assert (
        prose.project_budget_sentence(year=2024, figures=figures)
        == "2024年项目支出年初预算236.00万元，年中追加39.61万元，全年预算275.61万元："
    )  # noqa: E501
    items = prose.project_items(figures)
    assert items[0] == "县人大代表活动经费31.00万元；"
    # the ten projects and the 39.61 added during the year (not itemised), its own row
    assert len(items) == 11
    assert items[-1] == "年中追加（未细化到项目）39.61万元；"
    assert prose.project_usage_sentence(figures=figures) == "上述实际使用275.61万元。"


def test_increase_and_unchanged_and_missing_last_year(year_a):
    IncomeLine.objects.create(unit_year=year_a, source="total", full_year_budget=D("110.00"), previous_year=D("100.00"))
    SpendingLine.objects.create(unit_year=year_a, kind="total", actual=D("50.00"), previous_year=D("50.00"))
    figures = year_figures(year_a)
    assert (
        prose.income_sentence(year=2024, figures=figures)
        == "2024年，单位预算收入110.00万元，比上年100.00万元增加10.00万元，增加10.00%。"
    )  # noqa: E501
    assert prose.spending_sentence(year=2024, figures=figures) == "2024年，本单位支出50.00万元，与上年50.00万元持平。"
    SpendingLine.objects.filter(unit_year=year_a).update(previous_year=None)
    figures = year_figures(type(year_a).objects.get(pk=year_a.pk))
    assert prose.spending_sentence(year=2024, figures=figures) == "2024年，本单位支出50.00万元。"


def test_nothing_stated_gives_no_sentence(year_a):
    figures = year_figures(year_a)
    assert prose.income_sentence(year=2024, figures=figures) == ""
    assert prose.spending_sentence(year=2024, figures=figures) == ""
    assert prose.project_budget_sentence(year=2024, figures=figures) == ""


def test_project_usage_is_appended(year_a):
    ProjectLine.objects.create(unit_year=year_a, name="培训", actual=D("3.50"), usage="举办培训2期。")
    items = prose.project_items(year_figures(year_a))
    assert items == ["培训3.50万元，举办培训2期；"]


def test_score_sentence():
    score = YearScore(
        total=D("97.00"),
        grade="优",
        execution_score=D("10.00"),
        execution_rate=D("100.00"),
        indicator_points=D("87.00"),
        applicable_weight=D("100.00"),
        scored=19,
        unscored=0,
    )
    assert prose.score_sentence(year=2024, score=score) == (
        "2024年度部门整体支出绩效自评综合得分97分，评价等级为“优”。其中预算执行率100.00%，得10分；绩效指标得87分。"
    )


def test_numbers_and_numerals():
    assert [prose.chinese_number(n) for n in (1, 7, 10, 13, 20, 21)] == ["一", "七", "十", "十三", "二十", "二十一"]
    assert prose.score_text(D("8.50")) == "8.5"
    assert prose.score_text(D("0.00")) == "0"
    assert prose.wan(D("20")) == "20.00万元"
    assert prose.numbered(["甲。", "乙"]) == "1、甲；2、乙。"
