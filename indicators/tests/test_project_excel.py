"""The projects' indicator tables in Excel, both ways: download one sheet per project, fill
targets and weights (the officer) or the scores (a member of the evaluation group, while the year
is evaluated), upload — all or nothing, every problem by sheet, row and column."""

from __future__ import annotations

import io
from decimal import Decimal as D

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators import excel
from indicators.models import Indicator, MemberScore
from indicators.tests.factories import add_project, build_project_table
from perfeval.xlsx import XLSX_CONTENT_TYPE


def _download(client, year) -> openpyxl.Workbook:
    response = client.get(reverse("indicators:projects_xlsx", args=[year.unit.code, year.year]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _upload(client, year, wb: openpyxl.Workbook):
    buffer = io.BytesIO()
    wb.save(buffer)
    year.refresh_from_db()
    file = SimpleUploadedFile("projects.xlsx", buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    url = reverse("indicators:projects_upload", args=[year.unit.code, year.year])
    return client.post(url, {"version": str(year.version), "file": file}, follow=True)


def test_round_trip_edits_adds_and_deletes_project_indicators(client, personas, year_a):
    first = add_project(year_a, "代表培训经费", order=1)
    second = add_project(year_a, "人大宣传经费", order=2)
    rows = build_project_table(year_a, first)
    client.force_login(personas["officer_a"])
    wb = _download(client, year_a)
    assert wb.sheetnames == ["填表说明", "项目1 代表培训经费", "项目2 人大宣传经费"]
    ws = wb["项目1 代表培训经费"]
    assert ws.row_dimensions[2].hidden and ws.column_dimensions["A"].hidden
    assert [c.value for c in ws[4]][:7] == [rows[0].pk, "项目经费", "产出指标", "数量指标", "培训人次", "≥200人次", 30]
    ws["F4"] = "≥220人次"  # a changed target
    ws.delete_rows(7)  # 参训人员满意度 removed
    new = wb["项目2 人大宣传经费"]
    new.append([None, "项目经费", "产出指标", "数量指标", "宣传稿件篇数", "≥50篇", 40, "", ""])
    html = _upload(client, year_a, wb).content.decode()
    assert "已从 Excel 导入 2 个项目的绩效指标表" in html
    first_table = {i.name: i for i in Indicator.objects.of_project(first)}
    assert first_table["培训人次"].pk == rows[0].pk and first_table["培训人次"].target_display == "≥220人次"
    assert "参训人员满意度" not in first_table
    added = Indicator.objects.of_project(second).get()
    assert (added.name, added.target_display, added.weight) == ("宣传稿件篇数", "≥50篇", D("40"))
    assert not Indicator.objects.of_department().exists()  # the department's table untouched


def test_upload_lists_every_problem_and_saves_nothing(client, personas, year_a):
    first = add_project(year_a, "代表培训经费", order=1)
    build_project_table(year_a, first)
    before = list(Indicator.objects.values_list("pk", "name", "target_value", "weight"))
    client.force_login(personas["officer_a"])
    wb = _download(client, year_a)
    ws = wb["项目1 代表培训经费"]
    ws["C4"] = "产出"  # not a tier 1
    ws["F5"] = ""  # no target
    ws["G6"] = "120"  # weight over 100
    ws["D7"] = "数量指标"  # 满意度 / 数量指标 mismatch
    ws.append([999999, "项目经费", "产出指标", "数量指标", "外来编号", "≥1次", 1, "", ""])
    html = _upload(client, year_a, wb).content.decode()
    assert "文件未导入，未保存任何内容。共发现 5 个问题" in html
    assert "工作表“项目1 代表培训经费”第4行C（一级指标）列：请填写" in html
    assert "第5行F（指标值）列" in html
    assert "第7行D（二级指标）列" in html
    assert "分值须为 0 至 100 之间的数字" in html
    assert "编号不属于该项目的指标" in html
    assert list(Indicator.objects.values_list("pk", "name", "target_value", "weight")) == before


def test_parse_refuses_a_sheet_whose_project_id_was_changed(year_a):
    first = add_project(year_a, "代表培训经费", order=1)
    wb = openpyxl.load_workbook(io.BytesIO(excel.workbook_export(unit_year=year_a)))
    wb["项目1 代表培训经费"]["B2"] = first.pk + 1000
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("p.xlsx", buffer.getvalue())
    try:
        excel.workbook_parse(unit_year=year_a, upload=upload)
    except excel.ImportRefused as refused:
        assert "项目编号与本年度该项目不符" in str(refused)
    else:  # pragma: no cover
        raise AssertionError("a wrong project id must be refused")


# -- the evaluation group's scores through the same workbook -----------------------------------


def test_a_group_member_scores_the_projects_from_the_workbook(client, evaluating_with_projects, evaluator_a):
    """While the year is evaluated a member downloads the projects' tables, fills 实际完成值 (and
    评价档次 / 得分 for the qualitative rows) and uploads them: they become his or her scores, the
    quantitative ones scored by the rules; the tables themselves are unchanged."""
    year, first, _second = evaluating_with_projects
    client.force_login(evaluator_a)
    wb = _download(client, year)
    ws = wb["项目1 代表培训经费"]
    assert [c.value for c in ws[3]][8:12] == ["实际完成值", "评价档次（定性指标）", "得分", "偏差原因分析及改进措施"]
    names = {ws.cell(row=r, column=5).value: r for r in range(4, ws.max_row + 1)}
    ws.cell(row=names["培训人次"], column=9, value="210")  # ≥200人次: met, 30 points proposed
    ws.cell(row=names["完成时限"], column=9, value="按期完成")
    ws.cell(row=names["完成时限"], column=10, value="达成年度指标")
    ws.cell(row=names["完成时限"], column=11, value="20")
    ws.cell(row=names["参训人员满意度"], column=9, value="85")  # ≥90%: missed, needs its reason
    ws.cell(row=names["参训人员满意度"], column=12, value="培训时间与农忙冲突，下年调整")
    html = _upload(client, year, wb).content.decode()
    assert "已从 Excel 导入您对 3 个项目指标的评分" in html
    mine = {s.indicator.name: s for s in MemberScore.objects.filter(member=evaluator_a, indicator__project=first)}
    assert mine["培训人次"].score == D("30.00") and mine["培训人次"].actual_value == D("210")
    assert mine["完成时限"].band == "achieved" and mine["完成时限"].score == D("20.00")
    assert mine["参训人员满意度"].deviation_reason.startswith("培训时间")
    assert "履职能力提升" not in mine  # left blank: not scored
    assert Indicator.objects.of_project(first).count() == 4  # the table itself untouched

    # The page's own download now carries the member's scores, to complete later.
    again = _download(client, year)["项目1 代表培训经费"]
    assert again.cell(row=names["培训人次"], column=9).value == "210"


def test_a_refused_score_row_is_listed_and_no_score_is_saved(client, evaluating_with_projects, evaluator_a):
    year, first, _second = evaluating_with_projects
    client.force_login(evaluator_a)
    wb = _download(client, year)
    ws = wb["项目1 代表培训经费"]
    names = {ws.cell(row=r, column=5).value: r for r in range(4, ws.max_row + 1)}
    ws.cell(row=names["培训人次"], column=9, value="210")  # sound
    ws.cell(row=names["参训人员满意度"], column=9, value="85")  # missed without a reason
    ws.cell(row=names["完成时限"], column=9, value="按期完成")
    ws.cell(row=names["完成时限"], column=10, value="差不多")  # not a band
    html = _upload(client, year, wb).content.decode()
    assert "评分未导入，未保存任何内容" in html
    assert f"第{names['完成时限']}行" in html and "J（评价档次）" in html
    assert not MemberScore.objects.filter(member=evaluator_a, indicator__project=first).exists()
    ws.cell(row=names["完成时限"], column=10, value="达成年度指标")
    ws.cell(row=names["完成时限"], column=11, value="20")
    html = _upload(client, year, wb).content.decode()
    row = names["参训人员满意度"]
    assert f"第{row}行" in html and "L（偏差原因分析及改进措施）" in html
    assert "未达到指标值，请填写偏差原因分析及改进措施" in html
    assert not MemberScore.objects.filter(member=evaluator_a, indicator__project=first).exists()
