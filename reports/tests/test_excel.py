"""The self-evaluation table (部门整体支出绩效自评表) read back with openpyxl."""

from __future__ import annotations

from decimal import Decimal as D
from io import BytesIO

import pytest
from openpyxl import load_workbook

from indicators.models import Indicator
from perfeval.xlsx import MONEY_FORMAT, PERCENT_FORMAT
from reports.data import report_queryset
from reports.services import report_render_xlsx

from .conftest import score_all

pytestmark = pytest.mark.django_db


def workbook(unit_year):
    content = report_render_xlsx(unit_year=report_queryset().get(pk=unit_year.pk))
    return load_workbook(BytesIO(content))


def find_row(ws, label: str) -> int:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == label:
                return cell.row
    raise AssertionError(f"{label} not found")


def test_header_and_funds(demo_year):
    ws = workbook(demo_year)["自评表"]
    assert ws["A1"].value == "2024年度部门整体支出绩效自评表"
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    assert (ws["A3"].value, ws["B3"].value, ws["C3"].value, ws["D3"].value) == (
        "年度",
        2024,
        "部门（单位）名称",
        "安化县人大常委会办公室",
    )  # noqa: E501
    assert (ws["F3"].value, ws["H3"].value) == ("主管部门", "安化县人大常委会办公室")
    assert (ws["A4"].value, ws["B4"].value, ws["C4"].value, ws["D4"].value) == ("联系人", "姚勇", "电话", "13800000000")
    header = [ws.cell(row=5, column=c).value for c in range(3, 9)]
    assert header == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    total = find_row(ws, "年度资金总额")
    assert [ws.cell(row=total, column=c).value for c in range(3, 9)] == [880.51, 1304.57, 1304.57, 10, 100, 10]
    assert ws.cell(row=total, column=3).number_format == MONEY_FORMAT
    assert ws.cell(row=total, column=7).number_format == PERCENT_FORMAT
    appropriation = find_row(ws, "其中：财政拨款")
    assert ws.cell(row=appropriation, column=4).value == 1304.57
    assert ws.cell(row=appropriation, column=5).value is None  # not stated: blank, not 0
    for label in ("上年结转", "其他资金"):
        find_row(ws, label)
    # Borders on the table cells.
    for col in (1, 3, 8):
        assert ws.cell(row=total, column=col).border.left.style == "thin"
        assert ws.cell(row=total, column=col).border.bottom.style == "thin"


def test_goals_and_indicators(demo_year):
    ws = workbook(demo_year)["自评表"]
    goals_row = find_row(ws, "预期目标") + 1
    assert ws.cell(row=goals_row, column=3).value.startswith("1、进一步落实重大事项决定权")
    assert find_row(ws, "实际完成情况")
    head = find_row(ws, "一级指标")
    assert [ws.cell(row=head, column=c).value for c in range(1, 9)] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    assert ws.cell(row=head + 1, column=1).value == "基本经费"
    row = find_row(ws, "人大会议次数")
    assert ws.cell(row=row, column=4).value == "≥20次"
    assert ws.cell(row=row, column=1).value == "产出指标"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"A{row}:A{row + 5}" in merged  # 产出指标 spans the six 基本经费 indicators
    assert f"B{row}:B{row + 1}" in merged  # 数量指标 spans two
    assert ws.column_dimensions["C"].width >= 30
    names = {ws.cell(row=r, column=3).value for r in range(head, ws.max_row + 1)}
    assert "群众满意度" in names and "年度项目经费总额" in names
    assert find_row(ws, "总分") and find_row(ws, "自评结论")


def test_scores_and_grade(demo_year):
    score_all(demo_year)
    ws = workbook(demo_year)["自评表"]
    row = find_row(ws, "人大资讯")
    assert (ws.cell(row=row, column=5).value, ws.cell(row=row, column=6).value, ws.cell(row=row, column=7).value) == (
        "18篇",
        5,
        3.5,
    )
    assert ws.cell(row=row, column=7).number_format == "0.00"
    assert ws.cell(row=row, column=8).value == "部分资讯未按期刊发，下年度加强统筹。"
    total = find_row(ws, "总分")
    assert ws.cell(row=total, column=7).value == 98.5
    conclusion = find_row(ws, "自评结论")
    assert ws.cell(row=conclusion, column=6).value == "优（98.5分）"


def test_indicator_sheet(demo_year):
    ws = workbook(demo_year)["绩效指标"]
    assert [c.value for c in ws[1]][:7] == [
        "序号",
        "经费类别",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "实际完成值",
    ]  # noqa: E501
    assert ws.max_row == 1 + 19
    assert [c.value for c in ws[2]][:6] == [1, "基本经费", "产出指标", "数量指标", "人大会议次数", "≥20次"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:L20"


def test_formula_like_text_is_neutralised(demo_year):
    Indicator.objects.filter(unit_year=demo_year, name="人大资讯").update(
        name='=HYPERLINK("http://evil.example","点击")', deviation_reason="+cmd|' /C calc'!A0", weight=D("5")
    )
    type(demo_year).objects.filter(pk=demo_year.pk).update(contact_name="@SUM(1+1)")
    wb = workbook(demo_year)
    ws = wb["自评表"]
    assert ws["B4"].value == "@SUM(1+1)"  # shown exactly as typed …
    row = find_row(ws, '=HYPERLINK("http://evil.example","点击")')
    assert ws.cell(row=row, column=8).value.startswith("+cmd")
    formula_like = [
        c
        for sheet in wb.worksheets
        for r in sheet.iter_rows()
        for c in r
        if isinstance(c.value, str) and c.value.startswith(("=", "+", "@"))
    ]
    assert len(formula_like) >= 3
    assert all(c.data_type == "s" and c.quotePrefix for c in formula_like)  # … but always as text
