"""A project line keeps its identity: through the form, an Excel round trip and the next year;
deleting a project that indicators hang on asks first and keeps the history."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from budgets import excel
from budgets.models import ProjectLine
from budgets.services import figures_replace, year_data_of
from budgets.tests.test_excel import edited, export, fresh, token_of, upload
from indicators.models import Indicator
from indicators.services import indicator_create


def _ids(unit_year) -> dict[str, int]:
    return dict(ProjectLine.objects.filter(unit_year=unit_year).values_list("name", "pk"))


def test_form_save_keeps_every_line_id_even_when_renamed(officer_client, demo_year, figures_post):
    before = _ids(demo_year)
    data = figures_post(demo_year)
    data["projects-0-name"] = "县人大代表活动经费（更名）"
    data["projects-1-actual"] = "12.34"
    response = officer_client.post(reverse("budgets:figures", args=[demo_year.unit.code, demo_year.year]), data)
    assert response.status_code == 302
    after = _ids(demo_year)
    assert after["县人大代表活动经费（更名）"] == before["县人大代表活动经费"]
    assert set(after.values()) == set(before.values())


def test_excel_round_trip_keeps_ids_and_matches_new_rows_by_name_only(demo_year):
    before = _ids(demo_year)

    def change(wb):
        ws = wb["项目支出"]
        ws["B4"] = "县人大代表活动经费（改名）"  # renamed, id kept: the same project
        ws["I5"] = None  # id cleared, name unchanged: matched by its name
        ws["B6"] = "另一个名称"  # renamed and id typed over: the id wins
        ws["I6"] = "abc"

    content = edited(export(demo_year), change)
    data = excel.workbook_parse(upload(content))
    year = fresh(demo_year)
    figures_replace(unit_year=year, user=None, expected_version=year.version, data=data)
    after = _ids(demo_year)
    assert after["县人大代表活动经费（改名）"] == before["县人大代表活动经费"]
    second = ProjectLine.objects.get(unit_year=demo_year, order=2)
    assert second.pk in before.values()
    third = ProjectLine.objects.get(unit_year=demo_year, order=3)
    assert third.name == "另一个名称" and third.pk not in before.values()  # no id, new name: a new line


def test_an_id_of_another_year_is_ignored(demo_year):
    data = year_data_of(fresh(demo_year))
    data.projects[0].pk = 999_999
    data.projects[0].by_name = True
    year = fresh(demo_year)
    before = _ids(demo_year)
    figures_replace(unit_year=year, user=None, expected_version=year.version, data=data)
    assert _ids(demo_year) == before  # matched by its name instead


def test_next_year_links_each_project_to_last_years(demo_year):
    from flow.services import unit_year_create_next

    officer = get_user_model().objects.get(username="officer")
    nxt = unit_year_create_next(unit_year=demo_year, user=officer)
    lines = list(nxt.project_lines.order_by("order"))
    assert len(lines) == 10
    for line in lines:
        assert line.previous.unit_year_id == demo_year.pk
        assert line.previous.name == line.name


def test_deleting_a_project_with_indicators_asks_first_and_keeps_history(officer_client, demo_year, figures_post):
    project = ProjectLine.objects.get(unit_year=demo_year, order=1)
    indicator = indicator_create(
        unit_year=demo_year,
        project=project,
        fund_category="project",
        tier1="output",
        tier2="quantity",
        name="代表活动次数",
        target="≥20次",
    )
    url = reverse("budgets:figures", args=[demo_year.unit.code, demo_year.year])
    data = figures_post(demo_year)
    data["projects-0-DELETE"] = "on"
    html = officer_client.post(url, data).content.decode()
    assert "已有绩效目标、指标或评分" in html and "确认删除项目" in html
    assert ProjectLine.objects.filter(pk=project.pk).exists()  # nothing saved
    assert Indicator.objects.filter(pk=indicator.pk).exists()

    data["confirm_delete"] = "1"
    response = officer_client.post(url, data)
    assert response.status_code == 302
    assert not ProjectLine.objects.filter(pk=project.pk).exists()
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    # history keeps both
    assert ProjectLine.history.filter(id=project.pk, history_type="-").exists()
    assert Indicator.history.filter(id=indicator.pk, history_type="-").exists()


def test_deleting_a_project_without_indicators_needs_no_confirmation(demo_year):
    data = year_data_of(fresh(demo_year))
    data.projects = data.projects[1:]
    year = fresh(demo_year)
    figures_replace(unit_year=year, user=None, expected_version=year.version, data=data)
    assert ProjectLine.objects.filter(unit_year=demo_year).count() == 10


def test_excel_upload_deleting_a_project_in_use_asks_before_applying(officer_client, demo_year):
    project = ProjectLine.objects.get(unit_year=demo_year, order=1)
    indicator_create(
        unit_year=demo_year,
        project=project,
        fund_category="project",
        tier1="output",
        tier2="quantity",
        name="代表活动次数",
        target="≥20次",
    )

    def drop_first(wb):
        wb["项目支出"].delete_rows(4)

    url = reverse("budgets:excel", args=[demo_year.unit.code, demo_year.year])
    html = officer_client.post(
        url, {"version": demo_year.version, "file": upload(edited(export(demo_year), drop_first))}
    )
    token = token_of(html.content.decode())
    html = officer_client.post(url, {"token": token}).content.decode()
    assert "确认删除项目" in html
    assert ProjectLine.objects.filter(pk=project.pk).exists()
    response = officer_client.post(url, {"token": token, "confirm_delete": "1"})
    assert response.status_code == 302
    assert not ProjectLine.objects.filter(pk=project.pk).exists()
