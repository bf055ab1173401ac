"""项目支出绩效自评 in the outputs: section 三's summary from data, one 项目支出绩效自评表 per
project as an Excel sheet and a PDF annex, the overview's project count and average, and the
report's query count whatever the number of projects."""

from __future__ import annotations

import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import ProjectLine
from overview.models import YearSummary
from reports.data import report_data, report_queryset
from reports.projects import report_projects
from reports.services import report_render_html, report_render_pdf, report_render_xlsx

from .conftest import pdf_text, squash


@pytest.fixture
def finished(finalised_demo_year):
    return report_queryset().get(pk=finalised_demo_year.pk)


def test_section_three_summarises_each_project_from_data(finished):
    html = report_render_html(unit_year=finished)
    tables = report_projects(report_data(finished))
    totals = [t.score.total for t in tables]
    average = (sum(totals, D(0)) / len(totals)).quantize(D("0.01"))
    assert "（三）项目支出绩效自评情况" in html
    assert f"2024年度纳入项目支出绩效自评的项目共10个，平均得分{average}分。" in html
    # the project whose indicator was missed: its money, rate, score, grade and the miss, from data
    township = next(t for t in tables if t.name == "乡镇人大工作经费")
    assert township.score.total == D("98.42")
    assert (
        "3、乡镇人大工作经费：全年预算35.00万元，执行35.00万元，预算执行率100.00%，自评得分98.42分，"
        "等级为“优”；主要差距：站点活动开展达标率（指标值≥95%，实际完成90%，得28.42分/满分30分）。"
    ) in html
    assert "1、县人大代表活动经费：全年预算31.00万元" in html and "各项指标均已完成。" in html


def test_excel_has_one_project_sheet_each_with_the_official_cells(finished):
    wb = openpyxl.load_workbook(io.BytesIO(report_render_xlsx(unit_year=finished)))
    project_sheets = [name for name in wb.sheetnames if name.startswith("项目")]
    assert len(project_sheets) == 10
    assert project_sheets[0] == "项目1 县人大代表活动经费"
    assert all(len(name) <= 31 for name in wb.sheetnames)
    ws = wb["项目3 乡镇人大工作经费"]
    assert ws["A1"].value == "2024年度项目支出绩效自评表"
    assert (ws["A3"].value, ws["C3"].value) == ("项目名称", "乡镇人大工作经费")
    assert (ws["E4"].value, ws["G4"].value) == ("实施单位", "安化县人大常委会办公室")
    funds = {ws.cell(row=r, column=1).value: r for r in range(5, 12)}
    total_row = funds["年度资金总额"]
    assert [ws.cell(row=total_row, column=c).value for c in range(3, 9)] == [35, 35, 35, 10, 100, 10]
    assert [ws.cell(row=funds["其中：当年财政拨款"], column=c).value for c in range(3, 6)] == [35, 35, 35]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    miss = next(r for r in values if r[2] == "站点活动开展达标率")
    assert miss[3:7] == ["≥95%", "90%", 30, 28.42]
    assert "偏远站点" in miss[7]
    total = next(r for r in values if r[0] == "总分")
    assert total[5:7] == [100, 98.42]
    conclusion = next(r for r in values if r[0] == "自评结论")
    assert conclusion[5] == "优（98.42分）"
    # the department's sheets are unchanged and first
    assert wb.sheetnames[:2] == ["自评表", "绩效指标"]


def test_pdf_annexes_a_table_per_project(finished):
    text = squash(pdf_text(report_render_pdf(unit_year=finished, use_cache=False)))
    assert text.count("2024年度项目支出绩效自评表") == 10
    assert "人大财政预算联网服务运行维护费" in text
    assert "项目支出绩效自评情况" in text


def test_overview_counts_projects_evaluated_and_their_average(finished, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    summary = YearSummary.objects.get(unit_year=finished)
    tables = report_projects(report_data(finished))
    average = (sum((t.score.total for t in tables), D(0)) / 10).quantize(D("0.01"))
    assert summary.projects_evaluated == 10
    assert summary.projects_average == average
    html = client.get(reverse("overview:index")).content.decode()
    assert "自评项目数" in html and "项目平均得分" in html
    assert f'<td class="num">{average}</td>' in html


def _report_queries(client, unit_year, count: int) -> int:
    from indicators.tests.factories import add_project, build_project_table

    ProjectLine.objects.filter(unit_year=unit_year).delete()
    for n in range(count):
        build_project_table(unit_year, add_project(unit_year, f"项目{n}", order=n + 1))
    url = reverse("reports:report", args=[unit_year.unit.code, unit_year.year])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url).content.decode()
    assert f"项目{count - 1}" in body
    return len(captured)


def test_report_query_count_is_the_same_with_1_and_20_projects(client, demo_year):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="leader"))
    assert _report_queries(client, demo_year, 1) == _report_queries(client, demo_year, 20)
