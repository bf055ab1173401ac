"""The demo loader against the reference report, figure for figure."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command

from budgets.figures import year_figures
from budgets.models import IncomeLine, ProjectLine
from departments.models import Duty, Organ, UnitYear
from indicators.models import Goal, Indicator

pytestmark = pytest.mark.django_db

REFERENCE_INDICATORS = [
    # (经费类别, 一级, 二级, 三级, 指标值) exactly as the reference prints them
    ("基本经费", "产出指标", "数量指标", "人大会议次数", "≥20次"),
    ("基本经费", "产出指标", "数量指标", "人大资讯", "≥20篇"),
    ("基本经费", "产出指标", "质量指标", "下发文件差错率", "≤1%"),
    ("基本经费", "产出指标", "时效指标", "工作按时完成率", "≥98%"),
    ("基本经费", "产出指标", "成本指标", "工资福利支出", "≤760万元"),
    ("基本经费", "产出指标", "成本指标", "商品和服务支出", "≤440万元"),
    ("项目经费", "产出指标", "数量指标", "组织各类活动", "≥3个"),
    ("项目经费", "产出指标", "数量指标", "代表联系群众次数", "≥50次"),
    ("项目经费", "产出指标", "数量指标", "代表工作站运行个数", "=17个"),
    ("项目经费", "产出指标", "质量指标", "解决群众问题的完成率", "≥95%"),
    ("项目经费", "产出指标", "质量指标", "代表工作站建设质量合格率", "100%"),
    ("项目经费", "产出指标", "时效指标", "完成及时性", "2024年12月底之前完成"),
    ("项目经费", "产出指标", "成本指标", "项目支出成本节约率", "≥0%"),
    ("项目经费", "产出指标", "成本指标", "年度项目经费总额", "≤280万元"),
    ("项目经费", "效益指标", "经济效益指标", "促进本县经济发展", "有效促进"),
    ("项目经费", "效益指标", "社会效益指标", "促进社会和谐，充分发挥桥梁作用", "有所促进"),
    ("项目经费", "效益指标", "环境效益指标", "将环保意识、绿色发展要求贯穿人大各项工作中", "有效改善"),
    ("项目经费", "效益指标", "可持续影响指标", "加强同各级代表的联系，为县委决策提供依据", "长期有效"),
    ("项目经费", "满意度指标", "服务对象满意度指标", "群众满意度", "≥97%"),
]


def test_profile(demo_year):
    assert demo_year.unit.name == "安化县人大常委会办公室"
    assert demo_year.year == 2024
    assert (demo_year.headcount_authorized, demo_year.headcount_actual) == (42, 43)
    assert (demo_year.contact_name, demo_year.contact_phone) == ("姚勇", "13800000000")
    assert demo_year.function_summary == "立法、监督、人事任免、代表活动"


def test_thirteen_duties_in_order(demo_year):
    duties = list(Duty.objects.filter(unit_year=demo_year))
    assert [d.order for d in duties] == list(range(1, 14))
    assert duties[0].text.startswith("在本行政区域内，保证宪法")
    assert duties[12].text == "在县人民代表大会闭会期间，补选上一级人民代表大会出缺的代表和罢免个别代表。"


def test_organisation(demo_year):
    by_kind = {}
    for organ in Organ.objects.filter(unit_year=demo_year):
        by_kind.setdefault(organ.kind, []).append(organ.name)
    assert len(by_kind["committee"]) == 7
    assert "财政经济委员会" in by_kind["committee"]
    assert by_kind["office"] == ["办公室（研究室）", "选举任免联络工作委员会"]
    assert by_kind["affiliated"] == ["县人大常委会机关信息中心", "县人大预算联网服务中心"]
    affiliated = Organ.objects.filter(unit_year=demo_year, kind="affiliated")
    assert all(o.affiliated_unit and o.affiliated_unit.parent == demo_year.unit for o in affiliated)


def test_income_and_spending_totals(demo_year):
    figures = year_figures(demo_year)
    income = figures.income_total
    assert income.full_year_budget == D("1304.57")
    assert income.initial_budget == D("880.51")
    assert income.previous_year == D("1326.27")
    assert income.change.amount == D("-21.70")  # the reference's slip says 21.76
    assert income.change.percent == D("-1.64")
    appropriation = figures.income_line("appropriation")
    assert appropriation.full_year_budget == D("1304.57")
    general = figures.income_line("general_public")
    assert general.initial_budget == D("1269.21")
    assert general.initial_change.amount == D("-25.09")

    spending = figures.spending_total
    assert spending.actual == D("1304.57")
    assert spending.change.amount == D("-32.19")
    assert spending.change.percent == D("-2.41")
    assert figures.spending_line("basic").full_year_budget == D("1028.96")
    assert figures.spending_line("project").full_year_budget == D("275.61")
    assert figures.spending_line("project").initial_budget == D("236.00")
    assert figures.spending_parts_total.full_year_budget == D("1304.57")


def test_three_public(demo_year):
    figures = year_figures(demo_year)
    by_kind = {t.kind: t for t in figures.three_public}
    assert by_kind["reception"].budget == D("11.31")
    assert by_kind["vehicle"].budget == D("0.00")
    assert by_kind["abroad"].budget is None
    assert figures.three_public_total.budget == D("11.31")


def test_projects_and_their_sum(demo_year):
    projects = list(ProjectLine.objects.filter(unit_year=demo_year))
    assert [(p.name, p.initial_budget) for p in projects][:3] == [
        ("县人大代表活动经费", D("31.00")),
        ("国、省人大代表专项活动经费", D("20.00")),
        ("乡镇人大工作经费", D("35.00")),
    ]
    listed = [p for p in projects if p.kind == "project"]
    assert [p.initial_budget for p in listed] == [
        D(x) for x in ("31.00", "20.00", "35.00", "40.00", "20.00", "6.78", "4.00", "39.22", "20.00", "20.00")
    ]
    # Each listed project: year-start budget = full-year budget = spent ("上述实际使用236万元").
    assert all(p.initial_budget == p.full_year_budget == p.actual for p in listed)
    figures = year_figures(demo_year)
    assert figures.itemised_amount_sum == D("236.00")
    assert figures.itemised_project_totals.actual == D("236.00")


def test_the_mid_year_addition_is_its_own_row_and_the_projects_reconcile(demo_year):
    # The reference: 项目支出 236.00 at year start, 275.61 for the year; the 39.61 added during
    # the year is not itemised. Entered as its own row, the rows add up to 项目支出.
    figures = year_figures(demo_year)
    unitemised = figures.unitemised_projects
    assert [(p.name, p.initial_budget, p.full_year_budget, p.actual, p.adjustment) for p in unitemised] == [
        ("年中追加（未细化到项目）", D("0.00"), D("39.61"), D("39.61"), D("39.61"))
    ]
    totals = figures.project_totals
    project = figures.spending_line("project")
    assert (totals.initial_budget, totals.adjustment, totals.full_year_budget) == (
        D("236.00"),
        D("39.61"),
        D("275.61"),
    )
    assert (project.initial_budget, project.adjustment, project.full_year_budget) == (
        totals.initial_budget,
        totals.adjustment,
        totals.full_year_budget,
    )
    assert totals.actual == D("275.61")
    assert figures.project_amount_sum == D("275.61")


def test_goals(demo_year):
    goals = Goal.objects.filter(unit_year=demo_year)
    assert goals.filter(kind="long_term").count() == 4
    assert goals.filter(kind="overall").count() == 3
    assert goals.filter(kind="annual").count() == 7
    assert goals.get(kind="long_term", order=1).text == "围绕中心、突出重点，实施正确监督、有效监督"


def test_every_indicator_and_target(demo_year):
    rows = [
        (i.get_fund_category_display(), i.get_tier1_display(), i.get_tier2_display(), i.name, i.target_display)
        for i in Indicator.objects.filter(unit_year=demo_year).of_department().order_by("order")
    ]
    assert rows == REFERENCE_INDICATORS


def test_targets_stored_as_parts(demo_year):
    meetings = Indicator.objects.get(unit_year=demo_year, name="人大会议次数")
    assert (meetings.target_kind, meetings.comparator, meetings.target_value, meetings.target_unit) == (
        "quantitative",
        "ge",
        D("20"),
        "次",
    )
    deadline = Indicator.objects.get(unit_year=demo_year, name="完成及时性")
    assert deadline.target_kind == "deadline"
    assert str(deadline.deadline) == "2024-12-31"
    assert Indicator.objects.get(unit_year=demo_year, name="促进本县经济发展").target_kind == "qualitative"


def test_narrative_sections(demo_year):
    assert demo_year.problems.count("\n") == 3
    assert demo_year.measures.startswith("一是建立完善的绩效目标审核机制")
    assert "电子卖场" in demo_year.implementation_procurement
    assert "绩效评价工作小组" in demo_year.evaluation_process


def test_running_twice_changes_nothing(capsys):
    call_command("load_demo", "--no-county")
    counts = (UnitYear.objects.count(), IncomeLine.objects.count(), Indicator.objects.count())
    history = UnitYear.history.count()
    call_command("load_demo", "--no-county")
    assert (UnitYear.objects.count(), IncomeLine.objects.count(), Indicator.objects.count()) == counts
    assert UnitYear.history.count() == history
    out = capsys.readouterr().out
    for username in ("officer", "evaluator", "leader", "admin"):
        assert username in out
    assert "perfeval-demo-2024" in out


def test_demo_accounts_can_sign_in(client):
    call_command("load_demo", "--no-county")
    assert client.login(username="officer", password="perfeval-demo-2024")
    response = client.get("/")
    assert "安化县人大常委会办公室" in response.content.decode()
