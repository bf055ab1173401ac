"""The 收支与项目 page: figures from budgets.figures, validation at the field, saving,
project rows, concurrent edits and pinned query counts."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from budgets.figures import year_figures
from budgets.models import IncomeLine, ProjectLine, SpendingLine
from departments.models import UnitYear

pytestmark = pytest.mark.django_db


def url(unit_year):
    return reverse("budgets:figures", args=[unit_year.unit.code, unit_year.year])


def out(html: str, key: str) -> str:
    """The text of the derived cell ``data-out=key`` (first occurrence)."""
    match = re.search(rf'data-out="{re.escape(key)}"[^>]*>([^<]*)<', html)
    assert match, key
    return match.group(1)


def test_demo_page_shows_the_server_figures_and_the_projects_reconcile(officer_client, demo_year):
    html = officer_client.get(url(demo_year)).content.decode()
    figures = year_figures(demo_year)
    # one row per total: the typed one (its input) and the computed sum of its parts, named apart
    assert 'name="income-total-full_year_budget" value="1304.57"' in html
    assert html.count(">收入合计<") == 1 and '收入合计<span class="small text-muted">（填报）' in html
    assert "各项收入之和（计算）" in html
    assert 'aria-label="财政拨款 · 年初预算数（万元）"' in html
    assert 'aria-label="删除项目第3行"' in html  # a button-like control says what it acts on
    assert '年初预算数<br><span class="unit">（万元）</span>' in html
    assert out(html, "income.total.change") == "-21.70"  # the reference's slip says 21.76
    assert out(html, "income.total.pct") == "-1.64%"
    assert out(html, "spending.total.change") == "-32.19"
    assert out(html, "spending.total.pct") == "-2.41%"
    # 236.00 over ten projects + the 39.61 added during the year (its own row) = 项目支出 275.61
    assert out(html, "projects.total.initial_budget") == "236.00"
    assert out(html, "projects.total.full_year_budget") == "275.61"
    assert out(html, "projects.amount_sum") == "275.61"
    assert out(html, "overall.rate") == f"{figures.execution_rate:.2f}%" == "100.00%"
    assert "项目明细金额合计" not in html
    # each project row's values are in its inputs; the unitemised row is marked by its kind
    assert "县人大代表活动经费</textarea>" in html
    assert '<option value="unitemised" selected>年中追加（未细化到项目）</option>' in html
    # 10 projects, the unitemised row, 1 blank row, the row template
    assert html.count("<tr data-project-row>") == 10 + 1 + 1 + 1


def test_unreconciled_projects_show_the_project_finding(officer_client, unreconciled_demo_year):
    html = officer_client.get(url(unreconciled_demo_year)).content.decode()
    assert out(html, "projects.amount_sum") == "236.00"
    assert "项目明细金额合计为 236.00 万元，项目支出（全年预算数）为 275.61 万元，相差 39.61 万元。" in html


def test_a_project_row_can_be_marked_as_the_unitemised_addition(officer_client, unreconciled_demo_year, figures_post):
    year = unreconciled_demo_year
    data = figures_post(year)
    data |= {
        "projects-TOTAL_FORMS": "11",
        "projects-10-name": "年中追加",
        "projects-10-kind": "unitemised",
        "projects-10-initial_budget": "0",
        "projects-10-full_year_budget": "39.61",
    }
    for i in range(10):  # each project's full-year budget is its year-start budget
        data[f"projects-{i}-full_year_budget"] = data[f"projects-{i}-initial_budget"]
    assert officer_client.post(url(year), data).status_code == 302
    row = ProjectLine.objects.get(unit_year=year, name="年中追加")
    assert (row.kind, row.get_kind_display()) == ("unitemised", "年中追加（未细化到项目）")
    html = officer_client.get(url(year)).content.decode()
    assert out(html, "projects.total.full_year_budget") == "275.61"
    assert "项目明细" not in "".join(re.findall(r'data-check="project[^"]*">([^<]*)<', html))


def test_saving_a_project_amount_updates_the_figures_and_history(officer_client, unreconciled_demo_year, figures_post):
    demo_year = unreconciled_demo_year
    data = figures_post(demo_year)
    first = ProjectLine.objects.get(unit_year=demo_year, order=1)
    data["projects-0-actual"] = "70.61"  # 31.00 → 70.61: the lines now sum to 275.61
    response = officer_client.post(url(demo_year), data)
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.actual == D("70.61")
    html = officer_client.get(url(demo_year)).content.decode()
    assert "收支与项目数据已保存" in html
    assert out(html, "projects.amount_sum") == "275.61"
    assert "项目明细金额合计" not in html  # the finding is resolved
    latest = first.history.first()  # the newest record
    assert (latest.actual, latest.history_user.username, latest.history_type) == (D("70.61"), "officer", "~")
    year = UnitYear.objects.get(pk=demo_year.pk)
    assert year.version == demo_year.version + 1
    assert year.updated_by.username == "officer"


def test_unchanged_save_writes_no_history(officer_client, demo_year, figures_post):
    counts = [m.history.count() for m in (IncomeLine, SpendingLine, ProjectLine)]
    assert officer_client.post(url(demo_year), figures_post(demo_year)).status_code == 302
    assert [m.history.count() for m in (IncomeLine, SpendingLine, ProjectLine)] == counts


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "不是数字"),
        ("12元", "不是数字"),
        ("-5", "金额不能为负数。"),
        ("1.234", "金额最多保留两位小数"),
        ("123456789", "金额超过 1000 亿元"),
    ],
)
def test_bad_amounts_are_refused_at_the_field(officer_client, demo_year, figures_post, typed, message):
    data = figures_post(demo_year)
    data["spending-basic-full_year_budget"] = typed
    data["projects-1-actual"] = typed
    response = officer_client.post(url(demo_year), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(message) == 2  # at both fields
    assert "未保存任何内容" in html
    assert f'value="{typed}"' in html  # what was typed stays to correct
    assert SpendingLine.objects.get(unit_year=demo_year, kind="basic").full_year_budget == D("1028.96")
    assert UnitYear.objects.get(pk=demo_year.pk).version == demo_year.version


def test_separators_and_fullwidth_digits_are_accepted(officer_client, demo_year, figures_post):
    data = figures_post(demo_year)
    data["spending-basic-full_year_budget"] = "1,028.96"
    data["spending-basic-actual"] = "１０２８．９６"
    assert officer_client.post(url(demo_year), data).status_code == 302
    line = SpendingLine.objects.get(unit_year=demo_year, kind="basic")
    assert (line.full_year_budget, line.actual) == (D("1028.96"), D("1028.96"))


def test_blank_is_not_stated_and_zero_is_zero(officer_client, demo_year, figures_post):
    data = figures_post(demo_year)
    data["income-non_tax-full_year_budget"] = "0"
    data["income-total-initial_budget"] = ""
    assert officer_client.post(url(demo_year), data).status_code == 302
    assert IncomeLine.objects.get(unit_year=demo_year, source="non_tax").full_year_budget == D("0.00")
    total = IncomeLine.objects.get(unit_year=demo_year, source="total")
    assert total.initial_budget is None
    assert IncomeLine.objects.filter(unit_year=demo_year, source="carryover").exists() is False


def test_add_remove_and_reorder_project_rows(officer_client, unreconciled_demo_year, figures_post):
    demo_year = unreconciled_demo_year
    data = figures_post(demo_year)
    data["projects-0-DELETE"] = "on"
    data |= {
        "projects-TOTAL_FORMS": "11",
        "projects-10-order": "0",  # put first
        "projects-10-name": "新增项目",
        "projects-10-full_year_budget": "12.50",
    }
    assert officer_client.post(url(demo_year), data).status_code == 302
    names = list(ProjectLine.objects.filter(unit_year=demo_year).order_by("order").values_list("name", "order"))
    assert names[0] == ("新增项目", 1)
    assert names[1] == ("国、省人大代表专项活动经费", 2)
    assert "县人大代表活动经费" not in [n for n, _ in names]
    assert len(names) == 10


def test_a_project_row_with_an_amount_needs_a_name(officer_client, unreconciled_demo_year, figures_post):
    demo_year = unreconciled_demo_year
    data = figures_post(demo_year)
    data |= {"projects-TOTAL_FORMS": "11", "projects-10-actual": "5"}
    response = officer_client.post(url(demo_year), data)
    assert "请填写项目名称。" in response.content.decode()
    assert ProjectLine.objects.filter(unit_year=demo_year).count() == 10


def test_the_later_of_two_concurrent_saves_is_refused_and_keeps_its_input(demo_year, figures_post):
    officer = get_user_model().objects.get(username="officer")
    colleague = get_user_model().objects.create_user("colleague", first_name="王会计", password="x")
    from departments.models import Membership, Role

    Membership.objects.create(user=colleague, unit=demo_year.unit, role=Role.OFFICER)
    first, second = Client(), Client()
    first.force_login(colleague)
    second.force_login(officer)
    form_first, form_second = figures_post(demo_year), figures_post(demo_year)  # both opened the page

    form_first["projects-0-actual"] = "30.00"
    assert first.post(url(demo_year), form_first).status_code == 302

    form_second["projects-0-actual"] = "33.33"
    form_second["spending-basic-actual"] = "1000.00"
    response = second.post(url(demo_year), form_second)
    assert response.status_code == 200
    html = response.content.decode()
    assert "保存未成功：王会计 已于" in html
    year = UnitYear.objects.get(pk=demo_year.pk)
    assert f"{year.updated_at.astimezone().strftime('%Y-%m-%d')}" in html
    assert 'value="33.33"' in html and 'value="1000.00"' in html  # the input is kept
    assert ProjectLine.objects.get(unit_year=demo_year, order=1).actual == D("30.00")
    assert SpendingLine.objects.get(unit_year=demo_year, kind="basic").actual is None
    # saving again from the kept input now applies it deliberately
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert version == str(year.version)
    form_second["version"] = version
    assert second.post(url(demo_year), form_second).status_code == 302
    assert ProjectLine.objects.get(unit_year=demo_year, order=1).actual == D("33.33")


def _add_projects(unit_year, n):
    ProjectLine.objects.bulk_create(
        ProjectLine(unit_year=unit_year, order=100 + i, name=f"附加项目{i}", actual=D("1.00")) for i in range(n)
    )


def test_query_count_does_not_grow_with_projects(officer_client, demo_year, django_assert_num_queries):
    # 1 session, 2 user, 3 memberships (the access policy), 4 the unit-year + unit + updated_by
    # and the user's seats on its evaluation group (the 评分 tab), 5-8 prefetch income /
    # spending / project / 三公 lines
    with django_assert_num_queries(8):
        officer_client.get(url(demo_year))
    _add_projects(demo_year, 40)
    with django_assert_num_queries(8):
        html = officer_client.get(url(demo_year)).content.decode()
    assert "附加项目39" in html


def test_checks_page_query_count(officer_client, unreconciled_demo_year, django_assert_num_queries):
    demo_year = unreconciled_demo_year
    _add_projects(demo_year, 25)
    checks_url = reverse("budgets:checks", args=[demo_year.unit.code, demo_year.year])
    # session, user, memberships, unit-year with the evaluation group seats (the 评分 tab), 4
    # prefetches
    with django_assert_num_queries(8):
        html = officer_client.get(checks_url).content.decode()
    assert "项目明细金额合计为 261.00 万元" in html
