"""An evaluator scores the department table and two project tables in one sitting, moving between
them with the table selector; each table shows its own running total and its progress; the lead
confirms every table at once and each project gets its total and grade."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from budgets.models import ProjectLine
from demo.data import DEMO_PASSWORD
from flow import services as flow
from indicators import services
from indicators.tests.factories import build_project_table

from .test_scoring_flow import QUALITATIVE, QUANTITATIVE, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The two projects' tables (indicators.tests.test_project_tables.PROJECT_TABLE), as typed.
PROJECT_QUANTITATIVE = {"培训人次": "210", "参训人员满意度": "95%"}
PROJECT_QUALITATIVE = {
    # name: (actual, band, score)
    "完成时限": ("2024年11月完成", "达成年度指标", "20"),
    "履职能力提升": ("明显提升", "达成年度指标", "27"),
}


@pytest.fixture
def two_projects_under_evaluation(demo_year):
    people = {u.username: u for u in get_user_model().objects.all()}
    projects = list(ProjectLine.objects.filter(unit_year=demo_year, kind="project").order_by("order")[:2])
    for project in projects:
        build_project_table(demo_year, project)
    services.indicator_weights_default(unit_year=demo_year)
    services.evaluation_group_name(
        unit_year=demo_year, user=people["leader"], members=[people["evaluator"]], lead=people["evaluator"]
    )
    flow.year_submit(unit_year=demo_year, user=people["officer"], acknowledge_warnings=True)
    flow.year_start_evaluation(unit_year=demo_year, user=people["leader"])
    return demo_year, projects


def _score_rows(page, quantitative: dict, qualitative: dict) -> None:
    for name, actual in quantitative.items():
        r = row(page, name)
        if name == "人大资讯":
            r.locator("textarea[name$='-deviation_reason']").fill("宣传稿件较计划减少，明年加强信息报送")
        r.locator("input[name$='-actual']").fill(actual)
        r.get_by_role("button", name="保存").click()
        expect(r.get_by_test_id("row-status")).to_contain_text("已保存")
    for name, (actual, band, score) in qualitative.items():
        r = row(page, name)
        r.locator("input[name$='-actual']").fill(actual)
        r.locator("select[name$='-band']").select_option(label=band)
        if band != "达成年度指标":
            r.locator("textarea[name$='-deviation_reason']").fill("部分达成")
        r.locator("input[name$='-score']").fill(score)
        r.get_by_role("button", name="保存").click()
        expect(r.get_by_test_id("row-status")).to_contain_text("已保存")


def test_evaluator_scores_two_projects_and_the_department_in_one_sitting(page, login, two_projects_under_evaluation):
    uy, (first, second) = two_projects_under_evaluation
    base = f"/u/{uy.unit.code}/{uy.year}"
    login("evaluator", DEMO_PASSWORD)
    page.goto(f"{base}/scoring/")
    selector = page.get_by_test_id("table-selector")
    expect(selector.get_by_role("link", name=first.name)).to_contain_text("0/4")

    # the department's table first
    _score_rows(page, QUANTITATIVE, QUALITATIVE)
    expect(page.get_by_test_id("my-total")).to_have_text("98.14")

    # the first project: its own total (31 of 31 spent: execution 10 of 10)
    selector.get_by_role("link", name=first.name).click()
    expect(page.get_by_test_id("project-title")).to_contain_text(first.name)
    expect(page.get_by_test_id("my-total")).to_have_text("10.00")  # only its execution rate so far
    _score_rows(page, PROJECT_QUANTITATIVE, PROJECT_QUALITATIVE)
    # 50 (产出) + 27 of 30 + 10 + 10 = 97
    expect(page.get_by_test_id("my-total")).to_have_text("97.00")
    expect(page.get_by_test_id("my-grade")).to_have_text("优")

    # the second project, through the selector, which shows the first one done
    page.get_by_test_id("table-selector").get_by_role("link", name=second.name).click()
    expect(page.get_by_test_id("table-selector").get_by_role("link", name=first.name)).to_contain_text("4/4")
    _score_rows(
        page,
        PROJECT_QUANTITATIVE,
        {**PROJECT_QUALITATIVE, "履职能力提升": ("有所提升", "部分达成并具有一定效果", "21")},
    )
    expect(page.get_by_test_id("my-total")).to_have_text("91.00")
    page.get_by_label(f"{second.name} · 实际完成情况").fill("全年完成代表专题调研 2 次")
    page.get_by_test_id("project-outcome-save").click()
    expect(page.get_by_role("alert").first).to_contain_text("已保存项目")

    # the department's table kept its total: project rows never count there
    page.get_by_test_id("table-selector").get_by_role("link", name="部门整体支出").click()
    expect(page.get_by_test_id("my-total")).to_have_text("98.14")

    # the lead confirms every table at once
    page.goto(f"{base}/scoring/result/")
    page.get_by_test_id("confirm-result").click()
    expect(page.get_by_test_id("confirmed-total")).to_contain_text("98.14 优")
    totals = page.get_by_test_id("project-confirmed-total")
    expect(totals.nth(0)).to_contain_text("97.00 优")
    expect(totals.nth(1)).to_contain_text("91.00 优")
