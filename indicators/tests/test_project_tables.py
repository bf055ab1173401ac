"""Per-project goal and indicator tables (项目支出绩效自评): edited with the same editor, scored
in the same flow, and never counted in the department's own table, totals or checks."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from budgets.models import ProjectFunds
from departments.models import UnitYear, YearStatus
from flow import services as flow
from flow.selectors import year_checklist
from indicators import selectors, services
from indicators.models import Indicator, ProjectEvaluation
from indicators.tests.factories import add_project, build_project_table, build_table, score_all


def fresh(unit_year):
    from budgets.figures import FIGURE_PREFETCH

    return UnitYear.objects.prefetch_related("indicators", *FIGURE_PREFETCH).get(pk=unit_year.pk)


def test_department_total_quality_and_checklist_ignore_project_indicators(year_a):
    department = build_table(year_a)
    before_quality = [f.message for f in selectors.year_quality(fresh(year_a))]
    before_checklist = [(c.label, c.done, c.detail) for c in year_checklist(fresh(year_a))]
    Indicator.objects.filter(pk__in=[i.pk for i in department]).update(score=D("10"))
    before_total = selectors.year_score(fresh(year_a))

    project = add_project(year_a)
    extra = build_project_table(year_a, project)
    # a project row with no weight would be an error in the department's own checks
    services.indicator_create(
        unit_year=year_a,
        project=project,
        fund_category="project",
        tier1="output",
        tier2="cost",
        name="人均成本",
        target="≤1000元",
    )
    Indicator.objects.filter(pk__in=[i.pk for i in extra]).update(score=D("1"))

    after_total = selectors.year_score(fresh(year_a))
    assert after_total == before_total
    assert [f.message for f in selectors.year_quality(fresh(year_a))] == before_quality
    assert [(c.label, c.done, c.detail) for c in year_checklist(fresh(year_a))] == before_checklist
    assert set(Indicator.objects.of_department()) == set(department)
    assert len(Indicator.objects.of_project(project)) == 5


def test_project_score_uses_its_own_execution_rate_and_weights(year_a):
    project = add_project(year_a, budget="20", actual="15")  # 75 %
    rows = build_project_table(year_a, project)
    Indicator.objects.filter(pk__in=[i.pk for i in rows]).update(score=None)
    for ind in rows:
        Indicator.objects.filter(pk=ind.pk).update(score=ind.weight)
    table = selectors.project_tables(fresh(year_a))[0]
    assert table.score.execution_rate == D("75.00")
    assert table.score.execution_score == D("7.50")
    assert table.score.total == D("97.50") and table.score.grade == "优"

    ProjectEvaluation.objects.create(
        project=project,
        output_weight=D("40"),
        benefit_weight=D("30"),
        satisfaction_weight=D("10"),
        execution_weight=D("20"),
        weights_reason="省厅要求执行率权重 20",
    )
    table = selectors.project_tables(fresh(year_a))[0]
    assert table.rules.execution_weight == D("20")
    assert table.score.execution_score == D("15.00")


def test_project_weights_must_add_up_and_need_a_reason(year_a):
    project = add_project(year_a)
    evaluation = ProjectEvaluation(project=project, output_weight=D("50"), benefit_weight=D("30"))
    with pytest.raises(ValidationError) as error:
        evaluation.full_clean()
    assert "四项权重" in str(error.value) and "理由" in str(error.value)
    evaluation = ProjectEvaluation(project=project, included=False)
    with pytest.raises(ValidationError, match="不纳入自评须填写理由"):
        evaluation.full_clean()


def test_editor_with_project_selector_adds_to_the_projects_table_only(client, personas, year_a):
    project = add_project(year_a)
    build_table(year_a)
    client.force_login(personas["officer_a"])
    url = reverse("indicators:table", args=[year_a.unit.code, year_a.year]) + f"?project={project.pk}"
    html = client.get(url).content.decode()
    assert "项目支出绩效自评 · 代表培训经费" in html
    assert 'data-testid="table-selector"' in html
    year_a.refresh_from_db()
    data = {
        "version": str(year_a.version),
        "project": str(project.pk),
        "ind-TOTAL_FORMS": "1",
        "ind-INITIAL_FORMS": "0",
        "ind-0-fund_category": "project",
        "ind-0-tier1": "output",
        "ind-0-tier2": "quantity",
        "ind-0-name": "培训人次",
        "ind-0-target": "≥200人次",
        "ind-0-weight": "50",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith(f"?project={project.pk}")
    added = Indicator.objects.get(name="培训人次")
    assert added.project_id == project.pk and added.target_display == "≥200人次"
    department_page = client.get(reverse("indicators:table", args=[year_a.unit.code, year_a.year])).content.decode()
    assert "培训人次" not in department_page
    # the project's table has its own quality checks: it lacks 效益 and 满意度
    project_page = client.get(url).content.decode()
    assert "培训人次" in project_page
    assert "效益指标" in project_page


def test_default_weights_per_project(year_a):
    project = add_project(year_a)
    rows = build_project_table(year_a, project)
    Indicator.objects.filter(pk__in=[i.pk for i in rows]).update(weight=None)
    dept = build_table(year_a)
    before = {i.pk: i.weight for i in dept}
    services.indicator_weights_default(unit_year=year_a, project=project)
    weights = {i.name: i.weight for i in Indicator.objects.of_project(project)}
    assert weights == {"培训人次": D("25"), "完成时限": D("25"), "履职能力提升": D("30"), "参训人员满意度": D("10")}
    assert {i.pk: i.weight for i in Indicator.objects.of_department()} == before


def test_project_goal_and_funds_by_source_are_saved_together(client, personas, year_a):
    project = add_project(year_a)
    client.force_login(personas["officer_a"])
    year_a.refresh_from_db()
    url = reverse("indicators:project_goal", args=[year_a.unit.code, year_a.year, project.pk])
    data = {
        "version": str(year_a.version),
        "expected_goal": "完成全县人大代表履职培训 200 人次",
        "included": "on",
        "funds-appropriation-initial_budget": "15",
        "funds-appropriation-full_year_budget": "15",
        "funds-appropriation-actual": "14.5",
        "funds-carryover-full_year_budget": "5",
        "funds-carryover-actual": "3.50",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    evaluation = ProjectEvaluation.objects.get(project=project)
    assert evaluation.expected_goal.startswith("完成全县")
    funds = {f.source: f for f in ProjectFunds.objects.filter(project=project)}
    assert funds["appropriation"].actual == D("14.50")
    assert funds["carryover"].full_year_budget == D("5.00")
    assert "other" not in funds
    page = client.get(reverse("indicators:table", args=[year_a.unit.code, year_a.year]) + f"?project={project.pk}")
    html = page.content.decode()
    assert "14.50" in html and "90.00%" in html  # 18 ÷ 20 of the project line

    # bad input: a negative amount is refused with its field named, nothing saved, and the
    # editor is shown again with everything the officer typed still in the project's forms
    year_a.refresh_from_db()
    data |= {
        "version": str(year_a.version),
        "expected_goal": "改写后的目标 <未保存>",
        "funds-other-actual": "-1",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "金额不能为负数" in html
    assert "其他资金 · 全年执行数：" in html  # the message names the row (资金来源) and the column
    assert "改写后的目标 &lt;未保存&gt;" in html  # typed, escaped, kept
    cell = html.split('name="funds-other-actual"', 1)[1].split("</td>", 1)[0]
    assert 'value="-1"' in cell and "is-invalid" in cell and 'aria-invalid="true"' in cell
    assert 'id="id_funds-other-actual-error"' in cell and "金额不能为负数" in cell  # the message at the cell
    assert html.count("is-invalid") == 1  # only the refused amount is marked
    assert f'name="version" value="{year_a.version}"' in html  # the next save claims the same version
    assert not ProjectFunds.objects.filter(project=project, source="other").exists()
    assert ProjectEvaluation.objects.get(project=project).expected_goal.startswith("完成全县")


def test_sources_that_do_not_add_up_to_the_project_are_flagged_on_its_panel(client, personas, year_a):
    project = add_project(year_a)  # 20.00 / 20.00 / 18.00
    client.force_login(personas["officer_a"])
    year_a.refresh_from_db()
    url = reverse("indicators:project_goal", args=[year_a.unit.code, year_a.year, project.pk])
    data = {
        "version": str(year_a.version),
        "included": "on",
        "funds-appropriation-initial_budget": "20",
        "funds-appropriation-full_year_budget": "15",
        "funds-appropriation-actual": "14.5",
        "funds-carryover-full_year_budget": "5",
        "funds-carryover-actual": "2",
    }
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("indicators:table", args=[year_a.unit.code, year_a.year]) + f"?project={project.pk}")
    html = page.content.decode()
    assert "分来源金额之和与年度资金总额不一致" in html
    assert "全年执行数：分来源合计与年度资金总额相差 1.50 万元" in html
    assert "全年预算数：分来源合计" not in html and "年初预算数：分来源合计" not in html  # those add up

    year_a.refresh_from_db()
    data |= {"version": str(year_a.version), "funds-carryover-actual": "3.50"}
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("indicators:table", args=[year_a.unit.code, year_a.year]) + f"?project={project.pk}")
    assert "分来源金额之和与年度资金总额不一致" not in page.content.decode()


def test_project_of_another_year_is_404(client, personas, year_a, year_b):
    other = add_project(year_b)
    client.force_login(personas["officer_a"])
    url = reverse("indicators:table", args=[year_a.unit.code, year_a.year]) + f"?project={other.pk}"
    assert client.get(url).status_code == 404
    assert client.get(url.replace(str(other.pk), "abc")).status_code == 404
    # nor can its goal and money be saved through this year's URL
    goal_url = reverse("indicators:project_goal", args=[year_a.unit.code, year_a.year, other.pk])
    assert client.post(goal_url, {"version": str(year_a.version), "expected_goal": "x"}).status_code == 404


def test_finalise_is_refused_while_a_project_is_unscored(evaluating_with_projects, evaluator_a, leader_a):
    year, first, second = evaluating_with_projects
    for ind in Indicator.objects.select_related("unit_year").filter(unit_year=year).exclude(project=second):
        _score(ind, evaluator_a)
    with pytest.raises(ValidationError, match="尚有成员未评分"):
        services.group_result_confirm(unit_year=year, user=evaluator_a)
    # the second project is excluded (that needs the officer in a draft; set directly here)
    ProjectEvaluation.objects.create(project=second, included=False, exclusion_reason="项目已终止")
    services.group_result_confirm(unit_year=year, user=evaluator_a)
    flow.year_finalise(unit_year=year, user=leader_a)
    year.refresh_from_db()
    assert year.status == YearStatus.FINALISED


def test_finalise_names_the_unscored_project(evaluating_with_projects, evaluator_a, leader_a):
    year, first, second = evaluating_with_projects
    score_all(year, evaluator_a)
    services.group_result_confirm(unit_year=year, user=evaluator_a)
    Indicator.objects.filter(project=second).update(score=None)  # as if never scored
    with pytest.raises(ValidationError) as error:
        flow.year_finalise(unit_year=year, user=leader_a)
    assert "人大宣传经费" in str(error.value) and "代表培训经费" not in str(error.value)


def _score(ind, member):
    if ind.target_kind == "quantitative":
        services.member_score_save(indicator=ind, member=member, actual=str(ind.target_value))
    else:
        services.member_score_save(indicator=ind, member=member, band="achieved", score=str(ind.weight))


def test_scoring_page_has_a_table_selector_with_progress_and_project_totals(evaluating_with_projects, evaluator_a):
    year, first, second = evaluating_with_projects
    for ind in Indicator.objects.select_related("unit_year").filter(project=first):
        _score(ind, evaluator_a)
    client = Client()
    client.force_login(evaluator_a)
    url = reverse("indicators:scoring", args=[year.unit.code, year.year])
    html = client.get(url).content.decode()
    assert "代表培训经费 <span" in html and ">4/4<" in html and ">0/4<" in html
    html = client.get(url + f"?project={first.pk}").content.decode()
    assert "项目支出绩效自评 · 代表培训经费" in html
    # 全部得满分, execution 18 ÷ 20 = 90 % → 9 of 10: 99.00
    assert 'data-testid="my-total">99.00<' in html
    assert "90.00%" in html
    # a JSON save of a project indicator answers that project's running total
    ind = Indicator.objects.filter(project=second, target_kind="quantitative").first()
    response = client.post(
        reverse("indicators:scoring_save", args=[year.unit.code, year.year, ind.pk]),
        {f"s{ind.pk}-actual": str(ind.target_value)},
        HTTP_ACCEPT="application/json",
    )
    body = response.json()
    assert body["ok"] and body["mine"]["execution_rate"] == "100.00%"


def test_group_result_lists_project_tables_and_confirms_all(evaluating_with_projects, evaluator_a):
    year, first, second = evaluating_with_projects
    score_all(year, evaluator_a)
    client = Client()
    client.force_login(evaluator_a)
    url = reverse("indicators:group_result", args=[year.unit.code, year.year])
    html = client.get(url).content.decode()
    assert 'data-testid="project-totals"' in html and "人大宣传经费" in html
    assert "（部门整体及全部项目）" in html
    client.post(reverse("indicators:group_result_confirm", args=[year.unit.code, year.year]))
    assert not Indicator.objects.filter(unit_year=year, score__isnull=True).exists()
    tables = selectors.project_tables(fresh(year))
    assert [t.score.total for t in tables] == [D("99.00"), D("100.00")]
    assert [t.score.grade for t in tables] == ["优", "优"]


def test_project_outcome_is_written_by_the_group(evaluating_with_projects, evaluator_a):
    year, first, _ = evaluating_with_projects
    client = Client()
    client.force_login(evaluator_a)
    year.refresh_from_db()
    url = reverse("indicators:project_outcome", args=[year.unit.code, year.year, first.pk])
    response = client.post(url, {"version": str(year.version), "actual_outcome": "全年培训代表 215 人次"})
    assert response.status_code == 302
    assert ProjectEvaluation.objects.get(project=first).actual_outcome == "全年培训代表 215 人次"


def _scoring_queries(unit_code: str, count: int) -> int:
    """Queries of the scoring page (and of a project's page) for a year with ``count`` projects."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import make_user
    from departments.models import Role, Unit

    unit = Unit.objects.create(code=unit_code, name=f"单位{unit_code}", region="甲县")
    year = UnitYear.objects.create(unit=unit, year=2024)
    leader = make_user(f"leader{unit_code}", role=Role.LEADER, unit=unit)
    evaluator = make_user(f"eval{unit_code}", role=Role.EVALUATOR, unit=unit)
    build_table(year)
    projects = []
    for n in range(count):
        projects.append(add_project(year, f"项目{n}", order=n + 1))
        build_project_table(year, projects[-1])
    services.evaluation_group_name(unit_year=year, user=leader, members=[evaluator], lead=evaluator)
    UnitYear.objects.filter(pk=year.pk).update(status=YearStatus.EVALUATING)
    services.year_scoring_start(unit_year=year)
    client = Client()
    client.force_login(evaluator)
    url = reverse("indicators:scoring", args=[unit.code, 2024])
    client.get(url)  # warm the session
    counts = []
    for page in (url, f"{url}?project={projects[0].pk}"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        counts.append(len(captured))
    return sum(counts)


def test_scoring_page_queries_do_not_grow_with_projects(db):
    assert _scoring_queries("Q1", 1) == _scoring_queries("Q20", 20)
